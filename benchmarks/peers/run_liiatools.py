"""Peer run (side venv ``.venv-peers``): Social Finance liiatools ``s903 cleanfile``.

Cleans every SSDA903 CSV under ``--input`` (one folder per LA, files named with their collection
year as liiatools expects) with ``liiatools.datasets.s903.s903_main_functions.cleanfile``, the
function behind ``python -m liiatools s903 cleanfile``, in one process (kinder to it than one
process per file). Prints one JSON line: files, rows in, rows out and seconds.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--la-code", default="BAR", help="a code liiatools accepts")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # its per-cell log lines are not what is timed
    t0 = time.perf_counter()
    from liiatools.datasets.s903.s903_main_functions import cleanfile

    imported = time.perf_counter()
    files = sorted(args.input.rglob("*.csv"))
    rows_in = sum(max(0, len(f.read_text().splitlines()) - 1) for f in files)
    t1 = time.perf_counter()
    for f in files:
        out = args.output / f.parent.name
        logs = args.output / "logs" / f.parent.name
        out.mkdir(parents=True, exist_ok=True)
        logs.mkdir(parents=True, exist_ok=True)
        cleanfile(str(f), args.la_code, str(logs), str(out))
    seconds = time.perf_counter() - t1
    written = sorted(p for p in args.output.rglob("*.csv") if "logs" not in p.parts)
    rows_out = sum(max(0, len(p.read_text().splitlines()) - 1) for p in written)
    print(
        json.dumps(
            {
                "tool": "liiatools 0.2.0 s903 cleanfile",
                "files": len(files),
                "rows_in": rows_in,
                "rows_out": rows_out,
                "import_s": round(imported - t0, 3),
                "work_s": round(seconds, 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
