"""The build: ingest, execute the report's notebooks with papermill, render, write tables.

``python -m analysis build --params PARAMS.yml`` runs :func:`build`. Every step logs its
progress and time to stderr.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.errors import UserFacingError
from analysis.params import RunParams
from analysis.paths import NOTEBOOKS_DIR, REPORTS_DIR

log = logging.getLogger(__name__)


def _skip_iri_format_checker() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax``: over 2 s at every build and render.

    nbformat (papermill, the renderer) validates notebooks with jsonschema, whose format module
    imports ``rfc3987_syntax`` when it is installed (jupyter-events requires it), and that module
    compiles some 40 Earley grammars at import. It serves only the ``iri`` formats, which the
    notebook schema does not use (python-jsonschema/jsonschema#1428). Marking the module absent
    before jsonschema loads makes jsonschema skip that checker; nothing else changes.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


_skip_iri_format_checker()

INGEST_NOTEBOOK = "01_ingest.ipynb"
REPORT_NOTEBOOKS: dict[str, tuple[str, ...]] = {
    "iro-annual": (
        "10_cla.ipynb",
        "11_cla_population.ipynb",
        "20_cp.ipynb",
        "30_iro_activity.ipynb",
        "35_next_steps.ipynb",
        "50_trends.ipynb",
        "90_definitions.ipynb",
    ),
    "atv-biannual": ("40_adoption.ipynb", "41_adoption_agency.ipynb", "90_definitions.ipynb"),
}
REPORT_TITLES = {
    "iro-annual": "Independent Reviewing Officers Annual Report",
    "atv-biannual": "Adoption Tees Valley Bi-Annual Report",
}


class NotebookFailed(UserFacingError):
    """A notebook raised an exception; the message names the notebook and the error."""


@contextmanager
def step(name: str, number: int, total: int) -> Iterator[None]:
    """Log the start and the duration of one build step."""
    log.info("[%d/%d] %s ...", number, total, name)
    t0 = time.perf_counter()
    yield
    log.info("[%d/%d] %s done in %.1f s", number, total, name, time.perf_counter() - t0)


def execute_notebook(name: str, params: RunParams) -> Path:
    """Execute ``notebooks/<name>`` with papermill into the run's executed folder."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    params.executed_dir.mkdir(parents=True, exist_ok=True)
    out = params.executed_dir / name
    try:
        papermill.execute_notebook(
            str(NOTEBOOKS_DIR / name),
            str(out),
            parameters=params.notebook_parameters(),
            kernel_name="python3",
            progress_bar=False,
            cwd=str(NOTEBOOKS_DIR),
            log_output=False,
        )
    except PapermillExecutionError as exc:
        message = str(exc.evalue).strip().splitlines()[-1] if exc.evalue else exc.ename
        raise NotebookFailed(
            f"notebook {name} failed in cell {exc.exec_count}: {exc.ename}: {message} (see {out})"
        ) from None
    return out


def strip_run_metadata(path: Path) -> None:
    """Remove papermill's timestamps and durations, so committed notebooks are deterministic."""
    import nbformat

    book = nbformat.read(path, as_version=4)
    book.metadata.pop("papermill", None)
    for cell in book.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(book, path)


def refresh_committed_notebooks() -> list[Path]:
    """Execute every committed notebook in place with its default parameters (synthetic data)."""
    import papermill

    done = []
    for path in sorted(NOTEBOOKS_DIR.glob("[0-9]*.ipynb")):
        log.info("executing %s", path.name)
        papermill.execute_notebook(
            str(path), str(path), kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOKS_DIR)
        )
        strip_run_metadata(path)
        done.append(path)
    return done


def period_text(params: RunParams) -> str:
    """Human-readable period, e.g. ``1 April 2023 to 31 March 2024``."""

    def fmt(d: object) -> str:
        return f"{d.day} {d:%B %Y}"  # type: ignore[attr-defined]

    return f"{fmt(params.period_start)} to {fmt(params.period_end)}"


def report_meta(params: RunParams) -> dict[str, object]:
    """Metadata for the renderer: title, LA, period, synthetic flag and committee details."""
    from analysis.reference import la_name

    manifest_path = params.processed_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    names = [la_name(params.reference_dir, code) for code in params.la_codes]
    area = names[0] if len(names) == 1 else "Adoption Tees Valley: " + ", ".join(names)
    title = REPORT_TITLES[params.report]
    return {
        "title": f"{title} {params.period_label}" if params.report == "iro-annual" else title,
        "la_name": area,
        "la_codes": ", ".join(params.la_codes),
        "period_label": period_text(params),
        "data_as_at": f"{params.period_end.day} {params.period_end:%B %Y}",
        "synthetic": bool(manifest.get("synthetic", False)),
        "report_of": params.report_of,
        "submitted_to": params.submitted_to,
        "date": params.report_date or f"{params.period_end:%B %Y}",
        "disclosure": params.disclosure,
    }


def render(params: RunParams) -> dict[str, Path]:
    """Render the report from already executed notebooks, and write the XLSX workbook."""
    from analysis.render import render_report
    from analysis.tables import write_workbook

    qmd = REPORTS_DIR / params.report / "index.qmd"
    outputs = render_report(
        qmd,
        params.executed_dir,
        params.output_dir,
        report_meta(params),
        reference_docx=params.reference_docx,
    )
    outputs["xlsx"] = write_workbook(
        params.output_dir / "tables", params.output_dir / "tables.xlsx"
    )
    return outputs


class IdentifierLeak(UserFacingError):
    """A build output holds a raw child id, UPN, date of birth or postcode (never shown)."""


def check_no_identifiers(params: RunParams) -> None:
    """Fail the build when an output holds an identifier of the raw input (analysis.scan)."""
    from analysis.scan import describe, report_calendar_dates, scan_outputs

    if not params.raw_dir.is_dir():
        raise UserFacingError(
            f"raw_dir {params.raw_dir} not found: the outputs cannot be checked for identifiers"
        )
    findings = scan_outputs(
        params.output_dir,
        params.raw_dir,
        also=[params.executed_dir],
        allowed_dates=report_calendar_dates(params.period_start, params.period_end),
    )
    if findings:
        raise IdentifierLeak(describe(findings))


def build(params: RunParams, render_only: bool = False) -> dict[str, Path]:
    """Run the whole pipeline for one params file and return the output paths."""
    from analysis.consistency import check_build, internal_tables_env, prepare_internal_dir

    notebooks = () if render_only else (INGEST_NOTEBOOK, *REPORT_NOTEBOOKS[params.report])
    checks = 0 if render_only else 1
    total = len(notebooks) + checks + 2
    if not render_only and not params.raw_dir.is_dir():
        raise UserFacingError(
            f"raw_dir {params.raw_dir} not found (run `make data` to generate "
            "the synthetic dataset)"
        )
    if render_only and not params.executed_dir.is_dir():
        raise UserFacingError(f"no executed notebooks in {params.executed_dir}: run build first")
    params.output_dir.mkdir(parents=True, exist_ok=True)
    # unsuppressed copies of the tables, for the consistency checks (never in the output)
    internal = None if render_only else prepare_internal_dir(params)
    for i, name in enumerate(notebooks, start=1):
        with step(f"notebook {name}", i, total), internal_tables_env(internal):
            execute_notebook(name, params)
    if checks:
        with step("consistency checks", len(notebooks) + 1, total):
            check_build(params)
    with step("render HTML, PDF and DOCX", total - 1, total):
        outputs = render(params)
    with step("scan the outputs for identifiers", total, total):
        check_no_identifiers(params)
    for kind, path in outputs.items():
        log.info("%s: %s", kind, path)
    return outputs
