"""The three period columns line up with the previous reports' runs (synthetic data).

A report for Q1-Q2 2024-25 shows the same period of 2023-24 and the full year 2023-24 beside
the current period. Those columns must equal what the report for Q1-Q2 2023-24, and the annual
report for 2023-24, showed as their current period; the trend charts' full years and the
timeliness cohorts must agree with them too. Checked on the synthetic returns of two councils,
through the metric functions, for every council, measure and the agency total.
"""

import math

import pandas as pd
import pytest
from refdata import REFERENCE_DIR

from analysis import adoption
from analysis.ingest import run_ingest
from analysis.io import load_raa_table, load_table
from analysis.synthetic import generate

LAS = ["841", "805"]
H1 = ("2024-04-01", "2024-09-30")
PREVIOUS_H1 = ("2023-04-01", "2023-09-30")
YEAR = ("2023-04-01", "2024-03-31")


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    root = tmp_path_factory.mktemp("atv")
    generate(root / "raw", la_codes=LAS)
    run_ingest(root / "raw", root / "processed", REFERENCE_DIR, root / "key", LAS)
    processed = root / "processed"
    return {
        "episodes": load_table(processed, "episodes", LAS),
        "placed_adoption": load_table(processed, "placed_adoption", LAS),
        "ad1": load_table(processed, "ad1", LAS),
        "referrals": load_raa_table(processed, "referrals"),
    }


def measures(tables, period):
    got = adoption.atv_la_measures(
        tables["episodes"], tables["placed_adoption"], tables["ad1"], LAS, *period
    )
    return got.set_index(["la_code", "period", "measure"])["value"]


def same(a, b):
    return (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)) or (
        a == b and type(a) is type(b)
    )


def test_period_columns_equal_the_previous_runs(tables):
    h1, prev_h1, year = measures(tables, H1), measures(tables, PREVIOUS_H1), measures(tables, YEAR)
    keys = [(la, m) for la in [*LAS, "all"] for m in adoption.ATV_MEASURES]
    for la, m in keys:
        assert same(h1[la, "previous_same_half", m], prev_h1[la, "current", m]), (la, m)
        assert same(h1[la, "previous_full_year", m], year[la, "current", m]), (la, m)
    # not vacuous: the synthetic councils had adoptions and placements in both periods
    assert year["all", "current", "adoption_orders"] > 5
    assert prev_h1["all", "current", "placements_for_adoption"] > 0
    assert not math.isnan(h1["all", "previous_same_half", "a10_days"])


def test_full_year_report_compares_with_the_year_before(tables):
    year = measures(tables, YEAR)
    before = measures(tables, ("2022-04-01", "2023-03-31"))
    for la in [*LAS, "all"]:
        for m in adoption.ATV_MEASURES:
            # for a full year the previous full year and the same period last year coincide
            assert same(year[la, "previous_full_year", m], before[la, "current", m]), (la, m)
            assert same(year[la, "previous_same_half", m], before[la, "current", m]), (la, m)


def test_trend_years_and_cohorts_agree_with_the_council_tables(tables):
    trend = adoption.atv_activity_trend(
        tables["episodes"], tables["placed_adoption"], LAS, *H1
    ).set_index(["la_code", "period", "measure"])["value"]
    year, h1 = measures(tables, YEAR), measures(tables, H1)
    for la in [*LAS, "all"]:
        for m in adoption.TREND_MEASURES:
            assert same(trend[la, "2023-24", m], year[la, "current", m]), (la, m)
            assert same(trend[la, "Q1-Q2 2024-25", m], h1[la, "current", m]), (la, m)
    cohorts = adoption.timeliness_cohorts(*H1)
    summary, _ = adoption.a10_a2_summary(tables["episodes"], tables["ad1"], LAS, cohorts)
    v = summary.set_index(["la_code", "cohort", "measure"])["value"]
    for la in [*LAS, "all"]:
        assert v[la, "2023-24", "a10_mean_days"] == pytest.approx(year[la, "current", "a10_days"])
        assert v[la, "12 months to Sep 2024", "a2_mean_days"] == pytest.approx(
            h1[la, "current", "a2_days"]
        )
        # the three years pooled hold exactly the children of the three years
        n = [v[la, y, "a10_children"] for y in ("2021-22", "2022-23", "2023-24")]
        assert v[la, "2021-24", "a10_children"] == sum(n)


def test_leaving_care_and_referrals_line_up(tables):
    h1 = adoption.atv_leaving_care(tables["episodes"], LAS, *H1, REFERENCE_DIR)
    prev = adoption.atv_leaving_care(tables["episodes"], LAS, *PREVIOUS_H1, REFERENCE_DIR)
    a = h1.loc[h1["period"].eq("previous_same_half")].drop(columns="period").reset_index(drop=True)
    b = prev.loc[prev["period"].eq("current")].drop(columns="period").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert a["ceased"].sum() > 0
    refs = adoption.referral_counts(
        tables["referrals"],
        tables["episodes"],
        tables["placed_adoption"],
        LAS,
        adoption.trend_periods(*H1),
    )
    agency = refs.loc[refs["la_code"].eq("all")].set_index("period")
    councils = refs.loc[refs["la_code"].ne("all")].groupby("period")[["referred", "remain_open"]]
    pd.testing.assert_frame_equal(
        agency[["referred", "remain_open"]], councils.sum().loc[agency.index]
    )
    assert (refs["remain_open"] <= refs["referred"]).all()
    assert agency.loc["2023-24", "referred"] > 0
