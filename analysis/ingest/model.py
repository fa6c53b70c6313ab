"""What ingest knows about one raw file (or, for the CIN XML, one table of one file)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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
