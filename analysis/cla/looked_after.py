"""Children looked after at a date, the rate per 10,000 and the monthly series.

Definitions: DfE, *Children looked after in England including adoptions* (CLA), methodology:
a child is looked after at a date when an episode is open on that date; children looked after
only under an agreed series of short-term placements (LS V3/V4) are excluded; remand (LS J1-J3)
counts as looked after. Rates use the ONS mid-year estimate of children aged 0-17 that DfE used
for the year (see :func:`analysis.reference.population_0_17`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.cla.ordering import ordered_by, sort_key, sorted_codes
from analysis.cla.periods import SHORT_BREAK_LS, require_columns
from analysis.dates import DateLike, month_ends, open_at, overlaps_period, to_timestamp

__all__ = ["cla_at", "cla_count_at", "cla_counts_at", "rate_per_10k", "monthly_cla"]


def cla_at(episodes: pd.DataFrame, date: DateLike) -> pd.DataFrame:
    """Children looked after at ``date``: one row per child (their open episode).

    Implements the DfE CLA "looked after at 31 March" definition at any date.

    Boundary convention (DESIGN section 5): an episode is open at ``date`` when
    ``decom <= date`` and (``dec`` is missing or ``dec > date``). A child whose care ends on
    ``date`` is therefore not looked after at ``date`` (they are counted as ceased), and a child
    who starts on ``date`` is. A child whose open episode has LS V3/V4 (short breaks only) is
    excluded; remand (LS J1-J3) is included.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table (``child_id``, ``decom``, ``dec``, ``ls`` at least).
    date
        The reference date (e.g. 31 March).

    Returns
    -------
    pandas.DataFrame
        The open episode of each child looked after, with the input columns, sorted by
        ``child_id`` (index reset). Should a child have overlapping open episodes (invalid data),
        the one starting last is kept.
    """
    require_columns(episodes, ["child_id", "decom", "dec", "ls"], "episodes")
    child, order = _by_child_and_start(episodes)
    is_open = open_at(episodes["decom"], episodes["dec"], date).to_numpy(dtype=bool)
    latest = episodes.take(_latest_open(child, order, is_open))
    looked_after = latest.loc[~latest["ls"].isin(SHORT_BREAK_LS)]
    return looked_after.reset_index(drop=True)


def _by_child_and_start(episodes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """A number per child (in the order of the ids) and the rows sorted by child, then DECOM."""
    child = sorted_codes(episodes["child_id"])
    return child, ordered_by(child, sort_key(episodes["decom"]))  # stable: ties keep row order


def _latest_open(child: np.ndarray, order: np.ndarray, is_open: np.ndarray) -> np.ndarray:
    """Rows of each child's open episode starting last (the later row on a tie), by child."""
    rows = order[is_open[order]]
    last_of_child = np.append(child[rows][1:] != child[rows][:-1], True)[: len(rows)]
    return rows[last_of_child]


def cla_count_at(episodes: pd.DataFrame, date: DateLike) -> int:
    """Count the children looked after at ``date`` (see :func:`cla_at` for the definition)."""
    return int(len(cla_at(episodes, date)))


def cla_counts_at(episodes: pd.DataFrame, dates: list[DateLike]) -> list[int]:
    """:func:`cla_count_at` at each of ``dates``, with one sort for all of them.

    DfE CLA "looked after at 31 March" at each date, by the rule of :func:`cla_at`: at each
    date, each child's open episode starting last (the later row of the table when two start on
    the same day) decides, and a child whose deciding episode has LS V3/V4 is not counted.
    """
    require_columns(episodes, ["child_id", "decom", "dec", "ls"], "episodes")
    child, order = _by_child_and_start(episodes)
    short_break = episodes["ls"].isin(SHORT_BREAK_LS).to_numpy(dtype=bool)
    counts = []
    for date in dates:
        is_open = open_at(episodes["decom"], episodes["dec"], date).to_numpy(dtype=bool)
        counts.append(int((~short_break[_latest_open(child, order, is_open)]).sum()))
    return counts


def rate_per_10k(count: float, population: float) -> float:
    """Rate per 10,000 children aged 0-17: ``count / population * 10,000``, unrounded.

    DfE CLA methodology: the denominator is the ONS mid-year estimate of the population aged 0-17
    (for a year ending 31 March YYYY, the mid-(YYYY-1) estimate DfE used). Returns NaN when the
    population is missing or not positive.
    """
    if population is None or pd.isna(population) or population <= 0:
        return math.nan
    return float(count) / float(population) * 10_000


def monthly_cla(
    episodes: pd.DataFrame, population: float, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Children looked after and rate per 10,000 at each month end.

    The month ends are the last month end before ``period_start`` (the baseline, e.g. 31 March
    for a year starting 1 April) and then every month end from ``period_start`` to
    ``period_end``: 13 rows for a full year. ``period_start`` may also be given as the baseline
    month end itself (31 March 2023 with ``period_end`` 31 March 2024 gives the same 13 rows).
    Counts follow :func:`cla_at`; rates use one ``population`` for every month, as the published
    monthly tables do.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    population
        ONS mid-year estimate of children aged 0-17 for the year.
    period_start, period_end
        The reporting period (both inclusive).

    Returns
    -------
    pandas.DataFrame
        Columns ``month_end`` (datetime64), ``count`` (int64), ``rate_per_10k`` (float, unrounded).
    """
    start = to_timestamp(period_start)
    if start.is_month_end:
        dates = month_ends(start, period_end)
    else:
        dates = [start - pd.offsets.MonthEnd(1), *month_ends(start, period_end)]
    require_columns(episodes, ["child_id", "decom", "dec", "ls"], "episodes")
    relevant = episodes.loc[
        overlaps_period(episodes["decom"], episodes["dec"], dates[0], dates[-1])
    ]
    counts = cla_counts_at(relevant, dates)
    return pd.DataFrame(
        {
            "month_end": pd.to_datetime(dates),
            "count": pd.Series(counts, dtype="int64"),
            "rate_per_10k": [rate_per_10k(c, population) for c in counts],
        }
    )
