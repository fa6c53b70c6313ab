"""The DfE validation rules as an optional step: plan, run in the side environment, tabulate.

Social Finance's validators (``csc-validator-be-903`` and ``csc-validator-be-cin``, on PyPI) code
DfE's published validation rules for the SSDA903 and CIN census returns. They pin pandas below 2,
so they live in their own virtual environment, ``.venv-dfe-rules`` (``make validators-venv``), and
run as a separate process (:mod:`analysis.dfe_rules.runner`): nothing of theirs is imported here.

:func:`run_dfe_rules` plans one job per return (each SSDA903 collection year with the year before
it, when there is one, and each CIN census file), runs them, and writes
``<processed_dir>/dfe_rules.csv`` (:data:`COLUMNS`), one row per rule that found something in a
return, per rule that could not run, and per return that could not be checked. Only rule codes,
descriptions and counts are written, never a child id or a value. Beside it, ``dfe_rules.json``
records the fingerprint of the raw folder the rules ran on, so a report shows the findings only
while they belong to its data (:func:`load_findings`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import subprocess
import time
from pathlib import Path

import pandas as pd

from analysis.errors import ParameterError, UserFacingError
from analysis.ingest import ssda903
from analysis.ingest.spec import load_specs
from analysis.paths import PROJ_ROOT

log = logging.getLogger(__name__)

DEFAULT_VENV = PROJ_ROOT / ".venv-dfe-rules"
RUNNER = Path(__file__).with_name("runner.py")
FINDINGS = "dfe_rules.csv"
FINGERPRINT = "dfe_rules.json"
COLUMNS = [
    "return",
    "la_code",
    "collection_year",
    "ruleset",
    "rule_code",
    "description",
    "rows",
    "children",
    "status",
]
#: ``status`` values: the rule found rows; it found a problem with the return as a whole; the
#: rule raised an error on this data; the return was not checked (``description`` says why).
ISSUES, RETURN_LEVEL, RULE_ERROR, NOT_CHECKED = (
    "issues",
    "return_level",
    "rule_error",
    "not_checked",
)
# Our SSDA903 table names (DfE's) and the 903 validator's, where they differ.
_VALIDATOR_TABLES = {"SocialWorker": "SWEpisodes"}
_LA_FOLDER = re.compile(r"^\d{3}$")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


class ValidatorsFailed(UserFacingError):
    """The side environment's process stopped; the message says how to see its output."""


def venv_python(venv: Path = DEFAULT_VENV) -> Path:
    """The Python of the validators' environment.

    Raises
    ------
    ParameterError
        When the environment has not been built.
    """
    venv = Path(venv)
    for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if candidate.is_file():
            return candidate
    raise ParameterError(
        f"dfe_rules: no validators' environment in {venv}: build it with `make validators-venv` "
        "(it needs to reach PyPI once)"
    )


def ruleset_year(collection_year: str) -> str:
    """The validators' year of a collection year: ``2023-24`` -> ``2024`` (ruleset lac2023_24)."""
    match = _YEAR.match(collection_year)
    if not match:
        raise ValueError(f"not a collection year: {collection_year}")
    return str(int(match.group(1)) + 1)


def plan_jobs(
    raw_dir: Path,
    reference_dir: Path,
    la_codes: list[str] | None = None,
    years: list[str] | None = None,
) -> list[dict]:
    """One job per return of the raw folder: its files, LA and validators' year.

    SSDA903 tables are recognised by their columns as ingest does (any file name); the previous
    collection year's files go with each year, as DfE's rules compare the two. ``years``
    restricts to these collection years (``2023-24``).
    """
    from analysis.reference import ons_code

    raw_dir = Path(raw_dir)
    specs = load_specs(Path(reference_dir))
    las = sorted(p.name for p in raw_dir.iterdir() if p.is_dir() and _LA_FOLDER.match(p.name))
    jobs: list[dict] = []
    for la in las:
        if la_codes is not None and la not in la_codes:
            continue
        ons = ons_code(reference_dir, la)
        tables: dict[str, dict[str, str]] = {}
        for year_dir in ssda903.year_folders(raw_dir / la, raw_dir):
            found = ssda903.identify_files(year_dir, raw_dir, specs.ssda903)
            tables[year_dir.name] = {
                _VALIDATOR_TABLES.get(spec.name, spec.name): str(path) for path, spec, _ in found
            }
        for year, files in tables.items():
            if years is not None and year not in years:
                continue
            previous = f"{int(year[:4]) - 1}-{year[2:4]}"
            jobs.append(
                {
                    "return": "ssda903",
                    "la_code": la,
                    "collection_year": year,
                    "ruleset_year": ruleset_year(year),
                    "la_ons": ons,
                    "files": files,
                    "previous": tables.get(previous, {}),
                }
            )
        cin_dir = raw_dir / la / "cin_census"
        for path in sorted(cin_dir.glob("*.xml")) if cin_dir.is_dir() else []:
            year = path.stem
            if not _YEAR.match(year) or (years is not None and year not in years):
                continue
            jobs.append(
                {
                    "return": "cin_census",
                    "la_code": la,
                    "collection_year": year,
                    "ruleset_year": ruleset_year(year),
                    "file": str(path),
                }
            )
    return jobs


def parse_output(text: str) -> list[dict]:
    """The runner's JSON lines, in job order (blank lines ignored)."""
    results = [json.loads(line) for line in text.splitlines() if line.strip()]
    return sorted(results, key=lambda r: r["job"])


def _row(job: dict, status: str, description: str, **values: object) -> dict:
    row = {k: job[k] for k in ("return", "la_code", "collection_year")}
    return {**row, "status": status, "description": description, **values}


def findings_table(jobs: list[dict], results: list[dict]) -> pd.DataFrame:
    """``dfe_rules.csv``: one row per finding, rule error and unchecked return (:data:`COLUMNS`).

    Rows are in job order (LA, SSDA903 years, CIN census years), then by rule code.
    """
    rows = []
    by_job = {r["job"]: r for r in results}
    for i, job in enumerate(jobs):
        result = by_job.get(i, {"status": NOT_CHECKED, "reason": "no result from the validators"})
        if result["status"] != "ok":
            rows.append(_row(job, NOT_CHECKED, result["reason"]))
            continue
        ruleset = result["ruleset"]
        for f in result["findings"]:
            rows.append(
                _row(
                    job,
                    ISSUES,
                    f["description"],
                    ruleset=ruleset,
                    rule_code=f["rule_code"],
                    rows=f["rows"],
                    children=f["children"],
                )
            )
        for f in result["return_level"]:
            rows.append(
                _row(job, RETURN_LEVEL, f["description"], ruleset=ruleset, rule_code=f["rule_code"])
            )
        for code in result["failed"]:
            rows.append(
                _row(
                    job,
                    RULE_ERROR,
                    "the rule raised an error on this return",
                    ruleset=ruleset,
                    rule_code=code,
                )
            )
    table = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("ruleset", "rule_code"):
        table[col] = table[col].fillna("")
    for col in ("rows", "children"):
        table[col] = table[col].astype("Int64")
    return table


def raw_fingerprint(raw_dir: Path) -> str:
    """SHA-256 over the names and contents of the raw folder's files (which data was checked)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(raw_dir).rglob("*") if p.is_file()):
        digest.update(path.relative_to(raw_dir).as_posix().encode() + b"\0")
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def run_validators(jobs: list[dict], python: Path, timeout: float = 7200) -> list[dict]:
    """Run the jobs in the validators' environment and return its results."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    try:
        done = subprocess.run(
            [str(python), str(RUNNER)],
            input=json.dumps({"jobs": jobs}),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ValidatorsFailed(
            f"dfe_rules: the validators ran for more than {timeout:.0f} s"
        ) from None
    if done.returncode != 0:
        log.debug("validators' stderr:\n%s", done.stderr)
        raise ValidatorsFailed(
            f"dfe_rules: the validators' process stopped with status {done.returncode} "
            "(rerun with --debug to see its output)"
        )
    return parse_output(done.stdout)


def run_dfe_rules(
    raw_dir: Path,
    processed_dir: Path,
    reference_dir: Path,
    venv: Path = DEFAULT_VENV,
    la_codes: list[str] | None = None,
    years: list[str] | None = None,
) -> pd.DataFrame:
    """Run DfE's validation rules on every return of ``raw_dir``; write ``dfe_rules.csv``.

    Parameters
    ----------
    raw_dir
        The raw folder (read only), laid out as in data/README.md.
    processed_dir
        Where ``dfe_rules.csv`` and ``dfe_rules.json`` are written.
    reference_dir
        DfE's specification files (to recognise the SSDA903 tables) and LA codes.
    venv
        The validators' environment (``make validators-venv``).
    la_codes, years
        Restrict to these LAs and collection years.

    Returns
    -------
    pandas.DataFrame
        The findings (:data:`COLUMNS`).
    """
    python = venv_python(venv)
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    if not raw_dir.is_dir():
        raise ParameterError(f"raw_dir: {raw_dir} is not a folder")
    jobs = plan_jobs(raw_dir, reference_dir, la_codes, years)
    t0 = time.perf_counter()
    log.info("dfe_rules: %d returns to check in %s", len(jobs), venv)
    results = run_validators(jobs, python)
    table = findings_table(jobs, results)
    processed_dir.mkdir(parents=True, exist_ok=True)
    table.to_csv(processed_dir / FINDINGS, index=False)
    (processed_dir / FINGERPRINT).write_text(
        json.dumps({"raw_fingerprint": raw_fingerprint(raw_dir), "returns": len(jobs)}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    issues = table[table["status"] == ISSUES]
    log.info(
        "dfe_rules: %d returns in %.0f s; %d rules found %d rows; %d rule errors; %d not checked",
        len(jobs),
        time.perf_counter() - t0,
        issues["rule_code"].nunique(),
        int(issues["rows"].sum()),
        int((table["status"] == RULE_ERROR).sum()),
        int((table["status"] == NOT_CHECKED).sum()),
    )
    return table


def load_findings(processed_dir: Path, raw_dir: Path) -> pd.DataFrame | None:
    """The findings of the last run on this raw data, or None (never run, or the data changed)."""
    table, meta = Path(processed_dir) / FINDINGS, Path(processed_dir) / FINGERPRINT
    if not table.is_file() or not meta.is_file():
        return None
    recorded = json.loads(meta.read_text(encoding="utf-8")).get("raw_fingerprint")
    if recorded != raw_fingerprint(Path(raw_dir)):
        log.info("dfe_rules: %s was made from other raw data; not shown", table)
        return None
    frame = pd.read_csv(table, dtype={"la_code": str, "rule_code": str}, keep_default_na=False)
    for col in ("rows", "children"):
        frame[col] = pd.to_numeric(frame[col]).astype("Int64")
    return frame
