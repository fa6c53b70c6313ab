"""Property test: ingest never crashes and loses no row, whatever is done to a valid return.

A small valid synthetic dataset (the generator's LA 806 for 2023-24, cut down to a few children)
is mutated the ways real files go wrong: rows dropped or repeated, fields blanked or garbled
(impossible dates, unknown codes, ``10.0``, ``1.2E+05``), columns swapped, dropped or added,
files re-encoded or truncated, XML elements deleted, repeated, renamed or garbled. For every
mutation ingest either stops with an :class:`~analysis.errors.InputError` (one clear line) or
finishes with every raw row accounted for: ``rows_in = rows_processed + rows_superseded +
rows_quarantined`` in each line of ``ingest_summary.csv``, and, for CSV files, ``rows_in`` is the
number of rows with a value, counted here without ingest.

Hypothesis runs derandomized (the same examples every run) with a bounded number of examples.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from ingest_fixtures import REFERENCE_DIR, write_key
from lxml import etree
from test_bad_inputs import raw_rows

from analysis.errors import InputError
from analysis.ingest import run_ingest

CHILDREN = 6  # children kept from the generator's output
ROWS = 10  # rows kept of the extracts
CIN_CHILDREN = 4

JUNK = [
    "",
    " ",
    "x",
    "31/02/2024",
    "2023-13-45",
    "01/01/1850",
    "10.0",
    "-1",
    "1.2E+05",
    "99999999999",
    "NULL",
    "ÿ£€",
    "C1",
    "PN9",
    "0.5",
    "true",
]
CSV_KINDS = [
    "drop_row",
    "duplicate_row",
    "blank_field",
    "garble_field",
    "swap_fields",
    "swap_columns",
    "drop_column",
    "extra_column",
    "truncate",
    "utf16",
    "bom",
    "crlf",
    "cp1252",
]
XML_KINDS = ["delete", "duplicate", "garble_text", "rename", "truncate", "crlf", "utf16"]


def _cut_down(raw: Path) -> None:
    """Keep a few children of the generator's output (and a few rows of the extracts)."""
    year = raw / "806" / "ssda903" / "2023-24"
    header = pd.read_csv(year / "header.csv", dtype=str, keep_default_na=False)
    keep = set(header["CHILD"].head(CHILDREN))
    for path in sorted(year.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame[frame["CHILD"].isin(keep)].head(3 * CHILDREN).to_csv(path, index=False)
    for path in sorted((raw / "806" / "iro").glob("*.csv")) + sorted((raw / "raa").glob("*.csv")):
        pd.read_csv(path, dtype=str, keep_default_na=False).head(ROWS).to_csv(path, index=False)
    xml = raw / "806" / "cin_census" / "2023-24.xml"
    tree = etree.parse(str(xml))
    children = tree.getroot().find("Children")
    planned = [c for c in children if c.find("CINdetails/ChildProtectionPlans") is not None]
    kept = planned[: CIN_CHILDREN // 2] + [c for c in children if c not in planned][:2]
    for child in list(children):
        if child not in kept:
            children.remove(child)
    tree.write(str(xml), xml_declaration=True, encoding="utf-8")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    from analysis.synthetic import generate

    raw = tmp_path_factory.mktemp("sample") / "raw"
    generate(raw, la_codes=["806"], first_year=2023, last_year=2023)
    _cut_down(raw)
    return raw


def _files(raw: Path) -> list[str]:
    return sorted(
        p.relative_to(raw).as_posix()
        for p in raw.rglob("*")
        if p.is_file() and p.suffix in (".csv", ".xml")
    )


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_decode(path.read_bytes()), newline="")))


def _write_csv_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _mutate_csv(path: Path, kind: str, a: int, b: int, junk: str) -> None:
    if kind in ("truncate", "utf16", "bom", "crlf", "cp1252"):
        data = path.read_bytes()
        if kind == "truncate":
            path.write_bytes(data[: a % (len(data) + 1)])
        elif kind == "utf16":
            path.write_bytes(_decode(data).encode("utf-16"))
        elif kind == "bom":
            path.write_bytes(_decode(data).encode("utf-8-sig"))
        elif kind == "crlf":
            path.write_bytes(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
        else:
            path.write_bytes(_decode(data).encode("cp1252", errors="replace"))
        return
    rows = _read_csv_rows(path)
    if not rows:
        return
    header, body = rows[0], rows[1:]
    width = len(header)
    r = a % len(body) if body else None
    c, d = a % width, b % width
    if kind == "drop_row" and body:
        del body[r]
    elif kind == "duplicate_row" and body:
        body.insert(r, list(body[r]))
    elif kind in ("blank_field", "garble_field") and body:
        body[r][c] = "" if kind == "blank_field" else junk
    elif kind == "swap_fields" and body:
        body[r][c], body[r][d] = body[r][d], body[r][c]
    elif kind == "swap_columns":
        header[c], header[d] = header[d], header[c]
    elif kind == "drop_column":
        header.pop(c)
        for row in body:
            row.pop(c)
    elif kind == "extra_column":
        header.append(f"EXTRA{b % 3}")
        for row in body:
            row.append(junk)
    _write_csv_rows(path, [header, *body])


def _mutate_xml(path: Path, kind: str, a: int, b: int, junk: str) -> None:
    data = path.read_bytes()
    if kind == "truncate":
        path.write_bytes(data[: a % (len(data) + 1)])
        return
    if kind == "crlf":
        path.write_bytes(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
        return
    if kind == "utf16":
        text = _decode(data).replace('encoding="utf-8"', 'encoding="utf-16"')
        path.write_bytes(text.encode("utf-16"))
        return
    try:
        tree = etree.parse(io.BytesIO(data))
    except etree.XMLSyntaxError:  # already truncated: nothing more to do to it
        return
    elements = list(tree.getroot().iter())[1:]
    leaves = [e for e in elements if len(e) == 0]
    if not leaves:
        return
    elem = elements[a % len(elements)]
    parent = elem.getparent()
    if kind == "delete":
        parent.remove(elem)
    elif kind == "duplicate":
        parent.insert(parent.index(elem), etree.fromstring(etree.tostring(elem)))
    elif kind == "garble_text":
        leaves[b % len(leaves)].text = junk
    elif kind == "rename":
        elem.tag = ["Junk", "Child", "CINdetails", "Reviews", "LAchildID"][b % 5]
    path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="utf-8"))


mutation = st.tuples(
    st.integers(0, 10_000),  # which file
    st.integers(0, 10_000),  # which kind
    st.integers(0, 10_000),  # which row / element / byte
    st.integers(0, 10_000),  # which column / leaf / tag
    st.sampled_from(JUNK),
)


@settings(
    derandomize=True,
    max_examples=45,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: a failing example is shown as found
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutations=st.lists(mutation, min_size=1, max_size=3))
def test_ingest_never_crashes_and_loses_no_row(sample, tmp_path_factory, mutations):
    root = tmp_path_factory.mktemp("mutant")
    raw = root / "raw"
    shutil.copytree(sample, raw)
    for f, k, a, b, junk in mutations:
        files = _files(raw)
        xml = [name for name in files if name.endswith(".xml")]
        path = raw / (xml[0] if f % 3 == 0 else files[f // 3 % len(files)])  # XML a third of times
        if path.suffix == ".xml":
            _mutate_xml(path, XML_KINDS[k % len(XML_KINDS)], a, b, junk)
        else:
            _mutate_csv(path, CSV_KINDS[k % len(CSV_KINDS)], a, b, junk)
    try:
        result = run_ingest(raw, root / "out", REFERENCE_DIR, write_key(root / "key"))
    except InputError as err:
        assert "\n" not in str(err) and str(err).split(":")[0]  # one line, naming a file
        event("ingest stopped with an InputError")
        return
    event("ingest finished")
    s = result.summary
    assert (
        s["rows_in"] == s["rows_processed"] + s["rows_superseded"] + s["rows_quarantined"]
    ).all()
    for line in s.itertuples():
        if line.file.endswith(".csv"):
            assert line.rows_in == raw_rows(raw / line.file, line.table), line.file
    assert sum(result.counts.values()) == int(s["rows_processed"].sum())
