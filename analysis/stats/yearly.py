"""Year against year: the numerators and denominators behind the report's percentages.

Each percentage the report compares between years is rebuilt here as a count out of a total,
from the same definition functions the report's sections use, so that its change can carry a
confidence interval (:mod:`analysis.stats.proportions`):

- ``reviews_in_timescale``: CLA reviews held in the period and judged for timeliness, of which
  in time (reg. 33; :func:`analysis.cla.review_timeliness`);
- ``views_conveyed``: reviews held with REVIEW_CODE PN1-PN6, of all reviews held (PN0 included);
- ``short_term_stability``: children looked after at the period end with 3+ placements in the
  year (former NI 62; lower is better);
- ``long_term_stability``: the NI 63 cohort in the same placement for 2+ years;
- ``icpc_within_15_days``: ICPCs held within 15 working days of the s47 start (DfE C4);
- ``icpc_no_plan``: ICPCs that did not lead to a CP plan;
- ``second_subsequent_plans``: plans starting in the period that were second or subsequent
  (DfE D3, "ever");
- ``review_conferences_in_timescale``: CP review conferences held within 3 months of the ICPC,
  then 6 months of the previous review (Working Together).

A measure is left out when its input table was not supplied (e.g. no CIN census).
"""

from __future__ import annotations

import pandas as pd

from analysis.dates import DateLike, in_period

__all__ = [
    "PROPORTION_LABELS",
    "SERIES_LABELS",
    "key_figures",
    "key_figures_view",
    "proportion_counts",
    "control_charts",
    "timeliness_series",
]

#: The run parameter (params file ``targets``) holding each series' target.
SERIES_TARGETS: dict[str, str] = {
    "cla_reviews": "reviews_in_timescale_pct",
    "icpc": "icpc_within_15_days_pct",
    "rcpc": "review_conferences_in_timescale_pct",
}
#: What each control-chart series measures.
SERIES_LABELS: dict[str, str] = {
    "cla_reviews": "CLA reviews held in timescale",
    "icpc": "ICPCs held within 15 working days",
    "rcpc": "CP review conferences held in timescale",
}

PROPORTION_LABELS: dict[str, str] = {
    "reviews_in_timescale": "CLA reviews held in timescale",
    "views_conveyed": "CLA reviews at which the child's views were conveyed (PN1-PN6)",
    "short_term_stability": "Children looked after with 3 or more placements in the year",
    "long_term_stability": "Long-term CLA in the same placement for 2 years or more",
    "icpc_within_15_days": "ICPCs held within 15 working days",
    "icpc_no_plan": "ICPCs that did not lead to a plan",
    "second_subsequent_plans": "CP plans started that were second or subsequent plans",
    "review_conferences_in_timescale": "CP review conferences held in timescale",
}


def _present(frame: pd.DataFrame | None) -> bool:
    return frame is not None and not frame.empty


def proportion_counts(
    period_start: DateLike,
    period_end: DateLike,
    *,
    episodes: pd.DataFrame | None = None,
    children: pd.DataFrame | None = None,
    reviews: pd.DataFrame | None = None,
    cp_plans: pd.DataFrame | None = None,
    s47: pd.DataFrame | None = None,
    cp_reviews: pd.DataFrame | None = None,
    cin_plans: pd.DataFrame | None = None,
) -> dict[str, tuple[int, int]]:
    """``measure -> (count, total)`` for the period, for every measure whose inputs are present.

    Parameters
    ----------
    period_start, period_end
        The period, both ends inclusive (the stability measures are at ``period_end``).
    episodes, children, reviews, cp_plans, s47, cp_reviews, cin_plans
        Processed tables; a missing or empty one drops the measures that need it.

    Returns
    -------
    dict
        In the order of :data:`PROPORTION_LABELS`.
    """
    from analysis import cla, cp
    from analysis.cla.reviews import VIEWS_CONVEYED_CODES

    out: dict[str, tuple[int, int]] = {}
    if _present(reviews) and _present(episodes):
        timeliness = cla.review_timeliness(reviews, episodes)
        held = timeliness.loc[in_period(timeliness["review"], period_start, period_end)]
        judged = held["in_time"].dropna().astype(bool)
        out["reviews_in_timescale"] = (int(judged.sum()), int(len(judged)))
        conveyed = held["review_code"].isin(VIEWS_CONVEYED_CODES)
        out["views_conveyed"] = (int(conveyed.sum()), int(len(held)))
    if _present(episodes):
        looked_after = cla.cla_count_at(episodes, period_end)
        pct = cla.short_term_stability_pct(episodes, period_end)
        three_plus = round(pct * looked_after / 100) if looked_after else 0
        out["short_term_stability"] = (int(three_plus), int(looked_after))
        if _present(children):
            cohort = cla.long_term_stability_children(episodes, children, period_end)
            out["long_term_stability"] = (int(cohort["stable"].sum()), int(len(cohort)))
    if _present(cp_plans) and s47 is not None:
        table = cp.icpcs(s47, cp_plans, period_start, period_end, cin_plans=cin_plans)
        summary = cp.icpc_summary(table)
        n = int(summary["icpc_count"])
        out["icpc_within_15_days"] = (int(summary["within_15_days_count"]), n)
        out["icpc_no_plan"] = (int(summary["no_plan_count"]), n)
    if _present(cp_plans):
        started = len(cp.plans_started(cp_plans, period_start, period_end))
        repeat = len(cp.second_subsequent_plans(cp_plans, period_start, period_end))
        out["second_subsequent_plans"] = (int(repeat), int(started))
        if _present(cp_reviews):
            rcpc = cp.review_conference_timeliness(cp_reviews, cp_plans, period_start, period_end)
            out["review_conferences_in_timescale"] = (int(rcpc["in_time"].sum()), int(len(rcpc)))
    return {m: out[m] for m in PROPORTION_LABELS if m in out}


def key_figures(
    current: list[pd.DataFrame],
    previous: list[pd.DataFrame],
    current_label: str,
    previous_label: str,
) -> pd.DataFrame:
    """Headline measures of this year and last year in one long table.

    Parameters
    ----------
    current, previous
        ``measure``/``value`` tables (e.g. :func:`analysis.cla.cla_summary` and
        :func:`analysis.cp.cp_summary`) for the period and for the year before, computed by
        the same functions.
    current_label, previous_label
        The years (``2023-24``, ``2022-23``).

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` (the year), ``measure`` and ``value`` (object: counts stay ``int``);
        for each measure the previous year's row, then this year's.
    """
    rows = []
    for rank, (label, frames) in enumerate(((previous_label, previous), (current_label, current))):
        order = 0
        for frame in frames:
            for measure, value in zip(frame["measure"], frame["value"], strict=True):
                rows.append((order, rank, label, measure, value))
                order += 1
    rows.sort(key=lambda r: (r[0], r[1]))
    table = pd.DataFrame([r[2:] for r in rows], columns=["period", "measure", "value"])
    table["value"] = table["value"].astype(object)
    return table


def key_figures_view(
    published: pd.DataFrame, labels: dict[str, str], previous_label: str, current_label: str
) -> pd.DataFrame:
    """The reader's view of :func:`key_figures`: one row per measure, a column per year."""
    view = published.pivot(index="measure", columns="period", values="value")
    order = list(dict.fromkeys(published["measure"]))
    view = view.reindex(order)[[previous_label, current_label]].reset_index()
    view["measure"] = [labels.get(m, m) for m in view["measure"]]
    view.columns = ["Measure", previous_label, current_label]
    return view


def timeliness_series(
    start: DateLike,
    end: DateLike,
    *,
    episodes: pd.DataFrame | None = None,
    reviews: pd.DataFrame | None = None,
    cp_plans: pd.DataFrame | None = None,
    s47: pd.DataFrame | None = None,
    cp_reviews: pd.DataFrame | None = None,
    cin_plans: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Monthly timeliness series for control charts, from the sections' own definitions.

    - ``cla_reviews``: CLA reviews held in each month and judged, of which in time (reg. 33;
      :func:`analysis.cla.review_timeliness`);
    - ``icpc``: ICPCs held in each month, of which within 15 working days of the s47 start
      (DfE C4; :func:`analysis.cp.icpcs`);
    - ``rcpc``: review child protection conferences held in each month, of which in timescale
      (Working Together; :func:`analysis.cp.review_conference_timeliness`).

    Returns
    -------
    dict
        ``series -> monthly_proportion(...)`` for every series whose inputs are present.
    """
    from analysis import cla, cp
    from analysis.stats.spc import monthly_proportion

    out = {}
    if _present(reviews) and _present(episodes):
        timeliness = cla.review_timeliness(reviews, episodes)
        out["cla_reviews"] = monthly_proportion(
            timeliness["review"], timeliness["in_time"], start, end
        )
    if _present(cp_plans) and s47 is not None and not s47.empty:
        table = cp.icpcs(s47, cp_plans, start, end, cin_plans=cin_plans)
        out["icpc"] = monthly_proportion(table["icpc_date"], table["within_15_days"], start, end)
    if _present(cp_plans) and _present(cp_reviews):
        table = cp.review_conference_timeliness(cp_reviews, cp_plans, start, end)
        out["rcpc"] = monthly_proportion(table["review_date"], table["in_time"], start, end)
    return out


def control_charts(
    series: dict[str, pd.DataFrame], period_start: DateLike, targets: dict[str, float]
) -> tuple[pd.DataFrame, dict[str, dict[str, object]]]:
    """Classify every monthly series (:mod:`analysis.stats.spc`) against its target.

    Parameters
    ----------
    series
        Output of :func:`timeliness_series`.
    period_start
        Start of the report year.
    targets
        Run parameters ``targets`` (:data:`SERIES_TARGETS` names each series' key).

    Returns
    -------
    (pandas.DataFrame, dict)
        The rows of every series (``spc_timeliness_monthly``) and ``series -> summary``.
    """
    from analysis.stats.spc import SPC_TABLE_COLUMNS, spc_series

    tables, summaries = [], {}
    for name, monthly in series.items():
        target = targets.get(SERIES_TARGETS.get(name, ""))
        table, summaries[name] = spc_series(name, monthly, period_start, target)
        tables.append(table)
    combined = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    return combined.reindex(columns=SPC_TABLE_COLUMNS), summaries
