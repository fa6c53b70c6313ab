"""Write the raw files: CSV (UTF-8, ``\\n`` line endings, no index) and CIN census XML."""

from __future__ import annotations

import csv
import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path

from analysis.synthetic.model import Child, Referral
from analysis.synthetic.util import Date, age_on, fmt_iso


def write_csv(path: Path, columns: list[str], rows: Iterable[Mapping[str, str]]) -> int:
    """Write ``rows`` under ``columns`` and return the number of data rows.

    Parameters
    ----------
    path
        File to write (parent folders are created).
    columns
        Column names in order; every row must have each of them.
    rows
        Rows as mappings of column name to the already formatted string.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row[c] for c in columns])
            n += 1
    return n


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def _cut(d: Date | None, ref: Date) -> Date | None:
    return d if d is not None and d <= ref else None


def _cindetails(parent: ET.Element, ref: Referral, reference: Date) -> None:
    """One CINdetails block as known on the reference date (XSD element order)."""
    el = _sub(parent, "CINdetails")
    _sub(el, "CINreferralDate", fmt_iso(ref.date))
    _sub(el, "ReferralSource", ref.source)
    _sub(el, "PrimaryNeedCode", ref.need)
    closure = _cut(ref.closure, reference)
    if closure is not None:
        _sub(el, "CINclosureDate", fmt_iso(closure))
        _sub(el, "ReasonForClosure", ref.closure_reason or "RC7")
    for start, end in ref.cin_plans:
        if start <= reference:
            plan = _sub(el, "CINPlanDates")
            _sub(plan, "CINPlanStartDate", fmt_iso(start))
            end = _cut(end, reference)
            if end is not None:
                _sub(plan, "CINPlanEndDate", fmt_iso(end))
    for s47 in ref.s47s:
        if s47.start > reference:
            continue
        s = _sub(el, "Section47")
        _sub(s, "S47ActualStartDate", fmt_iso(s47.start))
        _sub(s, "InitialCPCtarget", fmt_iso(s47.target))
        icpc = _cut(s47.icpc, reference)
        if icpc is not None:
            _sub(s, "DateOfInitialCPC", fmt_iso(icpc))
        _sub(s, "ICPCnotRequired", "true" if s47.not_required else "false")
    _sub(el, "ReferralNFA", "true" if ref.nfa else "false")
    for plan in ref.plans:
        if plan.start > reference:
            continue
        p = _sub(el, "ChildProtectionPlans")
        _sub(p, "CPPstartDate", fmt_iso(plan.start))
        end = _cut(plan.end, reference)
        if end is not None:
            _sub(p, "CPPendDate", fmt_iso(end))
        _sub(p, "InitialCategoryOfAbuse", plan.initial_category)
        _sub(p, "LatestCategoryOfAbuse", plan.latest_category)
        _sub(p, "NumberOfPreviousCPP", str(plan.number_previous))
        reviews = [d for d in plan.reviews if d <= reference]
        if reviews:
            rv = _sub(p, "Reviews")
            for d in reviews:
                _sub(rv, "CPPreviewDate", fmt_iso(d))


def cin_census_tree(la_code: str, year: int, children: list[Child]) -> tuple[ET.ElementTree, int]:
    """The CIN census of the collection year starting 1 April ``year``.

    Holds every child with a referral open at any time in the year, with what was known on
    31 March (later end dates, conferences and reviews are left out). Returns the tree and the
    number of children in it.
    """
    ys, ye = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    root = ET.Element("Message")
    header = _sub(root, "Header")
    details = _sub(header, "CollectionDetails")
    _sub(details, "Collection", "CIN")
    _sub(details, "Year", str(year + 1))
    _sub(details, "ReferenceDate", fmt_iso(ye))
    source = _sub(header, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", la_code)
    kids = _sub(root, "Children")
    n = 0
    for child in children:
        refs = [r for r in child.referrals
                if r.date <= ye and (r.closure is None or r.closure >= ys)]
        if not refs or child.dob > ye:
            continue
        n += 1
        el = _sub(kids, "Child")
        ids = _sub(el, "ChildIdentifiers")
        _sub(ids, "LAchildID", child.child_id)
        if age_on(child.dob, ye) >= 5:
            _sub(ids, "UPN", child.upn)
        else:
            _sub(ids, "UPNunknown", "UN1")
        _sub(ids, "PersonBirthDate", fmt_iso(child.dob))
        _sub(ids, "GenderCurrent", str(child.sex))
        chars = _sub(el, "ChildCharacteristics")
        _sub(chars, "Ethnicity", child.ethnic)
        for ref in sorted(refs, key=lambda r: r.date):
            _cindetails(el, ref, ye)
    tree = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    return tree, n


def write_xml(path: Path, tree: ET.ElementTree) -> None:
    """Write ``tree`` as UTF-8 with an XML declaration and ``\\n`` line endings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        tree.write(fh, encoding="utf-8", xml_declaration=True)
        fh.write(b"\n")
