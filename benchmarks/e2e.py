"""End to end: both reports from raw synthetic data, cold and warm (issue 6).

- **cold**: a fresh processed, executed and output folder, then
  ``python -m analysis build --params IRO ATV`` (what ``make report`` runs): for each report,
  the ingest notebook, then the report's notebooks two at a time (one per core), then HTML, PDF,
  DOCX, CSV tables, the XLSX workbook and the checks;
- **warm**: ``python -m analysis render --params IRO ATV`` (what ``make render`` runs) after a
  text change to each report source (``benchmarks/render_edited.py``: a sentence added to a
  copy of ``reports/``, so every output changes, as after a real edit); the two renders run side
  by side.

Each is repeated ``--runs`` times (default 5); the result is the median with the minimum and
maximum, and where the time goes: the build's own step log (``[report i/n] STEP done in S s``)
and the cell times papermill records in each executed notebook, which split every notebook into
kernel start-up and work. Kernel start-up is also measured apart (an empty notebook through
papermill). Everything is written under ``--workdir`` (default ``/tmp/csc-bench/e2e``) through
params files, never into ``data/`` or ``reports/``.

Run: ``make bench`` or ``.venv/bin/python benchmarks/e2e.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PROJ_ROOT, PY, as_dict, check, machine, run, summary, write_results  # noqa: E402

REPORTS = {
    "iro-annual": "params/iro_annual_2023-24.yml",
    "atv-biannual": "params/atv_biannual_2024-25_h1.yml",
}
STEP = re.compile(r"\[(\S+)(?: [\d-]+/\d+)?\] (.+?) done in ([\d.]+) s")
EMPTY_NOTEBOOK = """
import sys, nbformat, papermill
nb = nbformat.v4.new_notebook()
nb.cells = [nbformat.v4.new_code_cell("x = 1")]
nbformat.write(nb, sys.argv[1])
papermill.execute_notebook(sys.argv[1], sys.argv[2], kernel_name="python3",
                           progress_bar=False, log_output=False)
"""


def write_params(work: Path, reference_dir: Path) -> dict[str, Path]:
    """Params files pointing every path into ``work`` (pattern of tests/test_build.py)."""
    out = {}
    for report, params_file in REPORTS.items():
        raw = yaml.safe_load((PROJ_ROOT / params_file).read_text(encoding="utf-8"))
        raw.update(
            raw_dir=str(work / "raw"),
            processed_dir=str(work / "processed"),
            reference_dir=str(reference_dir),
            output_dir=str(work / "out" / report),
            executed_dir=str(work / "executed" / report),
            key_path=str(work / "bench.key"),
        )
        path = work / f"{report}.yml"
        path.write_text(yaml.safe_dump(raw), encoding="utf-8")
        out[report] = path
    return out


def steps(stderr: str) -> dict[str, dict[str, float]]:
    """Step timings by report from the build log (``[iro-annual 9/11] ... done in 2.4 s``)."""
    found: dict[str, dict[str, float]] = {}
    for report, name, seconds in STEP.findall(stderr):
        found.setdefault(report, {})
        found[report][name] = found[report].get(name, 0.0) + float(seconds)
    return found


def fresh(work: Path) -> None:
    for sub in ("processed", "executed", "out"):
        shutil.rmtree(work / sub, ignore_errors=True)


def kernel_startup(work: Path, runs: int) -> dict:
    """Seconds to start a kernel and run one trivial cell through papermill (median)."""
    times = []
    for i in range(runs):
        m = check(
            run([PY, "-c", EMPTY_NOTEBOOK, str(work / "empty.ipynb"), str(work / f"e{i}.ipynb")])
        )
        times.append(m.wall_s)
    return summary(times)


def cell_seconds(executed_dir: Path) -> dict[str, float]:
    """Seconds spent in the cells of each executed notebook (papermill records each cell)."""
    out = {}
    for path in sorted(executed_dir.glob("*.ipynb")):
        book = json.loads(path.read_text(encoding="utf-8"))
        out[path.name] = sum(
            float(c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0)
            for c in book["cells"]
            if c["cell_type"] == "code"
        )
    return out


def breakdown(step_times: dict[str, float], cells: dict[str, float]) -> dict:
    """Where one report's cold build time went, from its step log and its notebooks' cells.

    The first four parts are wall-clock phases one after the other; the report notebooks run
    side by side, so the last two (summed over notebooks) overlap and add up to more than their
    phase.
    """
    notebooks = {
        k[len("notebook ") :]: v for k, v in step_times.items() if k.startswith("notebook ")
    }
    in_cells = {name: min(cells.get(name, 0.0), t) for name, t in notebooks.items()}
    ingest = notebooks.get("01_ingest.ipynb", 0.0)
    report_phase = step_times.get("notebooks") or sum(notebooks.values()) - ingest
    parts = {
        "ingest notebook (its kernel included)": ingest,
        "report notebooks (wall, side by side)": report_phase,
        "rendering (HTML, PDF, DOCX, XLSX)": step_times.get("render HTML, PDF and DOCX", 0.0),
        "checks (consistency, identifier scan)": step_times.get("consistency checks", 0.0)
        + step_times.get("scan the outputs for identifiers", 0.0),
        "of which ingest cells": in_cells.get("01_ingest.ipynb", 0.0),
        "report notebooks: kernel start-up and papermill (sum)": sum(
            t - in_cells[n] for n, t in notebooks.items() if n != "01_ingest.ipynb"
        ),
        "report notebooks: metrics, tables and charts cells (sum)": sum(
            v for k, v in in_cells.items() if k != "01_ingest.ipynb"
        ),
    }
    return {k: round(v, 2) for k, v in parts.items()}


def median_parts(parts: list[dict]) -> dict:
    return {k: round(statistics.median(p[k] for p in parts), 2) for k in parts[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/csc-bench/e2e"))
    parser.add_argument("--reference-dir", type=Path, default=PROJ_ROOT.parent / "shared/reference")
    args = parser.parse_args(argv)
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    meta = machine()
    print(f"machine: {meta}", file=sys.stderr)
    check(run([PY, "-m", "analysis", "generate", "--out", str(work / "raw")]))
    params = write_params(work, args.reference_dir.resolve())
    kernel = kernel_startup(work, args.runs)
    print(f"kernel start-up: {kernel}", file=sys.stderr)

    rows: list[dict] = []
    cold_total, warm_total = [], []
    cold_steps: dict[str, list[dict]] = {r: [] for r in REPORTS}
    every = [str(path) for path in params.values()]
    for i in range(1, args.runs + 1):
        fresh(work)
        m = check(run([PY, "-m", "analysis", "build", "--params", *every]))
        st = steps(m.stderr)
        for report in REPORTS:
            parts = breakdown(st.get(report, {}), cell_seconds(work / "executed" / report))
            cold_steps[report].append(parts)
        rows.append({"mode": "cold", "run": i, **as_dict(m), "steps": st})
        cold_total.append(m.wall_s)
        edited = [PY, str(Path(__file__).with_name("render_edited.py"))]
        edited += ["--copy", str(work / "reports-edited"), "--edit", str(i), "--params", *every]
        m = check(run(edited))
        rows.append({"mode": "warm", "run": i, **as_dict(m), "steps": steps(m.stderr)})
        warm_total.append(m.wall_s)
        print(f"run {i}: cold {cold_total[-1]:.1f} s, warm {warm_total[-1]:.1f} s", file=sys.stderr)

    result = {
        "cold_both_reports_s": summary(cold_total),
        "warm_both_reports_s": summary(warm_total),
        "kernel_startup_s": kernel,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in rows),
        "breakdown_cold_s": {r: median_parts(cold_steps[r]) for r in REPORTS},
        "cpu_s": {
            mode: summary([x["cpu_s"] for x in rows if x["mode"] == mode])
            for mode in ("cold", "warm")
        },
    }
    meta["load_average_1m_end"] = machine()["load_average_1m"]
    write_results("e2e", rows, {**meta, "summary": result})
    print(yaml.safe_dump(result, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
