"""Adoption Tees Valley (ATV) bi-annual report: per-council activity and timeliness tables.

The report compares, for each council and for the agency, the current period (e.g. Q1-Q2), the
previous full collection year and the same half of the previous year (seed report "Local
Authority Performance" tables). Counts are events in each period (:mod:`.activity`); A10 and A2
are means over the children adopted in the 12 months ending each period's end (DESIGN
section 5, "Adoption cohorts"), pooled over all children for the agency.
"""

from __future__ import annotations

import logging

import pandas as pd

from analysis.adoption.activity import (
    adm_decisions,
    adoption_orders,
    disruptions,
    early_permanence,
    placement_orders,
    placements_for_adoption,
)
from analysis.adoption.episodes import prepare_episodes
from analysis.adoption.timeliness import a10_a2_children, mean_days
from analysis.dates import DateLike, add_months, in_period, to_timestamp

__all__ = ["AGENCY", "ATV_MEASURES", "ATV_PERIODS", "atv_la_measures", "atv_periods"]

logger = logging.getLogger(__name__)

#: ``la_code`` of the pooled agency rows.
AGENCY = "all"
#: Period keys of :func:`atv_periods`, in report column order.
ATV_PERIODS: tuple[str, ...] = ("current", "previous_full_year", "previous_same_half")
#: Measures of :func:`atv_la_measures`, in order.
ATV_MEASURES: tuple[str, ...] = (
    "adm_decisions",
    "placement_orders",
    "placements_for_adoption",
    "early_permanence",
    "adoption_orders",
    "disruptions",
    "a10_days",
    "a2_days",
)


def atv_periods(
    period_start: DateLike, period_end: DateLike
) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """Return the three comparison periods of the ATV bi-annual report.

    Definition (ATV bi-annual report layout): ``current`` is the given period;
    ``previous_full_year`` is the DfE collection year (1 April to 31 March) before the one that
    holds ``period_start``; ``previous_same_half`` is the given period moved back 12 calendar
    months (month rule, so 29 Feb moves to 28 Feb). For a full collection year the last two
    coincide.

    Parameters
    ----------
    period_start, period_end
        The current period, both ends inclusive.

    Returns
    -------
    dict
        ``{"current": (start, end), "previous_full_year": (...), "previous_same_half": (...)}``
        with :class:`pandas.Timestamp` values.
    """
    ps, pe = to_timestamp(period_start), to_timestamp(period_end)
    first_year = ps.year if ps.month >= 4 else ps.year - 1
    return {
        "current": (ps, pe),
        "previous_full_year": (pd.Timestamp(first_year - 1, 4, 1), pd.Timestamp(first_year, 3, 31)),
        "previous_same_half": (add_months(ps, -12), add_months(pe, -12)),
    }


def _count_by_la(events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    return events.loc[in_period(events["date"], start, end), "la_code"].value_counts()


def atv_la_measures(
    episodes: pd.DataFrame,
    placed_adoption: pd.DataFrame | None,
    ad1: pd.DataFrame | None,
    la_codes: list[str],
    period_start: DateLike,
    period_end: DateLike,
) -> pd.DataFrame:
    """Adoption activity and timeliness per council and for the agency, for the three periods.

    Definitions: :mod:`analysis.adoption.activity` for the counts (``adm_decisions``,
    ``placement_orders``, ``placements_for_adoption``, ``early_permanence``,
    ``adoption_orders``, ``disruptions``: events dated in the period, both ends inclusive) and
    :mod:`analysis.adoption.timeliness` for ``a10_days`` / ``a2_days`` (ASGLB scorecard: mean
    over the children adopted in the 12 months ending the period's end; NaN when there are
    none). The agency rows (``la_code`` ``all``) pool the councils in ``la_codes``: counts are
    sums, A10/A2 are means over all the agency's children (not a mean of council means).
    Periods: :func:`atv_periods`. ``adm_decisions`` is NaN when ``placed_adoption`` is None.

    Parameters
    ----------
    episodes, placed_adoption, ad1
        Processed ``episodes``, ``placed_adoption`` and ``ad1`` tables (the last two may be
        None: optional returns).
    la_codes
        Councils of the agency (e.g. ``["841", "805", "806", "807", "808"]``); rows of other
        councils are ignored.
    period_start, period_end
        The current period, both ends inclusive.

    Returns
    -------
    pandas.DataFrame
        Tidy table, columns ``la_code``, ``period`` (``ATV_PERIODS``), ``measure``
        (``ATV_MEASURES``), ``value`` (object: ``int`` counts, ``float`` days). Rows ordered by
        council (``la_codes`` then ``all``), period, measure.
    """
    periods = atv_periods(period_start, period_end)
    lo = min(s for s, _ in periods.values())
    hi = max(e for _, e in periods.values())
    eps = prepare_episodes(episodes.loc[episodes["la_code"].isin(la_codes)])  # sorted once

    events: dict[str, pd.DataFrame | None] = {
        "adm_decisions": None
        if placed_adoption is None
        else adm_decisions(placed_adoption.loc[placed_adoption["la_code"].isin(la_codes)], lo, hi),
        "placement_orders": placement_orders(eps, lo, hi),
        "placements_for_adoption": placements_for_adoption(eps, lo, hi),
        "early_permanence": early_permanence(eps, lo, hi),
        "adoption_orders": adoption_orders(eps, lo, hi),
        "disruptions": disruptions(eps, lo, hi),
    }
    if placed_adoption is None:
        logger.warning("PlacedAdoption not supplied: ADM decisions not counted")

    values: dict[tuple[str, str, str], int | float] = {}
    for period, (start, end) in periods.items():
        for measure, table in events.items():
            if table is None:
                for la in [*la_codes, AGENCY]:
                    values[la, period, measure] = float("nan")
                continue
            counts = _count_by_la(table, start, end)
            for la in la_codes:
                values[la, period, measure] = int(counts.get(la, 0))
            values[AGENCY, period, measure] = int(counts.reindex(la_codes).fillna(0).sum())
        children = a10_a2_children(eps, ad1, end, months=12)
        for la in [*la_codes, AGENCY]:
            part = children if la == AGENCY else children.loc[children["la_code"].eq(la)]
            values[la, period, "a10_days"] = mean_days(part, "a10_days")
            values[la, period, "a2_days"] = mean_days(part, "a2_days")

    rows = [
        (la, period, measure, values[la, period, measure])
        for la in [*la_codes, AGENCY]
        for period in ATV_PERIODS
        for measure in ATV_MEASURES
    ]
    out = pd.DataFrame(rows, columns=["la_code", "period", "measure", "value"])
    out["value"] = pd.Series([r[3] for r in rows], dtype=object)
    return out
