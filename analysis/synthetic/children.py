"""Identities of synthetic children and the attributes of their placements.

Identifiers look like an LA's: CHILD ids in the council's own style (some with leading zeros),
13-character UPNs with a valid DfE check letter, and fake postcodes in real postcode districts
(``TS1 4QD``). None of them belongs to a real person.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from analysis.synthetic.config import Calibration, LAProfile
from analysis.synthetic.model import Child, Placement
from analysis.synthetic.util import Date, Picker, chance, pick

UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# share of placements of each type outside the council's area
OUT_OF_AREA = {
    "K1": 0.95,
    "K2": 0.8,
    "H5": 0.45,
    "U1": 0.35,
    "U2": 0.4,
    "U3": 0.35,
    "U4": 0.55,
    "U5": 0.55,
    "U6": 0.55,
    "P1": 0.2,
    "P2": 0.3,
    "A3": 0.55,
    "A4": 0.6,
    "A5": 0.55,
    "A6": 0.65,
    "R1": 0.8,
    "R3": 0.7,
    "R5": 1.0,
    "S1": 0.9,
    "Z1": 0.5,
}
PROVIDERS = {
    "P1": {"PR0": 1},
    "P2": {"PR1": 1},
    "U1": {"PR1": 1},
    "U2": {"PR1": 1},
    "U3": {"PR1": 1},
    "U4": {"PR1": 60, "PR4": 35, "PR5": 5},
    "U5": {"PR1": 70, "PR5": 30},
    "U6": {"PR1": 55, "PR4": 40, "PR5": 5},
    "A3": {"PR1": 80, "PR2": 20},
    "A4": {"PR1": 70, "PR2": 30},
    "A5": {"PR1": 80, "PR2": 20},
    "A6": {"PR1": 65, "PR2": 25, "PR5": 10},
    "K1": {"PR2": 70, "PR4": 30},
    "K2": {"PR4": 75, "PR1": 20, "PR5": 5},
    "H5": {"PR4": 60, "PR1": 40},
    "R1": {"PR3": 1},
    "R3": {"PR4": 70, "PR1": 30},
    "R5": {"PR3": 1},
    "S1": {"PR4": 1},
    "Z1": {"PR1": 70, "PR4": 30},
}
OFSTED_REGISTERED = {"K1", "K2", "R1", "S1"}
# Supported accommodation reform (DfE 903 guidance 2023-24): from 28 October 2023 supported
# accommodation (H5) must be Ofsted-registered (URN required, validation 230) and independent
# living (P2) is no longer a placement type (217t); before it H5 has no URN (222, 2022-23).
SUPPORTED_ACCOMMODATION_REFORM = dt.date(2023, 10, 28)
# DfE 903 guidance: placement types with no placement provider (validation 178)
NO_PROVIDER = {"T0", "T1", "T2", "T3", "T4", "Z1"}
# own provision (PR1) must be in the council's area except for fostering and adoption (1015)
OWN_PROVISION_ANYWHERE = {"A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"}


class IdFactory:
    """Unique CHILD ids in one council's style.

    Parameters
    ----------
    style
        ``zero6`` (six digits, zero-padded), ``zero8``, ``plain7`` or ``prefixed`` (``RC12345``).
    rng
        Generator for this council's ids.
    """

    def __init__(self, style: str, rng: np.random.Generator) -> None:
        self.style, self.rng, self.used = style, rng, set()
        self.upns: set[str] = set()

    def _draw(self) -> str:
        r = self.rng
        if self.style == "zero6":
            return f"{int(r.integers(1, 260_000)):06d}"
        if self.style == "zero8":
            return f"{int(r.integers(1, 40_000_000)):08d}"
        if self.style == "plain7":
            return str(int(r.integers(1_000_000, 10_000_000)))
        return f"RC{int(r.integers(0, 100_000)):05d}"

    def new(self) -> str:
        """A fresh id never handed out before by this factory."""
        while True:
            cid = self._draw()
            if cid not in self.used:
                self.used.add(cid)
                return cid

    def reserve(self, cid: str) -> None:
        """Mark a hand-made id (such as ``000123``) as used."""
        self.used.add(cid)

    def unique_upn(self, upn: str) -> str:
        """``upn``, or the next free serial number in its school and year if already handed out.

        Two children never share a UPN (CIN census rule 1520); no random draw, so the other
        children's data do not change.
        """
        while upn in self.upns:
            body = f"{upn[1:10]}{(int(upn[10:]) + 1) % 1000:03d}"
            upn = upn_check_letter(body) + body
        self.upns.add(upn)
        return upn


def upn_check_letter(digits12: str) -> str:
    """DfE UPN check letter for the 12 characters after it (weights 2 to 13, modulus 23)."""
    total = sum(int(c) * w for c, w in zip(digits12, range(2, 14), strict=True))
    return UPN_CHECK_LETTERS[total % 23]


def make_upn(rng: np.random.Generator, la_code: str, dob: Date) -> str:
    """A 13-character UPN: check letter, LA code, school number, year of issue, serial."""
    school = int(rng.integers(2000, 3000))
    year = (dob.year + 5) % 100
    body = f"{la_code}{school:04d}{year:02d}{int(rng.integers(0, 1000)):03d}"
    return upn_check_letter(body) + body


def make_postcode(rng: np.random.Generator, district: str) -> str:
    """A fake postcode in a real district, e.g. ``TS1 4QD``."""
    return (
        f"{district} {int(rng.integers(1, 10))}{pick(rng, POSTCODE_LETTERS)}"
        f"{pick(rng, POSTCODE_LETTERS)}"
    )


def make_ethnicity(rng: np.random.Generator, profile: LAProfile, calib: Calibration) -> str:
    """Ethnicity of a child who is not UASC: White British at the LA's rate, else the mix."""
    if chance(rng, profile.wbri / 100.0):
        return "WBRI"
    return calib.picker("ethnic_other").pick(rng)


def dob_for_age(rng: np.random.Generator, on: Date, band: str) -> Date:
    """A date of birth giving an age in ``band`` ("0", "1-4", "5-9", "10-15", "16-17") on ``on``."""
    if band == "0":
        days = int(rng.integers(0, 8)) if chance(rng, 0.4) else int(rng.integers(8, 365))
        return on - dt.timedelta(days=days)
    low, high = (int(x) for x in band.split("-"))
    max_days = 365 * high + 364 if high < 17 else 365 * 17 + 250
    return on - dt.timedelta(days=int(rng.integers(365 * low + 1, max_days)))


def new_child(
    rng: np.random.Generator,
    ids: IdFactory,
    profile: LAProfile,
    calib: Calibration,
    dob: Date,
    sex: int | None = None,
    ethnic: str | None = None,
    home_post: str | None = None,
) -> Child:
    """A child with an id, sex, ethnicity, UPN and home postcode."""
    if sex is None:
        sex = 1 if chance(rng, 0.5) else 2
    return Child(
        child_id=ids.new(),
        sex=sex,
        dob=dob,
        ethnic=ethnic or make_ethnicity(rng, profile, calib),
        upn=ids.unique_upn(make_upn(rng, profile.code, dob)),
        home_post=home_post or make_postcode(rng, pick(rng, profile.postcode_districts)),
    )


class PlacementMaker:
    """Provider, postcode, URN, location and distance for a new placement of a given type.

    Parameters
    ----------
    rng
        The council's generator.
    profile, calib
        Council profile and calibration.
    """

    def __init__(self, rng: np.random.Generator, profile: LAProfile, calib: Calibration) -> None:
        self.rng, self.profile = rng, profile
        own = set(profile.postcode_districts)
        self.away = [d for d in calib.out_of_area if d not in own]
        self.homes = [f"SC{int(rng.integers(100_000, 1_000_000))}" for _ in range(40)]
        self.provider = {k: Picker(v) for k, v in PROVIDERS.items()}

    def make(self, place: str, when: Date | None = None) -> Placement:
        """A new placement of type ``place`` starting on ``when``.

        Consistent with DfE's 903 validation rules: a P2 placement from 28 October 2023 becomes
        H5 (217t); H5 has an Ofsted URN exactly from that date (222, 230); Z1 has no provider
        (178); own provision (PR1) outside fostering and adoption is in the council's area
        (1015), else a private provider (PR4). The random draws do not depend on these rules.
        """
        r = self.rng
        reformed = when is not None and when >= SUPPORTED_ACCOMMODATION_REFORM
        if place == "P2" and reformed:
            place = "H5"
        out = chance(r, OUT_OF_AREA.get(place, 0.5))
        if out:
            district = pick(r, self.away)
            distance = float(r.uniform(3.0, 20.0)) if chance(r, 0.68) else float(r.uniform(20, 140))
        else:
            district = pick(r, self.profile.postcode_districts)
            distance = float(r.uniform(0.3, 6.0))
        if place in OFSTED_REGISTERED or (place == "H5" and chance(r, 0.5)):
            urn = pick(r, self.homes)
        else:
            urn = "XXXXXXX"
        if place == "H5":
            urn = self.registered_urn(district) if reformed else "XXXXXXX"
        provider = self.provider[place].pick(r)
        if place in NO_PROVIDER:
            provider = ""
        elif provider == "PR1" and out and place not in OWN_PROVISION_ANYWHERE:
            provider = "PR4"
        return Placement(
            place=place,
            provider=provider,
            pl_post=make_postcode(r, district),
            urn=urn,
            location="OUT" if out else "IN",
            distance=round(distance, 1),
        )

    def registered_urn(self, key: str) -> str:
        """An Ofsted URN for a supported accommodation provider, chosen without a random draw."""
        return self.homes[sum(ord(c) for c in key) % len(self.homes)]

    def registered(self, pl: Placement) -> Placement:
        """The same H5 placement once its provider is Ofsted-registered (a URN, same carer)."""
        return Placement(
            pl.place,
            pl.provider,
            pl.pl_post,
            self.registered_urn(pl.pl_post),
            pl.location,
            pl.distance,
        )
