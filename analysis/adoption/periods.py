"""Reporting periods of the ATV bi-annual report and their labels.

DfE collection years run 1 April to 31 March; the report names periods as the ATV report does
(``2023-24``, ``Q1-Q2 2024-25``). Periods are inclusive at both ends (DESIGN section 5).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.dates import DateLike, to_timestamp

__all__ = ["collection_year_start", "period_label", "period_names", "trend_periods"]


def collection_year_start(date: DateLike) -> pd.Timestamp:
    """1 April of the DfE collection year (1 April to 31 March) holding ``date``."""
    d = to_timestamp(date)
    return pd.Timestamp(d.year if d.month >= 4 else d.year - 1, 4, 1)


def period_label(period_start: DateLike, period_end: DateLike) -> str:
    """Name a reporting period the way the ATV report does.

    A whole collection year reads ``2023-24``; whole quarters of one collection year read
    ``Q1-Q2 2024-25`` (Q1 = April to June, ..., Q4 = January to March); several whole
    collection years read ``2021-24``; anything else reads ``1 Apr 2024 to 15 Aug 2024``.
    """
    ps, pe = to_timestamp(period_start), to_timestamp(period_end)
    year0 = collection_year_start(ps)
    last_day = pe + pd.Timedelta(days=1)
    if (
        ps.day == 1
        and last_day.day == 1
        and (ps.month - 1) % 3 == 0
        and (last_day.month - 1) % 3 == 0
    ):
        if ps == year0 and last_day.month == 4 and last_day.year > ps.year:
            return f"{ps.year}-{str(last_day.year)[-2:]}"
        if collection_year_start(pe) == year0:
            q1 = (ps.month - 4) % 12 // 3 + 1
            q2 = (pe.month - 4) % 12 // 3 + 1
            year = f"{year0.year}-{str(year0.year + 1)[-2:]}"
            return f"Q{q1} {year}" if q1 == q2 else f"Q{q1}-Q{q2} {year}"
    return f"{ps.day} {ps:%b %Y} to {pe.day} {pe:%b %Y}"


def trend_periods(
    period_start: DateLike, period_end: DateLike, years: int = 3
) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """The last ``years`` full collection years before the current period, then the period.

    Definition (ATV report charts: "the numbers for previous full years and for the period"):
    the collection years (1 April to 31 March) before the one holding ``period_start``, oldest
    first, keyed by :func:`period_label` (``2021-22``), then the current period under its own
    label (``Q1-Q2 2024-25``).
    """
    ps, pe = to_timestamp(period_start), to_timestamp(period_end)
    first = collection_year_start(ps).year
    out: dict[str, tuple[pd.Timestamp, pd.Timestamp]] = {}
    for y in range(first - years, first):
        start, end = pd.Timestamp(y, 4, 1), pd.Timestamp(y + 1, 3, 31)
        out[period_label(start, end)] = (start, end)
    out[period_label(ps, pe)] = (ps, pe)
    return out


def period_names(periods: Mapping[str, tuple[pd.Timestamp, pd.Timestamp]]) -> dict[str, str]:
    """Each period's name by :func:`period_label` (``{"current": "Q1-Q2 2024-25", ...}``)."""
    return {key: period_label(start, end) for key, (start, end) in periods.items()}
