"""Local extracts with no national format: IRO service extracts and the RAA extracts.

IRO extracts (per council): monthly caseload per IRO, Issue Resolution Process challenges (IRPs),
IRO concerns and the IRO "footprint" (midway reviews and visits). Every child named in them is
looked after or on a CP plan (or has an open section 47, for plan type ``none``) on that date.

RAA extracts (agency-wide): referrals of children with a potential adoption plan (sibling groups
share a ``sibling_group_id``) and prospective adopter households moving through enquiry,
registration, stage 1, stage 2 and approval, or withdrawing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from analysis.synthetic.config import Calibration, LAProfile
from analysis.synthetic.model import Child
from analysis.synthetic.util import (
    Date,
    Picker,
    WorkCalendar,
    add_months,
    chance,
    fmt_csv,
    pick,
    uniform_days,
)

IRO_COLUMNS = {
    "caseload": ["month", "iro_id", "fte", "open_cla", "open_cp"],
    "irp": [
        "irp_id",
        "child_id",
        "raised_date",
        "plan_type",
        "reason",
        "resolved_date",
        "resolution_level",
    ],
    "concerns": ["child_id", "raised_date", "plan_type"],
    "footprint": ["child_id", "date", "activity"],
}
RAA_COLUMNS = {
    "referrals": ["child_id", "la_code", "referral_date", "sibling_group_id"],
    "adopters": [
        "household_id",
        "enquiry_date",
        "registration_date",
        "stage1_start",
        "stage2_start",
        "approval_date",
        "withdrawn_date",
    ],
}
Row = dict[str, str]


@dataclass
class MonthLists:
    """Children open for a whole month, by kind of plan; dual: ``(child, first, last)`` days."""

    cla: list[str]
    cp: list[str]
    dual: list[tuple[str, Date, Date]]
    s47: list[str]


def _intervals(children: list[Child]) -> tuple[list, list, list]:
    """CLA periods, CP plans and pending section 47s as ``(child, start, end)``."""
    cla, cp, s47 = [], [], []
    for c in children:
        for p in c.periods:
            if p.pathway != "short_break":
                cla.append((c, p.start, p.end))
        for ref in c.referrals:
            for plan in ref.plans:
                cp.append((c, plan.start, plan.end))
            for s in ref.s47s:
                s47.append((c, s.start, s.icpc or s.start + dt.timedelta(days=30)))
    return cla, cp, s47


def _open_at(intervals: list, date: Date) -> dict[str, Child]:
    return {c.child_id: c for c, s, e in intervals if s <= date and (e is None or e > date)}


def _open_all(intervals: list, first: Date, last: Date) -> set[str]:
    return {c.child_id for c, s, e in intervals if s <= first and (e is None or e > last)}


class IROExtracts:
    """IRO service extracts of one council.

    Parameters
    ----------
    rng
        The council's generator for the IRO stream.
    profile, calib, cal
        Council profile, calibration and working-day calendar.
    children
        All the council's children (looked after and CP).
    first_year, horizon
        First collection year and the last date of the last one.
    """

    def __init__(
        self,
        rng: np.random.Generator,
        profile: LAProfile,
        calib: Calibration,
        cal: WorkCalendar,
        children: list[Child],
        first_year: int,
        horizon: Date,
    ) -> None:
        self.rng, self.profile, self.calib, self.cal = rng, profile, calib, cal
        self.children, self.horizon = children, horizon
        self.first = dt.date(first_year, 4, 1)
        self.roster = self._roster()
        self.cla, self.cp, self.s47 = _intervals(children)

    def _roster(self) -> list[tuple[str, float]]:
        target = self.calib.rates["fte_per_cla"] * self.profile.cla_target
        roster: list[tuple[str, float]] = []
        fte = Picker({"1.0": 86, "0.8": 8, "0.6": 4, "0.5": 2})
        while sum(f for _, f in roster) < target - 0.25:
            roster.append((f"IRO{len(roster) + 1:02d}", float(fte.pick(self.rng))))
        return roster

    def assign(self) -> None:
        """Give every looked-after or CP child an IRO for good (weighted by FTE)."""
        weights = Picker({iro: f for iro, f in self.roster})
        for child in self.children:
            if child.periods or any(ref.plans for ref in child.referrals):
                child.iro_id = weights.pick(self.rng)

    def months(self) -> list[Date]:
        """First day of each month from April of the first year to the horizon."""
        out, m = [], self.first
        while m <= self.horizon:
            out.append(m)
            m = add_months(m, 1)
        return out

    def caseload(self) -> list[Row]:
        """One row per IRO per month: children looked after and on CP plans at month end."""
        rows = []
        for m in self.months():
            end = add_months(m, 1) - dt.timedelta(days=1)
            cla, cp = _open_at(self.cla, end), _open_at(self.cp, end)
            for iro, fte in self.roster:
                rows.append(
                    {
                        "month": m.strftime("%Y-%m"),
                        "iro_id": iro,
                        "fte": f"{fte:.1f}",
                        "open_cla": str(sum(c.iro_id == iro for c in cla.values())),
                        "open_cp": str(sum(c.iro_id == iro for c in cp.values())),
                    }
                )
        return rows

    def month_lists(self, m: Date) -> MonthLists:
        """Children open for the whole month ``m``, sorted for determinism."""
        end = add_months(m, 1) - dt.timedelta(days=1)
        cla, cp = _open_all(self.cla, m, end), _open_all(self.cp, m, end)
        pending = {c.child_id for c, s, e in self.s47 if m <= s <= end} - cla - cp
        return MonthLists(sorted(cla - cp), sorted(cp - cla), self._dual(m, end), sorted(pending))

    def _dual(self, first: Date, last: Date) -> list[tuple[str, Date, Date]]:
        """Children looked after and on a CP plan on the same working days of the month."""
        last = min(last, self.horizon)
        cla = {}
        for c, s, e in self.cla:
            if s <= last and (e is None or e > first):
                cla.setdefault(c.child_id, []).append((s, e))
        out = []
        for c, s, e in self.cp:
            for s2, e2 in cla.get(c.child_id, []):
                lo = max(s, s2, first)
                hi = min(
                    d - dt.timedelta(days=1)
                    for d in (e, e2, last + dt.timedelta(days=1))
                    if d is not None
                )
                lo, hi = self.cal.roll_forward(lo), self.cal.roll_backward(hi)
                if lo <= hi:
                    out.append((c.child_id, lo, hi))
        return sorted(set(out))

    def _pick(self, lists: MonthLists, plan_type: str, m: Date) -> tuple[str, str, Date] | None:
        """A child of ``plan_type`` (or looked after, when there is none) and a working day."""
        if plan_type == "dual" and lists.dual:
            cid, lo, hi = lists.dual[int(self.rng.random() * len(lists.dual))]
            day = self.cal.roll_backward(lo + uniform_days(self.rng, 0, (hi - lo).days))
            return cid, "dual", max(day, lo)
        options = {"CLA": lists.cla, "CP": lists.cp, "none": lists.s47, "dual": []}
        day = self._day(m)
        if day is None:
            return None
        for kind in (plan_type, "CLA"):
            if options[kind]:
                return pick(self.rng, options[kind]), kind, day
        return None

    def _day(self, m: Date) -> Date | None:
        end = min(add_months(m, 1) - dt.timedelta(days=1), self.horizon)
        day = self.cal.roll_forward(m + uniform_days(self.rng, 0, (end - m).days))
        return day if day <= end else None

    def activity(self) -> dict[str, list[Row]]:
        """IRPs, IRO concerns and footprint rows, month by month."""
        r, rates, scale = self.rng, self.calib.rates, self.profile.cla_target
        irp_type, concern_type = (
            self.calib.picker("irp_plan_type"),
            self.calib.picker("concern_plan_type"),
        )
        reasons, level = (
            self.calib.picker("irp_reason"),
            Picker({"1": 60, "2": 25, "3": 10, "4": 5}),
        )
        out: dict[str, list[Row]] = {"irp": [], "concerns": [], "footprint": []}
        for m in self.months():
            lists = self.month_lists(m)
            for _ in range(int(r.poisson(rates["irp_per_cla"] * scale / 12))):
                chosen = self._pick(lists, irp_type.pick(r), m)
                if chosen is None:
                    continue
                day = chosen[2]
                resolved = self.cal.roll_forward(
                    day + dt.timedelta(days=int(r.lognormal(np.log(15), 0.8)) + 1)
                )
                done = resolved <= self.horizon and not chance(r, 0.03)
                out["irp"].append(
                    {
                        "irp_id": "",
                        "child_id": chosen[0],
                        "raised_date": fmt_csv(day),
                        "plan_type": chosen[1],
                        "reason": reasons.pick(r),
                        "resolved_date": fmt_csv(resolved) if done else "",
                        "resolution_level": level.pick(r) if done else "",
                    }
                )
            for _ in range(int(r.poisson(rates["concerns_per_cla"] * scale / 12))):
                chosen = self._pick(lists, concern_type.pick(r), m)
                if chosen is not None:
                    out["concerns"].append(
                        {
                            "child_id": chosen[0],
                            "raised_date": fmt_csv(chosen[2]),
                            "plan_type": chosen[1],
                        }
                    )
            for _ in range(int(r.poisson(rates["footprint_per_cla"] * scale / 12))):
                day = self._day(m)
                if day is not None and lists.cla:
                    out["footprint"].append(
                        {
                            "child_id": pick(r, lists.cla),
                            "date": fmt_csv(day),
                            "activity": "midway_review" if chance(r, 0.6) else "visit",
                        }
                    )
        for n, row in enumerate(out["irp"], start=1):
            row["irp_id"] = f"IRP{self.profile.code}{n:05d}"
        return out


def raa_referrals(
    rng: np.random.Generator, children_by_la: dict[str, list[Child]], first: Date, horizon: Date
) -> list[Row]:
    """Children referred to the agency with a potential adoption plan, across all councils."""
    rows = []
    for la, children in children_by_la.items():
        for child in children:
            for p in child.periods:
                if p.pathway == "short_break":
                    continue
                if p.adoption is not None:
                    latest = p.adoption.adm_date - dt.timedelta(days=7)
                    day = min(p.start + uniform_days(rng, 30, 150), latest)
                    day = max(day, p.start + dt.timedelta(days=3))
                elif (
                    (p.start - child.dob).days < 5 * 365
                    and p.pathway in ("sgo", "lt", "cao")
                    and chance(rng, 0.45)
                ):
                    day = p.start + uniform_days(rng, 40, 200)
                    if p.end is not None and day >= p.end:
                        continue
                else:
                    continue
                if first <= day <= horizon:
                    child.raa_referral = day
                    rows.append(
                        {
                            "child_id": child.child_id,
                            "la_code": la,
                            "referral_date": day,
                            "sibling_group_id": child.sibling_group,
                        }
                    )
    groups: dict[str, int] = {}
    for row in rows:
        if row["sibling_group_id"]:
            groups[row["sibling_group_id"]] = groups.get(row["sibling_group_id"], 0) + 1
    out = []
    for row in sorted(rows, key=lambda x: (x["referral_date"], x["la_code"], x["child_id"])):
        group = row["sibling_group_id"]
        out.append(
            {
                **row,
                "referral_date": fmt_csv(row["referral_date"]),
                "sibling_group_id": group if group and groups[group] > 1 else "",
            }
        )
    return out


def raa_adopters(rng: np.random.Generator, scale: float, first: Date, horizon: Date) -> list[Row]:
    """Prospective adopter households from enquiry to approval or withdrawal."""
    rows = []
    month = dt.date(first.year - 1, 4, 1)
    n = 0
    while month <= horizon:
        for _ in range(int(rng.poisson(25 * scale))):
            n += 1
            enquiry = month + uniform_days(rng, 0, 27)
            if enquiry > horizon:
                continue
            dates: dict[str, Date | None] = dict.fromkeys(RAA_COLUMNS["adopters"][1:])
            dates["enquiry_date"] = enquiry
            if chance(rng, 0.24):
                _progress(rng, dates, enquiry)
            row = {"household_id": f"ATV{n:05d}"}
            for key, value in dates.items():
                row[key] = fmt_csv(value) if value is not None and value <= horizon else ""
            rows.append(row)
        month = add_months(month, 1)
    return rows


def _progress(rng: np.random.Generator, dates: dict[str, Date | None], enquiry: Date) -> None:
    """Registration, stage 1, stage 2, approval, or withdrawal along the way."""
    reg = enquiry + uniform_days(rng, 7, 90)
    dates["registration_date"] = reg
    s1 = reg + uniform_days(rng, 0, 14)
    dates["stage1_start"] = s1
    if chance(rng, 0.12):
        dates["withdrawn_date"] = s1 + uniform_days(rng, 10, 60)
        return
    s2 = s1 + uniform_days(rng, 45, 80) + uniform_days(rng, 0, 40)
    if chance(rng, 0.08):
        dates["withdrawn_date"] = s2 - uniform_days(rng, 1, 20)
        return
    dates["stage2_start"] = s2
    if chance(rng, 0.1):
        dates["withdrawn_date"] = s2 + uniform_days(rng, 20, 100)
        return
    dates["approval_date"] = s2 + uniform_days(rng, 100, 150)
