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
from analysis.synthetic.util import (
    Date,
    age_on,
    birthday,
    chance,
    fmt_csv,
    pick,
    years_after,
)

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
SHORT_BREAK_LS = ("V3", "V4")
NO_PREV_PERM: tuple[str, str | None, Date | None] = ("Z1", None, None)
OC3_EXCLUDED_REC = ("E11", "E12", "E3", "E2")  # adopted, moved to another council, died
DAYS_PER_YEAR = 365.2425
SW_LAST_DAYS = 6  # SW11bSTG2 flags social worker episodes ending from 26 to 31 March

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
    """One Episodes row, with the end blanked when it falls after the year end.

    A short break (LS V3/V4) has no HOME_POST, PL_POST or URN (nor distance and location): DfE's
    903 guidance does not collect the placement's location for short breaks (rules 214, 398, 420).
    """
    ended = ep.dec is not None and ep.dec <= ye
    pl = ep.placement
    short_break = ep.ls in SHORT_BREAK_LS
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
        "HOME_POST": "" if short_break else ep.home_post,
        "PL_POST": "" if short_break else pl.pl_post,
        "URN": "" if short_break else pl.urn,
    }
    if distance:
        row["PL_DISTANCE"] = "" if short_break else f"{pl.distance:.1f}"
        row["PL_LOCATION"] = "" if short_break else pl.location
    return row


def header_row(child: Child, ye: Date) -> Row:
    """One Header row without MOTHER and MC_DOB (:func:`mother_fields`); UPN ``UN1`` under 5."""
    upn = child.upn if age_on(child.dob, ye) >= 5 else "UN1"
    return {
        "CHILD": child.child_id,
        "SEX": str(child.sex),
        "DOB": fmt_csv(child.dob),
        "ETHNIC": child.ethnic,
        "UPN": upn,
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
        tables["Header"].append(header_row(child, ye) | mother_fields(child, periods, ye))
        for p in periods:
            for ep in p.episodes:
                if full_history or _open_in(ep.decom, ep.dec, ys, ye):
                    if ep.decom <= ye:
                        tables["Episodes"].append(episode_row(child, ep, ye, distance))
            if p.pathway == "short_break":
                continue  # rule 399: no 903 reviews for a child looked after only on short breaks
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
                    "DUC": duc(child),
                }
            )
        for p in in_year:
            _period_events(tables, child, p, ys, ye, year)
        _side_tables(tables, child, in_year, periods, ys, ye, full_history)
        _outcomes(tables, child, in_year, periods, ys, ye, rng)
    return tables


def _period_events(
    tables: dict[str, list[Row]], child: Child, p: Period, ys: Date, ye: Date, year: int
) -> None:
    """Missing and AD1 rows of one period."""
    cid, dob = child.child_id, fmt_csv(child.dob)
    for kind, start, end in p.missing:
        if _open_in(start, end, ys, ye):  # one open at 31 March comes again, ended (576)
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


def continuously_looked_after(periods: list[Period], ys: Date, ye: Date) -> bool:
    """Looked after continuously for the whole collection year, as DfE's rules define it.

    The SSDA903 validation rules' CONTINUOUSLY_LOOKED_AFTER: looked after at some time in the
    year (1 April ``ys`` to 31 March ``ye``), and no episode of the year starts a period of care
    after 1 April (RNE S), ends one before 31 March (REC other than X1) or is a short break
    (LS V3/V4). A period ending on 31 March itself still counts. It decides who has an OC2 row
    (rules 191, 187) and who may have care leaver information.

    Parameters
    ----------
    periods
        The child's periods of care in the return.
    ys, ye
        First and last day of the collection year.
    """
    during = False
    for p in periods:
        for ep in p.episodes:
            dec = _cut(ep.dec, ye)
            if ep.decom > ye or (dec is not None and dec < ys):
                continue
            during = True
            if ep.ls in SHORT_BREAK_LS or (ep.rne == "S" and ep.decom > ys):
                return False
            if dec is not None and dec < ye and ep.rec != "X1":
                return False
    return during


def mother_fields(child: Child, periods: list[Period], ye: Date) -> Row:
    """Header MOTHER and MC_DOB: recorded for every girl looked after other than on short breaks.

    DfE's rules 165, 393 and 607 want MOTHER (1 or 0) for each female child with an episode of
    the return that is not under LS V3/V4, whatever her age; rule 399 wants it blank for a child
    looked after only under short breaks, and it is blank for boys. MC_DOB is the date of birth
    of her first child once born (MOTHER 1).
    """
    looked_after = any(
        ep.ls not in SHORT_BREAK_LS for p in periods for ep in p.episodes if ep.decom <= ye
    )
    if child.sex != 2 or not looked_after:
        return {"MOTHER": "", "MC_DOB": ""}
    born = child.mother_child_dob
    if born is not None and born <= ye:
        return {"MOTHER": "1", "MC_DOB": fmt_csv(born)}
    return {"MOTHER": "0", "MC_DOB": ""}


def duc(child: Child) -> str:
    """UASC DUC: the date UASC status ceases, the 18th birthday, known in advance (rule 205B).

    Counted as DfE's rules count years (a child born on 29 February turns 18 on 28 February).
    """
    return fmt_csv(years_after(child.dob, 18))


def social_worker_episodes(child: Child) -> list[tuple[str, Date, Date | None, str]]:
    """The child's social worker episodes ``(SW_ID, SW_DECOM, SW_DEC, SW_REASON)`` in date order.

    SW_REASON is the reason the episode began (it is on open episodes too and does not change
    between returns, rules SW13STG1, SW16cSTG2): FCONTA for the first allocation, then the
    reason the previous worker changed. Episodes follow on without gaps (SW10STG2, SW11aSTG2):
    a child who comes back into care in the same collection year keeps the last worker in
    between (the next period's first episode is then a TSPROC transfer). No episode ends in the
    last days of March (SW11bSTG2 reads any such end as a missing successor): a change of worker
    then, or the end of the allocation when care ends then, happens on 1 April instead, and a
    child whose care ended then and who comes back in the year from that 1 April keeps the
    worker until then.
    """
    periods = [p for p in child.periods if p.social_workers]
    planned: list[tuple[str, Date, Date | None, str]] = []
    for i, p in enumerate(periods):
        nxt = periods[i + 1].start if i + 1 < len(periods) else None
        reason = "TSPROC" if planned and planned[-1][2] == p.start else "FCONTA"
        for j, (sw, start, end, end_reason) in enumerate(p.social_workers):
            last = j == len(p.social_workers) - 1
            if (
                last
                and end is not None
                and nxt is not None
                and _year_end(_sw_end(end)) == _year_end(nxt)
            ):
                end = nxt  # also when the end moves to 1 April, into the year of the return
            planned.append((sw, start, end, reason))
            reason = end_reason or "OTHERS"
    out: list[tuple[str, Date, Date | None, str]] = []
    for sw, start, end, reason in planned:
        if out and out[-1][2] is not None and start < out[-1][2]:
            start = out[-1][2]  # the previous worker's end moved to 1 April
            if end is not None and end <= start:
                continue
        out.append((sw, start, _sw_end(end), reason))
    return out


def _sw_end(end: Date | None) -> Date | None:
    """A social worker episode end, moved from the last days of March to 1 April (SW11bSTG2)."""
    if end is not None and (_year_end(end) - end).days < SW_LAST_DAYS:
        return _year_end(end) + dt.timedelta(days=1)
    return end


def _year_end(d: Date) -> Date:
    """31 March ending the collection year of ``d``."""
    return dt.date(d.year if d.month < 4 else d.year + 1, 3, 31)


def _side_tables(
    tables: dict[str, list[Row]],
    child: Child,
    in_year: list[Period],
    periods: list[Period],
    ys: Date,
    ye: Date,
    full_history: bool,
) -> None:
    """PlacedAdoption, PrevPerm and SocialWorker rows of a child in the return.

    ``in_year`` are the periods open during the year, ``periods`` those whose episodes the
    return holds (all of them up to 31 March for a council sending its full history).
    """
    cid, dob = child.child_id, fmt_csv(child.dob)
    for p in periods:
        row = _placed_for_adoption(p, ys, ye)
        if row is not None:
            tables["PlacedAdoption"].append({"CHILD": cid, "DOB": dob, **row})
    starts = [p for p in in_year if ys <= p.start <= ye]
    if starts:
        first_decom = min(
            ep.decom
            for p in periods
            for ep in p.episodes
            if ep.decom <= ye and (full_history or _open_in(ep.decom, ep.dec, ys, ye))
        )
        code, la, when = next((p.prev_perm for p in starts if not p.short_break), NO_PREV_PERM)
        if when is not None and when >= first_decom:
            code, la, when = NO_PREV_PERM  # rule 632: before the first episode of the return
        tables["PrevPerm"].append(
            {
                "CHILD": cid,
                "DOB": dob,
                "PREV_PERM": code,
                "LA_PERM": la or "",
                "DATE_PERM": fmt_csv(when),
            }
        )
    if ys.year >= SOCIAL_WORKER_FROM:
        for sw, start, end, reason in social_worker_episodes(child):
            if _open_in(start, end, ys, ye):
                tables["SocialWorker"].append(
                    {
                        "CHILD": cid,
                        "DOB": dob,
                        "SW_ID": sw,
                        "SW_DECOM": fmt_csv(start),
                        "SW_DEC": fmt_csv(_cut(end, ye)),
                        "SW_REASON": reason,
                    }
                )


def _placed_for_adoption(p: Period, ys: Date, ye: Date) -> Row | None:
    """The PlacedAdoption row of a period whose episodes are in the return, if it has one.

    A decision to place made by 31 March, unless it was reversed before the year began. A
    council sending its full history sends the decisions of its earlier periods too, so that
    every placement order (LS E1) or adoptive placement (A3-A6) in the return has its decision
    (rules 551, 553).
    """
    a = p.adoption
    if a is None or a.adm_date > ye or (a.ceased_date is not None and a.ceased_date < ys):
        return None
    ceased = _cut(a.ceased_date, ye)
    return {
        "DATE_PLACED": fmt_csv(a.adm_date),
        "DATE_PLACED_CEASED": fmt_csv(ceased),
        "REASON_PLACED_CEASED": (a.ceased_reason or "") if ceased else "",
    }


def _outcomes(
    tables: dict[str, list[Row]],
    child: Child,
    in_year: list[Period],
    periods: list[Period],
    ys: Date,
    ye: Date,
    rng: np.random.Generator,
) -> None:
    """OC2 for children looked after continuously through the year; OC3 for care leavers."""
    cid, dob = child.child_id, fmt_csv(child.dob)
    if continuously_looked_after(in_year, ys, ye):
        tables["OC2"].append(_oc2_row(cid, child.dob, ys, ye, rng))
        return
    if not care_leaver_due(child, in_year, periods, ys, ye):
        return
    in_touch = "YES" if chance(rng, 0.86) else pick(rng, ["NO", "REFU", "NREQ"])
    calib = load_calibration()
    activ = calib.picker("oc3_activ").pick(rng)
    accom = calib.picker("oc3_accom").pick(rng)
    if in_touch != "YES":
        activ, accom = "0", "0"
    tables["OC3"].append(
        {"CHILD": cid, "DOB": dob, "IN_TOUCH": in_touch, "ACTIV": activ, "ACCOM": accom}
    )


def care_leaver_due(
    child: Child, in_year: list[Period], periods: list[Period], ys: Date, ye: Date
) -> bool:
    """True when care leaver information (OC3) is due for the child in this return.

    The synthetic OC3 cohort is young people turning 18 in the year who left care in the year
    after their 16th birthday and before their 18th. DfE's rules then exclude: a child still
    looked after (1007, 187); one who left on or after the 17th or 18th birthday of the age
    reached at 31 March (1016, from 2023-24; applied to every year); one who was not a relevant
    child, with fewer than 13 weeks in care since the 14th birthday or none after the 16th,
    counted on the episodes of this and last year's returns (1001); one whose last episode
    ended in adoption, a transfer to another council or death (1001, 1011, 1000).
    """
    dob = child.dob
    if not (ys <= birthday(dob, 18) <= ye) or in_year[-1].end is None or in_year[-1].end > ye:
        return False
    if continuously_looked_after(in_year, ys, ye) or in_year[-1].rec in OC3_EXCLUDED_REC:
        return False
    left = [
        p
        for p in in_year
        if not p.short_break and p.end is not None and ys <= p.end <= ye
        if p.end >= birthday(dob, 16)
    ]
    if not left:
        return False
    decs = [ep.dec for p in periods for ep in p.episodes if ep.dec is not None and ep.dec <= ye]
    age = (ye - dob).days / DAYS_PER_YEAR  # rule 1016 counts years of 365.2425 days
    for years in (17, 18):
        if years <= age < years + 1 and any(d >= years_after(dob, years) for d in decs):
            return False
    last_ys = dt.date(ys.year - 1, 4, 1)
    since14 = since16 = 0
    for p in child.periods:
        for ep in p.episodes:
            dec = _cut(ep.dec, ye) or ye
            if ep.decom > ye or dec < last_ys or ep.ls in SHORT_BREAK_LS:
                continue
            since14 += max(0, (dec - max(ep.decom, years_after(dob, 14))).days)
            since16 += max(0, (dec - max(ep.decom, years_after(dob, 16))).days)
    return since14 >= 91 and since16 >= 1


def _oc2_row(cid: str, dob: Date, ys: Date, ye: Date, rng: np.random.Generator) -> Row:
    """Health and offending outcomes of a child looked after continuously for 12 months.

    The items due follow DfE's SSDA903 guide as its validation rules check it: immunisations,
    teeth check, health assessment and substance misuse for every child (182, 191); the health
    promotion check only for a child under 5 at 31 March (545, 546); conviction from age 10
    (542, 543); an SDQ score or a reason for none for a child who is 4 by 31 March and not yet 17
    on 1 April (186, 188, 189, 197B), reason SDQ1 (under 4 or over 16 when assessed) only for a
    child turning 4 in the year or 16 or over at 31 March (157).
    """

    def flag(p: float) -> str:
        return "1" if chance(rng, p) else "0"

    sdq_score, sdq_reason = "", ""
    if years_after(dob, 4) <= ye and years_after(dob, 17) >= ys:
        if chance(rng, 0.82):
            sdq_score = str(int(np.clip(rng.normal(15, 7), 0, 40)))
        elif years_after(dob, 4) > ys or years_after(dob, 16) < ye:
            sdq_reason = pick(rng, ["SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"])
        else:
            sdq_reason = pick(rng, ["SDQ2", "SDQ3", "SDQ4", "SDQ5"])
    ten = years_after(dob, 10) <= ye
    misuse = flag(0.05) if ten else "0"
    received = flag(0.6) if misuse == "1" else ""
    offered = flag(0.7) if received == "0" else ""
    return {
        "CHILD": cid,
        "DOB": fmt_csv(dob),
        "SDQ_SCORE": sdq_score,
        "SDQ_REASON": sdq_reason,
        "CONVICTED": flag(0.04) if ten else "",
        "HEALTH_CHECK": flag(0.9) if ye < years_after(dob, 5) else "",
        "IMMUNISATIONS": flag(0.85),
        "TEETH_CHECK": flag(0.8),
        "HEALTH_ASSESSMENT": flag(0.9),
        "SUBSTANCE_MISUSE": misuse,
        "INTERVENTION_RECEIVED": received,
        "INTERVENTION_OFFERED": offered,
    }
