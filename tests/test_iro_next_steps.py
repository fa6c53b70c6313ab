"""The next-steps table: baselines from the data, targets from the parameters, worded goals."""

import math

import pandas as pd
import pytest
from cla_frames import children, ep, episodes, reviews

from analysis import cla
from analysis.iro import next_steps

T = pd.Timestamp


def baselines():
    return {
        "iro_caseload_per_fte": (66.04, 911),
        "views_conveyed_pct": (72.6, None),
        "reviews_in_timescale_pct": (85.0, None),
        "review_conferences_in_timescale_pct": (76.3, None),
        "icpc_within_15_days_pct": (61.3, None),
        "cp_plans_15_months_plus_pct": (16.56, 53),
    }


def test_table_order_targets_and_missing_targets():
    out = next_steps.next_steps_table(baselines(), {"icpc_within_15_days_pct": 95.0})
    assert list(out.columns) == next_steps.NEXT_STEPS_COLUMNS
    assert out["goal_id"].tolist() == list(next_steps.GOALS)
    target = out.set_index("goal_id")["target"]
    assert target["icpc_within_15_days_pct"] == 95.0
    assert target["iro_caseload_per_fte"] == 70.0  # the IRO Handbook maximum, not a parameter
    assert math.isnan(target["reviews_in_timescale_pct"])
    children_col = out.set_index("goal_id")["children"]
    assert children_col["cp_plans_15_months_plus_pct"] == 53
    assert pd.isna(children_col["views_conveyed_pct"])
    with pytest.raises(KeyError, match="unknown next-steps goals: nonsense"):
        next_steps.next_steps_table({"nonsense": (1.0, None)}, {})


def published(changes=None):
    """The table as published (rounded to 1 dp), with cells replaced by ``changes``."""
    out = next_steps.next_steps_table(
        baselines(),
        {
            "icpc_within_15_days_pct": 95,
            "review_conferences_in_timescale_pct": 95,
            "cp_plans_15_months_plus_pct": 10,
        },
    )
    out["baseline"] = out["baseline"].round(1).astype(object)
    out["children"] = out["children"].astype(object)
    for (goal, column), value in (changes or {}).items():
        out.loc[out["goal_id"] == goal, column] = value
    return out


def goal_text(view, goal_id):
    return view["Goal"].iloc[list(next_steps.GOALS).index(goal_id)]


def test_view_words_each_goal_from_the_published_cells():
    view = next_steps.next_steps_view(published(), "2023-24")
    assert list(view.columns) == ["Goal", "Baseline measure", "Review"]
    assert goal_text(view, "icpc_within_15_days_pct") == (
        "Increase the share of initial child protection conferences held within 15 working days "
        "from 61.3% in 2023-24 to 95%"
    )
    assert goal_text(view, "reviews_in_timescale_pct") == (
        "Increase the share of CLA reviews held in timescale from 85.0% in 2023-24 (no target set)"
    )
    assert goal_text(view, "cp_plans_15_months_plus_pct") == (
        "Reduce the share of children on a child protection plan for 15 months or more from 53 "
        "children (16.6% of children on a plan) in 2023-24 to 10% of children on a plan"
    )
    assert goal_text(view, "iro_caseload_per_fte") == (
        "Sustain IRO caseloads within the IRO Handbook range of 50-70 children per full-time IRO "
        "(66.0 in the last month of 2023-24)"
    )


def test_view_with_suppressed_count_and_missing_input():
    view = next_steps.next_steps_view(
        published(
            {
                ("cp_plans_15_months_plus_pct", "children"): "c",
                ("cp_plans_15_months_plus_pct", "baseline"): "c",
            }
        ),
        "2023-24",
        missing={"iro_caseload_per_fte": "IRO caseload extract (caseload.csv)"},
    )
    assert goal_text(view, "cp_plans_15_months_plus_pct").startswith(
        "Reduce the share of children on a child protection plan for 15 months or more from "
        "fewer than 6 children in 2023-24 to 10%"
    )
    assert goal_text(view, "iro_caseload_per_fte").endswith(
        "(no baseline: the IRO caseload extract (caseload.csv) was not supplied)"
    )


def test_baselines_come_from_the_sections_definitions():
    # CLA: one child in care from 2 Jan 2023, reviews in the year coded PN1 and PN7
    eps = episodes(ep("A", "2023-01-02"))
    kids = children(("A", 1, "2012-06-15", "WBRI"))
    revs = reviews(
        ("A", "2023-01-27", "PN1"), ("A", "2023-04-20", "PN1"), ("A", "2023-11-01", "PN7")
    )
    # CP: P on a plan since 1 Oct 2022 (17 months on 31 Mar 2024), Q since 15 Jan 2024
    plans = pd.DataFrame(
        {
            "la_code": "806",
            "child_id": ["P", "Q"],
            "referral_date": pd.NaT,
            "cpp_start": pd.to_datetime(["2022-10-01", "2024-01-15"]),
            "cpp_end": pd.NaT,
            "initial_category": "NEG",
            "latest_category": "NEG",
            "number_previous_cpp": pd.array([0, 0], dtype="Int64"),
        }
    )
    # ICPCs: 5 working days (8 May 2023 was a bank holiday) and 21 working days
    s47 = pd.DataFrame(
        {
            "la_code": "806",
            "child_id": ["P", "Q"],
            "referral_date": pd.NaT,
            "s47_start": pd.to_datetime(["2023-05-02", "2023-06-01"]),
            "icpc_target": pd.NaT,
            "icpc_date": pd.to_datetime(["2023-05-10", "2023-06-30"]),
            "icpc_not_required": False,
        }
    )
    cin_plans = pd.DataFrame(
        columns=["la_code", "child_id", "referral_date", "cin_plan_start", "cin_plan_end"]
    ).astype({"cin_plan_start": "datetime64[ns]", "cin_plan_end": "datetime64[ns]"})
    # review conferences in the year: P on 1 Jul 2023 (due 20 Jun: late), Q on 20 Mar 2024
    # (first review, due 15 Apr: in time)
    cp_reviews = pd.DataFrame(
        {
            "la_code": "806",
            "child_id": ["P", "P", "Q"],
            "cpp_start": pd.to_datetime(["2022-10-01", "2022-10-01", "2024-01-15"]),
            "review_date": pd.to_datetime(["2022-12-20", "2023-07-01", "2024-03-20"]),
        }
    )
    caseload = pd.DataFrame(
        {
            "la_code": "806",
            "month": pd.to_datetime(["2023-04-01", "2024-03-01", "2024-03-01"]),
            "iro_id": ["I1", "I1", "I2"],
            "fte": [1.0, 1.0, 1.0],
            "open_cla": [10, 30, 20],
            "open_cp": [5, 10, 10],
        }
    )
    kwargs = dict(
        episodes=eps,
        children=kids,
        reviews=revs,
        population=1000,
        cp_plans=plans,
        s47=s47,
        cin_plans=cin_plans,
        cp_reviews=cp_reviews,
        period_start="2023-04-01",
        period_end="2024-03-31",
    )
    out = next_steps.next_steps_baselines(caseload=caseload, **kwargs)
    assert out["iro_caseload_per_fte"] == (35.0, 70)  # March 2024: 70 children / 2 FTE
    assert out["views_conveyed_pct"] == (50.0, None)  # PN1 of PN1, PN7 in the year
    assert out["icpc_within_15_days_pct"] == (50.0, None)
    assert out["review_conferences_in_timescale_pct"] == (50.0, None)
    assert out["cp_plans_15_months_plus_pct"] == (50.0, 1)
    summary = cla.cla_summary(eps, kids, revs, 1000, "2023-04-01", "2024-03-31")
    expected = summary.set_index("measure").loc["reviews_in_timescale_pct", "value"]
    assert out["reviews_in_timescale_pct"] == (expected, None)
    # by hand: 20 Apr 2023 (due 27 Apr, 3 months after the first review) in time; 1 Nov 2023
    # (due 20 Oct, 6 months after the second) late
    assert expected == 50.0
    assert next_steps.next_steps_baselines(caseload=None, **kwargs)["iro_caseload_per_fte"] == (
        None,
        None,
    )
