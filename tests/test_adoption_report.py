"""The ATV report beyond the council measures: periods, cohorts, comparators, funnel limits,
the agency's referrals and adopters, and the prose drawn from published tables.

Expected values are worked out by hand in the comments (binomial sums over 1024, day counts
month by month); the England figures are the published numbers in the reference files.
"""

import math

import numpy as np
import pandas as pd
import pytest
from refdata import REFERENCE_DIR
from test_adoption import ATV_AD1, ATV_EPISODES, ATV_PLACED, episodes

from analysis import adoption
from analysis.adoption import comparators, funnel, presentation
from analysis.tables import publish_table

T = pd.Timestamp


# ------------------------------------------------------------------------- periods, labels
@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("2024-04-01", "2024-09-30", "Q1-Q2 2024-25"),
        ("2023-04-01", "2024-03-31", "2023-24"),
        ("2021-04-01", "2024-03-31", "2021-24"),
        ("2024-10-01", "2024-12-31", "Q3 2024-25"),
        ("2024-10-01", "2025-03-31", "Q3-Q4 2024-25"),
        ("2024-04-01", "2024-08-15", "1 Apr 2024 to 15 Aug 2024"),
        ("2024-10-01", "2025-06-30", "1 Oct 2024 to 30 Jun 2025"),  # crosses a year end
    ],
)
def test_period_label(start, end, label):
    assert adoption.period_label(start, end) == label


def test_trend_periods_three_years_then_current():
    got = adoption.trend_periods("2024-04-01", "2024-09-30")
    assert got == {
        "2021-22": (T("2021-04-01"), T("2022-03-31")),
        "2022-23": (T("2022-04-01"), T("2023-03-31")),
        "2023-24": (T("2023-04-01"), T("2024-03-31")),
        "Q1-Q2 2024-25": (T("2024-04-01"), T("2024-09-30")),
    }
    # a period starting in January belongs to the collection year that began the April before
    assert list(adoption.trend_periods("2025-01-01", "2025-03-31")) == [
        "2021-22",
        "2022-23",
        "2023-24",
        "Q4 2024-25",
    ]


def test_timeliness_cohorts_half_year_and_full_year():
    half = adoption.timeliness_cohorts("2024-04-01", "2024-09-30")
    assert [(c.label, c.start, c.end, c.series, c.years) for c in half] == [
        ("2021-22", T("2021-04-01"), T("2022-03-31"), "three_years", 1),
        ("2022-23", T("2022-04-01"), T("2023-03-31"), "three_years", 1),
        ("2023-24", T("2023-04-01"), T("2024-03-31"), "three_years", 1),
        ("2021-24", T("2021-04-01"), T("2024-03-31"), "three_years", 3),
        ("12 months to Sep 2024", T("2023-10-01"), T("2024-09-30"), "twelve_months", 1),
        ("12 months to Sep 2023", T("2022-10-01"), T("2023-09-30"), "twelve_months", 1),
    ]
    # full year 2024-25: the 12 months to March 2024 is the year 2023-24, listed once
    full = adoption.timeliness_cohorts("2024-04-01", "2025-03-31")
    assert [c.label for c in full] == ["2021-22", "2022-23", "2023-24", "2021-24", "2024-25"]


# -------------------------------------------------------------------------------- funnel
def test_binomial_limit_by_hand():
    # Binomial(10, 0.5): P(R<=1) = 11/1024, P(R<=2) = 56/1024, P(R<=7) = 968/1024,
    # P(R<=8) = 1013/1024.
    # upper 97.5%: r = 8, alpha = (1013/1024 - 0.975) / (45/1024) = 14.6 / 45 -> (8 - alpha) / 10
    assert funnel.binomial_limit(10, 0.5, 0.975) == pytest.approx((8 - 14.6 / 45) / 10)
    # lower 2.5%: r = 2, alpha = (56/1024 - 0.025) / (45/1024) = 30.4 / 45
    assert funnel.binomial_limit(10, 0.5, 0.025) == pytest.approx((2 - 30.4 / 45) / 10)
    # no children: no limit; limits stay within 0 and 1
    assert math.isnan(funnel.binomial_limit(0, 0.5, 0.975))
    assert funnel.binomial_limit(3, 0.01, 0.001) == 0.0
    with pytest.raises(ValueError):
        funnel.binomial_limit(10, 0, 0.975)
    with pytest.raises(ValueError):
        funnel.binomial_limit(10, 0.5, 1)


def test_funnel_limits_narrow_as_n_grows():
    limits = funnel.funnel_limits(np.arange(20, 1001), 0.09)
    assert list(limits.columns) == ["n", "lower_95", "upper_95", "lower_99_8", "upper_99_8"]
    assert (limits["lower_99_8"] <= limits["lower_95"]).all()
    assert (limits["lower_95"] < 9).all() and (limits["upper_95"] > 9).all()
    assert (limits["upper_95"] <= limits["upper_99_8"]).all()
    # the funnel closes in: the 95% width at 1,000 is well under half the width at 50
    width = limits["upper_95"] - limits["lower_95"]
    assert width.iloc[-1] < 0.5 * width.iloc[30]


def test_funnel_position():
    # n = 10, p0 = 0.5: 95% limits 13.2% and 76.8% (above)
    assert funnel.funnel_position(5, 10, 0.5) == "within 95% limits"
    assert funnel.funnel_position(8, 10, 0.5) == "above 95% limit"
    assert funnel.funnel_position(1, 10, 0.5) == "below 95% limit"
    assert funnel.funnel_position(30, 100, 0.09).startswith("above 99.8%")
    assert funnel.funnel_position(0, 0, 0.09) == "no children"


# --------------------------------------------------------------------------- comparators
def test_months_text_and_year_ending():
    assert comparators.months_text_to_days("01:07") == pytest.approx(19 * 365.25 / 12)
    assert comparators.months_text_to_days("00:10") == pytest.approx(10 * 365.25 / 12)
    assert comparators.year_ending_on_or_before("2024-09-30") == 2024
    assert comparators.year_ending_on_or_before("2024-03-31") == 2024
    assert comparators.year_ending_on_or_before("2024-03-30") == 2023


def test_england_adoption_rate_published():
    # DfE CLA 2024, England: 2,980 adopted of 33,620 children ceasing care in 2023-24
    got = comparators.england_adoption_rate(REFERENCE_DIR, "2024-09-30")
    assert (got["year_ending"], got["adopted"], got["ceased"]) == (2024, 2980, 33620)
    assert got["rate_pct"] == pytest.approx(100 * 2980 / 33620)
    # a period ending 30 September 2023: the year ending March 2023 (3,000 of 31,840)
    earlier = comparators.england_adoption_rate(REFERENCE_DIR, "2023-09-30")
    assert (earlier["year_ending"], earlier["adopted"], earlier["ceased"]) == (2023, 3000, 31840)


def test_england_timeliness_sources():
    cohorts = adoption.timeliness_cohorts("2024-04-01", "2024-09-30")
    got = comparators.england_timeliness(REFERENCE_DIR, cohorts).set_index(
        ["cohort", "measure", "source"]
    )
    month = 365.25 / 12
    # DfE 2024 (year ending March 2024): entry to care -> placed 01:07; decision -> match 00:10
    assert got.loc[("2023-24", "a10_days", "DfE"), "days"] == pytest.approx(19 * month)
    assert got.loc[("2023-24", "a2_days", "DfE"), "days"] == pytest.approx(10 * month)
    # 2022-23 is covered by the ASGLB file: England A10 479.85, A2 196.61 (published), preferred
    assert got.loc[("2022-23", "a10_days", "ASGLB"), "days"] == pytest.approx(479.848, abs=0.01)
    assert got.loc[("2022-23", "a2_days", "ASGLB"), "days"] == pytest.approx(196.607, abs=0.01)
    assert got.loc[("2022-23", "a10_days", "ASGLB"), "preferred"]
    assert not got.loc[("2022-23", "a10_days", "DfE"), "preferred"]
    # three years: mean of 2022 (01:06), 2023 (01:07), 2024 (01:07) in days
    assert got.loc[("2021-24", "a10_days", "DfE"), "days"] == pytest.approx(
        (18 + 19 + 19) / 3 * month
    )
    assert got.loc[("2021-24", "a10_days", "DfE"), "years"] == "2022-2024"


# ------------------------------------------------------------------ leaving care by adoption
LEAVING = pd.concat(
    [
        episodes(
            [
                ("c1", "2022-01-01", "S", "E1", "A6", "2023-10-01", "E11"),  # first day of window
                ("c2", "2022-01-01", "S", "C2", "U6", "2024-01-30", "E13"),
                ("c3", "2022-01-01", "S", "C2", "U6", "2023-11-01", "E13"),  # ceased twice:
                ("c3", "2023-12-01", "S", "E1", "A6", "2024-09-30", "E12"),  # last is adopted
                ("c4", "2023-01-01", "S", "V3", "H5", "2024-02-01", "E8"),  # short breaks
                ("c5", "2022-01-01", "S", "E1", "A6", "2023-09-30", "E11"),  # before the window
            ],
            la="805",
        ),
        episodes([("d1", "2023-01-01", "S", "C2", "U6", "2024-05-01", "E41")], la="806"),
    ],
    ignore_index=True,
)


def test_leaving_care_by_adoption_counts():
    got = adoption.leaving_care_by_adoption(LEAVING, ["805", "806", "807"], "2024-09-30")
    # 805: ceased c1, c2, c3 (3); adopted c1, c3 (2). 806: d1 ceased, not adopted. 807: none
    expected = pd.DataFrame(
        {"la_code": ["805", "806", "807"], "ceased": [3, 1, 0], "adopted": [2, 0, 0]}
    )
    pd.testing.assert_frame_equal(got, expected)


def test_atv_leaving_care_rows():
    got = adoption.atv_leaving_care(
        LEAVING, ["805", "806"], "2024-04-01", "2024-09-30", REFERENCE_DIR
    )
    assert list(got.columns) == adoption.atv.LEAVING_CARE_COLUMNS
    cur = got.loc[got["period"].eq("current")].set_index("la_code")
    assert cur.loc["805", "rate_pct"] == pytest.approx(200 / 3)
    assert (cur.loc["all", "ceased"], cur.loc["all", "adopted"]) == (4, 2)
    assert cur.loc["all", "rate_pct"] == 50.0
    assert (cur.loc["805", "england_adopted"], cur.loc["805", "england_ceased"]) == (2980, 33620)
    assert cur.loc["805", "england_rate_pct"] == round(100 * 2980 / 33620, 1) == 8.9
    p0 = 2980 / 33620
    assert cur.loc["805", "upper_95"] == round(100 * funnel.binomial_limit(3, p0, 0.975).item(), 1)
    assert cur.loc["805", "funnel_position"] == funnel.funnel_position(2, 3, p0)
    # previous same half: window 1 Oct 2022 - 30 Sep 2023, England 2022-23 (3,000 / 31,840)
    prev = got.loc[got["period"].eq("previous_same_half")].set_index("la_code")
    assert prev.loc["805", "ceased"] == 1 and prev.loc["805", "adopted"] == 1  # c5
    assert prev.loc["805", "england_rate_pct"] == round(100 * 3000 / 31840, 1)
    assert prev.loc["806", "ceased"] == 0 and math.isnan(prev.loc["806", "rate_pct"])
    assert prev.loc["806", "funnel_position"] == "no children"


# ------------------------------------------------------------------- council measures extras
def test_adm_decisions_missing_for_a_council_that_did_not_supply_placed_adoption():
    got = adoption.atv_la_measures(
        ATV_EPISODES, ATV_PLACED, ATV_AD1, ["805", "806"], "2024-04-01", "2024-09-30", ["805"]
    ).set_index(["la_code", "period", "measure"])["value"]
    assert got["805", "previous_full_year", "adm_decisions"] == 1
    assert math.isnan(got["806", "previous_full_year", "adm_decisions"])
    # the agency total would understate: not available either
    assert math.isnan(got["all", "previous_full_year", "adm_decisions"])
    # other measures unaffected
    assert got["806", "previous_full_year", "placements_for_adoption"] == 2


def test_atv_activity_trend_by_hand():
    got = adoption.atv_activity_trend(
        ATV_EPISODES, ATV_PLACED, ["805", "806"], "2024-04-01", "2024-09-30"
    )
    assert list(dict.fromkeys(got["period"])) == ["2021-22", "2022-23", "2023-24", "Q1-Q2 2024-25"]
    v = got.set_index(["la_code", "period", "measure"])["value"]
    # placements: m3 (806) placed 9 Mar 2023 is in 2022-23; n1 (805) placed 1 May 2023 in 2023-24
    assert v["806", "2022-23", "placements_for_adoption"] == 1
    assert v["805", "2023-24", "placements_for_adoption"] == 1
    # 806 in 2023-24: m1 (3 Apr 2023) and m2 (2 Oct 2023); agency 3
    assert v["806", "2023-24", "placements_for_adoption"] == 2
    assert v["all", "2023-24", "placements_for_adoption"] == 3
    # adoption orders in the half year: n1 (1 May), m1 (28 Jun), m3 (1 Aug 2024)
    assert v["all", "Q1-Q2 2024-25", "adoption_orders"] == 3
    # ADM decisions: n1 15 Apr 2023, m2 1 Sep 2023 (2023-24); none in 2021-22
    assert v["all", "2023-24", "adm_decisions"] == 2
    assert v["all", "2021-22", "adm_decisions"] == 0
    assert all(type(x) is int for x in got["value"])


# ---------------------------------------------------------------------- timeliness summary
def test_a10_a2_summary_spread_and_reliability():
    # 806 children of the 12 months to Sep 2024: m1 A10 182 A2 0, m3 A10 59 A2 61;
    # 805: n1 A10 119 A2 0
    cohorts = [c for c in adoption.timeliness_cohorts("2024-04-01", "2024-09-30")]
    summary, children = adoption.a10_a2_summary(
        ATV_EPISODES, ATV_AD1, ["805", "806"], cohorts, reliable_min=3
    )
    v = summary.set_index(["la_code", "cohort", "measure"])["value"]
    c = "12 months to Sep 2024"
    assert v["806", c, "a10_children"] == 2
    assert v["806", c, "a10_mean_days"] == pytest.approx((182 + 59) / 2)
    assert v["806", c, "a10_median_days"] == pytest.approx(120.5)
    # quartiles by linear interpolation: 59 + 0.25 * (182 - 59), 59 + 0.75 * (182 - 59)
    assert v["806", c, "a10_lower_quartile_days"] == pytest.approx(89.75)
    assert v["806", c, "a10_upper_quartile_days"] == pytest.approx(151.25)
    # agency pools 59, 119, 182: median 119, quartiles 89 and 150.5
    assert v["all", c, "a10_median_days"] == pytest.approx(119)
    assert v["all", c, "a10_lower_quartile_days"] == pytest.approx(89)
    assert v["all", c, "a10_upper_quartile_days"] == pytest.approx(150.5)
    # reliability: 2 children < 3 -> 1; the agency's 3 -> 0
    assert v["806", c, "a10_less_reliable"] == 1 and v["all", c, "a10_less_reliable"] == 0
    # nobody adopted in 2021-22: no value, flagged
    assert v["805", "2021-22", "a10_children"] == 0
    assert math.isnan(v["805", "2021-22", "a10_mean_days"])
    # the dots carry no identifiers
    assert list(children.columns) == ["la_code", "cohort", "a10_days", "a2_days"]
    assert sorted(children.loc[children["cohort"].eq(c), "a10_days"]) == [59.0, 119.0, 182.0]


def test_timeliness_publication_suppresses_spread_with_the_count(tmp_path):
    cohorts = adoption.timeliness_cohorts("2024-04-01", "2024-09-30")
    summary, _ = adoption.a10_a2_summary(ATV_EPISODES, ATV_AD1, ["805", "806"], cohorts)
    published = publish_table(summary, "atv_timeliness", tmp_path, "public")
    v = published.set_index(["la_code", "cohort", "measure"])["value"]
    c = "12 months to Sep 2024"
    # 2 children: count and quartiles suppressed; the mean is published (ASGLB convention)
    assert v["806", c, "a10_children"] == "c"
    assert v["806", c, "a10_median_days"] == "c"
    assert v["806", c, "a10_lower_quartile_days"] == "c"
    assert v["806", c, "a10_mean_days"] == 120.5
    assert (tmp_path / "atv_timeliness.csv").exists()


# -------------------------------------------------------------------------- agency (RAA)
def referrals_table(rows):
    """rows: (la_code, child_id, referral_date, sibling_group_id)."""
    la, child, date, group = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "la_code": list(la),
            "child_id": list(child),
            "referral_date": pd.to_datetime(list(date)),
            "sibling_group_id": list(group),
        }
    )


RAA_EPISODES = pd.concat(
    [
        episodes(
            [
                ("a", "2024-01-10", "S", "C2", "U6", "2024-08-01", "E11"),  # adopted in period
                ("b", "2024-01-10", "S", "C2", "U6", "2024-11-01", "E11"),  # adopted after end
                ("c", "2024-02-01", "S", "C2", "U6", "2024-05-10", "E41"),  # SGO on referral day
                ("d", "2024-02-01", "S", "C2", "U6", None, None),  # plan ended (PlacedAdoption)
                ("e", "2024-02-01", "S", "C2", "U6", None, None),  # still open
                ("f", "2022-01-01", "S", "C2", "U6", "2023-01-01", "E13"),  # old care ended
                ("f", "2024-03-01", "S", "C2", "U6", None, None),  # back in care, referred
            ],
            la="805",
        ),
    ],
    ignore_index=True,
)
RAA_PLACED = pd.DataFrame(
    {
        "la_code": "805",
        "child_id": ["d"],
        "date_placed": pd.to_datetime(["2024-05-01"]),
        "date_placed_ceased": pd.to_datetime(["2024-09-01"]),
        "reason_placed_ceased": ["RD3"],
    }
)
RAA_REFERRALS = referrals_table(
    [
        ("805", "a", "2024-04-15", "G1"),
        ("805", "b", "2024-04-15", "G1"),
        ("805", "c", "2024-05-10", None),
        ("805", "d", "2024-04-20", "G2"),
        ("805", "e", "2024-06-01", "G2"),
        ("805", "e", "2024-07-01", "G2"),  # referred twice: one child
        ("805", "f", "2024-04-02", None),
        ("805", "g", "2024-05-01", "G3"),  # not in the 903 (e.g. before entering care): open
        ("805", "h", "2024-03-01", "G3"),  # sibling referred in the previous year
        ("806", "x", "2024-10-01", None),  # after the period
    ]
)


def test_referrals_open_at_by_hand():
    got = adoption.referrals_open_at(RAA_REFERRALS, RAA_EPISODES, RAA_PLACED, T("2024-09-30"))
    # a adopted 1 Aug (closed); b adopted after the end (open); c left care on the referral day
    # (closed); d plan ended 1 Sep (closed); e open twice; f open (care ended before referral);
    # g not in the returns (open); h open; x referred after the date (not open)
    assert got.tolist() == [False, True, False, False, True, True, True, True, True, False]
    # without PlacedAdoption, d's ended plan is not visible: open
    without = adoption.referrals_open_at(RAA_REFERRALS, RAA_EPISODES, None, T("2024-09-30"))
    assert without.tolist()[3] is True


def test_referral_counts_and_sibling_groups():
    periods = {"Q1-Q2 2024-25": (T("2024-04-01"), T("2024-09-30"))}
    got = adoption.referral_counts(RAA_REFERRALS, RAA_EPISODES, RAA_PLACED, ["805", "806"], periods)
    # 805 in the period: a, b, c, d, e, f, g (7 children; e once); open: b, e, f, g (4)
    expected = pd.DataFrame(
        {
            "la_code": ["805", "806", "all"],
            "period": "Q1-Q2 2024-25",
            "period_start": pd.to_datetime(["2024-04-01"] * 3),
            "period_end": pd.to_datetime(["2024-09-30"] * 3),
            "referred": np.array([7, 0, 7], dtype="int64"),
            "remain_open": np.array([4, 0, 4], dtype="int64"),
        }
    )
    pd.testing.assert_frame_equal(got, expected)
    groups = adoption.sibling_groups(
        RAA_REFERRALS, ["805", "806"], T("2024-04-01"), T("2024-09-30")
    )
    # G1 (a, b) and G2 (d, e) of 2; G3 has only g in the period: referred alone
    expected_groups = pd.DataFrame(
        {
            "group_size": np.array([2], dtype="int64"),
            "groups": np.array([2], dtype="int64"),
            "children": np.array([4], dtype="int64"),
        }
    )
    pd.testing.assert_frame_equal(groups, expected_groups)


def test_adopter_measures_by_hand():
    def d(x):
        return pd.NaT if x is None else T(x)

    rows = [
        # enquiry, registration, stage1, stage2, approval, withdrawn
        ("2024-01-10", "2024-02-01", "2024-02-05", "2024-04-20", "2024-08-29", None),
        ("2024-04-02", "2024-05-01", "2024-05-02", "2024-07-01", None, None),
        ("2024-05-05", "2024-06-01", "2024-06-03", None, None, "2024-07-15"),
        ("2024-06-10", None, None, None, None, None),
        ("2023-09-01", "2023-10-01", "2023-10-02", "2024-01-05", "2024-04-01", None),
        ("2024-08-01", "2024-09-30", "2024-09-30", None, None, None),
    ]
    adopters = pd.DataFrame(
        [[f"H{i}", *(d(x) for x in r)] for i, r in enumerate(rows)],
        columns=[
            "household_id",
            "enquiry_date",
            "registration_date",
            "stage1_start",
            "stage2_start",
            "approval_date",
            "withdrawn_date",
        ],
    )
    got = adoption.adopter_measures(adopters, {"H1": (T("2024-04-01"), T("2024-09-30"))}).set_index(
        "measure"
    )["value"]
    assert got["enquiries"] == 4  # H1, H2, H3, H5
    assert got["registrations"] == 3  # H1, H2, H5
    assert got["approvals"] == 2  # H0 (29 Aug), H4 (1 Apr)
    assert got["withdrawals"] == 1
    # at 30 Sep: H1 (stage 2) and H5 (registered that day) in assessment
    assert got["in_assessment_at_end"] == 2 and got["in_stage2_at_end"] == 1
    # H0: 10 Jan -> 10 Aug 2024 = 31 + 29 + 31 + 30 + 31 + 30 + 31 = 213, + 19 to 29 Aug = 232;
    # H4: 1 Sep 2023 -> 1 Apr 2024 = 30 + 31 + 30 + 31 + 31 + 29 + 31 = 213
    assert got["enquiry_to_approval_mean_days"] == pytest.approx((232 + 213) / 2)
    assert got["enquiry_to_approval_median_days"] == pytest.approx((232 + 213) / 2)
    # registration: H0 1 Feb -> 29 Aug 2024 = 29 + 31 + 30 + 31 + 30 + 31 + 28 = 210;
    # H4 1 Oct 2023 -> 1 Apr 2024 = 31 + 30 + 31 + 31 + 29 + 31 = 183
    assert got["registration_to_approval_mean_days"] == pytest.approx((210 + 183) / 2)


# ----------------------------------------------------------------- prose from published data
def published_measures(values):
    """values: {(la, period, measure): value} -> a published long table."""
    rows = [(la, p, m, v) for (la, p, m), v in values.items()]
    out = pd.DataFrame(rows, columns=["la_code", "period", "measure", "value"])
    out["value"] = pd.Series([r[3] for r in rows], dtype=object)
    return out


def test_council_paragraph_never_describes_a_suppressed_cell_by_a_number():
    periods = adoption.atv_periods("2024-04-01", "2024-09-30")
    labels = {k: adoption.period_label(*s) for k, s in periods.items()}
    values = {}
    for period, counts in (
        (
            "current",
            {
                "adoption_orders": "c",
                "placements_for_adoption": 9,
                "early_permanence": 0,
                "placement_orders": "c",
                "adm_decisions": 12,
                "disruptions": 0,
            },
        ),
        (
            "previous_same_half",
            {
                "adoption_orders": 7,
                "placements_for_adoption": "c",
                "early_permanence": 0,
                "placement_orders": 8,
                "adm_decisions": 10,
                "disruptions": 0,
            },
        ),
        (
            "previous_full_year",
            {
                "adoption_orders": 15,
                "placements_for_adoption": 14,
                "early_permanence": 2,
                "placement_orders": 16,
                "adm_decisions": 20,
                "disruptions": 1,
            },
        ),
    ):
        for m, v in counts.items():
            values["805", period, m] = v
        values["805", period, "a10_days"] = 400.4
        values["805", period, "a2_days"] = 130.0
    measures = published_measures(values)
    leaving = pd.DataFrame(
        {
            "la_code": "805",
            "period": ["current"],
            "rate_pct": ["c"],
            "england_rate_pct": [8.9],
            "england_year_ending": [2024],
            "funnel_position": ["within 95% limits"],
        }
    )
    timeliness = pd.DataFrame(
        {
            "la_code": "805",
            "cohort_start": T("2023-10-01"),
            "cohort_end": T("2024-09-30"),
            "measure": ["a10_children", "a10_less_reliable"],
            "value": pd.Series(["c", 1.0], dtype=object),
        }
    )
    text = presentation.council_paragraph(
        measures,
        leaving,
        timeliness,
        "805",
        "Hartlepool",
        periods,
        labels,
        {"a10_days": 426, "a2_days": 121},
    )
    assert text.startswith(
        "**Hartlepool**: the number of adoption orders in Q1-Q2 2024-25 is "
        "suppressed to protect small numbers (7 in Q1-Q2 2023-24; 15 in "
        "2023-24)."
    )
    assert "placements for adoption 9 (suppressed then)" in text
    assert "ADM best-interest decisions 12 (up from 10)" in text
    assert "early permanence placements 0 (the same as a year earlier)" in text
    assert "The number of placement orders in Q1-Q2 2024-25 is suppressed" in text
    # A10 400 days: 26 within 426; A2 130: 9 over 121
    assert "400 days from entering care" in text and "26 days within the 426-day" in text
    assert "9 days over the 121-day threshold" in text
    assert "rest on a suppressed number of children, so the figures are less reliable" in text
    assert "rate of leaving care by adoption is suppressed" in text
    assert "fewer than 6" not in text


def test_inputs_and_missing_extract_text():
    names = {"805": "Hartlepool", "806": "Middlesbrough"}
    text = presentation.inputs_text(
        ["805", "806"], names, {"placed_adoption": ["805"], "ad1": ["805", "806"]}
    )
    assert text == (
        "PlacedAdoption (SSDA903) was not supplied by Middlesbrough: ADM decisions are not "
        "available for them, nor for the agency total."
    )
    assert "referrals extract (raa/referrals.csv" in presentation.not_supplied_text("referrals")


def test_spread_chart_hides_the_children_of_a_suppressed_count():
    cohort = "12 months to Sep 2024"
    rows = []
    for la, n in (("805", "c"), ("806", 7), ("all", 0)):
        rows.append((la, cohort, "a10_children", n))
        for stat, v in (
            ("mean_days", 300.0),
            ("median_days", 290.0),
            ("lower_quartile_days", 200.0),
            ("upper_quartile_days", 350.0),
        ):
            rows.append((la, cohort, f"a10_{stat}", v if n not in ("c", 0) else float("nan")))
    timeliness = pd.DataFrame(rows, columns=["la_code", "cohort", "measure", "value"])
    children = pd.DataFrame(
        {
            "la_code": ["805", "805", "806"],
            "cohort": cohort,
            "a10_days": [100.0, 200.0, 300.0],
            "a2_days": np.nan,
        }
    )
    groups = presentation.spread_groups(
        timeliness, children, cohort, "a10", ["805", "806"], {"805": "H", "806": "M"}
    )
    assert [(g[0], g[1], g[2] is None, g[3]) for g in groups] == [
        ("H", [], True, "number of children suppressed: not shown"),
        ("M", [300.0], False, ""),
        ("Adoption Tees Valley", [], True, "no child adopted"),
    ]


def test_change_text_compares_like_with_like():
    values = {
        ("805", "current", "adm_decisions"): 7,
        ("805", "previous_same_half", "adm_decisions"): 9,
        ("806", "current", "adm_decisions"): "c",
        ("806", "previous_same_half", "adm_decisions"): 8,
        ("807", "current", "adm_decisions"): 6,
        ("807", "previous_same_half", "adm_decisions"): 6,
    }
    labels = {"current": "Q1-Q2 2024-25", "previous_same_half": "Q1-Q2 2023-24"}
    text = presentation.change_text(
        published_measures(values),
        "adm_decisions",
        ["805", "806", "807"],
        {"805": "Hartlepool", "806": "Middlesbrough", "807": "Redcar and Cleveland"},
        labels,
    )
    assert text == (
        "ADM best-interest decisions in Q1-Q2 2024-25 against Q1-Q2 2023-24: fewer in "
        "Hartlepool (7, from 9); the same number in Redcar and Cleveland. For Middlesbrough the "
        "comparison is not shown (a figure is suppressed or not available)."
    )


def test_a10_unknown_when_the_history_starts_before_the_returns():
    eps = episodes(
        [
            # T1: first episode in the data is a change of placement (P): entered care earlier
            ("T1", "2020-04-01", "P", "E1", "U4", "2021-01-04", "X1"),
            ("T1", "2021-01-04", "P", "E1", "A5", "2021-12-01", "E11"),
            # T2: history truncated too, but the placement order is a later, visible change
            ("T2", "2020-04-01", "P", "C2", "U4", "2020-09-01", "X1"),
            ("T2", "2020-09-01", "L", "E1", "U4", "2021-02-01", "X1"),
            ("T2", "2021-02-01", "P", "E1", "A5", "2021-12-15", "E11"),
        ]
    )
    ad1 = pd.DataFrame(
        {
            "la_code": "806",
            "child_id": ["T1", "T2"],
            "date_match": pd.to_datetime(["2020-12-01", "2020-12-01"]),
            "foster_care": [0, 0],
        }
    )
    got = adoption.a10_a2_children(eps, ad1, "2022-03-31").set_index("child_id")
    assert math.isnan(got.loc["T1", "a10_days"]) and math.isnan(got.loc["T1", "a2_days"])
    assert got.loc["T1", "reason"] == (
        "A10: entry into care is before the returns supplied (first episode not RNE S); "
        "A2: the placement order may be before the returns supplied"
    )
    assert math.isnan(got.loc["T2", "a10_days"])
    # T2's order on 1 Sep 2020 is in the data: match 1 Dec 2020 -> 30 + 31 + 30 = 91 days
    assert got.loc["T2", "a2_days"] == 91.0
    summary, _ = adoption.a10_a2_summary(
        eps, ad1, ["806"], [c for c in adoption.timeliness_cohorts("2021-04-01", "2022-03-31")]
    )
    v = summary.set_index(["la_code", "cohort", "measure"])["value"]
    assert (v["806", "2021-22", "adopted"], v["806", "2021-22", "a10_children"]) == (2, 0)
    assert v["806", "2021-22", "a2_children"] == 1
    published = summary.loc[summary["la_code"].eq("806")].assign(la_code="all")
    assert presentation.coverage_text(published).startswith(
        "Not every child adopted has a figure: A10 covers 0 of the 2 children adopted in "
        "2021-22; A2 covers 1 of the 2 children adopted in 2021-22."
    )


def test_cohort_phrase_and_plural():
    assert presentation.cohort_phrase("12 months to Sep 2024") == "in the 12 months to Sep 2024"
    assert presentation.cohort_phrase("2023-24") == "in 2023-24"
    assert presentation.plural(1, "day") == "1 day"
    assert presentation.plural(1200, "child", "children") == "1,200 children"
