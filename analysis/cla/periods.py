"""Periods of care and placements derived from SSDA903 episodes (DESIGN section 5).

An SSDA903 episode changes whenever the legal status or the placement changes. Two derived units
are used by every CLA measure:

- A **period of care** starts with an episode whose reason for new episode (RNE) is ``S`` ("started
  to be looked after") and runs through the following episodes of the child until one ends with a
  reason (REC) other than ``X1``. Episodes before a child's first ``S`` episode in the data belong
  to a period whose start is not in the data (``poc = 0``, ``poc_start_known = False``); its start
  is then taken as the first DECOM in the data, a lower bound of the time in care.
- A **placement** is a run of contiguous episodes linked by RNE ``L`` (change of legal status
  only): every episode with another RNE (``S``, ``P``, ``B``, ``T``, ``U``) starts a new placement.
  Moving between short breaks (LS ``V3``/``V4``) and other care also starts a new placement, so
  that short breaks never count towards the placements of a child looked after otherwise.

Short breaks: DfE's CLA statistics exclude children looked after only under an agreed series of
short-term placements (LS ``V3``/``V4``). ``short_break`` flags those episodes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.cla.ordering import ordered_by, sort_key, sorted_codes, stable_order

__all__ = [
    "SHORT_BREAK_LS",
    "REMAND_LS",
    "ADOPTION_PLACE",
    "PLACEMENT_START_RNE",
    "require_columns",
    "annotate_episodes",
    "periods_of_care",
]

#: Legal statuses of an agreed series of short-term breaks (excluded from CLA counts).
SHORT_BREAK_LS = ("V3", "V4")
#: Remand and youth justice legal statuses (counted as looked after).
REMAND_LS = ("J1", "J2", "J3")
#: Placement types "placed for adoption" (PLACE A3-A6).
ADOPTION_PLACE = ("A3", "A4", "A5", "A6")
#: RNE codes that start a placement (``L`` continues the same placement).
PLACEMENT_START_RNE = ("S", "P", "B", "T", "U")

EPISODE_KEY = ["child_id", "decom"]
#: Columns :func:`annotate_episodes` adds.
ANNOTATIONS = ("short_break", "poc", "poc_start", "poc_start_known", "placement", "placement_start")


def require_columns(df: pd.DataFrame, columns: list[str] | tuple[str, ...], name: str) -> None:
    """Raise ``ValueError`` naming the missing columns of ``df`` (a programming error, not data)."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{name} lacks column(s) {', '.join(missing)}; "
            f"expected the processed table of data/README.md section 2"
        )


def annotate_episodes(episodes: pd.DataFrame) -> pd.DataFrame:
    """Sort episodes and add period-of-care and placement columns.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table (``child_id``, ``decom``, ``rne``, ``ls``, ``dec``, ``rec``
        at least).

    Returns
    -------
    pandas.DataFrame
        A copy sorted by ``child_id`` and ``decom`` (index reset) with extra columns:

        - ``short_break`` (bool): LS is V3 or V4;
        - ``poc`` (int): number of the period of care within the child, counting RNE ``S``
          episodes; 0 for episodes before the child's first ``S`` episode in the data;
        - ``poc_start`` (datetime): DECOM of the period's ``S`` episode (first DECOM when ``poc``
          is 0);
        - ``poc_start_known`` (bool): the period's ``S`` episode is in the data;
        - ``placement`` (int): number of the placement within the child; a new placement starts
          at each episode whose RNE is not ``L``, at the child's first episode, and where the
          episode moves into or out of short breaks;
        - ``placement_start`` (datetime): DECOM of the placement's first episode.

        A table that already has these columns (this function's output) is returned as it is,
        so a caller computing several measures from one table annotates it once.
    """
    if all(c in episodes.columns for c in ANNOTATIONS):
        return episodes
    require_columns(episodes, ["child_id", "decom", "rne", "ls", "dec", "rec"], "episodes")
    # Sort by child and DECOM (stable), then group by a number per child (the same groups as
    # the ids, in the same order): much faster than by the ids themselves.
    child_number = sorted_codes(episodes["child_id"])
    order = ordered_by(child_number, sort_key(episodes["decom"]))
    ep = episodes.take(order).reset_index(drop=True)
    child = pd.Series(child_number[order], index=ep.index)
    first_of_child = child.ne(child.shift())
    ep["short_break"] = ep["ls"].isin(SHORT_BREAK_LS)
    is_start = ep["rne"].eq("S").fillna(False).astype(bool)
    ep["poc"] = is_start.astype("int64").groupby(child, sort=False).cumsum()
    poc_key = [child, ep["poc"]]
    ep["poc_start"] = ep.groupby(poc_key, sort=False)["decom"].transform("first")
    ep["poc_start_known"] = ep["poc"].gt(0)
    sb_changes = ep["short_break"].ne(ep["short_break"].shift(fill_value=False)) & ~first_of_child
    new_placement = ep["rne"].ne("L").fillna(True).astype(bool) | first_of_child | sb_changes
    ep["placement"] = new_placement.astype("int64").groupby(child, sort=False).cumsum()
    ep["placement_start"] = ep.groupby([child, ep["placement"]], sort=False)["decom"].transform(
        "first"
    )
    return ep


def periods_of_care(episodes: pd.DataFrame) -> pd.DataFrame:
    """One row per period of care.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table, or the output of :func:`annotate_episodes`.

    Returns
    -------
    pandas.DataFrame
        Columns ``child_id``, ``poc``, ``start`` (DECOM of the RNE ``S`` episode), ``start_known``,
        ``end`` (DEC of the last episode; NaT while open), ``rec`` (REC of the last episode),
        ``ended`` (the last episode has a DEC and a REC other than ``X1``), ``short_break_only``
        (every episode is LS V3/V4), ``care_start`` (DECOM of the first episode that is not a short
        break; NaT for a short-break-only period), ``episodes`` (number of episodes).
    """
    ep = episodes if "poc" in episodes.columns else annotate_episodes(episodes)
    columns = ["child_id", "poc", "poc_start", "poc_start_known", "decom", "dec", "rec"]
    ep = ep.loc[ep["child_id"].notna(), [*columns, "short_break"]]
    # A period of care is a run of rows once sorted by child and period (stable: episodes stay
    # in DECOM order): its first and last episodes are the first and last rows of the run.
    order = stable_order(ep, ["child_id", "poc"])
    if (order != np.arange(len(ep))).any():  # annotated episodes are in this order already
        ep = ep.take(order)
    child, poc = ep["child_id"].to_numpy(), ep["poc"].to_numpy()
    new_run = np.ones(len(ep), dtype=bool)
    new_run[1:] = (child[1:] != child[:-1]) | (poc[1:] != poc[:-1])
    first = np.flatnonzero(new_run)
    after = np.append(first[1:], len(ep)) if len(first) else first
    first_rows = ep[["child_id", "poc", "poc_start", "poc_start_known"]].iloc[first]
    first_rows = first_rows.reset_index(drop=True)
    last_rows = ep[["dec", "rec"]].iloc[after - 1].reset_index(drop=True)
    end, rec = last_rows["dec"], last_rows["rec"]
    return pd.DataFrame(
        {
            "child_id": first_rows["child_id"],
            "poc": first_rows["poc"],
            "start": first_rows["poc_start"],
            "start_known": first_rows["poc_start_known"],
            "end": end,
            "rec": rec,
            "ended": end.notna() & rec.notna() & rec.ne("X1").fillna(False).astype(bool),
            "short_break_only": _run_all(ep["short_break"].to_numpy(dtype=bool), first),
            "care_start": _run_min(ep["decom"].where(~ep["short_break"]).to_numpy(), first),
            "episodes": after - first,
        }
    )


def _run_all(values: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Whether every value of each run is true (runs start at the positions ``first``)."""
    return np.logical_and.reduceat(values, first) if len(first) else values[:0]


def _run_min(dates: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Earliest date of each run, missing dates skipped (NaT when the run has none)."""
    if not len(first):
        return dates[:0]
    never = np.array(np.iinfo(np.int64).max).astype(dates.dtype)
    earliest = np.minimum.reduceat(np.where(np.isnat(dates), never, dates), first)
    return np.where(earliest == never, np.array("NaT").astype(dates.dtype), earliest)
