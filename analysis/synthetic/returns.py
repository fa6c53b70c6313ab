"""Cut each collection year's SSDA903 return out of the simulated histories.

A return holds the episodes open at any time during the year (1 April to 31 March) and the events
of the year; anything after 31 March is not yet known, so end dates and reasons after the year end
are blank. A council with ``full_history`` sends every episode up to the year end of each child in
the return, and all their reviews.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from analysis.synthetic.config import load_calibration
from analysis.synthetic.model import Child, Episode, Period
from analysis.synthetic.util import Date, age_on, birthday, chance, fmt_csv, pick

COLUMNS: dict[str, list[str]] = {
    "Header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "Episodes": [
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ],
    "Reviews": ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
    "UASC": ["CHILD", "DOB", "SEX", "DUC"],
    "Missing": ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
    "AD1": [
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ],
    "PlacedAdoption": ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
    "PrevPerm": ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
    "OC2": [
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ],
    "OC3": ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
    "SocialWorker": ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
}
DISTANCE_COLUMNS = ["PL_DISTANCE", "PL_LOCATION"]
STANDARD_FILES = {
    "Header": "header.csv",
    "Episodes": "episodes.csv",
    "Reviews": "reviews.csv",
    "UASC": "uasc.csv",
    "Missing": "missing.csv",
    "AD1": "ad1.csv",
    "PlacedAdoption": "placed_for_adoption.csv",
    "PrevPerm": "previous_permanence.csv",
    "OC2": "oc2.csv",
    "OC3": "oc3.csv",
    "SocialWorker": "social_worker.csv",
}
SOCIAL_WORKER_FROM = 2023  # the SocialWorker table joined the collection in 2023-24

Row = dict[str, str]


def file_name(table: str, naming: str, year: int) -> str:
    """File name of ``table`` for the collection year starting in ``year``."""
    if naming == "stockton":
        return f"SSDA903_{year + 1}_{table}.csv"
    return STANDARD_FILES[table]


def _open_in(start: Date, end: Date | None, ys: Date, ye: Date) -> bool:
    return start <= ye and (end is None or end >= ys)


def _cut(d: Date | None, ye: Date) -> Date | None:
    return d if d is not None and d <= ye else None


def episode_row(child: Child, ep: Episode, ye: Date, distance: bool) -> Row:
    """One Episodes row, with the end blanked when it falls after the year end."""
    ended = ep.dec is not None and ep.dec <= ye
    pl = ep.placement
    row = {
        "CHILD": child.child_id,
        "DECOM": fmt_csv(ep.decom),
        "RNE": ep.rne,
        "LS": ep.ls,
        "CIN": ep.cin,
        "PLACE": pl.place,
        "PLACE_PROVIDER": pl.provider,
        "DEC": fmt_csv(ep.dec) if ended else "",
        "REC": (ep.rec or "") if ended else "",
        "REASON_PLACE_CHANGE": (ep.reason_place_change or "") if ended else "",
        "HOME_POST": ep.home_post,
        "PL_POST": pl.pl_post,
        "URN": pl.urn,
    }
    if distance:
        row["PL_DISTANCE"] = f"{pl.distance:.1f}"
        row["PL_LOCATION"] = pl.location
    return row


def header_row(child: Child, ye: Date) -> Row:
    """One Header row; UPN ``UN1`` for a child under 5, MOTHER for girls aged 12 and over."""
    age = age_on(child.dob, ye)
    upn = child.upn if age >= 5 else "UN1"
    mother, mc_dob = "", ""
    if child.sex == 2 and age >= 12:
        has = child.mother_child_dob is not None and child.mother_child_dob <= ye
        mother, mc_dob = ("1", fmt_csv(child.mother_child_dob)) if has else ("0", "")
    return {
        "CHILD": child.child_id,
        "SEX": str(child.sex),
        "DOB": fmt_csv(child.dob),
        "ETHNIC": child.ethnic,
        "UPN": upn,
        "MOTHER": mother,
        "MC_DOB": mc_dob,
    }


def build_return(
    children: list[Child], year: int, full_history: bool, distance: bool, rng: np.random.Generator
) -> dict[str, list[Row]]:
    """All SSDA903 tables of the collection year starting 1 April ``year``.

    Parameters
    ----------
    children
        The council's simulated children.
    year
        First calendar year of the collection year (2023 for 2023-24).
    full_history
        Send every episode and review up to the year end of each child in the return.
    distance
        Add the derived PL_DISTANCE and PL_LOCATION columns.
    rng
        Generator for the outcome fields (OC2, OC3), drawn afresh each year.
    """
    ys, ye = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    tables: dict[str, list[Row]] = {name: [] for name in COLUMNS}
    for child in children:
        in_year = [p for p in child.periods if _open_in(p.start, p.end, ys, ye)]
        if not in_year:
            continue
        periods = [p for p in child.periods if p.start <= ye] if full_history else in_year
        tables["Header"].append(header_row(child, ye))
        for p in periods:
            for ep in p.episodes:
                if full_history or _open_in(ep.decom, ep.dec, ys, ye):
                    if ep.decom <= ye:
                        tables["Episodes"].append(episode_row(child, ep, ye, distance))
            for d, code in p.reviews:
                if d <= ye and (full_history or d >= ys):
                    tables["Reviews"].append(
                        {
                            "CHILD": child.child_id,
                            "DOB": fmt_csv(child.dob),
                            "REVIEW": fmt_csv(d),
                            "REVIEW_CODE": code,
                        }
                    )
        dob = fmt_csv(child.dob)
        if child.uasc:
            tables["UASC"].append(
                {
                    "CHILD": child.child_id,
                    "DOB": dob,
                    "SEX": str(child.sex),
                    "DUC": fmt_csv(_cut(birthday(child.dob, 18), ye)),
                }
            )
        for p in in_year:
            _period_events(tables, child, p, ys, ye, year)
        _outcomes(tables, child, in_year, ys, ye, rng)
    return tables


def _period_events(
    tables: dict[str, list[Row]], child: Child, p: Period, ys: Date, ye: Date, year: int
) -> None:
    """Missing, adoption, previous permanence and social worker rows of one period."""
    cid, dob = child.child_id, fmt_csv(child.dob)
    for kind, start, end in p.missing:
        if ys <= start <= ye:
            tables["Missing"].append(
                {
                    "CHILD": cid,
                    "DOB": dob,
                    "MISSING": kind,
                    "MIS_START": fmt_csv(start),
                    "MIS_END": fmt_csv(_cut(end, ye)),
                }
            )
    a = p.adoption
    if a is not None and a.adm_date <= ye and (a.ceased_date is None or a.ceased_date >= ys):
        ceased = _cut(a.ceased_date, ye)
        tables["PlacedAdoption"].append(
            {
                "CHILD": cid,
                "DOB": dob,
                "DATE_PLACED": fmt_csv(a.adm_date),
                "DATE_PLACED_CEASED": fmt_csv(ceased),
                "REASON_PLACED_CEASED": (a.ceased_reason or "") if ceased else "",
            }
        )
    if (
        a is not None
        and a.order_date is not None
        and ys <= a.order_date <= ye
        and p.rec in ("E11", "E12")
        and a.match_date is not None
    ):
        tables["AD1"].append(
            {
                "CHILD": cid,
                "DOB": dob,
                "DATE_INT": fmt_csv(a.adm_date),
                "DATE_MATCH": fmt_csv(a.match_date),
                "FOSTER_CARE": str(a.foster_care),
                "NB_ADOPTR": str(a.nb_adoptr),
                "SEX_ADOPTR": a.sex_adoptr,
                "LS_ADOPTR": a.ls_adoptr,
            }
        )
    if ys <= p.start <= ye and p.pathway != "short_break":
        code, la, when = p.prev_perm
        tables["PrevPerm"].append(
            {
                "CHILD": cid,
                "DOB": dob,
                "PREV_PERM": code,
                "LA_PERM": la or "",
                "DATE_PERM": fmt_csv(when),
            }
        )
    if year >= SOCIAL_WORKER_FROM:
        for sw, start, end, reason in p.social_workers:
            if _open_in(start, end, ys, ye):
                ended = end is not None and end <= ye
                tables["SocialWorker"].append(
                    {
                        "CHILD": cid,
                        "DOB": dob,
                        "SW_ID": sw,
                        "SW_DECOM": fmt_csv(start),
                        "SW_DEC": fmt_csv(end) if ended else "",
                        "SW_REASON": (reason or "") if ended else "",
                    }
                )


def _outcomes(
    tables: dict[str, list[Row]],
    child: Child,
    in_year: list[Period],
    ys: Date,
    ye: Date,
    rng: np.random.Generator,
) -> None:
    """OC2 for children looked after 12 months at 31 March; OC3 for care leavers turning 18."""
    cid, dob = child.child_id, fmt_csv(child.dob)
    last = in_year[-1]
    looked_after_12m = (
        last.pathway != "short_break"
        and (last.end is None or last.end > ye)
        and last.start <= ye - dt.timedelta(days=365)
    )
    if looked_after_12m:
        tables["OC2"].append(_oc2_row(cid, dob, age_on(child.dob, ye), rng))
    b18 = birthday(child.dob, 18)
    left_at_16_plus = [
        p
        for p in in_year
        if p.end is not None
        and ys <= p.end <= ye
        and p.end >= birthday(child.dob, 16)
        and p.pathway != "short_break"
    ]
    if ys <= b18 <= ye and left_at_16_plus:
        in_touch = "YES" if chance(rng, 0.86) else pick(rng, ["NO", "REFU", "NREQ"])
        calib = load_calibration()
        activ = calib.picker("oc3_activ").pick(rng)
        accom = calib.picker("oc3_accom").pick(rng)
        if in_touch != "YES":
            activ, accom = "0", "0"
        tables["OC3"].append(
            {"CHILD": cid, "DOB": dob, "IN_TOUCH": in_touch, "ACTIV": activ, "ACCOM": accom}
        )


def _oc2_row(cid: str, dob: str, age: int, rng: np.random.Generator) -> Row:
    """Health and offending outcomes of a child looked after for 12 months."""

    def flag(p: float) -> str:
        return "1" if chance(rng, p) else "0"

    sdq_score, sdq_reason = "", ""
    if 4 <= age <= 16:
        if chance(rng, 0.82):
            sdq_score = str(int(np.clip(rng.normal(15, 7), 0, 40)))
        else:
            sdq_reason = pick(rng, ["SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"])
    misuse = flag(0.05) if age >= 10 else ""
    received = flag(0.6) if misuse == "1" else ""
    offered = flag(0.7) if received == "0" else ""
    return {
        "CHILD": cid,
        "DOB": dob,
        "SDQ_SCORE": sdq_score,
        "SDQ_REASON": sdq_reason,
        "CONVICTED": flag(0.04) if age >= 10 else "",
        "HEALTH_CHECK": flag(0.9),
        "IMMUNISATIONS": flag(0.85),
        "TEETH_CHECK": flag(0.8),
        "HEALTH_ASSESSMENT": flag(0.9) if age < 5 else "",
        "SUBSTANCE_MISUSE": misuse,
        "INTERVENTION_RECEIVED": received,
        "INTERVENTION_OFFERED": offered,
    }
