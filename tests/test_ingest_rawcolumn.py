"""Raw text columns held as codes into their distinct values (analysis.ingest.rawcolumn)."""

from __future__ import annotations

import numpy as np

from analysis.ingest.rawcolumn import RawColumn


def test_of_keeps_every_value_in_row_order() -> None:
    column = RawColumn.of(["S", "P", "S", "", "007", "7"])
    assert len(column) == 6
    assert column.values().tolist() == ["S", "P", "S", "", "007", "7"]
    assert column.distinct.tolist() == ["S", "P", "", "007", "7"]  # "007" and "7" differ
    assert column.is_blank().tolist() == [False, False, False, True, False, False]


def test_stripped_merges_values_equal_once_stripped() -> None:
    # rows: " S", "S", "S\u00a0", "\t", "P " ; distinct as read: " S", "S", "S\u00a0", "\t", "P "
    distinct = np.array([" S", "S", "S\u00a0", "\t", "P "], dtype=object)
    column = RawColumn.stripped(np.array([0, 1, 2, 3, 4, 1], dtype=np.int32), distinct)
    assert column.values().tolist() == ["S", "S", "S", "", "P", "S"]
    assert column.distinct.tolist() == ["S", "", "P"]  # a no-break space is whitespace too
    assert column.codes.tolist() == [0, 0, 0, 1, 2, 0]
    # nothing to strip: the same values and codes
    clean = RawColumn.stripped(
        np.array([1, 0, 1], dtype=np.int32), np.array(["a", "b"], dtype=object)
    )
    assert clean.values().tolist() == ["b", "a", "b"] and clean.distinct.tolist() == ["a", "b"]


def test_concat_with_a_blank_column_for_a_file_without_it() -> None:
    first = RawColumn.of(["A", "B"])
    missing = RawColumn.blank(3)
    last = RawColumn.of(["B", "", "C"])
    both = RawColumn.concat([first, missing, last])
    assert both.values().tolist() == ["A", "B", "", "", "", "B", "", "C"]
    assert both.distinct.tolist() == ["A", "B", "", "C"]  # "B" and "" once each
    assert RawColumn.concat([first]) is first


def test_take_and_values_of_selected_rows() -> None:
    column = RawColumn.of(["x", "", "y", "x"])
    kept = column.take(np.array([True, False, True, True]))
    assert kept.values().tolist() == ["x", "y", "x"]
    assert column.values(np.array([False, False, True, True])).tolist() == ["y", "x"]
    empty = RawColumn.of([])
    assert len(empty) == 0 and empty.values().tolist() == [] and empty.is_blank().tolist() == []
