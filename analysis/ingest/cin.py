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
from itertools import chain
from operator import attrgetter
from pathlib import Path

import numpy as np
import pandas as pd
from lxml import etree

from analysis.dates import collection_year
from analysis.errors import InputError
from analysis.ingest.model import FileResult, split_by_file
from analysis.ingest.quality import WARNING, LogBuilder
from analysis.ingest.rawcolumn import RawColumn
from analysis.ingest.spec import CIN_ELEMENTS, TableSpec
from analysis.ingest.ssda903 import YEAR_FOLDER, check_year_label
from analysis.ingest.validate import Checked, check_table

log = logging.getLogger(__name__)

ROOT = "Message"
_SUB_ELEMENTS = {
    "CINPlanDates": "cin_plans",
    "Section47": "s47",
    "ChildProtectionPlans": "cp_plans",
}
_HEADER_FIELDS = ("Year", "ReferenceDate", "LEA", "Collection")
#: The elements that hold rows (``<Child>``'s parts, the sub-elements of ``<CINdetails>`` and the
#: reviews): :func:`_read_child` does not check their names against the schema.
_ROW_PARTS = frozenset(
    {"Child", "ChildIdentifiers", "ChildCharacteristics", "CINdetails", "Reviews", "CPPreviewDate"}
    | _SUB_ELEMENTS.keys()
)
TABLES = ("cin_children", "cin_episodes", "cin_plans", "s47", "cp_plans", "cp_reviews")
_TAG = attrgetter("tag")


class _Rows:
    """Raw rows of one table, column-wise: text per field and the line it came from."""

    def __init__(self, fields: tuple[str, ...]) -> None:
        self.fields = fields
        self.values: dict[str, list[str]] = {f: [] for f in fields}
        self.at: dict[str, list[int]] = {f: [] for f in fields}
        self.rows: list[int] = []
        self._append = [(f, self.values[f].append, self.at[f].append) for f in fields]

    def add(self, row: int, found: dict[str, etree._Element], copied: dict[str, str]) -> None:
        """Add the row whose element starts at line ``row``.

        A field is the stripped text of its element in ``found``, at that element's line; else
        its value in ``copied`` (else empty), at the row's line.
        """
        self.rows.append(row)
        for f, value, at in self._append:
            el = found.get(f)
            if el is None:
                value(copied.get(f, ""))
                at(row)
            else:
                text = el.text
                value(text.strip() if text else "")
                at(el.sourceline)


@dataclass
class CinRows:
    """Raw rows of one CIN census file; every position is the line of an element's start tag."""

    tables: dict[str, _Rows]
    header: dict[str, tuple[str, int]] = field(default_factory=dict)
    review_plan: list[int] = field(default_factory=list)
    unknown: dict[str, int] = field(default_factory=dict)


def _text(elem: etree._Element | None) -> str:
    """The stripped text of an element (empty if none)."""
    if elem is None:
        return ""
    text = elem.text
    return text.strip() if text else ""


def _all_known(elem: etree._Element, known: set[str]) -> bool:
    """Whether every element of ``elem``'s subtree is in the schema."""
    return set(map(_TAG, elem.iter())) <= known


def _read_child(child: etree._Element, out: CinRows, known: set[str]) -> bool:
    """Turn one complete ``<Child>`` into rows.

    A row's fields are the childless elements directly under its element (the last one of each
    name), else values copied from its parents. Returns whether the names of the fields met are
    in the schema ``known`` and so is every element of the other subtrees met (elements that
    are neither a row's element nor a field). The names of the rows' elements themselves
    (:data:`_ROW_PARTS`) are not checked.
    """
    first = child.sourceline
    found: dict[str, etree._Element] = {}
    details = []
    odd = []  # elements that are neither a row's element nor a field: checked whole
    for part in child:
        tag = part.tag
        if tag == "ChildIdentifiers" or tag == "ChildCharacteristics":
            for leaf in part:
                if len(leaf):
                    odd.append(leaf)
                else:
                    found[leaf.tag] = leaf
        elif tag == "CINdetails":
            details.append(part)
        else:
            odd.append(part)
    all_known = known.issuperset(found)
    child_id = _text(found.get("LAchildID"))
    tables = out.tables
    tables["cin_children"].add(first, found, {})
    child_copied = {"LAchildID": child_id}
    for cin in details:
        cin_found: dict[str, etree._Element] = {}
        subs = []
        for el in cin:
            tag = el.tag
            if tag in _SUB_ELEMENTS:
                subs.append(el)
            elif len(el):
                odd.append(el)
            else:
                cin_found[tag] = el
        all_known = all_known and known.issuperset(cin_found)
        tables["cin_episodes"].add(cin.sourceline, cin_found, child_copied)
        if not subs:
            continue
        copied = {"LAchildID": child_id, "CINreferralDate": _text(cin_found.get("CINreferralDate"))}
        for sub in subs:
            sub_found: dict[str, etree._Element] = {}
            reviews = []
            for el in sub:
                tag = el.tag
                if tag == "Reviews":
                    for r in el:
                        if r.tag == "CPPreviewDate":
                            reviews.append(r)
                            if len(r):
                                odd.append(r)
                        else:
                            odd.append(r)
                elif len(el):
                    odd.append(el)
                else:
                    sub_found[tag] = el
            all_known = all_known and known.issuperset(sub_found)
            table = _SUB_ELEMENTS[sub.tag]
            tables[table].add(sub.sourceline, sub_found, copied)
            if table == "cp_plans":
                plan = len(tables["cp_plans"].rows) - 1
                start = _text(sub_found.get("CPPstartDate"))
                plan_copied = {"LAchildID": child_id, "CPPstartDate": start}
                for r in reviews:
                    tables["cp_reviews"].add(r.sourceline, {"CPPreviewDate": r}, plan_copied)
                    out.review_plan.append(plan)
    if all_known and odd:
        all_known = all(_all_known(el, known) for el in odd)
    return all_known


def _note_unknown(elem: etree._Element, known: set[str], out: CinRows, shown: str) -> None:
    """Record elements of ``elem``'s subtree that are not in the schema (first line of each).

    Raises
    ------
    InputError
        An element uses an XML namespace, or the subtree holds an entity reference (``&name;``
        of a DTD).
    """
    if _all_known(elem, known):
        return
    for el in elem.iter():
        tag = el.tag
        if tag in known:
            continue
        if not isinstance(tag, str):  # an entity reference, which the parser does not expand
            raise InputError(
                shown,
                f"uses an entity reference ({el.text}); the CIN census contract defines no "
                "entities (write the value itself)",
                row=el.sourceline or elem.sourceline,
            )
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
    rows_known = _ROW_PARTS <= known_elements
    try:
        for _, elem in context:
            if not root_checked:
                _check_root(elem.getroottree().getroot(), shown)
                root_checked = True
            if elem.tag != "Child":
                out.header.setdefault(elem.tag, (_text(elem), elem.sourceline))
                continue
            if not _read_child(elem, out, known_elements) or not rows_known:
                _note_unknown(elem, known_elements, out, shown)
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


def _frame(tables: list[_Rows]) -> tuple[dict[str, RawColumn], np.ndarray, dict[str, np.ndarray]]:
    """Raw values, row lines and field lines of one table's rows of several files, in order."""
    fields = tables[0].fields
    n = sum(len(t.rows) for t in tables)
    values = {
        f: RawColumn.of(
            np.fromiter(chain.from_iterable(t.values[f] for t in tables), dtype=object, count=n)
        )
        for f in fields
    }
    rows = np.fromiter(chain.from_iterable(t.rows for t in tables), dtype=np.int64)
    field_lines = {
        f: np.fromiter(chain.from_iterable(t.at[f] for t in tables), dtype=np.int64) for f in fields
    }
    return values, rows, field_lines


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


def _file_warnings(path: Path, raw: CinRows, shown: str, la_code: str, year: str) -> pd.DataFrame:
    """The file-level checks of a CIN census file: its LA, ReferenceDate and unknown elements.

    Raises
    ------
    InputError
        The file is another LA's return (its ``LEA``).
    """
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
    return warn.frame()


#: Lines are tagged with their file (``file << _FILE_SHIFT | line``) while an LA's files are
#: checked together.
_FILE_SHIFT = 32


def read_files(
    paths: list[Path],
    specs: dict[str, TableSpec],
    *,
    raw_dir: Path,
    la_code: str,
    key: bytes,
    known: set[str],
) -> list[FileResult]:
    """Read, check and type an LA's CIN census files: one :class:`FileResult` per table of each.

    Each table's rows of all the files are checked together (one pass over each field instead
    of one per file) and then split back per file, exactly as if each file had been checked
    alone: each row keeps its own file and lines in the log. Results are in file order, then
    :data:`TABLES` order.
    """
    files = []
    for path in paths:
        shown = path.relative_to(raw_dir).as_posix()
        raw = parse(
            path, shown, known, {t: tuple(f.source for f in specs[t].fields) for t in TABLES}
        )
        year = year_of(path, raw, shown)
        files.append((shown, year, raw, _file_warnings(path, raw, shown, la_code, year)))
    results: list[list[FileResult]] = [[] for _ in files]
    plan_quarantine = np.zeros(0, dtype=bool)
    plan_lines = np.zeros(0, dtype=np.int64)
    plan_offsets = np.zeros(len(files), dtype=np.int64)
    for table in TABLES:
        spec = specs[table]
        rows_of = [raw.tables[table] for _, _, raw, _ in files]
        sizes = [len(rows.rows) for rows in rows_of]
        file_of = np.repeat(np.arange(len(files), dtype=np.int64), sizes)
        tag = file_of << _FILE_SHIFT
        values, real_lines, field_lines = _frame(rows_of)
        lines = pd.Series(tag | real_lines)
        field_lines = {f: tag | at for f, at in field_lines.items()}
        extra = []
        if table == "cp_reviews" and len(real_lines):
            plan = np.concatenate(
                [
                    np.asarray(raw.review_plan, dtype=np.int64) + plan_offsets[i]
                    for i, (_, _, raw, _) in enumerate(files)
                ]
            )
            mask = plan_quarantine[plan]
            shown_plans = np.full(len(plan), "", dtype=object)  # shown for the masked rows only
            shown_plans[mask] = [f"plan at line {n}" for n in plan_lines[plan[mask]]]
            extra.append(
                (mask, "CPPstartDate", "its child protection plan is quarantined", shown_plans)
            )
        checked = check_table(
            values,
            spec,
            file="",
            la_code=la_code,
            key=key,
            lines=lines,
            field_lines=field_lines,
            extra_problems=extra,
        )
        if table == "cp_plans":
            plan_quarantine, plan_lines = checked.quarantined, real_lines
            plan_offsets = np.cumsum([0, *sizes[:-1]], dtype=np.int64)
        for i, result in enumerate(_split(checked, spec, files, sizes, file_of, la_code)):
            results[i].append(result)
    return [result for per_file in results for result in per_file]


def _split(
    checked: Checked,
    spec: TableSpec,
    files: list[tuple[str, str, CinRows, pd.DataFrame]],
    sizes: list[int],
    file_of: np.ndarray,
    la_code: str,
) -> list[FileResult]:
    """One :class:`FileResult` per file from a table checked over several files."""
    low = (1 << _FILE_SHIFT) - 1
    data, entries = checked.data, checked.log
    tagged = data["_line"].to_numpy(dtype=np.int64)
    data["_line"] = tagged & low
    # Kept rows stay in input order, so each file's rows are one slice of ``data``.
    starts = np.searchsorted(tagged >> _FILE_SHIFT, np.arange(len(files) + 1))
    entry_tagged = entries["row"].to_numpy(dtype=np.int64)
    entry_file = entry_tagged >> _FILE_SHIFT
    quarantined = np.bincount(file_of[checked.quarantined], minlength=len(files))
    first = spec.processed == TABLES[0]  # a file's warnings are logged with its first table
    return split_by_file(
        data,
        entries,
        files=[(shown, year, warnings if first else None) for shown, year, _, warnings in files],
        spec=spec,
        la_code=la_code,
        starts=starts,
        sizes=sizes,
        quarantined=quarantined,
        entry_file=entry_file,
        entry_rows=entry_tagged & low,
    )
