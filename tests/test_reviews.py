"""CLA review timeliness (reg. 33) and participation (PN0-PN7), hand-computed cases.

Bank holidays used (England and Wales): 28 Aug 2023, 25 and 26 Dec 2023, 1 Jan 2024.
"""

import math

import numpy as np
import pandas as pd
import pytest
from cla_frames import ep, episodes, reviews

from analysis.cla import (
    monthly_review_timeliness,
    review_participation,
    review_timeliness,
    reviews_held,
    reviews_in_timescale_pct,
    views_conveyed_pct,
)
from analysis.dates import bank_holidays, working_days_after

PS, PE = "2023-04-01", "2024-03-31"


def timeliness_frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows ``(child_id, review, review_code, due_date, in_time, sequence)``."""
    frame = pd.DataFrame(
        rows, columns=["child_id", "review", "review_code", "due_date", "in_time", "sequence"]
    )
    frame.insert(0, "la_code", "806")
    frame["review"] = pd.to_datetime(frame["review"])
    frame["due_date"] = pd.to_datetime(frame["due_date"])
    for col in ("la_code", "child_id", "review_code"):
        frame[col] = frame[col].astype("string")
    frame["in_time"] = frame["in_time"].astype("boolean")
    frame["sequence"] = frame["sequence"].astype("Int64")
    return frame


def test_calendar_assumptions():
    hol = set(bank_holidays(2023, 2024))
    for day in ("2023-08-28", "2023-12-25", "2023-12-26", "2024-01-01"):
        assert pd.Timestamp(day).date() in hol


def test_first_review_20th_working_day_in_time_21st_late_across_christmas():
    # Care starts Friday 15 Dec 2023; with 25, 26 Dec and 1 Jan the 20th working day after it
    # is Wednesday 17 Jan 2024 and the 21st is Thursday 18 Jan.
    eps = episodes(ep("R1", "2023-12-15"), ep("R2", "2023-12-15"))
    rv = reviews(("R1", "2024-01-17", "PN1"), ("R2", "2024-01-18", "PN6"))
    got = review_timeliness(rv, eps)
    want = timeliness_frame(
        [
            ("R1", "2024-01-17", "PN1", "2024-01-17", True, 1),
            ("R2", "2024-01-18", "PN6", "2024-01-17", False, 1),
        ]
    )
    pd.testing.assert_frame_equal(got, want)


def test_review_on_bank_holiday_after_20th_working_day_is_in_time():
    # Care starts Friday 24 Nov 2023: the 20th working day is Friday 22 Dec; 23-26 Dec are not
    # working days, so a review on Boxing Day is still within 20 working days (DESIGN count).
    eps = episodes(ep("H1", "2023-11-24"), ep("H2", "2023-11-24"))
    rv = reviews(("H1", "2023-12-26", "PN1"), ("H2", "2023-12-27", "PN1"))
    got = review_timeliness(rv, eps)
    start = pd.Series(pd.to_datetime(["2023-11-24", "2023-11-24"]))
    assert working_days_after(start, got["review"]).tolist() == [20, 21]
    assert got["due_date"].tolist() == [pd.Timestamp("2023-12-26")] * 2
    assert got["in_time"].tolist() == [True, False]


def test_second_review_three_months_month_end_rule():
    # 2 Aug 2023 start; first review 31 Aug = 20th working day (28 Aug bank holiday).
    # 31 Aug + 3 months = 30 Nov; then + 6 months = 30 May.
    eps = episodes(ep("M1", "2023-08-02"), ep("M2", "2023-08-02"))
    rv = reviews(
        ("M1", "2023-08-31", "PN1"),
        ("M1", "2023-11-30", "PN1"),
        ("M1", "2024-05-30", "PN1"),
        ("M2", "2023-08-31", "PN1"),
        ("M2", "2023-12-01", "PN1"),
    )
    got = review_timeliness(rv, eps)
    want = timeliness_frame(
        [
            ("M1", "2023-08-31", "PN1", "2023-08-31", True, 1),
            ("M1", "2023-11-30", "PN1", "2023-11-30", True, 2),
            ("M1", "2024-05-30", "PN1", "2024-05-30", True, 3),
            ("M2", "2023-08-31", "PN1", "2023-08-31", True, 1),
            ("M2", "2023-12-01", "PN1", "2023-11-30", False, 2),
        ]
    )
    pd.testing.assert_frame_equal(got, want)


def test_second_review_31_january_to_30_april_and_leap_day():
    eps = episodes(
        ep("J1", "2024-01-03"),
        ep("J2", "2024-01-03"),
        ep("L1", "2023-11-02"),
        ep("L2", "2023-11-02"),
    )
    rv = reviews(
        ("J1", "2024-01-31", "PN1"),
        ("J1", "2024-04-30", "PN1"),
        ("J2", "2024-01-31", "PN1"),
        ("J2", "2024-05-01", "PN1"),
        ("L1", "2023-11-30", "PN1"),
        ("L1", "2024-02-29", "PN1"),
        ("L2", "2023-11-30", "PN1"),
        ("L2", "2024-03-01", "PN1"),
    )
    got = review_timeliness(rv, eps)
    want = timeliness_frame(
        [
            ("J1", "2024-01-31", "PN1", "2024-01-31", True, 1),
            ("J1", "2024-04-30", "PN1", "2024-04-30", True, 2),
            ("J2", "2024-01-31", "PN1", "2024-01-31", True, 1),
            ("J2", "2024-05-01", "PN1", "2024-04-30", False, 2),
            ("L1", "2023-11-30", "PN1", "2023-11-30", True, 1),
            ("L1", "2024-02-29", "PN1", "2024-02-29", True, 2),
            ("L2", "2023-11-30", "PN1", "2023-11-30", True, 1),
            ("L2", "2024-03-01", "PN1", "2024-02-29", False, 2),
        ]
    )
    pd.testing.assert_frame_equal(got, want)


def test_reentry_restarts_first_review_and_ceased_child_reviews_count():
    eps = episodes(ep("R", "2023-04-03", dec="2023-06-30", rec="E8"), ep("R", "2023-09-01"))
    rv = reviews(("R", "2023-04-20", "PN1"), ("R", "2023-09-20", "PN1"))
    got = review_timeliness(rv, eps)
    # After Mon 3 Apr 2023 (bank holidays 7 and 10 Apr, 1 May): 20th working day Thu 4 May.
    # After Fri 1 Sep 2023: 20th working day Fri 29 Sep, 21st Mon 2 Oct, so the last day within
    # 20 working days is Sun 1 Oct.
    want = timeliness_frame(
        [
            ("R", "2023-04-20", "PN1", "2023-05-04", True, 1),
            ("R", "2023-09-20", "PN1", "2023-10-01", True, 1),
        ]
    )
    pd.testing.assert_frame_equal(got, want)
    assert reviews_held(rv, PS, PE) == 2


def test_short_break_reviews_follow_regulation_48():
    # V3: each short break is its own episode; the reviews fall between breaks.
    eps = episodes(
        ep("S", "2023-05-01", ls="V3", dec="2023-05-03", rec="E8"),
        ep("S", "2023-06-01", ls="V3", dec="2023-06-03", rec="E8"),
        ep("T", "2023-05-01", ls="V4"),
    )
    rv = reviews(("S", "2023-08-01", "PN1"), ("S", "2024-02-01", "PN1"), ("T", "2023-08-02", "PN1"))
    got = review_timeliness(rv, eps)
    want = timeliness_frame(
        [
            ("S", "2023-08-01", "PN1", "2023-08-01", True, 1),
            ("S", "2024-02-01", "PN1", "2024-02-01", True, 2),
            ("T", "2023-08-02", "PN1", "2023-08-01", False, 1),
        ]
    )
    pd.testing.assert_frame_equal(got, want)
    # Without regulation 48: first due in 20 working days, second 3 months after the first.
    strict = review_timeliness(rv, eps, short_break_rule=False)
    assert strict["due_date"].tolist()[:2] == [
        pd.Timestamp("2023-05-31"),
        pd.Timestamp("2023-11-01"),
    ]
    assert strict["in_time"].tolist() == [False, False, False]


def test_reviews_from_and_unknown_starts_are_not_guessed():
    eps = episodes(
        ep("U", "2021-01-01"),  # started before the reviews
        ep("V", "2022-01-01", rne="P"),
    )  # start not in the episodes
    rv = reviews(
        ("U", "2023-05-01", "PN1"),
        ("U", "2023-10-15", "PN1"),
        ("V", "2023-05-01", "PN1"),
        ("V", "2023-11-02", "PN1"),
        ("W", "2023-05-01", "PN7"),
    )  # not looked after at all
    got = review_timeliness(rv, eps, reviews_from="2023-04-01")
    want = timeliness_frame(
        [
            ("U", "2023-05-01", "PN1", None, pd.NA, pd.NA),
            ("U", "2023-10-15", "PN1", "2023-11-01", True, 3),
            ("V", "2023-05-01", "PN1", None, pd.NA, pd.NA),
            ("V", "2023-11-02", "PN1", "2023-11-01", False, 3),
            ("W", "2023-05-01", "PN7", None, pd.NA, pd.NA),
        ]
    )
    pd.testing.assert_frame_equal(got, want)


def test_reviews_from_is_inferred_from_the_earliest_review():
    # Earliest review 1 May 2023 -> reviews held from 1 April 2023 (collection year 2023-24).
    eps = episodes(ep("U", "2021-01-01"))
    rv = reviews(("U", "2023-05-01", "PN1"), ("U", "2023-10-15", "PN1"))
    inferred = review_timeliness(rv, eps)
    assert inferred["sequence"].tolist() == [pd.NA, 3]
    assert inferred["in_time"].tolist() == [pd.NA, True]
    # Declared complete: the first review in the data is taken as the first of the period.
    # 20th working day after Fri 1 Jan 2021 is Fri 29 Jan; the 21st is Mon 1 Feb, so the last
    # day within 20 working days is Sun 31 Jan.
    complete = review_timeliness(rv, eps, reviews_from=None)
    assert complete["sequence"].tolist() == [1, 2]
    assert complete["due_date"].tolist() == [pd.Timestamp("2021-01-31"), pd.Timestamp("2023-08-01")]
    assert complete["in_time"].tolist() == [False, False]


def test_timeliness_moves_when_one_episode_changes():
    eps = episodes(ep("C", "2023-12-15"))
    rv = reviews(("C", "2024-01-18", "PN1"))
    assert not review_timeliness(rv, eps)["in_time"].item()
    eps.loc[0, "decom"] = pd.Timestamp("2023-12-18")
    assert review_timeliness(rv, eps)["in_time"].item()


def test_reviews_held_boundaries():
    rv = reviews(
        ("A", "2023-03-31", "PN1"),
        ("A", "2023-04-01", "PN1"),
        ("A", "2024-03-31", "PN1"),
        ("A", "2024-04-01", "PN1"),
    )
    assert reviews_held(rv, PS, PE) == 2


def test_reviews_in_timescale_pct_leaves_unjudged_out():
    tl = timeliness_frame(
        [
            ("A", "2023-05-01", "PN1", "2023-05-01", True, 2),
            ("A", "2023-11-01", "PN1", "2023-11-01", True, 3),
            ("B", "2023-06-01", "PN1", "2023-05-01", False, 2),
            ("C", "2023-06-01", "PN1", None, pd.NA, pd.NA),
            ("D", "2023-03-01", "PN1", "2023-02-01", False, 3),  # before the period
        ]
    )
    assert reviews_in_timescale_pct(tl, PS, PE) == pytest.approx(200 / 3)
    assert math.isnan(reviews_in_timescale_pct(tl, "2025-04-01", "2026-03-31"))


def test_monthly_review_timeliness():
    tl = timeliness_frame(
        [
            ("A", "2023-04-01", "PN1", "2023-04-01", True, 2),
            ("B", "2023-04-30", "PN1", "2023-04-01", False, 2),
            ("C", "2023-06-30", "PN1", "2023-07-01", True, 3),
            ("D", "2023-07-01", "PN1", "2023-07-01", True, 3),  # after the period
        ]
    )
    got = monthly_review_timeliness(tl, "2023-04-01", "2023-06-30")
    want = pd.DataFrame(
        {
            "month": pd.to_datetime(["2023-04-01", "2023-05-01", "2023-06-01"]),
            "reviews": pd.Series([2, 0, 1], dtype="int64"),
            "in_time": pd.Series([1, 0, 1], dtype="int64"),
            "in_time_pct": [50.0, np.nan, 100.0],
        }
    )
    pd.testing.assert_frame_equal(got, want, check_freq=False)


def test_participation_pn0_in_denominator():
    rv = reviews(
        ("A", "2023-05-01", "PN0"),
        ("B", "2023-06-01", "PN0"),
        ("C", "2023-07-01", "PN1"),
        ("D", "2023-08-01", "PN7"),
        ("E", "2024-04-01", "PN6"),
    )  # after the period
    got = review_participation(rv, PS, PE)
    want = pd.DataFrame(
        {
            "code": pd.Series([f"PN{i}" for i in range(8)], dtype="object"),
            "count": pd.Series([2, 1, 0, 0, 0, 0, 0, 1], dtype="int64"),
            "percent": [50.0, 25.0, 0.0, 0.0, 0.0, 0.0, 0.0, 25.0],
        }
    )
    pd.testing.assert_frame_equal(got, want)
    assert views_conveyed_pct(rv, PS, PE) == 25.0


def test_published_participation_middlesbrough_2023_24():
    # Seed 003, "Review participation" 2023-24: 1252 reviews; "72.6% ... via PN1 to PN6".
    published = {
        "PN0": (228, 18.2),
        "PN1": (395, 31.5),
        "PN2": (11, 0.9),
        "PN3": (2, 0.2),
        "PN4": (4, 0.3),
        "PN5": (15, 1.2),
        "PN6": (482, 38.5),
        "PN7": (115, 9.2),
    }
    rows = [
        (f"{code}-{i}", "2023-10-01", code) for code, (n, _) in published.items() for i in range(n)
    ]
    rv = reviews(*rows)
    assert reviews_held(rv, PS, PE) == 1252
    got = review_participation(rv, PS, PE).set_index("code")
    for code, (n, pct) in published.items():
        assert got.loc[code, "count"] == n
        assert round(got.loc[code, "percent"], 1) == pct
    assert round(views_conveyed_pct(rv, PS, PE), 1) == 72.6
