"""The bad-input corpus (tests/bad_inputs): every case has its exact outcome, and none crashes.

Each case of ``bad_inputs/cases.yml`` is a recipe applied to a copy of ``bad_inputs/base`` (a
small valid raw folder). It is run through the ingest command line (``analysis.ingest.__main__``,
in this process, so a crash fails the test) and must give exactly the outcome written beside it:
either one line naming the file, row and field with exit status 2 and nothing written, or the
exact rows of the data-quality log with the run going on. No case may lose a row: every raw row
(counted here independently of ingest) is processed, superseded or quarantined.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from ingest_fixtures import REFERENCE_DIR, pid, write_key

from analysis.ingest.__main__ import main
from analysis.paths import PROJ_ROOT

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
BASE = CORPUS / "base"
CASES = yaml.safe_load((CORPUS / "cases.yml").read_text(encoding="utf-8"))["cases"]
BY_ID = {case["id"]: case for case in CASES}
SUMMARY_TOTALS = ["rows_in", "rows_processed", "rows_superseded", "rows_quarantined"]


# --- building a case from its recipe ------------------------------------------------------------


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _sub(path: Path, pairs: list[list[str]]) -> None:
    text = _text(path)
    for old, new in pairs:
        assert text.count(old) == 1, f"{path}: {old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8", newline="")


def _crlf(path: Path) -> None:
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        f.write_bytes(f.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))


def _encode(path: Path, encoding: str) -> None:
    text = _text(path)
    if path.suffix == ".xml":
        name = {"utf-8-sig": "utf-8"}.get(encoding, encoding)
        text = text.replace('encoding="utf-8"', f'encoding="{name}"')
    path.write_bytes(text.encode(encoding))


def build_case(case: dict, raw: Path) -> Path:
    """A copy of the base folder with the case's recipe applied."""
    shutil.copytree(BASE, raw)
    for rel in case.get("remove", []):
        target = raw / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    for old, new in case.get("rename", {}).items():
        (raw / old).rename(raw / new)
    for src, dst in case.get("copy", {}).items():
        shutil.copyfile(raw / src, raw / dst)
    for rel, text in case.get("write", {}).items():
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_text(text, encoding="utf-8", newline="")
    for rel, pairs in case.get("sub", {}).items():
        _sub(raw / rel, pairs)
    for rel, lines in case.get("append", {}).items():
        with open(raw / rel, "a", encoding="utf-8", newline="") as fh:
            fh.write("".join(line + "\n" for line in lines))
    for rel in case.get("empty", []):
        (raw / rel).write_bytes(b"")
    for rel, (lines, chars) in case.get("truncate", {}).items():
        kept = _text(raw / rel).splitlines(keepends=True)
        (raw / rel).write_text("".join(kept[:lines]) + kept[lines][:chars], encoding="utf-8")
    for rel in case.get("crlf", []):
        _crlf(raw / rel)
    for rel, encoding in case.get("encode", {}).items():
        _encode(raw / rel, encoding)
    return raw


# --- counting raw rows independently of ingest ----------------------------------------------------

_XML_ROWS = {
    "cin_children": "Child",
    "cin_episodes": "CINdetails",
    "cin_plans": "CINPlanDates",
    "s47": "Section47",
    "cp_plans": "ChildProtectionPlans",
    "cp_reviews": "CPPreviewDate",
}


def raw_rows(path: Path, table: str) -> int:
    """Rows of a raw file as a person would count them: lines with a value, or elements."""
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    if path.suffix == ".xml":
        return len(re.findall(rf"<{_XML_ROWS[table]}[\s>]", text))
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    return sum(1 for row in rows if any(v.strip() for v in row))


# --- running ingest through its command line ---------------------------------------------------


def run(raw: Path, out: Path, key: Path, caplog, capsys) -> tuple[int, list[str], str]:
    """Run ``python -m analysis.ingest`` in this process: exit status, error lines, stderr."""
    caplog.clear()
    with caplog.at_level(logging.INFO):
        status = main(
            ["--raw", str(raw), "--out", str(out), "--reference", str(REFERENCE_DIR)]
            + ["--key", str(key)]
        )
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    return status, errors, capsys.readouterr().err


def processed_tables(out: Path) -> dict[str, pd.DataFrame]:
    return {
        p.relative_to(out).with_suffix("").as_posix(): pd.read_parquet(p)
        for p in sorted(out.rglob("*.parquet"))
    }


@pytest.fixture(scope="module")
def base_tables(tmp_path_factory) -> dict[str, pd.DataFrame]:
    from analysis.ingest import run_ingest

    root = tmp_path_factory.mktemp("base")
    result = run_ingest(BASE, root / "out", REFERENCE_DIR, write_key(root / "key"))
    assert len(result.dq_log) == 0, "the base folder must be valid"
    assert result.totals == {
        "rows_in": 30,
        "rows_processed": 30,
        "rows_superseded": 0,
        "rows_quarantined": 0,
    }
    return processed_tables(root / "out")


def _dq_rows(entries: list[list], action: str) -> list[tuple]:
    return [(e[0], e[1], e[2], e[3], action) for e in entries]


@pytest.mark.parametrize("case_id", list(BY_ID))
def test_case(case_id, tmp_path, caplog, capsys, base_tables):
    case = BY_ID[case_id]
    raw = build_case(case, tmp_path / "raw")
    out = tmp_path / "out"
    status, errors, stderr = run(raw, out, write_key(tmp_path / "key"), caplog, capsys)
    assert "Traceback" not in stderr

    if "fatal" in case:
        expected = case["fatal"].replace("{raw}", str(raw))
        assert (status, errors) == (2, [expected])
        assert "\n" not in errors[0]
        assert not out.exists(), "nothing is written when ingest stops"
        return

    assert status == 0 and errors == []
    dq = pd.read_csv(out / "dq_log.csv", dtype=str, keep_default_na=False)
    actual = [
        (r.file, int(r.row) if r.row else None, r.field, r.reason, r.action)
        for r in dq.itertuples()
    ]
    expected = _dq_rows(case.get("quarantine", []), "quarantined") + _dq_rows(
        case.get("warnings", []), "warning"
    )
    assert sorted(actual, key=str) == sorted(expected, key=str)
    for entry in case.get("quarantine", []) + case.get("warnings", []):
        if len(entry) == 5:  # the value shown in the log
            row = "" if entry[1] is None else str(entry[1])
            match = dq[(dq["file"] == entry[0]) & (dq["row"] == row) & (dq["field"] == entry[2])]
            assert match["value"].tolist() == [str(entry[4])], entry

    # Nothing lost: every raw row counted here is processed, superseded or quarantined.
    summary = pd.read_csv(out / "ingest_summary.csv", dtype={"collection_year": str})
    assert (
        summary["rows_in"]
        == summary["rows_processed"] + summary["rows_superseded"] + summary["rows_quarantined"]
    ).all()
    for line in summary.itertuples():
        assert line.rows_in == raw_rows(raw / line.file, line.table), line.file
    quarantined_rows = {(e[0], e[1]) for e in case.get("quarantine", [])}
    assert summary["rows_quarantined"].sum() == len(quarantined_rows)

    tables = processed_tables(out)
    if case.get("same_as_base"):
        assert list(tables) == list(base_tables)
        for name, frame in tables.items():
            pd.testing.assert_frame_equal(frame, base_tables[name], obj=name)
    if "rows" in case:
        assert {c: int(summary[c].sum()) for c in SUMMARY_TOTALS} == case["rows"]
    for name, n in case.get("tables", {}).items():
        assert len(tables[name]) == n, name
    for name, columns in case.get("values", {}).items():
        for column, values in columns.items():
            assert tables[name][column].tolist() == values
    for name, ids in case.get("child_ids", {}).items():
        la = name.split("/")[0]
        assert sorted(tables[name]["child_id"]) == sorted(pid(la, i) for i in ids)


# --- the corpus itself --------------------------------------------------------------------------


def test_corpus_covers_every_kind_the_issue_lists():
    assert len(CASES) >= 40
    assert len(BY_ID) == len(CASES), "case ids are unique"
    for case in CASES:
        outcomes = {"fatal", "quarantine", "warnings", "same_as_base", "rows", "tables", "values"}
        assert outcomes & set(case), f"{case['id']} states no outcome"
    kinds = {
        "wrong or missing columns": ["header_missing_column", "episodes_misspelt_column"],
        "extra columns": ["extra_column"],
        "unknown codes": ["unknown_placement_code", "unknown_ethnic_code"],
        "impossible and reversed dates": ["impossible_date", "end_before_start"],
        "10.0 numbers": ["numbers_written_10_0"],
        "leading-zero ids": ["leading_zero_ids"],
        "duplicate and overlapping episodes": ["duplicate_episode", "overlapping_episodes"],
        "episodes after 18": ["episode_after_18"],
        "empty files": ["header_empty_file", "cin_empty_file"],
        "UTF-8 BOM, UTF-16, CRLF": ["utf8_bom", "utf16", "windows_line_endings"],
        "truncated CIN XML, wrong namespace": ["cin_truncated", "cin_wrong_namespace"],
        "CP plan ending before start": ["cp_plan_ends_before_start"],
        "IRO and RAA extracts with missing fields": [
            "irp_missing_column",
            "irp_blank_child_id",
            "adopters_missing_columns",
            "adopter_blank_household",
        ],
    }
    for kind, ids in kinds.items():
        assert all(i in BY_ID for i in ids), kind


@pytest.mark.parametrize(
    "case_id, status, line",
    [
        ("cin_wrong_namespace", 2, "ERROR analysis.ingest: 806/cin_census/2023-24.xml, row 2: "),
        ("overlapping_episodes", 0, None),
    ],
)
def test_command_line_in_a_real_process(case_id, status, line, tmp_path):
    """The command as a user runs it: the exit status, one error line, no traceback."""
    raw = build_case(BY_ID[case_id], tmp_path / "raw")
    result = subprocess.run(
        [sys.executable, "-m", "analysis.ingest", "--raw", str(raw), "--out", str(tmp_path / "o")]
        + ["--reference", str(REFERENCE_DIR), "--key", str(write_key(tmp_path / "key"))],
        cwd=PROJ_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == status
    assert "Traceback" not in result.stderr
    errors = [e for e in result.stderr.splitlines() if e.startswith("ERROR")]
    assert len(errors) == (0 if line is None else 1)
    if line is not None:
        assert errors[0].startswith(line)
