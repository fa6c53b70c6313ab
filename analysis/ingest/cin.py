"""CIN census XML returns (child in need and child protection): ``<la>/cin_census/<YYYY-YY>.xml``.

The file is streamed with :class:`xml.etree.ElementTree.XMLPullParser`, fed line by line so that
every element's line number is known for the data-quality log; each ``<Child>`` is dropped from
memory once read. DfE's schema (``cin_census_2024_xsd_elements.csv`` in ``reference_dir``), no XML
namespace, dates ``YYYY-MM-DD``.

One file gives six tables (``schemas.yml``): ``cin_children`` (one row per ``<Child>``),
``cin_episodes`` (``<CINdetails>``), ``cin_plans`` (``<CINPlanDates>``), ``s47``
(``<Section47>``), ``cp_plans`` (``<ChildProtectionPlans>``) and ``cp_reviews``
(``<CPPreviewDate>``). A nested row carries its child's ``LAchildID`` and the date that ties it
to its parent (``CINreferralDate``; ``CPPstartDate`` for a review). A child without an
``LAchildID`` is quarantined with everything under it; a review whose plan is quarantined is
quarantined too (it cannot be tied to a plan).
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.dates import collection_year
from analysis.errors import InputError
from analysis.ingest.model import FileResult
from analysis.ingest.quality import WARNING, LogBuilder, combine
from analysis.ingest.spec import CIN_ELEMENTS, TableSpec
from analysis.ingest.ssda903 import YEAR_FOLDER, check_year_label
from analysis.ingest.validate import check_table

log = logging.getLogger(__name__)

ROOT = "Message"
CHUNK = 1 << 20
_CHILD_PARENTS = {"ChildIdentifiers", "ChildCharacteristics"}
_SUB_ELEMENTS = {"CINPlanDates": "cin_plans", "Section47": "s47",
                 "ChildProtectionPlans": "cp_plans"}
_HEADER_FIELDS = {"Year", "ReferenceDate", "LEA", "Collection"}
TABLES = ("cin_children", "cin_episodes", "cin_plans", "s47", "cp_plans", "cp_reviews")


@dataclass
class CinRows:
    """Raw rows of one CIN census file, per table: values as text, ``@Field`` = element line."""

    header: dict[str, tuple[str, int]] = field(default_factory=dict)
    rows: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TABLES})
    unknown: dict[str, int] = field(default_factory=dict)


def parse(path: Path, shown: str, known_elements: set[str]) -> CinRows:
    """Stream a CIN census XML file into raw rows.

    Raises
    ------
    InputError
        The file is not well-formed (truncated, broken tags; the message gives the parser's line),
        its root element is not ``<Message>``, or it uses an XML namespace.
    """
    out = CinRows()
    parser = ET.XMLPullParser(events=("start", "end"))
    flush = getattr(parser, "flush", None)  # Python >= 3.12.3 with expat >= 2.6: no deferral
    stack: list[tuple[str, int]] = []
    state: dict = {"child": None, "cin": None, "sub": None, "children_elem": None}
    lineno = 0

    def handle(events) -> None:
        for event, elem in events:
            tag = elem.tag
            if event == "start":
                if not stack:
                    _check_root(tag, shown, lineno)
                elif tag[:1] == "{":
                    raise InputError(shown, f"element {tag} uses an XML namespace; the CIN census "
                                            "contract has none", row=lineno)
                stack.append((tag, lineno))
                _start(tag, lineno, elem, state, out)
                if tag not in known_elements and tag not in out.unknown:
                    out.unknown[tag] = lineno
            else:
                tag_, line = stack.pop()
                _end(tag_, line, elem, stack, state, out)

    try:
        with open(path, "rb") as fh:
            for raw_line in fh:
                lineno += 1
                for i in range(0, max(len(raw_line), 1), CHUNK):
                    parser.feed(raw_line[i:i + CHUNK])
                if flush is not None:
                    flush()
                handle(parser.read_events())
            parser.close()
            handle(parser.read_events())
    except ET.ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else None
        message = re.sub(r":\s*line \d+, column \d+$", "", str(err))
        raise InputError(shown, f"is not well-formed XML, or is truncated ({message})",
                         row=line) from None
    return out


def _check_root(tag: str, shown: str, line: int) -> None:
    if tag.startswith("{"):
        namespace = tag[1:tag.index("}")]
        raise InputError(shown, f"uses the XML namespace {namespace}; the CIN census contract has "
                                "no namespace (remove xmlns from the root element)", row=line)
    if tag != ROOT:
        raise InputError(shown, f"root element is <{tag}>, expected <{ROOT}> (is this a CIN "
                                "census return?)", row=line)


def _start(tag: str, line: int, elem: ET.Element, state: dict, out: CinRows) -> None:
    if tag == "Children":
        state["children_elem"] = elem
    elif tag == "Child":
        state["child"] = {"_line": line, "_rows": []}
        state["cin"] = state["sub"] = None
    elif tag == "CINdetails" and state["child"] is not None:
        state["cin"] = {"_line": line}
        state["child"]["_rows"].append(("cin_episodes", state["cin"]))
    elif tag in _SUB_ELEMENTS and state["cin"] is not None:
        state["sub"] = {"_line": line, "_reviews": []}
        state["cin"].setdefault("_subs", []).append((_SUB_ELEMENTS[tag], state["sub"]))


def _end(tag: str, line: int, elem: ET.Element, stack: list[tuple[str, int]], state: dict,
         out: CinRows) -> None:
    if len(elem) == 0 and stack:
        text = (elem.text or "").strip()
        parent = stack[-1][0]
        child, cin, sub = state["child"], state["cin"], state["sub"]
        if parent in _CHILD_PARENTS and child is not None:
            child[tag], child["@" + tag] = text, line
        elif parent == "CINdetails" and cin is not None:
            cin[tag], cin["@" + tag] = text, line
        elif parent in _SUB_ELEMENTS and sub is not None:
            sub[tag], sub["@" + tag] = text, line
        elif parent == "Reviews" and tag == "CPPreviewDate" and sub is not None:
            sub["_reviews"].append({"CPPreviewDate": text, "@CPPreviewDate": line, "_line": line})
        elif tag in _HEADER_FIELDS and any(t == "Header" for t, _ in stack):
            out.header[tag] = (text, line)
    if tag in _SUB_ELEMENTS:
        state["sub"] = None
    elif tag == "CINdetails":
        state["cin"] = None
    elif tag == "Child" and state["child"] is not None:
        _emit_child(state["child"], out)
        state["child"] = None
        elem.clear()
        if state["children_elem"] is not None:
            try:
                state["children_elem"].remove(elem)
            except ValueError:  # a <Child> outside <Children>: just cleared
                pass


def _emit_child(child: dict, out: CinRows) -> None:
    """Turn one parsed ``<Child>`` into rows of the six tables."""
    child_id = child.get("LAchildID", "")
    base = {k: v for k, v in child.items() if not k.startswith("_")}
    base["_line"] = child["_line"]
    out.rows["cin_children"].append(base)
    for _, cin in child["_rows"]:
        referral = cin.get("CINreferralDate", "")
        row = {k: v for k, v in cin.items() if not k.startswith("_")}
        row.update(LAchildID=child_id, _line=cin["_line"])
        out.rows["cin_episodes"].append(row)
        for table, sub in cin.get("_subs", []):
            srow = {k: v for k, v in sub.items() if not k.startswith("_")}
            srow.update(LAchildID=child_id, CINreferralDate=referral, _line=sub["_line"])
            if table == "cp_plans":
                srow["_plan"] = len(out.rows["cp_plans"])
                for review in sub["_reviews"]:
                    out.rows["cp_reviews"].append({
                        **review, "LAchildID": child_id,
                        "CPPstartDate": sub.get("CPPstartDate", ""),
                        "_plan": srow["_plan"]})
            out.rows[table].append(srow)


def _frame(rows: list[dict], spec: TableSpec) -> tuple[pd.DataFrame, pd.Series, dict]:
    sources = [f.source for f in spec.fields]
    frame = pd.DataFrame(rows, columns=sources + ["@" + s for s in sources] + ["_line", "_plan"])
    lines = frame["_line"].astype("int64") if len(frame) else pd.Series([], dtype="int64")
    field_lines = {s: frame["@" + s].fillna(lines).astype("int64") for s in sources}
    values = frame[sources].fillna("").astype(object)
    for s in sources:
        values[s] = values[s].astype(str).str.strip()
    return values, lines, field_lines


def known_elements(reference_dir: Path) -> set[str]:
    """Element names of the CIN census schema (from ``reference_dir``), plus the root."""
    import csv

    with open(Path(reference_dir) / CIN_ELEMENTS, encoding="utf-8-sig", newline="") as fh:
        names = {row["element"].strip() for row in csv.DictReader(fh)}
    return names | {ROOT}


def year_of(path: Path, raw: CinRows, shown: str) -> str:
    """Collection year of a CIN census file: from its name ``YYYY-YY.xml``, else its header."""
    if YEAR_FOLDER.match(path.stem):
        return check_year_label(path.stem, shown)
    if "ReferenceDate" in raw.header:
        try:
            return collection_year(raw.header["ReferenceDate"][0])
        except ValueError:
            pass
    raise InputError(shown, "collection year unknown: name the file YYYY-YY.xml (for example "
                            "2023-24.xml) or give Header/CollectionDetails/ReferenceDate")


def read_file(path: Path, specs: dict[str, TableSpec], *, raw_dir: Path, la_code: str,
              key: bytes, known: set[str]) -> list[FileResult]:
    """Read, check and type one CIN census file: one :class:`FileResult` per table."""
    shown = path.relative_to(raw_dir).as_posix()
    raw = parse(path, shown, known)
    year = year_of(path, raw, shown)
    warn = LogBuilder(shown)
    lea = raw.header.get("LEA")
    if lea and lea[0] and lea[0] != la_code:
        raise InputError(shown, f"is the return of LA {lea[0]} but is in the folder of LA "
                                f"{la_code}", row=lea[1], field="LEA")
    ref = raw.header.get("ReferenceDate")
    if ref and YEAR_FOLDER.match(path.stem):
        try:
            ref_year = collection_year(ref[0])
        except ValueError:
            ref_year = None
        if ref_year != year:
            warn.add(ref[1], "ReferenceDate", ref[0],
                     f"not in collection year {year} of the file name", WARNING)
    for tag, line in raw.unknown.items():
        log.warning("%s line %s: element %s is not in the CIN census schema; ignored",
                    shown, line, tag)
        warn.add(line, tag, "", "element not in the CIN census schema; ignored", WARNING)

    results = []
    plan_quarantine = np.zeros(0, dtype=bool)
    plan_lines = np.zeros(0, dtype="int64")
    for table in TABLES:
        spec = specs[table]
        rows = raw.rows[table]
        values, lines, field_lines = _frame(rows, spec)
        extra = []
        if table == "cp_reviews" and len(values):
            plan = np.array([r["_plan"] for r in rows], dtype="int64")
            mask = plan_quarantine[plan]
            shown_plans = pd.Series([f"plan at line {n}" for n in plan_lines[plan]])
            extra.append((mask, "CPPstartDate", "its child protection plan is quarantined",
                          shown_plans))
        checked = check_table(values, spec, file=shown, la_code=la_code, key=key, lines=lines,
                              field_lines=field_lines, extra_problems=extra)
        if table == "cp_plans":
            plan_quarantine = checked.quarantined
            plan_lines = lines.to_numpy()
        logs = [checked.log]
        if table == "cin_children":
            logs.insert(0, warn.frame())
        results.append(FileResult(file=shown, spec=spec, la_code=la_code, collection_year=year,
                                   rows_in=checked.rows_in, data=checked.data,
                                   log=combine(logs),
                                   quarantined=int(checked.quarantined.sum())))
    return results
