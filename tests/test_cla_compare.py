"""This year against last and against published comparators: tidy tables and their views."""

import math

import pandas as pd
import pytest
from cla_frames import ep, episodes

from analysis import cla
from analysis.cla import DFE_PUBLISHED, THIS_REPORT


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("2023-04-01", "2024-03-31", "2023-24"),
        ("2024-04-01", "2025-03-31", "2024-25"),
        ("2024-04-01", "2024-09-30", "Apr 2024 to Sep 2024"),
        ("2023-01-01", "2023-12-31", "Jan 2023 to Dec 2023"),
    ],
)
def test_period_label(start, end, label):
    assert cla.period_label(start, end) == label


def test_previous_period_keeps_month_ends():
    assert cla.previous_period("2023-04-01", "2024-03-31") == (
        pd.Timestamp("2022-04-01"),
        pd.Timestamp("2023-03-31"),
    )
    # 29 February 2024 goes back to 28 February 2023.
    assert cla.previous_period("2023-03-01", "2024-02-29")[1] == pd.Timestamp("2023-02-28")


def test_by_period_stacks_with_labels_earliest_first():
    calls = []

    def make(start, end):
        calls.append((start, end))
        return pd.DataFrame({"code": ["A"], "count": [start.year]})

    out = cla.by_period(make, [("2022-04-01", "2023-03-31"), ("2023-04-01", "2024-03-31")])
    assert list(out.columns) == ["period", "code", "count"]
    assert list(out["period"]) == ["2022-23", "2023-24"]
    assert list(out["count"]) == [2022, 2023]
    assert calls[0] == (pd.Timestamp("2022-04-01"), pd.Timestamp("2023-03-31"))


def test_by_year_end_adds_the_year():
    out = cla.by_year_end(lambda d: pd.DataFrame({"x": [d.month]}), ["2023-03-31", "2024-03-31"])
    assert list(out["year_ending"]) == [2023, 2024] and list(out["x"]) == [3, 3]


def tidy() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["2022-23", "2022-23", "2023-24", "2023-24", "2023-24"],
            "code": ["A", "B", "A", "B", "C"],
            "count": [10, "c", 12, 7, 0],
            "percent": [90.9, "c", 63.2, 36.8, 0.0],
        }
    )


def test_side_by_side_values_first_then_periods():
    view = cla.side_by_side(tidy(), ["code"], ["period"], ["count", "percent"])
    assert list(view.columns) == [
        "code", "Number 2022-23", "Number 2023-24", "% 2022-23", "% 2023-24"
    ]  # fmt: skip
    assert list(view["code"]) == ["A", "B", "C"]
    assert list(view["Number 2022-23"]) == [10, "c", None]  # C has no 2022-23 row: empty
    assert list(view["% 2023-24"]) == [63.2, 36.8, 0.0]


def test_side_by_side_order_and_no_spread_columns():
    view = cla.side_by_side(tidy(), ["code"], ["period"], ["count"], order=["2023-24"])
    assert list(view.columns) == ["code", "Number 2023-24", "Number 2022-23"]
    one = cla.side_by_side(tidy().loc[lambda t: t["period"].eq("2023-24")], ["code"], [], ["count"])
    assert list(one.columns) == ["code", "Number"] and list(one["Number"]) == [12, 7, 0]


def test_side_by_side_turns_na_into_empty_cells():
    table = pd.DataFrame({"k": ["x", "y"], "p": ["1", "1"], "v": pd.array([1, pd.NA], "Int64")})
    view = cla.side_by_side(table, ["k"], ["p"], ["v"], {"v": "Value"})
    assert list(view["Value 1"]) == [1, None]


def published_characteristics() -> pd.DataFrame:
    rows = []
    for area, kind in (("Town", "la"), ("Region", "region"), ("England", "england")):
        for year in (2022, 2023, 2024):
            for name, count, pct in (("X", 60, 60.0), ("Y", 40, 40.0), ("Total", 100, 100.0)):
                rows.append((year, area, kind, name, count, pct))
            rows.append((year, area, kind, "Z", 0, 0.0))
    return pd.DataFrame(
        rows, columns=["year_ending", "area", "area_type", "characteristic", "count", "percent"]
    )


def test_with_published_keeps_our_years_and_characteristics():
    ours = pd.DataFrame(
        {
            "year_ending": [2023, 2023, 2024, 2024],
            "characteristic": ["X", "Y", "X", "Y"],
            "count": [3, 7, 4, 6],
            "percent": [30.0, 70.0, 40.0, 60.0],
        }
    )
    out = cla.with_published(ours, published_characteristics(), "Town", ["region", "england"])
    assert list(out.columns) == [
        "year_ending", "area", "source", "characteristic", "count", "percent"
    ]  # fmt: skip
    assert list(out["source"][:4]) == [THIS_REPORT] * 4
    # no LA rows from DfE, no 2022, no Total, no Z: 2 areas x 2 years x 2 characteristics
    published = out.loc[out["source"].eq(DFE_PUBLISHED)]
    assert len(published) == 8
    assert list(published["area"].unique()) == ["Region", "England"]
    assert set(published["year_ending"]) == {2023, 2024}
    assert set(published["characteristic"]) == {"X", "Y"}
    latest = cla.latest_comparators(out, 2024)
    assert len(latest) == 4 + 4  # our four rows, DfE's 2024 rows only


def test_rate_comparison_and_years_covered():
    ours = pd.DataFrame({"year_ending": [2024], "children_count": [554], "rate_per_10k": [157.5]})
    published = pd.DataFrame(
        {
            "year_ending": [2023, 2024],
            "area": ["England", "England"],
            "area_type": ["england", "england"],
            "children_count": pd.array([83750, pd.NA], dtype="Int64"),
            "rate_per_10k": [70.0, math.nan],
        }
    )
    out = cla.rate_comparison(ours, published, "Town")
    assert list(out["source"]) == [THIS_REPORT, DFE_PUBLISHED, DFE_PUBLISHED]
    assert list(out["area"]) == ["Town", "England", "England"]
    assert out["children_count"].isna().tolist() == [False, False, True]
    assert cla.year_ends_covered(["2020-21", "2022-23"], 2020, 2024) == [2021, 2023]
    assert cla.year_ends_covered([], 2020, 2024) == []


def test_cla_by_year_end_counts_at_31_march():
    eps = episodes(
        ep("A", "2022-01-01"),  # looked after at both year ends
        ep("B", "2023-03-31", dec="2024-03-31", rec="E8"),  # ceased on 31 March 2024
        ep("C", "2023-04-01"),  # started after 31 March 2023
    )
    out = cla.cla_by_year_end(eps, [2023, 2024], lambda year: 1000 * (year - 2020))
    assert list(out["children_count"]) == [2, 2]
    assert out["rate_per_10k"].tolist() == pytest.approx([2 / 3000 * 10_000, 2 / 4000 * 10_000])


def test_with_indicators_groups_rows_by_measure():
    ours = pd.DataFrame(
        {
            "year_ending": [2024, 2024],
            "measure": ["short_term", "long_term"],
            "count": [5, 7],
            "denominator": [50, 10],
            "percent": [10.0, 70.0],
        }
    )
    lait = pd.DataFrame(
        {"year_ending": [2024, 2024], "area": ["Region", "England"], "value": [11.0, 12.0]}
    )
    out = cla.with_indicators(ours, {"short_term": lait}, "Town")
    assert list(out["measure"]) == ["short_term", "short_term", "short_term", "long_term"]
    assert list(out["source"]) == [THIS_REPORT, DFE_PUBLISHED, DFE_PUBLISHED, THIS_REPORT]
    assert out["count"].isna().tolist() == [False, True, True, False]
    assert out.loc[2, "percent"] == 12.0


def test_chart_series_numbers_only_and_names_by_varying_keys():
    table = pd.DataFrame(
        {
            "year_ending": [2023, 2024, 2024],
            "area": ["Town", "Town", "England"],
            "source": [THIS_REPORT, THIS_REPORT, DFE_PUBLISHED],
            "rate": [1.5, "c", 3.0],
        }
    )
    series = cla.chart_series(table, "year_ending", [2022, 2023, 2024], ["area", "source"], "rate")
    assert list(series) == ["Town, This report", "England, DfE published"]
    assert series["Town, This report"][1] == 1.5
    assert math.isnan(series["Town, This report"][0])  # no 2022 row
    assert math.isnan(series["Town, This report"][2])  # suppressed
    same_source = table.loc[table["area"].eq("Town")]
    assert (
        list(cla.chart_series(same_source, "year_ending", [2023], ["area", "source"], "rate"))[0]
        == "Town"
    )
