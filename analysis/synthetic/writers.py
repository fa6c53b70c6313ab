"""Write the raw files: CSV (UTF-8, LF line endings, no index) and CIN census XML."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from xml.sax.saxutils import escape

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


class XmlLines:
    """A tiny streaming XML writer: one element per line, two-space indents."""

    def __init__(self) -> None:
        self.lines: list[str] = ['<?xml version="1.0" encoding="utf-8"?>']
        self.stack: list[str] = []

    def open(self, tag: str) -> None:
        """Start element ``tag``."""
        self.lines.append(f"{'  ' * len(self.stack)}<{tag}>")
        self.stack.append(tag)

    def close(self) -> None:
        """End the innermost open element."""
        tag = self.stack.pop()
        self.lines.append(f"{'  ' * len(self.stack)}</{tag}>")

    def leaf(self, tag: str, text: str) -> None:
        """A text-only element."""
        if "&" in text or "<" in text or ">" in text:
            text = escape(text)
        self.lines.append(f"{'  ' * len(self.stack)}<{tag}>{text}</{tag}>")

    def text(self) -> str:
        """The document, ending with a newline."""
        if self.stack:
            raise ValueError(f"unclosed elements: {self.stack}")
        return "\n".join(self.lines) + "\n"


def _cut(d: Date | None, ref: Date) -> Date | None:
    return d if d is not None and d <= ref else None


def _cindetails(x: XmlLines, ref: Referral, reference: Date) -> None:
    """One CINdetails block as known on the reference date (XSD element order)."""
    x.open("CINdetails")
    x.leaf("CINreferralDate", fmt_iso(ref.date))
    x.leaf("ReferralSource", ref.source)
    x.leaf("PrimaryNeedCode", ref.need)
    closure = _cut(ref.closure, reference)
    if closure is not None:
        x.leaf("CINclosureDate", fmt_iso(closure))
        x.leaf("ReasonForClosure", ref.closure_reason or "RC7")
    for start, end in ref.cin_plans:
        if start <= reference:
            x.open("CINPlanDates")
            x.leaf("CINPlanStartDate", fmt_iso(start))
            end = _cut(end, reference)
            if end is not None:
                x.leaf("CINPlanEndDate", fmt_iso(end))
            x.close()
    for s47 in ref.s47s:
        if s47.start > reference:
            continue
        x.open("Section47")
        x.leaf("S47ActualStartDate", fmt_iso(s47.start))
        x.leaf("InitialCPCtarget", fmt_iso(s47.target))
        icpc = _cut(s47.icpc, reference)
        if icpc is not None:
            x.leaf("DateOfInitialCPC", fmt_iso(icpc))
        x.leaf("ICPCnotRequired", "true" if s47.not_required else "false")
        x.close()
    x.leaf("ReferralNFA", "true" if ref.nfa else "false")
    for plan in ref.plans:
        if plan.start > reference:
            continue
        x.open("ChildProtectionPlans")
        x.leaf("CPPstartDate", fmt_iso(plan.start))
        end = _cut(plan.end, reference)
        if end is not None:
            x.leaf("CPPendDate", fmt_iso(end))
        x.leaf("InitialCategoryOfAbuse", plan.initial_category)
        x.leaf("LatestCategoryOfAbuse", plan.latest_category)
        x.leaf("NumberOfPreviousCPP", str(plan.number_previous))
        reviews = [d for d in plan.reviews if d <= reference]
        if reviews:
            x.open("Reviews")
            for d in reviews:
                x.leaf("CPPreviewDate", fmt_iso(d))
            x.close()
        x.close()
    x.close()


def cin_census_xml(la_code: str, year: int, children: list[Child]) -> tuple[str, int]:
    """The CIN census of the collection year starting 1 April ``year``, as XML text.

    Holds every child with a referral open at any time in the year, with what was known on
    31 March (later end dates, conferences and reviews are left out). Returns the document and
    the number of children in it.
    """
    ys, ye = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    x = XmlLines()
    x.open("Message")
    x.open("Header")
    x.open("CollectionDetails")
    x.leaf("Collection", "CIN")
    x.leaf("Year", str(year + 1))
    x.leaf("ReferenceDate", fmt_iso(ye))
    x.close()
    x.open("Source")
    x.leaf("SourceLevel", "L")
    x.leaf("LEA", la_code)
    x.close()
    x.close()
    x.open("Children")
    n = 0
    for child in children:
        refs = [
            r for r in child.referrals if r.date <= ye and (r.closure is None or r.closure >= ys)
        ]
        if not refs or child.dob > ye:
            continue
        n += 1
        x.open("Child")
        x.open("ChildIdentifiers")
        x.leaf("LAchildID", child.child_id)
        if age_on(child.dob, ye) >= 5:
            x.leaf("UPN", child.upn)
        else:
            x.leaf("UPNunknown", "UN1")
        x.leaf("PersonBirthDate", fmt_iso(child.dob))
        x.leaf("GenderCurrent", str(child.sex))
        x.close()
        x.open("ChildCharacteristics")
        x.leaf("Ethnicity", child.ethnic)
        x.close()
        for ref in sorted(refs, key=lambda r: r.date):
            _cindetails(x, ref, ye)
        x.close()
    x.close()
    x.close()
    return x.text(), n


def write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 with LF line endings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
