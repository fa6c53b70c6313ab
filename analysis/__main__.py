"""Command line: ``python -m analysis build --params PARAMS.yml``.

Commands
--------
build     ingest the raw data, execute the report's notebooks and render every format
          (several ``--params`` files build one report after the other)
render    render again from the executed notebooks (after a text change)
generate  write the deterministic synthetic dataset
notebooks re-execute the committed notebooks on the synthetic data (their default parameters)

Any problem with the parameters or the input data is reported as one line naming the parameter,
file, row or field, and the command exits with status 2; never with a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from analysis.errors import UserFacingError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.split("\n")[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("build", "ingest, execute notebooks and render the report"),
        ("render", "render again from already executed notebooks"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument(
            "--params", required=True, type=Path, nargs="+", help="params YAML file(s), in order"
        )
        p.add_argument(
            "--jobs", type=int, default=None, help="notebooks run at a time (default: one per core)"
        )
    sub.add_parser("notebooks", help="re-execute the committed notebooks on the synthetic data")
    gen = sub.add_parser("generate", help="write the synthetic dataset")
    gen.add_argument("--out", type=Path, default=Path("data/raw/synthetic"))
    gen.add_argument("--seed", type=int, default=2024)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the process exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    from analysis.pipeline import quiet_notebook_loggers

    quiet_notebook_loggers()
    try:
        if args.command == "generate":
            from analysis.paths import resolve
            from analysis.synthetic import generate

            generate(resolve(args.out), seed=args.seed)
            return 0
        if args.command == "notebooks":
            from analysis.pipeline import refresh_committed_notebooks

            refresh_committed_notebooks()
            return 0
        from analysis.params import load_params
        from analysis.pipeline import build_reports

        runs = [load_params(path) for path in args.params]  # every file checked before any work
        build_reports(runs, render_only=args.command == "render", jobs=args.jobs)
        return 0
    except UserFacingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: no traceback for users
        if args.debug:
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
