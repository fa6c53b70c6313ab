"""Command line: ``python -m analysis.ingest --raw RAW --out PROCESSED --reference REF --key KEY``.

Problems with the input or the parameters are reported in one line (no traceback) and the exit
status is 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from analysis.errors import UserFacingError
from analysis.ingest.run import run_ingest


def main(argv: list[str] | None = None) -> int:
    """Run ingest from the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m analysis.ingest", description=__doc__)
    parser.add_argument("--raw", type=Path, required=True, help="raw folder (read only)")
    parser.add_argument("--out", type=Path, required=True, help="processed folder")
    parser.add_argument(
        "--reference", type=Path, required=True, help="folder with the DfE specification files"
    )
    parser.add_argument("--key", type=Path, required=True, help="pseudonymisation key file")
    parser.add_argument("--la", nargs="*", default=None, help="restrict to these LA codes")
    parser.add_argument("--progress", action="store_true", help="show a progress bar")
    parser.add_argument(
        "--workers", type=int, default=None, help="processes reading the files (default: auto)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        run_ingest(
            args.raw,
            args.out,
            args.reference,
            args.key,
            la_codes=args.la,
            progress=args.progress,
            workers=args.workers,
        )
    except UserFacingError as err:
        logging.getLogger("analysis.ingest").error("%s", err)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
