"""Simulate child in need referrals, section 47 enquiries, ICPCs and child protection plans.

Three sources of CP activity, all on the same children and identifiers as the 903:

- children who later become looked after: a referral, section 47 and ICPC before they enter care,
  with the plan ending when they become looked after (some a few weeks later, so a few children
  are on a CP plan and looked after at once: "dual" plans);
- families (sibling groups share dates) who never enter care: ICPC, a plan that ends at a review
  conference, step-down to a CIN plan, closure, and sometimes a re-referral and a second plan;
- section 47 enquiries that need no ICPC, ICPCs that lead to a CIN plan or no further action, and
  referrals closed with no further action.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from analysis.synthetic.children import IdFactory, dob_for_age, new_child
from analysis.synthetic.config import Calibration, LAProfile
from analysis.synthetic.model import Child, CPPlan, Referral, Section47
from analysis.synthetic.util import (
    Date,
    Picker,
    WorkCalendar,
    add_months,
    age_on,
    chance,
    uniform_days,
)

CP_AGE_BAND = Picker({"0": 14, "1-4": 30, "5-9": 28, "10-15": 25, "16-17": 3})
FAMILY_SIZE = Picker({"1": 44, "2": 28, "3": 15, "4": 8, "5": 5})
MEAN_FAMILY = 2.02
PLAN_ENDS_AT_REVIEW = Picker({"1": 9, "2": 40, "3": 33, "4": 12, "5": 4, "6": 2})
CLOSURE_FROM_REC = {
    "E11": "RC1",
    "E12": "RC1",
    "E41": "RC3",
    "E45": "RC4",
    "E46": "RC4",
    "E47": "RC4",
    "E48": "RC4",
    "E2": "RC2",
    "E3": "RC5",
    "E7": "RC6",
}
ICPC_OUTCOME = Picker({"plan": 90, "cin": 7.5, "nfa": 2.5})
PRIOR_PLANS = Picker({"0": 88, "1": 9, "2": 3})
LINK_PROBABILITY = {"0": 0.34, "1-4": 0.45, "5-9": 0.45, "10-15": 0.32, "16-17": 0.08}
YEAR_END_WORKING_DAYS = 13  # 8675Q: enquiries from 15 working days (pandas count) before 31 March


class CPSimulator:
    """Child protection activity of one council.

    Parameters
    ----------
    rng
        The council's generator for the CP stream.
    profile, calib
        Council profile and calibration.
    cal
        Working-day calendar.
    ids
        The council's id factory (shared with the CLA simulation, so ids never clash).
    cp_start, horizon
        First referral date simulated and the last date of the last collection year.
    """

    def __init__(
        self,
        rng: np.random.Generator,
        profile: LAProfile,
        calib: Calibration,
        cal: WorkCalendar,
        ids: IdFactory,
        cp_start: Date,
        horizon: Date,
    ) -> None:
        self.rng, self.profile, self.calib, self.cal = rng, profile, calib, cal
        self.ids, self.cp_start, self.horizon = ids, cp_start, horizon
        self.categories = calib.picker("category_of_abuse")
        self.sources = calib.picker("referral_source")
        self.needs = calib.picker("cp_need")
        self.children: list[Child] = []
        self.icpc_on_time: dict[int, float] = {}
        self.review_on_time: dict[int, float] = {}

    # ------------------------------------------------------------------ timeliness by year
    def _year(self, date: Date) -> int:
        return date.year if date.month >= 4 else date.year - 1

    def icpc_date(self, s47: Date) -> Date:
        """ICPC date: within 15 working days at a yearly rate of about 58-76%."""
        y = self._year(s47)
        if y not in self.icpc_on_time:
            self.icpc_on_time[y] = float(self.rng.uniform(0.58, 0.76))
        if chance(self.rng, self.icpc_on_time[y]):
            days = int(self.rng.integers(6, 16))
        else:
            days = int(self.rng.integers(16, 41))
        icpc = self.cal.add_working_days(s47, days)
        year_end = dt.date(y + 1, 3, 31)
        if icpc > year_end and s47 < self.cal.add_working_days(year_end, -YEAR_END_WORKING_DAYS):
            # A late conference is brought forward to the year's last working day (still late
            # unless the enquiry began in the last 16 working days): an enquiry started over 15
            # working days before 31 March has its ICPC by then (CIN census query 8675Q).
            icpc = self.cal.roll_backward(year_end)
        return icpc

    def review_dates(self, icpc: Date, until: Date | None, n_max: int | None) -> list[Date]:
        """Review conferences: within 3 months of the ICPC, then 6-monthly.

        Stops before ``until`` (a fixed plan end) or after ``n_max`` reviews.
        """
        r, cal = self.rng, self.cal
        out: list[Date] = []
        due = add_months(icpc, 3)
        while True:
            y = self._year(due)
            if y not in self.review_on_time:
                self.review_on_time[y] = float(r.uniform(0.72, 0.85))
            if chance(r, self.review_on_time[y]):
                d = cal.roll_backward(due - uniform_days(r, 0, 12))
            else:
                d = cal.roll_forward(due + uniform_days(r, 1, 35))
            if (until is not None and d >= until) or d > self.horizon + dt.timedelta(days=800):
                return out
            out.append(d)
            if n_max is not None and len(out) >= n_max:
                return out
            due = add_months(d, 6)

    def new_plan(self, icpc: Date, number_previous: int, fixed_end: Date | None) -> CPPlan:
        """A plan starting at the ICPC: it ends at a review conference or at ``fixed_end``."""
        cat = self.categories.pick(self.rng)
        latest = self.categories.pick(self.rng) if chance(self.rng, 0.08) else cat
        if fixed_end is not None:
            reviews = self.review_dates(icpc, fixed_end, None)
            return CPPlan(icpc, fixed_end, cat, latest, number_previous, reviews)
        k = int(PLAN_ENDS_AT_REVIEW.pick(self.rng))
        reviews = self.review_dates(icpc, None, k)
        return CPPlan(icpc, reviews[-1], cat, latest, number_previous, reviews)

    # ------------------------------------------------------------------ sources of activity
    def link_looked_after(self, looked_after: list[Child]) -> None:
        """CP history before care for some children who become looked after."""
        r = self.rng
        for child in looked_after:
            if (
                child.uasc
                or not child.periods
                or child.periods[0].pathway in ("short_break", "remand")
            ):
                continue
            start = child.periods[0].start
            age = age_on(child.dob, start)
            band = (
                "0"
                if age == 0
                else "1-4"
                if age < 5
                else "5-9"
                if age < 10
                else "10-15"
                if age < 16
                else "16-17"
            )
            if start < self.cp_start + dt.timedelta(days=120) or not chance(
                r, LINK_PROBABILITY[band]
            ):
                continue
            referral_date = start - uniform_days(r, 60, 480)
            referral_date = max(referral_date, child.dob + dt.timedelta(days=3))
            s47 = self.cal.roll_forward(referral_date + uniform_days(r, 0, 10))
            icpc = self.icpc_date(s47)
            if icpc >= start - dt.timedelta(days=5):
                continue
            end = start if chance(r, 0.65) else start + uniform_days(r, 10, 90)
            if child.periods[0].end is not None:
                end = min(end, child.periods[0].end)
            n_prev = 1 if chance(r, 0.12) else 0
            referral = self.referral(referral_date)
            referral.s47s.append(Section47(s47, self.cal.add_working_days(s47, 15), icpc, False))
            referral.plans.append(self.new_plan(icpc, n_prev, end))
            period = child.periods[0]
            if period.end is not None:
                referral.closure = period.end
                referral.closure_reason = CLOSURE_FROM_REC.get(period.rec or "", "RC7")
            child.referrals.append(referral)

    def referral(self, date: Date) -> Referral:
        """A referral with a source and primary need."""
        need = (
            "N1"
            if self.profile.cin_need == "middlesbrough" and chance(self.rng, 0.9)
            else self.needs.pick(self.rng)
        )
        return Referral(date=date, source=self.sources.pick(self.rng), need=need)

    def family(self, date: Date) -> list[Child]:
        """A new family of 1-5 siblings (same ethnicity and address)."""
        r = self.rng
        band = CP_AGE_BAND.pick(r)
        kids: list[Child] = []
        dob = dob_for_age(r, date, band)
        for _ in range(int(FAMILY_SIZE.pick(r))):
            if kids and age_on(dob, date) >= 17:
                break
            first = kids[0] if kids else None
            kids.append(
                new_child(
                    r,
                    self.ids,
                    self.profile,
                    self.calib,
                    dob,
                    ethnic=first.ethnic if first else None,
                    home_post=first.home_post if first else None,
                )
            )
            dob = dob - dt.timedelta(days=int(r.integers(330, 1300)))
        self.children.extend(kids)
        return kids

    def run_families(self, target_icpc_per_year: float, linked_per_year: float) -> None:
        """Families who never enter care: ICPCs, S47s without ICPC and NFA referrals."""
        r = self.rng
        rates = self.calib.rates
        icpc_families = max(0.0, target_icpc_per_year - linked_per_year) / MEAN_FAMILY / 1.12
        s47_families = target_icpc_per_year * rates["s47_no_icpc_per_icpc"] / MEAN_FAMILY
        nfa_children = target_icpc_per_year * rates["nfa_referrals_per_icpc"]
        month = dt.date(self.cp_start.year, self.cp_start.month, 1)
        while month <= self.horizon:
            mult = float(np.exp(r.normal(0.0, 0.12)))
            last = add_months(month, 1) - dt.timedelta(days=1)
            for _ in range(int(r.poisson(icpc_families * mult / 12))):
                day = self.cal.roll_forward(month + uniform_days(r, 0, (last - month).days))
                self.icpc_family(self.family(day), day, first_time=True)
            for _ in range(int(r.poisson(s47_families / 12))):
                day = self.cal.roll_forward(month + uniform_days(r, 0, (last - month).days))
                self.s47_family(self.family(day), day)
            for _ in range(int(r.poisson(nfa_children / 12))):
                day = self.cal.roll_forward(month + uniform_days(r, 0, (last - month).days))
                kid = self.family(day)[0]
                ref = self.referral(day)
                ref.nfa, ref.closure, ref.closure_reason = True, day, "RC8"
                kid.referrals.append(ref)
            month = add_months(month, 1)

    def icpc_family(self, kids: list[Child], day: Date, first_time: bool) -> None:
        """Referral, S47 and ICPC for a family; a plan, a CIN plan or NFA; maybe a re-referral."""
        r = self.rng
        s47 = self.cal.roll_forward(day + uniform_days(r, 0, 10))
        icpc = self.icpc_date(s47)
        outcome = ICPC_OUTCOME.pick(r)
        plan = None
        if outcome == "plan":
            plan = self.new_plan(icpc, 0, None)
        step_down = chance(r, 0.6)
        step_days = uniform_days(r, 60, 300)
        prior = PRIOR_PLANS.pick(r) if first_time else "0"
        for kid in kids:
            n_prev = int(prior) + sum(len(ref.plans) for ref in kid.referrals)
            ref = self.referral(day)
            ref.s47s.append(Section47(s47, self.cal.add_working_days(s47, 15), icpc, False))
            if plan is not None:
                ref.plans.append(
                    CPPlan(
                        plan.start,
                        plan.end,
                        plan.initial_category,
                        plan.latest_category,
                        n_prev,
                        list(plan.reviews),
                    )
                )
                if step_down:
                    ref.cin_plans.append((plan.end, plan.end + step_days))
                    ref.closure = plan.end + step_days
                else:
                    ref.closure = plan.end
                ref.closure_reason = "RC7"
            elif outcome == "cin":
                ref.cin_plans.append((icpc, icpc + step_days))
                ref.closure, ref.closure_reason = icpc + step_days, "RC7"
            else:
                ref.closure, ref.closure_reason = icpc + uniform_days(r, 0, 14), "RC8"
            kid.referrals.append(ref)
        closure = kids[0].referrals[-1].closure
        if closure is not None and chance(r, 0.25):
            again = self.cal.roll_forward(closure + uniform_days(r, 60, 900))
            kids = [k for k in kids if age_on(k.dob, again) < 17]
            if kids and again <= self.horizon:
                self.icpc_family(kids, again, first_time=False)

    def s47_family(self, kids: list[Child], day: Date) -> None:
        """A section 47 enquiry that needs no ICPC: closed, or a CIN plan."""
        r = self.rng
        s47 = self.cal.roll_forward(day + uniform_days(r, 0, 7))
        cin = chance(r, 0.4)
        plan_start = s47 + uniform_days(r, 10, 40)
        plan_end = plan_start + uniform_days(r, 60, 300)
        close = s47 + uniform_days(r, 10, 45)
        reason = "RC8" if chance(r, 0.9) else "RC9"
        for kid in kids:
            ref = self.referral(day)
            ref.s47s.append(Section47(s47, self.cal.add_working_days(s47, 15), None, True))
            if cin:
                ref.cin_plans.append((plan_start, plan_end))
                ref.closure, ref.closure_reason = plan_end, "RC7"
            else:
                ref.closure, ref.closure_reason = close, reason
            kid.referrals.append(ref)


def icpcs_per_year(children: list[Child], first_year: int, last_year: int) -> float:
    """Mean ICPCs a year (conference dates) in the collection years, for calibration."""
    n = 0
    for child in children:
        for ref in child.referrals:
            for s in ref.s47s:
                if s.icpc and dt.date(first_year, 4, 1) <= s.icpc <= dt.date(last_year + 1, 3, 31):
                    n += 1
    return n / (last_year - first_year + 1)
