"""Our side of the peer comparison (project venv), on the same SSDA903 files as the peers.

- ``clean``: :func:`analysis.ingest.run_ingest` on a raw folder holding only the SSDA903 header,
  episodes and reviews of each LA and year (read, check every field against DfE's codes,
  pseudonymise, de-duplicate overlapping returns, log every rejected row, write parquet): the
  work of liiatools' ``s903 cleanfile`` on the same files.
- ``view``: the child/episode view built from those processed tables (what cs-demand-model's
  ``enriched_view`` gives): episodes sorted per child with periods of care and placements
  (:func:`analysis.cla.annotate_episodes`), joined to the child's date of birth, with the age at
  the start and end of each episode.

Prints one JSON line with the seconds of each part (imports excluded, as for the peers).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--processed", type=Path, required=True)
    parser.add_argument("--reference", type=Path, required=True)
    parser.add_argument("--key", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    t0 = time.perf_counter()
    from analysis.cla import age_on, annotate_episodes
    from analysis.ingest import run_ingest
    from analysis.io import load_table

    imported = time.perf_counter()
    result = run_ingest(args.raw, args.processed, args.reference, args.key, workers=args.workers)
    cleaned = time.perf_counter()
    episodes = load_table(args.processed, "episodes", result.la_codes)
    children = load_table(args.processed, "children", result.la_codes)
    view = annotate_episodes(episodes).merge(
        children[["child_id", "dob"]], on="child_id", how="left", validate="many_to_one"
    )
    view["age"] = age_on(view["dob"], view["decom"])
    view["end_age"] = age_on(view["dob"], view["dec"])
    built = time.perf_counter()
    print(
        json.dumps(
            {
                "tool": "csc-reports",
                "workers": args.workers,
                "rows_in": result.totals["rows_in"],
                "rows_out": result.totals["rows_processed"],
                "view_rows": len(view),
                "import_s": round(imported - t0, 3),
                "clean_s": round(cleaned - imported, 3),
                "view_s": round(built - imported, 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
