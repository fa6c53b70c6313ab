"""Children starting and ceasing to be looked after in a period.

Definitions: DfE, *Children looked after in England including adoptions*, methodology (DESIGN
section 5, "Counting children, not episodes"):

- **Started** = children with a period of care starting (RNE ``S``) in the period, counted once,
  on the first occasion.
- **Ceased** = children whose period of care ended (REC not ``X1``) in the period, counted once,
  on the last occasion; the reason ceased is that occasion's REC.
- Children looked after only under an agreed series of short-term placements (LS V3/V4) are
  excluded. A period of care made only of short-break episodes is neither a start nor a ceasing.
  When a period of care begins with short breaks and continues under another legal status, the
  child starts to be looked after (for these counts) on the first episode that is not a short
  break, the day they join the count of children looked after (:func:`~analysis.cla.cla_at`).

Both ends of the period are inclusive. A period of care ending on 31 March is a ceasing in the
year ending that day.
"""

from __future__ import annotations

import pandas as pd

from analysis.cla.ordering import child_keys
from analysis.cla.periods import annotate_episodes
from analysis.dates import DateLike, in_period

__all__ = ["started_in_period", "ceased_in_period"]

_DERIVED = ["short_break", "poc", "poc_start", "poc_start_known", "placement", "placement_start"]


def _episode_columns(ep: pd.DataFrame) -> pd.DataFrame:
    return ep.drop(columns=[c for c in _DERIVED if c in ep.columns])


def _period_of_care(ep: pd.DataFrame) -> pd.Series:
    """A number per period of care (child and ``poc``) of annotated episodes, by row."""
    return pd.Series(child_keys(ep["child_id"], ep["poc"]), index=ep.index)


def started_in_period(
    episodes: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Children who started to be looked after in the period: one row per child.

    DfE, *Children looked after in England including adoptions* ("children starting to be looked
    after during the year", counting children, not episodes). A child counts when a period of
    care (begun by an RNE ``S`` episode) starts in the period, once, on the first occasion (a
    child who leaves and re-enters care within the period counts once, with their first start).
    Periods of care made only of short breaks (LS V3/V4) are excluded; for a period that begins
    with short breaks and continues under another legal status, the start is the first episode
    that is not a short break.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    period_start, period_end
        The reporting period, both inclusive.

    Returns
    -------
    pandas.DataFrame
        The starting episode of each child, with the input episode columns (``child_id``,
        ``decom``, ``rne``, ``ls``, ``cin``, ``place``, ...), sorted by ``child_id`` (index
        reset). ``decom`` is the start date; ``cin`` is the category of need at entry.
    """
    ep = annotate_episodes(episodes)
    care = ep.loc[ep["poc_start_known"] & ~ep["short_break"]]
    first_in_poc = care.loc[~_period_of_care(care).duplicated(keep="first")]
    starts = first_in_poc.loc[in_period(first_in_poc["decom"], period_start, period_end)]
    first_per_child = starts.drop_duplicates("child_id", keep="first")
    return _episode_columns(first_per_child).reset_index(drop=True)


def ceased_in_period(
    episodes: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Children who ceased to be looked after in the period: one row per child.

    DfE, *Children looked after in England including adoptions* ("children ceasing to be looked
    after during the year", counting children, not episodes). A child counts when a period of
    care ended in the period: its last episode has a DEC in the period and a REC other than
    ``X1``. A child counts once, on the last occasion; ``rec`` is the reason of that occasion.
    Periods of care made only of short breaks (LS V3/V4) are excluded.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    period_start, period_end
        The reporting period, both inclusive (an episode ending on ``period_end`` counts).

    Returns
    -------
    pandas.DataFrame
        The final episode of each child's last period of care ended in the period, with the input
        episode columns (``dec`` is the date ceased, ``rec`` the reason), sorted by ``child_id``
        (index reset).
    """
    ep = annotate_episodes(episodes)
    poc = _period_of_care(ep)
    has_care = ~ep["short_break"].groupby(poc, sort=False).transform("all")
    last = ep.loc[has_care & ~poc.duplicated(keep="last")]
    ended = last["rec"].notna() & last["rec"].ne("X1").fillna(False).astype(bool)
    ceased = last.loc[ended & in_period(last["dec"], period_start, period_end)]
    last_per_child = ceased.drop_duplicates("child_id", keep="last")
    return _episode_columns(last_per_child).reset_index(drop=True)
