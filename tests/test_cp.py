"""Child protection measures on hand-computed edge cases (DESIGN section 5 conventions).

Every expected value below is worked out by hand from the dates in the test, with the working
day counts checked against a printed calendar (England bank holidays: Good Friday 29 Mar 2024,
Easter Monday 1 Apr 2024, early May bank holiday 6 May 2024).
"""

import math

import numpy as np
import pandas as pd
import pytest

from analysis import cp

T = pd.Timestamp
NaT = pd.NaT
LA = "806"


def plans(rows):
    """rows: (child_id, cpp_start, cpp_end, latest_category, number_previous_cpp)."""
    child, start, end, cat, prev = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "la_code": LA,
            "child_id": list(child),
            "referral_date": pd.NaT,
            "cpp_start": pd.to_datetime(list(start)),
            "cpp_end": pd.to_datetime(list(end)),
            "initial_category": list(cat),
            "latest_category": list(cat),
            "number_previous_cpp": pd.array(list(prev), dtype="Int64"),
        }
    )


def s47_table(rows):
    """rows: (child_id, s47_start, icpc_date)."""
    child, start, icpc = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "la_code": LA,
            "child_id": list(child),
            "referral_date": pd.NaT,
            "s47_start": pd.to_datetime(list(start)),
            "icpc_target": pd.NaT,
            "icpc_date": pd.to_datetime(list(icpc)),
            "icpc_not_required": False,
        }
    )


def cin_plan_table(rows):
    child, start, end = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "la_code": LA,
            "child_id": list(child),
            "referral_date": pd.NaT,
            "cin_plan_start": pd.to_datetime(list(start)),
            "cin_plan_end": pd.to_datetime(list(end)),
        }
    )


# ------------------------------------------------------------------------------------------
# open at a date
# ------------------------------------------------------------------------------------------
def test_open_at_plan_starting_on_date_is_open_and_ending_on_date_is_not():
    p = plans(
        [
            ("starts_on_date", "2024-03-31", None, "NEG", 0),
            ("ends_on_date", "2023-06-01", "2024-03-31", "NEG", 0),
            ("ends_day_after", "2023-06-01", "2024-04-01", "EMO", 0),
            ("starts_day_after", "2024-04-01", None, "NEG", 0),
        ]
    )
    open_plans = cp.cp_plans_open_at(p, "2024-03-31")
    assert open_plans["child_id"].tolist() == ["starts_on_date", "ends_day_after"]
    assert cp.cp_count_at(p, "2024-03-31") == 2


def test_count_at_counts_children_not_plans():
    p = plans(
        [
            ("a", "2023-05-01", None, "NEG", 0),
            ("a", "2023-09-01", None, "EMO", 1),  # overlapping second plan (data error)
            ("b", "2023-09-01", None, "EMO", 0),
        ]
    )
    assert len(cp.cp_plans_open_at(p, "2024-03-31")) == 3
    assert cp.cp_count_at(p, "2024-03-31") == 2


# ------------------------------------------------------------------------------------------
# durations (month rule)
# ------------------------------------------------------------------------------------------
def test_plan_duration_months_month_rule():
    starts = pd.Series(pd.to_datetime(["2022-12-31", "2023-01-01", "2023-08-31", "2024-03-31"]))
    got = cp.plan_duration_months(starts, "2024-03-31")
    expected = pd.Series([15, 14, 7, 0], dtype="Int64")
    pd.testing.assert_series_equal(got, expected)


def test_month_end_rule_31_august_plus_6_months():
    start = pd.Series(pd.to_datetime(["2023-08-31"] * 3))
    dates = pd.Series(pd.to_datetime(["2024-02-28", "2024-02-29", "2024-03-01"]))
    # 31 Aug 2023 + 6 months = 29 Feb 2024
    pd.testing.assert_series_equal(
        cp.plan_duration_months(start, dates), pd.Series([5, 6, 6], dtype="Int64")
    )
    # exactly 6 months is still "more than 3 months to 6 months"; a day later is "more than 6"
    assert cp.plan_duration_band(start, dates).tolist() == [
        "More than 3 months to 6 months",
        "More than 3 months to 6 months",
        "More than 6 months to less than 1 year",
    ]


def test_duration_band_without_exact_flag_puts_whole_3_months_above():
    got = cp.duration_band(pd.Series([0, 2, 3, 5, 6, 11, 12, 23, 24, 40]))
    assert got.tolist() == [
        "3 months or less",
        "3 months or less",
        "More than 3 months to 6 months",
        "More than 3 months to 6 months",
        "More than 6 months to less than 1 year",
        "More than 6 months to less than 1 year",
        "1 year to less than 2 years",
        "1 year to less than 2 years",
        "2 years or more",
        "2 years or more",
    ]


def test_plans_by_duration_at_dfe_d5_boundaries():
    p = plans(
        [
            ("a", "2024-03-31", None, "NEG", 0),  # 0 months -> 3 or less
            ("b", "2023-12-31", None, "NEG", 0),  # exactly 3 months -> 3 or less
            ("c", "2023-12-30", None, "NEG", 0),  # 3 months 1 day -> >3 to 6
            (
                "d",
                "2023-09-30",
                None,
                "NEG",
                0,
            ),  # 6 months 1 day (30 Sep + 6 = 30 Mar) -> >6 to <12
            ("e", "2023-04-01", None, "NEG", 0),  # 11 months 30 days -> >6 to <12
            ("f", "2023-03-31", None, "NEG", 0),  # exactly 12 months -> 1 to <2 years
            ("g", "2022-04-01", None, "NEG", 0),  # 23 months -> 1 to <2 years
            ("h", "2022-03-31", None, "NEG", 0),  # exactly 24 months -> 2 years or more
            ("closed", "2020-01-01", "2024-03-31", "NEG", 0),  # ended on the date: not open
        ]
    )
    expected = pd.DataFrame(
        {
            "code": [
                "3 months or less",
                "More than 3 months to 6 months",
                "More than 6 months to less than 1 year",
                "1 year to less than 2 years",
                "2 years or more",
            ],
            "count": np.array([2, 1, 2, 2, 1], dtype="int64"),
            "percent": [25.0, 12.5, 25.0, 25.0, 12.5],
        }
    )
    pd.testing.assert_frame_equal(cp.plans_by_duration_at(p, "2024-03-31"), expected)
    assert cp.DURATION_BAND_D5_COLUMNS["3 months or less"] == "3_months_or_less"


def test_ended_plans_by_duration_uses_end_date():
    p = plans(
        [
            ("a", "2023-01-10", "2023-04-10", "NEG", 0),  # exactly 3 months, ended in period
            ("b", "2022-01-01", "2024-03-31", "NEG", 0),  # 26 months, ended on period end
            ("c", "2023-06-01", "2024-04-01", "NEG", 0),  # ended after the period
            ("d", "2023-06-01", None, "NEG", 0),  # open
        ]
    )
    got = cp.ended_plans_by_duration(p, "2023-04-01", "2024-03-31")
    assert got["count"].tolist() == [1, 0, 0, 0, 1]
    assert got["percent"].tolist() == [50.0, 0.0, 0.0, 0.0, 50.0]


def test_15_and_24_months_plus_cumulative():
    p = plans(
        [
            ("exactly_15", "2022-12-31", None, "NEG", 0),  # 31 Dec 2022 + 15 months = 31 Mar 2024
            ("not_yet_15", "2023-01-01", None, "NEG", 0),
            ("exactly_24", "2022-03-31", None, "NEG", 0),  # also 15+
            ("23_months", "2022-04-01", None, "NEG", 0),
            ("ended_on_date", "2020-01-01", "2024-03-31", "NEG", 0),
        ]
    )
    assert cp.plans_15_months_plus_at(p, "2024-03-31") == 3
    assert cp.plans_24_months_plus_at(p, "2024-03-31") == 1


def test_reaching_15_months_in_next_three_months():
    p = plans(
        [
            ("already_15", "2022-12-31", None, "NEG", 0),  # already 15+: not counted
            ("reaches_1_apr", "2023-01-01", None, "NEG", 0),  # 15 months on 1 Apr 2024
            (
                "reaches_30_jun",
                "2023-03-31",
                None,
                "NEG",
                0,
            ),  # 15 months on 30 Jun 2024 (inclusive)
            ("reaches_1_jul", "2023-04-01", None, "NEG", 0),  # 1 Jul 2024: beyond 3 months
            ("closed", "2023-02-01", "2024-03-01", "NEG", 0),
        ]
    )
    assert cp.reaching_15_months(p, "2024-03-31") == 2
    assert cp.reaching_15_months(p, "2024-03-31", horizon_months=4) == 3


# ------------------------------------------------------------------------------------------
# plans started, second or subsequent
# ------------------------------------------------------------------------------------------
def test_second_subsequent_plans_ever():
    p = plans(
        [
            ("a", "2022-05-01", "2022-12-01", "NEG", 0),
            ("a", "2023-06-01", None, "NEG", 0),  # NumberOfPreviousCPP 0 but earlier plan in data
            ("b", "2023-07-01", None, "EMO", 2),  # previous plans recorded, none in data
            ("c", "2023-08-01", None, "NEG", 0),  # first plan
            ("d", "2023-09-01", None, "NEG", None),  # blank number, no earlier plan
            ("e", "2024-04-01", None, "NEG", 1),  # starts after the period
        ]
    )
    started = cp.plans_started(p, "2023-04-01", "2024-03-31")
    assert started["child_id"].tolist() == ["a", "b", "c", "d"]
    got = cp.second_subsequent_plans(p, "2023-04-01", "2024-03-31")
    expected = plans(
        [
            ("a", "2023-06-01", None, "NEG", 0),
            ("b", "2023-07-01", None, "EMO", 2),
        ]
    ).assign(earlier_plan_in_data=[True, False])
    pd.testing.assert_frame_equal(got, expected)


# ------------------------------------------------------------------------------------------
# ICPCs
# ------------------------------------------------------------------------------------------
S47 = s47_table(
    [
        # Wed 20 Mar 2024 -> Fri 12 Apr 2024: Good Friday and Easter Monday skipped -> 15 days
        ("x", "2024-03-20", "2024-04-12"),
        # -> Mon 15 Apr 2024: 16 working days (late)
        ("y", "2024-03-20", "2024-04-15"),
        # Wed 1 May -> Mon 20 May 2024, May Day 6 May skipped: 12 days
        ("z", "2024-05-01", "2024-05-20"),
        # -> Tue 21 May: 13 days
        ("w", "2024-05-01", "2024-05-21"),
        # Tue 10 Sep -> Mon 30 Sep 2024 (period end, inclusive): 14 days
        ("t", "2024-09-10", "2024-09-30"),
        ("v", "2024-03-01", "2024-03-28"),  # conference before the period
        ("u", "2024-05-01", None),  # no conference
    ]
)
CP_PLANS = plans(
    [
        ("x", "2024-04-12", None, "NEG", 0),  # starts on the conference date: led to a plan
        ("y", "2024-04-16", None, "NEG", 0),  # starts a day later: not "led to a plan"
    ]
)
CIN_PLANS = cin_plan_table(
    [
        ("z", "2024-06-19", None),  # 30 days after the ICPC: CIN plan outcome
        ("w", "2024-06-21", None),  # 31 days after: not
        ("t", "2024-01-01", None),  # open on the conference date
    ]
)


def test_icpcs_timeliness_plan_and_outcome():
    got = cp.icpcs(S47, CP_PLANS, "2024-04-01", "2024-09-30", cin_plans=CIN_PLANS)
    expected = pd.DataFrame(
        {
            "la_code": LA,
            "child_id": ["x", "y", "z", "w", "t"],
            "s47_start": pd.to_datetime(
                ["2024-03-20", "2024-03-20", "2024-05-01", "2024-05-01", "2024-09-10"]
            ),
            "icpc_date": pd.to_datetime(
                ["2024-04-12", "2024-04-15", "2024-05-20", "2024-05-21", "2024-09-30"]
            ),
            "working_days": pd.array([15, 16, 12, 13, 14], dtype="Int64"),
            "within_15_days": [True, False, True, True, True],
            "led_to_plan": [True, False, False, False, False],
            "outcome": [
                "CP plan",
                "No further action",
                "CIN plan",
                "No further action",
                "CIN plan",
            ],
        }
    )
    pd.testing.assert_frame_equal(got, expected)


def test_icpcs_without_cin_plans_says_no_cp_plan():
    got = cp.icpcs(S47, CP_PLANS, "2024-04-01", "2024-09-30")
    assert got["outcome"].tolist() == ["CP plan"] + ["No CP plan"] * 4


def test_icpc_summary_and_monthly():
    table = cp.icpcs(S47, CP_PLANS, "2024-04-01", "2024-09-30", cin_plans=CIN_PLANS)
    summary = cp.icpc_summary(table)
    assert summary == {
        "icpc_count": 5,
        "within_15_days_count": 4,
        "within_15_days_pct": 80.0,
        "no_plan_count": 4,
        "no_plan_pct": 80.0,
    }
    monthly = cp.monthly_icpc_timeliness(table, "2024-04-01", "2024-09-30")
    expected = pd.DataFrame(
        {
            "month": pd.date_range("2024-04-01", "2024-09-01", freq="MS"),
            "icpcs": np.array([2, 2, 0, 0, 0, 1], dtype="int64"),
            "within_15_days": np.array([1, 2, 0, 0, 0, 1], dtype="int64"),
            "within_15_days_pct": [50.0, 100.0, np.nan, np.nan, np.nan, 100.0],
        }
    )
    pd.testing.assert_frame_equal(monthly, expected)


def test_icpc_summary_empty():
    table = cp.icpcs(S47, CP_PLANS, "2025-04-01", "2025-09-30")
    summary = cp.icpc_summary(table)
    assert summary["icpc_count"] == 0 and math.isnan(summary["within_15_days_pct"])


def test_two_enquiries_one_conference_timed_from_earlier_start():
    s = s47_table(
        [
            ("k", "2024-05-01", "2024-05-20"),  # 12 working days
            ("k", "2024-05-08", "2024-05-20"),  # second enquiry, same conference
        ]
    )
    got = cp.icpcs(s, CP_PLANS, "2024-04-01", "2024-09-30")
    assert len(got) == 1
    assert got.loc[0, "s47_start"] == T("2024-05-01") and got.loc[0, "working_days"] == 12


# ------------------------------------------------------------------------------------------
# review conferences
# ------------------------------------------------------------------------------------------
def test_review_conference_timeliness():
    p = plans(
        [
            ("a", "2023-08-31", None, "NEG", 0),
            ("b", "2023-11-30", "2024-06-01", "NEG", 0),
            ("d", "2023-05-31", "2024-02-29", "NEG", 0),
        ]
    )
    reviews = pd.DataFrame(
        {
            "la_code": LA,
            "child_id": ["a", "a", "a", "b", "b", "d", "d", "e"],
            "cpp_start": pd.to_datetime(
                ["2023-08-31"] * 3 + ["2023-11-30"] * 2 + ["2023-05-31"] * 2 + ["2024-01-10"]
            ),
            "review_date": pd.to_datetime(
                [
                    "2023-11-30",  # a first: due 30 Nov 2023, before the period
                    "2024-05-31",  # a second: due 30 Nov 2023 + 6 = 30 May 2024 -> late
                    "2024-11-30",  # a third: due 31 May + 6 = 30 Nov 2024 -> in time
                    "2024-03-01",  # b first: due 30 Nov + 3 = 29 Feb 2024 -> late
                    "2024-03-01",  # duplicate row of the same conference
                    "2023-08-31",  # d first: due 31 May + 3 = 31 Aug -> in time (before period)
                    "2024-02-29",  # d second, on plan end: due 31 Aug + 6 = 29 Feb 2024 -> in time
                    "2024-01-01",  # e: dated before its plan start, dropped
                ]
            ),
        }
    )
    got = cp.review_conference_timeliness(reviews, p, "2024-01-01", "2024-12-31")
    expected = pd.DataFrame(
        {
            "la_code": LA,
            "child_id": ["d", "b", "a", "a"],
            "cpp_start": pd.to_datetime(["2023-05-31", "2023-11-30", "2023-08-31", "2023-08-31"]),
            "cpp_end": pd.to_datetime(["2024-02-29", "2024-06-01", None, None]),
            "review_date": pd.to_datetime(["2024-02-29", "2024-03-01", "2024-05-31", "2024-11-30"]),
            "review_number": np.array([2, 1, 2, 3], dtype="int64"),
            "previous_date": pd.to_datetime(
                ["2023-08-31", "2023-11-30", "2023-11-30", "2024-05-31"]
            ),
            "due_date": pd.to_datetime(["2024-02-29", "2024-02-29", "2024-05-30", "2024-11-30"]),
            "in_time": [True, False, False, True],
        }
    )
    pd.testing.assert_frame_equal(got, expected)


# ------------------------------------------------------------------------------------------
# characteristics
# ------------------------------------------------------------------------------------------
CHAR_PLANS = plans(
    [
        ("a", "2023-05-01", None, "NEG", 0),
        ("b", "2023-06-01", None, "NEG", 0),
        ("c", "2023-07-01", None, "EMO", 0),
        ("d", "2023-08-01", None, "MUL", 0),
        ("e", "2023-08-01", "2024-01-01", "PHY", 0),  # closed
    ]
)


def test_cp_by_category_lists_every_xsd_code():
    expected = pd.DataFrame(
        {
            "code": ["NEG", "PHY", "SAB", "EMO", "MUL"],
            "count": np.array([2, 0, 0, 1, 1], dtype="int64"),
            "percent": [50.0, 0.0, 0.0, 25.0, 25.0],
        }
    )
    pd.testing.assert_frame_equal(cp.cp_by_category_at(CHAR_PLANS, "2024-03-31"), expected)


def test_cp_by_sex_and_ethnicity():
    children = pd.DataFrame(
        {
            "la_code": LA,
            "child_id": ["a", "b", "c", "e"],
            "sex": [1, 2, 1, 2],
            "dob": pd.NaT,
            "ethnicity": ["WBRI", "WBRI", "APKN", "WBRI"],
        }
    )
    expected = pd.DataFrame(
        {
            "code": ["1", "2", "0", "9", "Missing"],  # child d has no cin_children row
            "count": np.array([2, 1, 0, 0, 1], dtype="int64"),
            "percent": [50.0, 25.0, 0.0, 0.0, 25.0],
        }
    )
    pd.testing.assert_frame_equal(cp.cp_by_sex_at(CHAR_PLANS, children, "2024-03-31"), expected)
    eth = cp.cp_by_ethnicity_at(CHAR_PLANS, children, "2024-03-31").set_index("code")
    assert len(eth) == 21  # 20 XSD codes + Missing
    assert eth.loc["WBRI", "count"] == 2 and eth.loc["APKN", "count"] == 1
    assert eth.loc["Missing", "count"] == 1 and eth.loc["NOBT", "count"] == 0


# ------------------------------------------------------------------------------------------
# summary
# ------------------------------------------------------------------------------------------
def test_cp_summary():
    p = plans(
        [
            ("a", "2022-05-01", "2022-12-01", "NEG", 0),
            ("a", "2023-06-01", None, "NEG", 0),  # repeat via data; 9 months at 31 Mar 2024
            ("b", "2022-12-31", None, "NEG", 2),  # exactly 15 months; started before the year
            ("c", "2022-03-31", None, "EMO", 0),  # exactly 24 months
            ("d", "2024-01-15", None, "NEG", 0),
            ("e", "2023-05-10", "2023-11-10", "NEG", 0),
        ]
    )
    s = s47_table(
        [
            ("d", "2024-01-02", "2024-01-15"),  # 9 working days, plan on the day
            ("e", "2023-04-03", "2023-05-10"),  # late, plan on the day
            ("f", "2023-07-03", "2023-07-10"),  # 5 working days, no plan
        ]
    )
    got = cp.cp_summary(p, s, 2000, "2023-04-01", "2024-03-31")
    assert (
        got["measure"].tolist()
        == list(cp.CP_SUMMARY_MEASURES)
        == [
            "cp_plans_count",
            "cp_rate_per_10k",
            "plans_started_count",
            "second_subsequent_count",
            "second_subsequent_pct",
            "icpc_count",
            "icpc_within_15_days_pct",
            "icpc_no_plan_count",
            "plans_15_months_plus_count",
            "plans_24_months_plus_count",
        ]
    )
    expected = [4, 20.0, 3, 1, 100 / 3, 3, 200 / 3, 1, 2, 1]
    assert got["value"].tolist() == pytest.approx(expected)
    ints = [0, 2, 3, 5, 7, 8, 9]
    assert all(type(got["value"][i]) is int for i in ints)
    assert all(type(got["value"][i]) is float for i in (1, 4, 6))
    assert math.isnan(cp.cp_summary(p, s, None, "2023-04-01", "2024-03-31")["value"][1])
