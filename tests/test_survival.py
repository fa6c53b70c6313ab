"""Time on plan (Kaplan-Meier) and time to permanence (cumulative incidence), by hand."""

import math

import pandas as pd
import pytest

from analysis.stats.survival import (
    MIN_AT_RISK,
    care_durations,
    cohorts_from,
    compare_cohorts_at,
    cumulative_incidence,
    days_for_months,
    kaplan_meier,
    km_curves,
    logrank_by_cohort,
    median_days,
    plan_durations,
    time_on_plan_table,
    wide_view,
)

T = pd.Timestamp


def test_kaplan_meier_five_plans_by_hand():
    # ended at 2, 3, 5; open (censored) at 3 and 8. At 3 the ending comes before the censoring.
    # S(2) = 4/5 = 0.8; S(3) = 0.8 x 3/4 = 0.6; S(5) = 0.6 x 1/2 = 0.3.
    curve = kaplan_meier([2, 3, 3, 5, 8], [True, True, False, True, False])
    assert curve["time"].tolist() == [2, 3, 5]
    assert curve["at_risk"].tolist() == [5, 4, 2]
    assert curve["surv"].tolist() == pytest.approx([0.8, 0.6, 0.3])
    # Greenwood at 2: 0.8^2 x 1 / (5 x 4) = 0.032
    assert curve["se"].iloc[0] == pytest.approx(math.sqrt(0.032))
    assert (curve["lower"] < curve["surv"]).all() and (curve["surv"] < curve["upper"]).all()


def test_kaplan_meier_without_an_ending_is_empty():
    assert kaplan_meier([4, 5], [False, False]).empty


def test_cumulative_incidence_with_a_competing_exit_by_hand():
    # permanence at 2, 4, 7; another exit at 3; still in care at 6.
    # F(2) = 1/5 = 0.2 (S = 0.8); at 3 the other exit: S = 0.8 x 3/4 = 0.6, F unchanged;
    # F(4) = 0.2 + 0.6 x 1/3 = 0.4 (S = 0.4); F(7) = 0.4 + 0.4 x 1/1 = 0.8.
    curve = cumulative_incidence([2, 3, 4, 6, 7], [1, 2, 1, 0, 1])
    at = dict(zip(curve["time"], curve["cif"], strict=True))
    assert [at[2], at[3], at[4], at[7]] == pytest.approx([0.2, 0.2, 0.4, 0.8])
    # treating the other exit as censored (1 - Kaplan-Meier) would claim 100%
    naive = kaplan_meier([2, 3, 4, 6, 7], [True, False, True, False, True])
    assert 1 - naive["surv"].iloc[-1] == pytest.approx(1.0)


def test_days_for_months():
    assert [days_for_months(m) for m in (3, 6, 12, 15, 24)] == [91, 183, 365, 457, 730]


def _plans(rows):
    return pd.DataFrame(rows, columns=["cpp_start", "cpp_end"]).apply(pd.to_datetime)


def test_plan_durations_censor_at_the_period_end():
    plans = _plans(
        [
            ("2023-05-01", "2023-06-01"),  # ended: 31 days
            ("2023-05-01", None),  # open: censored at 31 March 2024 (335 days)
            ("2023-05-01", "2024-06-01"),  # ends after the period: censored too
            ("2024-04-02", None),  # starts after the period: left out
            ("2019-05-01", "2023-05-01"),  # before the data: left out
        ]
    )
    out = plan_durations(plans, "2024-03-31", data_from="2020-04-01")
    assert out["cohort"].tolist() == ["2023-24"] * 3
    assert out["days"].tolist() == [31, 335, 335]
    assert out["ended"].tolist() == [True, False, False]


def _episode(child, decom, rne, ls, dec, rec):
    return {
        "child_id": child,
        "decom": T(decom),
        "rne": rne,
        "ls": ls,
        "dec": T(dec) if dec else pd.NaT,
        "rec": rec,
    }


def test_care_durations_permanence_other_exits_and_censoring():
    episodes = pd.DataFrame(
        [
            _episode("a", "2021-05-01", "S", "C2", "2022-05-01", "E11"),  # adopted: 365 days
            _episode("b", "2021-06-01", "S", "V2", "2021-07-01", "X1"),  # continues
            _episode("b", "2021-07-01", "L", "C2", "2021-08-01", "E45"),  # SGO: 61 days
            _episode("c", "2021-05-01", "S", "C2", "2021-06-01", "E13"),  # other exit
            _episode("d", "2022-01-01", "S", "C2", None, None),  # still looked after
            _episode("e", "2021-05-01", "S", "V3", "2021-05-03", "E13"),  # short break only
            _episode("f", "2023-01-01", "S", "C2", "2024-06-01", "E11"),  # ends after the period
        ]
    )
    out = care_durations(episodes, "2024-03-31", data_from="2020-04-01")
    got = {(r.cohort, r.days, r.status, r.route) for r in out.itertuples()}
    assert got == {
        ("2021-22", 365, 1, "adoption"),
        ("2021-22", 61, 1, "special guardianship order"),
        ("2021-22", 31, 2, "other exit"),
        ("2021-22", 820, 0, "looked after"),  # 1 Jan 2022 to 31 Mar 2024
        ("2022-23", 455, 0, "looked after"),  # 1 Jan 2023 to 31 Mar 2024
    }


def test_estimates_need_enough_plans_followed_up():
    # 30 plans of 2022-23: 10 end at day 100, the rest are open at day 400.
    n = 30
    durations = pd.DataFrame(
        {
            "cohort": "2022-23",
            "days": [100.0] * 10 + [400.0] * 20,
            "ended": [True] * 10 + [False] * 20,
        }
    )
    table = time_on_plan_table(durations, months=(3, 6, 12, 15))
    by_month = table.set_index("months")
    assert by_month.loc[3, "still_open_pct"] == pytest.approx(100.0)  # day 91: none ended yet
    assert by_month.loc[6, "still_open_pct"] == pytest.approx(100 * 20 / n)
    assert by_month.loc[12, "still_open_pct"] == pytest.approx(100 * 20 / n)  # 20 at risk
    assert math.isnan(by_month.loc[15, "still_open_pct"])  # day 457: none followed up
    assert table["plans"].iloc[0] == n and table["plans_ended"].iloc[0] == 10
    assert MIN_AT_RISK == 20
    curve = km_curves(durations)["2022-23"]
    assert curve[0][0] == 0 and curve[1][0] == 100
    assert curve[1][-1] == pytest.approx(100 * 20 / n)


def test_median_and_logrank():
    same = pd.DataFrame(
        {
            "cohort": ["2021-22"] * 4 + ["2022-23"] * 4,
            "days": [10, 20, 30, 40] * 2,
            "ended": [True] * 8,
        }
    )
    # S drops to 0.5 at day 20
    assert median_days(same) == {"2021-22": 20.0, "2022-23": 20.0}
    chi2, p = logrank_by_cohort(same)
    assert chi2 == pytest.approx(0.0) and p == pytest.approx(1.0)


def test_cohorts_from_the_manifest_and_the_four_years():
    manifest = {
        "collection_years": {
            "806": {"cin_census": ["2021-22", "2022-23", "2023-24"]},
            "805": {"cin_census": ["2020-21", "2021-22"]},
        }
    }
    # every council covered from 2021-22 on
    assert cohorts_from("2023-04-01", manifest, ["806", "805"], "cin_census") == T("2021-04-01")
    # a long history is cut to four start years
    manifest["collection_years"]["806"]["cin_census"].insert(0, "2015-16")
    assert cohorts_from("2023-04-01", manifest, ["806"], "cin_census") == T("2020-04-01")
    assert cohorts_from("2023-04-01", {}, ["806"], "cin_census") == T("2020-04-01")


def test_compare_cohorts_at_twelve_months():
    rows = []
    for cohort, share in (("2021-22", 0.2), ("2022-23", 0.6)):
        permanent = int(50 * share)
        rows += [(cohort, 100.0, 1)] * permanent + [(cohort, 500.0, 0)] * (50 - permanent)
    durations = pd.DataFrame(rows, columns=["cohort", "days", "status"])
    c = compare_cohorts_at(durations, 12)
    assert c["earlier"] == "2021-22" and c["later"] == "2022-23"
    assert c["difference_pp"] == pytest.approx(40.0)
    # independent binomial errors: sqrt(0.2 x 0.8 / 50 + 0.6 x 0.4 / 50) = 0.0894
    assert c["upper_pp"] - c["difference_pp"] == pytest.approx(100 * 1.96 * 0.08944, rel=1e-3)


def test_wide_view_reads_estimate_and_interval():
    published = pd.DataFrame(
        {
            "cohort": ["2022-23", "2022-23"],
            "plans": [40, 40],
            "plans_ended": [10, 10],
            "months": [3, 6],
            "still_open_pct": [91.4, math.nan],
            "lower_pct": [88.0, math.nan],
            "upper_pct": [93.9, math.nan],
        }
    )
    view = wide_view(published, "still_open_pct", {"plans": "Plans"})
    assert view.columns.tolist() == ["Cohort (start year)", "Plans", "3 months", "6 months"]
    assert view.iloc[0].tolist() == ["2022-23", 40, "91.4 (88.0 to 93.9)", ""]


def test_no_cin_census_gives_empty_tables():
    durations = plan_durations(pd.DataFrame(), "2024-03-31")
    assert durations.empty and list(durations.columns) == ["cohort", "days", "ended"]
    assert time_on_plan_table(durations).empty and km_curves(durations) == {}
