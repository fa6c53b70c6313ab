"""Identifier scanner: no child id, UPN, full date of birth or postcode in any build output.

DESIGN section 3: child identifiers are pseudonymised on ingest and names, UPNs, postcodes and
full dates of birth never leave ``data/processed/``. This module checks that promise on the
finished outputs, so a mistake anywhere (a notebook printing a raw table, a chart's alt text, a
debugging cell) fails the build instead of reaching a committee pack.

:func:`scan_outputs` collects the identifiers of the raw input (:func:`collect_identifiers`) and
searches the text of every file of the build (:func:`scan_file`):

- HTML (text, and the ``alt``, ``title``, ``aria-label`` and ``href`` attributes; styles and
  embedded ``data:`` images are skipped);
- PDF (the text of each page: poppler's ``pdftotext`` when installed, else ``pypdf``);
- DOCX (the text of each paragraph of every XML part, so an id split over two runs is found,
  and the alt text of pictures);
- CSV, Markdown, Typst, YAML, JSON and plain text (line by line);
- XLSX (every cell of every sheet; a date cell is compared as a date);
- executed notebooks ``.ipynb`` (cell sources and text outputs; images are skipped).

Other files (PNG charts, fonts) are not searched: charts are drawn from tables that are.

What is searched for, and why (docs/data_protection.md has the full reasoning):

- **child ids**: SSDA903 ``CHILD``, CIN ``LAchildID``, the IRO and RAA extracts' ``child_id``.
  An id is searched as a whole token (letters and digits, or the id's own ``- _ / .``
  separators). Short ids would match ordinary numbers in a report (``42`` children, the year
  ``2024``, a population of ``33990``), so an id is searched only when it has at least
  :data:`MIN_ID_LENGTH` characters, and an all-digit id without a leading zero only when it has
  at least :data:`MIN_NUMERIC_ID_LENGTH` digits (a number is never printed with a leading zero,
  and counts of an LA's children have fewer digits). Six-digit numbers do appear in reports
  (populations: 118,547 White residents of Middlesbrough in Census 2021; the data-quality total
  of 105,069 rows), and each of those equals one synthetic child's id, so a file is reported for
  such numeric ids only when it holds :data:`NUMERIC_ID_CORROBORATION` different ones, or another
  kind of identifier. The number of ids too short to search is logged.
- **UPNs** (``UPN``, ``FormerUPN``): as tokens, case-insensitively.
- **full dates of birth** (``DOB``, ``MC_DOB``, ``PersonBirthDate``,
  ``ExpectedPersonBirthDate``): any date written as ``dd/mm/YYYY``, ``dd-mm-YYYY``,
  ``dd.mm.YYYY``, ``YYYY-MM-DD`` or ``1 April 2015`` (``1st Apr. 2015``) is read and compared
  with the set of raw dates of birth. Dates that a report prints by construction cannot be told
  apart from a child's birthday, so they are allowed: the dates in the suite's own texts (code
  descriptions, report sources and catalogue, e.g. "from 22 April 2014") and the dates passed as
  ``allowed_dates`` (the build passes the period boundaries and month ends, see
  :func:`report_calendar_dates`). A date with a time of day (``2023-05-04T10:12:00``) is a
  timestamp, such as a document's creation time, not a birthday.
- **postcodes** (``HOME_POST``, ``PL_POST``, any ``POSTCODE`` column): full postcodes only
  (outward and inward code, spaces ignored); a district such as ``TS1`` identifies nobody.

A :class:`Finding` names the file, the kind of identifier, where the first one is and how many
there are, but never the identifier itself, so the error message and the build log are safe.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from analysis.paths import PACKAGE_DIR, REPORTS_DIR

log = logging.getLogger(__name__)

#: Shortest child id searched for (shorter ids match ordinary numbers and words).
MIN_ID_LENGTH = 5
#: Shortest all-digit child id without a leading zero searched for.
MIN_NUMERIC_ID_LENGTH = 6

CHILD_ID, UPN, DOB, POSTCODE = "child id", "UPN", "date of birth", "postcode"
KINDS = (CHILD_ID, UPN, DOB, POSTCODE)
# An all-digit child id without a leading zero: it reads like a count (see the module notes).
_NUMERIC_ID = "numeric child id"
#: Distinct numeric child ids that one file must hold to be reported when nothing else is.
NUMERIC_ID_CORROBORATION = 2

# Raw columns (CSV, upper-cased) and XML elements holding each kind of identifier.
_CSV_COLUMNS = {
    "CHILD": CHILD_ID,
    "CHILD_ID": CHILD_ID,
    "LACHILDID": CHILD_ID,
    "UPN": UPN,
    "FORMERUPN": UPN,
    "DOB": DOB,
    "MC_DOB": DOB,
    "PERSONBIRTHDATE": DOB,
    "HOME_POST": POSTCODE,
    "PL_POST": POSTCODE,
    "POSTCODE": POSTCODE,
}
_XML_ELEMENTS = {
    "LAchildID": CHILD_ID,
    "UPN": UPN,
    "FormerUPN": UPN,
    "PersonBirthDate": DOB,
    "ExpectedPersonBirthDate": DOB,
}
_CSV_ENCODINGS = ("utf-8-sig", "cp1252")

_TEXT_SUFFIXES = {".csv", ".md", ".qmd", ".typ", ".txt", ".yml", ".yaml", ".json", ".tsv", ".tex"}
_SCANNED_SUFFIXES = _TEXT_SUFFIXES | {".html", ".htm", ".pdf", ".docx", ".xlsx", ".ipynb"}

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_FIRST = re.compile(r"(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})(?!\d)")
# A time after an ISO date (other than midnight) makes it a machine timestamp, not a birthday.
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(?!\d)")
_LONG = re.compile(
    rf"(?<![\dA-Za-z])(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAMES})\.?,?\s+(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d[A-Za-z\d]?)\s*(\d[A-Za-z]{2})(?![A-Za-z0-9])"
)
_FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")
# A run of letters and digits joined by the separators child ids may hold.
_RUN = re.compile(r"[A-Za-z0-9]+(?:[\-_/.][A-Za-z0-9]+)*")
_SEPARATOR = re.compile(r"([\-_/.])")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)+$")
_DATA_URI = re.compile(r"data:[\w/+.\-]+;base64,[A-Za-z0-9+/=\s]+")
_MAX_PARTS = 8


@dataclass(frozen=True)
class Finding:
    """Raw identifiers of one kind found in one output file.

    Attributes
    ----------
    file
        The output file, relative to the scanned folder (prefixed with the folder's name for the
        extra folders, such as the executed notebooks).
    kind
        ``child id``, ``UPN``, ``date of birth`` or ``postcode``.
    where
        Where the first one is: ``line 12``, ``page 3``, ``sheet cla_summary cell B4``,
        ``cell 5``, ``paragraph 7 of word/document.xml``.
    count
        How many were found in the file.
    """

    file: str
    kind: str
    where: str
    count: int = 1

    def __str__(self) -> str:
        plural = "s" if self.count > 1 else ""
        return f"{self.file}: {self.count} raw {self.kind}{plural} (first at {self.where})"


@dataclass
class Identifiers:
    """The identifiers of a raw folder, normalised for searching.

    Attributes
    ----------
    tokens
        Upper-cased child ids and UPNs, each mapped to its kind.
    dobs
        Dates of birth.
    postcodes
        Full postcodes, upper-cased, without spaces.
    too_short
        Child ids not searched because they are too short to tell from ordinary numbers.
    digest_key
        ``None`` when the values are kept as they are. Otherwise every value is a keyed BLAKE2b
        digest (:meth:`digest`; dates of birth as ISO dates) and text is searched by digesting
        its candidates: the form :mod:`analysis.scan_index` keeps on disk between builds.
    """

    tokens: dict = field(default_factory=dict)
    dobs: set = field(default_factory=set)
    postcodes: set = field(default_factory=set)
    too_short: int = 0
    digest_key: bytes | None = None

    def __len__(self) -> int:
        return len(self.tokens) + len(self.dobs) + len(self.postcodes)

    def digest(self, value: str) -> str | bytes:
        """``value`` in the form the sets hold: itself, or its keyed digest."""
        if self.digest_key is None:
            return value
        return hashlib.blake2b(value.encode("utf-8"), key=self.digest_key, digest_size=16).digest()

    def date_form(self, date: dt.date) -> dt.date | bytes:
        """A date in the form :attr:`dobs` holds."""
        return date if self.digest_key is None else self.digest(date.isoformat())

    def digested(self, key: bytes) -> Identifiers:
        """The same identifiers as keyed digests (``key``: up to 64 bytes)."""
        out = Identifiers(too_short=self.too_short, digest_key=key)
        out.tokens = {out.digest(token): kind for token, kind in self.tokens.items()}
        out.dobs = {out.date_form(d) for d in self.dobs}
        out.postcodes = {out.digest(code) for code in self.postcodes}
        return out


# --- dates -------------------------------------------------------------------------------------


def _date(year: str, month: str | int, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def find_dates(text: str) -> Iterator[dt.date]:
    """Every full date written in ``text`` as dd/mm/YYYY, YYYY-MM-DD or ``1 April 2015``.

    Day-first numeric dates accept ``/``, ``-`` or ``.`` separators (UK usage); an impossible
    date (``31/02/2024``) is not a date.
    """
    for m in _DAY_FIRST.finditer(text):
        d = _date(m.group(4), m.group(3), m.group(1))
        if d:
            yield d
    for m in _ISO.finditer(text):
        if m.group(4) and any(int(g or 0) for g in m.group(4, 5, 6)):
            continue  # a timestamp such as a document's creation time
        d = _date(m.group(1), m.group(2), m.group(3))
        if d:
            yield d
    for m in _LONG.finditer(text):
        d = _date(m.group(3), _MONTHS[m.group(2).lower()], m.group(1))
        if d:
            yield d


def _parse_raw_date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    found = next(find_dates(value), None)
    return found


def report_calendar_dates(period_start: dt.date, period_end: dt.date) -> set[dt.date]:
    """Dates a report prints by construction, not to be taken for a child's date of birth.

    The boundaries of collection years and half years (1 April, 30 September, 1 October,
    31 March) from five years before the period to one year after it (the reports compare with
    earlier years), and every month's first and last day from a year before the period start to
    the period end (monthly tables and charts).
    """
    out: set[dt.date] = set()
    for year in range(period_start.year - 5, period_end.year + 2):
        out |= {
            dt.date(year, 4, 1),
            dt.date(year, 9, 30),
            dt.date(year, 10, 1),
            dt.date(year, 3, 31),
        }
    first = dt.date(period_start.year - 1, period_start.month, 1)
    month = first
    while month <= period_end:
        nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        out |= {month, nxt - dt.timedelta(days=1)}
        month = nxt
    return out


@cache
def suite_text_dates() -> frozenset[dt.date]:
    """Dates written in the suite's own texts: code descriptions, report sources, catalogue.

    For example "(from 22 April 2014) a child arrangements order" in the description of REC E4A.
    The package's own source counts too: the definitions appendix (:mod:`analysis.definitions`)
    prints the metric docstrings, whose worked examples have dates ("start 31 Dec 2022 is 15+ on
    31 Mar 2024").
    """
    paths = [
        *sorted((PACKAGE_DIR / "codes").glob("*.yml")),
        *sorted(PACKAGE_DIR.glob("**/*.py")),
        *sorted(REPORTS_DIR.glob("**/*.qmd")),
        *sorted(REPORTS_DIR.glob("*.yml")),
    ]
    dates: set[dt.date] = set()
    for path in paths:
        dates.update(find_dates(path.read_text(encoding="utf-8")))
    return frozenset(dates)


# --- the raw identifiers -----------------------------------------------------------------------


def _normal_postcode(value: str) -> str | None:
    code = re.sub(r"\s+", "", value).upper()
    return code if _FULL_POSTCODE.match(code) else None


def _searchable_id(value: str) -> bool:
    if len(value) < MIN_ID_LENGTH:
        return False
    if value.isdigit() and not value.startswith("0"):
        return len(value) >= MIN_NUMERIC_ID_LENGTH
    return True


def _add(found: Identifiers, kind: str, value: str) -> None:
    value = value.strip()
    if not value:
        return
    if kind == CHILD_ID:
        if _searchable_id(value):
            numeric = value.isdigit() and not value.startswith("0")
            found.tokens.setdefault(value.upper(), _NUMERIC_ID if numeric else CHILD_ID)
        else:
            found.too_short += 1
    elif kind == UPN:
        if len(value) >= MIN_ID_LENGTH:
            found.tokens[value.upper()] = UPN
    elif kind == DOB:
        d = _parse_raw_date(value)
        if d:
            found.dobs.add(d)
    elif kind == POSTCODE:
        code = _normal_postcode(value)
        if code:
            found.postcodes.add(code)


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    for encoding in _CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _collect_csv(path: Path, found: Identifiers) -> None:
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    header = next(reader, None)
    if not header:
        return
    wanted = [
        (i, _CSV_COLUMNS[name.strip().upper()])
        for i, name in enumerate(header)
        if name.strip().upper() in _CSV_COLUMNS
    ]
    if not wanted:
        return
    seen: set[tuple[int, str]] = set()
    for row in reader:
        for i, kind in wanted:
            if i < len(row) and (i, row[i]) not in seen:
                seen.add((i, row[i]))
                _add(found, kind, row[i])


def _collect_xml(path: Path, found: Identifiers) -> None:
    try:
        for _, elem in ET.iterparse(path, events=("end",)):
            tag = elem.tag.rsplit("}", 1)[-1]
            if tag in _XML_ELEMENTS:
                _add(found, _XML_ELEMENTS[tag], elem.text or "")
            elif tag == "Child":
                elem.clear()
    except ET.ParseError:  # ingest has already refused a malformed file; keep what was read
        log.debug("%s: not well-formed XML; identifiers read up to the error", path)


def collect_identifiers(raw_dir: Path) -> Identifiers:
    """Read every child id, UPN, date of birth and postcode of a raw folder.

    Every ``.csv`` and ``.xml`` under ``raw_dir`` is read (columns by name, any case, any file
    name; XML elements with or without a namespace).
    """
    found = Identifiers()
    for path in sorted(Path(raw_dir).rglob("*")):
        suffix = path.suffix.lower()
        if not path.is_file():
            continue
        if suffix == ".csv":
            _collect_csv(path, found)
        elif suffix == ".xml":
            _collect_xml(path, found)
    return found


# --- searching text ----------------------------------------------------------------------------


def _candidates(text: str) -> Iterator[str]:
    """Tokens of ``text`` that could be an id: runs of letters and digits, and their sub-runs.

    ``AB-123/4`` gives ``AB``, ``123``, ``4``, ``AB-123``, ``123/4`` and ``AB-123/4``; a
    decimal number such as ``1.000123`` is one token, so ``000123`` is not found in it.
    """
    for m in _RUN.finditer(text):
        run = m.group(0)
        if _NUMBER.match(run) or (len(run) > 1 and run.isalnum()):
            yield run
            continue
        parts = _SEPARATOR.split(run)  # [part, sep, part, sep, part ...]
        words = parts[0::2]
        n = len(words)
        for i in range(n):
            top = n if n <= _MAX_PARTS else min(n, i + 2)
            for j in range(i + 1, top + 1):
                yield "".join(parts[2 * i : 2 * j - 1])


class _Counter:
    """Counts identifiers of each kind found in one file, with the first place of each."""

    def __init__(self, ids: Identifiers, allowed_dates: frozenset[dt.date]) -> None:
        self.ids = ids
        self.dobs = ids.dobs - {ids.date_form(d) for d in allowed_dates}
        self.counts: dict[str, int] = {}
        self.first: dict[str, str] = {}
        self.numeric: set[str] = set()

    def _hit(self, kind: str, where: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.first.setdefault(kind, where)

    def text(self, text: str, where: str) -> None:
        """Search one piece of text (a line, a page, a cell)."""
        if not text:
            return
        if "data:" in text:
            text = _DATA_URI.sub(" ", text)
        ids = self.ids
        if ids.tokens:
            for token in _candidates(text):
                upper = token.upper()
                if len(upper) < MIN_ID_LENGTH:  # no searched id or UPN is shorter
                    continue
                kind = ids.tokens.get(ids.digest(upper))
                if kind == _NUMERIC_ID:
                    self.numeric.add(token)
                if kind:
                    self._hit(kind, where)
        if self.dobs:
            for d in find_dates(text):
                if ids.date_form(d) in self.dobs:
                    self._hit(DOB, where)
        if ids.postcodes:
            for m in _POSTCODE.finditer(text):
                if ids.digest((m.group(1) + m.group(2)).upper()) in ids.postcodes:
                    self._hit(POSTCODE, where)

    def value(self, value: object, where: str) -> None:
        """Search a typed value (an XLSX cell): dates are compared as dates."""
        if value is None:
            return
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            if self.ids.date_form(value) in self.dobs:
                self._hit(DOB, where)
            return
        self.text(str(value), where)

    def findings(self, shown: str) -> list[Finding]:
        if _NUMERIC_ID in self.counts:
            n = self.counts.pop(_NUMERIC_ID)
            where = self.first.pop(_NUMERIC_ID)
            if self.counts or len(self.numeric) >= NUMERIC_ID_CORROBORATION:
                self.counts[CHILD_ID] = self.counts.get(CHILD_ID, 0) + n
                self.first.setdefault(CHILD_ID, where)
        return [
            Finding(shown, kind, self.first[kind], self.counts[kind])
            for kind in KINDS
            if kind in self.counts
        ]


# --- reading each format -----------------------------------------------------------------------


class _HtmlText(HTMLParser):
    """Text of an HTML page with its line numbers; styles skipped; a few attributes kept."""

    _ATTRIBUTES = {"alt", "title", "aria-label", "href"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "style":
            self._skip += 1
        for name, value in attrs:
            if name in self._ATTRIBUTES and value and not value.startswith("data:"):
                self.pieces.append((self.getpos()[0], value))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style" and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.pieces.append((self.getpos()[0], data))


def _scan_html(path: Path, counter: _Counter) -> None:
    parser = _HtmlText()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    # Join neighbouring pieces of one line, so "<b>TS1</b> 3AA" is still seen whole.
    lines: dict[int, list[str]] = {}
    for line, text in parser.pieces:
        lines.setdefault(line, []).append(text)
    for line, texts in lines.items():
        counter.text(" ".join(texts), f"line {line}")


def _scan_lines(path: Path, counter: _Counter) -> None:
    for i, line in enumerate(_read_text(path).splitlines(), start=1):
        counter.text(line, f"line {i}")


def pdf_pages(path: Path, use_poppler: bool = True) -> list[str]:
    """The text of each page of a PDF.

    Poppler's ``pdftotext`` when it is on the PATH (0.2 s for the 54-page synthetic IRO
    report), else ``pypdf`` (pure Python, everywhere, but 8 s for the same report).
    """
    exe = shutil.which("pdftotext") if use_poppler else None
    if exe:
        try:
            done = subprocess.run(
                [exe, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=300, check=True
            )
            pages = done.stdout.decode("utf-8", errors="replace").split("\f")
            return pages[:-1] if pages and not pages[-1].strip() else pages
        except (OSError, subprocess.SubprocessError):
            log.debug("pdftotext failed on %s; reading it with pypdf", path)
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def _scan_pdf(path: Path, counter: _Counter) -> None:
    for i, text in enumerate(pdf_pages(path), start=1):
        counter.text(text, f"page {i}")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _scan_docx(path: Path, counter: _Counter) -> None:
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if not name.endswith(".xml"):
                continue
            root = ET.fromstring(book.read(name))
            paragraphs = list(root.iter(f"{_W}p"))
            if paragraphs:
                for i, p in enumerate(paragraphs, start=1):
                    text = "".join(t.text or "" for t in p.iter(f"{_W}t"))
                    counter.text(text, f"paragraph {i} of {name}")
            else:
                counter.text(" ".join(root.itertext()), name)
            for elem in root.iter():  # alt text of pictures, document title
                for attr in ("descr", "title"):
                    if elem.get(attr):
                        counter.text(elem.get(attr), f"{attr} in {name}")


def _scan_xlsx(path: Path, counter: _Counter) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        counter.value(cell.value, f"sheet {sheet.title} cell {cell.coordinate}")
    finally:
        book.close()


def _text_of(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _scan_ipynb(path: Path, counter: _Counter) -> None:
    book = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(book.get("cells", []), start=1):
        counter.text(_text_of(cell.get("source", "")), f"cell {i} source")
        for out in cell.get("outputs", []):
            where = f"cell {i} output"
            if "text" in out:
                counter.text(_text_of(out["text"]), where)
            for mime, data in (out.get("data") or {}).items():
                if mime.startswith("text/") or mime.endswith("json"):
                    text = _text_of(data) if not isinstance(data, dict) else json.dumps(data)
                    if mime == "text/html":
                        parser = _HtmlText()
                        parser.feed(text)
                        text = "\n".join(t for _, t in parser.pieces)
                    counter.text(text, where)
            if "traceback" in out:
                counter.text("\n".join(out["traceback"]), where)


def scan_file(
    path: Path, ids: Identifiers, shown: str, allowed_dates: frozenset[dt.date] = frozenset()
) -> list[Finding]:
    """Search one output file for the identifiers; one :class:`Finding` per kind found."""
    counter = _Counter(ids, allowed_dates)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        _scan_html(path, counter)
    elif suffix == ".pdf":
        _scan_pdf(path, counter)
    elif suffix == ".docx":
        _scan_docx(path, counter)
    elif suffix == ".xlsx":
        _scan_xlsx(path, counter)
    elif suffix == ".ipynb":
        _scan_ipynb(path, counter)
    elif suffix in _TEXT_SUFFIXES:
        _scan_lines(path, counter)
    return counter.findings(shown)


def output_files(folder: Path) -> Iterator[Path]:
    """Files of a build folder that :func:`scan_file` reads, in name order."""
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and path.suffix.lower() in _SCANNED_SUFFIXES:
            yield path


def scan_outputs(
    output_dir: Path,
    raw_dir: Path,
    *,
    also: Iterable[Path] = (),
    allowed_dates: Iterable[dt.date] = (),
    cache_dir: Path | None = None,
    key: bytes | None = None,
) -> list[Finding]:
    """Search every build output for the raw input's child ids, UPNs, dates of birth, postcodes.

    Parameters
    ----------
    output_dir
        The report's output folder (HTML, PDF, DOCX, tables, workbook, renderer files).
    raw_dir
        The raw input folder the build read.
    also
        Further folders to search, such as the executed notebooks.
    allowed_dates
        Dates that are not taken for a date of birth (see :func:`report_calendar_dates`); the
        dates of the suite's own texts (:func:`suite_text_dates`) are always allowed.
    cache_dir, key
        With both (the run's ``<processed_dir>/.scan`` and pseudonymisation key), the raw
        identifiers are kept there as keyed digests and files already searched clean are
        skipped when their bytes are unchanged (:mod:`analysis.scan_index`); the result is
        the same as without.

    Returns
    -------
    list of Finding
        Empty when no identifier was found.
    """
    t0 = time.perf_counter()
    allowed = frozenset(allowed_dates) | suite_text_dates()
    clean = None
    if cache_dir is not None and key is not None:
        from analysis.scan_index import CleanFiles, context_of, load_identifiers

        ids, fingerprint = load_identifiers(Path(raw_dir), Path(cache_dir), key)
        clean = CleanFiles(Path(cache_dir), context_of(fingerprint, allowed))
    else:
        ids = collect_identifiers(Path(raw_dir))
    findings: list[Finding] = []
    files = 0
    size = 0
    folders = [(Path(output_dir), "")] + [(Path(f), Path(f).name + "/") for f in also]
    for folder, prefix in folders:
        if not folder.is_dir():
            continue
        for path in output_files(folder):
            files += 1
            size += path.stat().st_size
            shown = prefix + path.relative_to(folder).as_posix()
            mark = clean.fingerprint(path) if clean else ""
            if clean and clean.is_clean(mark):
                continue
            found = scan_file(path, ids, shown, allowed)
            findings.extend(found)
            if clean and not found:
                clean.add(mark)
    if clean:
        clean.save()
    log.info(
        "identifier scan: %d files (%.1f MB) searched for %d ids and UPNs, %d dates of birth "
        "and %d postcodes in %.1f s (%d files unchanged since a clean search); %d child ids too "
        "short to search; %d findings",
        files,
        size / 1e6,
        len(ids.tokens),
        len(ids.dobs - {ids.date_form(d) for d in allowed}),
        len(ids.postcodes),
        time.perf_counter() - t0,
        clean.skipped if clean else 0,
        ids.too_short,
        len(findings),
    )
    return findings


def describe(findings: list[Finding], limit: int = 3) -> str:
    """One line for the user: where identifiers were found, never the identifiers themselves."""
    shown = "; ".join(str(f) for f in findings[:limit])
    more = f"; and {len(findings) - limit} more" if len(findings) > limit else ""
    return (
        f"identifier scan failed: {shown}{more}. The outputs may identify a child: do not share "
        "them; fix the notebook or table that prints the raw value and build again"
    )
