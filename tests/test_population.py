"""Population comparisons: intervals, goodness of fit, disproportionality, ONS and Census inputs.

Expected values are worked by hand (formulas in the comments) or taken from the published
reference files directly, never from the code under test.
"""

import math

import pandas as pd
import pytest
from refdata import REFERENCE_DIR

from analysis import codes as codelists
from analysis import population as pop
from analysis.tables import SUPPRESSED

Z = 1.959964  # two-sided 95% normal quantile


# --- intervals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n", "lower", "upper"),
    [
        # Wilson (1927) 95% intervals, as tabulated by Newcombe (1998), Statistics in Medicine.
        (5, 10, 0.2366, 0.7634),
        (0, 10, 0.0, 0.2775),  # upper = z^2 / (n + z^2) = 3.8415 / 13.8415
        (10, 10, 0.7225, 1.0),
        (30, 100, 0.2189, 0.3958),
    ],
)
def test_wilson_interval(k, n, lower, upper):
    lo, hi = pop.wilson_interval(k, n)
    assert lo == pytest.approx(lower, abs=5e-5)
    assert hi == pytest.approx(upper, abs=5e-5)


def test_wilson_interval_edges():
    assert all(math.isnan(v) for v in pop.wilson_interval(0, 0))
    with pytest.raises(ValueError):
        pop.wilson_interval(11, 10)
    with pytest.raises(ValueError):
        pop.wilson_interval(-1, 10)
    assert pop.z_value(0.95) == pytest.approx(Z, abs=1e-6)


def test_katz_log_interval_by_hand():
    # RR = (10/100) / (20/400) = 2; SE = sqrt(1/10 - 1/100 + 1/20 - 1/400) = sqrt(0.1375)
    # = 0.370810; bounds 2 * exp(-/+ 1.959964 * 0.370810) = 0.96695, 4.13670.
    ratio, lower, upper = pop.katz_log_ratio_interval(10, 100, 20, 400)
    assert ratio == pytest.approx(2.0)
    assert lower == pytest.approx(0.96695, abs=1e-4)
    assert upper == pytest.approx(4.13670, abs=1e-4)


def test_katz_undefined_at_zero():
    ratio, lower, upper = pop.katz_log_ratio_interval(0, 100, 20, 400)
    assert ratio == 0.0 and math.isnan(lower) and math.isnan(upper)
    assert all(math.isnan(v) for v in pop.katz_log_ratio_interval(3, 100, 0, 400))


def test_ratio_to_population_wilson_divides_by_population_share():
    # 5 of 10 children against 25 of 100 residents: ratio 0.5 / 0.25 = 2; Wilson 5/10 bounds
    # 0.2366 and 0.7634 divided by 0.25.
    ratio, lower, upper = pop.ratio_to_population_interval(5, 10, 25, 100)
    assert ratio == pytest.approx(2.0)
    assert lower == pytest.approx(0.9464, abs=2e-4)
    assert upper == pytest.approx(3.0536, abs=2e-4)


def test_ratio_to_population_zero_count_has_an_upper_bound():
    ratio, lower, upper = pop.ratio_to_population_interval(0, 10, 50, 100)
    assert ratio == 0.0 and lower == 0.0
    assert upper == pytest.approx(0.2775 / 0.5, abs=2e-4)
    assert all(math.isnan(v) for v in pop.ratio_to_population_interval(1, 10, 0, 100))
    with pytest.raises(ValueError):
        pop.ratio_to_population_interval(1, 10, 5, 100, method="exact")


def test_goodness_of_fit_two_groups():
    # Expected 50 and 50: chi-square = 20^2/50 + 20^2/50 = 16 on 1 df; p = 6.334e-05.
    result = pop.goodness_of_fit(["A", "B"], [30, 70], [1, 1])
    assert result.statistic == pytest.approx(16.0)
    assert result.df == 1
    assert result.p_value == pytest.approx(6.334e-05, rel=1e-3)
    assert result.pooled == ()


def test_goodness_of_fit_pools_small_expected_counts():
    # Expected 80, 10, 6, 4: D (4) is below 5, alone still below 5, so C joins it:
    # groups A, B, pooled with observed 70, 15, 15 and expected 80, 10, 10;
    # chi-square = 100/80 + 25/10 + 25/10 = 6.25 on 2 df; p = exp(-6.25 / 2) = 0.04394.
    result = pop.goodness_of_fit(["A", "B", "C", "D"], [70, 15, 10, 5], [80, 10, 6, 4])
    assert result.groups == ("A", "B", pop.POOLED_LABEL)
    assert result.pooled == ("C", "D")
    assert result.observed == (70, 15, 15)
    assert result.statistic == pytest.approx(6.25)
    assert result.df == 2
    assert result.p_value == pytest.approx(math.exp(-3.125), rel=1e-6)


def test_goodness_of_fit_degenerate_inputs():
    assert math.isnan(pop.goodness_of_fit(["A", "B"], [0, 0], [1, 1]).p_value)
    # Everything pooled into one group: nothing left to test.
    assert math.isnan(pop.goodness_of_fit(["A", "B"], [1, 2], [1, 1]).statistic)
    # A group with no population and no children is dropped, not pooled.
    result = pop.goodness_of_fit(["A", "B", "C"], [30, 70, 0], [1, 1, 0])
    assert result.groups == ("A", "B") and result.statistic == pytest.approx(16.0)
    with pytest.raises(ValueError):
        pop.goodness_of_fit(["A"], [1, 2], [1, 1])


# --- disproportionality ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lower", "upper", "expected"),
    [
        (1.01, 2.0, pop.OVER),
        (0.5, 0.99, pop.UNDER),
        (0.9, 1.1, pop.NO_DIFFERENCE),
        (1.0, 1.5, pop.NO_DIFFERENCE),  # touching 1 is not excluding it
        (math.nan, math.nan, pop.NO_DIFFERENCE),
    ],
)
def test_finding(lower, upper, expected):
    assert pop.finding(lower, upper) == expected


def test_against_population_by_hand():
    observed = pd.Series({"A": 30, "B": 70})
    population = pd.Series({"A": 500, "B": 500})
    table = pop.against_population(observed, population)
    assert list(table["category"]) == ["A", "B"]
    assert list(table["percent"]) == [30.0, 70.0]
    assert list(table["population_percent"]) == [50.0, 50.0]
    assert table["ratio"].tolist() == pytest.approx([0.6, 1.4])
    # Wilson 30/100 = (0.2189, 0.3958) -> / 0.5; 70/100 = (0.6042, 0.7811) -> / 0.5.
    assert table["ratio_lower"].tolist() == pytest.approx([0.4379, 1.2084], abs=2e-4)
    assert table["ratio_upper"].tolist() == pytest.approx([0.7917, 1.5621], abs=2e-4)
    assert list(table["finding"]) == [pop.UNDER, pop.OVER]


def test_against_population_group_without_population_is_an_error():
    with pytest.raises(ValueError, match="C"):
        pop.against_population(pd.Series({"A": 1, "C": 2}), pd.Series({"A": 10}))


def _census(**populations: int) -> pd.DataFrame:
    cats = pop.comparison_categories()
    values = [populations.get(c, 0) for c in cats["category"]]
    return pd.DataFrame(
        {"category": cats["category"], "major_group": cats["major_group"], "population": values}
    )


def test_mapping_covers_every_ethnic_code_except_refused_and_not_obtained():
    mapped = {c for codes in pop.comparison_categories()["codes"] for c in codes}
    assert mapped == set(codelists.codes("ETHNIC")) - set(pop.NOT_COMPARED)
    assert pop.comparison_category("WIRT") == pop.comparison_category("WROM")
    assert pop.comparison_category("REFU") is None
    assert pop.comparison_category(None) is None
    assert pop.comparison_category("CHNE") == "Chinese"


def test_ethnicity_against_population_groups_and_not_known():
    census = _census(**{"White British": 800, "Pakistani": 100, "Chinese": 100})
    ethnic = pd.Series(["WBRI"] * 6 + ["WIRT", "WROM"] + ["CHNE"] * 2 + ["REFU", None])
    groups = pop.ethnicity_against_population(ethnic, census, level="group")
    assert list(groups["category"]) == [
        "White", "Mixed", "Asian", "Black", "Other", pop.NOT_COMPARED_LABEL
    ]  # fmt: skip
    assert list(groups["count"]) == [8, 0, 0, 0, 2, 2]
    # Chinese is "Other" in DfE's grouping, for children and population alike.
    assert groups.loc[4, "population"] == 100
    assert groups.loc[0, "percent"] == pytest.approx(80.0)  # of the 10 children compared
    assert groups.loc[0, "ratio"] == pytest.approx(0.8 / 0.8)
    assert groups.loc[5, "finding"] == "not compared"
    detail = pop.ethnicity_against_population(ethnic, census, level="code").set_index("category")
    assert detail.loc["Gypsy, Roma or Irish Traveller", "count"] == 2
    assert detail.loc[pop.NOT_COMPARED_LABEL, "count"] == 2
    with pytest.raises(ValueError):
        pop.ethnicity_against_population(ethnic, census, level="major")


def test_ethnicity_fit_leaves_out_not_known():
    census = _census(**{"White British": 500, "Pakistani": 500})
    ethnic = pd.Series(["WBRI"] * 30 + ["APKN"] * 70 + ["NOBT"] * 5)
    result = pop.ethnicity_fit(ethnic, census, level="code")
    assert result.n == 100
    assert result.statistic == pytest.approx(16.0)  # as test_goodness_of_fit_two_groups


def test_sex_age_against_population_rates_and_not_known():
    children = pd.DataFrame(
        {
            "group": ["sex", "sex", "sex", "age_band", "age_band"],
            "code": ["Male", "Female", "Not known", "Under 1", "1 to 4"],
            "count": [6, 4, 1, 3, 7],
        }
    )
    population = pd.DataFrame(
        {
            "group": ["sex", "sex", "age_band", "age_band"],
            "code": ["Male", "Female", "Under 1", "1 to 4"],
            "population": [5000, 5000, 1000, 9000],
        }
    )
    table = pop.sex_age_against_population(children, population)
    sex = table.loc[table["group"].eq("sex")].set_index("code")
    assert sex.loc["Male", "rate_per_10k"] == pytest.approx(12.0)  # 6 / 5000 * 10,000
    assert sex.loc["Female", "percent"] == pytest.approx(40.0)  # of 10 with a known sex
    assert sex.loc[pop.NOT_COMPARED_LABEL, "count"] == 1
    age = table.loc[table["group"].eq("age_band")].set_index("code")
    assert age.loc["Under 1", "ratio"] == pytest.approx(0.3 / 0.1)
    assert pop.NOT_COMPARED_LABEL not in age.index
    fits = pop.sex_age_fit(children, population)
    assert set(fits) == {"sex", "age_band"} and fits["sex"].n == 10


def test_publishable_ratios_suppresses_with_small_counts():
    table = pd.DataFrame(
        {
            "count": [3, 40, 0, 2],
            "ratio": [1.23456, 0.98765, 0.0, math.nan],
            "ratio_lower": [0.5, 0.81234, 0.0, math.nan],
            "ratio_upper": [2.5, 1.2, 0.4, math.nan],
            "finding": [pop.NO_DIFFERENCE, pop.NO_DIFFERENCE, pop.UNDER, "not compared"],
        }
    )
    public = pop.publishable_ratios(table, "public")
    assert list(public["ratio"][:3]) == [SUPPRESSED, 0.99, 0.0]
    assert public.loc[0, "finding"] == SUPPRESSED
    assert public.loc[1, "ratio_lower"] == 0.81
    assert public.loc[3, "finding"] == "not compared"  # the label stays
    internal = pop.publishable_ratios(table, "internal")
    assert internal.loc[0, "ratio"] == 1.23 and internal.loc[0, "finding"] == pop.NO_DIFFERENCE


def test_publishable_ratios_follow_secondary_suppression():
    # Counts 50, 30, 12, 3: the 3 is hidden; the percentages give the total away, so the
    # smallest other non-zero count (12) is hidden too, and its ratio with it.
    census = _census(**{"White British": 500, "Pakistani": 300, "Chinese": 100, "Indian": 100})
    ethnic = pd.Series(["WBRI"] * 50 + ["APKN"] * 30 + ["CHNE"] * 12 + ["AIND"] * 3)
    table = pop.ethnicity_against_population(ethnic, census, level="code")
    table = table.loc[table["count"].gt(0) | table["category"].eq(pop.NOT_COMPARED_LABEL)]
    table = table.reset_index(drop=True)
    out = pop.publishable_ratios(table, "public", "cla_ethnicity_population_detailed")
    hidden = out.set_index("category")["ratio"]
    assert hidden["Indian"] == SUPPRESSED and hidden["Chinese"] == SUPPRESSED
    assert hidden["Pakistani"] != SUPPRESSED and hidden["White British"] != SUPPRESSED
    without_catalogue = pop.publishable_ratios(table, "public").set_index("category")["ratio"]
    assert without_catalogue["Chinese"] != SUPPRESSED


def test_fit_table_and_sentences():
    results = {
        "two": pop.goodness_of_fit(["A", "B"], [30, 70], [1, 1]),
        "flat": pop.goodness_of_fit(["A", "B"], [48, 52], [1, 1]),
    }
    table = pop.fit_table(results)
    assert list(table.columns) == [
        "comparison", "children", "groups", "statistic", "df", "p_value", "pooled"
    ]  # fmt: skip
    assert table.loc[0, "statistic"] == 16.0 and table.loc[0, "p_value"] == 0.0001
    # 48 v 52 against 50/50: chi-square = 4/50 + 4/50 = 0.16, p = 0.689.
    assert table.loc[1, "statistic"] == 0.16
    significant = pop.fit_sentence(table.iloc[0], "The mix", "the population")
    assert "differs significantly" in significant and "p < 0.001" in significant
    assert "16.0 on 1 degree of freedom" in significant
    flat = pop.fit_sentence(table.iloc[1], "The mix", "the population")
    assert "no statistically significant difference" in flat and "p = 0.689" in flat
    assert pop.format_p(float("nan")) == "p not available"


def test_disproportion_sentence_names_groups_and_hides_suppressed():
    table = pd.DataFrame(
        {
            "category": ["A", "B", "C"],
            "ratio": [1.5, 0.5, SUPPRESSED],
            "ratio_lower": [1.2, 0.3, SUPPRESSED],
            "ratio_upper": [1.8, 0.7, SUPPRESSED],
            "finding": [pop.OVER, pop.UNDER, pop.OVER],
        }
    )
    text = pop.disproportion_sentence(table)
    assert "A (ratio 1.50, 95% CI 1.20 to 1.80)" in text
    assert "Under-represented: B (ratio 0.50" in text
    assert "C (" not in text and "suppressed to protect small numbers (1)" in text
    none = table.assign(finding=pop.NO_DIFFERENCE, ratio=1.0)
    assert "No group's 95% interval excludes 1" in pop.disproportion_sentence(none)


# --- published inputs ------------------------------------------------------------------------


def test_census_ethnicity_middlesbrough_from_the_file():
    census = pop.census_ethnicity(REFERENCE_DIR, ["806"]).set_index("category")
    raw = pd.read_csv(REFERENCE_DIR / pop.CENSUS_ETHNICITY_FILE)
    mbro = raw.loc[raw.iloc[:, 0].eq("E06000002")].set_index(raw.columns[2])[raw.columns[4]]
    assert census.loc["White British", "population"] == mbro[13]
    assert census.loc["Gypsy, Roma or Irish Traveller", "population"] == mbro[15] + mbro[16]
    assert census.loc["Any other ethnic group (including Arab)", "population"] == (
        mbro[18] + mbro[19]
    )
    assert census["population"].sum() == mbro.sum()  # code -8 "does not apply" is 0
    assert census.loc["Chinese", "major_group"] == "Other"


def test_child_population_middlesbrough_from_the_file():
    table = pop.child_population(REFERENCE_DIR, ["806"]).set_index(["group", "code"])
    raw = pd.read_csv(REFERENCE_DIR / "ons_mye2_mid2023_age0_17_by_sex_england_utla.csv")
    rows = raw.loc[raw["Code"].eq("E06000002")].set_index("Sex")
    ages = [f"age_{a}" for a in range(18)]
    assert table.loc[("sex", "Male"), "population"] == rows.loc["Male", ages].sum()
    assert table.loc[("age_band", "Under 1"), "population"] == rows.loc["Persons", "age_0"]
    assert table.loc[("age_band", "16 and over"), "population"] == (
        rows.loc["Persons", ["age_16", "age_17"]].sum()
    )
    bands = table.xs("age_band")["population"].sum()
    assert bands == rows.loc["Persons", ages].sum()


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.234, "1.23"), (0.997, "0.997"), (1.004, "1.004"), (1.0, "1.00"), (0.0, "0.00")],
)
def test_format_ratio_never_shows_a_misleading_one(value, text):
    assert pop.format_ratio(value) == text


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(1.1346, 1.13), (0.997, 0.997), (1.0004, 1.0004), (0.99996, 1.0), (1.0, 1.0), (0.5, 0.5)],
)
def test_round_ratio_keeps_bounds_off_one(value, rounded):
    assert pop.round_ratio(value) == rounded
    assert math.isnan(pop.round_ratio(math.nan))


def test_ratio_view_joins_the_interval():
    published = pd.DataFrame(
        {
            "category": ["A", "B", pop.NOT_COMPARED_LABEL],
            "count": [40, "c", 2],
            "percent": [80.0, "c", None],
            "population": [500, 100, None],
            "population_percent": [50.0, 10.0, None],
            "ratio": [1.6, "c", None],
            "ratio_lower": [1.4, "c", None],
            "ratio_upper": [1.75, "c", None],
            "finding": [pop.OVER, "c", "not compared"],
        }
    )
    view = pop.ratio_view(published)
    assert list(view["Ratio (95% CI)"]) == ["1.60 (1.40 to 1.75)", "c", ""]
    assert list(view.columns) == [
        "Group", "Number", "% of children", "% of population", "Ratio (95% CI)", "Finding"
    ]  # fmt: skip


def test_population_year_note():
    assert pop.population_year_note(2024).endswith("(first release).")
    assert "no estimate by sex and age for mid-2024" in pop.population_year_note(2025)
