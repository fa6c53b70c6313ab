"""Small deterministic helpers: weighted picks, date arithmetic and working days.

Dates in the simulation are :class:`datetime.date`. The conventions match DESIGN section 5 and
:mod:`analysis.dates`: working days exclude weekends and England and Wales bank holidays (from the
``holidays`` package); "N months after" keeps the day of the month or moves to the month's last
day.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from itertools import accumulate

import holidays
import numpy as np

Date = dt.date


class Picker:
    """Weighted choice from a fixed set of codes, drawn with one uniform number.

    Parameters
    ----------
    weights
        Mapping of code to (relative) weight.
    """

    def __init__(self, weights: Mapping[str, float]) -> None:
        self.codes: list[str] = [str(k) for k in weights]
        self.cum: list[float] = list(accumulate(float(v) for v in weights.values()))
        if not self.codes or self.cum[-1] <= 0:
            raise ValueError("a Picker needs at least one positive weight")

    def pick(self, rng: np.random.Generator) -> str:
        """Return one code drawn with probability proportional to its weight."""
        i = bisect.bisect_right(self.cum, rng.random() * self.cum[-1])
        return self.codes[min(i, len(self.codes) - 1)]


def pick(rng: np.random.Generator, items: Sequence[str]) -> str:
    """Uniform choice of one item."""
    return items[int(rng.random() * len(items))]


def chance(rng: np.random.Generator, p: float) -> bool:
    """True with probability ``p``."""
    return bool(rng.random() < p)


def uniform_days(rng: np.random.Generator, low: int, high: int) -> dt.timedelta:
    """A whole number of days drawn uniformly from ``low`` to ``high`` inclusive."""
    return dt.timedelta(days=low + int(rng.random() * (high - low + 1)))


def random_date(rng: np.random.Generator, start: Date, end: Date) -> Date:
    """A date drawn uniformly from ``start`` to ``end`` inclusive."""
    return start + dt.timedelta(days=int(rng.random() * ((end - start).days + 1)))


def add_months(date: Date, months: int) -> Date:
    """Same day of the month ``months`` months later, or that month's last day."""
    month0 = date.month - 1 + months
    year, month = date.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def birthday(dob: Date, years: int) -> Date:
    """The date of the ``years``-th birthday (29 February babies: 1 March in common years)."""
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:
        return dt.date(dob.year + years, 3, 1)


def age_on(dob: Date, date: Date) -> int:
    """Age in whole years on ``date``."""
    years = date.year - dob.year
    if (date.month, date.day) < (dob.month, dob.day):
        years -= 1
    return years


def fmt_csv(date: Date | None) -> str:
    """``dd/mm/YYYY`` as in the SSDA903 CSVs; blank for no date."""
    return "" if date is None else f"{date.day:02d}/{date.month:02d}/{date.year:04d}"


def fmt_iso(date: Date | None) -> str:
    """``YYYY-MM-DD`` as in the CIN census XML; blank for no date."""
    return "" if date is None else date.isoformat()


def collection_years(first_year: int, last_year: int) -> list[tuple[str, Date, Date]]:
    """Collection years ``(label, 1 April, 31 March)`` from ``first_year`` to ``last_year``."""
    return [
        (f"{y}-{str(y + 1)[-2:]}", dt.date(y, 4, 1), dt.date(y + 1, 3, 31))
        for y in range(first_year, last_year + 1)
    ]


class WorkCalendar:
    """England and Wales working days between two years (bank holidays from ``holidays``).

    Parameters
    ----------
    first_year, last_year
        Calendar years the calendar must cover.
    """

    def __init__(self, first_year: int, last_year: int) -> None:
        days = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
        self.bank_holidays: list[Date] = sorted(days.keys())
        self._names = {d: str(days.get(d)) for d in self.bank_holidays}
        self._hol = np.array(self.bank_holidays, dtype="datetime64[D]")
        self._hol_set = set(self.bank_holidays)

    def holiday_name(self, date: Date) -> str | None:
        """Name of the bank holiday on ``date`` (``None`` on other days)."""
        return self._names.get(date)

    def is_working_day(self, date: Date) -> bool:
        """True on a weekday that is not a bank holiday."""
        return date.weekday() < 5 and date not in self._hol_set

    def add_working_days(self, date: Date, days: int) -> Date:
        """The date ``days`` working days after ``date`` (a non-working start rolls back)."""
        d = np.busday_offset(np.datetime64(date, "D"), days, roll="backward", holidays=self._hol)
        return d.astype(dt.date)

    def roll_forward(self, date: Date) -> Date:
        """``date`` if it is a working day, else the next working day."""
        while not self.is_working_day(date):
            date += dt.timedelta(days=1)
        return date

    def roll_backward(self, date: Date) -> Date:
        """``date`` if it is a working day, else the previous working day."""
        while not self.is_working_day(date):
            date -= dt.timedelta(days=1)
        return date

    def working_days_after(self, start: Date, end: Date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        one = np.timedelta64(1, "D")
        return int(
            np.busday_count(
                np.datetime64(start, "D") + one, np.datetime64(end, "D") + one, holidays=self._hol
            )
        )


def child_rng(seed: int, la_code: str, stream: int) -> np.random.Generator:
    """An independent generator for one LA and one stream (adding an LA changes no other LA)."""
    return np.random.default_rng([int(seed), int(la_code), int(stream)])


def years_after(date: Date, years: int) -> Date:
    """``date`` plus whole years as DfE's validation rules add them (pandas ``DateOffset``).

    29 February moves to 28 February in a common year (:func:`birthday` moves it to 1 March).
    """
    return add_months(date, 12 * years)
