"""Code tables of children looked after, starting and ceasing: counts and percentages.

Definitions: DfE, *Children looked after in England including adoptions*, methodology and tables
(children looked after at 31 March by legal status, placement type, ethnicity, age and sex;
children starting by category of need; children ceasing by reason episode ceased). Code lists
and their order come from :mod:`analysis.codes` (DfE SSDA903 guidance).

Every table has one row per code with ``count`` and ``percent`` (0-100, unrounded); percentages
are of all children in the table, so they add up to 100. A missing code is counted as
``"Not known"`` rather than dropped, so the total always equals the number of children.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from analysis import codes as codelists
from analysis.cla.flows import ceased_in_period, started_in_period
from analysis.cla.looked_after import cla_at
from analysis.cla.periods import SHORT_BREAK_LS, require_columns
from analysis.dates import DateLike, as_dates, to_timestamp

__all__ = [
    "AGE_BANDS",
    "SEX_LABELS",
    "by_code",
    "age_band",
    "age_on",
    "ceased_by_reason",
    "placement_type_at",
    "legal_status_at",
    "ethnicity_at",
    "category_of_need_started",
    "sex_and_age_at",
    "started_by_sex_age",
    "ceased_by_sex_age",
    "cla_children_at",
]

#: DfE CLA age bands, in publication order.
AGE_BANDS = ("Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over")
#: SSDA903 SEX codes.
SEX_LABELS = {1: "Male", 2: "Female"}
NOT_KNOWN = codelists.NOT_KNOWN


def by_code(series: pd.Series, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Count each code of ``series`` and its percentage of all values.

    Parameters
    ----------
    series
        One value per child (or per review).
    codes
        When given, every listed code gets a row, in this order, including codes with a count of
        0. Codes present but not listed follow, sorted; missing values come last as
        ``"Not known"``. When not given, the codes present are listed sorted, ``"Not known"``
        last.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` (str), ``count`` (int64), ``percent`` (float, 0-100, unrounded; NaN for
        every row when ``series`` is empty).
    """
    values = series.astype("object").where(series.notna(), NOT_KNOWN)
    counts = values.value_counts(sort=False)
    present = [c for c in counts.index if c != NOT_KNOWN]
    listed = list(codes) if codes is not None else []
    listed_set = set(listed)
    extra = sorted((c for c in present if c not in listed_set), key=str)
    order = listed + extra
    if NOT_KNOWN in counts.index and NOT_KNOWN not in listed_set:
        order.append(NOT_KNOWN)
    count = counts.reindex(order, fill_value=0).astype("int64").to_numpy()
    total = int(count.sum())
    percent = count / total * 100 if total else np.full(len(order), np.nan)
    return pd.DataFrame(
        {
            "code": pd.Series([str(c) for c in order], dtype="object"),
            "count": count,
            "percent": percent.astype("float64"),
        }
    )


def age_on(dob: pd.Series, dates: pd.Series | DateLike) -> pd.Series:
    """Age in whole years on ``dates`` (a Series aligned with ``dob``, or one date).

    Same convention as :func:`analysis.dates.age_at`: a child is a year older on each birthday;
    one born on 29 February is a year older on 1 March in non-leap years. Missing dates give NA.
    """
    dob = as_dates(dob)
    if isinstance(dates, pd.Series):
        d = as_dates(dates)
        years, month, day = d.dt.year, d.dt.month, d.dt.day
    else:
        t = to_timestamp(dates)
        years, month, day = t.year, t.month, t.day
    before = (dob.dt.month > month) | ((dob.dt.month == month) & (dob.dt.day > day))
    age = (years - dob.dt.year) - before.astype("int64")
    return age.astype("Int64")


def age_band(age: int | float | pd.Series) -> str | pd.Series:
    """DfE CLA age band of an age in whole years.

    Bands: "Under 1" (0), "1 to 4", "5 to 9", "10 to 15", "16 and over". A missing or negative
    age gives "Not known".

    Parameters
    ----------
    age
        One age, or a Series of ages.

    Returns
    -------
    str or pandas.Series of str
    """
    if isinstance(age, pd.Series):
        a = pd.to_numeric(age, errors="coerce").astype("float64")
        conditions = [a.lt(0) | a.isna(), a.lt(1), a.lt(5), a.lt(10), a.lt(16)]
        choices = [NOT_KNOWN, *AGE_BANDS[:4]]
        return pd.Series(
            np.select(conditions, choices, default=AGE_BANDS[4]), index=age.index, dtype="object"
        )
    if age is None or pd.isna(age) or age < 0:
        return NOT_KNOWN
    for upper, band in zip((1, 5, 10, 16), AGE_BANDS, strict=False):
        if age < upper:
            return band
    return AGE_BANDS[4]


def ceased_by_reason(
    episodes: pd.DataFrame,
    period_start: DateLike,
    period_end: DateLike,
    codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Children who ceased to be looked after in the period, by reason episode ceased (REC).

    DfE CLA "children who ceased to be looked after during the year by reason episode ceased":
    one child per row of :func:`~analysis.cla.ceased_in_period` (last occasion, its REC).

    Parameters
    ----------
    episodes
        Processed ``episodes`` table.
    period_start, period_end
        The reporting period, both inclusive.
    codes
        REC codes to list (default: every valid E-code in DfE order, zero rows included). Pass
        e.g. ``["E41", "E45", "E46", "E47", "E48"]`` for the SGO and child arrangement order
        table (other reasons then follow as extra rows).

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``count``, ``percent`` (see :func:`by_code`).
    """
    listed = codes if codes is not None else [c for c in codelists.codes("REC") if c != "X1"]
    return by_code(ceased_in_period(episodes, period_start, period_end)["rec"], listed)


def placement_type_at(episodes: pd.DataFrame, date: DateLike) -> pd.DataFrame:
    """Children looked after at ``date`` by placement type (PLACE of the open episode).

    DfE CLA "children looked after at 31 March by placement"; every valid PLACE code is listed
    (zero rows included) in DfE order. Children as :func:`~analysis.cla.cla_at`.
    """
    return by_code(cla_at(episodes, date)["place"], codelists.codes("PLACE"))


def legal_status_at(
    episodes: pd.DataFrame, date: DateLike, level: Literal["code", "group"] = "code"
) -> pd.DataFrame:
    """Children looked after at ``date`` by legal status (LS of the open episode).

    DfE CLA "children looked after at 31 March by legal status". ``level="code"`` lists every LS
    code except the short breaks V3/V4 (never counted as looked after); ``level="group"`` uses
    DfE's published groups (full care order; interim care order; placement order granted, with
    freeing orders; voluntary agreements under S20; detained for child protection, L1-L3; youth
    justice legal statuses, J1-J3).
    """
    ls = cla_at(episodes, date)["ls"]
    if level == "code":
        return by_code(ls, [c for c in codelists.codes("LS") if c not in SHORT_BREAK_LS])
    if level == "group":
        groups = codelists.groups("LS")
        lookup = {c: g for g, members in groups.items() for c in members}
        return by_code(ls.map(lookup), list(groups))
    raise ValueError(f"level must be 'code' or 'group', not {level!r}")


def _with_children(frame: pd.DataFrame, children: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    require_columns(children, ["child_id", *columns], "children")
    kids = children.drop_duplicates("child_id", keep="last")[["child_id", *columns]]
    kids = kids.assign(child_id=kids["child_id"].astype(frame["child_id"].dtype))
    return frame.drop(columns=[c for c in columns if c in frame.columns]).merge(
        kids, on="child_id", how="left", validate="one_to_one"
    )


def ethnicity_at(
    episodes: pd.DataFrame,
    children: pd.DataFrame,
    date: DateLike,
    level: Literal["code", "group"] = "code",
) -> pd.DataFrame:
    """Children looked after at ``date`` by ethnicity (``children.ethnic``).

    DfE CLA "children looked after at 31 March by ethnic origin". ``level="code"`` lists the 20
    SSDA903 ETHNIC codes in DfE order; ``level="group"`` the major groups White, Mixed, Asian,
    Black, Other, Not known (see :func:`analysis.codes.major_ethnic_group`). A child missing
    from ``children`` is "Not known".
    """
    cla = _with_children(cla_at(episodes, date), children, ["ethnic"])
    if level == "code":
        return by_code(cla["ethnic"], codelists.codes("ETHNIC"))
    if level == "group":
        majors = cla["ethnic"].map(codelists.major_ethnic_group)
        return by_code(majors, list(codelists.groups("ETHNIC")))
    raise ValueError(f"level must be 'code' or 'group', not {level!r}")


def category_of_need_started(
    episodes: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Children who started to be looked after in the period, by category of need (CIN N1-N8).

    DfE CLA "children who started to be looked after during the year by category of need": the
    CIN of the starting episode (first occasion, :func:`~analysis.cla.started_in_period`).
    """
    started = started_in_period(episodes, period_start, period_end)
    return by_code(started["cin"], codelists.codes("CIN"))


def _sex_age_table(
    frame: pd.DataFrame,
    children: pd.DataFrame,
    *,
    age_column: str | None = None,
    date: DateLike | None = None,
) -> pd.DataFrame:
    kids = _with_children(frame, children, ["sex", "dob"])
    dates = kids[age_column] if age_column is not None else to_timestamp(date)
    sex = pd.to_numeric(kids["sex"], errors="coerce").map(SEX_LABELS)
    bands = age_band(age_on(kids["dob"], dates))
    sex_table = by_code(sex, list(SEX_LABELS.values())).assign(group="sex")
    age_table = by_code(bands, list(AGE_BANDS)).assign(group="age_band")
    out = pd.concat([sex_table, age_table], ignore_index=True)
    return out[["group", "code", "count", "percent"]]


def sex_and_age_at(episodes: pd.DataFrame, children: pd.DataFrame, date: DateLike) -> pd.DataFrame:
    """Children looked after at ``date`` by sex and by DfE age band (age on ``date``).

    DfE CLA "children looked after at 31 March by gender / age group".

    Returns
    -------
    pandas.DataFrame
        Tidy: columns ``group`` (``"sex"`` or ``"age_band"``), ``code`` ("Male", "Female"; the
        five age bands), ``count``, ``percent`` (of all children in the table, per group). Every
        sex and band is listed; "Not known" is added when a child has no sex or date of birth.
    """
    return _sex_age_table(cla_at(episodes, date), children, date=date)


def started_by_sex_age(
    episodes: pd.DataFrame, children: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Children who started to be looked after in the period, by sex and age on starting.

    DfE CLA "children starting to be looked after by gender / age on starting"; children as
    :func:`~analysis.cla.started_in_period`; age on the start date (DECOM). Same tidy shape as
    :func:`sex_and_age_at`.
    """
    return _sex_age_table(
        started_in_period(episodes, period_start, period_end), children, age_column="decom"
    )


def ceased_by_sex_age(
    episodes: pd.DataFrame, children: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Children who ceased to be looked after in the period, by sex and age on ceasing.

    DfE CLA "children ceasing to be looked after by gender / age on ceasing"; children as
    :func:`~analysis.cla.ceased_in_period`; age on the date ceased (DEC). Same tidy shape as
    :func:`sex_and_age_at`.
    """
    return _sex_age_table(
        ceased_in_period(episodes, period_start, period_end), children, age_column="dec"
    )


def cla_children_at(episodes: pd.DataFrame, children: pd.DataFrame, date: DateLike) -> pd.DataFrame:
    """Children looked after at ``date`` with their sex, date of birth and ethnicity.

    One row per child of :func:`~analysis.cla.cla_at`, with ``sex``, ``dob`` and ``ethnic`` from
    ``children`` (missing when the child is not in ``children``). For comparisons with the
    population (:mod:`analysis.population`); never published as it stands.

    Returns
    -------
    pandas.DataFrame
        Columns ``child_id``, ``sex``, ``dob``, ``ethnic``, sorted by ``child_id``.
    """
    cla = _with_children(cla_at(episodes, date), children, ["sex", "dob", "ethnic"])
    return cla[["child_id", "sex", "dob", "ethnic"]].reset_index(drop=True)
