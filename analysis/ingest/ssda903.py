"""SSDA903 (children looked after) returns: one folder per collection year of DfE CSV tables.

``<la>/ssda903/<YYYY-YY>/*.csv``. Each file's table is recognised by its columns (DfE column
names, any order, any case), not by its name: LAs name their files differently. Episodes may carry
the derived ``PL_DISTANCE`` and ``PL_LOCATION`` columns. Other columns are ignored with a warning.
Header, Episodes and Reviews are required in every year; the other tables are optional.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.ingest import consistency
from analysis.ingest.csvfile import header_names, read_csv, recognise
from analysis.ingest.model import FileResult, split_by_file
from analysis.ingest.quality import WARNING, LogBuilder
from analysis.ingest.rawcolumn import RawColumn
from analysis.ingest.spec import TableSpec
from analysis.ingest.validate import check_table

log = logging.getLogger(__name__)

YEAR_FOLDER = re.compile(r"^(\d{4})-(\d{2})$")


def check_year_label(label: str, shown: str) -> str:
    """Validate a collection year label ``YYYY-YY`` (``2023-24``); return it."""
    match = YEAR_FOLDER.match(label)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise InputError(shown, "is not named as a collection year YYYY-YY (for example 2023-24)")
    return label


def year_folders(la_dir: Path, raw_dir: Path) -> list[Path]:
    """List the collection-year folders of an LA's SSDA903 returns, oldest first."""
    base = la_dir / "ssda903"
    shown = base.relative_to(raw_dir).as_posix()
    if not base.is_dir():
        raise InputError(
            shown,
            "no SSDA903 returns: the folder is missing (Header, Episodes and Reviews are required)",
        )
    folders = sorted(p for p in base.iterdir() if p.is_dir())
    for p in folders:
        check_year_label(p.name, p.relative_to(raw_dir).as_posix())
    if not folders:
        raise InputError(shown, "holds no collection-year folders (YYYY-YY)")
    return folders


def identify_files(
    year_dir: Path, raw_dir: Path, specs: dict[str, TableSpec], ignored: list[str] | None = None
) -> list[tuple[Path, TableSpec, list[str]]]:
    """Recognise the table in each CSV of one year folder.

    Files that are not CSV are skipped (their names appended to ``ignored``).

    Returns
    -------
    list of (path, TableSpec, unknown columns)

    Raises
    ------
    InputError
        A CSV matching no table, two CSVs holding the same table, or a required table missing
        (the message names the folder and the tables).
    """
    shown_dir = year_dir.relative_to(raw_dir).as_posix()
    found: dict[str, Path] = {}
    out = []
    for path in sorted(year_dir.iterdir()):
        if not path.is_file():
            continue
        if path.suffix.lower() != ".csv":
            log.warning("%s: not a CSV file; ignored", path.relative_to(raw_dir).as_posix())
            if ignored is not None:
                ignored.append(path.relative_to(raw_dir).as_posix())
            continue
        shown = path.relative_to(raw_dir).as_posix()
        names, _ = header_names(path, shown, upper=True)
        spec, unknown = recognise(names, specs, shown, "SSDA903")
        if spec.name in found:
            raise InputError(
                shown_dir,
                f"two files hold the {spec.name} table: {found[spec.name].name} and {path.name}",
            )
        found[spec.name] = path
        out.append((path, spec, unknown))
    missing = [s.name for s in specs.values() if s.required_table and s.name not in found]
    if missing:
        raise InputError(
            shown_dir,
            "required SSDA903 table missing: "
            + ", ".join(missing)
            + " (no CSV in the folder has its columns)",
        )
    return out


def read_table(
    path: Path,
    spec: TableSpec,
    unknown: list[str],
    *,
    raw_dir: Path,
    la_code: str,
    collection_year: str,
    key: bytes,
) -> FileResult:
    """Read, check and type one SSDA903 CSV."""
    return read_tables(
        [(path, spec, unknown, collection_year)], raw_dir=raw_dir, la_code=la_code, key=key
    )[0]


def read_tables(
    files: list[tuple[Path, TableSpec, list[str], str]],
    *,
    raw_dir: Path,
    la_code: str,
    key: bytes,
) -> list[FileResult]:
    """Read, check and type one LA's SSDA903 CSVs: ``(path, spec, unknown columns, year)`` each.

    The rows of all the files of one table are checked together (one pass over each column
    instead of one per file; a return's tables are small, so the fixed cost of a pass dominated)
    and then split back into one :class:`FileResult` per file, in the order given, exactly as if
    each file had been checked alone: each row keeps its own file and line in the log.
    """
    raws = []
    for path, spec, unknown, _ in files:
        shown = path.relative_to(raw_dir).as_posix()
        warn = LogBuilder(shown)
        for col in unknown:
            log.warning("%s: column %s is not part of the %s table; ignored", shown, col, spec.name)
            warn.add(None, col, "", f"column not part of the {spec.name} table; ignored", WARNING)
        raws.append((shown, read_csv(path, shown, upper=True), warn.frame()))
    by_table: dict[str, list[int]] = {}
    for i, (_, spec, _, _) in enumerate(files):
        by_table.setdefault(spec.processed, []).append(i)
    results: dict[int, FileResult] = {}
    for members in by_table.values():
        spec = files[members[0]][1]
        for i, result in zip(
            members, _check_together([raws[i] for i in members], spec, la_code, key), strict=True
        ):
            result.collection_year = files[i][3]
            if spec.processed == consistency.EPISODES:
                consistency.check_overlaps(result)
            results[i] = result
    return [results[i] for i in range(len(files))]


def _check_together(raws: list, spec: TableSpec, la_code: str, key: bytes) -> list[FileResult]:
    """:func:`check_table` over the rows of several files of one table, split back per file.

    The rows are checked with their position in the concatenation as their "line"; positions
    then map each kept row and each log entry back to its file and its line in that file.
    """
    files = [raw.columns for _, raw, _ in raws]
    sizes = [len(raw.lines) for _, raw, _ in raws]
    names = list(dict.fromkeys(name for columns in files for name in columns))
    columns = {  # a column some files lack is blank in their rows
        name: RawColumn.concat(
            [
                c[name] if name in c else RawColumn.blank(n)
                for c, n in zip(files, sizes, strict=True)
            ]
        )
        for name in names
    }
    file_of = np.repeat(np.arange(len(raws)), sizes)
    line_of = np.concatenate([raw.lines.to_numpy(dtype=np.int64) for _, raw, _ in raws])
    positions = pd.Series(np.arange(len(line_of), dtype=np.int64))
    checked = check_table(columns, spec, file="", la_code=la_code, key=key, lines=positions)
    data, entries = checked.data, checked.log
    data_pos = data["_line"].to_numpy(dtype=np.int64)
    data["_line"] = line_of[data_pos]
    # Kept rows stay in input order, so each file's rows are one slice of ``data``.
    starts = np.searchsorted(data_pos, np.cumsum([0, *sizes]))
    entry_pos = entries["row"].to_numpy(dtype=np.int64)
    entry_file = file_of[entry_pos]
    quarantined = np.bincount(file_of[checked.quarantined], minlength=len(raws))
    return split_by_file(
        data,
        entries,
        files=[(shown, None, warnings) for shown, _, warnings in raws],
        spec=spec,
        la_code=la_code,
        starts=starts,
        sizes=sizes,
        quarantined=quarantined,
        entry_file=entry_file,
        entry_rows=line_of[entry_pos],
    )
