"""Child protection plans: plans open at a date, durations, categories and repeat plans.

Definitions follow DfE, *Characteristics of children in need* (CIN census), tables D1 (children
subject to a plan at 31 March by category of abuse, sex and ethnicity), D3 (plans starting in the
year that were second or subsequent plans, "ever") and D5 (plans open at 31 March by length of
time). Boundary conventions are those of DESIGN section 5 and :mod:`analysis.dates`:

- a plan is **open at date d** when ``cpp_start <= d`` and (``cpp_end`` is missing or
  ``cpp_end > d``): a plan ending on 31 March is not open at 31 March;
- durations are whole calendar months by the **month rule**: a plan has lasted ``n`` months at d
  when ``add_months(cpp_start, n) <= d`` (31 Aug + 6 months = 28/29 Feb);
- counts "at a date" count **children** (DfE counts children subject to a plan), so a child with
  two overlapping open plans (a data error) is counted once, on the latest-starting plan.

Every function is pure: DataFrames in, DataFrame or number out.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.cla.ordering import sort_rows
from analysis.dates import DateLike, add_months, add_months_series, in_period, open_at, to_timestamp

__all__ = [
    "CATEGORY_CODES",
    "CATEGORY_LABELS",
    "DURATION_BAND_CODES",
    "DURATION_BAND_D5_COLUMNS",
    "ETHNICITY_CODES",
    "SEX_CODES",
    "SEX_LABELS",
    "cp_by_category_at",
    "cp_by_ethnicity_at",
    "children_on_plan_at",
    "cp_by_sex_at",
    "cp_count_at",
    "cp_plans_open_at",
    "describe_code",
    "duration_band",
    "ended_plans_by_duration",
    "plan_duration_band",
    "plan_duration_months",
    "plans_15_months_plus_at",
    "plans_24_months_plus_at",
    "plans_by_duration_at",
    "plans_started",
    "reaching_15_months",
    "second_subsequent_plans",
]

logger = logging.getLogger(__name__)

CHILD_KEY = ["la_code", "child_id"]

#: CIN census XSD ``categoryofabuse`` codes, in the order of DfE table D1.
CATEGORY_CODES: tuple[str, ...] = ("NEG", "PHY", "SAB", "EMO", "MUL")
CATEGORY_LABELS: dict[str, str] = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple",
}

#: CIN census XSD ``gendertype`` codes (``cin_children.sex`` as text).
SEX_CODES: tuple[str, ...] = ("1", "2", "0", "9")
SEX_LABELS: dict[str, str] = {
    "1": "Male",
    "2": "Female",
    "0": "Not recorded or unborn",
    "9": "Indeterminate",
}

#: CIN census XSD ``ethnicitytype`` codes, in the XSD order.
ETHNICITY_CODES: tuple[str, ...] = (
    "WBRI",
    "WIRI",
    "WIRT",
    "WOTH",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "AOTH",
    "BCRB",
    "BAFR",
    "BOTH",
    "CHNE",
    "OOTH",
    "REFU",
    "NOBT",
)

#: DfE table D5 duration bands (labels worded to match the D5 boundaries), in D5 order.
DURATION_BAND_CODES: tuple[str, ...] = (
    "3 months or less",
    "More than 3 months to 6 months",
    "More than 6 months to less than 1 year",
    "1 year to less than 2 years",
    "2 years or more",
)
#: The DfE D5 file column of each band, for joining to the published LA figures.
DURATION_BAND_D5_COLUMNS: dict[str, str] = dict(
    zip(
        DURATION_BAND_CODES,
        (
            "3_months_or_less",
            "more_than_3_months_6_months",
            "more_than_6_months_less_than_1_year",
            "1_year_less_than_2_years",
            "2_years_or_more",
        ),
        strict=True,
    )
)

MISSING_CODE = "Missing"


def describe_code(kind: str, code: object) -> str:
    """Reader's description of a code in a CP table: category, sex or ethnicity.

    Categories of abuse and sex use the CIN census XSD lists (``categoryofabuse``,
    ``gendertype``); ethnicity uses the DfE ethnicity descriptions (the CIN census and SSDA903
    share the codes). ``Missing`` (no value recorded) reads "Not recorded"; a code outside the
    list is shown as it is.

    Parameters
    ----------
    kind
        ``category``, ``sex`` or ``ethnicity``.
    code
        The code.

    Returns
    -------
    str
    """
    from analysis.codes import describe, describe_cin

    if code == MISSING_CODE:
        return "Not recorded"
    lookups = {
        "category": lambda c: describe_cin("categoryofabuse", c),
        "sex": lambda c: SEX_LABELS[str(c)],
        "ethnicity": lambda c: describe("ETHNIC", c),
    }
    if kind not in lookups:
        raise ValueError(f"kind must be one of {', '.join(lookups)}, not {kind!r}")
    try:
        return str(lookups[kind](code))
    except KeyError:
        return str(code)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _as_dates(date: DateLike | pd.Series, like: pd.Series) -> pd.Series:
    """Broadcast a scalar date (or align a Series of dates) to the index of ``like``."""
    if isinstance(date, pd.Series):
        if len(date) != len(like):
            raise ValueError("dates must be one date or a Series as long as the start dates")
        return pd.Series(pd.to_datetime(date).to_numpy(), index=like.index)
    return pd.Series(to_timestamp(date), index=like.index, dtype="datetime64[ns]")


def _one_plan_per_child(plans: pd.DataFrame) -> pd.DataFrame:
    """Keep the latest-starting plan of each child (DfE counts children, not plans)."""
    out = sort_rows(plans, [*CHILD_KEY, "cpp_start"])
    dup = out.duplicated(CHILD_KEY, keep="last")
    if dup.any():
        logger.warning("%d children have more than one open CP plan; counted once", dup.sum())
    return out.loc[~dup].reset_index(drop=True)


def _count_codes(values: pd.Series, codes: Sequence[str]) -> pd.DataFrame:
    """Count ``values`` by code, listing every code in ``codes`` (zero when absent).

    Codes outside the list follow (sorted), then ``Missing`` for blanks. Percent of all values.
    """
    values = values.astype("string")
    counts = values.fillna(MISSING_CODE).value_counts()
    others = sorted(c for c in counts.index if c not in codes and c != MISSING_CODE)
    order = [*codes, *others] + ([MISSING_CODE] if MISSING_CODE in counts.index else [])
    count = counts.reindex(order, fill_value=0).astype("int64")
    total = int(count.sum())
    percent = count / total * 100 if total else pd.Series(np.nan, index=order)
    return pd.DataFrame(
        {"code": order, "count": count.to_numpy(), "percent": percent.to_numpy(dtype="float64")}
    )


# --------------------------------------------------------------------------------------------
# open at a date
# --------------------------------------------------------------------------------------------
def cp_plans_open_at(cp_plans: pd.DataFrame, date: DateLike) -> pd.DataFrame:
    """Child protection plans open at ``date``.

    Definition: DfE *Characteristics of children in need*, table D1 ("children who were the
    subject of a child protection plan at 31 March").

    Boundary convention: open when ``cpp_start <= date`` and (``cpp_end`` is NaT or
    ``cpp_end > date``). A plan starting on ``date`` is open; a plan ending on ``date`` is not.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table (``la_code``, ``child_id``, ``cpp_start``, ``cpp_end``, ...).
    date
        Reference date (e.g. the period end, 31 March).

    Returns
    -------
    pandas.DataFrame
        The open plan rows (all columns), index reset. One row per plan, not per child.
    """
    mask = open_at(cp_plans["cpp_start"], cp_plans["cpp_end"], date)
    return cp_plans.loc[mask].reset_index(drop=True)


def cp_count_at(cp_plans: pd.DataFrame, date: DateLike) -> int:
    """Count children subject to a child protection plan at ``date``.

    Definition: DfE *Characteristics of children in need*, table D1 (children, not plans).
    Boundary convention: the open-at rule of :func:`cp_plans_open_at`; a child with two
    overlapping open plans is counted once.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table.
    date
        Reference date.

    Returns
    -------
    int
    """
    open_plans = cp_plans_open_at(cp_plans, date)
    return int(len(open_plans.drop_duplicates(CHILD_KEY)))


# --------------------------------------------------------------------------------------------
# durations
# --------------------------------------------------------------------------------------------
def _month_parts(start: pd.Series, date: DateLike | pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole months by the month rule, and whether ``date`` is exactly ``start + n`` months."""
    start = pd.to_datetime(start)
    end = _as_dates(date, start)
    months = (end.dt.year - start.dt.year) * 12 + (end.dt.month - start.dt.month)
    # start + `months` months lands in end's month, on start's day clamped to the month length
    anniversary = np.minimum(start.dt.day, end.dt.days_in_month)
    months = months - (anniversary > end.dt.day).astype("float64")
    missing = start.isna() | end.isna()
    months = months.where(~missing).astype("Int64")
    exact = (anniversary == end.dt.day) & ~missing
    return months, exact


def plan_duration_months(start: pd.Series, date: DateLike | pd.Series) -> pd.Series:
    """Whole calendar months from ``start`` to ``date`` by the month rule.

    Boundary convention (DESIGN section 5): the duration is the largest ``n`` with
    ``add_months(start, n) <= date``; a day missing from the target month moves to the month's
    last day (31 Aug 2023 + 6 months = 29 Feb 2024, so a plan starting 31 Aug 2023 has lasted
    6 months on 29 Feb 2024). Used for DfE table D5 bands and the local 15+/24+ month bands.

    Parameters
    ----------
    start
        Plan start dates.
    date
        One reference date, or a Series of dates aligned with ``start`` (e.g. plan end dates).

    Returns
    -------
    pandas.Series of Int64
        Whole months (``<NA>`` where a date is missing; negative when ``date < start``).
    """
    return _month_parts(start, date)[0]


def duration_band(months: pd.Series, exact: pd.Series | None = None) -> pd.Series:
    """Return the DfE table D5 duration band of each plan.

    Definition: DfE *Characteristics of children in need*, table D5 (child protection plans at
    31 March by length of time as the subject of a plan). The D5 column names fix the band
    boundaries, which are **not** half-open at every edge:

    ==========================================  ===============================================
    band (D5 column)                            plan duration ``t``
    ==========================================  ===============================================
    3 months or less (``3_months_or_less``)      ``t <= 3 months``
    More than 3 months to 6 months               ``3 months < t <= 6 months``
    (``more_than_3_months_6_months``)
    More than 6 months to less than 1 year       ``6 months < t < 12 months``
    (``more_than_6_months_less_than_1_year``)
    1 year to less than 2 years                  ``12 months <= t < 24 months``
    (``1_year_less_than_2_years``)
    2 years or more (``2_years_or_more``)        ``t >= 24 months``
    ==========================================  ===============================================

    ``t`` is measured by the month rule, so "exactly 3 months" means ``date == start + 3 months``.

    Parameters
    ----------
    months
        Whole months by the month rule (:func:`plan_duration_months`).
    exact
        True where the date is exactly ``start + months`` months (no extra days). Needed only to
        place plans of exactly 3 or 6 months in the lower band; when omitted every duration is
        taken to have extra days, so exactly 3 (6) months falls in the band above.
        :func:`plan_duration_band` supplies it.

    Returns
    -------
    pandas.Series of str
        The band (one of ``DURATION_BAND_CODES``); ``None`` where ``months`` is missing.
    """
    m = pd.to_numeric(months).astype("float64")
    ex = pd.Series(False, index=m.index) if exact is None else exact.astype(bool)
    conditions = [
        (m < 3) | ((m == 3) & ex),
        (m < 6) | ((m == 6) & ex),
        m < 12,
        m < 24,
        m >= 24,
    ]
    band = np.select(conditions, DURATION_BAND_CODES, default=None)
    return pd.Series(band, index=m.index, dtype="object").where(m.notna(), None)


def plan_duration_band(start: pd.Series, date: DateLike | pd.Series) -> pd.Series:
    """DfE D5 band of the duration from ``start`` to ``date`` (see :func:`duration_band`)."""
    months, exact = _month_parts(start, date)
    return duration_band(months, exact)


def _band_table(bands: pd.Series) -> pd.DataFrame:
    return _count_codes(bands, DURATION_BAND_CODES)


def plans_by_duration_at(cp_plans: pd.DataFrame, date: DateLike) -> pd.DataFrame:
    """Children subject to a plan at ``date`` by how long the plan has lasted (DfE D5 bands).

    Definition: DfE *Characteristics of children in need*, table D5. Boundary conventions: the
    open-at rule, one plan per child, duration to ``date`` by the month rule, bands as in
    :func:`duration_band`.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table.
    date
        Reference date.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` (band label, ``DURATION_BAND_CODES``; ``DURATION_BAND_D5_COLUMNS``
        maps it to the D5 column), ``count`` (int), ``percent`` (of children with an open plan,
        unrounded). All five bands are listed, in D5 order.
    """
    open_plans = _one_plan_per_child(cp_plans_open_at(cp_plans, date))
    return _band_table(plan_duration_band(open_plans["cpp_start"], date))


def ended_plans_by_duration(
    cp_plans: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Plans that ended in the period, by their length (DfE D5 bands).

    Definition: DfE *Characteristics of children in need*, plans ceasing during the year by
    length of time as the subject of a plan, here in the D5 bands so that open and ended plans
    are reported alike. Boundary conventions: ``cpp_end`` in ``[period_start, period_end]``
    (both inclusive); duration from ``cpp_start`` to ``cpp_end`` by the month rule. Plans are
    counted (a child whose two plans ended in the period counts twice).

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table.
    period_start, period_end
        The period, both ends inclusive.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``count``, ``percent`` as :func:`plans_by_duration_at`.
    """
    ended = cp_plans.loc[in_period(cp_plans["cpp_end"], period_start, period_end)]
    return _band_table(plan_duration_band(ended["cpp_start"], ended["cpp_end"]))


def _open_months_plus(cp_plans: pd.DataFrame, date: DateLike, months: int) -> int:
    open_plans = _one_plan_per_child(cp_plans_open_at(cp_plans, date))
    reached = add_months_series(open_plans["cpp_start"], months) <= to_timestamp(date)
    return int(reached.sum())


def plans_15_months_plus_at(cp_plans: pd.DataFrame, date: DateLike) -> int:
    """Children whose open plan has lasted 15 months or more at ``date``.

    Definition: local band monitored by the board (Middlesbrough CP review panel), DESIGN
    section 5. Boundary convention: open-at rule and ``add_months(cpp_start, 15) <= date``
    (start 31 Dec 2022 is 15+ on 31 Mar 2024; start 1 Jan 2023 is not). Cumulative: plans of
    24+ months are included.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table.
    date
        Reference date.

    Returns
    -------
    int
    """
    return _open_months_plus(cp_plans, date, 15)


def plans_24_months_plus_at(cp_plans: pd.DataFrame, date: DateLike) -> int:
    """Children whose open plan has lasted 24 months or more at ``date``.

    Definition and boundary convention as :func:`plans_15_months_plus_at` with 24 months
    (``add_months(cpp_start, 24) <= date``); a subset of the 15+ count.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table.
    date
        Reference date.

    Returns
    -------
    int
    """
    return _open_months_plus(cp_plans, date, 24)


def reaching_15_months(cp_plans: pd.DataFrame, date: DateLike, horizon_months: int = 3) -> int:
    """Children with an open plan that will reach 15 months within the next ``horizon_months``.

    Definition: local forward look for the CP review panel. Boundary convention: the plan is
    open at ``date``, not yet 15+ (``add_months(cpp_start, 15) > date``), and would reach 15
    months on or before ``add_months(date, horizon_months)`` if still open then. A count only:
    plans may end before they reach 15 months.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table.
    date
        Reference date.
    horizon_months
        Look-ahead in calendar months (default 3).

    Returns
    -------
    int
    """
    d = to_timestamp(date)
    open_plans = _one_plan_per_child(cp_plans_open_at(cp_plans, d))
    at_15 = add_months_series(open_plans["cpp_start"], 15)
    return int(((at_15 > d) & (at_15 <= add_months(d, horizon_months))).sum())


# --------------------------------------------------------------------------------------------
# plans started, repeat plans
# --------------------------------------------------------------------------------------------
def plans_started(
    cp_plans: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Child protection plans starting in the period.

    Definition: DfE *Characteristics of children in need*, table D3 denominator (plans starting
    during the year). Boundary convention: ``cpp_start`` in ``[period_start, period_end]``, both
    inclusive. One row per plan.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table.
    period_start, period_end
        The period, both ends inclusive.

    Returns
    -------
    pandas.DataFrame
        The plan rows, sorted by ``la_code``, ``child_id``, ``cpp_start``, index reset.
    """
    started = cp_plans.loc[in_period(cp_plans["cpp_start"], period_start, period_end)]
    return sort_rows(started, [*CHILD_KEY, "cpp_start"]).reset_index(drop=True)


def second_subsequent_plans(
    cp_plans: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Plans starting in the period that are a second or subsequent plan for the child ("ever").

    Definition: DfE *Characteristics of children in need*, table D3 ("child protection plans
    starting during the year which were second or subsequent plans", ever). Boundary
    convention (DESIGN section 5): a plan starting in the period is second or subsequent when
    ``number_previous_cpp >= 1`` **or** the same child (``la_code``, ``child_id``) has a plan
    with an earlier ``cpp_start`` anywhere in the data. ``number_previous_cpp = 0`` with an
    earlier plan in the data still counts; a missing ``number_previous_cpp`` is read as 0.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table (all years available, so earlier plans are seen).
    period_start, period_end
        The period, both ends inclusive.

    Returns
    -------
    pandas.DataFrame
        The qualifying plan rows plus ``earlier_plan_in_data`` (bool), sorted as
        :func:`plans_started`.
    """
    first_start = cp_plans.groupby(CHILD_KEY, sort=False)["cpp_start"].transform("min")
    flagged = cp_plans.assign(earlier_plan_in_data=(first_start < cp_plans["cpp_start"]))
    started = plans_started(flagged, period_start, period_end)
    previous = pd.to_numeric(started["number_previous_cpp"]).fillna(0)
    keep = (previous >= 1) | started["earlier_plan_in_data"]
    return started.loc[keep.to_numpy()].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# characteristics at a date
# --------------------------------------------------------------------------------------------
def cp_by_category_at(cp_plans: pd.DataFrame, date: DateLike) -> pd.DataFrame:
    """Children subject to a plan at ``date`` by latest category of abuse.

    Definition: DfE *Characteristics of children in need*, table D1 (by latest category of
    abuse); codes from the CIN census XSD ``categoryofabuse`` list (NEG, PHY, SAB, EMO, MUL).
    Boundary convention: open-at rule, one plan per child.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table (``latest_category``).
    date
        Reference date.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``count`` (int), ``percent`` (unrounded). Every XSD code is listed
        (zero when absent) in D1 order; codes outside the list follow, then ``Missing``.
    """
    open_plans = _one_plan_per_child(cp_plans_open_at(cp_plans, date))
    return _count_codes(open_plans["latest_category"], CATEGORY_CODES)


def _with_child_field(
    cp_plans: pd.DataFrame, cin_children: pd.DataFrame, date: DateLike, field: str
) -> pd.Series:
    open_plans = _one_plan_per_child(cp_plans_open_at(cp_plans, date))
    children = cin_children.drop_duplicates(CHILD_KEY, keep="last")[[*CHILD_KEY, field]]
    merged = open_plans[CHILD_KEY].merge(children, on=CHILD_KEY, how="left")
    return merged[field]


def children_on_plan_at(
    cp_plans: pd.DataFrame, cin_children: pd.DataFrame, date: DateLike
) -> pd.DataFrame:
    """Children subject to a plan at ``date`` with their sex and ethnicity (one row per child).

    Definition: DfE *Characteristics of children in need*, table D1 (children, not plans).
    Boundary convention: open-at rule, one plan per child (the latest-starting); a child with no
    ``cin_children`` row has ``sex`` and ``ethnicity`` missing. Internal: the rows carry the
    pseudonymised ``child_id`` and are for further counting, never for publication.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table.
    cin_children
        Processed ``cin_children`` table (``sex``, ``ethnicity``).
    date
        Reference date.

    Returns
    -------
    pandas.DataFrame
        Columns ``la_code``, ``child_id``, ``cpp_start``, ``latest_category``, ``sex``,
        ``ethnicity``.
    """
    open_plans = _one_plan_per_child(cp_plans_open_at(cp_plans, date))
    children = cin_children.drop_duplicates(CHILD_KEY, keep="last")[
        [*CHILD_KEY, "sex", "ethnicity"]
    ]
    return open_plans[[*CHILD_KEY, "cpp_start", "latest_category"]].merge(
        children, on=CHILD_KEY, how="left"
    )


def cp_by_sex_at(
    cp_plans: pd.DataFrame, cin_children: pd.DataFrame, date: DateLike
) -> pd.DataFrame:
    """Children subject to a plan at ``date`` by sex (CIN census ``GenderCurrent``).

    Definition: DfE *Characteristics of children in need*, table D1 (by gender). Codes from the
    XSD ``gendertype`` list as text: "1" male, "2" female, "0" not recorded, "9" indeterminate
    (see ``SEX_LABELS``). Boundary convention: open-at rule, one plan per child; a child with no
    ``cin_children`` row is counted as ``Missing``.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table.
    cin_children
        Processed ``cin_children`` table (``sex`` int).
    date
        Reference date.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``count``, ``percent``; every ``gendertype`` code listed.
    """
    sex = _with_child_field(cp_plans, cin_children, date, "sex")
    sex = pd.to_numeric(sex).astype("Int64").astype("string")
    return _count_codes(sex, SEX_CODES)


def cp_by_ethnicity_at(
    cp_plans: pd.DataFrame, cin_children: pd.DataFrame, date: DateLike
) -> pd.DataFrame:
    """Children subject to a plan at ``date`` by ethnicity (CIN census ``Ethnicity`` code).

    Definition: DfE *Characteristics of children in need*, table D1 (by ethnicity). Codes from
    the XSD ``ethnicitytype`` list (REFU refused, NOBT not yet obtained are codes too).
    Boundary convention: open-at rule, one plan per child; no ``cin_children`` row or a blank
    ethnicity is ``Missing``.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table.
    cin_children
        Processed ``cin_children`` table (``ethnicity``).
    date
        Reference date.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``count``, ``percent``; every ``ethnicitytype`` code listed.
    """
    return _count_codes(
        _with_child_field(cp_plans, cin_children, date, "ethnicity"), ETHNICITY_CODES
    )
