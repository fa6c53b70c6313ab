"""Command line: ``python -m analysis.dfe_rules --raw RAW --out PROCESSED --reference REF``.

Runs DfE's validation rules (in the environment ``make validators-venv`` builds) on every return
of the raw folder and writes ``PROCESSED/dfe_rules.csv``. A problem is reported in one line and
the exit status is 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from analysis.dfe_rules.run import DEFAULT_VENV, run_dfe_rules
from analysis.errors import UserFacingError


def main(argv: list[str] | None = None) -> int:
    """Run the validators from the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m analysis.dfe_rules", description=__doc__)
    parser.add_argument("--raw", type=Path, required=True, help="raw folder (read only)")
    parser.add_argument("--out", type=Path, required=True, help="processed folder")
    parser.add_argument("--reference", type=Path, required=True, help="DfE reference files")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV, help="validators' venv")
    parser.add_argument("--la", nargs="*", default=None, help="restrict to these LA codes")
    parser.add_argument("--years", nargs="*", default=None, help="restrict to these years")
    parser.add_argument("--debug", action="store_true", help="show the validators' output")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        run_dfe_rules(
            args.raw, args.out, args.reference, venv=args.venv, la_codes=args.la, years=args.years
        )
    except UserFacingError as err:
        logging.getLogger("analysis.dfe_rules").error("%s", err)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
