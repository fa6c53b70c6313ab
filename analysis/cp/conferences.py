"""Child protection conferences: initial conferences (ICPCs) and review conferences.

Definitions:

- **ICPC timeliness**: DfE *Characteristics of children in need*, table C4 (working days from
  the start of the section 47 enquiry, ``S47ActualStartDate``, to the initial child protection
  conference, ``DateOfInitialCPC``; the national measure is "within 15 working days"). Working
  Together to Safeguard Children: the ICPC takes place within 15 working days of the strategy
  discussion (or the last strategy discussion if there were several) that started the enquiry.
- **Review conference timeliness**: Working Together to Safeguard Children: the first review
  conference within 3 months of the initial conference, later reviews at intervals of no more
  than 6 months.

Boundary conventions (DESIGN section 5, :mod:`analysis.dates`): an ICPC belongs to the period
of its conference date; "within 15 working days" counts the working days after the s47 start up
to and including the conference date (weekends and England and Wales bank holidays excluded), so
a conference on the next working day is 1 day; "within N months" is on or before the same day N
calendar months later (month-end moves to the last day of a shorter month).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from analysis.cla.ordering import sort_rows
from analysis.dates import (
    DateLike,
    add_months_series,
    in_period,
    to_timestamp,
    working_days_after,
)

__all__ = [
    "CIN_PLAN_WINDOW_DAYS",
    "ICPC_OUTCOMES",
    "ICPC_WORKING_DAYS",
    "icpc_outcomes",
    "icpc_summary",
    "icpcs",
    "monthly_icpc_timeliness",
    "monthly_review_conference_timeliness",
    "review_conference_summary",
    "review_conference_timeliness",
]

logger = logging.getLogger(__name__)

CHILD_KEY = ["la_code", "child_id"]

#: Working Together / DfE C4 timescale for an initial conference.
ICPC_WORKING_DAYS = 15
#: Calendar days after an ICPC within which a new CIN plan counts as the conference outcome.
CIN_PLAN_WINDOW_DAYS = 30

OUTCOME_CP = "CP plan"
OUTCOME_CIN = "CIN plan"
OUTCOME_NFA = "No further action"
OUTCOME_NO_CP = "No CP plan"
#: Outcomes of an ICPC in the order the report lists them (``No CP plan`` only without CIN plans).
ICPC_OUTCOMES: tuple[str, ...] = (OUTCOME_CP, OUTCOME_CIN, OUTCOME_NFA, OUTCOME_NO_CP)
#: Label of the total row of :func:`icpc_outcomes`.
ALL_ICPCS = "All ICPCs"

ICPC_COLUMNS = [
    "la_code",
    "child_id",
    "s47_start",
    "icpc_date",
    "working_days",
    "within_15_days",
    "led_to_plan",
    "outcome",
]


def icpcs(
    s47: pd.DataFrame,
    cp_plans: pd.DataFrame,
    period_start: DateLike,
    period_end: DateLike,
    cin_plans: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """List initial child protection conferences held in the period, with timeliness and outcome.

    Definitions: DfE *Characteristics of children in need*, table C4 (ICPCs and working days from
    s47 start); Working Together to Safeguard Children (ICPC within 15 working days of the
    strategy discussion that started the enquiry).

    Boundary conventions:

    - an ICPC is a ``s47`` row with a non-blank ``icpc_date`` in ``[period_start, period_end]``
      (both inclusive): the conference belongs to the period of its date, whenever the enquiry
      started. ``icpc_not_required`` is not consulted: a recorded conference date is a
      conference. Two ``s47`` rows of the same child with the same conference date are one
      conference, timed from the **earlier** enquiry start (the child waited from then);
    - ``working_days`` = :func:`analysis.dates.working_days_after` (s47 start, ICPC date);
      ``within_15_days`` when ``working_days <= 15``. A missing s47 start gives ``<NA>`` working
      days and is counted as not within 15 days (it cannot be shown to be in time);
    - ``led_to_plan`` when a CP plan of the same child (``la_code``, ``child_id``) starts on the
      conference date (a plan starting a day later does not count);
    - ``outcome``: "CP plan" when ``led_to_plan``; otherwise "CIN plan" when ``cin_plans`` is given
      and the child has a CIN plan open on the conference date (open-at rule: started on or
      before it and not ended on or before it) or starting within 30 calendar days after it
      (``icpc_date < cin_plan_start <= icpc_date + 30 days``); otherwise "No further action".
      Without ``cin_plans`` the outcome of a conference with no CP plan is "No CP plan".

    Parameters
    ----------
    s47
        Processed ``s47`` table (``s47_start``, ``icpc_date``).
    cp_plans
        Processed ``cp_plans`` table (``cpp_start``).
    period_start, period_end
        The period, both ends inclusive.
    cin_plans
        Optional processed ``cin_plans`` table (``cin_plan_start``, ``cin_plan_end``).

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code``, ``child_id``, ``s47_start``, ``icpc_date``, ``working_days``
        (Int64), ``within_15_days`` (bool), ``led_to_plan`` (bool), ``outcome`` (str); sorted by
        ``icpc_date``, ``la_code``, ``child_id``; index reset.
    """
    held = s47.loc[
        s47["icpc_date"].notna() & in_period(s47["icpc_date"], period_start, period_end),
        [*CHILD_KEY, "s47_start", "icpc_date"],
    ]
    held = sort_rows(held, [*CHILD_KEY, "icpc_date", "s47_start"])
    dup = held.duplicated([*CHILD_KEY, "icpc_date"], keep="first")
    if dup.any():
        logger.info(
            "%d s47 rows share a conference date with another enquiry of the same child;"
            " counted as one ICPC",
            int(dup.sum()),
        )
    out = held.loc[~dup].reset_index(drop=True)

    out["working_days"] = working_days_after(out["s47_start"], out["icpc_date"])
    out["within_15_days"] = (out["working_days"] <= ICPC_WORKING_DAYS).fillna(False).astype(bool)
    if out["s47_start"].isna().any():
        logger.warning(
            "%d ICPCs have no s47 start date; counted as not within 15 working days",
            int(out["s47_start"].isna().sum()),
        )

    plan_starts = (
        cp_plans[[*CHILD_KEY, "cpp_start"]]
        .dropna(subset=["cpp_start"])
        .drop_duplicates()
        .rename(columns={"cpp_start": "icpc_date"})
    )
    out = out.merge(plan_starts, on=[*CHILD_KEY, "icpc_date"], how="left", indicator=True)
    out["led_to_plan"] = out.pop("_merge").eq("both").astype(bool)

    if cin_plans is None:
        out["outcome"] = np.where(out["led_to_plan"], OUTCOME_CP, OUTCOME_NO_CP)
    else:
        cin = _cin_plan_after(out, cin_plans)
        out["outcome"] = np.select(
            [out["led_to_plan"], cin], [OUTCOME_CP, OUTCOME_CIN], default=OUTCOME_NFA
        )
    out["outcome"] = out["outcome"].astype(object)
    out = sort_rows(out, ["icpc_date", *CHILD_KEY]).reset_index(drop=True)
    return out[ICPC_COLUMNS]


def _cin_plan_after(conferences: pd.DataFrame, cin_plans: pd.DataFrame) -> pd.Series:
    """Flag conferences whose child has a CIN plan open on the date or starting within 30 days."""
    keys = conferences[[*CHILD_KEY, "icpc_date"]].reset_index(names="_row")
    plans = cin_plans[[*CHILD_KEY, "cin_plan_start", "cin_plan_end"]]
    pairs = keys.merge(plans, on=CHILD_KEY, how="inner")
    window_end = pairs["icpc_date"] + pd.Timedelta(days=CIN_PLAN_WINDOW_DAYS)
    hit = (pairs["cin_plan_start"] <= window_end) & (
        pairs["cin_plan_end"].isna() | (pairs["cin_plan_end"] > pairs["icpc_date"])
    )
    rows = pairs.loc[hit, "_row"].unique()
    return pd.Series(conferences.index.isin(rows), index=conferences.index)


def icpc_summary(icpc_table: pd.DataFrame) -> dict[str, float | int]:
    """Summary of ICPCs: count, share within 15 working days, and conferences without a plan.

    Definition: DfE *Characteristics of children in need*, table C4 (ICPCs; % within 15
    working days of the s47 start) and the IRO report's "ICPCs not leading to a plan".
    Denominator of both percentages: all ICPCs in the table (a missing s47 start is not within).

    Parameters
    ----------
    icpc_table
        Output of :func:`icpcs`.

    Returns
    -------
    dict
        ``icpc_count``, ``within_15_days_count``, ``within_15_days_pct``, ``no_plan_count``,
        ``no_plan_pct`` (percentages unrounded; NaN when there are no ICPCs).
    """
    n = int(len(icpc_table))
    within = int(icpc_table["within_15_days"].sum())
    no_plan = int((~icpc_table["led_to_plan"].astype(bool)).sum())
    return {
        "icpc_count": n,
        "within_15_days_count": within,
        "within_15_days_pct": within / n * 100 if n else float("nan"),
        "no_plan_count": no_plan,
        "no_plan_pct": no_plan / n * 100 if n else float("nan"),
    }


def icpc_outcomes(icpc_table: pd.DataFrame) -> pd.DataFrame:
    """ICPCs by what happened next: a CP plan, a CIN plan, or no further action.

    Definition: the IRO report's "ICPCs not leading to a plan and what happened instead"; outcome
    per conference as in :func:`icpcs` (CP plan starting on the conference date; else a CIN plan
    open on the date or starting within 30 days; else no further action). The rows add up to
    the total by construction, so the report cannot say "350 + 41 = 390".

    Parameters
    ----------
    icpc_table
        Output of :func:`icpcs`.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` (outcome), ``count`` (int) and ``percent`` (of all ICPCs; NaN when
        none). Rows "CP plan", "CIN plan", "No further action" (or "CP plan", "No CP plan" when
        the table was built without CIN plans), then "All ICPCs" (100%).
    """
    outcomes = icpc_table["outcome"]
    if outcomes.eq(OUTCOME_NO_CP).any():
        codes: tuple[str, ...] = (OUTCOME_CP, OUTCOME_NO_CP)
    else:
        codes = (OUTCOME_CP, OUTCOME_CIN, OUTCOME_NFA)
    counts = outcomes.value_counts().reindex(codes, fill_value=0).astype("int64")
    total = int(len(outcomes))
    count = [*counts.tolist(), total]
    return pd.DataFrame(
        {
            "code": [*codes, ALL_ICPCS],
            "count": count,
            "percent": [c / total * 100 if total else float("nan") for c in count],
        }
    )


def _monthly_share(
    table: pd.DataFrame,
    date_column: str,
    flag_column: str,
    period_start: DateLike,
    period_end: DateLike,
) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray, np.ndarray]:
    """Rows and flagged rows per calendar month of ``date_column`` (every month listed)."""
    ps, pe = to_timestamp(period_start), to_timestamp(period_end)
    months = pd.date_range(ps.replace(day=1), pe.replace(day=1), freq="MS")
    rows = table.loc[in_period(table[date_column], ps, pe)]
    month = rows[date_column].dt.to_period("M").dt.to_timestamp()
    grouped = rows.assign(month=month).groupby("month")[flag_column]
    counts = grouped.size().reindex(months, fill_value=0).astype("int64")
    flagged = grouped.sum().reindex(months, fill_value=0).astype("int64")
    pct = (flagged / counts.where(counts > 0)) * 100
    return months, counts.to_numpy(), flagged.to_numpy(), pct.to_numpy(dtype="float64")


def monthly_icpc_timeliness(
    icpc_table: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """ICPCs and the share within 15 working days, by calendar month of the conference.

    Definition: DfE *Characteristics of children in need*, table C4, by month. Boundary
    convention: a conference belongs to the month of its date; every month from the month of
    ``period_start`` to that of ``period_end`` is listed, with zero conferences when none.

    Parameters
    ----------
    icpc_table
        Output of :func:`icpcs`.
    period_start, period_end
        The period, both ends inclusive.

    Returns
    -------
    pandas.DataFrame
        Columns ``month`` (Timestamp, first day of the month), ``icpcs`` (int),
        ``within_15_days`` (int), ``within_15_days_pct`` (float, NaN when no conferences).
    """
    months, counts, within, pct = _monthly_share(
        icpc_table, "icpc_date", "within_15_days", period_start, period_end
    )
    return pd.DataFrame(
        {"month": months, "icpcs": counts, "within_15_days": within, "within_15_days_pct": pct}
    )


def review_conference_timeliness(
    cp_reviews: pd.DataFrame, cp_plans: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """List review child protection conferences held in the period, with due date and timeliness.

    Definition: Working Together to Safeguard Children: the first review conference within
    3 months of the initial conference, then at intervals of no more than 6 months; DfE CIN
    census ``CPPreviewDate``.

    Boundary conventions:

    - reviews are grouped by plan (``la_code``, ``child_id``, ``cpp_start``); the plan start is
      taken as the ICPC date (a plan starts at the initial conference);
    - the first review is due ``add_months(cpp_start, 3)``; each later review is due
      ``add_months(previous review, 6)``; in time when ``review_date <= due_date``;
    - every review conference with ``review_date`` in ``[period_start, period_end]`` counts
      (earlier reviews still set the due dates of later ones). Duplicate review dates of one plan
      are one conference. A review dated before its plan start is dropped with a warning; a review
      on the plan end date counts (the conference that ends a plan is a review);
    - ``cp_plans`` supplies ``cpp_end``; a review whose plan is not in ``cp_plans`` is kept
      (logged), with ``cpp_end`` NaT.

    Parameters
    ----------
    cp_reviews
        Processed ``cp_reviews`` table (``la_code``, ``child_id``, ``cpp_start``,
        ``review_date``).
    cp_plans
        Processed ``cp_plans`` table.
    period_start, period_end
        The period, both ends inclusive.

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code``, ``child_id``, ``cpp_start``, ``cpp_end``, ``review_date``,
        ``review_number`` (1 = first review of the plan), ``previous_date`` (plan start or
        previous review), ``due_date``, ``in_time`` (bool); sorted by ``review_date``,
        ``la_code``, ``child_id``; index reset.
    """
    plan_key = [*CHILD_KEY, "cpp_start"]
    rev = cp_reviews.loc[cp_reviews["review_date"].notna(), [*plan_key, "review_date"]]
    rev = rev.drop_duplicates()
    early = rev["review_date"] < rev["cpp_start"]
    if early.any():
        logger.warning(
            "%d CP reviews are dated before their plan start; not counted", int(early.sum())
        )
        rev = rev.loc[~early]
    rev = rev.sort_values([*plan_key, "review_date"], kind="stable").reset_index(drop=True)

    same_plan = rev[plan_key].eq(rev[plan_key].shift()).all(axis=1)
    previous = rev["review_date"].shift().where(same_plan)
    rev["review_number"] = rev.groupby(plan_key, sort=False).cumcount() + 1
    rev["previous_date"] = previous.fillna(rev["cpp_start"])
    first_due = add_months_series(rev["cpp_start"], 3)
    later_due = add_months_series(rev["previous_date"], 6)
    rev["due_date"] = later_due.where(same_plan, first_due)
    rev["in_time"] = (rev["review_date"] <= rev["due_date"]).astype(bool)

    ends = cp_plans[[*plan_key, "cpp_end"]].drop_duplicates(plan_key, keep="last")
    rev = rev.merge(ends, on=plan_key, how="left", indicator=True)
    orphans = rev["_merge"].eq("left_only")
    if orphans.any():
        logger.warning("%d CP reviews have no matching plan in cp_plans", int(orphans.sum()))
    rev = rev.loc[in_period(rev["review_date"], period_start, period_end)]
    rev = rev.sort_values(["review_date", *CHILD_KEY], kind="stable").reset_index(drop=True)
    return rev[
        [
            "la_code",
            "child_id",
            "cpp_start",
            "cpp_end",
            "review_date",
            "review_number",
            "previous_date",
            "due_date",
            "in_time",
        ]
    ]


def review_conference_summary(review_table: pd.DataFrame) -> dict[str, float | int]:
    """Review conferences held and the share held in timescale.

    Definition: Working Together to Safeguard Children (first review within 3 months of the
    ICPC, then at most 6 months apart); one row per review conference held, as listed by
    :func:`review_conference_timeliness`. Denominator: every review conference in the table.

    Parameters
    ----------
    review_table
        Output of :func:`review_conference_timeliness`.

    Returns
    -------
    dict
        ``reviews`` (int), ``in_time`` (int), ``in_time_pct`` (unrounded; NaN when none).
    """
    n = int(len(review_table))
    in_time = int(review_table["in_time"].sum())
    return {"reviews": n, "in_time": in_time, "in_time_pct": in_time / n * 100 if n else np.nan}


def monthly_review_conference_timeliness(
    review_table: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Review conferences held and the share in timescale, by calendar month.

    Definition as :func:`review_conference_summary`; a conference belongs to the month of its
    date and every month of the period is listed (zero conferences, NaN percentage, when none).

    Parameters
    ----------
    review_table
        Output of :func:`review_conference_timeliness`.
    period_start, period_end
        The period, both ends inclusive.

    Returns
    -------
    pandas.DataFrame
        Columns ``month`` (Timestamp, first day of the month), ``reviews`` (int), ``in_time``
        (int), ``in_time_pct`` (float).
    """
    months, counts, in_time, pct = _monthly_share(
        review_table, "review_date", "in_time", period_start, period_end
    )
    return pd.DataFrame(
        {"month": months, "reviews": counts, "in_time": in_time, "in_time_pct": pct}
    )
