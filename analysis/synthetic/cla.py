"""Simulate children looked after: periods of care, episodes, adoption, reviews and more.

Children enter care (alone or as sibling groups) from 18 years before the first collection year,
so that long-stayers and 2.5-year placement histories exist in every return. Each entrant follows
a care pathway chosen by age (``calibration.yml`` ``pathways``): adoption, special guardianship,
child arrangements order, a short stay back home, long-term care to 18, or remand. A pathway fixes
the legal timeline (initial status, interim care order, final hearing, placement order) and the
planned placement moves; unplanned moves come from a child-level instability rate. Legal and
placement timelines are merged into contiguous SSDA903 episodes with RNE S/L/P/T/B/U.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from analysis.synthetic.children import (
    SUPPORTED_ACCOMMODATION_REFORM,
    IdFactory,
    PlacementMaker,
    dob_for_age,
    new_child,
)
from analysis.synthetic.config import Calibration, LAProfile
from analysis.synthetic.model import Adoption, Child, Episode, Period, Placement
from analysis.synthetic.util import (
    Date,
    Picker,
    WorkCalendar,
    add_months,
    age_on,
    birthday,
    chance,
    pick,
    random_date,
    uniform_days,
)

DAY = dt.timedelta(days=1)
HOME_EXITS = {"E4A", "E4B", "E13", "E8"}
SIBLING_SIZES = Picker({"1": 76, "2": 15, "3": 6, "4": 3})
MEAN_FAMILY = 1.36
RD_CODES = Picker({"RD1": 20, "RD2": 15, "RD3": 35, "RD4": 30})
FIRST_PLACE = {
    "0": Picker({"U6": 58, "U3": 20, "R3": 9, "P1": 5, "U4": 3, "U5": 3}),
    "1-7": Picker({"U6": 50, "U3": 30, "P1": 6, "U4": 8, "Z1": 1}),
    "8-9": Picker({"U6": 50, "U3": 30, "P1": 6, "U4": 8, "K2": 2, "Z1": 1}),
    "10-15": Picker({"U6": 44, "U3": 18, "K2": 26, "U4": 5, "P1": 3, "Z1": 4}),
    "16-17": Picker({"U6": 36, "K2": 24, "H5": 20, "U3": 8, "Z1": 6, "P2": 2, "P1": 2}),
}
NEXT_PLACE = {
    "settled": Picker({"U4": 45, "U1": 18, "U6": 22, "U3": 5, "P1": 5}),
    "settled8": Picker({"U4": 45, "U1": 18, "U6": 22, "U3": 5, "K2": 5, "P1": 5}),
    "young": Picker({"U6": 52, "U3": 28, "U4": 10, "P1": 5, "U1": 5}),
    "young8": Picker({"U6": 52, "U3": 28, "U4": 10, "P1": 5, "U1": 5}),
    "10-15": Picker({"K2": 30, "U6": 25, "U4": 20, "U3": 8, "U1": 5, "P1": 5, "Z1": 6, "K1": 1}),
    "16-17": Picker({"H5": 28, "K2": 24, "U6": 18, "U4": 10, "Z1": 9, "P2": 4, "U3": 4, "P1": 3}),
}
LEGAL_START = {
    "home": Picker({"V2": 75, "C1": 20, "L1": 5}),
    "young": Picker({"C1": 62, "V2": 32, "L2": 4, "L1": 2}),
    "older": Picker({"V2": 55, "C1": 42, "L1": 3}),
}
REMAND_LS = Picker({"J2": 70, "J1": 15, "J3": 15})
REMAND_PLACE = Picker({"R5": 40, "K2": 30, "U6": 20, "K1": 10})
UASC_EARLY_REC = Picker({"E15": 40, "E16": 25, "E3": 35})
UASC_PLACE = {
    True: Picker({"H5": 45, "U6": 40, "K2": 15}),
    False: Picker({"U6": 45, "K2": 20}),  # H5 only from 16 (validation 371)
}
SAME_SEX_LS = Picker({"L12": 40, "L2": 40, "L4": 20})
SW_REASON = Picker(
    {
        "LEFTRL": 30,
        "ORGRST": 20,
        "MANAGE": 15,
        "TSPROC": 12,
        "ABSENC": 8,
        "CHCHAN": 8,
        "FCONTA": 4,
        "OTHERS": 3,
    }
)
# SGO to former foster carers -> to carers who were not foster carers (same relationship)
FORMER_FOSTER_SGO = {"E45": "E47", "E46": "E48"}
MISSING_NIGHTS = Picker({"0": 40, "1": 35, "2": 12, "3": 7, "4": 4, "6": 2})


@dataclass
class Anchor:
    """A planned placement change.

    Attributes
    ----------
    date
        When it happens.
    place
        New placement type ("" for a type chosen like an unplanned move).
    same_carer
        True for a change of placement type with the same carer (RNE T or U).
    freeze
        True when no unplanned move follows (adoptive placement, pre-order placement).
    conditional
        Only applies when the current placement type is in this set (empty: always).
    """

    date: Date
    place: str
    same_carer: bool = False
    freeze: bool = False
    conditional: tuple[str, ...] = ()


@dataclass
class PeriodPlan:
    """The skeleton of a period of care before placements are filled in."""

    pathway: str
    start: Date
    end: Date
    rec: str
    legal: list[tuple[Date, str]]
    anchors: list[Anchor]
    first_place: str | None = None
    adoption: Adoption | None = None


class CareSimulator:
    """Simulate every child looked after by one council.

    Parameters
    ----------
    rng
        The council's generator for this stream.
    profile, calib
        Council profile and calibration.
    cal
        Working-day calendar.
    ids
        The council's id factory (shared with the CP simulation).
    sim_start, first_return, horizon
        First possible entry date, first day of the first collection year and last day of the
        last one.
    """

    def __init__(
        self,
        rng: np.random.Generator,
        profile: LAProfile,
        calib: Calibration,
        cal: WorkCalendar,
        ids: IdFactory,
        sim_start: Date,
        first_return: Date,
        horizon: Date,
    ) -> None:
        self.rng, self.profile, self.calib, self.cal = rng, profile, calib, cal
        self.ids, self.sim_start, self.horizon = ids, sim_start, horizon
        self.first_return = first_return
        self.places = PlacementMaker(rng, profile, calib)
        self.children: list[Child] = []
        self.cin_picker = calib.picker(f"cin_need.{profile.cin_need}")
        self.pathways = {band: Picker(w) for band, w in calib.raw["pathways"].items()}
        self.n_groups = 0
        n_workers = max(8, round(profile.cla_target / 12))
        self.social_workers = [f"SW{int(rng.integers(10_000, 100_000))}" for _ in range(n_workers)]

    # ------------------------------------------------------------------ entry processes
    def run(self) -> list[Child]:
        """Simulate all entries to care up to the horizon and return the children.

        Entries are a Poisson process of families at ``starters_per_cla`` times the council's
        size. After a 12-year warm-up, each year's rate is nudged towards the calibrated number
        looked after (``(target / stock) ** 1.5``, within 0.7-1.4), as councils manage demand.
        """
        rate = self.calib.rates["starters_per_cla"] * self.profile.cla_target
        for year in range(self.sim_start.year, self.horizon.year + 1):
            mult = float(np.exp(self.rng.normal(0.0, 0.06)))
            if year >= self.sim_start.year + 12:
                stock = self.stock(dt.date(year, 1, 1))
                mult *= min(1.4, max(0.7, (self.profile.cla_target / max(stock, 1)) ** 1.5))
            n_events = int(self.rng.poisson(rate * mult / MEAN_FAMILY))
            days = sorted(int(d) for d in self.rng.integers(0, 365, size=n_events))
            for d in days:
                date = dt.date(year, 1, 1) + dt.timedelta(days=d)
                if self.sim_start <= date <= self.horizon:
                    self.family_entry(date)
            self.uasc_arrivals(year)
        self.short_breaks()
        return self.children

    def stock(self, date: Date) -> int:
        """Children looked after on ``date`` (short breaks excluded)."""
        n = 0
        for child in self.children:
            for p in child.periods:
                if (
                    p.start <= date
                    and (p.end is None or p.end > date)
                    and p.pathway != "short_break"
                ):
                    n += 1
                    break
        return n

    def family_entry(self, date: Date) -> None:
        """One entry event: a child or a sibling group entering care on the same day."""
        r = self.rng
        size = int(SIBLING_SIZES.pick(r))
        band = self.calib.picker("entry_age_band").pick(r)
        dobs = [dob_for_age(r, date, band)]
        for _ in range(size - 1):
            older = dobs[-1] - dt.timedelta(days=int(r.integers(330, 1300)))
            if age_on(older, date) >= 17:
                break
            dobs.append(older)
        pathway = self.pathways[band].pick(r)
        group = None
        if len(dobs) > 1:
            self.n_groups += 1
            group = f"{self.profile.code}-SG{self.n_groups:04d}"
        ethnic = None
        home = None
        shared: dict = {}
        for dob in dobs:
            sex = int(self.calib.picker("sex_entrant").pick(r))
            child = new_child(
                r, self.ids, self.profile, self.calib, dob, sex=sex, ethnic=ethnic, home_post=home
            )
            ethnic, home = child.ethnic, child.home_post
            child.sibling_group = group
            self.children.append(child)
            self.add_period(child, date, self.child_pathway(pathway, age_on(dob, date)), shared)

    def child_pathway(self, family_pathway: str, age: int) -> str:
        """Adjust the family's pathway to one child's age (older siblings are not adopted)."""
        if family_pathway == "adopt" and age >= 7:
            return "lt"
        if family_pathway in ("adopt", "sgo", "cao") and age >= 16:
            return "lt"
        return family_pathway

    def add_period(
        self,
        child: Child,
        start: Date,
        pathway: str,
        shared: dict | None = None,
        reentries: int = 0,
    ) -> Period | None:
        """Simulate one period of care from ``start`` and, sometimes, a later re-entry."""
        b18 = birthday(child.dob, 18)
        if start >= b18 - dt.timedelta(days=7):
            return None
        plan = self.plan_period(child, start, pathway, shared if shared is not None else {})
        period = self.build_period(child, plan)
        child.periods.append(period)
        self.maybe_reenter(child, period, reentries)
        return period

    def maybe_reenter(self, child: Child, period: Period, reentries: int) -> None:
        """Some children who went home come back into care (a second period of care)."""
        if reentries >= 2 or period.rec not in HOME_EXITS | {"E41"}:
            return
        p = 0.05 if period.rec == "E41" else 0.15
        if not chance(self.rng, p):
            return
        again = period.end + uniform_days(self.rng, 30, 900)
        if again > self.horizon or age_on(child.dob, again) >= 17:
            return
        band = _band(age_on(child.dob, again))
        pathway = self.child_pathway(self.pathways[band].pick(self.rng), age_on(child.dob, again))
        if pathway == "adopt":
            pathway = "sgo"
        self.add_period(child, again, pathway, {}, reentries + 1)

    def uasc_arrivals(self, year: int) -> None:
        """Unaccompanied asylum-seeking children: mostly 16-17-year-old boys, arriving from 2015."""
        if year < 2015:
            return
        r = self.rng
        mult = {2020: 0.6, 2021: 0.9, 2022: 1.3, 2023: 1.5, 2024: 1.3}.get(year, 0.5)
        for _ in range(int(r.poisson(12.0 * self.profile.scale * mult))):
            date = dt.date(year, 1, 1) + dt.timedelta(days=int(r.integers(0, 365)))
            if date > self.horizon or date < self.sim_start:
                continue
            age_days = int(r.integers(365 * 14 + 100, 365 * 17 + 280))
            if chance(r, 0.7):
                age_days = max(age_days, 365 * 16 + 1)
            dob = date - dt.timedelta(days=age_days)
            sex = 1 if chance(r, 0.93) else 2
            ethnic = self.calib.picker("uasc_ethnic").pick(r)
            child = new_child(r, self.ids, self.profile, self.calib, dob, sex=sex, ethnic=ethnic)
            child.uasc = True
            self.children.append(child)
            self.add_period(child, date, "uasc")

    def short_breaks(self) -> None:
        """Children looked after only under an agreed series of short breaks (LS V3/V4).

        DfE 903 guidance: V3 when each short break is recorded as its own episode, V4 when the
        agreement is recorded (one episode).
        """
        r = self.rng
        first = self.first_return - dt.timedelta(days=400)
        n_stays = max(2, round(3 * self.profile.scale))  # V3: individual stays
        n_agreements = max(1, round(2 * self.profile.scale))  # V4: one agreement
        for i in range(n_stays + n_agreements):
            start = random_date(r, first, max(first, self.horizon - dt.timedelta(days=200)))
            dob = dob_for_age(r, start, pick(r, ["5-9", "10-15", "10-15"]))
            child = new_child(r, self.ids, self.profile, self.calib, dob)
            self.children.append(child)
            if i < n_stays:
                self.v3_stays(child, start)
            else:
                self.v4_agreement(child, start)

    def v3_stays(self, child: Child, start: Date) -> None:
        """Individual short-break stays of 1-3 nights, each its own period of care (LS V3).

        Each stay is within DfE's 17 days (validation 365) and they add up to far less than 75
        days a year (367).
        """
        r = self.rng
        stop = min(
            start + dt.timedelta(days=int(r.integers(300, 1100))), birthday(child.dob, 18) - DAY
        )
        pl = self.places.make(pick(r, ["K2", "K2", "U6"]))
        day = start
        while day < stop:
            end = day + uniform_days(r, 1, 3)
            ep = Episode(
                decom=day,
                rne="S",
                ls="V3",
                cin="N2",
                placement=pl,
                home_post=child.home_post,
                dec=end,
                rec="E4A",
            )
            child.periods.append(Period(pathway="short_break", episodes=[ep]))
            day = end + uniform_days(r, 18, 45)

    def v4_agreement(self, child: Child, start: Date) -> None:
        """One agreement of short breaks recorded as a single period (LS V4)."""
        r = self.rng
        end = min(start + uniform_days(r, 250, 1000), birthday(child.dob, 18) - DAY)
        pl = self.places.make(pick(r, ["K2", "U6"]))
        ep = Episode(
            decom=start,
            rne="S",
            ls="V4",
            cin="N2",
            placement=pl,
            home_post=child.home_post,
            dec=end,
            rec="E8",
        )
        period = Period(pathway="short_break", episodes=[ep])
        due = add_months(start, 3)
        while due < end:
            d = self.cal.roll_backward(due - uniform_days(r, 0, 10))
            period.reviews.append((d, self.participation(child, d)))
            due = add_months(d, 6)
        child.periods.append(period)

    # ------------------------------------------------------------------ pathways
    def plan_period(self, child: Child, start: Date, pathway: str, shared: dict) -> PeriodPlan:
        """Legal timeline, end, reason ended and planned moves of one period of care."""
        age = age_on(child.dob, start)
        b18 = birthday(child.dob, 18)
        planner = {
            "adopt": self.plan_adopt,
            "sgo": self.plan_order,
            "cao": self.plan_order,
            "home": self.plan_home,
            "lt": self.plan_long_term,
            "remand": self.plan_remand,
            "uasc": self.plan_uasc,
        }[pathway]
        plan = planner(child, start, age, b18, pathway, shared)
        plan.end = min(plan.end, b18)
        if plan.end <= start:
            plan.end = start + DAY
        plan.rec = _rec_for_age(plan.rec, child.dob, plan.end)
        plan.legal = _clean_legal(plan.legal, start, plan.end)
        plan.anchors = [a for a in plan.anchors if start < a.date < plan.end]
        self.same_day_moves(plan)
        return plan

    def same_day_moves(self, plan: PeriodPlan) -> None:
        """Some legal changes come with a move on the same day (RNE B).

        An interim care order after police protection or an EPO moves the child 40% of the
        time; other changes 8%. Only before any planned final placement.
        """
        if plan.pathway in ("remand", "uasc"):
            return
        frozen = min((a.date for a in plan.anchors if a.freeze), default=dt.date.max)
        taken = {a.date for a in plan.anchors}
        for (_, before), (when, ls) in zip(plan.legal, plan.legal[1:], strict=False):
            p = 0.4 if before in ("L1", "L2") else 0.08
            if ls != "E1" and when < frozen and when not in taken and chance(self.rng, p):
                plan.anchors.append(Anchor(when, ""))

    def initial_legal(
        self, age: int, pathway: str, start: Date, shared: dict
    ) -> tuple[list[tuple[Date, str]], Date]:
        """Initial legal status and the date an interim care order starts (if any).

        Returns the legal timeline up to the interim care order and the final hearing date.
        """
        r = self.rng
        if "ls0" not in shared:
            young = age < 13 or pathway in ("adopt", "sgo", "cao")
            key = "home" if pathway == "home" else "young" if young else "older"
            shared["ls0"] = LEGAL_START[key].pick(r)
            shared["c1_delay"] = int(r.integers(20, 120))
            shared["fh_delay"] = int(r.integers(150, 360))
        ls0 = shared["ls0"]
        legal = [(start, ls0)]
        if ls0 == "C1":
            c1 = start
        elif ls0 in ("L1", "L2"):
            # police protection lasts at most 72 hours (validation 361), an EPO up to 8 days
            c1 = start + uniform_days(r, 1, 3 if ls0 == "L1" else 8)
        elif pathway in ("adopt", "sgo", "cao") or (pathway == "lt" and age < 13):
            c1 = start + dt.timedelta(days=shared["c1_delay"])
        else:
            return legal, dt.date.max
        legal.append((c1, "C1"))
        return legal, c1 + dt.timedelta(days=shared["fh_delay"])

    def plan_home(
        self, child: Child, start: Date, age: int, b18: Date, pathway: str, shared: dict
    ) -> PeriodPlan:
        """A short stay ending back home (E4A/E4B/E13/E8) or at 18."""
        r = self.rng
        legal, fh = self.initial_legal(age, pathway, start, shared)
        if legal[0][1] == "L1" and chance(r, 0.5):
            end = start + uniform_days(r, 1, 3)
        else:
            end = start + dt.timedelta(days=max(1, int(r.lognormal(math.log(100), 1.25))))
            end = min(end, start + dt.timedelta(days=1000))
        rec = self.calib.picker("rec_home").pick(r)
        if end >= b18:
            end, rec = b18, self.calib.picker("rec_at_18").pick(r)
        if fh < end:
            legal.append((fh, "C2"))
        anchors = []
        if fh < end and chance(r, 0.5):
            anchors.append(Anchor(end - uniform_days(r, 30, 150), "P1", freeze=True))
        return PeriodPlan(pathway, start, end, rec, legal, anchors)

    def plan_order(
        self, child: Child, start: Date, age: int, b18: Date, pathway: str, shared: dict
    ) -> PeriodPlan:
        """Leave care at the final hearing with an SGO (E45-E48) or a CAO (E41)."""
        r = self.rng
        legal, fh = self.initial_legal(age, pathway, start, shared)
        if "rec" not in shared:
            shared["rec"] = "E41" if pathway == "cao" else self.calib.picker("rec_sgo").pick(r)
        rec = shared["rec"]
        anchors: list[Anchor] = []
        first = None
        if rec in ("E45", "E47"):
            if chance(r, 0.5):
                first = "U3"
            else:
                anchors.append(Anchor(start + uniform_days(r, 10, 150), "U3", freeze=True))
        elif rec in ("E46", "E48"):
            anchors.append(
                Anchor(start + uniform_days(r, 30, 200), pick(r, ["U6", "U4"]), freeze=True)
            )
        elif chance(r, 0.55):
            anchors.append(Anchor(fh - uniform_days(r, 20, 120), "P1", freeze=True))
        return PeriodPlan(pathway, start, fh, rec, legal, anchors, first_place=first)

    def plan_long_term(
        self,
        child: Child,
        start: Date,
        age: int,
        b18: Date,
        pathway: str,
        shared: dict,
        legal: list[tuple[Date, str]] | None = None,
    ) -> PeriodPlan:
        """Long-term care: care order at the final hearing, leave at 18 or earlier."""
        r = self.rng
        if legal is None:
            legal, fh = self.initial_legal(age, pathway, start, shared)
            if fh != dt.date.max:
                legal.append((fh, "C2"))
        mean_years = 1.6 if age >= 16 else 15.0
        end = start + dt.timedelta(days=int(r.exponential(mean_years * 365.25)) + 1)
        if end < b18:
            rec = self.calib.picker("rec_early_long_term").pick(r)
            if rec == "E9" and age_on(child.dob, end) < 14:
                rec = "E8"
        else:
            end, rec = b18, self.calib.picker("rec_at_18").pick(r)
        anchors = []
        if chance(r, 0.6):
            anchors.append(
                Anchor(start + uniform_days(r, 60, 300), "U4", same_carer=True, conditional=("U6",))
            )
            anchors.append(
                Anchor(start + uniform_days(r, 60, 300), "U1", same_carer=True, conditional=("U3",))
            )
        if rec in ("E8", "E4A", "E4B", "E13", "E41") and end < b18 and chance(r, 0.4):
            anchors.append(Anchor(end - uniform_days(r, 60, 300), "P1", freeze=True))
        if chance(r, 0.3):
            anchors.append(
                Anchor(
                    birthday(child.dob, 16) + uniform_days(r, 150, 500),
                    "H5",
                    conditional=("K2", "U6", "U4", "Z1", "U3"),
                )
            )
        if rec in ("E45", "E46") and end > start + dt.timedelta(days=60):
            anchors.append(
                Anchor(end - uniform_days(r, 40, 400), "U3" if rec == "E45" else "U4", freeze=True)
            )
        return PeriodPlan(pathway, start, end, rec, legal, anchors)

    def plan_remand(
        self, child: Child, start: Date, age: int, b18: Date, pathway: str, shared: dict
    ) -> PeriodPlan:
        """Remanded to local authority accommodation or youth detention (J1-J3)."""
        r = self.rng
        ls = REMAND_LS.pick(r)
        end = start + uniform_days(r, 3, 90)
        if ls == "J2":  # PACE transfer: a few days at most (validation 364: 21 days)
            end = start + dt.timedelta(days=1 + (end - start).days % 7)
        rec = "E14" if chance(r, 0.65) else "E9"
        first = REMAND_PLACE.pick(r)
        return PeriodPlan(pathway, start, end, rec, [(start, ls)], [], first_place=first)

    def plan_uasc(
        self, child: Child, start: Date, age: int, b18: Date, pathway: str, shared: dict
    ) -> PeriodPlan:
        """UASC: section 20 until 18, sometimes an age dispute, a move abroad or a transfer."""
        r = self.rng
        end, rec = b18, self.calib.picker("rec_uasc_at_18").pick(r)
        if chance(r, 0.15):
            early = start + uniform_days(r, 20, 300)
            if early < b18:
                end, rec = early, UASC_EARLY_REC.pick(r)
        first = UASC_PLACE[age >= 16].pick(r)
        anchors = []
        if chance(r, 0.4):
            anchors.append(
                Anchor(
                    birthday(child.dob, 16) + uniform_days(r, 60, 400),
                    "H5",
                    conditional=("U6", "K2"),
                )
            )
        return PeriodPlan(pathway, start, end, rec, [(start, "V2")], anchors, first_place=first)

    def plan_adopt(
        self, child: Child, start: Date, age: int, b18: Date, pathway: str, shared: dict
    ) -> PeriodPlan:
        """Adoption: ADM decision, placement order, match, move-in, adoption order."""
        r = self.rng
        if "adoption" not in shared:
            shared["adoption"] = self.adoption_dates(start, age, shared)
        a = shared["adoption"]
        if a["variant"] == "consent":
            legal = [(start, "V2")]
        else:
            legal, _ = self.initial_legal(age, pathway, start, shared)
            legal.append((a["po"], "E1"))
        adoption = Adoption(
            adm_date=a["adm"],
            po_date=a.get("po"),
            match_date=a["match"],
            placed_date=a["placed"],
            foster_care=a["foster_care"],
        )
        self.adopters(adoption)
        anchors = list(a["anchors"])
        first = a["first"]
        if a["disrupted"] and not a["replaced"]:
            adoption.match_date = adoption.placed_date = None
            adoption.ceased_date, adoption.ceased_reason = a["ceased"], a["ceased_reason"]
            legal.append((a["ceased"], "C2"))
            rest = self.plan_long_term(child, start, age, b18, "lt", shared, legal=legal)
            if rest.end <= a["ceased"] + dt.timedelta(days=30):
                rest.end = a["ceased"] + uniform_days(r, 30, 400)
            rest.anchors = anchors + [x for x in rest.anchors if x.date > a["ceased"]]
            rest.first_place, rest.adoption, rest.pathway = first, adoption, "adopt"
            return rest
        adoption.order_date = a["order"]
        rec = a["rec"]
        return PeriodPlan(
            pathway, start, a["order"], rec, legal, anchors, first_place=first, adoption=adoption
        )

    def adoption_dates(self, start: Date, age: int, shared: dict) -> dict:
        """Dates shared by a sibling group placed for adoption together."""
        r = self.rng
        legal, fh = self.initial_legal(age, "adopt", start, shared)
        variant = "standard"
        if age == 0 and chance(r, 0.16):
            variant = "ep"
        elif age == 0 and chance(r, 0.06):
            variant = "consent"
        elif chance(r, 0.05):
            variant = "foster_carer"
        a: dict = {
            "variant": variant,
            "anchors": [],
            "first": None,
            "disrupted": False,
            "replaced": False,
            "rec": "E11" if chance(r, 0.62) else "E12",
        }
        if variant == "consent":
            a["adm"] = start + uniform_days(r, 20, 80)
            a["match"] = a["adm"] + uniform_days(r, 20, 120)
            a["placed"] = a["match"] + uniform_days(r, 5, 30)
            a["rec"] = "E11"
        else:
            a["po"] = po = max(fh, start + dt.timedelta(days=60))
            a["adm"] = max(start + uniform_days(r, 25, 45), po - uniform_days(r, 40, 160))
            if chance(r, 0.06):
                match = max(a["adm"] + uniform_days(r, 5, 20), po - uniform_days(r, 3, 30))
            else:
                match = po + dt.timedelta(days=int(r.gamma(2.2, 66.0)) + 5)
            a["match"] = match
            a["placed"] = max(match + uniform_days(r, 7, 35), po + uniform_days(r, 1, 10))
            if variant in ("ep", "foster_carer"):
                # placed for adoption with the current foster carers on the day of the order:
                # RNE U (DfE validation 217: A3/A5 start with RNE S, T or U)
                a["match"] = max(a["adm"] + uniform_days(r, 5, 10), po - uniform_days(r, 0, 14))
                a["placed"] = po
        a["foster_care"] = 1 if variant in ("ep", "foster_carer") else 0
        if variant == "ep":
            if chance(r, 0.85):
                a["first"] = "U2" if chance(r, 0.12) else "U5"
            else:
                a["anchors"].append(Anchor(start + uniform_days(r, 2, 40), "U5", freeze=True))
            a["anchors"].append(Anchor(a["placed"], "A5", same_carer=True, freeze=True))
        elif variant == "foster_carer":
            a["anchors"].append(Anchor(start + uniform_days(r, 10, 50), "U4", freeze=True))
            a["anchors"].append(Anchor(a["placed"], "A5", same_carer=True, freeze=True))
        elif variant == "consent":
            a["anchors"].append(Anchor(a["placed"], "A4", freeze=True))
        else:
            a["anchors"].append(Anchor(a["placed"], "A6", freeze=True))
        a["order"] = a["placed"] + uniform_days(r, 90, 320)
        if variant in ("standard", "consent") and chance(r, 0.045):
            self.disrupt(a)
        if (a["order"].month, a["order"].day) == (3, 31):
            # DfE validation 187: a period ending on 31 March counts as looked after continuously
            # for the year (OC2), which may not have AD1 adoption details; the order is a day
            # earlier (no random draw, so nothing else shifts)
            a["order"] -= DAY
        return a

    def disrupt(self, a: dict) -> None:
        """An adoptive placement ends without an adoption order (a disruption)."""
        r = self.rng
        a["disrupted"] = True
        dis = a["placed"] + uniform_days(r, 20, 250)
        a["anchors"].append(Anchor(dis, "U6", freeze=False))
        if chance(r, 0.5):
            a["replaced"] = True
            placed2 = dis + uniform_days(r, 120, 360)
            a["match"] = placed2 - uniform_days(r, 7, 30)
            a["placed"] = placed2
            a["anchors"].append(Anchor(placed2, "A6", freeze=True))
            a["order"] = placed2 + uniform_days(r, 90, 300)
        else:
            a["ceased"] = dis + uniform_days(r, 40, 200)
            a["ceased_reason"] = RD_CODES.pick(r)

    def adopters(self, adoption: Adoption) -> None:
        """Number, sex and legal status of the adopters (AD1)."""
        r = self.rng
        if chance(r, 0.15):
            adoption.nb_adoptr, adoption.ls_adoptr = 1, "L0"
            adoption.sex_adoptr = "F1" if chance(r, 0.85) else "M1"
        elif chance(r, 0.85):
            adoption.nb_adoptr, adoption.sex_adoptr = 2, "MF"
            adoption.ls_adoptr = "L11" if chance(r, 0.7) else "L3"
        else:
            adoption.nb_adoptr, adoption.sex_adoptr = 2, pick(r, ["MM", "FF"])
            adoption.ls_adoptr = SAME_SEX_LS.pick(r)

    # ------------------------------------------------------------------ placements and episodes
    def first_place(self, age: int, pathway: str) -> str:
        """Type of the first placement of a period."""
        band = (
            "0"
            if age == 0
            else "1-7"
            if age < 8
            else "8-9"
            if age < 10
            else "10-15"
            if age < 16
            else "16-17"
        )
        return FIRST_PLACE[band].pick(self.rng)

    def next_place(self, age: int, years_in_care: float, pathway: str) -> str:
        """Type of a placement after an unplanned move."""
        if age < 10:
            settled = years_in_care > 0.7 and pathway == "lt"
            key = ("settled" if settled else "young") + ("8" if age >= 8 else "")
        else:
            key = "10-15" if age < 16 else "16-17"
        return NEXT_PLACE[key].pick(self.rng)

    def move_rate(self, age: int, pathway: str) -> float:
        """Unplanned moves a year for this child (most are stable, some move a lot)."""
        r = self.rng
        p_high = 0.2 if age < 10 else 0.4 if age < 16 else 0.34
        if pathway in ("adopt", "sgo", "cao"):
            p_high /= 2
        if chance(r, p_high):
            return float(r.uniform(1.1, 2.8))
        return float(r.uniform(0.1, 0.34))

    def placements(self, child: Child, plan: PeriodPlan) -> list[tuple[Date, Placement, bool, str]]:
        """Placement timeline: ``(date, placement, same_carer, reason the previous one ended)``."""
        r = self.rng
        start, end = plan.start, plan.end
        age0 = age_on(child.dob, start)
        place = plan.first_place or self.first_place(age0, plan.pathway)
        timeline = [(start, self.places.make(place, start), False, "")]
        rate = self.move_rate(age0, plan.pathway)
        anchors = sorted(plan.anchors, key=lambda a: a.date)
        frozen = plan.pathway == "remand"
        t = start
        early = chance(r, 0.3) and plan.pathway not in ("remand",) and plan.first_place is None
        i = 0
        while True:
            if frozen:
                nxt_random = dt.date.max
            elif early:
                nxt_random = t + uniform_days(r, 3, 60)
                early = False
            else:
                nxt_random = t + dt.timedelta(days=int(r.exponential(365.25 / rate)) + 1)
            anchor = anchors[i] if i < len(anchors) else None
            if anchor is not None and anchor.date <= nxt_random:
                i += 1
                when = max(anchor.date, t + DAY)
                if when >= end:
                    break
                cur = timeline[-1][1]
                if anchor.conditional and cur.place not in anchor.conditional:
                    continue
                # the same carers only when the child is fostered (not placed with parents)
                same = anchor.same_carer and cur.place.startswith("U")
                if same:
                    new = Placement(
                        anchor.place, cur.provider, cur.pl_post, cur.urn, cur.location, cur.distance
                    )
                else:
                    yic = (when - start).days / 365.25
                    # placed for adoption with new carers, not the current foster carers
                    place = {"A5": "A6", "A3": "A4"}.get(anchor.place, anchor.place)
                    place = place or self.next_place(age_on(child.dob, when), yic, plan.pathway)
                    new = self.places.make(place, when)
                timeline.append((when, new, same, "PLACE"))
                frozen = anchor.freeze
                t = when
                continue
            if nxt_random >= end:
                break
            yic = (nxt_random - start).days / 365.25
            place = self.next_place(age_on(child.dob, nxt_random), yic, plan.pathway)
            reason = self.calib.picker("place_change_reason_unplanned").pick(r)
            timeline.append((nxt_random, self.places.make(place, nxt_random), False, reason))
            t = nxt_random
        return self.reform(timeline, end)

    def reform(
        self, timeline: list[tuple[Date, Placement, bool, str]], end: Date
    ) -> list[tuple[Date, Placement, bool, str]]:
        """Placements open on 28 October 2023 under the supported accommodation reform.

        An H5 placement continues with the same carer once its provider is Ofsted-registered (a
        new episode with a URN, RNE T); a P2 placement (independent living, no longer a placement
        type) ends and the young person moves to registered supported accommodation (H5, RNE P,
        reason CLOSE). DfE validations 222, 230 and 217t.
        """
        day = SUPPORTED_ACCOMMODATION_REFORM
        out = []
        for n, item in enumerate(timeline):
            out.append(item)
            start, pl = item[0], item[1]
            stop = timeline[n + 1][0] if n + 1 < len(timeline) else end
            if pl.place not in ("H5", "P2") or not start < day < stop:
                continue
            if pl.place == "H5":
                out.append((day, self.places.registered(pl), True, "PLACE"))
            else:
                out.append((day, self.places.make("H5", day), False, "CLOSE"))
        return out

    def build_period(self, child: Child, plan: PeriodPlan) -> Period:
        """Merge the legal and placement timelines of a plan into contiguous episodes."""
        timeline = self.placements(child, plan)
        if plan.pathway == "uasc":
            cin = self.profile.uasc_cin
        elif plan.pathway == "remand":
            cin = (
                pick(self.rng, ["N1", "N6", "N6"])
                if self.profile.cin_need != "middlesbrough"
                else "N1"
            )
        else:
            cin = self.cin_picker.pick(self.rng)
        legal_at = dict(plan.legal)
        place_at = {d: (pl, same, why) for d, pl, same, why in timeline}
        bounds = sorted(set(legal_at) | set(place_at))
        episodes: list[Episode] = []
        ls, pl = plan.legal[0][1], timeline[0][1]
        for n, b in enumerate(bounds):
            ls_changed = b in legal_at and n > 0
            pl_changed = b in place_at and n > 0
            same = place_at[b][1] if pl_changed else False
            if b in legal_at:
                ls = legal_at[b]
            if b in place_at:
                pl = place_at[b][0]
            rne = _rne(n == 0, ls_changed, pl_changed, same)
            if episodes:
                episodes[-1].dec, episodes[-1].rec = b, "X1"
                if pl_changed:
                    episodes[-1].reason_place_change = place_at[b][2]
            episodes.append(
                Episode(decom=b, rne=rne, ls=ls, cin=cin, placement=pl, home_post=child.home_post)
            )
        episodes[-1].dec, episodes[-1].rec = plan.end, plan.rec
        _not_with_parents_under_s20(episodes)
        if plan.rec in FORMER_FOSTER_SGO and not episodes[-1].placement.place.startswith("U"):
            # DfE validation 516: an SGO to former foster carers ends a foster placement
            episodes[-1].rec = FORMER_FOSTER_SGO[plan.rec]
        period = Period(pathway=plan.pathway, episodes=episodes, adoption=plan.adoption)
        if plan.adoption is not None and plan.adoption.order_date is not None:
            plan.adoption.order_date = plan.end
            # DfE validation 335: FOSTER_CARE 1 (adopted by the current foster carers) exactly
            # when the adoptive placement is with them (A3/A5); an early-permanence or foster-
            # carer plan whose child was moved on before the placement ends with new adopters (A6)
            plan.adoption.foster_care = int(episodes[-1].placement.place in ("A3", "A5"))
        return period

    # ------------------------------------------------------------------ events within care
    def participation(self, child: Child, date: Date) -> str:
        """REVIEW_CODE: PN0 for a child under 4 at the review, else the seed mix."""
        if age_on(child.dob, date) < 4:
            return "PN0"
        return self.calib.picker("review_participation_age4plus").pick(self.rng)

    def add_events(self, on_time: dict[int, float]) -> None:
        """Reviews, missing episodes, social workers and previous permanence for every period."""
        for child in self.children:
            for period in child.periods:
                if period.pathway == "short_break":
                    continue
                self.reviews(child, period, on_time)
                self.missing(child, period)
                self.social_worker(period)
                self.previous_permanence(child, period)

    def reviews(self, child: Child, period: Period, on_time: dict[int, float]) -> None:
        """Reviews on the regulation 33 cycle: 20 working days, 3 months, then 6-monthly."""
        r, cal = self.rng, self.cal
        start, end = period.start, period.end
        due = cal.add_working_days(start, 20)
        first, prev = True, start
        while True:
            p = on_time.get(due.year if due.month >= 4 else due.year - 1, 0.9)
            if chance(r, p):
                d = cal.roll_backward(due - uniform_days(r, 0, 14 if first else 20))
                d = max(d, prev + dt.timedelta(days=3))
            else:
                d = cal.roll_forward(due + uniform_days(r, 1, 45))
            if (end is not None and d >= end) or d > self.horizon:
                break
            period.reviews.append((d, self.participation(child, d)))
            due = add_months(d, 3 if first else 6)
            first, prev = False, d

    def missing(self, child: Child, period: Period) -> None:
        """Missing (M) and away without authorisation (A) episodes, mostly teenagers."""
        r = self.rng
        from_date = max(period.start, birthday(child.dob, 11))
        end = period.end or self.horizon
        if from_date >= end:
            return
        rate = float(r.uniform(1.5, 6.0)) if chance(r, 0.22) else 0.15
        t = back = from_date
        while True:
            t = max(t + dt.timedelta(days=int(r.exponential(365.25 / rate)) + 1), back)
            if t >= end or t > self.horizon:
                return
            back = t + dt.timedelta(days=int(MISSING_NIGHTS.pick(r)))
            kind = "M" if chance(r, 0.75) else "A"
            back = _missing_end(period, t, back, end)
            if back is not None:
                period.missing.append((kind, t, back))

    def social_worker(self, period: Period) -> None:
        """Allocated social workers over the period (SocialWorker table)."""
        r = self.rng
        t, end = period.start, period.end or dt.date.max
        while True:
            sw = pick(r, self.social_workers)
            stop = t + dt.timedelta(days=int(r.exponential(320)) + 20)
            if stop >= end:
                period.social_workers.append((sw, t, period.end, "OTHERS" if period.end else None))
                return
            reason = SW_REASON.pick(r)
            period.social_workers.append((sw, t, stop, reason))
            t = stop

    def previous_permanence(self, child: Child, period: Period) -> None:
        """PrevPerm row for the period's start: mostly Z1 (none or not known)."""
        r = self.rng
        code = self.calib.picker("prev_perm").pick(r)
        if code == "Z1" or (period.start - child.dob).days < 120:
            period.prev_perm = ("Z1", None, None)
            return
        la = (
            self.profile.code
            if chance(r, 0.7)
            else pick(r, ["805", "806", "807", "808", "841", "390", "391", "392", "935"])
        )
        when = random_date(
            r, child.dob + dt.timedelta(days=30), period.start - dt.timedelta(days=60)
        )
        period.prev_perm = (code, la, when)


def _missing_end(period: Period, start: Date, back: Date, end: Date) -> Date | None:
    """End of a missing episode consistent with DfE's validations 574-580.

    It ends before the period of care does (a child missing when care ends: 577, 580); one
    still open at a 31 March starts in the episode open on that day (575: an open missing
    episode may not start in an episode that has ended), else it ends on the 31 March.
    None when no such end exists.
    """
    if period.end is not None and back >= period.end:
        back = period.end - DAY
    back = min(back, end)
    march31 = dt.date(start.year if start.month <= 3 else start.year + 1, 3, 31)
    if back > march31:
        for ep in period.episodes:
            if ep.decom <= start and ep.dec is not None and start <= ep.dec <= march31:
                back = march31
                break
    return back if back >= start else None


def _rec_for_age(rec: str, dob: Date, end: Date) -> str:
    """Transfer to adult social care (E7) only from 16 (DfE validation 389), else E8."""
    return "E8" if rec == "E7" and age_on(dob, end) < 16 else rec


def _not_with_parents_under_s20(episodes: list[Episode]) -> None:
    """A placement with parents (P1) is never under section 20 alone (DfE validation 378).

    A P1 placement that overlaps an episode with LS V2 becomes a foster placement (U6).
    """
    for ep in episodes:
        pl = ep.placement
        if pl.place == "P1" and ep.ls == "V2":
            pl.place, pl.provider, pl.urn = "U6", "PR1", "XXXXXXX"


def _band(age: int) -> str:
    """Age band label of ``calibration.yml``."""
    if age == 0:
        return "0"
    if age < 5:
        return "1-4"
    if age < 10:
        return "5-9"
    if age < 16:
        return "10-15"
    return "16-17"


def _rne(first: bool, ls_changed: bool, pl_changed: bool, same_carer: bool) -> str:
    """Reason for new episode from what changed on its start date (DfE 903 RNE codes).

    L legal status only; P placement and carer(s) only; T placement only (same carer(s));
    B legal status and placement and carer(s); U legal status and placement (same carer(s)).
    """
    if first:
        return "S"
    if ls_changed and pl_changed:
        return "U" if same_carer else "B"
    if ls_changed:
        return "L"
    return "T" if same_carer else "P"


def _clean_legal(legal: list[tuple[Date, str]], start: Date, end: Date) -> list[tuple[Date, str]]:
    """Legal changes inside the period, in date order, one per date, no repeated status."""
    by_date: dict[Date, str] = {}
    for d, ls in sorted(legal, key=lambda x: x[0]):
        d = max(d, start)
        if d == start or d < end:
            by_date[d] = ls
    out: list[tuple[Date, str]] = []
    for d in sorted(by_date):
        if not out or out[-1][1] != by_date[d]:
            out.append((d, by_date[d]))
    return out
