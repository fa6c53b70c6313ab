"""Run DfE's validation rules on SSDA903 and CIN census returns, in the side environment.

This script is run by the Python of ``.venv-dfe-rules`` (``make validators-venv``), where Social
Finance's ``csc-validator-be-903`` and ``csc-validator-be-cin`` are installed; they need pandas
below 2, so the suite never imports them and this script never imports the suite. It reads a plan
(JSON, from :func:`analysis.dfe_rules.run.plan_jobs`) on standard input and writes one JSON object
per job on standard output::

    {"job": 0, "status": "ok", "ruleset": "lac2023_24", "rules": 312,
     "skipped": [...], "failed": [...],
     "findings": [{"rule_code": "103", "description": "...", "rows": 4, "children": 3}],
     "return_level": [{"rule_code": "2887Q", "description": "..."}]}

or ``{"job": 0, "status": "not_checked", "reason": "..."}``. Only rule codes, descriptions and
counts leave this process: never a child id or a value from the data. Everything the validators
print or log is kept off standard output.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import importlib
import io
import json
import logging
import re
import sys
import warnings


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _table_csv(path: str, columns: list[str]) -> bytes:
    """The file's rows with exactly the validator's columns (upper-cased names, any order)."""
    with open(path, "rb") as fh:
        rows = list(csv.reader(io.StringIO(_decode(fh.read()), newline="")))
    header = [h.strip().upper() for h in rows[0]] if rows else []
    where = [header.index(c) if c in header else None for c in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows[1:]:
        if not any(v.strip() for v in row):
            continue
        writer.writerow([row[i].strip() if i is not None and i < len(row) else "" for i in where])
    return out.getvalue().encode("utf-8")


def _date(value: str) -> datetime.date | None:
    """A ``dd/mm/YYYY`` date, or None (blank or not a date: such rows are left to the rules)."""
    try:
        return datetime.datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def _episodes_of_year(content: bytes, year_end: int) -> bytes:
    """The episodes a council submits for the collection year ending 31 March ``year_end``.

    DfE's SSDA903 return holds the episodes open at some time in the collection year: DECOM on
    or before 31 March and DEC blank or on or after 1 April. The suite's contract also accepts a
    council's full episode history (data/README.md); the validator would read its earliest
    episode as the first of the year (rules 502, 503A-F, 562, NoE), so earlier episodes are left
    out here. A row whose DECOM or DEC is not a date is kept (the rules report it).
    """
    first, last = datetime.date(year_end - 1, 4, 1), datetime.date(year_end, 3, 31)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
    header = rows[0]
    decom, dec = header.index("DECOM"), header.index("DEC")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows[1:]:
        start, end = _date(row[decom]), _date(row[dec])
        if (start is not None and start > last) or (end is not None and end < first):
            continue
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def _ruleset(module: str, name: str):
    try:
        return importlib.import_module(f"{module}.rules.{name}").registry
    except ModuleNotFoundError:
        return None


def run_903(job: dict) -> dict:
    """Validate one SSDA903 return (and the previous year's, which some rules compare with)."""
    from lac_validator import lac_validator
    from lac_validator.config import column_names

    year = job["ruleset_year"]
    name = f"lac{int(year) - 1}_{year[2:]}"
    registry = _ruleset("lac_validator", name)
    if registry is None:
        return {"status": "not_checked", "reason": f"the validator has no ruleset {name}"}
    files = []
    for description, key, year_end in (
        ("This year", "files", int(year)),
        ("Prev year", "previous", int(year) - 1),
    ):
        for table, path in job.get(key, {}).items():
            content = _table_csv(path, column_names[table])
            if table == "Episodes":
                content = _episodes_of_year(content, year_end)
            files.append(
                {"name": f"{table}.csv", "description": description, "file_content": content}
            )
    metadata = {"collectionYear": year, "localAuthority": job["la_ons"]}
    validator = lac_validator.LacValidator(metadata=metadata, files=files, registry=registry)
    rows: dict[str, int] = {}
    children: dict[str, set] = {}
    for table, frame in validator.ds_results.items():
        if table == "metadata":
            continue
        for col in (c for c in frame.columns if str(c).startswith("ERR_")):
            flagged = frame[col].fillna(False).astype(bool)
            if flagged.any():
                code = col[4:]
                rows[code] = rows.get(code, 0) + int(flagged.sum())
                ids = frame.loc[flagged, "CHILD"] if "CHILD" in frame.columns else []
                children.setdefault(code, set()).update(str(i) for i in ids)
    findings = [
        {
            "rule_code": str(code),
            "description": str(registry[code].message),
            "rows": rows[code],
            "children": len(children.get(code, ())),
        }
        for code in sorted(rows, key=str)
    ]
    return {
        "status": "ok",
        "ruleset": name,
        "rules": len(registry),
        "skipped": sorted(map(str, validator.skips)),
        "failed": sorted(map(str, validator.fails)),
        "findings": findings,
        "return_level": [],
    }


def run_cin(job: dict) -> dict:
    """Validate one CIN census XML return."""
    import xml.etree.ElementTree as ET

    from cin_validator import cin_validator

    year = job["ruleset_year"]
    name = f"cin{int(year) - 1}_{year[2:]}"
    registry = _ruleset("cin_validator", name)
    if registry is None:
        return {"status": "not_checked", "reason": f"the validator has no ruleset {name}"}
    root = ET.parse(job["file"]).getroot()
    data = cin_validator.process_data(cin_validator.convert_data(root))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        validator = cin_validator.CinValidator(data, registry)
    failed = sorted(set(re.findall(r"Error with rule (\S+?):", printed.getvalue())))
    issues = validator.full_issue_df
    findings = []
    for inst in validator.issue_instances.itertuples():
        code = str(inst.code)
        ids = issues.loc[issues["rule_code"].astype(str) == code, "child_id"].dropna()
        findings.append(
            {
                "rule_code": code,
                "description": str(registry[inst.code].message),
                "rows": int(inst.number),
                "children": int(ids.astype(str).nunique()),
            }
        )
    level = validator.multichild_issues.drop_duplicates()
    return_level = [
        {"rule_code": str(r.rule_code), "description": str(r.rule_description)}
        for r in level.itertuples()
        if str(r.rule_code) not in {f["rule_code"] for f in findings}
    ]
    return {
        "status": "ok",
        "ruleset": name,
        "rules": len(registry),
        "skipped": [],
        "failed": failed,
        "findings": sorted(findings, key=lambda f: f["rule_code"]),
        "return_level": return_level,
    }


def main() -> int:
    """Read the plan on stdin, validate each return, write one JSON line per job."""
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    plan = json.load(sys.stdin)
    out = sys.stdout
    for i, job in enumerate(plan["jobs"]):
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                result = run_903(job) if job["return"] == "ssda903" else run_cin(job)
        except Exception as exc:  # noqa: BLE001 - one return's failure must not stop the others
            # The exception's text may quote the data: only its type leaves this process.
            result = {
                "status": "not_checked",
                "reason": f"the validator failed ({type(exc).__name__})",
            }
        out.write(json.dumps({"job": i, **result}) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
