"""The DfE rules step (analysis.dfe_rules) without the validators' environment.

``dfe_rules_runner_output.jsonl`` is the runner's output recorded on the bad-input corpus's base
folder (``tests/bad_inputs/base``) with csc-validator-be-903 0.1.17 and csc-validator-be-cin
0.1.13. The tests check the planning, the parsing and the table built from that output, and run
the whole step with a stand-in for the environment's Python that replays the recording.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from ingest_fixtures import REFERENCE_DIR

from analysis.dfe_rules import COLUMNS, findings_table, load_findings, parse_output, plan_jobs
from analysis.dfe_rules.run import ruleset_year, run_dfe_rules, venv_python
from analysis.dfe_rules.runner import _episodes_of_year, _table_csv
from analysis.errors import ParameterError

TESTS = Path(__file__).resolve().parent
BASE = TESTS / "bad_inputs" / "base"
RECORDED = TESTS / "dfe_rules_runner_output.jsonl"
YEAR = BASE / "806" / "ssda903" / "2023-24"


def test_ruleset_year():
    assert ruleset_year("2023-24") == "2024"
    assert ruleset_year("1999-00") == "2000"
    with pytest.raises(ValueError):
        ruleset_year("2023")


def test_plan_one_job_per_return_with_the_tables_recognised():
    jobs = plan_jobs(BASE, REFERENCE_DIR)
    assert jobs == [
        {
            "return": "ssda903",
            "la_code": "806",
            "collection_year": "2023-24",
            "ruleset_year": "2024",
            "la_ons": "E06000002",  # Middlesbrough
            "files": {
                "Episodes": str(YEAR / "episodes.csv"),
                "Header": str(YEAR / "header.csv"),
                "OC2": str(YEAR / "oc2.csv"),
                "Reviews": str(YEAR / "reviews.csv"),
            },
            "previous": {},
        },
        {
            "return": "cin_census",
            "la_code": "806",
            "collection_year": "2023-24",
            "ruleset_year": "2024",
            "file": str(BASE / "806" / "cin_census" / "2023-24.xml"),
        },
    ]


def test_plan_gives_each_year_the_previous_one_and_renames_social_worker(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(BASE, raw)
    last = raw / "806" / "ssda903" / "2022-23"
    shutil.copytree(raw / "806" / "ssda903" / "2023-24", last)
    (raw / "806" / "ssda903" / "2023-24" / "sw.csv").write_text(
        "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\n"
    )
    jobs = plan_jobs(raw, REFERENCE_DIR, years=["2023-24"])
    assert [(j["return"], j["collection_year"]) for j in jobs] == [
        ("ssda903", "2023-24"),
        ("cin_census", "2023-24"),
    ]
    assert jobs[0]["previous"]["Header"] == str(last / "header.csv")
    assert "SWEpisodes" in jobs[0]["files"]  # the 903 validator's name for SocialWorker
    assert plan_jobs(raw, REFERENCE_DIR, la_codes=["805"]) == []


def test_recorded_output_parses_in_job_order():
    results = parse_output("\n" + "\n".join(reversed(RECORDED.read_text().splitlines())) + "\n")
    assert [(r["job"], r["status"], r["ruleset"]) for r in results] == [
        (0, "ok", "lac2023_24"),
        (1, "ok", "cin2023_24"),
    ]


def test_findings_table_from_the_recorded_output():
    jobs = plan_jobs(BASE, REFERENCE_DIR)
    table = findings_table(jobs, parse_output(RECORDED.read_text()))
    assert list(table.columns) == COLUMNS
    assert table[["return", "rule_code", "rows", "children", "status"]].values.tolist() == [
        ["ssda903", "169", 2, 2, "issues"],
        ["ssda903", "179", 2, 2, "issues"],
        ["ssda903", "392c", 2, 2, "issues"],
        ["ssda903", "546", 1, 1, "issues"],
        ["cin_census", "1510", 2, 2, "issues"],
        ["cin_census", "2991Q", 1, 1, "issues"],
        ["cin_census", "2887Q", pd.NA, pd.NA, "return_level"],
    ]
    assert set(table["la_code"]) == {"806"} and set(table["collection_year"]) == {"2023-24"}
    assert table.loc[4, "description"] == "UPN invalid (wrong check letter at character 1)"


def test_unchecked_returns_and_failing_rules_are_listed():
    jobs = plan_jobs(BASE, REFERENCE_DIR)
    results = [
        {"job": 0, "status": "not_checked", "reason": "the validator has no ruleset lac2020_21"},
        {
            "job": 1,
            "status": "ok",
            "ruleset": "cin2023_24",
            "rules": 105,
            "skipped": [],
            "failed": ["8606"],
            "findings": [],
            "return_level": [],
        },
    ]
    table = findings_table(jobs, results)
    assert table[["return", "ruleset", "rule_code", "description", "status"]].values.tolist() == [
        ["ssda903", "", "", "the validator has no ruleset lac2020_21", "not_checked"],
        [
            "cin_census",
            "cin2023_24",
            "8606",
            "the rule raised an error on this return",
            "rule_error",
        ],
    ]
    missing = findings_table(jobs, results[:1])  # no line at all for job 1
    assert missing["description"].tolist()[-1] == "no result from the validators"


def test_runner_gives_the_validator_exactly_its_columns(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes("\ufeffchild, dob ,EXTRA\nC1,01/02/2010,x\n,,\n".encode())
    assert _table_csv(str(path), ["CHILD", "DOB", "UPN"]) == b"CHILD,DOB,UPN\nC1,01/02/2010,\n"


def test_runner_hands_the_validator_only_the_episodes_of_the_year():
    # A council sending its full history (805): DfE's return holds only the episodes open in the
    # collection year 1 April 2023 - 31 March 2024 (DECOM <= 31/03/2024, DEC blank or >= 1/4/2023)
    content = (
        b"CHILD,DECOM,DEC,RNE\n"
        b"C1,01/01/2020,01/06/2021,S\n"  # ended two years before: out
        b"C1,01/06/2021,31/03/2023,P\n"  # ended the day before the year: out
        b"C1,31/03/2023,01/04/2023,P\n"  # ended on its first day: in
        b"C1,01/04/2023,,P\n"  # open: in
        b"C2,01/04/2024,,S\n"  # starts after the year: out
        b"C3,bad,,S\n"  # not a date: left to the rules
        b"C4,31/03/2024,,S\n"  # starts on its last day: in
    )
    kept = _episodes_of_year(content, 2024).decode().splitlines()
    assert kept == [
        "CHILD,DECOM,DEC,RNE",
        "C1,31/03/2023,01/04/2023,P",
        "C1,01/04/2023,,P",
        "C3,bad,,S",
        "C4,31/03/2024,,S",
    ]


def test_missing_environment_is_one_clear_line(tmp_path):
    with pytest.raises(ParameterError, match="make validators-venv"):
        venv_python(tmp_path / "none")


@pytest.mark.skipif(os.name != "posix", reason="the stand-in Python is a shell script")
def test_whole_step_with_a_stand_in_environment(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(f"#!/bin/sh\ncat > /dev/null\ncat '{RECORDED}'\n")
    python.chmod(0o755)
    raw = tmp_path / "raw"
    shutil.copytree(BASE, raw)
    out = tmp_path / "processed"
    table = run_dfe_rules(raw, out, REFERENCE_DIR, venv=venv)
    assert len(table) == 7
    written = pd.read_csv(out / "dfe_rules.csv", dtype=str, keep_default_na=False)
    assert list(written.columns) == COLUMNS and len(written) == 7
    assert json.loads((out / "dfe_rules.json").read_text())["returns"] == 2
    loaded = load_findings(out, raw)
    assert loaded is not None and loaded["rows"].tolist()[:4] == [2, 2, 2, 1]
    # The findings belong to this raw data only: after a change they are not shown.
    (raw / "806" / "iro" / "concerns.csv").write_text("child_id,raised_date,plan_type\n")
    assert load_findings(out, raw) is None
    assert load_findings(tmp_path / "nothing", raw) is None


@pytest.mark.skipif(os.name != "posix", reason="the stand-in Python is a shell script")
def test_a_failing_environment_is_one_clear_line(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text("#!/bin/sh\necho 'Traceback (most recent call last):' >&2\nexit 3\n")
    python.chmod(0o755)
    with pytest.raises(Exception, match="stopped with status 3") as err:
        run_dfe_rules(BASE, tmp_path / "out", REFERENCE_DIR, venv=venv)
    assert "\n" not in str(err.value) and "Traceback" not in str(err.value)


def test_runner_imports_nothing_of_the_suite():
    text = (TESTS.parent / "analysis" / "dfe_rules" / "runner.py").read_text()
    assert "from analysis" not in text and "import analysis" not in text
