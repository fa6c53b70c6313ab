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

import pandas as pd

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
    ep = episodes.sort_values(EPISODE_KEY, kind="stable").reset_index(drop=True)
    # Group by a number per child (same groups as the ids, in the same order): much faster.
    child = pd.Series(pd.factorize(ep["child_id"])[0], index=ep.index)
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
    not_sb_decom = ep["decom"].where(~ep["short_break"])
    grouped = ep.assign(_care_start=not_sb_decom).groupby(["child_id", "poc"], sort=True)
    out = grouped.agg(
        start=("poc_start", "first"),
        start_known=("poc_start_known", "first"),
        end=("dec", "last"),
        rec=("rec", "last"),
        short_break_only=("short_break", "all"),
        care_start=("_care_start", "min"),
        episodes=("decom", "size"),
    )
    # ``last`` skips missing values: take the DEC and REC of the final row itself.
    last_rows = ep.groupby(["child_id", "poc"], sort=True).tail(1).set_index(["child_id", "poc"])
    out["end"] = last_rows["dec"]
    out["rec"] = last_rows["rec"]
    out["ended"] = (
        out["end"].notna() & out["rec"].notna() & out["rec"].ne("X1").fillna(False).astype(bool)
    )
    out = out.reset_index()
    return out[
        [
            "child_id",
            "poc",
            "start",
            "start_known",
            "end",
            "rec",
            "ended",
            "short_break_only",
            "care_start",
            "episodes",
        ]
    ]
