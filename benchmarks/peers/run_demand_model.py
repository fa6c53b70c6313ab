"""Peer run (side venv ``.venv-peers``): Social Finance cs-demand-model's episode view.

For each LA folder under ``--input`` (``<year>/header.csv`` and ``<year>/episodes.csv``, the
layout its file store reads), builds ``DemandModellingDataContainer(...).enriched_view``: headers
joined to episodes, de-duplicated over the years, overlaps trimmed, ages, age bands and
placement categories before and after. Prints one JSON line: LAs, rows and seconds.
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
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    t0 = time.perf_counter()
    from cs_demand_model import DemandModellingDataContainer
    from cs_demand_model.config import Config
    from cs_demand_model.datastore import fs_datastore

    imported = time.perf_counter()
    rows = 0
    las = sorted(p for p in args.input.iterdir() if p.is_dir())
    for la in las:
        container = DemandModellingDataContainer(fs_datastore(str(la)), Config())
        rows += len(container.enriched_view)
    seconds = time.perf_counter() - imported
    print(
        json.dumps(
            {
                "tool": "cs-demand-model 0.5.1 enriched_view",
                "las": len(las),
                "rows_out": rows,
                "import_s": round(imported - t0, 3),
                "work_s": round(seconds, 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
