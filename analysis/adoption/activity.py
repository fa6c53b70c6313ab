"""Adoption activity counted in a period (ATV bi-annual report, ASGLB quarterly return).

Each function returns one row per event with ``la_code``, ``child_id`` and ``date`` (the date
that places the event in the period); the count for a council is the number of its rows.
A period runs from ``period_start`` to ``period_end``, both inclusive (DESIGN section 5).

Definitions: DfE *Children looked after in England including adoptions* (CLA) methodology and
SSDA903 guidance for the episode codes; Adoption and Special Guardianship Leadership Board
(ASGLB) adoption data for the activity measures; DESIGN section 5 ("Adoption activity").
"""

from __future__ import annotations

import logging

import pandas as pd

from analysis.adoption.episodes import (
    ADOPTED_REC,
    ADOPTION_PLACE,
    EARLY_PERMANENCE_PLACE,
    PLACEMENT_ORDER_LS,
    SHORT_BREAK_LS,
    placements,
    prepare_episodes,
)
from analysis.cla.ordering import sort_rows
from analysis.dates import DateLike, add_months, in_period, to_timestamp

__all__ = [
    "adm_decisions",
    "adoption_orders",
    "disruptions",
    "early_permanence",
    "leaving_care_by_adoption",
    "placement_orders",
    "placements_for_adoption",
    "rate_leaving_care_by_adoption",
]

logger = logging.getLogger(__name__)

EVENT_COLUMNS = ["la_code", "child_id", "date"]


def _events(
    frame: pd.DataFrame,
    date_column: str,
    period_start: DateLike,
    period_end: DateLike,
    extra: list[str] | None = None,
) -> pd.DataFrame:
    """Rows of ``frame`` whose ``date_column`` is in the period, as an event table."""
    rows = frame.loc[in_period(frame[date_column], period_start, period_end)]
    out = rows[["la_code", "child_id", date_column, *(extra or [])]]
    out = out.rename(columns={date_column: "date"})
    return sort_rows(out, ["la_code", "date", "child_id"]).reset_index(drop=True)


def adm_decisions(
    placed_adoption: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """List agency decision maker (ADM) best-interest decisions that the child should be adopted.

    Definition: SSDA903 PlacedAdoption ``DATE_PLACED`` ("date of the decision that the child
    should be placed for adoption", the ADM best-interest decision); ASGLB "ADM decisions".
    Boundary convention: ``date_placed`` in ``[period_start, period_end]``; the same child and
    date twice is one decision.

    Parameters
    ----------
    placed_adoption
        Processed ``placed_adoption`` table.
    period_start, period_end
        The period, both ends inclusive.

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code``, ``child_id``, ``date``; one row per decision.
    """
    events = _events(placed_adoption, "date_placed", period_start, period_end)
    return events.drop_duplicates().reset_index(drop=True)


def placement_orders(
    episodes: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """List placement orders granted in the period (new legal status E1).

    Definition: SSDA903 legal status ``E1`` (placement order granted, Adoption and Children Act
    2002 s21); DfE CLA methodology; ASGLB "placement orders granted". Boundary convention: the
    order is dated by the ``decom`` of the first ``E1`` episode of a run of consecutive ``E1``
    episodes within a period of care (later ``E1`` episodes, e.g. after a change of placement,
    are the same order); that ``decom`` in ``[period_start, period_end]``. If only part of a
    child's history was supplied and its first visible episode is ``E1``, that episode is taken
    as the order.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    period_start, period_end
        The period, both ends inclusive.

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code``, ``child_id``, ``date``; one row per order.
    """
    ep = prepare_episodes(episodes)
    is_e1 = ep["ls"].eq(PLACEMENT_ORDER_LS)
    prev_e1 = is_e1.shift(fill_value=False) & ep["poc_id"].eq(ep["poc_id"].shift())
    return _events(ep.loc[is_e1 & ~prev_e1], "decom", period_start, period_end)


def _placement_starts(
    episodes: pd.DataFrame, places: tuple[str, ...], period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    ep = prepare_episodes(episodes)
    starts = ep.loc[ep["new_placement"] & ep["place"].isin(places)]
    return _events(starts, "decom", period_start, period_end, extra=["place"])


def placements_for_adoption(
    episodes: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """List placements for adoption starting in the period.

    Definition: DESIGN section 5 / ASGLB "children placed for adoption": a placement start (RNE
    S, P, B, T or U; an RNE ``L`` episode continues the placement and is not counted) with
    ``place`` A3-A6 (placed for adoption under the Adoption Agencies Regulations 2005, with or
    without the current foster carer). Boundary convention: the episode ``decom`` in
    ``[period_start, period_end]``.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    period_start, period_end
        The period, both ends inclusive.

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code``, ``child_id``, ``date`` (placement start), ``place``.
    """
    return _placement_starts(episodes, ADOPTION_PLACE, period_start, period_end)


def early_permanence(
    episodes: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """List early permanence placements (fostering for adoption, concurrent) starting in the period.

    Definition: DESIGN section 5 / ASGLB "early permanence placements": a placement start (RNE
    S, P, B, T or U) with ``place`` U2 or U5 (foster carer who is also an approved prospective
    adopter: fostering for adoption or concurrent planning). Boundary convention: ``decom`` in
    ``[period_start, period_end]``.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    period_start, period_end
        The period, both ends inclusive.

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code``, ``child_id``, ``date`` (placement start), ``place``.
    """
    return _placement_starts(episodes, EARLY_PERMANENCE_PLACE, period_start, period_end)


def adoption_orders(
    episodes: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """List children who ceased care on an adoption order in the period.

    Definition: DfE CLA methodology, reason episode ceased ``E11`` (adopted, application
    unopposed) or ``E12`` (adopted, consent dispensed with); ASGLB "adoption orders". Boundary
    convention: the episode ``dec`` in ``[period_start, period_end]``.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    period_start, period_end
        The period, both ends inclusive.

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code``, ``child_id``, ``date`` (date ceased), ``rec``.
    """
    adopted = episodes.loc[episodes["rec"].isin(ADOPTED_REC)]
    return _events(adopted, "dec", period_start, period_end, extra=["rec"])


def disruptions(
    episodes: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """List placements for adoption that ended in the period without an adoption order.

    Definition: DESIGN section 5 / ASGLB "disruptions" (adoptive placements ending before the
    adoption order). A placement for adoption (a placement start with ``place`` A3-A6, together
    with the RNE ``L`` episodes that continue it: a change of legal status is not a new
    placement) is disrupted when it ended and either

    - the next placement start in the same period of care has a ``place`` other than A3-A6
      (``reason`` = ``next placement <place>``), or
    - the period of care ended at the placement's last episode with ``rec`` other than E11/E12
      (``reason`` = ``ceased <rec>``).

    A move from one A3-A6 placement to another is not counted. A placement whose last episode
    has ``rec`` ``X1`` but no following episode in the data has not (yet) ended and is not
    counted. Boundary convention: the placement's end (``dec`` of its last episode) in
    ``[period_start, period_end]``.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    period_start, period_end
        The period, both ends inclusive.

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code``, ``child_id``, ``date`` (placement end), ``placement_start``,
        ``place``, ``reason``.
    """
    pl = placements(prepare_episodes(episodes))
    pl = pl.loc[pl["place"].isin(ADOPTION_PLACE)]
    moved_out = pl["has_next"] & ~pl["next_place"].isin(ADOPTION_PLACE)
    ceased = (
        ~pl["has_next"]
        & pl["last_rec"].notna()
        & pl["last_rec"].ne("X1")
        & ~pl["last_rec"].isin(ADOPTED_REC)
    )
    out = pl.loc[moved_out | ceased].copy()
    out["reason"] = ("next placement " + out["next_place"].fillna("unknown").astype(str)).where(
        moved_out.loc[out.index], "ceased " + out["last_rec"].astype(str)
    )
    out = out.rename(columns={"start": "placement_start"})
    return _events(
        out, "end", period_start, period_end, extra=["placement_start", "place", "reason"]
    )


def _ceased_last_occasion(
    episodes: pd.DataFrame, window_start: pd.Timestamp, window_end: pd.Timestamp
) -> pd.DataFrame:
    """Children who ceased care in the window, once each, on the last occasion (with its REC)."""
    ceasing = (
        episodes["rec"].notna()
        & episodes["rec"].ne("X1")
        & ~episodes["ls"].isin(SHORT_BREAK_LS)
        & in_period(episodes["dec"], window_start, window_end)
    )
    ceased = episodes.loc[ceasing, ["la_code", "child_id", "dec", "rec"]]
    return ceased.sort_values("dec", kind="stable").drop_duplicates(
        ["la_code", "child_id"], keep="last"
    )


def leaving_care_by_adoption(
    episodes: pd.DataFrame, la_codes: list[str], period_end: DateLike, months: int = 12
) -> pd.DataFrame:
    """Count, per council, the children who ceased care in the window and those adopted.

    Definition: DfE CLA methodology, "children who ceased to be looked after during the year by
    reason episode ceased" (adopted = ``rec`` E11 or E12); the ATV report's "rate of leaving care
    by adoption (previous 12 months)" is ``adopted / ceased``. Boundary conventions (DESIGN
    section 5): the window is the ``months`` calendar months ending ``period_end``
    (``add_months(period_end, -months) + 1 day`` to ``period_end``, inclusive); a child ceases
    when an episode ends with ``rec`` not ``X1``; a child is counted once, on the last occasion
    in the window, and the reason is taken from that occasion; episodes under short-break legal
    status (V3/V4) are excluded.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    la_codes
        Councils to report, in order; rows of other councils are ignored.
    period_end
        Last day of the window.
    months
        Window length in calendar months (default 12).

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code``, ``ceased``, ``adopted`` (int64), one row per council of
        ``la_codes`` in that order (0 when none ceased).
    """
    pe = to_timestamp(period_end)
    ws = add_months(pe, -months) + pd.Timedelta(days=1)
    last = _ceased_last_occasion(episodes.loc[episodes["la_code"].isin(la_codes)], ws, pe)
    ceased = last.groupby("la_code").size()
    adopted = last.loc[last["rec"].isin(ADOPTED_REC)].groupby("la_code").size()
    return pd.DataFrame(
        {
            "la_code": list(la_codes),
            "ceased": ceased.reindex(la_codes, fill_value=0).astype("int64").to_numpy(),
            "adopted": adopted.reindex(la_codes, fill_value=0).astype("int64").to_numpy(),
        }
    )


def rate_leaving_care_by_adoption(
    episodes: pd.DataFrame, period_end: DateLike, months: int = 12
) -> float:
    """Return the percentage of children ceasing care in the window who were adopted.

    Definition: DfE CLA methodology ("children who ceased to be looked after ... by reason
    episode ceased"; adopted = ``rec`` E11 or E12), as in the ATV report's "rate of leaving care
    by adoption (previous 12 months)". Boundary conventions as :func:`leaving_care_by_adoption`
    (12 months ending ``period_end``, children counted once on the last occasion, short breaks
    V3/V4 excluded).

    Parameters
    ----------
    episodes
        Processed ``episodes`` table (pass one council's rows for a council rate).
    period_end
        Last day of the window.
    months
        Window length in calendar months (default 12).

    Returns
    -------
    float
        Percentage (unrounded); NaN when no child ceased care in the window.
    """
    pe = to_timestamp(period_end)
    ws = add_months(pe, -months) + pd.Timedelta(days=1)
    last = _ceased_last_occasion(episodes, ws, pe)
    if last.empty:
        return float("nan")
    return float(last["rec"].isin(ADOPTED_REC).mean() * 100)
