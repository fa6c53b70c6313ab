"""IRO challenge and oversight activity from the local extracts, compared across periods.

The extracts have no national format (data/README.md section 1). Definitions used here:

- **Issue Resolution Process (IRP)**: the formal challenge an IRO raises when a child's plan
  drifts or falls short (IRO Handbook, chapter 6, "dispute resolution"). Counted on
  ``raised_date``, by the child's plan type (CLA, CP, dual, none) and by reason.
- **IRO concerns**: worries recorded outside the formal IRP (local case-note heading), counted on
  ``raised_date`` by plan type.
- **IRO footprint**: evidence of oversight between reviews: midway reviews (IRO contact with the
  social worker between reviews) and IRO visits to the child (IRO Handbook, paragraphs 3.74-3.76),
  counted on ``date`` by activity.

A record belongs to the period of its date (both ends inclusive, :func:`analysis.dates.in_period`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.dates import DateLike, in_period, to_timestamp

__all__ = [
    "ACTIVITY_LABELS",
    "ACTIVITY_TYPES",
    "COVERAGE_GRACE_DAYS",
    "NOT_RECORDED",
    "PLAN_TYPES",
    "PLAN_TYPE_LABELS",
    "PLAN_TYPE_SHORT",
    "counts_by_period",
    "coverage_note",
    "not_comparable",
    "resolution_by_period",
]

#: Plan types of the IRP and concerns extracts, in report order.
PLAN_TYPES: tuple[str, ...] = ("CLA", "CP", "dual", "none")
PLAN_TYPE_LABELS: dict[str, str] = {
    "CLA": "Looked after (CLA)",
    "CP": "Child protection plan (CP)",
    "dual": "Looked after and on a CP plan (dual)",
    "none": "Neither (for example before an ICPC)",
}
#: Short plan type names for chart axes.
PLAN_TYPE_SHORT: dict[str, str] = {
    "CLA": "Looked after",
    "CP": "CP plan",
    "dual": "Both (dual)",
    "none": "Neither",
}
ACTIVITY_TYPES: tuple[str, ...] = ("midway_review", "visit")
ACTIVITY_LABELS: dict[str, str] = {"midway_review": "Midway reviews", "visit": "IRO visits"}
#: Label of a blank reason.
NOT_RECORDED = "Not recorded"
#: An extract whose first record is more than this many days after a period's start is taken
#: not to cover the whole period (monthly activity of a service this size never pauses a month).
COVERAGE_GRACE_DAYS = 31

Periods = Mapping[str, tuple[DateLike, DateLike]]


def counts_by_period(
    dates: pd.Series,
    codes: pd.Series,
    periods: Periods,
    order: Sequence[str] | None = None,
    total: str | None = None,
) -> pd.DataFrame:
    """Count records by code in each period (tidy), listing the same codes for every period.

    Parameters
    ----------
    dates
        Date of each record (the period it belongs to).
    codes
        Code of each record, aligned with ``dates``; blank is counted as "Not recorded".
    periods
        ``{label: (period_start, period_end)}``, earliest first.
    order
        Codes always listed, in this order (zero when absent). Codes outside it follow, by count
        in the last period (descending), then by name, "Not recorded" last; they are listed only
        in the periods that have them, so a period's rows do not depend on the other periods
        compared (last year's rows equal last year's own report).
    total
        When given, a row with this code and the period's total (100%) ends each period.

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, ``code``, ``count`` (int) and ``percent`` (of the period's records;
        NaN when the period has none).
    """
    if len(dates) != len(codes):
        raise ValueError("dates and codes must be the same length")
    dates = pd.Series(pd.to_datetime(dates)).reset_index(drop=True)
    codes = pd.Series(codes, dtype=object).reset_index(drop=True)
    codes = codes.where(codes.notna() & codes.astype(str).str.strip().ne(""))
    codes = codes.fillna(NOT_RECORDED).astype(str).str.strip()
    per_period = {
        label: codes.loc[np.asarray(in_period(dates, ps, pe))].value_counts()
        for label, (ps, pe) in periods.items()
    }
    listed = list(order or [])
    last = next(reversed(per_period.values()), pd.Series(dtype="int64"))
    seen = set().union(*(set(c.index) for c in per_period.values())) if per_period else set()
    extra = sorted(
        (c for c in seen if c not in listed and c != NOT_RECORDED),
        key=lambda c: (-int(last.get(c, 0)), c),
    )
    listed += extra + (
        [NOT_RECORDED] if NOT_RECORDED in seen and NOT_RECORDED not in listed else []
    )
    fixed = set(order or [])
    rows = []
    for label, counts in per_period.items():
        n = int(counts.sum())
        for code in listed:
            c = int(counts.get(code, 0))
            if not c and code not in fixed:
                continue
            rows.append({"period": label, "code": code, "count": c, "percent": _pct(c, n)})
        if total is not None:
            rows.append({"period": label, "code": total, "count": n, "percent": _pct(n, n)})
    return pd.DataFrame(rows, columns=["period", "code", "count", "percent"])


def _pct(part: int, whole: int) -> float:
    return part / whole * 100 if whole else float("nan")


def resolution_by_period(irp: pd.DataFrame, periods: Periods) -> pd.DataFrame:
    """IRPs raised in each period by how far they went before resolution, and time to resolve.

    Definition: the IRP is resolved at ``resolution_level`` 1 (with the social worker's team
    manager) to 4 (senior management), IRO Handbook chapter 6; an IRP with no ``resolved_date``
    is still open. Days to resolve are calendar days from ``raised_date`` to ``resolved_date``.

    Parameters
    ----------
    irp
        Processed ``irp`` table.
    periods
        ``{label: (period_start, period_end)}``, earliest first.

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, ``code`` ("Level 1" to "Level 4", "Resolved, level not recorded"
        when a resolved IRP has no level, "Open"), ``count``, ``percent`` (of IRPs raised in the
        period), ``median_days`` (median days to resolve, NaN for open IRPs).
    """
    rows = []
    for label, (ps, pe) in periods.items():
        raised = irp.loc[in_period(irp["raised_date"], ps, pe).to_numpy()]
        n = len(raised)
        days = (raised["resolved_date"] - raised["raised_date"]).dt.days
        resolved = raised["resolved_date"].notna()
        level = pd.to_numeric(raised["resolution_level"], errors="coerce")
        groups = [(f"Level {k}", resolved & level.eq(k)) for k in (1, 2, 3, 4)]
        groups.append(("Resolved, level not recorded", resolved & level.isna()))
        groups.append(("Open", ~resolved))
        for code, mask in groups:
            if code == "Resolved, level not recorded" and not mask.any():
                continue
            count = int(mask.sum())
            median = float(days[mask].median()) if count and code != "Open" else float("nan")
            rows.append(
                {
                    "period": label,
                    "code": code,
                    "count": count,
                    "percent": _pct(count, n),
                    "median_days": median,
                }
            )
    return pd.DataFrame(rows, columns=["period", "code", "count", "percent", "median_days"])


def not_comparable(previous: str) -> str:
    """Words in place of a change from last year when an extract covers part of a period."""
    return f"not comparable with {previous}, as the extract does not cover the whole of both years"


def coverage_note(dates: pd.Series, periods: Periods, extract: str) -> str:
    """Say plainly when an extract starts after the start of a period it is compared over.

    Local extracts often begin part way through a year (the published report's IRO concerns
    became reportable in November 2022). A period whose start is more than
    ``COVERAGE_GRACE_DAYS`` before the extract's first record is flagged, with the dates the
    figure covers.

    Parameters
    ----------
    dates
        Dates of the extract's records.
    periods
        ``{label: (period_start, period_end)}``.
    extract
        Name of the extract for the sentence ("IRO concerns extract").

    Returns
    -------
    str
        One sentence per partly covered period, or "" when every period is covered.
    """
    first = dates.min()
    if pd.isna(first):
        return ""
    notes = []
    for label, (ps, pe) in periods.items():
        ps, pe = to_timestamp(ps), to_timestamp(pe)
        if first > pe:
            notes.append(
                f"The {extract} starts on {first:%-d %B %Y}, so it has no records for {label}."
            )
        elif (first - ps).days > COVERAGE_GRACE_DAYS:
            notes.append(
                f"The {extract} starts on {first:%-d %B %Y}, so the {label} figures cover "
                f"{first:%-d %B %Y} to {pe:%-d %B %Y} only."
            )
    return " ".join(notes)
