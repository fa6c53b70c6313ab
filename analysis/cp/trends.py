"""Child protection over time: plans and rate at year ends, plan length month by month.

Definitions as in :mod:`analysis.cp.plans` (DfE *Characteristics of children in need*, tables D1
and D5; the local 15+ and 24+ month bands of DESIGN section 5), applied at a series of dates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from analysis.cp.plans import (
    DURATION_BAND_CODES,
    DURATION_BAND_D5_COLUMNS,
    SEX_CODES,
    cp_count_at,
    plans_15_months_plus_at,
    plans_24_months_plus_at,
    plans_by_duration_at,
    reaching_15_months,
)
from analysis.dates import DateLike, month_ends, to_timestamp

__all__ = [
    "DURATION_MONTHLY_COLUMNS",
    "DURATION_MONTHLY_HEADERS",
    "cp_rate_at",
    "durations_monthly",
    "population_by_sex",
    "rate_comparison",
]

#: Columns of :func:`durations_monthly`, in order.
DURATION_MONTHLY_COLUMNS: tuple[str, ...] = (
    "month_end",
    "open_plans",
    *(DURATION_BAND_D5_COLUMNS[b] for b in DURATION_BAND_CODES),
    "months_15_plus",
    "months_24_plus",
    "reaching_15_months_next_3_months",
)

#: Reader's column headers of :func:`durations_monthly`: short, so the table fits a page. The
#: bands are DfE's D5 bands: up to and including 3 months; more than 3 to 6 months; more than 6
#: months to under 1 year; 1 year to under 2 years; 2 years or more.
DURATION_MONTHLY_HEADERS: dict[str, str] = {
    "month_end": "Month end",
    "open_plans": "On a plan",
    "3_months_or_less": "Up to 3 months",
    "more_than_3_months_6_months": "3 to 6 months",
    "more_than_6_months_less_than_1_year": "6 to 12 months",
    "1_year_less_than_2_years": "1 to 2 years",
    "2_years_or_more": "2 years or more",
    "months_15_plus": "15 months or more",
    "months_24_plus": "24 months or more",
    "reaching_15_months_next_3_months": "Reach 15 months in next 3 months",
}


def cp_rate_at(
    cp_plans: pd.DataFrame, populations: Mapping[DateLike, float | None]
) -> pd.DataFrame:
    """Children subject to a plan at each date and the rate per 10,000 children aged 0-17.

    Definition: DfE *Characteristics of children in need*, table D1 (children subject to a plan
    at 31 March, open-at rule, children not plans) over the 0-17 population DfE used for the
    year (DESIGN section 5, "Population for rates").

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table.
    populations
        ``{date: population}``; a missing (None or NaN) or zero population gives a NaN rate.

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (Timestamp), ``year_ending`` (int, calendar year of the date),
        ``count`` (int), ``rate_per_10k`` (float, unrounded); one row per date, in date order.
    """
    rows = []
    for date, pop in sorted(populations.items(), key=lambda kv: to_timestamp(kv[0])):
        d = to_timestamp(date)
        count = cp_count_at(cp_plans, d)
        usable = pop is not None and not (isinstance(pop, float) and math.isnan(pop)) and pop
        rows.append(
            {
                "date": d,
                "year_ending": d.year,
                "count": count,
                "rate_per_10k": count / float(pop) * 10_000 if usable else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=["date", "year_ending", "count", "rate_per_10k"])


def rate_comparison(ours: pd.DataFrame, published: pd.DataFrame, label: str) -> pd.DataFrame:
    """Plans and rate of this report beside DfE's published figures, one tidy table.

    Parameters
    ----------
    ours
        Output of :func:`cp_rate_at`.
    published
        Output of :func:`analysis.cp.published.cp_rate_published` (``year_ending``, ``area``,
        ``count``, ``rate_per_10k``).
    label
        Area label of this report's rows (e.g. "Middlesbrough (this report)").

    Returns
    -------
    pandas.DataFrame
        Columns ``area``, ``year_ending``, ``count``, ``rate_per_10k``; this report's rows first,
        then the published areas in their order; years ascending within an area. Published
        counts are whole numbers (``Int64``, NA when not published).
    """
    mine = ours.assign(area=label)[["area", "year_ending", "count", "rate_per_10k"]]
    theirs = published[["area", "year_ending", "count", "rate_per_10k"]]
    out = pd.concat([mine, theirs], ignore_index=True)
    out["count"] = pd.to_numeric(out["count"]).round().astype("Int64")
    out["rate_per_10k"] = pd.to_numeric(out["rate_per_10k"]).astype("float64")
    return out


def durations_monthly(
    cp_plans: pd.DataFrame, period_start: DateLike, period_end: DateLike, horizon_months: int = 3
) -> pd.DataFrame:
    """Open plans at each month end by length: D5 bands, 15+ and 24+ bands, and a look ahead.

    Definitions: DfE *Characteristics of children in need*, table D5 bands
    (:func:`~analysis.cp.plans.plans_by_duration_at`); the local 15+ and 24+ month bands
    (cumulative, :func:`~analysis.cp.plans.plans_15_months_plus_at`); children whose open plan will
    reach 15 months within the next ``horizon_months`` if still open
    (:func:`~analysis.cp.plans.reaching_15_months`). Boundary conventions: open-at rule at each
    month end, one plan per child, month rule for durations. The five band counts add up to
    ``open_plans``.

    Parameters
    ----------
    cp_plans
        Processed ``cp_plans`` table.
    period_start, period_end
        The period; every calendar month end in it is listed.
    horizon_months
        Look-ahead for the "reaching 15 months" count (default 3, the coming quarter).

    Returns
    -------
    pandas.DataFrame
        Columns ``DURATION_MONTHLY_COLUMNS``: ``month_end`` (Timestamp) and int counts.
    """
    rows = []
    for end in month_ends(period_start, period_end):
        bands = plans_by_duration_at(cp_plans, end).set_index("code")["count"]
        row: dict[str, object] = {"month_end": end, "open_plans": int(bands.sum())}
        for band in DURATION_BAND_CODES:
            row[DURATION_BAND_D5_COLUMNS[band]] = int(bands.get(band, 0))
        row["months_15_plus"] = plans_15_months_plus_at(cp_plans, end)
        row["months_24_plus"] = plans_24_months_plus_at(cp_plans, end)
        row["reaching_15_months_next_3_months"] = reaching_15_months(cp_plans, end, horizon_months)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(DURATION_MONTHLY_COLUMNS))


def population_by_sex(male: int | None, female: int | None) -> pd.DataFrame:
    """The 0-17 population by sex, as a code table beside the CP sex tables.

    Codes are the CIN census ``gendertype`` codes ("1" male, "2" female); the population
    estimates have no "0" or "9" category, so those rows are listed blank (NA) to line up with the
    CP tables. Percent of male + female.

    Parameters
    ----------
    male, female
        Population counts (ONS), None when not available.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``count`` (Int64, NA when not available), ``percent`` (float).
    """
    counts = {"1": male, "2": female}
    known = [v for v in counts.values() if v is not None]
    total = sum(known) if len(known) == 2 else None
    rows = []
    for code in SEX_CODES:
        value = counts.get(code)
        pct = value / total * 100 if total and value is not None else float("nan")
        rows.append({"code": code, "count": value, "percent": pct})
    out = pd.DataFrame(rows)
    out["count"] = pd.array(out["count"].tolist(), dtype="Int64")
    return out
