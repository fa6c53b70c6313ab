"""Adoption timeliness: ASGLB adoption scorecard measures A10 and A2.

- **A10**: average days between a child entering care and moving in with its adoptive family,
  for children adopted; adjusted for foster-carer adoptions (the move-in date is the date the
  child moved in with the foster carer who adopted). Government threshold 426 days.
- **A2**: average days between the local authority receiving court authority to place a child
  (placement order) and the decision on a match to an adoptive family; 0 when the match was
  before the order. Government threshold 121 days.

Source: Adoption and Special Guardianship Leadership Board (ASGLB) / DfE adoption scorecards
(thresholds ``A10_THRESHOLD_DAYS``, ``A2_THRESHOLD_DAYS``); DESIGN section 5 ("Adoption
cohorts"): the cohort for a period is the children adopted (``rec`` E11/E12) in the 12 months
ending at the period end, and agency figures pool all children (not a mean of council means).
"""

from __future__ import annotations

import logging
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.adoption.episodes import (
    ADOPTED_REC,
    ADOPTION_PLACE,
    PLACEMENT_ORDER_LS,
    is_prepared,
    placements,
    prepare_episodes,
)
from analysis.adoption.periods import collection_year_start, period_label
from analysis.cla.ordering import sort_rows
from analysis.dates import DateLike, add_months, in_period, to_timestamp

__all__ = [
    "A10_THRESHOLD_DAYS",
    "A2_THRESHOLD_DAYS",
    "A10_A2_COLUMNS",
    "Cohort",
    "a10_a2_children",
    "RELIABLE_MIN_CHILDREN",
    "SUMMARY_STATS",
    "a10_a2_summary",
    "a10_a2_three_year",
    "cohort_window",
    "mean_days",
    "timeliness_cohorts",
]

logger = logging.getLogger(__name__)

CHILD_KEY = ["la_code", "child_id"]

A10_THRESHOLD_DAYS = 426
A2_THRESHOLD_DAYS = 121

A10_A2_COLUMNS = [
    "la_code",
    "child_id",
    "adoption_date",
    "entered_care",
    "moved_in",
    "placement_order",
    "match_date",
    "foster_care",
    "a10_days",
    "a2_days",
    "reason",
]

AD1_COLUMNS = ["la_code", "child_id", "date_match", "foster_care"]


def cohort_window(period_end: DateLike, months: int = 12) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the ``months`` calendar months ending ``period_end``.

    The window is ``add_months(period_end, -months) + 1 day`` to ``period_end``, both inclusive
    (12 months ending 31 Mar 2024 = 1 Apr 2023 to 31 Mar 2024; ending 30 Sep 2024 = 1 Oct 2023
    to 30 Sep 2024).
    """
    pe = to_timestamp(period_end)
    return add_months(pe, -months) + pd.Timedelta(days=1), pe


def _empty_ad1() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "la_code": pd.Series(dtype=object),
            "child_id": pd.Series(dtype=object),
            "date_match": pd.Series(dtype="datetime64[ns]"),
            "foster_care": pd.Series(dtype="Int64"),
        }
    )


def a10_a2_children(
    episodes: pd.DataFrame, ad1: pd.DataFrame | None, period_end: DateLike, months: int = 12
) -> pd.DataFrame:
    """One row per child adopted in the ``months`` months ending ``period_end``, with A10 and A2.

    Definitions: ASGLB adoption scorecard A10 and A2 (module docstring). Boundary conventions
    and data rules:

    - **cohort**: episodes with ``rec`` E11/E12 and ``dec`` in :func:`cohort_window`
      (``period_end`` minus ``months`` months plus one day, to ``period_end``); a child adopted
      twice in the window is kept once, on the later adoption;
    - **entered care**: ``decom`` of the first episode of the period of care ending in the
      adoption (the latest period of care, as in the scorecard);
    - **moved in**: the start of the first placement with ``place`` A3-A6 in that period of care
      (a placement start; RNE ``L`` episodes continue it). When the AD1 record has
      ``foster_care`` = 1 (adopted by the child's foster carer) it is the start of the placement
      immediately before that A3-A6 placement (the foster placement with the adopter), or the
      A3-A6 placement's own start when it was the first placement of the period of care;
    - **placement order**: ``decom`` of the first ``ls`` E1 episode in that period of care;
    - **match**: the AD1 row of the child with the latest ``date_match`` on or before the
      adoption date (the match that led to the adoption); its ``foster_care`` is used;
    - ``a10_days`` = moved in - entered care; ``a2_days`` = match - placement order, 0 when the
      match was before the order (DESIGN section 5). Days are calendar days, as float;
    - **incomplete history**: a period of care starts with an episode of RNE ``S``. When the
      first episode of the child's period of care in the data has another RNE, the child entered
      care before the earliest return supplied (returns normally carry only the episodes open
      during their year), so the entry date is unknown: A10 is NaN, and so is A2 when the
      placement order is that first visible episode (it may be older).

    When an input is missing the value is NaN and ``reason`` says why: no A3-A6 placement in the
    period of care (A10), no E1 episode (A2), no AD1 match (A2). With no AD1 match A10 is still
    computed, from the A3-A6 placement start, and ``reason`` notes that it could not be
    adjusted for a foster-carer adoption (AD1 is an optional return). A blank ``foster_care``
    is read as 0, also noted.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table (full histories of the cohort's periods of care).
    ad1
        Processed ``ad1`` table, or None when not supplied.
    period_end
        Last day of the cohort window.
    months
        Cohort window in calendar months (12; 36 for the three-year figure).

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code``, ``child_id``, ``adoption_date``, ``entered_care``, ``moved_in``,
        ``placement_order``, ``match_date``, ``foster_care`` (Int64), ``a10_days``,
        ``a2_days`` (float), ``reason`` (str, empty when both values are complete); sorted by
        ``la_code``, ``adoption_date``, ``child_id``; index reset.
    """
    ws, we = cohort_window(period_end, months)
    if is_prepared(episodes):
        ep = episodes
    else:  # only the adopted children's histories are needed: prepare those alone
        adopted_rows = episodes["rec"].isin(ADOPTED_REC) & in_period(episodes["dec"], ws, we)
        kids = episodes.loc[adopted_rows, CHILD_KEY].drop_duplicates()
        ep = prepare_episodes(episodes.merge(kids, on=CHILD_KEY, how="inner"))
    adopted = ep.loc[ep["rec"].isin(ADOPTED_REC) & in_period(ep["dec"], ws, we)]
    adopted = adopted.sort_values("dec", kind="stable").drop_duplicates(CHILD_KEY, keep="last")
    cohort = adopted[[*CHILD_KEY, "poc_id", "poc_start", "dec"]].rename(
        columns={"dec": "adoption_date", "poc_start": "entered_care"}
    )
    pocs = cohort["poc_id"]
    # the period of care's first episode: a real start of care has RNE S; any other RNE means
    # the child's history begins before the earliest return supplied
    first_rne = ep.loc[ep["poc_id"].isin(pocs)].drop_duplicates("poc_id").set_index("poc_id")["rne"]
    cohort["first_rne"] = cohort["poc_id"].map(first_rne)

    # first A3-A6 placement of each cohort period of care, and the placement before it
    pl = placements(ep.loc[ep["poc_id"].isin(pocs)])
    first_a = (
        pl.loc[pl["place"].isin(ADOPTION_PLACE)]
        .drop_duplicates("poc_id", keep="first")[["poc_id", "start", "prev_start"]]
        .rename(columns={"start": "a_start", "prev_start": "foster_start"})
    )
    cohort = cohort.merge(first_a, on="poc_id", how="left")

    e1 = ep.loc[ep["poc_id"].isin(pocs) & ep["ls"].eq(PLACEMENT_ORDER_LS)]
    first_e1 = e1.drop_duplicates("poc_id", keep="first")[["poc_id", "decom"]].rename(
        columns={"decom": "placement_order"}
    )
    cohort = cohort.merge(first_e1, on="poc_id", how="left")

    # the match that led to the adoption: latest AD1 match on or before the adoption date
    matches = _empty_ad1() if ad1 is None else ad1[AD1_COLUMNS]
    pairs = cohort[[*CHILD_KEY, "adoption_date"]].merge(
        matches.loc[matches["date_match"].notna()], on=CHILD_KEY, how="inner"
    )
    pairs = pairs.loc[pairs["date_match"] <= pairs["adoption_date"]]
    pairs = pairs.sort_values("date_match", kind="stable").drop_duplicates(CHILD_KEY, keep="last")
    cohort = cohort.merge(
        pairs[[*CHILD_KEY, "date_match", "foster_care"]], on=CHILD_KEY, how="left"
    ).rename(columns={"date_match": "match_date"})

    has_match = cohort["match_date"].notna()
    foster = pd.to_numeric(cohort["foster_care"]).astype("Int64")
    cohort["foster_care"] = foster
    by_foster_carer = foster.eq(1).fillna(False).astype(bool)
    cohort["moved_in"] = cohort["foster_start"].where(
        by_foster_carer & cohort["foster_start"].notna(), cohort["a_start"]
    )

    truncated = cohort["first_rne"].ne("S")
    order_unknown = truncated & cohort["placement_order"].eq(cohort["entered_care"])
    a10 = (cohort["moved_in"] - cohort["entered_care"]).dt.days.astype("float64")
    cohort["a10_days"] = a10.where(~truncated)
    a2 = (cohort["match_date"] - cohort["placement_order"]).dt.days.astype("float64")
    cohort["a2_days"] = a2.clip(lower=0).where(~order_unknown)

    notes = [
        (
            truncated,
            "A10: entry into care is before the returns supplied (first episode not RNE S)",
        ),
        (cohort["a_start"].isna(), "A10: no A3-A6 placement in the period of care"),
        (
            cohort["a_start"].notna() & ~has_match,
            "A10: no AD1 match, not adjusted for foster-carer adoption",
        ),
        (has_match & foster.isna(), "A10: AD1 foster_care blank, read as 0"),
        (order_unknown, "A2: the placement order may be before the returns supplied"),
        (cohort["placement_order"].isna(), "A2: no placement order (LS E1) in the period of care"),
        (~has_match, "A2: no AD1 match on or before the adoption date"),
    ]
    reason = pd.Series("", index=cohort.index, dtype=object)
    for flag, text in notes:
        reason = reason + np.where(flag.fillna(False).astype(bool), text + "; ", "")
    cohort["reason"] = reason.str.removesuffix("; ").astype(object)
    if (cohort["reason"] != "").any():
        logger.info(
            "%d adopted children have incomplete A10/A2 inputs", int((cohort["reason"] != "").sum())
        )

    cohort = sort_rows(cohort, ["la_code", "adoption_date", "child_id"])
    return cohort[A10_A2_COLUMNS].reset_index(drop=True)


def mean_days(children: pd.DataFrame, column: str) -> float:
    """Pooled mean of ``column`` over the children in ``children``, ignoring NaN.

    Definition: ASGLB adoption scorecard averages (A10, A2) are means over children. An agency
    (regional adoption agency) figure pools the children of all its councils: it is the mean
    over all children, not the mean of the councils' means (DESIGN section 5).

    Parameters
    ----------
    children
        Output of :func:`a10_a2_children` (one or several councils).
    column
        ``a10_days`` or ``a2_days``.

    Returns
    -------
    float
        The mean (unrounded); NaN when no child has a value.
    """
    values = pd.to_numeric(children[column], errors="coerce").astype("float64")
    return float(values.mean()) if values.notna().any() else float("nan")


def a10_a2_three_year(
    episodes: pd.DataFrame, ad1: pd.DataFrame | None, la_codes: list[str], period_end: DateLike
) -> pd.DataFrame:
    """Three-year A10 and A2 for each council and the pooled agency.

    Definition: ASGLB adoption scorecard three-year averages: the cohort is the children adopted
    in the 36 months ending ``period_end`` (:func:`a10_a2_children` with ``months=36``); the
    agency row (``la_code`` ``all``) pools the children of ``la_codes``.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    ad1
        Processed ``ad1`` table, or None.
    la_codes
        Councils of the agency.
    period_end
        Last day of the 36-month window.

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code`` (each of ``la_codes`` then ``all``), ``measure`` (``a10_days``,
        ``a2_days``), ``value`` (float, NaN when no child), ``children`` (int, children with a
        value).
    """
    kids = a10_a2_children(
        episodes.loc[episodes["la_code"].isin(la_codes)], ad1, period_end, months=36
    )
    rows = []
    for la in [*la_codes, "all"]:
        part = kids if la == "all" else kids.loc[kids["la_code"].eq(la)]
        for measure in ("a10_days", "a2_days"):
            rows.append(
                {
                    "la_code": la,
                    "measure": measure,
                    "value": mean_days(part, measure),
                    "children": int(part[measure].notna().sum()),
                }
            )
    out = pd.DataFrame(rows)
    out["value"] = out["value"].astype("float64")
    out["children"] = out["children"].astype(np.int64)
    return out


#: Statistics of :func:`a10_a2_summary`, per measure (``a10`` / ``a2``), in order.
SUMMARY_STATS: tuple[str, ...] = (
    "children",
    "mean_days",
    "median_days",
    "lower_quartile_days",
    "upper_quartile_days",
    "less_reliable",
)
#: Fewer children than this behind an average: "figures are less reliable" (ATV report).
RELIABLE_MIN_CHILDREN = 10


class Cohort(NamedTuple):
    """An adoption cohort: the children adopted from ``start`` to ``end`` (inclusive).

    ``series`` is ``three_years`` for each of the last three full years and their pooled
    three-year cohort (the years add up to it), ``twelve_months`` for the 12-month cohorts
    ending the period end and a year earlier; ``years`` is the cohort's length in years.
    """

    label: str
    start: pd.Timestamp
    end: pd.Timestamp
    series: str
    years: int


def timeliness_cohorts(
    period_start: DateLike, period_end: DateLike, years: int = 3
) -> list[Cohort]:
    """The adoption cohorts the ATV report shows A10 and A2 for.

    Definition (ATV report "Timeliness of adoption"; DESIGN section 5, "Adoption cohorts"): each
    of the ``years`` full collection years before the one holding ``period_start`` (children
    adopted 1 April to 31 March), the pooled cohort of those years together (the "3-year
    average", as the ASGLB scorecard's three-year figures: children adopted over the three
    years, one mean over all of them), the 12 months ending ``period_end`` (the current
    figure, as in the council tables) and the 12 months ending a year earlier (the same period
    of the previous year). A cohort with the same dates as an earlier one is listed once.

    Returns
    -------
    list of Cohort
        Labels by :func:`analysis.adoption.periods.period_label` for whole years (``2021-22``,
        ``2021-24``), else ``12 months to Sep 2024``; dates inclusive.
    """
    pe = to_timestamp(period_end)
    first = collection_year_start(period_start).year
    spans = [
        (pd.Timestamp(y, 4, 1), pd.Timestamp(y + 1, 3, 31), "three_years", 1)
        for y in range(first - years, first)
    ]
    spans.append(
        (pd.Timestamp(first - years, 4, 1), pd.Timestamp(first, 3, 31), "three_years", years)
    )
    spans.append((*cohort_window(pe, 12), "twelve_months", 1))
    spans.append((*cohort_window(add_months(pe, -12), 12), "twelve_months", 1))
    out: list[Cohort] = []
    for start, end, series, length in spans:
        if any((start, end) == (c.start, c.end) for c in out):
            continue
        whole_years = start.month == 4 and start.day == 1 and end.month == 3 and end.day == 31
        label = period_label(start, end) if whole_years else f"12 months to {end:%b %Y}"
        out.append(Cohort(label, start, end, series, length))
    return out


def _stats(values: pd.Series, reliable_min: int) -> dict[str, float | int]:
    v = pd.to_numeric(values, errors="coerce").dropna().astype("float64")
    if v.empty:
        nan = float("nan")
        return {"children": 0} | {s: nan for s in SUMMARY_STATS[1:-1]} | {"less_reliable": 1}
    return {
        "children": int(len(v)),
        "mean_days": float(v.mean()),
        "median_days": float(v.median()),
        "lower_quartile_days": float(v.quantile(0.25)),
        "upper_quartile_days": float(v.quantile(0.75)),
        "less_reliable": int(len(v) < reliable_min),
    }


def a10_a2_summary(
    episodes: pd.DataFrame,
    ad1: pd.DataFrame | None,
    la_codes: list[str],
    cohorts: list[Cohort],
    reliable_min: int = RELIABLE_MIN_CHILDREN,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A10 and A2 for each council and the pooled agency, per cohort: mean, median, quartiles.

    Definitions: ASGLB adoption scorecard A10 and A2 (:func:`a10_a2_children`; the cohort is
    the children adopted, ``rec`` E11/E12, between each cohort's start and end). ``children`` is
    the number of children with a value (the base of the mean: a child with no A2, e.g. no AD1
    match, is not in the A2 base). The agency (``la_code`` ``all``) pools the children of all
    councils (not a mean of council means). Median and quartiles show the spread that a mean
    hides in small cohorts; quartiles by linear interpolation between order statistics
    (Hyndman and Fan type 7, the pandas and Excel ``QUARTILE.INC`` convention).
    ``less_reliable`` is 1 when fewer than ``reliable_min`` children are behind the figure
    (the ATV report's "numbers are low, and therefore figures are less reliable"), decided on
    the exact count so that the flag is right even where the published count is suppressed.

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    ad1
        Processed ``ad1`` table, or None when not supplied.
    la_codes
        Councils of the agency; rows of other councils are ignored.
    cohorts
        As from :func:`timeliness_cohorts`.
    reliable_min
        Children needed for a figure not to be flagged as less reliable (default 10).

    Returns
    -------
    summary : pandas.DataFrame
        Columns ``la_code`` (``la_codes`` then ``all``), ``series``, ``cohort`` (label),
        ``cohort_start``, ``cohort_end``, ``years`` (:class:`Cohort`), ``measure``
        (``adopted``: all children adopted in the cohort; ``a10_children``: those with an A10,
        ``a10_mean_days``, ..., ``a2_upper_quartile_days``,
        ``a10_less_reliable``, ``a2_less_reliable``), ``value``
        (object: int children, float days, NaN when no child; flags 1 or 0).
    children : pandas.DataFrame
        One row per child and cohort, without identifiers: ``la_code``, ``cohort``,
        ``a10_days``, ``a2_days`` (for dot plots; not for publication as a table).
    """
    eps = prepare_episodes(episodes.loc[episodes["la_code"].isin(la_codes)])
    rows = []
    kids_out = []
    for cohort in cohorts:
        start, end = cohort.start, cohort.end
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        kids = a10_a2_children(eps, ad1, end, months=months)
        kids_out.append(kids[["la_code", "a10_days", "a2_days"]].assign(cohort=cohort.label))
        for la in [*la_codes, "all"]:
            part = kids if la == "all" else kids.loc[kids["la_code"].eq(la)]
            rows.append(
                (la, cohort.series, cohort.label, start, end, cohort.years, "adopted", len(part))
            )
            for measure in ("a10", "a2"):
                for stat, value in _stats(part[f"{measure}_days"], reliable_min).items():
                    rows.append(
                        (
                            la,
                            cohort.series,
                            cohort.label,
                            start,
                            end,
                            cohort.years,
                            f"{measure}_{stat}",
                            value,
                        )
                    )
    columns = ["la_code", "series", "cohort", "cohort_start", "cohort_end", "years", "measure"]
    summary = pd.DataFrame([r[:-1] for r in rows], columns=columns)
    summary["value"] = pd.Series([r[-1] for r in rows], dtype=object)
    children = pd.concat(kids_out, ignore_index=True)[["la_code", "cohort", "a10_days", "a2_days"]]
    return summary, children
