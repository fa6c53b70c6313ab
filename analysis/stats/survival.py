"""Time on a child protection plan and time to permanence, by cohort (survival analysis).

A plan still open at the period end has not ended yet: its time on plan is only known to be at
least the time so far (right-censored). Averaging the durations of ended plans would leave out
the longest plans; the Kaplan-Meier estimator uses every plan (Kaplan and Meier, 1958).

- **Time on plan**: days from ``cpp_start`` to ``cpp_end`` for plans starting in a cohort year
  (1 April to 31 March, DfE collection years). A plan open at the period end, or ending after it,
  is censored at the period end (the report uses nothing after its period). The Kaplan-Meier
  curve is the share of plans still open after each number of days, with Greenwood standard
  errors and log-log 95% intervals (statsmodels ``SurvfuncRight``). Cohorts are compared with
  the log-rank test (statsmodels ``survdiff``).
- **Time to permanence**: days from the start of a period of care (DECOM of its RNE ``S``
  episode) to its end with an adoption order (REC E11, E12), a special guardianship order
  (E45-E48) or a child arrangements order (E41). A period of care ending any other way (return
  home, turning 18, ...) can no longer end in permanence from care: that is a **competing
  event**, not censoring. Treating it as censored (1 - Kaplan-Meier) would overstate the chance
  of permanence, so the cumulative incidence (Aalen-Johansen) estimator is used (statsmodels
  ``CumIncidenceRight``). Periods of care still open at the period end are censored there.
  Short-break-only periods of care (LS V3/V4) are excluded (DfE CLA convention).

Only cohorts whose start year is covered by the data are complete: a return holds the plans and
episodes open during its year, so plans that started and ended before the first return are
missing. ``data_from`` drops earlier starts (left truncation).

"N months" is read as N x 365.25 / 12 days, rounded (3 months = 91 days, 12 months = 365).
An estimate resting on fewer than 20 subjects still followed up (``MIN_AT_RISK``) is not shown:
the tables leave it blank and the curves stop there.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from statistics import NormalDist

import numpy as np
import pandas as pd

from analysis.dates import DateLike, collection_year, to_timestamp

__all__ = [
    "PERMANENCE_REC",
    "COHORTS",
    "MIN_AT_RISK",
    "care_durations",
    "cohorts_from",
    "compare_cohorts_at",
    "cif_curves",
    "cumulative_incidence",
    "days_for_months",
    "kaplan_meier",
    "km_curves",
    "logrank_by_cohort",
    "median_days",
    "permanence_sentences",
    "plan_durations",
    "step_value",
    "time_on_plan_sentences",
    "time_on_plan_table",
    "time_to_permanence_table",
    "wide_view",
]

log = logging.getLogger(__name__)

#: Reasons for a period of care ending that mean legal permanence (DfE SSDA903 REC codes).
PERMANENCE_REC: dict[str, str] = {
    "E11": "adoption",
    "E12": "adoption",
    "E45": "special guardianship order",
    "E46": "special guardianship order",
    "E47": "special guardianship order",
    "E48": "special guardianship order",
    "E41": "child arrangements order",
}
ENDED, CENSORED = 1, 0
PERMANENCE, OTHER_EXIT = 1, 2
#: Fewest subjects still followed up for an estimate to be shown.
MIN_AT_RISK = 20
#: Start-year cohorts compared: the report year and the three before it.
COHORTS = 4
#: Days in an average month (365.25 / 12).
DAYS_PER_MONTH = 365.25 / 12
Z95 = NormalDist().inv_cdf(0.975)


def days_for_months(months: float) -> int:
    """Days read as ``months`` months: ``round(months x 365.25 / 12)``."""
    return int(round(months * 365.25 / 12))


def _loglog_interval(p: np.ndarray, se: np.ndarray, z: float = Z95) -> tuple[np.ndarray, ...]:
    """Log-log transformed interval for a probability (Kalbfleisch and Prentice).

    ``log(-log p)`` +/- z x se / |p log p|, back-transformed; for p = 0 or 1 the interval is the
    point itself; NaN when the standard error is not defined (no one left at risk).
    """
    p, se = np.asarray(p, dtype="float64"), np.asarray(se, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = se / np.abs(p * np.log(p))
        lower = p ** np.exp(z * sd)
        upper = p ** np.exp(-z * sd)
    degenerate = (p <= 0) | (p >= 1)
    unknown = ~degenerate & ~np.isfinite(sd)
    lower = np.where(degenerate, p, np.where(unknown, np.nan, lower))
    upper = np.where(degenerate, p, np.where(unknown, np.nan, upper))
    return lower, upper


def kaplan_meier(durations: Sequence[float], ended: Sequence[bool]) -> pd.DataFrame:
    """Kaplan-Meier estimate of the share still open (not yet ended) after each time.

    Parameters
    ----------
    durations
        Time of each subject (days): to the event, or to censoring.
    ended
        True when the event was observed, False when censored. At equal times events come
        before censorings (the usual convention).

    Returns
    -------
    pandas.DataFrame
        One row per distinct event time: ``time``, ``at_risk``, ``events``, ``surv`` (share
        still open just after ``time``), ``se`` (Greenwood), ``lower``, ``upper`` (95%,
        log-log). Empty when no event was observed.
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    t = np.asarray(durations, dtype="float64")
    e = np.asarray(ended, dtype=bool).astype("int64")
    columns = ["time", "at_risk", "events", "surv", "se", "lower", "upper"]
    if t.size == 0 or e.sum() == 0:
        return pd.DataFrame(columns=columns, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        fit = SurvfuncRight(t, e)
    lower, upper = _loglog_interval(fit.surv_prob, fit.surv_prob_se)
    return pd.DataFrame(
        {
            "time": fit.surv_times,
            "at_risk": fit.n_risk,
            "events": fit.n_events,
            "surv": fit.surv_prob,
            "se": fit.surv_prob_se,
            "lower": lower,
            "upper": upper,
        }
    )[columns]


def cumulative_incidence(
    durations: Sequence[float], status: Sequence[int], cause: int = PERMANENCE
) -> pd.DataFrame:
    """Aalen-Johansen cumulative incidence of one cause in the presence of competing causes.

    Parameters
    ----------
    durations
        Time of each subject (days).
    status
        0 censored, 1, 2, ... the cause that ended follow-up.
    cause
        The cause of interest.

    Returns
    -------
    pandas.DataFrame
        One row per distinct event time (any cause): ``time``, ``cif`` (probability that
        ``cause`` has happened by ``time``), ``se``, ``lower``, ``upper`` (95%, log-log).
        Empty when no event of any cause was observed.
    """
    from statsmodels.duration.survfunc import CumIncidenceRight

    t = np.asarray(durations, dtype="float64")
    s = np.asarray(status, dtype="int64")
    columns = ["time", "cif", "se", "lower", "upper"]
    if t.size == 0 or (s > 0).sum() == 0:
        return pd.DataFrame(columns=columns, dtype="float64")
    # statsmodels indexes causes 1..max(status): a cause never seen still needs its slot
    with np.errstate(divide="ignore", invalid="ignore"):
        fit = CumIncidenceRight(t, s)
    if cause > len(fit.cinc):
        cif, se = np.zeros(fit.times.size), np.zeros(fit.times.size)
    else:
        cif, se = fit.cinc[cause - 1], fit.cinc_se[cause - 1]
    lower, upper = _loglog_interval(cif, se)
    return pd.DataFrame({"time": fit.times, "cif": cif, "se": se, "lower": lower, "upper": upper})


def step_value(curve: pd.DataFrame, column: str, time: float, start: float, at_risk: int) -> float:
    """Value of a right-continuous step curve at ``time``.

    ``start`` before the first step; NaN when fewer than :data:`MIN_AT_RISK` subjects are still
    followed up at ``time`` (``at_risk``: subjects whose time is ``time`` or more).
    """
    if at_risk < MIN_AT_RISK:
        return math.nan
    before = curve.loc[curve["time"] <= time, column]
    return float(before.iloc[-1]) if len(before) else start


def plan_durations(
    cp_plans: pd.DataFrame, period_end: DateLike, data_from: DateLike | None = None
) -> pd.DataFrame:
    """Days on plan to the plan end or to the period end (censored), with the start cohort.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table (``cpp_start``, ``cpp_end``).
    period_end
        Follow-up ends here: a plan ending later is censored at this date.
    data_from
        Leave out plans starting before this date (cohorts not fully in the data).

    Returns
    -------
    pandas.DataFrame
        ``cohort`` (collection year of the start, e.g. ``2022-23``), ``days`` (float), ``ended``
        (bool; False when open at the period end).
    """
    pe = to_timestamp(period_end)
    if cp_plans.empty or "cpp_start" not in cp_plans.columns:  # CIN census not supplied
        return pd.DataFrame({"cohort": [], "days": [], "ended": []}).astype(
            {"cohort": object, "days": "float64", "ended": bool}
        )
    plans = cp_plans.loc[cp_plans["cpp_start"].notna() & (cp_plans["cpp_start"] <= pe)]
    if data_from is not None:
        plans = plans.loc[plans["cpp_start"] >= to_timestamp(data_from)]
    end = pd.to_datetime(plans["cpp_end"])
    ended = end.notna() & (end <= pe)
    stop = end.where(ended, pe)
    return pd.DataFrame(
        {
            "cohort": [collection_year(d) for d in plans["cpp_start"]],
            "days": (stop - plans["cpp_start"]).dt.days.astype("float64").to_numpy(),
            "ended": ended.to_numpy(dtype=bool),
        }
    ).reset_index(drop=True)


def care_durations(
    episodes: pd.DataFrame, period_end: DateLike, data_from: DateLike | None = None
) -> pd.DataFrame:
    """Days from the start of each period of care to permanence, another exit, or censoring.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    period_end
        Follow-up ends here: a period of care ending later is censored at this date.
    data_from
        Leave out periods of care starting before this date.

    Returns
    -------
    pandas.DataFrame
        ``cohort`` (collection year of the start), ``days`` (float), ``status`` (0 still looked
        after at the period end, 1 permanence order, 2 other exit), ``route`` (adoption, special
        guardianship order, child arrangements order, other exit, looked after).
    """
    from analysis.cla.periods import annotate_episodes, periods_of_care

    pe = to_timestamp(period_end)
    poc = periods_of_care(annotate_episodes(episodes))
    poc = poc.loc[
        poc["start_known"].astype(bool)
        & ~poc["short_break_only"].astype(bool)
        & poc["start"].notna()
        & (poc["start"] <= pe)
    ]
    if data_from is not None:
        poc = poc.loc[poc["start"] >= to_timestamp(data_from)]
    ended = poc["ended"].astype(bool) & (poc["end"] <= pe)
    permanence = ended & poc["rec"].isin(list(PERMANENCE_REC))
    status = np.where(permanence, PERMANENCE, np.where(ended, OTHER_EXIT, CENSORED))
    route = np.where(
        permanence,
        poc["rec"].map(PERMANENCE_REC),
        np.where(ended, "other exit", "looked after"),
    )
    stop = poc["end"].where(ended, pe)
    return pd.DataFrame(
        {
            "cohort": [collection_year(d) for d in poc["start"]],
            "days": (stop - poc["start"]).dt.days.astype("float64").to_numpy(),
            "status": status.astype("int64"),
            "route": route,
        }
    ).reset_index(drop=True)


def _at_months(
    group: pd.DataFrame, curve: pd.DataFrame, column: str, start: float, months: Sequence[int]
) -> Iterator[tuple[int, float, float, float]]:
    """``(months, value, lower, upper)`` of a step curve and its 95% limits at each time point.

    Time points are read as :func:`days_for_months` days; a value is NaN when fewer than
    :data:`MIN_AT_RISK` of ``group`` (``days`` column) are followed up that long.
    """
    for m in months:
        t = days_for_months(m)
        at_risk = int((group["days"] >= t).sum())
        value, lower, upper = (
            step_value(curve, c, t, start, at_risk) for c in (column, "lower", "upper")
        )
        yield int(m), value, lower, upper


def time_on_plan_table(
    durations: pd.DataFrame, months: Sequence[int] = (3, 6, 12, 15, 24)
) -> pd.DataFrame:
    """Share of plans still open after 3, 6, 12, 15 and 24 months, by start cohort.

    Parameters
    ----------
    durations
        Output of :func:`plan_durations`.
    months
        Time points, read as :func:`days_for_months` days.

    Returns
    -------
    pandas.DataFrame
        One row per cohort and time point: ``cohort``, ``plans``, ``plans_ended``, ``months``,
        ``still_open_pct``, ``lower_pct``, ``upper_pct`` (Kaplan-Meier, 95% interval; NaN when
        fewer than :data:`MIN_AT_RISK` plans are followed up that long).
    """
    rows = []
    for cohort, group in durations.groupby("cohort", sort=True):
        curve = kaplan_meier(group["days"], group["ended"])
        for m, value, lower, upper in _at_months(group, curve, "surv", 1.0, months):
            rows.append(
                {
                    "cohort": cohort,
                    "plans": int(len(group)),
                    "plans_ended": int(group["ended"].sum()),
                    "months": m,
                    "still_open_pct": 100 * value,
                    "lower_pct": 100 * lower,
                    "upper_pct": 100 * upper,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "cohort",
            "plans",
            "plans_ended",
            "months",
            "still_open_pct",
            "lower_pct",
            "upper_pct",
        ],
    )


def time_to_permanence_table(
    durations: pd.DataFrame, months: Sequence[int] = (6, 12, 24, 36)
) -> pd.DataFrame:
    """Cumulative share of children reaching permanence by 6, 12, 24 and 36 months, by cohort.

    Parameters
    ----------
    durations
        Output of :func:`care_durations`.
    months
        Time points, read as :func:`days_for_months` days.

    Returns
    -------
    pandas.DataFrame
        One row per cohort and time point: ``cohort``, ``children`` (periods of care started),
        ``permanence_orders``, ``months``, ``permanence_pct``, ``lower_pct``, ``upper_pct``
        (Aalen-Johansen cumulative incidence, 95% interval; NaN when fewer than
        :data:`MIN_AT_RISK` children are followed up that long).
    """
    rows = []
    for cohort, group in durations.groupby("cohort", sort=True):
        curve = cumulative_incidence(group["days"], group["status"], PERMANENCE)
        for m, value, lower, upper in _at_months(group, curve, "cif", 0.0, months):
            rows.append(
                {
                    "cohort": cohort,
                    "children": int(len(group)),
                    "permanence_orders": int((group["status"] == PERMANENCE).sum()),
                    "months": m,
                    "permanence_pct": 100 * value,
                    "lower_pct": 100 * lower,
                    "upper_pct": 100 * upper,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "cohort",
            "children",
            "permanence_orders",
            "months",
            "permanence_pct",
            "lower_pct",
            "upper_pct",
        ],
    )


def median_days(durations: pd.DataFrame) -> dict[str, float]:
    """Kaplan-Meier median days on plan by cohort (NaN while more than half are still open).

    The median is the first time at which the estimated share still open is 50% or less.
    """
    out = {}
    for cohort, group in durations.groupby("cohort", sort=True):
        curve = kaplan_meier(group["days"], group["ended"])
        below = curve.loc[curve["surv"] <= 0.5 + 1e-12, "time"]  # 0.75 x 2/3 is 0.5
        out[str(cohort)] = float(below.iloc[0]) if len(below) else math.nan
    return out


def logrank_by_cohort(durations: pd.DataFrame) -> tuple[float, float]:
    """Log-rank test that the time-on-plan curves of the cohorts are the same.

    Returns ``(chi2, p_value)``; NaN when fewer than two cohorts have an observed event.
    """
    from statsmodels.duration.survfunc import survdiff

    groups = durations.groupby("cohort")["ended"].sum()
    if (groups > 0).sum() < 2:
        return math.nan, math.nan
    chi2, p = survdiff(
        durations["days"].to_numpy(),
        durations["ended"].astype("int64").to_numpy(),
        durations["cohort"].to_numpy(),
    )
    return float(chi2), float(p)


def _curve_points(
    group: pd.DataFrame, curve: pd.DataFrame, column: str, start: float
) -> tuple[list[float], list[float]]:
    """(months, %) points of a step curve from time 0, stopped at :data:`MIN_AT_RISK`."""
    days = group["days"].to_numpy()
    times, values = [0.0], [100 * start]
    for t, v in zip(curve["time"], curve[column], strict=True):
        if (days >= t).sum() < MIN_AT_RISK:
            break
        times.append(float(t) / DAYS_PER_MONTH)
        values.append(100 * float(v))
    # carry the last value to the end of follow-up while enough subjects remain
    ordered = np.sort(days)[::-1]
    last = float(ordered[MIN_AT_RISK - 1]) if ordered.size >= MIN_AT_RISK else 0.0
    if last / DAYS_PER_MONTH > times[-1]:
        times.append(last / DAYS_PER_MONTH)
        values.append(values[-1])
    return times, values


def km_curves(durations: pd.DataFrame) -> dict[str, tuple[list[float], list[float]]]:
    """Kaplan-Meier % of plans still open against months since the start, by cohort.

    Parameters
    ----------
    durations
        Output of :func:`plan_durations`.

    Returns
    -------
    dict
        ``cohort -> (months, still_open_pct)`` from (0, 100), each step a change, stopped where
        fewer than :data:`MIN_AT_RISK` plans remain followed up.
    """
    out = {}
    for cohort, group in durations.groupby("cohort", sort=True):
        curve = kaplan_meier(group["days"], group["ended"])
        out[str(cohort)] = _curve_points(group, curve, "surv", 1.0)
    return out


def cif_curves(durations: pd.DataFrame) -> dict[str, tuple[list[float], list[float]]]:
    """Cumulative % of children reaching permanence against months in care, by cohort.

    Parameters
    ----------
    durations
        Output of :func:`care_durations`.

    Returns
    -------
    dict
        ``cohort -> (months, permanence_pct)`` from (0, 0), stopped where fewer than
        :data:`MIN_AT_RISK` children remain followed up.
    """
    out = {}
    for cohort, group in durations.groupby("cohort", sort=True):
        curve = cumulative_incidence(group["days"], group["status"], PERMANENCE)
        out[str(cohort)] = _curve_points(group, curve, "cif", 0.0)
    return out


def wide_view(published: pd.DataFrame, value: str, count_columns: dict[str, str]) -> pd.DataFrame:
    """The reader's view of a published survival table: a row per cohort, a column per time.

    Each cell reads "91.4 (88.0 to 93.9)" (estimate and 95% interval, in %); blank where not
    estimated; ``c`` where suppressed.

    Parameters
    ----------
    published
        The published :func:`time_on_plan_table` or :func:`time_to_permanence_table`.
    value
        The estimate column (``still_open_pct`` or ``permanence_pct``).
    count_columns
        Count columns to keep, with their headers (e.g. ``{"plans": "Plans"}``).
    """

    def cell(row: pd.Series) -> str:
        parts = (row[value], row["lower_pct"], row["upper_pct"])
        if "c" in parts:
            return "c"
        if pd.isna(parts[0]):
            return ""
        if pd.isna(parts[1]) or pd.isna(parts[2]):
            return f"{float(parts[0]):.1f}"
        return f"{float(parts[0]):.1f} ({float(parts[1]):.1f} to {float(parts[2]):.1f})"

    frame = published.assign(_cell=published.apply(cell, axis=1))
    months = list(dict.fromkeys(frame["months"]))
    wide = frame.pivot(index="cohort", columns="months", values="_cell")[months]
    wide.columns = [f"{m} months" for m in months]
    counts = frame.drop_duplicates("cohort").set_index("cohort")[list(count_columns)]
    out = counts.rename(columns=count_columns).join(wide).reset_index()
    return out.rename(columns={"cohort": "Cohort (start year)"})


def cohorts_from(
    period_start: DateLike,
    manifest: dict,
    la_codes: Sequence[str],
    source: str,
    cohorts: int = COHORTS,
) -> pd.Timestamp:
    """First day of the earliest complete start-year cohort to compare.

    A cohort is complete when every council's returns cover its year: a return holds what was
    open during its year, so a plan or period of care that started in an earlier year and ended
    before the first return is missing. The result is the later of 1 April of the first year
    every council's ``source`` returns (``ssda903`` or ``cin_census``) cover, by the ingest
    manifest, and the start of the ``cohorts``-th year back from the report year.

    Parameters
    ----------
    period_start
        Start of the report year.
    manifest
        The ingest manifest (:func:`analysis.io.load_manifest`), with ``collection_years``.
    la_codes
        The councils of the report.
    source
        ``ssda903`` or ``cin_census``.
    cohorts
        Number of start years to compare, the report year included.
    """
    earliest = to_timestamp(period_start) - pd.DateOffset(years=cohorts - 1)
    years = manifest.get("collection_years", {})
    firsts = []
    for la in la_codes:
        listed = sorted(years.get(str(la), {}).get(source, []))
        if listed:
            firsts.append(pd.Timestamp(year=int(listed[0][:4]), month=4, day=1))
    if not firsts:
        log.info("no collection years in the manifest: cohorts from %s", earliest.date())
        return pd.Timestamp(earliest)
    return pd.Timestamp(max(max(firsts), earliest))


def _estimate(row: pd.Series, value: str) -> str:
    return (
        f"{float(row[value]):.1f}% (95% confidence interval {float(row['lower_pct']):.1f}% to "
        f"{float(row['upper_pct']):.1f}%)"
    )


def _usable(table: pd.DataFrame, value: str, months: int) -> pd.DataFrame:
    rows = table.loc[table["months"] == months]
    numeric = pd.to_numeric(rows[value], errors="coerce")
    return rows.loc[numeric.notna()]


def time_on_plan_sentences(
    durations: pd.DataFrame, published: pd.DataFrame, months: int = 15
) -> list[str]:
    """Computed sentences on time on plan: medians by cohort, the 15-month share, the test.

    Parameters
    ----------
    durations
        Output of :func:`plan_durations`.
    published
        The published :func:`time_on_plan_table` (suppressed cells ``c`` are skipped).
    months
        The time point quoted (15: the local band the board monitors).
    """
    out = []
    medians = median_days(durations)
    known = {c: d for c, d in medians.items() if not math.isnan(d)}
    if known:
        parts = [f"{c}, {d:,.0f} days" for c, d in known.items()]
        out.append(
            "Median time on plan (Kaplan-Meier: half of the plans of the start year had ended by "
            "then), by start year: " + "; ".join(parts) + "."
        )
    open_still = [c for c in medians if c not in known]
    if open_still:
        out.append(
            f"For plans that started in {', '.join(open_still)}, more than half were still open at "
            "the period end, so their median is not yet known."
        )
    rows = _usable(published, "still_open_pct", months)
    if len(rows):
        latest = rows.iloc[-1]
        estimate = _estimate(latest, "still_open_pct")
        text = (
            f"Of the plans that started in {latest['cohort']}, {estimate} were still open after "
            f"{months} months"
        )
        earlier = [
            f"{r['cohort']}: {float(r['still_open_pct']):.1f}%"
            for _, r in rows.iloc[:-1].iterrows()
        ]
        out.append(text + (f" (earlier cohorts: {'; '.join(earlier)})." if earlier else "."))
    chi2, p = logrank_by_cohort(durations)
    if not math.isnan(p):
        verdict = (
            "the cohorts' times on plan differ significantly"
            if p < 0.05
            else "no significant difference between the cohorts' times on plan"
        )
        out.append(f"Log-rank test across the start years: {verdict} (p = {p:.2f}).")
    return out


def compare_cohorts_at(
    durations: pd.DataFrame, months: int, cause: int = PERMANENCE
) -> dict[str, object] | None:
    """Difference in cumulative incidence at ``months`` between the two latest cohorts with one.

    The cohorts are independent groups of children, so the difference has variance
    se1^2 + se2^2 (Aalen-Johansen standard errors); the 95% interval is the difference
    +/- 1.96 standard errors (a pointwise comparison at one time).

    Returns
    -------
    dict or None
        ``earlier``, ``later`` (cohorts), ``difference_pp``, ``lower_pp``, ``upper_pp``; None
        when fewer than two cohorts have an estimate at ``months``.
    """
    t = days_for_months(months)
    found = []
    for cohort, group in durations.groupby("cohort", sort=True):
        if (group["days"] >= t).sum() < MIN_AT_RISK:
            continue
        curve = cumulative_incidence(group["days"], group["status"], cause)
        at = curve.loc[curve["time"] <= t]
        value = float(at["cif"].iloc[-1]) if len(at) else 0.0
        se = float(at["se"].iloc[-1]) if len(at) else 0.0
        found.append((str(cohort), value, se))
    if len(found) < 2 or any(math.isnan(se) for _, _, se in found[-2:]):
        return None
    (c1, v1, s1), (c2, v2, s2) = found[-2:]
    diff, half = v2 - v1, Z95 * math.sqrt(s1**2 + s2**2)
    return {
        "earlier": c1,
        "later": c2,
        "difference_pp": 100 * diff,
        "lower_pp": 100 * (diff - half),
        "upper_pp": 100 * (diff + half),
    }


def permanence_sentences(
    published: pd.DataFrame,
    durations: pd.DataFrame | None = None,
    months: Sequence[int] = (12, 24),
) -> list[str]:
    """Computed sentences on the cumulative incidence of permanence by cohort.

    Parameters
    ----------
    published
        The published :func:`time_to_permanence_table`.
    durations
        Output of :func:`care_durations`: when given, the two latest cohorts are compared at
        the first time point (:func:`compare_cohorts_at`).
    months
        The time points quoted.
    """
    out = []
    for m in months:
        rows = _usable(published, "permanence_pct", m)
        if rows.empty:
            continue
        parts = [f"{r['cohort']}: {_estimate(r, 'permanence_pct')}" for _, r in rows.iterrows()]
        out.append(
            f"Within {m} months of entering care, the share of children who had left care with an "
            "adoption, special guardianship or child arrangements order was "
            + "; ".join(parts)
            + "."
        )
    comparison = compare_cohorts_at(durations, months[0]) if durations is not None else None
    if comparison is not None:
        c = comparison
        significant = c["lower_pp"] > 0 or c["upper_pp"] < 0
        verdict = (
            f"a statistically significant {'rise' if c['difference_pp'] > 0 else 'fall'}"
            if significant
            else "no significant change"
        )
        out.append(
            f"Children who entered care in {c['later']} against {c['earlier']}, at {months[0]} "
            f"months: {verdict} ({c['difference_pp']:+.1f} percentage points, 95% confidence "
            f"interval {c['lower_pp']:.1f} to {c['upper_pp']:.1f})."
        )
    return out
