"""The names and regions of local authorities, from DfE's LA-level CLA file.

Read with the csv module (no pandas): the renderer needs an LA's name for the report's title
page, and a re-render loads nothing else from the reference files. :mod:`analysis.reference`
gives the same functions beside the published figures.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from analysis.errors import InputError
from analysis.paths import reference_file

#: DfE, *Children looked after in England including adoptions*: numbers and rates by LA.
CLA_RATE_FILE = "dfe_cla_number_and_rate_per_10k_2021_2025.csv"


def la_code_text(la_code: str | int) -> str:
    """An LA code as DfE writes it: three digits (``806``; ``41`` is ``041``)."""
    code = str(la_code).strip()
    if code.isdigit() and len(code) < 3:
        code = code.zfill(3)
    return code


@lru_cache(maxsize=16)
def _latest_rows(path: str, mtime: float) -> dict[str, dict[str, str]]:
    """Each LA's row of the latest year (``time_period``), by ``old_la_code``."""
    latest: dict[str, dict[str, str]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:  # some DfE files start with a BOM
        for row in csv.DictReader(fh):
            code = row.get("old_la_code") or ""
            if code and (code not in latest or row["time_period"] >= latest[code]["time_period"]):
                latest[code] = row
    return latest


def _la_row(reference_dir: str | Path, la_code: str | int) -> dict[str, str]:
    path = reference_file(reference_dir, CLA_RATE_FILE)
    code = la_code_text(la_code)
    try:
        row = _latest_rows(str(path), path.stat().st_mtime).get(code)
    except (OSError, UnicodeDecodeError, csv.Error, KeyError) as exc:
        raise InputError(str(path), f"cannot read reference file ({exc!r})") from exc
    if row is None:
        raise InputError(str(path), f"LA code {code} not found", field="old_la_code")
    return row


def la_name(reference_dir: str | Path, la_code: str | int) -> str:
    """Name of the LA with DfE code ``la_code`` (``"806"`` -> ``"Middlesbrough"``), latest year."""
    return _la_row(reference_dir, la_code)["la_name"]


def la_region(reference_dir: str | Path, la_code: str | int) -> str:
    """Name of the region of the LA (``"806"`` -> ``"North East"``), latest year."""
    return _la_row(reference_dir, la_code)["region_name"]
