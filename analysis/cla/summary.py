"""Headline CLA figures for the IRO annual report, as one tidy table."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from analysis.cla.flows import ceased_in_period, started_in_period
from analysis.cla.looked_after import cla_count_at, rate_per_10k
from analysis.cla.periods import annotate_episodes
from analysis.cla.reviews import review_timeliness, reviews_held, reviews_in_timescale_pct
from analysis.cla.stability import long_term_stability_pct, short_term_stability_pct
from analysis.dates import DateLike

__all__ = ["SUMMARY_MEASURES", "cla_summary"]

#: Measures of :func:`cla_summary`, in order.
SUMMARY_MEASURES = (
    "cla_count",
    "cla_rate_per_10k",
    "started_count",
    "ceased_count",
    "reviews_held",
    "reviews_in_timescale_pct",
    "short_term_stability_pct",
    "long_term_stability_pct",
)


def cla_summary(
    episodes: pd.DataFrame,
    children: pd.DataFrame,
    reviews: pd.DataFrame,
    population: float,
    period_start: DateLike,
    period_end: DateLike,
    *,
    reviews_from: DateLike | Literal["infer"] | None = "infer",
    timeliness: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Headline figures of the period, each from its definition function.

    ``timeliness`` may pass ``review_timeliness(reviews, episodes, reviews_from=reviews_from)``
    when the caller has it already (it covers every period: a report computes it once for both
    years); the figures are the same.

    - ``cla_count``, ``cla_rate_per_10k``: children looked after at ``period_end`` (DfE CLA;
      :func:`~analysis.cla.cla_at`) and the rate per 10,000 children aged 0-17 (``population``);
    - ``started_count``, ``ceased_count``: children starting / ceasing to be looked after in the
      period, counted once (:func:`~analysis.cla.started_in_period`,
      :func:`~analysis.cla.ceased_in_period`);
    - ``reviews_held``, ``reviews_in_timescale_pct``: reviews held in the period and the
      percentage in time (Care Planning Regulations 2010 reg. 33;
      :func:`~analysis.cla.review_timeliness`, passing ``reviews_from``);
    - ``short_term_stability_pct``, ``long_term_stability_pct``: former NI 62 / NI 63 at
      ``period_end``.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure`` and ``value`` (object: counts are ``int``, rates and percentages
        unrounded ``float``; the output layer rounds), one row per measure in
        :data:`SUMMARY_MEASURES` order.
    """
    episodes = annotate_episodes(episodes)  # once, for every measure below
    cla_count = cla_count_at(episodes, period_end)
    if timeliness is None:
        timeliness = review_timeliness(reviews, episodes, reviews_from=reviews_from)
    values = {
        "cla_count": cla_count,
        "cla_rate_per_10k": rate_per_10k(cla_count, population),
        "started_count": int(len(started_in_period(episodes, period_start, period_end))),
        "ceased_count": int(len(ceased_in_period(episodes, period_start, period_end))),
        "reviews_held": reviews_held(reviews, period_start, period_end),
        "reviews_in_timescale_pct": reviews_in_timescale_pct(timeliness, period_start, period_end),
        "short_term_stability_pct": short_term_stability_pct(episodes, period_end),
        "long_term_stability_pct": long_term_stability_pct(episodes, children, period_end),
    }
    return pd.DataFrame(
        {
            "measure": list(SUMMARY_MEASURES),
            "value": pd.Series([values[m] for m in SUMMARY_MEASURES], dtype="object"),
        }
    )
