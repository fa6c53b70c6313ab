"""Shared helpers of the benchmarks: the machine, timed subprocesses, medians, result files.

Every benchmark runs the thing it measures in a child process (the same commands an analyst
runs) and samples the resident memory of that process and all its children (kernels, worker
processes) every 50 ms, so peak memory is the peak of the whole tree. CPU time (user + system,
children included) is recorded beside wall-clock time: on a shared 2-core machine wall time
depends on what else runs, CPU time much less so.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

PROJ_ROOT = Path(__file__).resolve().parents[1]
RESULTS = PROJ_ROOT / "benchmarks" / "results"
PY = sys.executable


def machine() -> dict:
    """Where the figures come from: cores, memory, CPU model, load, versions, commit."""
    model = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJ_ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJ_ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit, dirty = "", ""
    import pandas
    import pyarrow

    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu_model": model,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "pyarrow": pyarrow.__version__,
        "commit": commit + ("+uncommitted changes" if dirty else ""),
    }


@dataclass
class Measured:
    """One timed command: wall and CPU seconds, peak memory of its process tree, its output."""

    command: list[str]
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str = field(repr=False, default="")
    stderr: str = field(repr=False, default="")


#: Seconds between two readings of the process tree's memory. Reading /proc of the measured
#: processes every 0.05 s slowed them: 150 councils took 59.8 s (107.8 CPU s) against 56.3 s
#: (103.8 CPU s) read every second; every 0.25 s keeps the peak of a one-minute run.
SAMPLE_EVERY_S = 0.25


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(command: list[str], cwd: Path = PROJ_ROOT, env: dict | None = None) -> Measured:
    """Run ``command`` and measure it (wall, CPU of the whole tree, peak RSS of the tree)."""
    before = os.times()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ps = psutil.Process(proc.pid)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(ps))
            done.wait(SAMPLE_EVERY_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return Measured(
        command=[str(c) for c in command],
        wall_s=round(wall, 3),
        cpu_s=round(cpu, 3),
        peak_rss_mb=round(peak[0] / 2**20, 1),
        returncode=proc.returncode,
        stdout=out,
        stderr=err,
    )


def check(m: Measured) -> Measured:
    """Stop the benchmark with the command's error output when it failed."""
    if m.returncode != 0:
        sys.stderr.write(m.stderr[-4000:])
        raise SystemExit(f"benchmark command failed ({m.returncode}): {' '.join(m.command)}")
    return m


def summary(values: list[float]) -> dict:
    """Median, minimum and maximum of repeated measurements."""
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
        "runs": len(values),
    }


def write_results(name: str, rows: list[dict], meta: dict) -> tuple[Path, Path]:
    """Write ``results/<name>.csv`` (flat rows) and ``results/<name>.json`` (rows + machine)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    json_path = RESULTS / f"{name}.json"
    json_path.write_text(
        json.dumps({"machine": meta, "rows": rows}, indent=2, default=str) + "\n", encoding="utf-8"
    )
    csv_path = RESULTS / f"{name}.csv"
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns and not isinstance(row[k], dict | list)]
    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return csv_path, json_path


def as_dict(m: Measured) -> dict:
    """A measurement without its captured output."""
    out = asdict(m)
    out.pop("stdout")
    out.pop("stderr")
    out["command"] = " ".join(out["command"])
    return out
