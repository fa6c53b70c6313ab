"""SSDA903 episode structure shared by the adoption measures: periods of care and placements.

DfE *Children looked after in England including adoptions* (CLA) methodology and the SSDA903
guidance define the structure used here:

- a **period of care** is a run of a child's episodes in ``decom`` order; it ends at an episode
  whose ``rec`` is not ``X1`` ("episode ceases and a new one begins in the same period of care").
  A new period of care also starts at an episode with ``rne`` = ``S`` (started to be looked
  after) and at a child's first episode in the data;
- a **placement start** is an episode whose ``rne`` is S, P, B, T or U (DESIGN section 5); an
  ``rne`` ``L`` episode (change of legal status only) continues the same placement. The first
  episode of a period of care always starts a placement.

Vectorised: one sort and cumulative sums, no per-child Python loops.
"""

from __future__ import annotations

import pandas as pd

from analysis.cla.ordering import sort_rows

__all__ = [
    "ADOPTED_REC",
    "ADOPTION_PLACE",
    "EARLY_PERMANENCE_PLACE",
    "PLACEMENT_ORDER_LS",
    "PLACEMENT_START_RNE",
    "SHORT_BREAK_LS",
    "is_prepared",
    "placements",
    "prepare_episodes",
]

CHILD_KEY = ["la_code", "child_id"]

#: ``rne`` codes that start a placement (``L`` = change of legal status only does not).
PLACEMENT_START_RNE: tuple[str, ...] = ("S", "P", "B", "T", "U")
#: ``place`` codes of a placement for adoption (with placement order or consent; with or without
#: the child's current foster carer).
ADOPTION_PLACE: tuple[str, ...] = ("A3", "A4", "A5", "A6")
#: ``place`` codes of early permanence: foster carer (relative/friend or other) who is also an
#: approved adopter, fostering for adoption or concurrent planning.
EARLY_PERMANENCE_PLACE: tuple[str, ...] = ("U2", "U5")
#: ``rec`` codes of an adoption order (application unopposed / opposed).
ADOPTED_REC: tuple[str, ...] = ("E11", "E12")
#: ``ls`` of a placement order (Adoption and Children Act 2002 s21).
PLACEMENT_ORDER_LS = "E1"
#: ``ls`` of an agreed series of short-term placements (excluded from CLA counts).
SHORT_BREAK_LS: tuple[str, ...] = ("V3", "V4")

PREPARED_COLUMNS = ("poc_id", "poc_start", "new_placement", "placement_id", "placement_start")


def prepare_episodes(episodes: pd.DataFrame) -> pd.DataFrame:
    """Sort episodes and label periods of care and placements.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table (``la_code``, ``child_id``, ``decom``, ``rne``, ``ls``,
        ``place``, ``dec``, ``rec``, ...).

    Returns
    -------
    pandas.DataFrame
        The episodes sorted by ``la_code``, ``child_id``, ``decom`` (index reset) plus
        ``poc_id`` (int, unique over the table), ``poc_start`` (start of the period of care),
        ``new_placement`` (bool), ``placement_id`` (int) and ``placement_start``. A frame that
        is already prepared (:func:`is_prepared`) is returned unchanged, so callers that run
        several measures on a million episodes sort them once.
    """
    if is_prepared(episodes):
        return episodes
    ep = sort_rows(episodes, [*CHILD_KEY, "decom"]).reset_index(drop=True)
    same_child = ep["la_code"].eq(ep["la_code"].shift()) & ep["child_id"].eq(ep["child_id"].shift())
    prev_rec = ep["rec"].shift()
    new_poc = ~same_child | prev_rec.ne("X1") | ep["rne"].eq("S")
    ep["poc_id"] = new_poc.cumsum().astype("int64")
    ep["poc_start"] = ep.groupby("poc_id", sort=False)["decom"].transform("first")
    ep["new_placement"] = (new_poc | ep["rne"].isin(PLACEMENT_START_RNE)).astype(bool)
    ep["placement_id"] = ep["new_placement"].cumsum().astype("int64")
    ep["placement_start"] = ep.groupby("placement_id", sort=False)["decom"].transform("first")
    return ep


def is_prepared(episodes: pd.DataFrame) -> bool:
    """Tell whether ``episodes`` is an output of :func:`prepare_episodes`."""
    return set(PREPARED_COLUMNS).issubset(episodes.columns)


def placements(prepared: pd.DataFrame) -> pd.DataFrame:
    """One row per placement (a placement start and the ``L`` episodes continuing it).

    Parameters
    ----------
    prepared
        Output of :func:`prepare_episodes`.

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code``, ``child_id``, ``poc_id``, ``placement_id``, ``start`` (``decom`` of
        the placement start), ``place`` (its ``place``), ``end`` (``dec`` of its last episode),
        ``last_rec`` (``rec`` of its last episode), ``has_next`` (a later placement in the same
        period of care), ``next_place``, ``prev_start`` (start of the previous placement in the
        same period of care, NaT for the first).
    """
    first = prepared.loc[prepared["new_placement"]]
    last = prepared.loc[~prepared["placement_id"].duplicated(keep="last")]
    pl = pd.DataFrame(
        {
            "la_code": first["la_code"].to_numpy(),
            "child_id": first["child_id"].to_numpy(),
            "poc_id": first["poc_id"].to_numpy(),
            "placement_id": first["placement_id"].to_numpy(),
            "start": first["decom"].to_numpy(),
            "place": first["place"].to_numpy(),
            "end": last["dec"].to_numpy(),
            "last_rec": last["rec"].to_numpy(),
        }
    )
    has_next = pl["poc_id"].eq(pl["poc_id"].shift(-1))
    has_prev = pl["poc_id"].eq(pl["poc_id"].shift(1))
    pl["has_next"] = has_next
    pl["next_place"] = pl["place"].shift(-1).where(has_next)
    pl["prev_start"] = pl["start"].shift(1).where(has_prev)
    return pl
