"""Headline child protection measures for the IRO annual report (one tidy table)."""

from __future__ import annotations

import math

import pandas as pd

from analysis.cp.conferences import icpc_summary, icpcs
from analysis.cp.plans import (
    cp_count_at,
    plans_15_months_plus_at,
    plans_24_months_plus_at,
    plans_started,
    second_subsequent_plans,
)
from analysis.dates import DateLike

__all__ = ["CP_SUMMARY_MEASURES", "cp_summary"]

#: The measures of :func:`cp_summary`, in order.
CP_SUMMARY_MEASURES: tuple[str, ...] = (
    "cp_plans_count",
    "cp_rate_per_10k",
    "plans_started_count",
    "second_subsequent_count",
    "second_subsequent_pct",
    "icpc_count",
    "icpc_within_15_days_pct",
    "icpc_no_plan_count",
    "plans_15_months_plus_count",
    "plans_24_months_plus_count",
)


def cp_summary(
    cp_plans: pd.DataFrame,
    s47: pd.DataFrame,
    population: float | None,
    period_start: DateLike,
    period_end: DateLike,
    cin_plans: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Headline child protection measures for a period.

    Definitions (DfE *Characteristics of children in need*; Working Together to Safeguard
    Children), each as in the function named:

    - ``cp_plans_count``: children subject to a plan at ``period_end`` (D1,
      :func:`~analysis.cp.plans.cp_count_at`, open-at rule);
    - ``cp_rate_per_10k``: ``cp_plans_count / population * 10,000``; ``population`` is the ONS
      0-17 estimate DfE used for the year (DESIGN section 5); NaN when not given;
    - ``plans_started_count``: plans starting in the period (D3 denominator);
    - ``second_subsequent_count`` / ``second_subsequent_pct``: second or subsequent plans
      ("ever", D3) and their percentage of plans started (NaN when none started);
    - ``icpc_count``, ``icpc_within_15_days_pct``, ``icpc_no_plan_count``: ICPCs held in the
      period, % within 15 working days of the s47 start (C4), ICPCs not leading to a plan;
    - ``plans_15_months_plus_count``, ``plans_24_months_plus_count``: children whose open plan
      at ``period_end`` has lasted 15+ / 24+ months (month rule, cumulative bands).

    Parameters
    ----------
    cp_plans, s47
        Processed ``cp_plans`` and ``s47`` tables.
    population
        Children aged 0-17 for the rate (None or NaN gives a NaN rate).
    period_start, period_end
        The period, both ends inclusive.
    cin_plans
        Optional ``cin_plans`` table, passed to :func:`~analysis.cp.conferences.icpcs`.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure`` and ``value`` (object: ``int`` counts, unrounded ``float`` rates and
        percentages), one row per measure in the order of ``CP_SUMMARY_MEASURES``.
    """
    count = cp_count_at(cp_plans, period_end)
    pop = float("nan") if population is None else float(population)
    rate = count / pop * 10_000 if pop and not math.isnan(pop) else float("nan")
    started = len(plans_started(cp_plans, period_start, period_end))
    repeat = len(second_subsequent_plans(cp_plans, period_start, period_end))
    icpc = icpc_summary(icpcs(s47, cp_plans, period_start, period_end, cin_plans=cin_plans))
    values: list[int | float] = [
        int(count),
        float(rate),
        int(started),
        int(repeat),
        repeat / started * 100 if started else float("nan"),
        int(icpc["icpc_count"]),
        float(icpc["within_15_days_pct"]),
        int(icpc["no_plan_count"]),
        plans_15_months_plus_at(cp_plans, period_end),
        plans_24_months_plus_at(cp_plans, period_end),
    ]
    return pd.DataFrame(
        {"measure": list(CP_SUMMARY_MEASURES), "value": pd.Series(values, dtype=object)}
    )
