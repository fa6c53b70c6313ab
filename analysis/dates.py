"""Date conventions shared by every metric (DESIGN section 5).

- An episode or plan is **open at date d** when it started on or before d and has no end date or
  ends after d (DfE CLA convention: a child whose care ends on 31 March is not looked after at
  31 March).
- **Working days** exclude Saturdays, Sundays and England and Wales bank holidays, taken from the
  maintained ``holidays`` package (subdivision ENG), never from a hand-typed list. "Within N
  working days of X" counts the working days after X up to and including the event date.
- **Within N months** means on or before the same day of the month N calendar months later; a date
  with no such day (31 Aug + 6 months) moves to that month's last day.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

DateLike = pd.Timestamp | dt.date | str


def to_timestamp(value: DateLike) -> pd.Timestamp:
    """Return ``value`` as a normalised :class:`pandas.Timestamp` (ISO strings accepted)."""
    return pd.Timestamp(value).normalize()


def add_months(date: DateLike, months: int) -> pd.Timestamp:
    """Return the same day of the month ``months`` calendar months after ``date``.

    A day that does not exist in the target month moves to that month's last day
    (31 Aug 2023 + 6 months = 29 Feb 2024).

    Parameters
    ----------
    date
        Start date.
    months
        Number of calendar months to add (may be negative).

    Returns
    -------
    pandas.Timestamp
        The date ``months`` months later.
    """
    return to_timestamp(date) + pd.DateOffset(months=months)


def add_months_series(dates: pd.Series, months: int) -> pd.Series:
    """Vectorised :func:`add_months`; NaT stays NaT."""
    return pd.to_datetime(dates) + pd.DateOffset(months=months)


def open_at(start: pd.Series, end: pd.Series, date: DateLike) -> pd.Series:
    """Flag intervals open at ``date``: started on or before it and not ended on or before it.

    Parameters
    ----------
    start, end
        Start and end dates; a missing end (NaT) means still open.
    date
        The reference date.

    Returns
    -------
    pandas.Series of bool
    """
    d = to_timestamp(date)
    return (start <= d) & (end.isna() | (end > d))


def overlaps_period(
    start: pd.Series, end: pd.Series, period_start: DateLike, period_end: DateLike
) -> pd.Series:
    """Flag intervals with at least one day inside ``[period_start, period_end]``."""
    ps, pe = to_timestamp(period_start), to_timestamp(period_end)
    return (start <= pe) & (end.isna() | (end >= ps))


def in_period(dates: pd.Series, period_start: DateLike, period_end: DateLike) -> pd.Series:
    """Flag dates inside the period, both ends inclusive; NaT is never inside."""
    return (dates >= to_timestamp(period_start)) & (dates <= to_timestamp(period_end))


def as_dates(values: pd.Series) -> pd.Series:
    """``values`` as datetimes, without a copy or a pass when they already are.

    ``pandas.to_datetime`` of a datetime column gives it back too, but only after converting
    its first 10,000 values to decide whether to cache (some milliseconds each call).
    """
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values
    return pd.to_datetime(values)


def age_at(dob: pd.Series, date: DateLike) -> pd.Series:
    """Age in whole years on ``date`` (a child is a year older on each birthday).

    A child born on 29 February is a year older on 1 March in non-leap years.
    """
    d = to_timestamp(date)
    dob = as_dates(dob)
    years = d.year - dob.dt.year
    before_birthday = (dob.dt.month > d.month) | ((dob.dt.month == d.month) & (dob.dt.day > d.day))
    return (years - before_birthday.astype(int)).astype("Int64")


@lru_cache(maxsize=64)
def _bank_holidays(first_year: int, last_year: int) -> np.ndarray:
    years = range(first_year, last_year + 1)
    days = holidays.country_holidays("GB", subdiv="ENG", years=years)
    return np.array(sorted(days.keys()), dtype="datetime64[D]")


def bank_holidays(first_year: int, last_year: int) -> list[dt.date]:
    """England and Wales bank holidays from ``first_year`` to ``last_year`` inclusive."""
    return [d.astype(dt.date) for d in _bank_holidays(first_year, last_year)]


def working_days_after(start: pd.Series, end: pd.Series) -> pd.Series:
    """Working days after ``start`` up to and including ``end``.

    A conference on the next working day after ``start`` is 1 working day; an event on ``start``
    itself is 0. Weekends and England and Wales bank holidays are not working days. Missing dates
    give ``<NA>``; an ``end`` before ``start`` gives a negative count.
    """
    start = pd.to_datetime(pd.Series(start)).reset_index(drop=True)
    end = pd.to_datetime(pd.Series(end)).reset_index(drop=True)
    result = pd.Series(pd.NA, index=start.index, dtype="Int64")
    ok = start.notna() & end.notna()
    if not ok.any():
        return result
    years = pd.concat([start[ok], end[ok]]).dt.year
    hol = _bank_holidays(int(years.min()) - 1, int(years.max()) + 1)
    s = start[ok].values.astype("datetime64[D]") + np.timedelta64(1, "D")
    e = end[ok].values.astype("datetime64[D]") + np.timedelta64(1, "D")
    result[ok] = np.busday_count(s, e, holidays=hol)
    return result


def add_working_days(date: DateLike, days: int) -> pd.Timestamp:
    """The date ``days`` working days after ``date`` (e.g. 20 for a first CLA review)."""
    d = np.datetime64(to_timestamp(date).date(), "D")
    hol = _bank_holidays(int(str(d)[:4]) - 1, int(str(d)[:4]) + 2)
    return pd.Timestamp(np.busday_offset(d, days, roll="backward", holidays=hol))


def month_ends(period_start: DateLike, period_end: DateLike) -> list[pd.Timestamp]:
    """Last day of each calendar month from ``period_start`` to ``period_end``."""
    return list(pd.date_range(to_timestamp(period_start), to_timestamp(period_end), freq="ME"))


def collection_year(date: DateLike) -> str:
    """DfE collection year label (``2023-24``) of the year 1 April to 31 March holding ``date``."""
    d = to_timestamp(date)
    first = d.year if d.month >= 4 else d.year - 1
    return f"{first}-{str(first + 1)[-2:]}"
