"""LA names and regions read without pandas (analysis.la_names), as reference gave them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from refdata import REFERENCE_DIR

from analysis import la_names, reference
from analysis.errors import InputError

HEADER = "time_period,geographic_level,region_code,region_name,old_la_code,la_name\n"


def write_rates(folder: Path, rows: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    # with a byte order mark, as some DfE files have
    (folder / la_names.CLA_RATE_FILE).write_text(HEADER + rows, encoding="utf-8-sig")
    return folder


def test_the_latest_year_gives_the_name_and_region(tmp_path: Path) -> None:
    ref = write_rates(
        tmp_path,
        "2024,Local authority,E12000001,North East,806,Middlesbrough Old\n"
        "2025,Local authority,E12000001,North East,806,Middlesbrough\n"
        "2023,Local authority,E12000001,North East,806,Middlesbrough Older\n"
        "2025,Regional,E12000001,North East,,\n"
        "2025,Local authority,E12000002,North West,041,Somewhere\n",
    )
    assert la_names.la_name(ref, "806") == "Middlesbrough"  # 2025, whatever the row order
    assert la_names.la_region(ref, 806) == "North East"
    assert la_names.la_name(ref, 41) == "Somewhere"  # 41 is written 041
    assert la_names.la_name(ref, " 041 ") == "Somewhere"


def test_an_unknown_code_or_a_missing_file_is_a_clear_input_error(tmp_path: Path) -> None:
    ref = write_rates(tmp_path / "ref", "2025,Local authority,E1,North East,806,Middlesbrough\n")
    with pytest.raises(InputError, match="LA code 999 not found"):
        la_names.la_name(ref, "999")
    with pytest.raises(InputError, match="reference file not found"):
        la_names.la_name(tmp_path / "nowhere", "806")


def test_every_la_of_the_published_file_as_reference_gave_it() -> None:
    with open(REFERENCE_DIR / la_names.CLA_RATE_FILE, encoding="utf-8-sig", newline="") as fh:
        codes = sorted({row["old_la_code"] for row in csv.DictReader(fh) if row["old_la_code"]})
    assert len(codes) > 150
    frame = reference._load(REFERENCE_DIR, la_names.CLA_RATE_FILE)
    for code in codes:
        latest = frame.loc[frame["old_la_code"].eq(code)].sort_values("time_period").iloc[-1]
        assert la_names.la_name(REFERENCE_DIR, code) == latest["la_name"], code
        assert la_names.la_region(REFERENCE_DIR, code) == latest["region_name"], code
