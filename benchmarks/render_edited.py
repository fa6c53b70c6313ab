"""The warm step of ``e2e.py``: re-render after a text change to each report source.

Copies ``reports/`` into ``--copy`` (never touching the repository's), adds one sentence to the
end of each report's ``index.qmd`` (``--edit`` names it, so each run's text differs from the
last), points the suite at the copy and runs ``python -m analysis render --params ...``: what
``make render`` does after an analyst edits a report's text. Every output (HTML, PDF, DOCX) then
differs from the last render, as after a real edit, and is written and scanned again.

Run by ``benchmarks/e2e.py``: ``python benchmarks/render_edited.py --copy DIR --edit N
--params A.yml B.yml``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import analysis.paths
import analysis.pipeline
import analysis.scan
from analysis.__main__ import main as analysis_main


def edited_reports(copy: Path, edit: str) -> Path:
    """A copy of ``reports/`` with a sentence added to the end of every ``index.qmd``."""
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(analysis.paths.REPORTS_DIR, copy)
    for qmd in sorted(copy.glob("*/index.qmd")):
        text = qmd.read_text(encoding="utf-8").rstrip("\n")
        qmd.write_text(f"{text}\n\nThis sentence was added by edit {edit}.\n", encoding="utf-8")
    return copy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copy", type=Path, required=True, help="folder for the edited copy")
    parser.add_argument("--edit", required=True, help="a label for the edit (the run number)")
    parser.add_argument("--params", nargs="+", required=True)
    args = parser.parse_args(argv)
    reports = edited_reports(args.copy, args.edit)
    # the module globals that name the report sources (the catalogue is not edited)
    analysis.paths.REPORTS_DIR = analysis.pipeline.REPORTS_DIR = analysis.scan.REPORTS_DIR = reports
    return analysis_main(["render", "--params", *args.params])


if __name__ == "__main__":
    sys.exit(main())
