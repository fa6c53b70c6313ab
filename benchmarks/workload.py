"""The scale workload: ingest plus every metric the two reports compute, for one period.

Runs in its own process (``python benchmarks/workload.py --raw ... --processed ...``) so that its
peak memory is its own; prints one JSON object with the time of each stage, the processed row
counts and the peak resident memory. The metric calls mirror the notebooks (10_cla, 20_cp,
30_iro_activity, 40_adoption and 01_ingest's data-quality tables), pooled over every council in
the raw folder, as a regional or national body would run them.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pickle
import resource
import sys
import time
from pathlib import Path

import pandas as pd

from analysis.ingest import run_ingest
from analysis.ingest.run import IngestResult
from analysis.io import load_manifest, load_table
from analysis.quality import dq_reasons, dq_summary

# The metric packages (scipy, matplotlib and all) are imported by ``metrics`` after ingest, not
# here: ingest's worker processes are spawned, and each would import this module again.


class Clock:
    """Wall-clock time of named stages."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stages[name] = round(self.stages.get(name, 0.0) + now - self._t, 3)
        self._t = now


def cla_metrics(processed: Path, las: list[str], ps: pd.Timestamp, pe: pd.Timestamp) -> dict:
    """Every CLA measure of notebook 10_cla, for the period and the year before."""
    from analysis import cla

    prev_ps, prev_pe = ps - pd.DateOffset(years=1), pe - pd.DateOffset(years=1)
    # annotated once for every measure (periods of care and placements), as notebook 10 does
    episodes = cla.annotate_episodes(load_table(processed, "episodes", las))
    children = load_table(processed, "children", las)
    reviews = load_table(processed, "reviews", las)
    population = 1_000_000.0  # rates are not the point here; the same for every size
    timeliness = cla.review_timeliness(reviews, episodes)  # once for both years, as notebook 10
    out = {
        "summary": cla.cla_summary(
            episodes, children, reviews, population, ps, pe, timeliness=timeliness
        ),
        "prev_summary": cla.cla_summary(
            episodes, children, reviews, population, prev_ps, prev_pe, timeliness=timeliness
        ),
    }
    out["participation"] = cla.review_participation(reviews, ps, pe)
    out["views"] = cla.views_conveyed_pct(reviews, ps, pe)
    out["prev_views"] = cla.views_conveyed_pct(reviews, prev_ps, prev_pe)
    out["monthly"] = cla.monthly_cla(episodes, population, prev_pe, pe)
    out["rt_now"] = cla.monthly_review_timeliness(timeliness, ps, pe)
    out["rt_before"] = cla.monthly_review_timeliness(timeliness, prev_ps, prev_pe)
    out["ethnicity"] = cla.ethnicity_at(episodes, children, pe)
    out["place"] = cla.placement_type_at(episodes, pe)
    out["legal"] = cla.legal_status_at(episodes, pe)
    out["need"] = cla.category_of_need_started(episodes, ps, pe)
    out["ceased"] = cla.ceased_by_reason(episodes, ps, pe)
    return out


def cp_metrics(processed: Path, las: list[str], ps: pd.Timestamp, pe: pd.Timestamp) -> dict:
    """Every child protection measure of notebook 20_cp."""
    from analysis import cp

    prev_ps, prev_pe = ps - pd.DateOffset(years=1), pe - pd.DateOffset(years=1)
    plans = load_table(processed, "cp_plans", las)
    s47 = load_table(processed, "s47", las)
    cin_plans = load_table(processed, "cin_plans", las)
    population = 1_000_000.0
    icpc_now = cp.icpcs(s47, plans, ps, pe, cin_plans=cin_plans)
    icpc_before = cp.icpcs(s47, plans, prev_ps, prev_pe, cin_plans=cin_plans)
    return {
        "summary": cp.cp_summary(plans, s47, population, ps, pe, cin_plans=cin_plans),
        "prev": cp.cp_summary(plans, s47, population, prev_ps, prev_pe, cin_plans=cin_plans),
        "reaching": cp.reaching_15_months(plans, pe),
        "category": cp.cp_by_category_at(plans, pe),
        "duration": cp.plans_by_duration_at(plans, pe),
        "icpc_now": cp.monthly_icpc_timeliness(icpc_now, ps, pe),
        "icpc_before": cp.monthly_icpc_timeliness(icpc_before, prev_ps, prev_pe),
    }


def iro_metrics(processed: Path, las: list[str], ps: pd.Timestamp, pe: pd.Timestamp) -> dict:
    """The IRO activity tables of notebook 30_iro_activity."""
    from analysis import iro

    caseload = load_table(processed, "iro_caseload", las)
    irp = load_table(processed, "irp", las)
    out = {}
    if len(caseload):
        out["caseload"] = iro.caseload_per_iro(caseload, ps, pe)
    if len(irp):
        out["irp"] = iro.irp_by_plan_type(irp, ps, pe)
    return out


def adoption_metrics(processed: Path, las: list[str], ps: pd.Timestamp, pe: pd.Timestamp) -> dict:
    """The adoption measures of notebook 40_adoption (per council, pooled and three periods)."""
    from analysis import adoption

    episodes = load_table(processed, "episodes", las)
    placed = load_table(processed, "placed_adoption", las)
    ad1 = load_table(processed, "ad1", las)
    return {
        "measures": adoption.atv_la_measures(episodes, placed, ad1, las, ps, pe),
        "cohort": adoption.a10_a2_children(episodes, ad1, pe),
    }


def processed_only(processed: Path) -> IngestResult:
    """What an earlier ingest into ``processed`` wrote, read back instead of ingesting again."""
    manifest = load_manifest(processed)
    return IngestResult(
        processed_dir=processed,
        summary=pd.read_csv(processed / "ingest_summary.csv"),
        dq_log=pd.read_csv(processed / "dq_log.csv", dtype=str, keep_default_na=False),
        synthetic=bool(manifest.get("synthetic")),
        counts=manifest.get("tables", {}),
        la_codes=manifest["la_codes"],
    )


def metric_group(name: str, args: argparse.Namespace, las: list[str]) -> tuple[dict, float]:
    """One notebook's measures (``cla``, ``cp``, ``iro`` or ``adoption``); outputs, CPU seconds."""
    t0 = time.process_time()
    processed = Path(args.processed)
    if name == "adoption":
        ps, pe = pd.Timestamp(args.half_start), pd.Timestamp(args.half_end)
    else:
        ps, pe = pd.Timestamp(args.year_start), pd.Timestamp(args.year_end)
    group = {"cla": cla_metrics, "cp": cp_metrics, "iro": iro_metrics, "adoption": adoption_metrics}
    out = group[name](processed, las, ps, pe)
    return out, time.process_time() - t0


#: The metric groups, longest first, as the build runs the report notebooks: two at a time.
GROUPS = ("cla", "cp", "adoption", "iro")


def metrics(args: argparse.Namespace, las: list[str], clock: Clock) -> dict:
    """Every metric group, ``--metric-workers`` at a time (forked processes, like the notebooks)."""

    outputs: dict = {}
    cpu: dict[str, float] = {}
    if args.metric_workers == 1:
        for name in GROUPS:
            outputs[name], cpu[name] = metric_group(name, args, las)
            clock.lap(f"metrics_{name}")
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(args.metric_workers, mp_context=context) as pool:
            futures = {name: pool.submit(metric_group, name, args, las) for name in GROUPS}
            for name, future in futures.items():
                outputs[name], cpu[name] = future.result()
        clock.lap("metrics_side_by_side")
    outputs["cpu_s"] = {k: round(v, 3) for k, v in cpu.items()}
    return outputs


def run(args: argparse.Namespace) -> dict:
    """Ingest, then every metric; return the timings, row counts and peak memory."""
    processed = Path(args.processed)
    clock = Clock()
    if args.skip_ingest:
        result = processed_only(processed)
    else:
        raw, reference, key = Path(args.raw), Path(args.reference), Path(args.key)
        result = run_ingest(raw, processed, reference, key, la_codes=None)
    clock.lap("ingest")
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    if profiler is not None:
        profiler.enable()
    las = result.la_codes
    outputs = {"dq_summary": dq_summary(result.summary), "dq_reasons": dq_reasons(result.dq_log)}
    clock.lap("metrics_quality")
    outputs.update(metrics(args, las, clock))
    metric_cpu = outputs.pop("cpu_s")
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    if args.dump:
        with open(args.dump, "wb") as fh:
            pickle.dump(outputs, fh)
    counts = result.counts
    rows = {
        table: sum(n for k, n in counts.items() if k.endswith("/" + table))
        for table in ("episodes", "reviews", "children", "cp_plans", "s47", "cin_children")
    }
    peak = max(
        resource.getrusage(who).ru_maxrss  # KiB on Linux; the largest single process
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return {
        "councils": len(las),
        "metric_workers": args.metric_workers,
        "metric_group_cpu_s": metric_cpu,
        "stages_s": clock.stages,
        "ingest_s": clock.stages["ingest"],
        "metrics_s": round(sum(v for k, v in clock.stages.items() if k.startswith("metrics")), 3),
        "total_s": round(sum(clock.stages.values()), 3),
        "peak_rss_mb": round(peak / 1024, 1),
        "rows_in": result.totals["rows_in"],
        "processed_rows": rows,
        # the count the CLA summary gave (children looked after at the end of the year)
        "cla_31march": int(
            outputs["cla"]["summary"].set_index("measure").loc["cla_count", "value"]
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--raw", help="raw folder (not needed with --skip-ingest)")
    parser.add_argument("--processed", required=True)
    parser.add_argument("--reference")
    parser.add_argument("--key")
    parser.add_argument(
        "--skip-ingest",
        action="store_true",
        help="time the metrics alone, on what an earlier ingest wrote into --processed",
    )
    parser.add_argument(
        "--metric-workers",
        type=int,
        default=2,
        help="metric groups run at a time, as the build runs notebooks (default 2; 1 in order)",
    )
    parser.add_argument("--dump", help="pickle every metric output to this file (to compare)")
    parser.add_argument(
        "--profile", help="write a cProfile of the metric stages to this file (with 1 worker)"
    )
    parser.add_argument("--year-start", default="2023-04-01")
    parser.add_argument("--year-end", default="2024-03-31")
    parser.add_argument("--half-start", default="2024-04-01")
    parser.add_argument("--half-end", default="2024-09-30")
    args = parser.parse_args(argv)
    if not args.skip_ingest and not (args.raw and args.reference and args.key):
        parser.error("--raw, --reference and --key are needed unless --skip-ingest")
    out = run(args)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
