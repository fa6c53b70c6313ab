"""Placement stability of children looked after: short-term and long-term measures.

Definitions: DfE, *Children looked after in England including adoptions* (placement stability
measures), formerly National Indicators NI 62 and NI 63 (seed ``001_*.txt``):

- **Short-term stability (NI 62)**: percentage of children looked after at the year end with
  three or more placements during the year (the 12 months ending on the year end).
- **Long-term stability (NI 63)**: of the children looked after at the year end who were aged
  under 16 and had been looked after continuously for at least 2.5 years, the percentage who had
  been in the same placement for at least 2 years, or who were placed for adoption and whose
  adoptive placement together with their previous placement lasted at least 2 years.

Conventions (DESIGN section 5): placements during a year = the placement open at the start of the
year (if any) plus every episode starting in the year whose RNE is not ``L`` (a change of legal
status only continues the same placement). A placement is a run of contiguous episodes linked by
RNE ``L``; continuous care is a single period of care. Short breaks (LS V3/V4) are not placements
for these measures. "At least 2.5 years" and "at least 2 years" include the day itself: care
starting on the same day 30 calendar months before the year end counts (month rule of
:func:`analysis.dates.add_months`).
"""

from __future__ import annotations

import logging
import math

import numpy as np
import pandas as pd

from analysis.cla.looked_after import cla_at
from analysis.cla.ordering import child_keys
from analysis.cla.periods import ADOPTION_PLACE, annotate_episodes, require_columns
from analysis.dates import DateLike, add_months, age_at, open_at, to_timestamp

__all__ = [
    "placements_during_year",
    "short_term_stability_pct",
    "long_term_stability_children",
    "long_term_stability_pct",
    "long_term_undecided",
    "stability_measures",
]

log = logging.getLogger(__name__)


def _year_start(year_end: DateLike) -> pd.Timestamp:
    """First day of the 12 months ending ``year_end`` (31 March 2024 -> 1 April 2023)."""
    return add_months(year_end, -12) + pd.Timedelta(days=1)


def placements_during_year(
    episodes: pd.DataFrame, year_start: DateLike, year_end: DateLike
) -> pd.Series:
    """Count the placements of each child during the year (NI 62 counting rule).

    The placement open at ``year_start`` (an episode with ``decom <= year_start`` and no DEC or a
    DEC after it) counts 1; every episode starting after ``year_start`` up to and including
    ``year_end`` whose RNE is not ``L`` counts 1 more. RNE ``L`` (change of legal status only)
    continues the same placement. Short-break episodes (LS V3/V4) are ignored; the first episode
    after short breaks starts a placement.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    year_start, year_end
        First and last day of the year, both inclusive.

    Returns
    -------
    pandas.Series
        ``placements`` (int64) indexed by ``child_id``, for every child with a placement during
        the year (so every value is at least 1), sorted by ``child_id``.
    """
    ys, ye = to_timestamp(year_start), to_timestamp(year_end)
    ep = annotate_episodes(episodes)
    care = ep.loc[~ep["short_break"]]
    open_at_start = open_at(care["decom"], care["dec"], ys)
    starts_placement = care["decom"].eq(care["placement_start"])
    new_in_year = starts_placement & care["decom"].gt(ys) & care["decom"].le(ye)
    child, ids = pd.factorize(care["child_id"])
    has = child >= 0
    open_placement = np.bincount(child[has], open_at_start.to_numpy()[has], len(ids)) > 0
    new_placements = np.bincount(child[has], new_in_year.to_numpy()[has], len(ids))
    counts = pd.Series(
        open_placement.astype("int64") + new_placements.astype("int64"),
        index=pd.Index(ids, name="child_id"),
        name="placements",
    )
    return counts.loc[counts.gt(0)].sort_index()


def short_term_stability_pct(episodes: pd.DataFrame, year_end: DateLike) -> float:
    """Short-term placement stability (former NI 62), percent.

    Percentage of children looked after at ``year_end`` (:func:`~analysis.cla.cla_at`) with 3
    or more placements during the 12 months ending ``year_end`` (:func:`placements_during_year`,
    year from the day after ``year_end`` minus 12 months). Lower is better.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    year_end
        The year end, usually 31 March.

    Returns
    -------
    float
        Unrounded percentage (0-100); NaN when no child is looked after at ``year_end``.
    """
    cla = cla_at(episodes, year_end)
    if cla.empty:
        return math.nan
    placements = placements_during_year(episodes, _year_start(year_end), year_end)
    per_child = placements.reindex(cla["child_id"], fill_value=0)
    return float(per_child.ge(3).sum()) / len(cla) * 100


def long_term_stability_children(
    episodes: pd.DataFrame, children: pd.DataFrame, year_end: DateLike
) -> pd.DataFrame:
    """List the long-term stability (former NI 63) cohort: one row per child in the denominator.

    Denominator: children looked after at ``year_end`` (:func:`~analysis.cla.cla_at`), aged
    under 16 on ``year_end``, whose current period of care started on or before the date 30
    calendar months (2.5 years) before ``year_end``. Numerator (``stable``): the current placement
    started on or before the date 24 months before ``year_end``; or the child is placed for
    adoption (PLACE A3-A6) and the placement before the adoptive one, in the same period of care,
    started on or before that date.

    When a period of care started before the episodes supplied (no RNE ``S`` episode in the
    data), its first episode in the data is used as the start: a lower bound, so such a child is
    included only when that episode alone already makes 2.5 years (logged as a warning when it
    does not).

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    children
        Processed ``children`` table (``child_id``, ``dob``).
    year_end
        The year end, usually 31 March.

    Returns
    -------
    pandas.DataFrame
        Columns ``child_id``, ``period_start``, ``placement_start``, ``previous_placement_start``
        (NaT when none in the same period of care), ``place``, ``stable`` (bool), sorted by
        ``child_id``.
    """
    require_columns(children, ["child_id", "dob"], "children")
    ye = to_timestamp(year_end)
    ep = annotate_episodes(episodes)
    cla = cla_at(_with_previous_placement(ep), ye)
    dob = children.drop_duplicates("child_id", keep="last").set_index("child_id")["dob"]
    age = age_at(cla["child_id"].map(dob), ye)
    under_16 = age.lt(16).fillna(False).astype(bool)
    if age.isna().any():
        log.warning(
            "%d children looked after at %s have no date of birth and are left out of "
            "long-term stability",
            int(age.isna().sum()),
            ye.date(),
        )
    care_cutoff = add_months(ye, -30)
    place_cutoff = add_months(ye, -24)
    long_care = cla["poc_start"].le(care_cutoff)
    unknown = under_16 & ~long_care & ~cla["poc_start_known"]
    if unknown.any():
        log.warning(
            "%d children looked after at %s have a period of care that started before "
            "the episodes supplied and less than 2.5 years of it in the data; they are "
            "left out of long-term stability (supply longer histories)",
            int(unknown.sum()),
            ye.date(),
        )
    cohort = cla.loc[under_16 & long_care].copy()
    previous_ok = (
        cohort["place"].isin(ADOPTION_PLACE)
        & cohort["previous_poc"].eq(cohort["poc"])
        & cohort["previous_placement_start"].le(place_cutoff)
    )
    cohort["stable"] = cohort["placement_start"].le(place_cutoff) | previous_ok
    previous = cohort["previous_placement_start"].where(cohort["previous_poc"].eq(cohort["poc"]))
    out = pd.DataFrame(
        {
            "child_id": cohort["child_id"],
            "period_start": cohort["poc_start"],
            "placement_start": cohort["placement_start"],
            "previous_placement_start": pd.to_datetime(previous),
            "place": cohort["place"],
            "stable": cohort["stable"].astype(bool),
        }
    )
    return out.sort_values("child_id").reset_index(drop=True)


def _with_previous_placement(ep: pd.DataFrame) -> pd.DataFrame:
    """Annotated episodes with the start and period of care of the child's previous placement.

    ``previous_placement_start`` and ``previous_poc`` are those of the placement before the
    episode's own (NaT / NaN for a child's first placement). Episodes are in child and DECOM
    order (:func:`~analysis.cla.annotate_episodes`), so a placement is a run of rows and the
    previous placement ends on the row before its run starts.
    """
    child = child_keys(ep["child_id"])
    placement = ep["placement"].to_numpy()
    starts_run = np.ones(len(ep), dtype=bool)
    starts_run[1:] = (child[1:] != child[:-1]) | (placement[1:] != placement[:-1])
    run_start = np.maximum.accumulate(np.where(starts_run, np.arange(len(ep)), 0))
    before = np.maximum(run_start - 1, 0)
    has_previous = (run_start > 0) & (child[before] == child)
    columns = ["child_id", "decom", "dec", "ls", "place", "poc", "poc_start", "poc_start_known"]
    return ep[[*columns, "placement_start"]].assign(
        previous_placement_start=ep["placement_start"].iloc[before].where(has_previous).to_numpy(),
        previous_poc=ep["poc"].iloc[before].astype("float64").where(has_previous).to_numpy(),
    )


def long_term_stability_pct(
    episodes: pd.DataFrame, children: pd.DataFrame, year_end: DateLike
) -> float:
    """Long-term placement stability (former NI 63), percent.

    Percentage of the cohort of :func:`long_term_stability_children` (looked after at
    ``year_end``, under 16, looked after continuously for 2.5 years or more) who had been in the
    same placement for 2 years or more, or placed for adoption with the adoptive and previous
    placements together lasting 2 years or more. Higher is better.

    Returns
    -------
    float
        Unrounded percentage (0-100); NaN when the cohort is empty.
    """
    cohort = long_term_stability_children(episodes, children, year_end)
    if cohort.empty:
        return math.nan
    return float(cohort["stable"].sum()) / len(cohort) * 100


def long_term_undecided(episodes: pd.DataFrame, children: pd.DataFrame, year_end: DateLike) -> int:
    """Children whose place in the long-term stability cohort the episodes cannot decide.

    Children looked after at ``year_end``, under 16, whose period of care started before the
    episodes supplied (no RNE ``S`` episode in the data) and whose first episode in the data
    starts less than 2.5 years before ``year_end``: they may have been looked after for 2.5
    years or more, but the data cannot show it. When this is not 0, the long-term measure for
    that year rests on incomplete histories (supply earlier returns or full histories).
    """
    require_columns(children, ["child_id", "dob"], "children")
    ye = to_timestamp(year_end)
    cla = cla_at(annotate_episodes(episodes), ye)
    dob = children.drop_duplicates("child_id", keep="last").set_index("child_id")["dob"]
    under_16 = age_at(cla["child_id"].map(dob), ye).lt(16).fillna(False).astype(bool)
    undecided = under_16 & ~cla["poc_start_known"] & cla["poc_start"].gt(add_months(ye, -30))
    return int(undecided.sum())


def stability_measures(
    episodes: pd.DataFrame, children: pd.DataFrame, year_end: DateLike
) -> pd.DataFrame:
    """Short- and long-term placement stability at ``year_end`` with numerators and denominators.

    - ``short_term``: children looked after at ``year_end`` with 3 or more placements during the
      year, of all children looked after (:func:`short_term_stability_pct`);
    - ``long_term``: children in the NI 63 cohort in the same placement for 2+ years, of the
      cohort (:func:`long_term_stability_pct`). When :func:`long_term_undecided` is not 0 the
      histories supplied are too short: ``count``, ``denominator`` and ``percent`` are missing.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure``, ``count`` (Int64), ``denominator`` (Int64), ``percent`` (float).
    """
    cla = cla_at(episodes, year_end)
    placements = placements_during_year(episodes, _year_start(year_end), year_end)
    short = int(placements.reindex(cla["child_id"], fill_value=0).ge(3).sum())
    rows = [("short_term", short, len(cla))]
    if long_term_undecided(episodes, children, year_end):
        log.info(
            "long-term stability at %s not computed: the episodes do not go back far enough",
            to_timestamp(year_end).date(),
        )
        rows.append(("long_term", None, None))
    else:
        cohort = long_term_stability_children(episodes, children, year_end)
        rows.append(("long_term", int(cohort["stable"].sum()), len(cohort)))
    count = pd.array([r[1] for r in rows], dtype="Int64")
    denominator = pd.array([r[2] for r in rows], dtype="Int64")
    percent = [100.0 * r[1] / r[2] if r[1] is not None and r[2] else math.nan for r in rows]
    return pd.DataFrame(
        {
            "measure": [r[0] for r in rows],
            "count": count,
            "denominator": denominator,
            "percent": pd.Series(percent, dtype="float64"),
        }
    )
