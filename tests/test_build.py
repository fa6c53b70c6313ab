"""End to end: synthetic returns in, both reports and their tables out (DESIGN section 2).

Builds both reports once per test session from a freshly generated synthetic dataset in a
temporary folder, through the same command line an analyst uses.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.paths import PROJ_ROOT
from analysis.scan import report_calendar_dates, scan_outputs
from analysis.tables import load_catalogue

REPORTS = {
    "iro-annual": (
        "params/iro_annual_2023-24.yml",
        [
            "cla_summary",
            "cla_ceased_by_reason",
            "cla_review_participation",
            "cla_by_ethnicity",
            "cla_placement_type",
            "cla_legal_status",
            "cp_summary",
            "cp_by_category",
        ],
    ),
    "atv-biannual": ("params/atv_biannual_2024-25_h1.yml", ["atv_la_measures"]),
}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=PROJ_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="session")
def built(report_builds) -> dict[str, Path]:
    """Both reports, built once per session by the shared fixture in conftest.py."""
    return {report: b.out for report, b in report_builds.items()}


@pytest.fixture(scope="session")
def workspace(report_builds) -> Path:
    """The folder holding the session's synthetic raw data (``raw/``)."""
    return report_builds["iro-annual"].params.parent


@pytest.mark.parametrize("report", list(REPORTS))
def test_all_formats_rendered(built, report):
    out = built[report]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Synthetic data" in html
    assert "<table" in html and "data:image/png;base64" in html
    assert "https://" not in html.replace("https://www.w3.org", "")
    assert (out / "report.pdf").read_bytes()[:4] == b"%PDF"
    assert zipfile.is_zipfile(out / "report.docx")
    assert (out / "tables.xlsx").exists()


@pytest.mark.parametrize("report", list(REPORTS))
def test_fixed_interface_tables(built, report):
    catalogue = load_catalogue()
    for table_id in REPORTS[report][1]:
        df = pd.read_csv(
            built[report] / "tables" / f"{table_id}.csv", dtype=str, keep_default_na=False
        )
        assert list(df.columns) == catalogue[table_id].columns, table_id
        assert len(df) > 0, table_id
        for col in catalogue[table_id].count_columns:
            # counts are whole numbers or the suppression mark, never 1-5 in public outputs
            for value in df[col]:
                assert value == "c" or (value.isdigit() and not 1 <= int(value) <= 5), value
        spec = catalogue[table_id]
        if spec.count_measures:
            counts = df.loc[df["measure"].isin(spec.count_measures), "value"]
            assert all(v == "c" or (v.isdigit() and not 1 <= int(v) <= 5) for v in counts), (
                table_id,
                counts.tolist(),
            )
        for col in catalogue[table_id].percent_columns:
            numbers = pd.to_numeric(df.loc[df[col] != "c", col])
            assert numbers.between(0, 100).all() and not df[col].str.contains("%").any()


def test_cla_summary_measures_in_order(built):
    df = pd.read_csv(built["iro-annual"] / "tables" / "cla_summary.csv")
    assert df["measure"].tolist() == [
        "cla_count",
        "cla_rate_per_10k",
        "started_count",
        "ceased_count",
        "reviews_held",
        "reviews_in_timescale_pct",
        "short_term_stability_pct",
        "long_term_stability_pct",
    ]


def test_cp_summary_measures_in_order(built):
    df = pd.read_csv(built["iro-annual"] / "tables" / "cp_summary.csv")
    assert df["measure"].tolist() == [
        "cp_plans_count",
        "cp_rate_per_10k",
        "plans_started_count",
        "second_subsequent_count",
        "second_subsequent_pct",
        "icpc_count",
        "icpc_within_15_days_pct",
        "icpc_no_plan_count",
        "plans_15_months_plus_count",
        "plans_24_months_plus_count",
    ]


def test_atv_measures_cover_every_council_period_and_measure(built):
    df = pd.read_csv(built["atv-biannual"] / "tables" / "atv_la_measures.csv", dtype=str)
    assert set(df["la_code"]) == {"841", "805", "806", "807", "808", "all"}
    assert set(df["period"]) == {"current", "previous_full_year", "previous_same_half"}
    assert set(df["measure"]) == {
        "adm_decisions",
        "placement_orders",
        "placements_for_adoption",
        "early_permanence",
        "adoption_orders",
        "disruptions",
        "a10_days",
        "a2_days",
    }
    assert len(df) == 6 * 3 * 8


def test_no_raw_identifier_in_outputs(built, workspace, report_builds):
    # UPNs and postcodes cannot collide with a figure, so a plain search is an independent check
    header = pd.read_csv(
        workspace / "raw" / "806" / "ssda903" / "2023-24" / "header.csv", dtype=str
    )
    episodes = pd.read_csv(
        workspace / "raw" / "806" / "ssda903" / "2023-24" / "episodes.csv", dtype=str
    )
    # full postcodes only: a partial placeholder such as "UN1" is not an identifier
    postcodes = {p for p in episodes["HOME_POST"].dropna() if len(p.replace(" ", "")) >= 5}
    # real UPNs are 13 characters; "UN1"-"UN10" are DfE's reason codes for an unknown UPN
    upns = {u for u in header["UPN"].dropna() if len(u) == 13}
    needles = upns | postcodes
    for out in built.values():
        for path in [*out.glob("tables/*.csv"), out / "index.html"]:
            text = path.read_text(encoding="utf-8")
            assert not [n for n in needles if n in text], path
    # child ids and dates of birth: the build's own scanner, which the build already ran
    for report, b in report_builds.items():
        params = yaml.safe_load(b.params.read_text())
        allowed = report_calendar_dates(
            dt.date.fromisoformat(str(params["period_start"])),
            dt.date.fromisoformat(str(params["period_end"])),
        )
        assert (
            scan_outputs(b.out, workspace / "raw", also=[b.executed], allowed_dates=allowed) == []
        ), report


def test_bad_params_one_line(tmp_path):
    params = tmp_path / "p.yml"
    params.write_text("report: iro-annual\n")
    result = run_cli("build", "--params", str(params))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "missing required parameter la_codes" in result.stderr
    assert "Traceback" not in result.stderr
