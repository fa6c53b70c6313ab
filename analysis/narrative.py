"""Computed prose: every number in a report sentence comes from a table (DESIGN section 6).

The helpers take figures from the same tables the report shows and return sentences with the
comparison period and the direction of change. Counts show as whole numbers, percentages and
rates to 1 decimal place, days as whole numbers (DESIGN section 5, "Rounding").
"""

from __future__ import annotations

import math

import pandas as pd

SUPPRESSED_TEXT = "fewer than 6"


def percent(numerator: float, denominator: float) -> float:
    """``numerator / denominator`` as a percentage; NaN when the denominator is 0."""
    return math.nan if not denominator else 100.0 * numerator / denominator


def fmt_count(value: object) -> str:
    """A count with thousands separators; suppressed ``c`` reads 'fewer than 6'."""
    if value == "c":
        return SUPPRESSED_TEXT
    if value is None or pd.isna(value):
        return "not available"
    return f"{int(value):,}"


def fmt_pct(value: object) -> str:
    """A percentage to 1 decimal place with a % sign (``c`` stays suppressed)."""
    if value == "c":
        return "suppressed"
    if value is None or pd.isna(value):
        return "not available"
    return f"{float(value):.1f}%"


def fmt_rate(value: object) -> str:
    """A rate per 10,000 to 1 decimal place."""
    if value == "c":
        return "suppressed"
    if value is None or pd.isna(value):
        return "not available"
    return f"{float(value):.1f}"


def fmt_days(value: object) -> str:
    """Days as a whole number."""
    if value is None or pd.isna(value):
        return "not available"
    return f"{round(float(value)):,} days"


def change_phrase(current: float, previous: float, kind: str = "count") -> str:
    """Describe the change from ``previous`` to ``current``.

    For counts the relative change is given ("up 4.2% from 509"); for percentages and rates
    ("pct", "rate") the difference in percentage points or in the rate ("down 3.1 percentage
    points from 88.0%"). Equal figures read "the same as".
    """
    if previous is None or pd.isna(previous) or current is None or pd.isna(current):
        return "with no comparison available"
    if kind == "count":
        prev_text = fmt_count(previous)
        if current == previous:
            return f"the same as the {prev_text} of the previous year"
        direction = "up" if current > previous else "down"
        if previous == 0:
            return f"{direction} from 0"
        return f"{direction} {abs(percent(current - previous, previous)):.1f}% from {prev_text}"
    fmt = fmt_pct if kind == "pct" else fmt_rate
    diff = round(float(current), 1) - round(float(previous), 1)
    if abs(diff) < 0.05:
        return f"the same as the previous year's {fmt(previous)}"
    direction = "up" if diff > 0 else "down"
    unit = " percentage points" if kind == "pct" else ""
    return f"{direction} {abs(diff):.1f}{unit} from {fmt(previous)}"


def measure(table: pd.DataFrame, name: str) -> object:
    """The ``value`` of measure ``name`` in a measure,value table."""
    rows = table.loc[table["measure"] == name, "value"]
    if rows.empty:
        raise KeyError(f"measure {name} not in table")
    return rows.iloc[0]
