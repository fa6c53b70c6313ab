"""What ingest knows about one raw file (or, for the CIN XML, one table of one file)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.ingest.quality import combine
from analysis.ingest.spec import TableSpec


@dataclass
class FileResult:
    """Rows of one table read from one raw file, and what happened to them.

    Attributes
    ----------
    file
        Path relative to the raw folder, with ``/`` separators.
    spec
        The table's specification.
    la_code
        3-digit LA code, or ``raa`` for the agency's extracts.
    collection_year
        ``YYYY-YY`` for statutory returns; ``None`` for local extracts.
    rows_in
        Rows read from the file (blank lines are not rows).
    data
        Kept rows, processed columns plus ``_line``.
    log
        Data-quality log entries.
    quarantined
        Rows quarantined (checks, then duplicates within the file).
    superseded
        Rows replaced by the same event in a later return.
    """

    file: str
    spec: TableSpec
    la_code: str
    collection_year: str | None
    rows_in: int
    data: pd.DataFrame
    log: pd.DataFrame
    quarantined: int
    superseded: int = 0

    @property
    def processed(self) -> int:
        """Rows that reach the processed table."""
        return self.rows_in - self.quarantined - self.superseded


def split_by_file(
    data: pd.DataFrame,
    entries: pd.DataFrame,
    *,
    files: list[tuple[str, str | None, pd.DataFrame | None]],
    spec: TableSpec,
    la_code: str,
    starts: np.ndarray,
    sizes: list[int],
    quarantined: np.ndarray,
    entry_file: np.ndarray,
    entry_rows: np.ndarray,
) -> list[FileResult]:
    """One :class:`FileResult` per file from one table checked over several files at once.

    ``files`` gives each file's shown name, collection year and warnings (``None``: none);
    file ``i``'s kept rows are ``data[starts[i]:starts[i + 1]]`` (kept rows stay in input
    order); ``entry_file`` and ``entry_rows`` give each log entry's file and its row in that file.
    """
    out = []
    for i, (shown, year, warnings) in enumerate(files):
        logs = [] if warnings is None else [warnings]
        mine = entry_file == i
        if mine.any():
            own = entries.loc[mine].copy()
            own["file"] = shown
            own["row"] = pd.array(entry_rows[mine], dtype="Int64")
            logs.append(own.reset_index(drop=True))
        out.append(
            FileResult(
                file=shown,
                spec=spec,
                la_code=la_code,
                collection_year=year,
                rows_in=sizes[i],
                data=data.iloc[starts[i] : starts[i + 1]].reset_index(drop=True),
                log=combine(logs),
                quarantined=int(quarantined[i]),
            )
        )
    return out
