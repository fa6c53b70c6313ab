"""A column of raw text held as each row's code into the column's distinct values.

A return repeats the same few values down a column (codes, dates, a child's id on each of their
rows), and every check in :mod:`analysis.ingest.validate` depends on a value alone, so checks run
once per distinct value and are spread back to the rows by code. Holding a column this way from
the moment it is read also spares making one Python string per cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class RawColumn:
    """Raw text values of one column.

    Attributes
    ----------
    codes
        For each row, the position of its value in ``distinct``.
    distinct
        The distinct values (an object array of ``str``); some may be used by no row.
    """

    codes: np.ndarray
    distinct: np.ndarray

    @classmethod
    def of(cls, values: np.ndarray | pd.Series | list[str]) -> RawColumn:
        """The column holding ``values`` (strings, one per row)."""
        codes, distinct = pd.factorize(np.asarray(values, dtype=object))
        return cls(codes, distinct)

    @classmethod
    def stripped(cls, codes: np.ndarray, distinct: np.ndarray) -> RawColumn:
        """The column of ``distinct[codes]`` with each value stripped as :meth:`str.strip` does.

        Values that are equal once stripped (``" S"`` and ``"S"``) become one distinct value.
        """
        text = np.empty(len(distinct), dtype=object)
        text[:] = [v.strip() for v in distinct]
        if (text == distinct).all():  # nothing to strip (the usual case): still distinct
            return cls(np.asarray(codes, dtype=np.intp), text)
        merged, unique = pd.factorize(text)
        return cls(merged[codes], unique)

    @classmethod
    def blank(cls, n: int) -> RawColumn:
        """A column of ``n`` empty values (a column a file does not have)."""
        return cls(np.zeros(n, dtype=np.intp), np.array([""], dtype=object))

    @classmethod
    def concat(cls, columns: list[RawColumn]) -> RawColumn:
        """The rows of ``columns`` one after the other."""
        if len(columns) == 1:
            return columns[0]
        offsets = np.cumsum([0, *(len(c.distinct) for c in columns[:-1])])
        merged, unique = pd.factorize(np.concatenate([c.distinct for c in columns]))
        codes = np.concatenate([c.codes + o for c, o in zip(columns, offsets, strict=True)])
        return cls(merged[codes], unique)

    def __len__(self) -> int:
        return len(self.codes)

    def is_blank(self) -> np.ndarray:
        """Whether each row's value is empty."""
        return (self.distinct == "")[self.codes]

    def take(self, rows: np.ndarray) -> RawColumn:
        """The rows selected by ``rows`` (a boolean mask or positions)."""
        return RawColumn(self.codes[rows], self.distinct)

    def values(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Each row's value (of the rows selected by ``rows``, else all) as an object array."""
        return self.distinct[self.codes if rows is None else self.codes[rows]]
