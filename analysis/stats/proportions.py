"""Year-on-year change in a proportion, with a 95% confidence interval and honest wording.

A change from 88.0% to 85.9% may be noise. The difference between two independent proportions
gets Newcombe's hybrid score interval (Newcombe 1998, *Statistics in Medicine* 17:873-890,
method 10; statsmodels ``confint_proportions_2indep(method="newcomb")``), which behaves well
for small counts and proportions near 0% or 100%, where the simple Wald interval does not. The
change is **statistically significant** at the 5% level when the 95% interval excludes zero;
otherwise the sentence says "no significant change". One rule decides both the interval and the
wording, so the table and the sentence cannot disagree (a separate test statistic could).

Caveat, stated in the report: the interval treats the two years as independent samples of
independent events. Reviews of the same child, or a child counted in both years, are not fully
independent, so the intervals are, if anything, a little narrow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "COMPARISON_COLUMNS",
    "ProportionChange",
    "compare_proportions",
    "change_sentence",
    "comparison_table",
    "comparison_view",
]

COMPARISON_COLUMNS = [
    "measure",
    "previous_count",
    "previous_total",
    "previous_pct",
    "current_count",
    "current_total",
    "current_pct",
    "difference_pp",
    "ci_lower_pp",
    "ci_upper_pp",
    "assessment",
]

NO_CHANGE = "no significant change"
INCREASE = "significant increase"
DECREASE = "significant decrease"
NOT_ASSESSED = "not assessed"


@dataclass(frozen=True)
class ProportionChange:
    """A proportion this year against last year, in percentages and percentage points."""

    current_count: int
    current_total: int
    previous_count: int
    previous_total: int
    current_pct: float
    previous_pct: float
    difference_pp: float
    ci_lower_pp: float
    ci_upper_pp: float

    @property
    def assessment(self) -> str:
        """The verdict on the change, from the 95% interval.

        ``significant increase``, ``significant decrease``, ``no significant change``, or
        ``not assessed`` (a year without cases).
        """
        if math.isnan(self.ci_lower_pp):
            return NOT_ASSESSED
        if self.ci_lower_pp > 0:
            return INCREASE
        if self.ci_upper_pp < 0:
            return DECREASE
        return NO_CHANGE

    @property
    def significant(self) -> bool:
        """True when the 95% interval of the difference excludes zero."""
        return self.assessment in (INCREASE, DECREASE)


def compare_proportions(
    current_count: int,
    current_total: int,
    previous_count: int,
    previous_total: int,
    alpha: float = 0.05,
) -> ProportionChange:
    """Difference between this year's and last year's proportion with its Newcombe interval.

    Parameters
    ----------
    current_count, current_total
        This year's numerator and denominator (e.g. reviews in time, reviews held).
    previous_count, previous_total
        Last year's.
    alpha
        1 - confidence level.

    Returns
    -------
    ProportionChange
        Percentages and the difference (current - previous) with its interval in percentage
        points; NaN where a denominator is 0.
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    for name, count, total in (
        ("current", current_count, current_total),
        ("previous", previous_count, previous_total),
    ):
        if total < 0 or count < 0 or count > total:
            raise ValueError(f"{name}: count {count} must lie between 0 and total {total}")
    cur = 100 * current_count / current_total if current_total else math.nan
    prev = 100 * previous_count / previous_total if previous_total else math.nan
    if current_total and previous_total:
        low, upp = confint_proportions_2indep(
            current_count, current_total, previous_count, previous_total,
            method="newcomb", compare="diff", alpha=alpha,
        )  # fmt: skip
        low, upp = 100 * float(low), 100 * float(upp)
    else:
        low = upp = math.nan
    return ProportionChange(
        int(current_count),
        int(current_total),
        int(previous_count),
        int(previous_total),
        cur,
        prev,
        cur - prev,
        low,
        upp,
    )


def change_sentence(
    label: str, change: ProportionChange, current_label: str, previous_label: str
) -> str:
    """A sentence on a year-on-year change that says "no significant change" when it is so.

    Parameters
    ----------
    label
        What the percentage measures, e.g. "CLA reviews held in timescale".
    change
        Output of :func:`compare_proportions`.
    current_label, previous_label
        The two years, e.g. "2023-24" and "2022-23".

    Examples
    --------
    "CLA reviews held in timescale: 85.9% in 2023-24 against 88.0% in 2022-23, no significant
    change (-2.1 percentage points, 95% confidence interval -4.7 to 0.5)."
    """
    if change.assessment == NOT_ASSESSED:
        return f"{label}: no comparison is possible (no cases in one of the years)."
    interval = (
        f"{change.difference_pp:+.1f} percentage points, 95% confidence interval "
        f"{change.ci_lower_pp:.1f} to {change.ci_upper_pp:.1f}"
    )
    head = (
        f"{label}: {change.current_pct:.1f}% in {current_label} against "
        f"{change.previous_pct:.1f}% in {previous_label}"
    )
    if change.assessment == NO_CHANGE:
        return f"{head}, no significant change ({interval})."
    word = "rise" if change.assessment == INCREASE else "fall"
    return f"{head}, a statistically significant {word} ({interval})."


def comparison_table(changes: dict[str, ProportionChange]) -> pd.DataFrame:
    """One row per measure with both years, the difference, its interval and the assessment.

    Parameters
    ----------
    changes
        Mapping ``measure -> ProportionChange`` in display order.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPARISON_COLUMNS`.
    """
    rows = [
        {
            "measure": measure,
            "previous_count": c.previous_count,
            "previous_total": c.previous_total,
            "previous_pct": c.previous_pct,
            "current_count": c.current_count,
            "current_total": c.current_total,
            "current_pct": c.current_pct,
            "difference_pp": c.difference_pp,
            "ci_lower_pp": c.ci_lower_pp,
            "ci_upper_pp": c.ci_upper_pp,
            "assessment": c.assessment,
        }
        for measure, c in changes.items()
    ]
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def _pct_of(pct: object, count: object, total: object) -> str:
    if any(v == "c" for v in (pct, count, total)):
        return "c"
    if pd.isna(pct):
        return ""
    return f"{float(pct):.1f}% ({int(count):,} of {int(total):,})"


def comparison_view(
    published: pd.DataFrame, labels: dict[str, str], previous_label: str, current_label: str
) -> pd.DataFrame:
    """The reader's view of a published :func:`comparison_table`.

    One row per measure: the label, each year as "86.8% (1,128 of 1,300)", the change in
    percentage points with its 95% interval, and the assessment. Suppressed cells stay ``c``.
    """
    rows = []
    for _, r in published.iterrows():
        if "c" in (r["difference_pp"], r["ci_lower_pp"], r["ci_upper_pp"]):
            change = interval = "c"
        elif pd.isna(r["difference_pp"]):
            change = interval = ""
        else:
            change = f"{float(r['difference_pp']):+.1f}"
            interval = f"{float(r['ci_lower_pp']):.1f} to {float(r['ci_upper_pp']):.1f}"
        before = _pct_of(r["previous_pct"], r["previous_count"], r["previous_total"])
        now = _pct_of(r["current_pct"], r["current_count"], r["current_total"])
        rows.append(
            {
                "Measure": labels.get(r["measure"], r["measure"]),
                previous_label: before,
                current_label: now,
                "Change (percentage points)": change,
                "95% confidence interval": interval,
                "Assessment": r["assessment"],
            }
        )
    return pd.DataFrame(rows)
