"""The simulated world: children, their periods of care, CIN referrals and CP plans.

Everything is simulated as full histories first; each collection year's return is then cut from
these histories (:mod:`analysis.synthetic.returns`), so overlapping returns agree with each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Date = dt.date


@dataclass
class Placement:
    """Where a child lives: one placement may span several episodes (legal status changes)."""

    place: str
    provider: str
    pl_post: str
    urn: str
    location: str  # IN or OUT of the council's area
    distance: float


@dataclass
class Episode:
    """One SSDA903 episode: a row of the Episodes table."""

    decom: Date
    rne: str
    ls: str
    cin: str
    placement: Placement
    home_post: str
    dec: Date | None = None
    rec: str | None = None
    reason_place_change: str | None = None


@dataclass
class Adoption:
    """Adoption milestones of one period of care (PlacedAdoption, AD1, episodes)."""

    adm_date: Date  # best-interest decision: DATE_PLACED and AD1 DATE_INT
    po_date: Date | None = None  # placement order (LS E1 starts)
    match_date: Date | None = None  # AD1 DATE_MATCH
    placed_date: Date | None = None  # move-in with adopters (A3-A6 starts)
    order_date: Date | None = None  # adoption order (REC E11/E12)
    foster_care: int = 0
    nb_adoptr: int = 2
    sex_adoptr: str = "MF"
    ls_adoptr: str = "L11"
    ceased_date: Date | None = None  # decision reversed: DATE_PLACED_CEASED
    ceased_reason: str | None = None


@dataclass
class Period:
    """A period of care: contiguous episodes from an RNE S episode to a non-X1 REC."""

    pathway: str
    episodes: list[Episode] = field(default_factory=list)
    adoption: Adoption | None = None
    reviews: list[tuple[Date, str]] = field(default_factory=list)
    missing: list[tuple[str, Date, Date | None]] = field(default_factory=list)
    social_workers: list[tuple[str, Date, Date | None, str | None]] = field(default_factory=list)
    prev_perm: tuple[str, str | None, Date | None] = ("Z1", None, None)

    @property
    def start(self) -> Date:
        """DECOM of the first episode."""
        return self.episodes[0].decom

    @property
    def end(self) -> Date | None:
        """DEC of the last episode (None while still looked after)."""
        return self.episodes[-1].dec

    @property
    def rec(self) -> str | None:
        """Reason the period ended."""
        return self.episodes[-1].rec

    @property
    def short_break(self) -> bool:
        """True when every episode is an agreed series of short breaks (LS V3/V4)."""
        return all(e.ls in ("V3", "V4") for e in self.episodes)


@dataclass
class CPPlan:
    """A child protection plan (CIN census ChildProtectionPlans)."""

    start: Date
    end: Date | None
    initial_category: str
    latest_category: str
    number_previous: int
    reviews: list[Date] = field(default_factory=list)


@dataclass
class Section47:
    """A section 47 enquiry and its initial child protection conference."""

    start: Date
    target: Date
    icpc: Date | None
    not_required: bool


@dataclass
class Referral:
    """One CINdetails block: a referral and what followed it."""

    date: Date
    source: str
    need: str
    closure: Date | None = None
    closure_reason: str | None = None
    nfa: bool = False
    cin_plans: list[tuple[Date, Date | None]] = field(default_factory=list)
    s47s: list[Section47] = field(default_factory=list)
    plans: list[CPPlan] = field(default_factory=list)


@dataclass
class Child:
    """A child known to the council (looked after, on a CP plan, or both)."""

    child_id: str
    sex: int
    dob: Date
    ethnic: str
    upn: str
    home_post: str
    uasc: bool = False
    iro_id: str | None = None
    mother_child_dob: Date | None = None
    periods: list[Period] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    sibling_group: str | None = None
    raa_referral: Date | None = None

    def episodes(self) -> list[Episode]:
        """All episodes in date order."""
        return [e for p in self.periods for e in p.episodes]
