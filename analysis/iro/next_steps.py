"""The improvement plan ("next steps"): baselines from the data, targets as parameters.

The published report's section 15 states goals such as "Increase the number of Initial Child
protection Conferences held in timescales from 61.3% to 95%", with the baseline typed by hand.
Here each baseline is the report year's figure, computed by the same function as the section that
reports it, and each target is a run parameter (``targets:`` in the params file). A goal without
a target says so; a goal whose input was not supplied says which.

Goals, their measures and the target keys are data (``GOALS``); the order is the published one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.dates import DateLike
from analysis.narrative import fmt_count, fmt_pct

__all__ = [
    "GOALS",
    "NEXT_STEPS_COLUMNS",
    "Goal",
    "next_steps_baselines",
    "next_steps_table",
    "next_steps_view",
]

NEXT_STEPS_COLUMNS = ["goal_id", "measure", "children", "baseline", "target"]


@dataclass(frozen=True)
class Goal:
    """One improvement goal.

    Attributes
    ----------
    text
        The goal, worded to read before "from <baseline> to <target>".
    measure
        What the baseline measures (definition and denominator).
    direction
        ``increase``, ``decrease`` or ``within`` (a range, the IRO Handbook caseload).
    unit
        ``pct`` (percentages) or ``rate`` (children per FTE IRO).
    review
        How progress is reviewed.
    """

    text: str
    measure: str
    direction: str
    unit: str
    review: str = "Monthly performance data"


#: The goals, keyed by their target parameter name, in the published report's order.
GOALS: dict[str, Goal] = {
    "iro_caseload_per_fte": Goal(
        "Sustain IRO caseloads within the IRO Handbook range of 50-70 children per full-time IRO",
        "Children (looked after and on CP plans) per full-time-equivalent IRO, last month of "
        "the year",
        "within",
        "rate",
        "Monthly caseload data",
    ),
    "views_conveyed_pct": Goal(
        "Increase the share of CLA reviews at which the child's views are conveyed",
        "% of CLA reviews held at which the child's views were conveyed (PN1-PN6); the "
        "denominator is all reviews held, PN0 (under 4) included",
        "increase",
        "pct",
    ),
    "reviews_in_timescale_pct": Goal(
        "Increase the share of CLA reviews held in timescale",
        "% of CLA reviews held in timescale (Care Planning Regulations 2010, reg. 33)",
        "increase",
        "pct",
    ),
    "review_conferences_in_timescale_pct": Goal(
        "Increase the share of review child protection conferences held in timescale",
        "% of review child protection conferences held in timescale (first within 3 months "
        "of the ICPC, then at most 6 months apart)",
        "increase",
        "pct",
    ),
    "icpc_within_15_days_pct": Goal(
        "Increase the share of initial child protection conferences held within 15 working days",
        "% of ICPCs held within 15 working days of the section 47 enquiry starting",
        "increase",
        "pct",
    ),
    "cp_plans_15_months_plus_pct": Goal(
        "Reduce the share of children on a child protection plan for 15 months or more",
        "% of children on a CP plan at the year end whose plan had lasted 15 months or more",
        "decrease",
        "pct",
        "Monthly child protection review panel",
    ),
}

#: The IRO Handbook caseload range (para 7.15), the "target" of the caseload goal.
CASELOAD_RANGE = (50, 70)


def next_steps_table(
    baselines: Mapping[str, tuple[float | None, int | None]], targets: Mapping[str, float]
) -> pd.DataFrame:
    """The next-steps table: every goal with its baseline (from the data) and target (a parameter).

    Parameters
    ----------
    baselines
        ``{goal id: (baseline, children)}``: the report year's figure (None when its input was
        not supplied) and, for goals that count children (15+ month plans, caseload), the number
        of children behind it (None otherwise). Goal ids are the keys of ``GOALS``.
    targets
        The run's ``targets`` parameter; a goal without a key has no target (NaN). The caseload
        goal's target is the IRO Handbook maximum of 70, not a parameter.

    Returns
    -------
    pandas.DataFrame
        Columns ``NEXT_STEPS_COLUMNS``: ``goal_id``, ``measure`` (definition), ``children``
        (Int64), ``baseline`` and ``target`` (float, unrounded), one row per goal in ``GOALS``
        order.
    """
    unknown = sorted(set(baselines) - set(GOALS))
    if unknown:
        raise KeyError(f"unknown next-steps goals: {', '.join(unknown)}")
    rows = []
    for goal_id, goal in GOALS.items():
        baseline, children = baselines.get(goal_id, (None, None))
        target = CASELOAD_RANGE[1] if goal_id == "iro_caseload_per_fte" else targets.get(goal_id)
        rows.append(
            {
                "goal_id": goal_id,
                "measure": goal.measure,
                "children": children,
                "baseline": float("nan") if baseline is None else float(baseline),
                "target": float("nan") if target is None else float(target),
            }
        )
    out = pd.DataFrame(rows, columns=NEXT_STEPS_COLUMNS)
    out["children"] = pd.array(out["children"].tolist(), dtype="Int64")
    return out


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _fmt(value: object, unit: str, whole: bool = False) -> str:
    """A baseline or target as text; ``whole`` drops ".0" (targets are set as 95, not 95.0)."""
    if unit == "pct":
        text = fmt_pct(value)
        return text[:-3] + "%" if whole and text.endswith(".0%") else text
    if value == "c":
        return "suppressed"
    return "not available" if value is None or pd.isna(value) else f"{float(value):.1f}"


def next_steps_view(
    published: pd.DataFrame, period: str, missing: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The reader's next-steps table: the goal worded "from <baseline> to <target>".

    Every figure is taken from the published table (rounded, suppressed), so the goal text and
    the table agree.

    Parameters
    ----------
    published
        The published ``iro_next_steps`` table.
    period
        Label of the baseline year (``2023-24``).
    missing
        ``{goal id: input}`` for goals whose input was not supplied (e.g. "IRO caseload extract").

    Returns
    -------
    pandas.DataFrame
        Columns ``Goal``, ``Baseline measure``, ``Review``.
    """
    missing = dict(missing or {})
    rows = []
    for row in published.itertuples(index=False):
        goal = GOALS[row.goal_id]
        if row.goal_id in missing:
            text = f"{goal.text} (no baseline: the {missing[row.goal_id]} was not supplied)"
        elif goal.direction == "within":
            text = f"{goal.text} ({_fmt(row.baseline, goal.unit)} in the last month of {period})"
        else:
            base, of = _fmt(row.baseline, goal.unit), ""
            counted = row.children is not None and not _blank(row.children)
            if counted:
                of = " of children on a plan"
                base = (
                    f"{fmt_count(row.children)} children"
                    if row.children == "c"
                    else f"{fmt_count(row.children)} children ({base}{of})"
                )
            if _blank(row.target):
                text = f"{goal.text} from {base} in {period} (no target set)"
            else:
                target = _fmt(row.target, goal.unit, whole=True)
                text = f"{goal.text} from {base} in {period} to {target}{of}"
        rows.append({"Goal": text, "Baseline measure": row.measure, "Review": goal.review})
    return pd.DataFrame(rows, columns=["Goal", "Baseline measure", "Review"])


def next_steps_baselines(
    *,
    episodes: pd.DataFrame,
    children: pd.DataFrame,
    reviews: pd.DataFrame,
    population: float | None,
    cp_plans: pd.DataFrame,
    s47: pd.DataFrame,
    cin_plans: pd.DataFrame,
    cp_reviews: pd.DataFrame,
    caseload: pd.DataFrame | None,
    period_start: DateLike,
    period_end: DateLike,
) -> dict[str, tuple[float | None, int | None]]:
    """The report year's baseline of every goal, from the functions the report's sections use.

    - ``reviews_in_timescale_pct``: :func:`analysis.cla.cla_summary` (as the CLA section);
    - ``views_conveyed_pct``: :func:`analysis.cla.views_conveyed_pct` (PN1-PN6 of all reviews);
    - ``icpc_within_15_days_pct``: :func:`analysis.cp.icpc_summary` of
      :func:`analysis.cp.icpcs` (as the child protection section);
    - ``review_conferences_in_timescale_pct``: :func:`analysis.cp.review_conference_summary`;
    - ``cp_plans_15_months_plus_pct``: children whose plan had lasted 15 months or more at the
      period end, as a % of children on a plan (:func:`analysis.cp.plans_15_months_plus_at`,
      :func:`analysis.cp.cp_count_at`), with the count of children;
    - ``iro_caseload_per_fte``: children per FTE IRO in the last month of the period with caseload
      rows (:func:`analysis.iro.caseload_per_iro`), with the count of children; ``(None, None)``
      when ``caseload`` is None (extract not supplied) or has no rows in the period.

    Returns
    -------
    dict
        ``{goal id: (baseline, children)}`` for :func:`next_steps_table`.
    """
    from analysis import cla, cp
    from analysis.iro import caseload_per_iro
    from analysis.narrative import measure, percent

    summary = cla.cla_summary(episodes, children, reviews, population, period_start, period_end)
    icpc = cp.icpc_summary(cp.icpcs(s47, cp_plans, period_start, period_end, cin_plans=cin_plans))
    rcpc = cp.review_conference_summary(
        cp.review_conference_timeliness(cp_reviews, cp_plans, period_start, period_end)
    )
    long_plans = cp.plans_15_months_plus_at(cp_plans, period_end)
    on_plan = cp.cp_count_at(cp_plans, period_end)
    caseload_baseline: tuple[float | None, int | None] = (None, None)
    if caseload is not None:
        monthly = caseload_per_iro(caseload, period_start, period_end)
        if not monthly.empty:
            last = monthly.iloc[-1]
            caseload_baseline = (float(last["caseload_per_fte"]), int(last["children"]))
    return {
        "iro_caseload_per_fte": caseload_baseline,
        "views_conveyed_pct": (cla.views_conveyed_pct(reviews, period_start, period_end), None),
        "reviews_in_timescale_pct": (float(measure(summary, "reviews_in_timescale_pct")), None),
        "review_conferences_in_timescale_pct": (rcpc["in_time_pct"], None),
        "icpc_within_15_days_pct": (icpc["within_15_days_pct"], None),
        "cp_plans_15_months_plus_pct": (percent(long_plans, on_plan), long_plans),
    }
