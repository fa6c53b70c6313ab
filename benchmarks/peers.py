"""Side by side with the peers, in one run on the same files (issue 6).

1. Generates the synthetic raw data (``--councils``, default the five Tees Valley councils, five
   collection years) and lays the same SSDA903 files out three ways: our raw layout (header,
   episodes and reviews only), liiatools' (one folder per LA and year, the schema year in each
   file name) and cs-demand-model's (``<LA>/<year>/header.csv``, ``episodes.csv``).
2. Runs, ``--runs`` times each (median reported; liiatools ``--liiatools-runs`` times, default
   once, as it takes minutes):

   - **cleaning**: our ingest (``benchmarks/peers/run_ours.py``, one process, ``workers=1``, and
     again with the default workers) against liiatools ``s903 cleanfile`` on every file
     (``benchmarks/peers/run_liiatools.py``);
   - **child/episode view**: our ingest plus the annotated episode view against
     cs-demand-model's ``DemandModellingDataContainer(...).enriched_view``
     (``benchmarks/peers/run_demand_model.py``).

The peers pin pandas < 2, so they run from ``.venv-peers`` (``make peers-venv``). Times exclude
each tool's imports (reported apart); wall time and peak memory of each process are recorded too.

Run: ``make bench`` (after ``make peers-venv``) or ``.venv/bin/python benchmarks/peers.py``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PROJ_ROOT, PY, as_dict, check, machine, run, summary, write_results  # noqa: E402

PEERS_PY = PROJ_ROOT / ".venv-peers" / "bin" / "python"
HERE = Path(__file__).resolve().parent / "peers"
TABLES = ("header", "episodes", "reviews")


def find_tables(year_dir: Path) -> dict[str, Path]:
    """The header, episodes and reviews CSVs of one return (Stockton names them differently)."""
    found = {}
    for path in sorted(year_dir.glob("*.csv")):
        stem = path.stem.lower()
        for table in TABLES:
            if stem == table or stem.endswith("_" + table):
                found[table] = path
    return found


def layouts(raw: Path, work: Path) -> dict[str, Path]:
    """Copy the same SSDA903 files into our layout, liiatools' and cs-demand-model's."""
    ours, liia, demand = work / "ours-raw", work / "liiatools-in", work / "demand-in"
    for d in (ours, liia, demand):
        shutil.rmtree(d, ignore_errors=True)
    (ours).mkdir(parents=True)
    (ours / "SYNTHETIC").write_text("synthetic\n", encoding="utf-8")
    files = 0
    for la_dir in sorted(p for p in raw.iterdir() if p.is_dir() and p.name.isdigit()):
        for year_dir in sorted((la_dir / "ssda903").iterdir()):
            year = year_dir.name  # 2023-24
            for table, path in find_tables(year_dir).items():
                target = ours / la_dir.name / "ssda903" / year / f"{table}.csv"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target)
                # liiatools 0.2.0 knows schemas up to 2024: the 2024-25 return uses that one
                schema_year = min(int(year[:4]) + 1, 2024)
                target = liia / f"{la_dir.name}_{year}" / f"SSDA903_{schema_year}_{table}.csv"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target)
                if table != "reviews":
                    end_year = str(int(year[:4]) + 1)
                    target = demand / la_dir.name / end_year / f"{table}.csv"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(path, target)
                files += 1
    print(f"{files} SSDA903 files laid out three ways under {work}", file=sys.stderr)
    return {"ours": ours, "liiatools": liia, "demand": demand}


def tool_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--councils", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--liiatools-runs", type=int, default=1, help="liiatools takes minutes: run it fewer times"
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/csc-bench/peers"))
    parser.add_argument("--reference-dir", type=Path, default=PROJ_ROOT.parent / "shared/reference")
    args = parser.parse_args(argv)
    if not PEERS_PY.exists():
        raise SystemExit("no .venv-peers: run `make peers-venv` first")
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    meta = machine()
    from scale import council_codes

    raw = work / f"raw-{args.councils}"
    codes = council_codes(args.councils)
    gen = "from analysis.synthetic import generate; import sys; from pathlib import Path; " + (
        "generate(Path(sys.argv[1]), la_codes=sys.argv[2].split(','))"
    )
    check(run([PY, "-c", gen, str(raw), ",".join(codes)]))
    dirs = layouts(raw, work)
    ref = str(args.reference_dir.resolve())

    rows: list[dict] = []
    for i in range(1, args.runs + 1):
        for workers in (1, 2):
            out = work / "ours-processed"
            shutil.rmtree(out, ignore_errors=True)
            cmd = [PY, str(HERE / "run_ours.py"), "--raw", str(dirs["ours"]), "--processed"]
            cmd += [str(out), "--reference", ref, "--key", str(work / "bench.key")]
            m = check(run([*cmd, "--workers", str(workers)]))
            rows.append({"run": i, "side": f"ours (workers={workers})", **as_dict(m)})
            rows[-1].update(tool_json(m.stdout))
        if i <= args.liiatools_runs:
            liia_in = work / "liiatools-run"  # cleanfile rewrites its input: work on a copy
            shutil.rmtree(liia_in, ignore_errors=True)
            shutil.copytree(dirs["liiatools"], liia_in)
            liia_out = work / "liiatools-out"
            shutil.rmtree(liia_out, ignore_errors=True)
            m = check(
                run(
                    [PEERS_PY, str(HERE / "run_liiatools.py"), "--input", str(liia_in)]
                    + ["--output", str(liia_out)]
                )
            )
            rows.append({"run": i, "side": "liiatools", **as_dict(m), **tool_json(m.stdout)})
        demand_cmd = [PEERS_PY, str(HERE / "run_demand_model.py"), "--input", str(dirs["demand"])]
        m = check(run(demand_cmd))
        rows.append({"run": i, "side": "cs-demand-model", **as_dict(m), **tool_json(m.stdout)})
        print(f"run {i} done", file=sys.stderr)

    def stat(side: str, key: str) -> dict:
        return summary([r[key] for r in rows if r["side"] == side])

    ours1, ours2 = "ours (workers=1)", "ours (workers=2)"
    clean = {"ours_workers_1": stat(ours1, "clean_s"), "ours_workers_2": stat(ours2, "clean_s")}
    clean["liiatools"] = stat("liiatools", "work_s")
    view = {"ours_workers_1": stat(ours1, "view_s"), "ours_workers_2": stat(ours2, "view_s")}
    view["cs_demand_model"] = stat("cs-demand-model", "work_s")
    for part, peer in ((clean, "liiatools"), (view, "cs_demand_model")):
        for ours in ("ours_workers_1", "ours_workers_2"):
            part[f"ratio_{peer}_over_{ours}"] = round(
                part[peer]["median"] / part[ours]["median"], 1
            )
    result = {
        "councils": args.councils,
        "files": sum(1 for _ in dirs["ours"].rglob("*.csv")),
        "rows_in": rows[0]["rows_in"],
        "cleaning_s": clean,
        "view_s": view,
        "peak_rss_mb": {
            side: max(r["peak_rss_mb"] for r in rows if r["side"] == side)
            for side in dict.fromkeys(r["side"] for r in rows)
        },
    }
    meta["load_average_1m_end"] = machine()["load_average_1m"]
    write_results(f"peers_{args.councils}", rows, {**meta, "summary": result})
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
