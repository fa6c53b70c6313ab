"""The fast row orders of issue 6 give exactly the order of ``sort_values(kind="stable")``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.cla.ordering import child_keys, ordered_by, sort_rows, sorted_codes


def test_sorted_codes_follow_string_order_with_missing_last() -> None:
    values = pd.Series(["b", "a", None, "é", "B", "a"], dtype=object)
    # Python's order: "B" < "a" < "b" < "é"; the missing value after every value
    assert sorted_codes(values).tolist() == [2, 1, 4, 3, 0, 1]
    assert sorted_codes(values.astype("string")).tolist() == [2, 1, 4, 3, 0, 1]


def test_sorted_codes_of_strings_already_in_order() -> None:
    # counted from the changes between rows: ties keep one code, "B" < "a" < "é"
    ordered = pd.Series(["B", "B", "a", "a", "a", "é"], dtype=object)
    assert sorted_codes(ordered).tolist() == [0, 0, 1, 1, 1, 2]
    assert sorted_codes(pd.Series(["007", "7", "70"], dtype=object)).tolist() == [0, 1, 2]
    # not in order, or a value missing: the general path, the same codes as a sort would give
    assert sorted_codes(pd.Series(["a", "B", "B"], dtype=object)).tolist() == [1, 0, 0]
    assert sorted_codes(pd.Series(["a", "b", None], dtype=object)).tolist() == [0, 1, 2]
    rng = np.random.default_rng(3)
    ids = pd.Series(np.sort(rng.choice([f"{i:04x}" for i in range(300)], size=2_000)), dtype=object)
    want = pd.factorize(ids, sort=True)[0]
    assert (sorted_codes(ids) == want).all()


def test_ordered_by_sorts_on_the_first_key_then_the_next_keeping_ties_in_row_order() -> None:
    child = np.array([1, 0, 1, 0, 1])
    start = np.array([5, 9, 5, 2, 1])
    # child 0: rows 3 (2), 1 (9); child 1: row 4 (1), then rows 0 and 2 (5, a tie in row order)
    assert ordered_by(child, start).tolist() == [3, 1, 4, 0, 2]
    in_order = np.array([0, 0, 1, 1, 1]), np.array([2, 9, 1, 5, 5])
    assert ordered_by(*in_order).tolist() == [0, 1, 2, 3, 4]
    # the second key out of order only within a child: sorted
    assert ordered_by(np.array([0, 0, 1]), np.array([3, 2, 1])).tolist() == [1, 0, 2]
    # the largest int64 (missing dates last) compares without overflow
    big = np.iinfo(np.int64).max
    assert ordered_by(np.array([0, 0]), np.array([big, -big])).tolist() == [1, 0]
    assert ordered_by(np.array([], dtype=np.int64)).tolist() == []
    rng = np.random.default_rng(5)
    for _ in range(50):
        keys = [np.sort(rng.integers(0, 4, 30)), rng.integers(0, 3, 30)]
        assert ordered_by(*keys).tolist() == np.lexsort(keys[::-1]).tolist()


def test_sorted_codes_of_numbers_and_mixed_objects() -> None:
    assert sorted_codes(pd.Series([10, 2, 2, 7])).tolist() == [2, 0, 0, 1]
    assert sorted_codes(pd.Series([3, "x"], dtype=object).iloc[:1]).tolist() == [0]


def test_sort_rows_is_a_stable_sort_with_missing_last() -> None:
    frame = pd.DataFrame(
        {
            "child_id": ["c2", "c1", "c2", "c1", None, "c1"],
            "date": pd.to_datetime(
                ["2024-01-02", None, "2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01"]
            ),
            "row": [0, 1, 2, 3, 4, 5],
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    got = sort_rows(frame, ["child_id", "date"])
    # c1 on 1 Jan (rows 3 then 5, input order kept), c1 without a date, c2, missing child last
    assert got["row"].tolist() == [3, 5, 1, 2, 0, 4]
    assert got.index.tolist() == [13, 15, 11, 12, 10, 14]
    pd.testing.assert_frame_equal(got, frame.sort_values(["child_id", "date"], kind="stable"))


def test_sort_rows_equals_sort_values_on_random_frames() -> None:
    rng = np.random.default_rng(6)
    n = 2_000
    frame = pd.DataFrame(
        {
            "la": rng.choice(["805", "806", "841"], n),
            "child_id": rng.choice([f"{i:04x}" for i in range(300)], n),
            "date": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 50, n), "D"),
            "number": rng.integers(0, 4, n),
        }
    )
    frame.loc[rng.random(n) < 0.05, "date"] = pd.NaT
    keys = ["la", "child_id", "date", "number"]
    pd.testing.assert_frame_equal(sort_rows(frame, keys), frame.sort_values(keys, kind="stable"))


def test_child_keys_equal_exactly_when_child_and_number_equal() -> None:
    child = pd.Series(["a", "b", "a", "a", None])
    number = pd.Series([0, 0, 1, 0, 0])
    keys = child_keys(child, number)
    assert keys[0] == keys[3]
    assert len({keys[0], keys[1], keys[2], keys[4]}) == 4
