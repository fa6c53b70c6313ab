"""CIN census XML returns (child in need and child protection): ``<la>/cin_census/<YYYY-YY>.xml``.

The file is streamed with :func:`xml.etree.ElementTree.iterparse`: each ``<Child>`` is read once
complete and then dropped from memory. Line numbers for the data-quality log come from the
position of each start tag in the file (the n-th start tag is the n-th element in document
order). DfE's schema (``cin_census_2024_xsd_elements.csv`` in ``reference_dir``), no XML
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

import io
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
_SUB_ELEMENTS = {
    "CINPlanDates": "cin_plans",
    "Section47": "s47",
    "ChildProtectionPlans": "cp_plans",
}
_HEADER_FIELDS = {"Year", "ReferenceDate", "LEA", "Collection"}
TABLES = ("cin_children", "cin_episodes", "cin_plans", "s47", "cp_plans", "cp_reviews")
_MARKUP = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!.*?>|<(?=[^/!?])", re.S)


class _Rows:
    """Raw rows of one table, column-wise: text per field and the element index it came from."""

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
    """Raw rows of one CIN census file.

    Element positions are document-order indices of the elements (the root is 0); ``lines`` maps
    them to line numbers (``None`` when the file's encoding does not allow it).
    """

    tables: dict[str, _Rows]
    header: dict[str, tuple[str, int]] = field(default_factory=dict)
    review_plan: list[int] = field(default_factory=list)
    unknown: dict[str, int] = field(default_factory=dict)
    lines: np.ndarray | None = None

    def line(self, index: int) -> int | None:
        """Line number of the element with this document-order index."""
        return None if self.lines is None else int(self.lines[index])


def _start_tag_lines(data: bytes) -> np.ndarray:
    """Line of every start tag, in document order (comments, CDATA and PIs skipped)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: scan it as UTF-8
        data = data.decode("utf-16").encode("utf-8")
    arr = np.frombuffer(data, dtype=np.uint8)
    if b"<!" in data:  # comments, CDATA or a DOCTYPE may hold a "<": skip them properly
        starts = np.array(
            [m.start() for m in _MARKUP.finditer(data) if m.group(0) == b"<"], dtype=np.int64
        )
    else:
        lt = np.flatnonzero(arr == ord("<"))
        after = arr[np.minimum(lt + 1, len(arr) - 1)]
        starts = lt[(after != ord("/")) & (after != ord("!")) & (after != ord("?"))]
    newlines = np.flatnonzero(arr == ord("\n"))
    return np.searchsorted(newlines, starts) + 1


def _text(elem: ET.Element) -> str:
    return (elem.text or "").strip()


def _read_child(child: ET.Element, first: int, out: CinRows) -> None:
    """Turn one complete ``<Child>`` (document-order index ``first``) into rows."""
    index = {el: first + i for i, el in enumerate(child.iter())}
    found: dict[str, tuple[str, int]] = {}
    details = []
    for part in child:
        if part.tag in ("ChildIdentifiers", "ChildCharacteristics"):
            for leaf in part:
                if len(leaf) == 0:
                    found[leaf.tag] = (_text(leaf), index[leaf])
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
                cin_found[el.tag] = (_text(el), index[el])
        referral = cin_found.get("CINreferralDate", ("",))[0]
        tables["cin_episodes"].add(index[cin], cin_found, {"LAchildID": child_id})
        for sub in subs:
            sub_found: dict[str, tuple[str, int]] = {}
            reviews = []
            for el in sub:
                if el.tag == "Reviews":
                    reviews.extend(r for r in el if r.tag == "CPPreviewDate")
                elif len(el) == 0:
                    sub_found[el.tag] = (_text(el), index[el])
            table = _SUB_ELEMENTS[sub.tag]
            tables[table].add(
                index[sub], sub_found, {"LAchildID": child_id, "CINreferralDate": referral}
            )
            if table == "cp_plans":
                plan = len(tables["cp_plans"].rows) - 1
                start = sub_found.get("CPPstartDate", ("",))[0]
                for r in reviews:
                    tables["cp_reviews"].add(
                        index[r],
                        {"CPPreviewDate": (_text(r), index[r])},
                        {"LAchildID": child_id, "CPPstartDate": start},
                    )
                    out.review_plan.append(plan)


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
    index = -1
    header: list[tuple[ET.Element, int]] = []
    children_elem = None
    pending: tuple[ET.Element, int] | None = None
    try:
        for _, elem in ET.iterparse(io.BytesIO(data), events=("start",)):
            index += 1
            tag = elem.tag
            if index == 0:
                _check_root(tag, shown, data)
            if tag == "Child":
                if pending is not None:  # the previous <Child> is complete: read, then drop it
                    _read_child(*pending, out)
                    _drop(pending[0], children_elem)
                pending = (elem, index)
            elif tag in _HEADER_FIELDS:
                header.append((elem, index))
            elif tag == "Children":
                children_elem = elem
            if tag not in known_elements:
                if tag[:1] == "{":
                    raise InputError(
                        shown,
                        f"element {tag} uses an XML namespace; the CIN census contract has none",
                        row=_line_at(data, index),
                    )
                out.unknown.setdefault(tag, index)
    except ET.ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else None
        message = re.sub(r":\s*line \d+, column \d+$", "", str(err))
        raise InputError(
            shown, f"is not well-formed XML, or is truncated ({message})", row=line
        ) from None
    if pending is not None:
        _read_child(*pending, out)
    lines = _start_tag_lines(data)
    if len(lines) == index + 1:
        out.lines = lines
    else:  # e.g. a UTF-16 file: positions are not bytes of ASCII markup
        log.warning("%s: line numbers unavailable; the log gives none", shown)
    for elem, i in header:
        out.header.setdefault(elem.tag, (_text(elem), i))
    return out


def _drop(elem: ET.Element, parent: ET.Element | None) -> None:
    elem.clear()
    if parent is not None:
        try:
            parent.remove(elem)
        except ValueError:  # a <Child> outside <Children>: just cleared
            pass


def _line_at(data: bytes, index: int) -> int | None:
    lines = _start_tag_lines(data)
    return int(lines[index]) if index < len(lines) else None


def _check_root(tag: str, shown: str, data: bytes) -> None:
    if tag.startswith("{"):
        namespace = tag[1 : tag.index("}")]
        raise InputError(
            shown,
            f"uses the XML namespace {namespace}; the CIN census contract has "
            "no namespace (remove xmlns from the root element)",
            row=_line_at(data, 0),
        )
    if tag != ROOT:
        raise InputError(
            shown,
            f"root element is <{tag}>, expected <{ROOT}> (is this a CIN census return?)",
            row=_line_at(data, 0),
        )


def _frame(rows: _Rows, raw: CinRows) -> tuple[pd.DataFrame, pd.Series, dict[str, pd.Series]]:
    """Raw values, row lines and field lines of one table, for :func:`check_table`."""
    values = pd.DataFrame({f: pd.Series(v, dtype=object) for f, v in rows.values.items()})
    n = len(rows.rows)

    def lines_of(indices: list[int]) -> pd.Series:
        if raw.lines is None or n == 0:
            return pd.Series([pd.NA] * n, dtype="Int64")
        return pd.Series(raw.lines[np.asarray(indices, dtype=np.int64)], dtype="int64")

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
            row=raw.line(lea[1]),
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
                raw.line(ref[1]),
                "ReferenceDate",
                ref[0],
                f"not in collection year {year} of the file name",
                WARNING,
            )
    for tag, index in raw.unknown.items():
        line = raw.line(index)
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
        values, lines, field_lines = _frame(rows, raw)
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
