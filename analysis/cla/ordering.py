"""Exact, fast row orders for tables keyed by child (issue 6: national scale).

``DataFrame.sort_values`` on several columns builds an ordered ``Categorical`` of each key, which
for the pseudonymised ids (Python strings) means sorting every distinct id by Python comparisons:
at 150 councils it is the largest single cost of the CLA measures. The functions here give the
same order (ascending, missing values last, ties kept in input order, i.e.
``sort_values(keys, kind="stable")``) from integer keys instead: distinct strings are sorted once
by pyarrow, whose UTF-8 byte order is the code point order of Python's string comparison.

They change how rows are ordered, never which rows or values a measure uses:
``tests/test_cla_ordering.py`` checks them against ``sort_values`` and ``factorize``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["ordered_by", "sort_key", "sorted_codes", "sort_rows", "stable_order"]


def sorted_codes(values: pd.Series) -> np.ndarray:
    """Integer codes of ``values`` in sorted order: equal values equal codes, missing last.

    The same codes as ``pandas.factorize(values, sort=True)``, except that missing values get
    the code after every value (instead of -1), as ``sort_values`` puts them last. Distinct
    strings are sorted by pyarrow; other values (or strings pyarrow cannot take) by pandas.
    Strings already in ascending order (a table sorted by child, such as annotated episodes)
    are numbered by counting the changes from one row to the next.
    """
    if _ascending_strings(values):
        text = values.to_numpy(dtype=object)
        codes = np.zeros(len(text), dtype=np.int64)
        np.cumsum(text[1:] != text[:-1], out=codes[1:])
        return codes
    codes, uniques = pd.factorize(values)
    rank = None
    if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
        try:
            order = pc.sort_indices(pa.array(np.asarray(uniques, dtype=object), type=pa.string()))
            rank = np.empty(len(uniques), dtype=np.int64)
            rank[order.to_numpy()] = np.arange(len(uniques), dtype=np.int64)
        except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
            rank = None  # not all strings: pandas' own order below
    if rank is None:
        codes, uniques = pd.factorize(values, sort=True)
        rank = np.arange(len(uniques), dtype=np.int64)
    out = np.where(codes >= 0, rank[np.maximum(codes, 0)], len(uniques))
    return out.astype(np.int64, copy=False)


def _ascending_strings(values: pd.Series) -> bool:
    """Whether ``values`` are all strings (none missing), each no smaller than the one before."""
    return (
        values.dtype == object
        and len(values) > 1
        and pd.Index(values).is_monotonic_increasing
        and pd.api.types.infer_dtype(values, skipna=False) == "string"
    )


def sort_key(values: pd.Series) -> np.ndarray:
    """An integer array whose ascending order is that of ``values`` with missing values last."""
    dtype = values.dtype
    if dtype.kind == "M" and not isinstance(dtype, pd.DatetimeTZDtype):
        key = values.to_numpy().view(np.int64).copy()
        key[values.isna().to_numpy()] = np.iinfo(np.int64).max
        return key
    if dtype.kind in "biu" and isinstance(dtype, np.dtype):
        return values.to_numpy()
    return sorted_codes(values)


def ordered_by(*keys: np.ndarray) -> np.ndarray:
    """Positions that sort rows by ``keys`` (the first key first), ties kept in row order.

    The stable ``np.lexsort`` of the keys (given there last key first); rows already in that
    order (the usual case for a table sorted once by child) are found so by comparing each row
    with the next, and their positions returned as they are, as a stable sort would return them.
    """
    n = len(keys[0])
    undecided = np.ones(max(n - 1, 0), dtype=bool)  # rows equal on every key so far
    for key in keys:
        if (undecided & (key[1:] < key[:-1])).any():
            return np.lexsort(keys[::-1])
        undecided &= key[1:] == key[:-1]
    return np.arange(n)


def stable_order(frame: pd.DataFrame, keys: Sequence[str]) -> np.ndarray:
    """Positions that sort ``frame`` as ``frame.sort_values(keys, kind="stable")`` does."""
    return ordered_by(*(sort_key(frame[k]) for k in keys))


def sort_rows(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """``frame.sort_values(keys, kind="stable")`` (same rows, order and index), faster."""
    return frame.take(stable_order(frame, keys))


def child_keys(child_id: pd.Series, number: pd.Series | None = None) -> np.ndarray:
    """One int64 per row, equal exactly when ``child_id`` (and ``number``) are equal.

    For grouping and de-duplicating by child, or by child and a non-negative integer such as a
    period of care (``number``), on integers rather than strings: the rows and groups are those
    of the string keys (a missing ``child_id`` is a value of its own).
    """
    codes = pd.factorize(child_id, use_na_sentinel=False)[0].astype(np.int64)
    if number is None:
        return codes
    n = number.to_numpy(dtype=np.int64)
    return codes * (int(n.max(initial=0)) + 1) + n
