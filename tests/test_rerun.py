"""Rerunning for a new year (docs/rerun.md): last year's figures in this year's report are the
figures of last year's report.

Builds the IRO annual report for 2022-23 and then 2023-24 from one synthetic dataset, through the
command line an analyst uses, with params files made as docs/rerun.md says (copy, change the
period). Every figure the 2023-24 report gives for 2022-23 must equal the figure the 2022-23
report gave for its own year; the build itself checks this too (analysis.consistency).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from refdata import REFERENCE_DIR

from analysis.consistency import INTERNAL_DIRNAME, load_tables
from analysis.paths import PROJ_ROOT
from analysis.synthetic import generate

YEARS = {"2022-23": ("2022-04-01", "2023-03-31"), "2023-24": ("2023-04-01", "2024-03-31")}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, dict[str, object]]:
    root = tmp_path_factory.mktemp("rerun")
    generate(root / "raw", la_codes=["806"])
    template = yaml.safe_load((PROJ_ROOT / "params" / "iro_annual_2023-24.yml").read_text())
    out = {}
    for label, (start, end) in YEARS.items():
        params = dict(template)
        params.update(
            period_start=start,
            period_end=end,
            raw_dir=str(root / "raw"),
            processed_dir=str(root / "processed"),
            reference_dir=str(REFERENCE_DIR),
            output_dir=str(root / "out" / label),
            executed_dir=str(root / "executed" / label),
            key_path=str(root / "demo.key"),
        )
        path = root / f"iro_annual_{label}.yml"
        path.write_text(yaml.safe_dump(params))
        result = subprocess.run(
            [sys.executable, "-m", "analysis", "build", "--params", str(path)],
            cwd=PROJ_ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        internal = root / "executed" / label / INTERNAL_DIRNAME
        out[label] = {
            "log": result.stderr,
            "internal": load_tables(internal),
            "public": Path(params["output_dir"]) / "tables",
            "checks": pd.read_csv(internal / "consistency.csv"),
        }
    return out


def test_second_year_build_compared_itself_with_the_first(runs):
    assert "compared with last year's run" in runs["2023-24"]["log"]
    assert "no run of last year on disk" in runs["2022-23"]["log"]
    checks = runs["2023-24"]["checks"]
    across = checks.loc[checks["name"].str.endswith("last year's run")]
    assert {"trend_key_figures", "trend_proportions"} <= {n.split()[0] for n in across["name"]}
    assert (across["status"] == "passed").all(), across.loc[across["status"] != "passed"]


def test_key_figures_of_last_year_equal_last_years_report(runs):
    now, then = runs["2023-24"]["internal"], runs["2022-23"]["internal"]
    key = now["trend_key_figures"]
    previous = key.loc[key["period"] == "2022-23"].set_index("measure")["value"]
    # last year's own headline tables, not last year's copy of this table
    summaries = pd.concat([then["cla_summary"], then["cp_summary"]])
    own = summaries.loc[:, ["measure", "value"]]
    own = own.loc[~own["measure"].duplicated()].set_index("measure")["value"]
    assert set(previous.index) == set(own.index)
    for measure in own.index:
        assert previous[measure] == pytest.approx(own[measure], abs=1e-9, nan_ok=True), measure


def test_compared_percentages_of_last_year_equal_last_years_report(runs):
    now = runs["2023-24"]["internal"]["trend_proportions"].set_index("measure")
    then = runs["2022-23"]["internal"]["trend_proportions"].set_index("measure")
    assert list(now.index) == list(then.index)
    for column in ("count", "total", "pct"):
        pd.testing.assert_series_equal(
            now[f"previous_{column}"], then[f"current_{column}"], check_names=False
        )


def test_every_table_by_year_agrees_on_the_shared_year(runs):
    now, then = runs["2023-24"]["internal"], runs["2022-23"]["internal"]
    compared = []
    for table_id, table in now.items():
        if "period" not in table.columns or table_id not in then:
            continue
        mine = table.loc[table["period"] == "2022-23"]
        theirs = then[table_id].loc[then[table_id]["period"] == "2022-23"]
        if mine.empty:
            continue
        keys = [c for c in table.columns if table[c].dtype == object]
        merged = mine.merge(theirs, on=keys, how="outer", suffixes=("_now", "_then"))
        for column in [c for c in table.columns if c not in keys]:
            # a row of zeros listed for the other year only is the same as no row
            a, b = merged[f"{column}_now"].fillna(0), merged[f"{column}_then"].fillna(0)
            assert ((a - b).abs() < 1e-9).all(), (table_id, column, merged)
        compared.append(table_id)
    assert "trend_key_figures" in compared and len(compared) >= 3, compared


def test_public_tables_agree_too(runs):
    now = pd.read_csv(runs["2023-24"]["public"] / "trend_key_figures.csv", dtype=str)
    then = pd.read_csv(runs["2022-23"]["public"] / "trend_key_figures.csv", dtype=str)
    mine = now.loc[now["period"] == "2022-23"].reset_index(drop=True)
    theirs = then.loc[then["period"] == "2022-23"].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, theirs)
