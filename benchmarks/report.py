"""Print the measured figures of ``results/*.json`` as the markdown tables of docs/performance.md.

Run: ``.venv/bin/python benchmarks/report.py`` after the benchmarks; paste into the docs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _range(s: dict) -> str:
    return f"{s['median']:.1f} | {s['min']:.1f}-{s['max']:.1f}"


def machine_line(meta: dict) -> str:
    return (
        f"{meta['nproc']} cores ({meta['cpu_model']}), {meta['memory_gb']} GB, Python "
        f"{meta['python']}, pandas {meta['pandas']}, pyarrow {meta['pyarrow']}; {meta['date']}; "
        f"commit {meta['commit']}; load average {meta['load_average_1m']} at the start, "
        f"{meta.get('load_average_1m_end', '?')} at the end"
    )


def e2e(data: dict) -> list[str]:
    meta = data["machine"]
    s = meta["summary"]
    rows = data["rows"]
    cpu = {}
    for mode in ("cold", "warm"):
        per_run: dict[int, float] = {}
        for r in rows:
            if r["mode"] == mode:
                per_run[r["run"]] = per_run.get(r["run"], 0.0) + r["cpu_s"]
        values = sorted(per_run.values())
        cpu[mode] = values[len(values) // 2]
    out = [
        f"Machine: {machine_line(meta)}.",
        "",
        "| what | command | median s | min-max s | CPU s (median) | peak memory MB |",
        "|---|---|---|---|---|---|",
        f"| both reports, cold | `build --params IRO ATV` | {_range(s['cold_both_reports_s'])} | "
        f"{cpu['cold']:.1f} | {max(r['peak_rss_mb'] for r in rows if r['mode'] == 'cold')} |",
        f"| both reports, re-render after a text change | `render --params IRO ATV` | "
        f"{_range(s['warm_both_reports_s'])} | {cpu['warm']:.1f} | "
        f"{max(r['peak_rss_mb'] for r in rows if r['mode'] == 'warm')} |",
    ]
    for key, v in s.get("per_report_s", {}).items():
        mode, report = key.split(" ", 1)
        out.append(
            f"| {report}, {mode} | `{'build' if mode == 'cold' else 'render'}` | {_range(v)} | | |"
        )
    out += [
        "",
        f"Kernel start-up (empty notebook through papermill): {_range(s['kernel_startup_s'])}"
        " s (median | min-max).",
        "",
        "| where the cold time goes (median s) | " + " | ".join(s["breakdown_cold_s"]) + " |",
        "|---|" + "---|" * len(s["breakdown_cold_s"]),
    ]
    kinds = list(next(iter(s["breakdown_cold_s"].values())))
    for kind in kinds:
        out.append(
            f"| {kind} | "
            + " | ".join(f"{s['breakdown_cold_s'][r][kind]:.1f}" for r in s["breakdown_cold_s"])
            + " |"
        )
    return out


def _runs(row: dict) -> str:
    """`` (min-max of N)`` when the size was run several times (the row is the median run)."""
    runs = row.get("wall_runs_s", [])
    return f" ({min(runs)}-{max(runs)}, {len(runs)} runs)" if len(runs) > 1 else ""


def scale(data: dict) -> list[str]:
    meta = data["machine"]
    out = [
        f"Machine: {machine_line(meta)}.",
        "",
        "| councils | raw MB | rows in | episodes | reviews | CP plans | generate s | generate MB "
        "| ingest s | metrics s | total s (wall) | CPU s | peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in data["rows"]:
        out.append(
            f"| {r['councils']} | {r.get('raw_mb', '')} | {r['rows_in']:,} | "
            f"{r['rows_episodes']:,} | {r['rows_reviews']:,} | {r['rows_cp_plans']:,} | "
            f"{r.get('generate_wall_s', '')} | {r.get('generate_peak_rss_mb', '')} | "
            f"{r['ingest_s']} | {r['metrics_s']} | {r['wall_s']}{_runs(r)} | {r['cpu_s']} | "
            f"{r['peak_rss_mb']} |"
        )
    g = meta["growth"]
    out += [
        "",
        "Growth exponent b (time = a x councils^b) between sizes: wall "
        + ", ".join(f"{e['from']}->{e['to']}: {e['b']}" for e in g["exponent_wall"])
        + "; CPU "
        + ", ".join(f"{e['from']}->{e['to']}: {e['b']}" for e in g["exponent_cpu"])
        + "; memory "
        + ", ".join(f"{e['from']}->{e['to']}: {e['b']}" for e in g["exponent_memory"])
        + ".",
    ]
    return out


def peers(data: dict) -> list[str]:
    meta = data["machine"]
    s = meta["summary"]
    c, v = s["cleaning_s"], s["view_s"]
    only = sorted(
        r["view_s"] - r["clean_s"] for r in data["rows"] if r["side"] == "ours (workers=1)"
    )
    view_only = only[len(only) // 2]
    demand = v["cs_demand_model"]["median"]
    return [
        f"Machine: {machine_line(meta)}.",
        "",
        f"Same files: {s['files']} SSDA903 CSVs (header, episodes, reviews) of {s['councils']} "
        f"councils x 5 years, {s['rows_in']:,} rows.",
        "",
        "| work | tool | median s | min-max s | peak MB | ratio (peer / ours) |",
        "|---|---|---|---|---|---|",
        f"| cleaning | ours, 1 process | {_range(c['ours_workers_1'])} | "
        f"{s['peak_rss_mb']['ours (workers=1)']} | |",
        f"| cleaning | ours, 2 worker processes | {_range(c['ours_workers_2'])} | "
        f"{s['peak_rss_mb']['ours (workers=2)']} | |",
        f"| cleaning | liiatools 0.2.0 `s903 cleanfile` | {_range(c['liiatools'])} | "
        f"{s['peak_rss_mb']['liiatools']} | {c['ratio_liiatools_over_ours_workers_1']}x "
        f"(1 process), {c['ratio_liiatools_over_ours_workers_2']}x (2) |",
        f"| episode view from raw | ours, 1 process | {_range(v['ours_workers_1'])} | | |",
        f"| episode view from raw | ours, 2 worker processes | {_range(v['ours_workers_2'])} | | |",
        f"| episode view from raw | cs-demand-model 0.5.1 `enriched_view` | "
        f"{_range(v['cs_demand_model'])} | {s['peak_rss_mb']['cs-demand-model']} | "
        f"{v['ratio_cs_demand_model_over_ours_workers_1']}x (1 process), "
        f"{v['ratio_cs_demand_model_over_ours_workers_2']}x (2) |",
        f"| episode view from processed tables | ours (ingested once, as every report does) | "
        f"{view_only:.2f} | {only[0]:.2f}-{only[-1]:.2f} | | {demand / view_only:.1f}x |",
    ]


def main() -> int:
    for name, fn in (("e2e", e2e), ("scale", scale)):
        data = _load(name)
        if data:
            print(f"## {name}\n")
            print("\n".join(fn(data)) + "\n")
    for path in sorted(RESULTS.glob("peers_*.json")):
        print(f"## {path.stem}\n")
        print("\n".join(peers(json.loads(path.read_text(encoding="utf-8")))) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
