"""Scale: the generator and ingest plus every metric at 1, 10, 50 and 150 councils (issue 6).

For each size, over five collection years (2020-21 to 2024-25):

1. the generator writes the raw returns (timed, peak memory of its process tree);
2. ``benchmarks/workload.py`` runs ingest and every metric the two reports compute, pooled over
   all councils, for one period (2023-24, and the ATV half-year 2024-25 H1), in a fresh
   process: time per stage, CPU time and peak memory of the process tree (worker processes
   included). ``--runs`` times (default 3), each from a fresh processed folder; the median run
   (by wall time) is reported, with the wall time of every run.

Councils: the five Tees Valley councils, then real DfE LA codes in order (the generator gives a
council it has no calibration for a plausible default size). Growth is summarised as seconds
and MB per council and as the exponent b of time = a * councils^b between sizes (b <= 1 is no
worse than linear). Raw data is kept in ``--workdir`` (default ``/tmp/csc-bench/scale``) and
reused when it is already there for the same councils.

Run: ``make bench`` or ``.venv/bin/python benchmarks/scale.py [--sizes 1 10 50 150] [--runs 3]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PROJ_ROOT, PY, as_dict, check, machine, run, write_results  # noqa: E402

TEES_VALLEY = ["841", "805", "806", "807", "808"]
LA_RATE_FILE = "dfe_cla_number_and_rate_per_10k_2021_2025.csv"


def council_codes(n: int, reference_dir: Path | None = None) -> list[str]:
    """The five Tees Valley councils, then other English LA codes (DfE 3-digit) in order."""
    reference_dir = reference_dir or PROJ_ROOT.parent / "shared" / "reference"
    codes: set[str] = set()
    with open(reference_dir / LA_RATE_FILE, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["geographic_level"] == "Local authority" and row["old_la_code"].isdigit():
                codes.add(row["old_la_code"])
    others = sorted(codes - set(TEES_VALLEY))
    return (TEES_VALLEY + others)[:n]


GENERATE = (
    "import sys; from pathlib import Path; from analysis.synthetic import generate; "
    "generate(Path(sys.argv[1]), la_codes=sys.argv[2].split(','))"
)


def raw_data(work: Path, codes: list[str]) -> tuple[Path, dict | None]:
    """Generate the raw data for ``codes`` (or reuse it); return its folder and the timing."""
    raw = work / f"raw-{len(codes)}"
    stamp = raw / "councils.json"
    if stamp.exists() and json.loads(stamp.read_text()) == codes:
        return raw, None
    shutil.rmtree(raw, ignore_errors=True)
    m = check(run([PY, "-c", GENERATE, str(raw), ",".join(codes)]))
    stamp.write_text(json.dumps(codes), encoding="utf-8")
    size = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file())
    return raw, {**as_dict(m), "raw_mb": round(size / 2**20, 1)}


def exponent(rows: list[dict], key: str) -> list[dict]:
    """Growth exponent b of ``key`` between successive sizes (time = a * councils^b)."""
    out = []
    for a, b in zip(rows, rows[1:], strict=False):
        if a[key] > 0 and b[key] > 0 and b["councils"] > a["councils"]:
            out.append(
                {
                    "from": a["councils"],
                    "to": b["councils"],
                    "b": round(
                        math.log(b[key] / a[key]) / math.log(b["councils"] / a["councils"]), 2
                    ),
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50, 150])
    parser.add_argument(
        "--runs", type=int, default=3, help="workload runs per size; the median run is reported"
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/csc-bench/scale"))
    parser.add_argument("--reference-dir", type=Path, default=PROJ_ROOT.parent / "shared/reference")
    args = parser.parse_args(argv)
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    meta = machine()
    reference = args.reference_dir.resolve()
    rows: list[dict] = []
    for n in args.sizes:
        codes = council_codes(n, reference)
        raw, gen = raw_data(work, codes)
        processed = work / f"processed-{n}"
        cmd = [PY, str(Path(__file__).with_name("workload.py")), "--raw", str(raw)]
        cmd += ["--processed", str(processed), "--reference", str(reference)]
        cmd += ["--key", str(work / "bench.key")]
        measured = []
        for _ in range(args.runs):  # each from a fresh processed folder
            shutil.rmtree(processed, ignore_errors=True)
            m = check(run(cmd))
            measured.append((m, json.loads(m.stdout.strip().splitlines()[-1])))
        measured.sort(key=lambda pair: pair[0].wall_s)
        m, inner = measured[len(measured) // 2]  # the median run (by wall time)
        row = {
            "councils": n,
            "runs": len(measured),
            "wall_runs_s": [pair[0].wall_s for pair in measured],
            "wall_s": m.wall_s,
            "cpu_s": m.cpu_s,
            "peak_rss_mb": m.peak_rss_mb,
            "ingest_s": inner["ingest_s"],
            "metrics_s": inner["metrics_s"],
            "rows_in": inner["rows_in"],
            "cla_31march": inner["cla_31march"],
            **{f"rows_{k}": v for k, v in inner["processed_rows"].items()},
            "processed_mb": round(
                sum(p.stat().st_size for p in processed.rglob("*") if p.is_file()) / 2**20, 1
            ),
            "stages_s": inner["stages_s"],
        }
        if gen is not None:
            row.update(
                generate_wall_s=gen["wall_s"],
                generate_cpu_s=gen["cpu_s"],
                generate_peak_rss_mb=gen["peak_rss_mb"],
                raw_mb=gen["raw_mb"],
            )
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "stages_s"}), file=sys.stderr)
        shutil.rmtree(processed, ignore_errors=True)
    growth = {
        "seconds_per_council": {r["councils"]: round(r["wall_s"] / r["councils"], 3) for r in rows},
        "mb_per_council": {r["councils"]: round(r["peak_rss_mb"] / r["councils"], 1) for r in rows},
        "exponent_wall": exponent(rows, "wall_s"),
        "exponent_cpu": exponent(rows, "cpu_s"),
        "exponent_memory": exponent(rows, "peak_rss_mb"),
    }
    meta["load_average_1m_end"] = machine()["load_average_1m"]
    write_results("scale", rows, {**meta, "growth": growth})
    print(json.dumps(growth, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
