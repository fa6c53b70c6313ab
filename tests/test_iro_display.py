"""Period comparisons: tidy tables in, the reader's wide view out, prose lookups."""

import pandas as pd
import pytest

from analysis.iro import display

T = pd.Timestamp


def test_period_label_and_previous_year():
    assert display.period_label("2023-04-01", "2024-03-31") == "2023-24"
    assert display.period_label("1999-04-01", "2000-03-31") == "1999-00"
    assert display.period_label("2024-04-01", "2024-09-30") == "1 Apr 2024 to 30 Sep 2024"
    assert display.previous_year("2023-04-01", "2024-03-31") == (
        T("2022-04-01"),
        T("2023-03-31"),
    )
    # 29 February moves to 28 February a year earlier
    assert display.previous_year("2023-03-01", "2024-02-29")[1] == T("2023-02-28")


def test_stack_periods_puts_the_label_first():
    a = pd.DataFrame({"code": ["x"], "count": [1]})
    b = pd.DataFrame({"code": ["x", "y"], "count": [2, 3]})
    out = display.stack_periods({"2022-23": a, "2023-24": b})
    assert list(out.columns) == ["period", "code", "count"]
    assert out["period"].tolist() == ["2022-23", "2023-24", "2023-24"]
    assert list(display.stack_periods({}).columns) == ["period"]


def published():
    return pd.DataFrame(
        {
            "period": ["2022-23", "2022-23", "2022-23", "2023-24", "2023-24", "2023-24"],
            "code": ["old", "b", "z", "b", "a", "z"],
            "count": [4, "c", 0, 10, 12, 0],
            "percent": [80.0, "c", 0.0, 45.5, 54.5, 0.0],
        }
    )


def test_wide_by_period_follows_the_report_year_and_keeps_published_cells():
    out = display.wide_by_period(published())
    assert list(out.columns) == [
        "code",
        "2022-23 Number",
        "2023-24 Number",
        "2022-23 %",
        "2023-24 %",
    ]
    # report-year order (b, a, z), then the code found only last year
    assert out["code"].tolist() == ["b", "a", "z", "old"]
    assert out["2022-23 Number"].tolist() == ["c", None, 0, 4]
    assert out["2023-24 %"].tolist() == [45.5, 54.5, 0.0, None]


def test_wide_by_period_drops_rows_zero_everywhere_but_not_suppressed():
    table = published()
    table.loc[0, "count"] = "c"  # 'old' is suppressed last year, absent this year
    out = display.wide_by_period(table, drop_zero_rows=True)
    assert out["code"].tolist() == ["b", "a", "old"]


def test_wide_by_period_names_and_period_format():
    out = display.wide_by_period(
        published(), values=("count",), names={"count": ""}, period_format=lambda p: p[-2:]
    )
    assert list(out.columns) == ["code", "23", "24"]


def test_value_of_needs_exactly_one_row():
    assert display.value_of(published(), "count", period="2023-24", code="a") == 12
    assert display.value_of(published(), "count", period="2022-23", code="b") == "c"
    with pytest.raises(KeyError, match="0 rows match"):
        display.value_of(published(), "count", period="2023-24", code="old")
    with pytest.raises(KeyError, match="3 rows match"):
        display.value_of(published(), "count", period="2023-24")


def test_change_reads_suppressed_figures():
    assert display.change(12, "c") == "with no comparison shown (small numbers are suppressed)"
    assert display.change(12, 10) == "up 20.0% from 10"
    assert display.change(61.3, 75.5, "pct") == "down 14.2 percentage points from 75.5%"


def test_top_code_ignores_suppressed_cells():
    row = display.top_code(published(), "2023-24")
    assert row["code"] == "a"
    last = display.top_code(published(), "2022-23")
    assert last["code"] == "old"
    hidden = published().assign(count="c")
    assert display.top_code(hidden, "2023-24")["code"] == "b"
    with pytest.raises(KeyError, match="no rows"):
        display.top_code(published(), "2019-20")
