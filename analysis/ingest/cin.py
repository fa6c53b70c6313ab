"""CIN census XML returns (child in need and child protection): ``<la>/cin_census/<YYYY-YY>.xml``.

The file is streamed with :func:`lxml.etree.iterparse` (libxml2): each ``<Child>`` is read once
complete and then dropped from memory, so memory does not grow with the file. Line numbers for the
data-quality log are the parser's own (``sourceline``: the line of the element's start tag, in
any encoding). DfE's schema (``cin_census_2024_xsd_elements.csv`` in ``reference_dir``), no XML
namespace, dates ``YYYY-MM-DD``. The parser never fetches anything from the network and does not
expand entities.

One file gives six tables (``schemas.yml``): ``cin_children`` (one row per ``<Child>``),
``cin_episodes`` (``<CINdetails>``), ``cin_plans`` (``<CINPlanDates>``), ``s47``
(``<Section47>``), ``cp_plans`` (``<ChildProtectionPlans>``) and ``cp_reviews``
(``<CPPreviewDate>``). A nested row carries its child's ``LAchildID`` and the date that ties it
to its parent (``CINreferralDate``; ``CPPstartDate`` for a review). A child without an
``LAchildID`` is quarantined with everything under it; a review whose plan is quarantined is
quarantined too (it cannot be tied to a plan).
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from lxml import etree

from analysis.dates import collection_year
from analysis.errors import InputError
from analysis.ingest.model import FileResult
from analysis.ingest.quality import WARNING, LogBuilder, combine
from analysis.ingest.spec import CIN_ELEMENTS, TableSpec
from analysis.ingest.ssda903 import YEAR_FOLDER, check_year_label
from analysis.ingest.validate import check_table

log = logging.getLogger(__name__)

ROOT = "Message"
_SUB_ELEMENTS = {
    "CINPlanDates": "cin_plans",
    "Section47": "s47",
    "ChildProtectionPlans": "cp_plans",
}
_HEADER_FIELDS = ("Year", "ReferenceDate", "LEA", "Collection")
TABLES = ("cin_children", "cin_episodes", "cin_plans", "s47", "cp_plans", "cp_reviews")


class _Rows:
    """Raw rows of one table, column-wise: text per field and the line it came from."""

    def __init__(self, fields: tuple[str, ...]) -> None:
        self.fields = fields
        self.values: dict[str, list[str]] = {f: [] for f in fields}
        self.at: dict[str, list[int]] = {f: [] for f in fields}
        self.rows: list[int] = []

    def add(self, row: int, found: dict[str, tuple[str, int]], copied: dict[str, str]) -> None:
        self.rows.append(row)
        for f in self.fields:
            if f in found:
                text, at = found[f]
            else:
                text, at = copied.get(f, ""), row
            self.values[f].append(text)
            self.at[f].append(at)


@dataclass
class CinRows:
    """Raw rows of one CIN census file; every position is the line of an element's start tag."""

    tables: dict[str, _Rows]
    header: dict[str, tuple[str, int]] = field(default_factory=dict)
    review_plan: list[int] = field(default_factory=list)
    unknown: dict[str, int] = field(default_factory=dict)


def _text(elem: etree._Element) -> str:
    return (elem.text or "").strip()


def _read_child(child: etree._Element, out: CinRows) -> None:
    """Turn one complete ``<Child>`` into rows."""
    first = child.sourceline
    found: dict[str, tuple[str, int]] = {}
    details = []
    for part in child:
        if part.tag in ("ChildIdentifiers", "ChildCharacteristics"):
            for leaf in part:
                if len(leaf) == 0:
                    found[leaf.tag] = (_text(leaf), leaf.sourceline)
        elif part.tag == "CINdetails":
            details.append(part)
    child_id = found.get("LAchildID", ("", first))[0]
    tables = out.tables
    tables["cin_children"].add(first, found, {})
    for cin in details:
        cin_found: dict[str, tuple[str, int]] = {}
        subs = []
        for el in cin:
            if el.tag in _SUB_ELEMENTS:
                subs.append(el)
            elif len(el) == 0:
                cin_found[el.tag] = (_text(el), el.sourceline)
        referral = cin_found.get("CINreferralDate", ("",))[0]
        tables["cin_episodes"].add(cin.sourceline, cin_found, {"LAchildID": child_id})
        for sub in subs:
            sub_found: dict[str, tuple[str, int]] = {}
            reviews = []
            for el in sub:
                if el.tag == "Reviews":
                    reviews.extend(r for r in el if r.tag == "CPPreviewDate")
                elif len(el) == 0:
                    sub_found[el.tag] = (_text(el), el.sourceline)
            table = _SUB_ELEMENTS[sub.tag]
            tables[table].add(
                sub.sourceline, sub_found, {"LAchildID": child_id, "CINreferralDate": referral}
            )
            if table == "cp_plans":
                plan = len(tables["cp_plans"].rows) - 1
                start = sub_found.get("CPPstartDate", ("",))[0]
                for r in reviews:
                    line = r.sourceline
                    tables["cp_reviews"].add(
                        line,
                        {"CPPreviewDate": (_text(r), line)},
                        {"LAchildID": child_id, "CPPstartDate": start},
                    )
                    out.review_plan.append(plan)


def _note_unknown(elem: etree._Element, known: set[str], out: CinRows, shown: str) -> None:
    """Record elements of ``elem``'s subtree that are not in the schema (first line of each).

    Raises
    ------
    InputError
        An element uses an XML namespace.
    """
    tags = {el.tag for el in elem.iter()}
    if tags <= known:
        return
    for el in elem.iter():
        tag = el.tag
        if tag in known:
            continue
        if tag[:1] == "{":
            raise InputError(
                shown,
                f"element {tag} uses an XML namespace; the CIN census contract has none",
                row=el.sourceline,
            )
        if tag not in out.unknown or el.sourceline < out.unknown[tag]:
            out.unknown[tag] = el.sourceline


def _parser(data: bytes) -> etree.iterparse:
    """Stream the ``<Child>`` and header elements (when complete) of a CIN census file."""
    return etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=("Child", *_HEADER_FIELDS),
        remove_comments=True,
        remove_pis=True,
        resolve_entities=False,
        no_network=True,
    )


def parse(
    path: Path, shown: str, known_elements: set[str], fields: dict[str, tuple[str, ...]]
) -> CinRows:
    """Stream a CIN census XML file into raw rows.

    Parameters
    ----------
    path, shown
        The file, and its name as shown in messages.
    known_elements
        Element names of the schema; others are reported as unknown.
    fields
        Per table, the elements its rows read (``TableSpec.fields``).

    Raises
    ------
    InputError
        The file is not well-formed (truncated, broken tags; the message gives the parser's line),
        its root element is not ``<Message>``, or it uses an XML namespace.
    """
    data = Path(path).read_bytes()
    out = CinRows(tables={t: _Rows(fields[t]) for t in TABLES})
    context = _parser(data)
    root_checked = False
    try:
        for _, elem in context:
            if not root_checked:
                _check_root(elem.getroottree().getroot(), shown)
                root_checked = True
            if elem.tag != "Child":
                out.header.setdefault(elem.tag, (_text(elem), elem.sourceline))
                continue
            _note_unknown(elem, known_elements, out, shown)
            _read_child(elem, out)
            _drop(elem, known_elements, out, shown)
    except etree.XMLSyntaxError as err:
        line = err.position[0] if err.position and err.position[0] else None
        message = re.sub(r",\s*line \d+, column \d+$", "", err.msg or str(err)).strip()
        raise InputError(
            shown, f"is not well-formed XML, or is truncated ({message})", row=line
        ) from None
    if context.root is None:  # pragma: no cover - libxml2 raises on an empty document
        raise InputError(shown, "is not well-formed XML, or is truncated (no root element)")
    if not root_checked:
        _check_root(context.root, shown)
    _note_unknown(context.root, known_elements | {"Child"}, out, shown)
    out.unknown = dict(sorted(out.unknown.items(), key=lambda item: item[1]))
    return out


def _drop(child: etree._Element, known: set[str], out: CinRows, shown: str) -> None:
    """Free a ``<Child>`` once read, and the elements before it (checked for unknown tags)."""
    child.clear()
    parent = child.getparent()
    if parent is None:
        return
    while parent[0] is not child:
        if parent[0].tag != "Child":
            _note_unknown(parent[0], known, out, shown)
        del parent[0]


def _check_root(root: etree._Element, shown: str) -> None:
    tag = root.tag
    if tag.startswith("{"):
        namespace = tag[1 : tag.index("}")]
        raise InputError(
            shown,
            f"uses the XML namespace {namespace}; the CIN census contract has "
            "no namespace (remove xmlns from the root element)",
            row=root.sourceline,
        )
    if tag != ROOT:
        raise InputError(
            shown,
            f"root element is <{tag}>, expected <{ROOT}> (is this a CIN census return?)",
            row=root.sourceline,
        )


def _frame(rows: _Rows) -> tuple[pd.DataFrame, pd.Series, dict[str, pd.Series]]:
    """Raw values, row lines and field lines of one table, for :func:`check_table`."""
    values = pd.DataFrame({f: pd.Series(v, dtype=object) for f, v in rows.values.items()})

    def lines_of(lines: list[int]) -> pd.Series:
        return pd.Series(np.asarray(lines, dtype=np.int64), dtype="int64")

    field_lines = {f: lines_of(at) for f, at in rows.at.items()}
    return values, lines_of(rows.rows), field_lines


def known_elements(reference_dir: Path) -> set[str]:
    """Element names of the CIN census schema (from ``reference_dir``), plus the root."""
    import csv

    with open(Path(reference_dir) / CIN_ELEMENTS, encoding="utf-8-sig", newline="") as fh:
        names = {row["element"].strip() for row in csv.DictReader(fh)}
    return names | {ROOT}


def year_of(path: Path, raw: CinRows, shown: str) -> str:
    """Return a CIN census file's collection year: from its name ``YYYY-YY.xml``, else header."""
    if YEAR_FOLDER.match(path.stem):
        return check_year_label(path.stem, shown)
    if "ReferenceDate" in raw.header:
        try:
            return collection_year(raw.header["ReferenceDate"][0])
        except ValueError:
            pass
    raise InputError(
        shown,
        "collection year unknown: name the file YYYY-YY.xml (for example "
        "2023-24.xml) or give Header/CollectionDetails/ReferenceDate",
    )


def read_file(
    path: Path,
    specs: dict[str, TableSpec],
    *,
    raw_dir: Path,
    la_code: str,
    key: bytes,
    known: set[str],
) -> list[FileResult]:
    """Read, check and type one CIN census file: one :class:`FileResult` per table."""
    shown = path.relative_to(raw_dir).as_posix()
    raw = parse(path, shown, known, {t: tuple(f.source for f in specs[t].fields) for t in TABLES})
    year = year_of(path, raw, shown)
    warn = LogBuilder(shown)
    lea = raw.header.get("LEA")
    if lea and lea[0] and lea[0] != la_code:
        raise InputError(
            shown,
            f"is the return of LA {lea[0]} but is in the folder of LA {la_code}",
            row=lea[1],
            field="LEA",
        )
    ref = raw.header.get("ReferenceDate")
    if ref and YEAR_FOLDER.match(path.stem):
        try:
            ref_year = collection_year(ref[0])
        except ValueError:
            ref_year = None
        if ref_year != year:
            warn.add(
                ref[1],
                "ReferenceDate",
                ref[0],
                f"not in collection year {year} of the file name",
                WARNING,
            )
    for tag, line in raw.unknown.items():
        log.warning(
            "%s line %s: element %s is not in the CIN census schema; ignored", shown, line, tag
        )
        warn.add(line, tag, "", "element not in the CIN census schema; ignored", WARNING)

    results = []
    plan_quarantine = np.zeros(0, dtype=bool)
    plan_lines = pd.Series([], dtype="Int64")
    for table in TABLES:
        spec = specs[table]
        rows = raw.tables[table]
        values, lines, field_lines = _frame(rows)
        extra = []
        if table == "cp_reviews" and len(values):
            plan = np.asarray(raw.review_plan, dtype=np.int64)
            mask = plan_quarantine[plan]
            shown_plans = pd.Series([f"plan at line {n}" for n in plan_lines.iloc[plan]])
            extra.append(
                (mask, "CPPstartDate", "its child protection plan is quarantined", shown_plans)
            )
        checked = check_table(
            values,
            spec,
            file=shown,
            la_code=la_code,
            key=key,
            lines=lines,
            field_lines=field_lines,
            extra_problems=extra,
        )
        if table == "cp_plans":
            plan_quarantine, plan_lines = checked.quarantined, lines
        logs = [checked.log]
        if table == "cin_children":
            logs.insert(0, warn.frame())
        results.append(
            FileResult(
                file=shown,
                spec=spec,
                la_code=la_code,
                collection_year=year,
                rows_in=checked.rows_in,
                data=checked.data,
                log=combine(logs),
                quarantined=int(checked.quarantined.sum()),
            )
        )
    return results
