"""Child protection over time and by outcome: hand-computed edge cases.

Month arithmetic by the month rule (DESIGN section 5), worked by hand: 31 Dec 2022 + 15 months =
31 Mar 2024; 30 Nov 2023 + 3 months = 29 Feb 2024 (2024 is a leap year, day 30 clamps to 29);
31 Dec 2022 + 14 months = 29 Feb 2024.
"""

import math

import numpy as np
import pandas as pd
import pytest

from analysis import cp

T = pd.Timestamp
LA = "806"


def plans(rows):
    """rows: (child_id, cpp_start, cpp_end)."""
    child, start, end = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "la_code": LA,
            "child_id": list(child),
            "referral_date": pd.NaT,
            "cpp_start": pd.to_datetime(list(start)),
            "cpp_end": pd.to_datetime(list(end)),
            "initial_category": "NEG",
            "latest_category": "NEG",
            "number_previous_cpp": pd.array([0] * len(child), dtype="Int64"),
        }
    )


# ------------------------------------------------------------------------------------------
# ICPC outcomes
# ------------------------------------------------------------------------------------------
def test_icpc_outcomes_add_up_to_all_icpcs():
    table = pd.DataFrame({"outcome": ["CP plan", "CP plan", "CIN plan", "No further action"]})
    out = cp.icpc_outcomes(table)
    assert out["code"].tolist() == ["CP plan", "CIN plan", "No further action", "All ICPCs"]
    assert out["count"].tolist() == [2, 1, 1, 4]
    assert out["percent"].tolist() == [50.0, 25.0, 25.0, 100.0]


def test_icpc_outcomes_without_cin_plans_and_empty():
    without = cp.icpc_outcomes(pd.DataFrame({"outcome": ["CP plan", "No CP plan", "No CP plan"]}))
    assert without["code"].tolist() == ["CP plan", "No CP plan", "All ICPCs"]
    assert without["count"].tolist() == [1, 2, 3]
    empty = cp.icpc_outcomes(pd.DataFrame({"outcome": pd.Series([], dtype=object)}))
    assert empty["count"].tolist() == [0, 0, 0, 0]
    assert empty["percent"].isna().all()


# ------------------------------------------------------------------------------------------
# review conferences by month
# ------------------------------------------------------------------------------------------
def test_review_conferences_by_month_and_year():
    reviews = pd.DataFrame(
        {
            "review_date": pd.to_datetime(
                ["2023-03-31", "2023-04-03", "2023-04-28", "2023-06-30", "2023-07-01"]
            ),
            "in_time": [True, True, False, True, False],
        }
    )
    in_period = reviews.iloc[1:4]
    monthly = cp.monthly_review_conference_timeliness(reviews, "2023-04-01", "2023-06-30")
    assert monthly["month"].tolist() == [T("2023-04-01"), T("2023-05-01"), T("2023-06-01")]
    assert monthly["reviews"].tolist() == [2, 0, 1]
    assert monthly["in_time"].tolist() == [1, 0, 1]
    assert monthly["in_time_pct"].iloc[0] == 50.0
    assert math.isnan(monthly["in_time_pct"].iloc[1])
    assert monthly["in_time_pct"].iloc[2] == 100.0
    summary = cp.review_conference_summary(in_period)
    assert summary["reviews"] == 3 and summary["in_time"] == 2
    assert summary["in_time_pct"] == pytest.approx(200 / 3)
    assert math.isnan(cp.review_conference_summary(reviews.iloc[:0])["in_time_pct"])


# ------------------------------------------------------------------------------------------
# plans by length at each month end
# ------------------------------------------------------------------------------------------
def test_durations_monthly_bands_long_plans_and_look_ahead():
    p = plans(
        [
            ("A", "2022-12-31", None),  # 13, 14, 15 months: reaches 15+ on 31 Mar 2024
            ("B", "2021-12-15", None),  # 25+ months throughout: 15+ and 24+
            ("C", "2024-01-31", "2024-03-31"),  # starts on 31 Jan (open), ends on 31 Mar (not)
            ("D", "2023-11-30", None),  # 2 months; exactly 3 on 29 Feb; 4 on 31 Mar
        ]
    )
    out = cp.durations_monthly(p, "2024-01-01", "2024-03-31")
    assert list(out.columns) == list(cp.DURATION_MONTHLY_COLUMNS)
    assert out["month_end"].tolist() == [T("2024-01-31"), T("2024-02-29"), T("2024-03-31")]
    assert out["open_plans"].tolist() == [4, 4, 3]
    assert out["3_months_or_less"].tolist() == [2, 2, 0]
    assert out["more_than_3_months_6_months"].tolist() == [0, 0, 1]
    assert out["more_than_6_months_less_than_1_year"].tolist() == [0, 0, 0]
    assert out["1_year_less_than_2_years"].tolist() == [1, 1, 1]
    assert out["2_years_or_more"].tolist() == [1, 1, 1]
    assert out["months_15_plus"].tolist() == [1, 1, 2]
    assert out["months_24_plus"].tolist() == [1, 1, 1]
    # A reaches 15 months on 31 Mar 2024: within 3 months of 31 Jan and of 29 Feb, not after
    assert out["reaching_15_months_next_3_months"].tolist() == [1, 1, 0]
    bands = out[[c for c in cp.DURATION_MONTHLY_COLUMNS if c[0].isdigit() or c.startswith("more")]]
    assert (bands.sum(axis=1) == out["open_plans"]).all()


# ------------------------------------------------------------------------------------------
# plans and rate at year ends
# ------------------------------------------------------------------------------------------
def test_cp_rate_at_counts_children_and_handles_missing_population():
    p = plans(
        [
            ("A", "2022-05-01", None),
            ("A", "2022-06-01", "2023-01-01"),  # same child, overlapping: counted once
            ("B", "2022-01-01", "2023-03-31"),  # ends on 31 March: not on a plan that day
            ("C", "2023-03-31", None),  # starts on 31 March: on a plan
        ]
    )
    out = cp.cp_rate_at(p, {"2024-03-31": None, "2023-03-31": 2000, "2022-03-31": 0})
    assert out["year_ending"].tolist() == [2022, 2023, 2024]
    assert out["count"].tolist() == [1, 2, 2]
    assert math.isnan(out["rate_per_10k"].iloc[0])  # population 0
    assert out["rate_per_10k"].iloc[1] == 10.0  # 2 / 2000 x 10,000
    assert math.isnan(out["rate_per_10k"].iloc[2])  # population not known


def test_rate_comparison_puts_this_report_first():
    ours = pd.DataFrame(
        {"date": [T("2024-03-31")], "year_ending": [2024], "count": [5], "rate_per_10k": [1.5]}
    )
    published = pd.DataFrame(
        {
            "year_ending": [2024, 2024],
            "area": ["North East", "England"],
            "count": [3540.0, np.nan],
            "rate_per_10k": [65.8, np.nan],
        }
    )
    out = cp.rate_comparison(ours, published, "X (this report)")
    assert out["area"].tolist() == ["X (this report)", "North East", "England"]
    assert out["count"].tolist()[:2] == [5, 3540]
    assert out["count"].isna().tolist() == [False, False, True]


def test_population_by_sex_lists_every_code():
    out = cp.population_by_sex(300, 100)
    assert out["code"].tolist() == ["1", "2", "0", "9"]
    assert out["count"].tolist()[:2] == [300, 100]
    assert out["count"].isna().tolist() == [False, False, True, True]
    assert out["percent"].tolist()[:2] == [75.0, 25.0]
    assert cp.population_by_sex(None, 100)["percent"].isna().all()


# ------------------------------------------------------------------------------------------
# children on a plan, code descriptions
# ------------------------------------------------------------------------------------------
def test_children_on_plan_at_one_row_per_child_with_characteristics():
    p = plans([("A", "2023-01-01", None), ("A", "2023-06-01", None), ("B", "2023-02-01", None)])
    children = pd.DataFrame(
        {
            "la_code": LA,
            "child_id": ["A", "A"],
            "sex": [2, 2],
            "dob": pd.NaT,
            "ethnicity": ["WIRI", "WBRI"],  # the later row wins
        }
    )
    out = cp.children_on_plan_at(p, children, "2024-03-31")
    assert out["child_id"].tolist() == ["A", "B"]
    assert out["cpp_start"].tolist() == [T("2023-06-01"), T("2023-02-01")]
    assert out["ethnicity"].iloc[0] == "WBRI"
    assert pd.isna(out["ethnicity"].iloc[1])


def test_describe_code():
    assert cp.describe_code("category", "NEG") == "Neglect"
    assert cp.describe_code("sex", "2") == "Female"
    assert cp.describe_code("ethnicity", "WBRI") == "White British"
    assert cp.describe_code("ethnicity", "Missing") == "Not recorded"
    assert cp.describe_code("ethnicity", "ZZZZ") == "ZZZZ"
    with pytest.raises(ValueError, match="kind must be one of"):
        cp.describe_code("colour", "NEG")
