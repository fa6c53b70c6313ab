"""Deliberate edge cases, placed in every council's data after the simulation.

Most edge cases arise naturally (re-entries, UASC, short breaks, care ending on the 18th
birthday, plans spanning collection years, foster-carer adoptions); the ones below are forced so
that they exist whatever the seed:

- a period of care ending exactly on 31 March in every collection year;
- reviews moved onto Boxing Day and Easter Monday (bank holidays);
- a CP plan of a child with an earlier plan in the data but ``NumberOfPreviousCPP`` = 0;
- a girl in care who is a mother (Header MOTHER = 1 with MC_DOB).
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np

from analysis.synthetic.model import Child, CPPlan, Period
from analysis.synthetic.util import Date, WorkCalendar, age_on, birthday, chance

logger = logging.getLogger(__name__)
DAY = dt.timedelta(days=1)
# legal statuses limited to days (police protection, EPO, PACE: DfE validations 361, 364)
SHORT_STATUSES = ("L1", "L2", "J2")


def end_on_31_march(children: list[Child], years: list[int], rng: np.random.Generator) -> int:
    """Move the end of one period of care to 31 March in each collection year.

    A candidate ends (non-X1) between 15 March and 15 April other than by adoption, its last
    episode starts before 31 March and is not under a status limited to days (L1, L2, J2), the
    child is not 18 before 31 March and does not re-enter care before May. (A period ending on
    31 March counts as continuously looked after for DfE's rules, and such a child may not have
    AD1 adoption details: rule 187.)
    """
    moved = 0
    for year in years:
        march31 = dt.date(year + 1, 3, 31)
        lo, hi = march31 - dt.timedelta(days=16), march31 + dt.timedelta(days=15)
        candidates: list[tuple[Child, Period]] = []
        for child in children:
            for n, p in enumerate(child.periods):
                if p.pathway == "short_break" or p.end is None or not lo <= p.end <= hi:
                    continue
                if p.adoption is not None or p.episodes[-1].rec in ("E11", "E12"):
                    continue  # rule 187: an adoption in the year needs AD1, not for an OC2 child
                later = child.periods[n + 1 :]
                if (
                    p.episodes[-1].decom < march31
                    and p.episodes[-1].ls not in SHORT_STATUSES
                    and birthday(child.dob, 18) >= march31
                    and (not later or later[0].start > march31 + dt.timedelta(days=30))
                ):
                    candidates.append((child, p))
        if not candidates:
            logger.warning("no period of care can end on %s", march31)
            continue
        child, period = candidates[int(rng.integers(len(candidates)))]
        _set_end(period, march31, child.dob)
        moved += 1
    return moved


def _set_end(period: Period, end: Date, dob: Date) -> None:
    period.episodes[-1].dec = end
    if period.episodes[-1].rec == "E7" and age_on(dob, end) < 16:
        period.episodes[-1].rec = "E8"  # DfE validation 389: adult services only from 16
    if period.adoption is not None and period.adoption.order_date is not None:
        period.adoption.order_date = end
    period.reviews = [(d, c) for d, c in period.reviews if d < end]


def reviews_on_bank_holidays(
    children: list[Child], cal: WorkCalendar, first: Date, horizon: Date, rng: np.random.Generator
) -> int:
    """Move one review near each Boxing Day and Easter Monday onto the bank holiday."""
    targets = [
        d
        for d in cal.bank_holidays
        if first <= d <= horizon
        and ((d.month == 12 and d.day == 26) or cal.holiday_name(d) == "Easter Monday")
    ]
    near: dict[Date, list[tuple[Child, Period, int]]] = {d: [] for d in targets}
    for child in children:
        for p in child.periods:
            for i, (d, _code) in enumerate(p.reviews):
                for day in targets:
                    if abs((d - day).days) <= 10 and d != day:
                        near[day].append((child, p, i))
    moved = 0
    for day in targets:
        options = [
            (c, p, i)
            for c, p, i in near[day]
            if p.start < day - DAY
            and (p.end is None or p.end > day + DAY)
            and (i == 0 or p.reviews[i - 1][0] < day)
            and (i + 1 == len(p.reviews) or p.reviews[i + 1][0] > day)
        ]
        if not options:
            continue
        child, p, i = options[int(rng.integers(len(options)))]
        code = p.reviews[i][1]
        if age_on(child.dob, day) >= 4 and code == "PN0":
            code = "PN6"
        elif age_on(child.dob, day) < 4:
            code = "PN0"
        p.reviews[i] = (day, code)
        moved += 1
    return moved


def previous_plan_not_counted(
    children: list[Child], first: Date, horizon: Date, rng: np.random.Generator
) -> bool:
    """Set ``NumberOfPreviousCPP`` to 0 on a later plan of a child with an earlier plan.

    The earlier plan starts inside the collection years, so it is in the data.
    """
    options: list[CPPlan] = []
    for child in children:
        plans = sorted((pl for ref in child.referrals for pl in ref.plans), key=lambda x: x.start)
        if len(plans) > 1 and plans[0].start >= first:
            options.extend(pl for pl in plans[1:] if pl.start <= horizon)
    if not options:
        logger.warning("no child with two CP plans: NumberOfPreviousCPP edge case not placed")
        return False
    options[int(rng.integers(len(options)))].number_previous = 0
    return True


def young_mothers(children: list[Child], rng: np.random.Generator) -> int:
    """Some girls in care aged 15 or over have a baby (Header MOTHER = 1, MC_DOB)."""
    n = 0
    for child in children:
        if child.sex != 2 or not child.periods:
            continue
        for p in child.periods:
            b15 = birthday(child.dob, 15)
            start = max(p.start, b15)
            end = p.end or start + dt.timedelta(days=365)
            if start < end and chance(rng, 0.04):
                child.mother_child_dob = start + dt.timedelta(
                    days=int(rng.integers(0, (end - start).days))
                )
                n += 1
                break
    return n
