"""The identifier scanner (analysis.scan): planted identifiers are caught in every output format.

The raw folder below is hand-written; every identifier planted in an output is one of its
values, and every expected finding is worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import typst
from ingest_fixtures import write
from openpyxl import Workbook

from analysis.errors import UserFacingError
from analysis.paths import NOTEBOOKS_DIR
from analysis.pipeline import IdentifierLeak, check_no_identifiers
from analysis.scan import (
    CHILD_ID,
    DOB,
    POSTCODE,
    UPN,
    Finding,
    collect_identifiers,
    describe,
    find_dates,
    pdf_pages,
    report_calendar_dates,
    scan_outputs,
    suite_text_dates,
)
from analysis.scan_index import load_identifiers

HEADER = """
CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
000123,1,21/11/2006,WBRI,A123456789012,1,03/02/2024
42,2,15/06/2010,WBRI,,,
12345,2,16/06/2010,WBRI,,,
"""
EPISODES = """
CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
000123,01/05/2022,S,C2,N1,U1,PR1,,,,ts1 3aa,TS5 6BB,SC123456
42,01/05/2022,S,C2,N1,U1,PR1,,,,TS1,,
"""
CIN = """
<?xml version="1.0" encoding="utf-8"?>
<Message>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>CIN7788</LAchildID>
        <UPN>B987654321098</UPN>
        <PersonBirthDate>2013-05-20</PersonBirthDate>
      </ChildIdentifiers>
    </Child>
  </Children>
</Message>
"""
CONCERNS = """
child_id,raised_date,plan_type
254485,06/04/2020,CP
243976,06/04/2020,CLA
AB-77/12,07/04/2020,CLA
"""


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    write(raw / "806" / "ssda903" / "2023-24" / "header.csv", HEADER)
    write(raw / "806" / "ssda903" / "2023-24" / "episodes.csv", EPISODES)
    write(raw / "806" / "cin_census" / "2023-24.xml", CIN)
    write(raw / "806" / "iro" / "concerns.csv", CONCERNS)
    return raw


@pytest.fixture
def out(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    return out


SCAN_KEY = b"k" * 32  # a pseudonymisation key, for the digest form of the identifiers
_CACHE: dict[str, object] = {}


@pytest.fixture(autouse=True, params=["values", "digests"])
def scan_mode(request, tmp_path):
    """Every scan below runs twice: on the raw values, and on keyed digests kept in a cache."""
    _CACHE.clear()
    if request.param == "digests":
        _CACHE.update(cache_dir=tmp_path / "processed" / ".scan", key=SCAN_KEY)
    yield request.param
    _CACHE.clear()


def scan(out: Path, raw: Path, **kwargs) -> list[Finding]:
    if not _CACHE:
        return scan_outputs(out, raw, **kwargs)
    first = scan_outputs(out, raw, **kwargs, **_CACHE)  # reads the raw data, fills the cache
    again = scan_outputs(out, raw, **kwargs, **_CACHE)  # from the cache; clean files skipped
    assert again == first
    return first


def test_collects_every_kind_from_csv_and_xml(raw):
    ids = collect_identifiers(raw)
    assert ids.tokens == {
        "000123": CHILD_ID,
        "CIN7788": CHILD_ID,
        "254485": "numeric child id",
        "243976": "numeric child id",
        "AB-77/12": CHILD_ID,
        "A123456789012": UPN,
        "B987654321098": UPN,
    }
    # 42 (too short) and 12345 (a 5-digit number without a leading zero) are not searched
    assert ids.too_short == 3  # 42 twice (header, episodes) and 12345
    assert ids.dobs == {
        dt.date(2006, 11, 21),
        dt.date(2024, 2, 3),  # MC_DOB
        dt.date(2010, 6, 15),
        dt.date(2010, 6, 16),
        dt.date(2013, 5, 20),
    }
    assert ids.postcodes == {"TS13AA", "TS56BB"}  # "TS1" alone is a district, not a postcode


def test_find_dates_in_every_written_form():
    text = (
        "21/11/2006, 1/4/2015, 2013-05-20, 20 May 2013, 3rd Feb. 2024, 1 sept 2015, "
        "31/02/2024 (no such day), 2013-05-21T14:03:00Z (a timestamp), 2013-05-22 00:00:00"
    )
    assert sorted(find_dates(text)) == [
        dt.date(2006, 11, 21),
        dt.date(2013, 5, 20),
        dt.date(2013, 5, 20),
        dt.date(2013, 5, 22),
        dt.date(2015, 4, 1),
        dt.date(2015, 9, 1),
        dt.date(2024, 2, 3),
    ]


def test_clean_outputs_have_no_findings(raw, out):
    (out / "index.html").write_text(
        "<html><body><p>42 children; 12345 rows; rate 1.000123; 2,000,123 in England; "
        "TS1 district; born 1 April 2015</p><img alt='chart' src='data:image/png;base64,"
        "MDAwMTIzCg=='></body></html>"
    )
    write(out / "tables" / "t.csv", "code,count\nE4A,254485\n")  # one numeric id: a count
    assert scan(out, raw) == []


def test_html_text_and_alt_text(raw, out):
    (out / "index.html").write_text(
        "<html>\n<body>\n<p>Child <b>000123</b> moved</p>\n"
        "<img alt='born 21 November 2006' src='x.png'>\n</body></html>\n"
    )
    assert scan(out, raw) == [
        Finding("index.html", CHILD_ID, "line 3", 1),
        Finding("index.html", DOB, "line 4", 1),
    ]


@pytest.mark.parametrize("poppler", [True, False])
def test_pdf_page_text(raw, out, poppler, monkeypatch):
    if poppler and shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed (make browser-deps)")
    if not poppler:
        monkeypatch.setattr(shutil, "which", lambda name: None)  # pypdf, as on Windows
    (out / "report.pdf").write_bytes(
        typst.compile(b"Summary page\n#pagebreak()\nPlaced at TS5 6BB since 2015.")
    )
    assert scan(out, raw) == [Finding("report.pdf", POSTCODE, "page 2", 1)]
    assert len(pdf_pages(out / "report.pdf", use_poppler=poppler)) == 2


def _docx(path: Path, body: str) -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("word/document.xml", f"<w:document {w}><w:body>{body}</w:body></w:document>")


def test_docx_id_split_over_two_runs(raw, out):
    _docx(
        out / "report.docx",
        "<w:p><w:r><w:t>Intro</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>UPN A1234567</w:t></w:r><w:r><w:t>89012 held</w:t></w:r></w:p>",
    )
    assert scan(out, raw) == [Finding("report.docx", UPN, "paragraph 2 of word/document.xml", 1)]


def test_csv_rows(raw, out):
    write(out / "tables" / "leak.csv", "child,dob\nCIN7788,20/05/2013\nab-77/12,2013-05-20\n")
    assert scan(out, raw) == [
        Finding("tables/leak.csv", CHILD_ID, "line 2", 2),  # ids are matched in any case
        Finding("tables/leak.csv", DOB, "line 2", 2),
    ]


def test_xlsx_cells_and_date_cells(raw, out):
    book = Workbook()
    sheet = book.active
    sheet.title = "cla_summary"
    sheet.append(["measure", "value"])
    sheet.append(["born", dt.datetime(2010, 6, 15)])
    sheet.append(["home", "TS1 3AA"])
    book.save(out / "tables.xlsx")
    assert scan(out, raw) == [
        Finding("tables.xlsx", DOB, "sheet cla_summary cell B2", 1),
        Finding("tables.xlsx", POSTCODE, "sheet cla_summary cell B3", 1),
    ]


def test_executed_notebook_outputs(raw, out, tmp_path):
    executed = tmp_path / "executed"
    executed.mkdir()
    book = {
        "cells": [
            {"cell_type": "markdown", "source": ["# CLA"], "metadata": {}},
            {
                "cell_type": "code",
                "source": ["df.head()"],
                "metadata": {},
                "outputs": [
                    {
                        "output_type": "execute_result",
                        "data": {
                            "text/html": ["<td>254485</td><td>243976</td>"],
                            "image/png": "MjU0NDg1Cg==",
                        },
                    }
                ],
            },
        ]
    }
    (executed / "10_cla.ipynb").write_text(json.dumps(book))
    assert scan(out, raw, also=[executed]) == [
        Finding("executed/10_cla.ipynb", CHILD_ID, "cell 2 output", 2)
    ]


def test_numeric_id_alone_is_a_count_but_with_another_identifier_it_is_reported(raw, out):
    write(out / "a.csv", "rows\n254485\n")
    write(out / "b.csv", "rows,when\n254485,15/06/2010\n")
    assert scan(out, raw) == [
        Finding("b.csv", CHILD_ID, "line 2", 1),
        Finding("b.csv", DOB, "line 2", 1),
    ]


def test_allowed_dates_are_not_taken_for_birthdays(raw, out):
    write(out / "a.md", "Children looked after at 3 February 2024 and on 21/11/2006.\n")
    allowed = {dt.date(2024, 2, 3)}
    assert scan(out, raw, allowed_dates=allowed) == [Finding("a.md", DOB, "line 1", 1)]


def test_report_calendar_dates():
    dates = report_calendar_dates(dt.date(2023, 4, 1), dt.date(2024, 3, 31))
    assert dt.date(2023, 4, 1) in dates and dt.date(2024, 3, 31) in dates
    assert dt.date(2019, 3, 31) in dates and dt.date(2025, 9, 30) in dates
    assert dt.date(2022, 4, 30) in dates and dt.date(2024, 2, 29) in dates  # month ends
    assert dt.date(2024, 2, 28) not in dates and dt.date(2021, 6, 30) not in dates


def test_suite_text_dates_include_code_descriptions():
    assert dt.date(2014, 4, 22) in suite_text_dates()  # REC E4A, "from 22 April 2014"


def test_message_names_file_and_kind_but_never_the_identifier():
    findings = [
        Finding("index.html", CHILD_ID, "line 3", 1),
        Finding("report.pdf", DOB, "page 2", 4),
        Finding("tables.xlsx", POSTCODE, "sheet a cell B3", 1),
        Finding("x.csv", UPN, "line 2", 1),
    ]
    text = describe(findings)
    assert "\n" not in text
    assert "index.html: 1 raw child id (first at line 3)" in text
    assert "report.pdf: 4 raw date of births (first at page 2)" in text
    assert "and 1 more" in text


def test_build_step_fails_with_one_line_without_the_identifier(raw, out, tmp_path, scan_mode):
    (out / "index.html").write_text("<p>Child 000123, born 21/11/2006, TS1 3AA</p>")
    params = SimpleNamespace(
        raw_dir=raw,
        output_dir=out,
        executed_dir=tmp_path / "none",
        period_start=dt.date(2023, 4, 1),
        period_end=dt.date(2024, 3, 31),
    )
    if scan_mode == "digests":  # the build's own cache: <processed_dir>/.scan, the run's key
        (tmp_path / "run.key").write_bytes(SCAN_KEY)
        params.key_path, params.processed_dir = tmp_path / "run.key", tmp_path / "processed"
    with pytest.raises(IdentifierLeak) as err:
        check_no_identifiers(params)
    message = str(err.value)
    assert "\n" not in message and "index.html" in message
    for secret in ("000123", "21/11/2006", "TS1 3AA"):
        assert secret not in message
    if scan_mode == "digests":
        assert (tmp_path / "processed" / ".scan" / "identifiers.json").is_file()
        with pytest.raises(IdentifierLeak):  # a file with findings is searched every time
            check_no_identifiers(params)
    params.raw_dir = tmp_path / "gone"
    with pytest.raises(UserFacingError, match="cannot be checked"):
        check_no_identifiers(params)


# --- the cache between builds (analysis.scan_index) ----------------------------------------


def test_cached_identifiers_are_digests_never_the_values(raw, tmp_path):
    cache = tmp_path / "cache"
    ids, _ = load_identifiers(raw, cache, SCAN_KEY)
    assert len(ids.tokens) == 7 and len(ids.dobs) == 5 and len(ids.postcodes) == 2
    assert ids.too_short == 3
    stored = (cache / "identifiers.json").read_text().upper()
    for value in (
        "000123",
        "CIN7788",
        "AB-77/12",
        "A123456789012",
        "B987654321098",
        "254485",
        "TS13AA",
        "TS56BB",
        "2006-11-21",
        "21/11/2006",
        "2013-05-20",
    ):
        assert value not in stored
    assert oct((cache / "identifiers.json").stat().st_mode & 0o777) == "0o600"
    # the digests are keyed: another key gives other digests for the same ids
    other, _ = load_identifiers(raw, tmp_path / "other", b"z" * 32)
    assert set(other.tokens).isdisjoint(ids.tokens)
    assert ids.digest("000123") in ids.tokens and ids.tokens[ids.digest("000123")] == CHILD_ID


def test_cache_is_used_until_the_raw_data_key_or_scanner_changes(raw, tmp_path, monkeypatch):
    import analysis.scan_index as scan_index

    cache = tmp_path / "cache"
    first, fingerprint = load_identifiers(raw, cache, SCAN_KEY)
    reads = []
    real = scan_index.collect_identifiers
    monkeypatch.setattr(
        scan_index, "collect_identifiers", lambda path: reads.append(path) or real(path)
    )
    again, same = load_identifiers(raw, cache, SCAN_KEY)
    assert reads == [] and same == fingerprint and again.tokens == first.tokens
    # a new child in a raw file: read again, and the new id is searched for
    header = raw / "806" / "ssda903" / "2023-24" / "header.csv"
    header.write_text(header.read_text() + "XY99887,1,01/01/2012,WBRI,,,\n")
    changed, other = load_identifiers(raw, cache, SCAN_KEY)
    assert len(reads) == 1 and other != fingerprint
    assert changed.digest("XY99887") in changed.tokens
    load_identifiers(raw, cache, b"z" * 32)  # another key
    assert len(reads) == 2
    monkeypatch.setattr(scan_index, "scanner_version", lambda: "a new scanner")
    load_identifiers(raw, cache, SCAN_KEY)
    assert len(reads) == 3
    (cache / "identifiers.json").write_text("{not json")  # damaged: read again, no error
    load_identifiers(raw, cache, SCAN_KEY)
    assert len(reads) == 4


def test_unchanged_clean_files_are_skipped_changed_ones_searched(raw, out, tmp_path, caplog):
    cache = {"cache_dir": tmp_path / "cache", "key": SCAN_KEY}
    (out / "index.html").write_text("<p>42 children</p>")
    write(out / "tables" / "t.csv", "code,count\nE4A,7\n")
    assert scan_outputs(out, raw, **cache) == []
    clean = json.loads((tmp_path / "cache" / "clean.json").read_text())
    assert len(clean) == 2
    caplog.set_level("INFO", logger="analysis.scan")
    assert scan_outputs(out, raw, **cache) == []
    assert "(2 files unchanged since a clean search)" in caplog.text
    caplog.clear()
    (out / "index.html").write_text("<p>Child 000123 moved</p>")  # a re-render that leaks
    assert scan_outputs(out, raw, **cache) == [Finding("index.html", CHILD_ID, "line 1", 1)]
    assert "(1 files unchanged since a clean search)" in caplog.text
    # other allowed dates are another search: nothing is skipped
    caplog.clear()
    scan_outputs(out, raw, allowed_dates=[dt.date(2010, 6, 15)], **cache)
    assert "(0 files unchanged since a clean search)" in caplog.text


@pytest.fixture(scope="module")
def synthetic_raw(tmp_path_factory) -> Path:
    from analysis.synthetic import generate

    raw = tmp_path_factory.mktemp("synthetic") / "raw"
    generate(raw)
    return raw


def test_committed_notebooks_from_synthetic_data_are_clean(synthetic_raw, tmp_path):
    """The committed notebooks were executed on this synthetic data: nothing identifying."""
    executed = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, executed, ignore=shutil.ignore_patterns(".*"))
    period = report_calendar_dates(dt.date(2023, 4, 1), dt.date(2025, 3, 31))
    assert (
        scan_outputs(
            tmp_path / "none", synthetic_raw, also=[executed], allowed_dates=period, **_CACHE
        )
        == []
    )
    # ... and an id of that data planted in one of them is caught.
    header = synthetic_raw / "806" / "ssda903" / "2023-24" / "header.csv"
    ids = [line.split(",")[0] for line in header.read_text().splitlines()[1:]]
    child = next(i for i in ids if len(i) >= 5 and not i.isdigit() or i.startswith("0"))
    book = json.loads((executed / "10_cla.ipynb").read_text())
    book["cells"].append({"cell_type": "markdown", "metadata": {}, "source": [f"see {child}"]})
    (executed / "10_cla.ipynb").write_text(json.dumps(book))
    findings = scan_outputs(
        tmp_path / "none", synthetic_raw, also=[executed], allowed_dates=period, **_CACHE
    )
    assert [(f.file, f.kind) for f in findings] == [("notebooks/10_cla.ipynb", CHILD_ID)]
