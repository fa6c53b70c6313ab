"""Local extracts: the IRO service's (``<la>/iro/``) and the adoption agency's (``raa/``).

There is no national format; the schemas are in ``schemas.yml`` and data/README.md §1. As for
SSDA903, a file's table is recognised by its columns (lower-cased), not by its name, and unknown
columns are ignored with a warning. Every extract is optional. Child ids are pseudonymised with
the LA of the folder (IRO) or the ``la_code`` of the row (RAA referrals), so a child has the same
pseudonymised id as in the SSDA903 and CIN census.
"""

from __future__ import annotations

import logging
from pathlib import Path

from analysis.errors import InputError
from analysis.ingest.csvfile import header_names, read_csv, recognise
from analysis.ingest.model import FileResult
from analysis.ingest.quality import WARNING, LogBuilder, combine
from analysis.ingest.spec import TableSpec
from analysis.ingest.validate import check_table

log = logging.getLogger(__name__)


def identify_files(
    folder: Path,
    raw_dir: Path,
    specs: dict[str, TableSpec],
    kind: str,
    ignored: list[str] | None = None,
) -> list[tuple[Path, TableSpec, list[str]]]:
    """Recognise the table in each CSV of a local-extract folder.

    Files that are not CSV are skipped (their names appended to ``ignored``).

    Raises
    ------
    InputError
        A CSV matching no table, or two CSVs holding the same table.
    """
    found: dict[str, Path] = {}
    out = []
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        shown = path.relative_to(raw_dir).as_posix()
        if path.suffix.lower() != ".csv":
            log.warning("%s: not a CSV file; ignored", shown)
            if ignored is not None:
                ignored.append(shown)
            continue
        names, _ = header_names(path, shown, upper=False)
        spec, unknown = recognise(names, specs, shown, kind)
        if spec.name in found:
            raise InputError(
                folder.relative_to(raw_dir).as_posix(),
                f"two files hold the {spec.name} table: {found[spec.name].name} and {path.name}",
            )
        found[spec.name] = path
        out.append((path, spec, unknown))
    return out


def read_table(
    path: Path,
    spec: TableSpec,
    unknown: list[str],
    *,
    raw_dir: Path,
    la_code: str | None,
    key: bytes,
) -> FileResult:
    """Read, check and type one local extract; ``la_code`` None for the agency's files."""
    shown = path.relative_to(raw_dir).as_posix()
    raw = read_csv(path, shown, upper=False)
    warn = LogBuilder(shown)
    for col in unknown:
        log.warning("%s: column %s is not part of the %s extract; ignored", shown, col, spec.name)
        warn.add(None, col, "", f"column not part of the {spec.name} extract; ignored", WARNING)
    has_la_column = any(f.source == "la_code" for f in spec.fields)
    checked = check_table(
        raw.columns,
        spec,
        file=shown,
        la_code=None if has_la_column else la_code,
        key=key,
        lines=raw.lines,
    )
    return FileResult(
        file=shown,
        spec=spec,
        la_code=la_code or "raa",
        collection_year=None,
        rows_in=checked.rows_in,
        data=checked.data,
        log=combine([warn.frame(), checked.log]),
        quarantined=int(checked.quarantined.sum()),
    )
