"""The XLSX workbook of a report's tables: every published CSV, a sheet each.

Kept apart from :mod:`analysis.tables` (and pandas imported only to write), so that a re-render
whose tables did not change checks the workbook's inputs without loading pandas.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from analysis.paths import CATALOGUE

log = logging.getLogger(__name__)


def _workbook_inputs(tables_dir: Path) -> str:
    """SHA-256 of everything the workbook is made of: the CSVs, the catalogue and this code."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(CATALOGUE.read_bytes())
    for csv in sorted(tables_dir.glob("*.csv")):
        digest.update(f"\0{csv.name}\0".encode())
        digest.update(csv.read_bytes())
    return digest.hexdigest()


def write_workbook(tables_dir: str | Path, workbook: str | Path) -> Path:
    """Collect every ``tables_dir/*.csv`` into one XLSX workbook, a sheet per table id.

    The workbook is written again only when its inputs changed (the tables, the catalogue or
    this code; their SHA-256 is kept in a hidden ``.<workbook>.sha256`` beside it), so a
    re-render after a text change keeps the same file.
    """
    tables_dir, workbook = Path(tables_dir), Path(workbook)
    stamp = workbook.with_name(f".{workbook.name}.sha256")
    inputs = _workbook_inputs(tables_dir)
    if workbook.is_file() and stamp.is_file() and stamp.read_text().strip() == inputs:
        log.info("%s: tables unchanged, workbook kept", workbook.name)
        return workbook
    stamp.unlink(missing_ok=True)
    import pandas as pd  # only to write: a re-render with the same tables needs neither

    from analysis.tables import load_catalogue

    catalogue = load_catalogue()
    with pd.ExcelWriter(workbook, engine="openpyxl") as writer:
        contents = []
        for csv in sorted(tables_dir.glob("*.csv")):
            table_id = csv.stem
            spec = catalogue.get(table_id)
            contents.append(
                {
                    "sheet": table_id[:31],
                    "title": spec.title if spec else table_id,
                    "definition": spec.definition if spec else "",
                    "source": spec.source if spec else "",
                }
            )
        pd.DataFrame(contents).to_excel(writer, sheet_name="contents", index=False)
        for csv in sorted(tables_dir.glob("*.csv")):
            pd.read_csv(csv, dtype=str, keep_default_na=False).to_excel(
                writer, sheet_name=csv.stem[:31], index=False
            )
    stamp.write_text(inputs + "\n", encoding="utf-8")
    return workbook
