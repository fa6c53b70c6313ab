"""Command line: ``python -m analysis.synthetic --out data/raw/synthetic [--seed N]``."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from analysis.synthetic import DEFAULT_LA_CODES, generate

logger = logging.getLogger("analysis.synthetic")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.synthetic",
        description="Write a deterministic synthetic raw dataset (SSDA903, CIN census, IRO and "
        "RAA extracts) in the project's input contract.",
    )
    parser.add_argument(
        "--out", required=True, type=Path, help="raw data folder to write, e.g. data/raw/synthetic"
    )
    parser.add_argument("--seed", type=int, default=2024, help="master seed (default 2024)")
    parser.add_argument(
        "--first-year",
        type=int,
        default=2020,
        help="first collection year by its first calendar year (default 2020)",
    )
    parser.add_argument(
        "--last-year",
        type=int,
        default=2024,
        help="last collection year by its first calendar year (default 2024)",
    )
    parser.add_argument(
        "--la",
        nargs="+",
        default=None,
        metavar="CODE",
        help=f"3-digit LA codes (default {' '.join(DEFAULT_LA_CODES)})",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="log warnings only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the generator and log a one-line summary per council."""
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    started = time.perf_counter()
    try:
        summary = generate(
            args.out,
            seed=args.seed,
            first_year=args.first_year,
            last_year=args.last_year,
            la_codes=args.la,
        )
    except ValueError as exc:
        logger.error("%s", exc)
        return 2
    last = summary["years"][-1]
    for la, years in summary["rows"].items():
        if la == "raa":
            logger.info("raa: %s", years)
        else:
            logger.info("%s %s: %s", la, last, years[last])
    logger.info(
        "%d files in %s (%.1f s)", len(summary["files"]), args.out, time.perf_counter() - started
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
