"""Adoption Tees Valley (ATV) bi-annual report: per-council activity and timeliness tables.

The report compares, for each council and for the agency, the current period (e.g. Q1-Q2), the
previous full collection year and the same half of the previous year (seed report "Local
Authority Performance" tables). Counts are events in each period (:mod:`.activity`); A10 and A2
are means over the children adopted in the 12 months ending each period's end (DESIGN
section 5, "Adoption cohorts"), pooled over all children for the agency.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from analysis.adoption.activity import (
    adm_decisions,
    adoption_orders,
    disruptions,
    early_permanence,
    leaving_care_by_adoption,
    placement_orders,
    placements_for_adoption,
)
from analysis.adoption.comparators import england_adoption_rate
from analysis.adoption.episodes import prepare_episodes
from analysis.adoption.funnel import funnel_limits, funnel_position
from analysis.adoption.periods import collection_year_start, period_label, trend_periods
from analysis.adoption.timeliness import a10_a2_children, mean_days
from analysis.dates import DateLike, add_months, in_period, to_timestamp

__all__ = [
    "AGENCY",
    "ATV_MEASURES",
    "ATV_PERIODS",
    "LEAVING_CARE_COLUMNS",
    "TREND_MEASURES",
    "atv_activity_trend",
    "atv_leaving_care",
    "atv_la_measures",
    "atv_periods",
    "collection_year_start",
    "period_label",
    "trend_periods",
]

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


def _activity_events(
    eps: pd.DataFrame,
    placed_adoption: pd.DataFrame | None,
    la_codes: list[str],
    lo: pd.Timestamp,
    hi: pd.Timestamp,
) -> dict[str, pd.DataFrame | None]:
    """Events of every counted measure between ``lo`` and ``hi`` (prepared episodes)."""
    placed = None
    if placed_adoption is not None and "date_placed" in placed_adoption.columns:
        placed = adm_decisions(
            placed_adoption.loc[placed_adoption["la_code"].isin(la_codes)], lo, hi
        )
    return {
        "adm_decisions": placed,
        "placement_orders": placement_orders(eps, lo, hi),
        "placements_for_adoption": placements_for_adoption(eps, lo, hi),
        "early_permanence": early_permanence(eps, lo, hi),
        "adoption_orders": adoption_orders(eps, lo, hi),
        "disruptions": disruptions(eps, lo, hi),
    }


def _count_values(
    events: dict[str, pd.DataFrame | None],
    la_codes: list[str],
    periods: dict[str, tuple[pd.Timestamp, pd.Timestamp]],
    placed_adoption_las: list[str] | None,
) -> dict[tuple[str, str, str], int | float]:
    """Counts per council, agency (sum) and period; NaN where the input was not supplied.

    ADM decisions of a council that did not supply PlacedAdoption are NaN, and so is the
    agency total (a sum over an incomplete set of councils would understate it).
    """
    values: dict[tuple[str, str, str], int | float] = {}
    for period, (start, end) in periods.items():
        for measure, table in events.items():
            if table is None:
                for la in [*la_codes, AGENCY]:
                    values[la, period, measure] = float("nan")
                continue
            counts = _count_by_la(table, start, end)
            supplied = la_codes
            if measure == "adm_decisions" and placed_adoption_las is not None:
                supplied = [la for la in la_codes if la in placed_adoption_las]
            for la in la_codes:
                values[la, period, measure] = (
                    int(counts.get(la, 0)) if la in supplied else float("nan")
                )
            values[AGENCY, period, measure] = (
                int(counts.reindex(la_codes).fillna(0).sum())
                if len(supplied) == len(la_codes)
                else float("nan")
            )
    return values


def atv_la_measures(
    episodes: pd.DataFrame,
    placed_adoption: pd.DataFrame | None,
    ad1: pd.DataFrame | None,
    la_codes: list[str],
    period_start: DateLike,
    period_end: DateLike,
    placed_adoption_las: list[str] | None = None,
) -> pd.DataFrame:
    """Adoption activity and timeliness per council and for the agency, for the three periods.

    Definitions: :mod:`analysis.adoption.activity` for the counts (``adm_decisions``,
    ``placement_orders``, ``placements_for_adoption``, ``early_permanence``,
    ``adoption_orders``, ``disruptions``: events dated in the period, both ends inclusive) and
    :mod:`analysis.adoption.timeliness` for ``a10_days`` / ``a2_days`` (ASGLB scorecard: mean
    over the children adopted in the 12 months ending the period's end; NaN when there are
    none). The agency rows (``la_code`` ``all``) pool the councils in ``la_codes``: counts are
    sums, A10/A2 are means over all the agency's children (not a mean of council means).
    Periods: :func:`atv_periods`. ``adm_decisions`` is NaN when ``placed_adoption`` is None, and
    for the councils not in ``placed_adoption_las`` when that list is given (PlacedAdoption is
    an optional return; the agency total is then NaN too).

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
    placed_adoption_las
        Councils that supplied PlacedAdoption (None: every council in ``placed_adoption``'s
        scope, i.e. all of ``la_codes`` when it is given).

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
    events = _activity_events(eps, placed_adoption, la_codes, lo, hi)
    if events["adm_decisions"] is None:
        logger.info("PlacedAdoption not supplied: ADM decisions not counted")
    values = _count_values(events, la_codes, periods, placed_adoption_las)
    for period, (_start, end) in periods.items():
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


#: Measures of :func:`atv_activity_trend` (the report's activity charts), in chart order.
TREND_MEASURES: tuple[str, ...] = (
    "adm_decisions",
    "placement_orders",
    "placements_for_adoption",
    "early_permanence",
    "adoption_orders",
)


def atv_activity_trend(
    episodes: pd.DataFrame,
    placed_adoption: pd.DataFrame | None,
    la_codes: list[str],
    period_start: DateLike,
    period_end: DateLike,
    placed_adoption_las: list[str] | None = None,
    years: int = 3,
) -> pd.DataFrame:
    """Adoption activity per council and for the agency over the last full years and the period.

    Definitions: as :func:`atv_la_measures` for ``TREND_MEASURES`` (ADM decisions, placement
    orders, placements for adoption A3-A6, early permanence U2/U5, adoption orders E11/E12;
    events dated in each period, both ends inclusive; agency = sum of the councils). Periods:
    :func:`trend_periods` (the ``years`` collection years before the current one, then the
    current period).

    Parameters
    ----------
    episodes, placed_adoption
        Processed ``episodes`` and ``placed_adoption`` (None when not supplied) tables.
    la_codes
        Councils of the agency.
    period_start, period_end
        The current period, both ends inclusive.
    placed_adoption_las
        Councils that supplied PlacedAdoption (see :func:`atv_la_measures`).
    years
        Number of full collection years before the current one (3).

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code`` (``la_codes`` then ``all``), ``period`` (label), ``period_start``,
        ``period_end`` (datetime), ``measure`` (``TREND_MEASURES``), ``value`` (object: int, or
        NaN when the input was not supplied). Ordered by council, period (oldest first),
        measure.
    """
    periods = trend_periods(period_start, period_end, years)
    lo = min(s for s, _ in periods.values())
    hi = max(e for _, e in periods.values())
    eps = prepare_episodes(episodes.loc[episodes["la_code"].isin(la_codes)])
    events = _activity_events(eps, placed_adoption, la_codes, lo, hi)
    events = {m: events[m] for m in TREND_MEASURES}
    values = _count_values(events, la_codes, periods, placed_adoption_las)
    rows = [
        (la, label, start, end, measure, values[la, label, measure])
        for la in [*la_codes, AGENCY]
        for label, (start, end) in periods.items()
        for measure in TREND_MEASURES
    ]
    out = pd.DataFrame(
        rows, columns=["la_code", "period", "period_start", "period_end", "measure", "value"]
    )
    out["value"] = pd.Series([r[5] for r in rows], dtype=object)
    return out


LEAVING_CARE_COLUMNS = [
    "la_code",
    "period",
    "window_start",
    "window_end",
    "ceased",
    "adopted",
    "rate_pct",
    "england_year_ending",
    "england_adopted",
    "england_ceased",
    "england_rate_pct",
    "lower_95",
    "upper_95",
    "lower_99_8",
    "upper_99_8",
    "funnel_position",
]


def atv_leaving_care(
    episodes: pd.DataFrame,
    la_codes: list[str],
    period_start: DateLike,
    period_end: DateLike,
    reference_dir: str | Path,
) -> pd.DataFrame:
    """Rate of leaving care by adoption over the 12 months to each period's end, against England.

    Definitions: :func:`analysis.adoption.activity.leaving_care_by_adoption` (children ceasing
    care in the 12 months ending the period end, counted once on the last occasion; adopted =
    REC E11/E12) for the three periods of :func:`atv_periods`; the agency row (``all``) pools
    the councils. England: :func:`analysis.adoption.comparators.england_adoption_rate` (DfE, the
    latest year ending 31 March on or before the period end). Funnel limits:
    :mod:`analysis.adoption.funnel` (Spiegelhalter's exact binomial limits around England's
    proportion, at the row's number of children ceasing care); ``funnel_position`` says where
    the rate falls. England's published counts are kept (``england_adopted``,
    ``england_ceased``) so that charts draw the limits around the exact proportion.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    la_codes
        Councils of the agency.
    period_start, period_end
        The current period, both ends inclusive.
    reference_dir
        Folder of the published reference files.

    Returns
    -------
    pandas.DataFrame
        ``LEAVING_CARE_COLUMNS``; ``ceased``/``adopted`` int64, ``rate_pct`` unrounded (NaN when
        no child ceased care), England and limits rounded to 1 decimal place (they are
        comparators; the position is decided before rounding). Ordered by council (``la_codes``
        then ``all``), then period.
    """
    periods = atv_periods(period_start, period_end)
    rows = []
    for period, (_start, end) in periods.items():
        ws, we = add_months(end, -12) + pd.Timedelta(days=1), end
        counts = leaving_care_by_adoption(episodes, la_codes, end)
        counts = pd.concat(
            [
                counts,
                pd.DataFrame(
                    {
                        "la_code": [AGENCY],
                        "ceased": [int(counts["ceased"].sum())],
                        "adopted": [int(counts["adopted"].sum())],
                    }
                ),
            ],
            ignore_index=True,
        )
        england = england_adoption_rate(reference_dir, end)
        p0 = england["rate_pct"] / 100
        limits = funnel_limits(counts["ceased"].to_numpy(), p0)
        for i, row in counts.iterrows():
            n, x = int(row["ceased"]), int(row["adopted"])
            rows.append(
                {
                    "la_code": row["la_code"],
                    "period": period,
                    "window_start": ws,
                    "window_end": we,
                    "ceased": n,
                    "adopted": x,
                    "rate_pct": 100.0 * x / n if n else float("nan"),
                    "england_year_ending": england["year_ending"],
                    "england_adopted": england["adopted"],
                    "england_ceased": england["ceased"],
                    "england_rate_pct": round(england["rate_pct"], 1),
                    **{
                        c: round(float(limits.loc[i, c]), 1)
                        for c in ("lower_95", "upper_95", "lower_99_8", "upper_99_8")
                    },
                    "funnel_position": funnel_position(x, n, p0),
                }
            )
    out = pd.DataFrame(rows, columns=LEAVING_CARE_COLUMNS)
    order = {la: i for i, la in enumerate([*la_codes, AGENCY])}
    out = out.sort_values("la_code", key=lambda s: s.map(order), kind="stable")
    out[["ceased", "adopted"]] = out[["ceased", "adopted"]].astype("int64")
    return out.reset_index(drop=True)
