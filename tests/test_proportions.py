"""Year-on-year changes in a percentage: the interval, the verdict and the sentence."""

import math

import pandas as pd
import pytest

from analysis.stats.proportions import (
    change_sentence,
    compare_proportions,
    comparison_table,
    comparison_view,
)
from analysis.stats.yearly import key_figures, key_figures_view


def test_newcombe_interval_matches_the_published_example():
    # Newcombe (1998), Statistics in Medicine 17:873-890, Table II example (a):
    # 56/70 against 48/80, difference 0.2000, method 10 interval 0.0524 to 0.3339.
    c = compare_proportions(56, 70, 48, 80)
    assert c.current_pct == pytest.approx(80.0) and c.previous_pct == pytest.approx(60.0)
    assert c.difference_pp == pytest.approx(20.0)
    assert c.ci_lower_pp == pytest.approx(5.24, abs=0.01)
    assert c.ci_upper_pp == pytest.approx(33.39, abs=0.01)
    assert c.assessment == "significant increase" and c.significant


def test_no_significant_change_when_the_interval_includes_zero():
    c = compare_proportions(1153, 1296, 1128, 1300)  # 89.0% against 86.8%
    assert c.ci_lower_pp < 0 < c.ci_upper_pp
    assert c.assessment == "no significant change" and not c.significant
    text = change_sentence("CLA reviews held in timescale", c, "2023-24", "2022-23")
    assert text == (
        "CLA reviews held in timescale: 89.0% in 2023-24 against 86.8% in 2022-23, no "
        f"significant change (+2.2 percentage points, 95% confidence interval "
        f"{c.ci_lower_pp:.1f} to {c.ci_upper_pp:.1f})."
    )


def test_significant_fall_is_worded_as_a_fall():
    c = compare_proportions(600, 1000, 700, 1000)
    assert c.assessment == "significant decrease"
    assert "a statistically significant fall (-10.0 percentage points" in change_sentence(
        "X", c, "2023-24", "2022-23"
    )


def test_a_year_without_cases_is_not_assessed():
    c = compare_proportions(0, 0, 5, 10)
    assert math.isnan(c.current_pct) and c.assessment == "not assessed"
    assert "no comparison is possible" in change_sentence("X", c, "2023-24", "2022-23")


def test_counts_must_fit_their_totals():
    with pytest.raises(ValueError, match="current: count 11 must lie between 0 and total 10"):
        compare_proportions(11, 10, 5, 10)


def test_table_and_view():
    table = comparison_table({"reviews": compare_proportions(85, 100, 80, 100)})
    assert table.loc[0, ["previous_count", "current_count", "assessment"]].tolist() == [
        80,
        85,
        "no significant change",
    ]
    published = table.astype(object)
    published.loc[0, ["previous_count", "previous_pct", "difference_pp"]] = "c"
    published.loc[0, ["ci_lower_pp", "ci_upper_pp"]] = "c"
    view = comparison_view(published, {"reviews": "Reviews in time"}, "2022-23", "2023-24")
    assert view.iloc[0].tolist() == [
        "Reviews in time",
        "c",
        "85.0% (85 of 100)",
        "c",
        "c",
        "no significant change",
    ]


def test_key_figures_pair_the_years_in_measure_order():
    now = pd.DataFrame({"measure": ["a", "b"], "value": [10, 2.5]})
    before = pd.DataFrame({"measure": ["a", "b"], "value": [8, 3.5]})
    table = key_figures([now], [before], "2023-24", "2022-23")
    assert table.values.tolist() == [
        ["2022-23", "a", 8],
        ["2023-24", "a", 10],
        ["2022-23", "b", 3.5],
        ["2023-24", "b", 2.5],
    ]
    view = key_figures_view(table, {"a": "Alpha"}, "2022-23", "2023-24")
    assert view.values.tolist() == [["Alpha", 8, 10], ["b", 3.5, 2.5]]
