"""The build: ingest, execute the report's notebooks with papermill, render, write tables.

``python -m analysis build --params PARAMS.yml`` runs :func:`build`. Every step logs its
progress and time to stderr.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
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
    # longest first: with several workers the short notebooks fill in at the end
    "iro-annual": (
        "10_cla.ipynb",
        "20_cp.ipynb",
        "50_trends.ipynb",
        "11_cla_population.ipynb",
        "90_definitions.ipynb",
        "30_iro_activity.ipynb",
        "35_next_steps.ipynb",
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
def step(name: str, number: int, total: int, report: str) -> Iterator[None]:
    """Log the start and the duration of one build step of ``report``."""
    where = f"{report} {number}/{total}"
    log.info("[%s] %s ...", where, name)
    t0 = time.perf_counter()
    yield
    log.info("[%s] %s done in %.1f s", where, name, time.perf_counter() - t0)


def execute_notebook(name: str, params: RunParams, notebooks_dir: Path = NOTEBOOKS_DIR) -> Path:
    """Execute ``notebooks/<name>`` with papermill into the run's executed folder."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    params.executed_dir.mkdir(parents=True, exist_ok=True)
    out = params.executed_dir / name
    try:
        papermill.execute_notebook(
            str(notebooks_dir / name),
            str(out),
            parameters=params.notebook_parameters(),
            kernel_name="python3",
            progress_bar=False,
            cwd=str(notebooks_dir),
            log_output=False,
            # quiet the kernel's own log: jupyter_client interrupts every kernel as it shuts it
            # down ("KeyboardInterrupt caught in kernel") and ipykernel warns about its local
            # TCP ports; a cell's error still fails the build with its message (below)
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
    except PapermillExecutionError as exc:
        message = str(exc.evalue).strip().splitlines()[-1] if exc.evalue else exc.ename
        raise NotebookFailed(
            f"notebook {name} failed in cell {exc.exec_count}: {exc.ename}: {message} (see {out})"
        ) from None
    return out


def _execute_timed(
    name: str, params: RunParams, internal: Path | None, notebooks_dir: Path
) -> float:
    """Execute one notebook (in a worker process) and return its wall time in seconds."""
    from analysis.consistency import internal_tables_env

    quiet_notebook_loggers()

    t0 = time.perf_counter()
    with internal_tables_env(internal):
        execute_notebook(name, params, notebooks_dir)
    return time.perf_counter() - t0


def quiet_notebook_loggers() -> None:
    """Only errors from papermill and the Jupyter machinery: the build logs its own steps.

    (papermill warns, for instance, that 90_definitions takes none of the run's parameters.)
    """
    for name in ("papermill", "traitlets", "nbclient"):
        logging.getLogger(name).setLevel(logging.ERROR)


def notebook_workers(jobs: int | None, notebooks: int) -> int:
    """Notebooks executed at a time: ``jobs`` when given, else one per CPU core (at most 4)."""
    import os

    if jobs is not None and jobs < 1:
        raise UserFacingError(f"--jobs must be at least 1, not {jobs}")
    wanted = jobs if jobs is not None else min(os.cpu_count() or 1, 4)
    return max(1, min(wanted, notebooks))


def execute_notebooks(
    names: tuple[str, ...],
    params: RunParams,
    internal: Path | None,
    workers: int,
    first_step: int,
    total: int,
    notebooks_dir: Path = NOTEBOOKS_DIR,
) -> None:
    """Execute independent notebooks, ``workers`` at a time, each in its own kernel.

    The report notebooks only read the processed tables and write their own tables, so their
    order does not change any output. With one worker they run one after the other in this
    process; with more, in worker processes (spawned, so no kernel connection is shared), the
    longest-running first in the order given. A failed notebook stops the build with its
    :class:`NotebookFailed` message once the notebooks already running have finished.
    """
    if workers == 1:
        for i, name in enumerate(names, start=first_step):
            with step(f"notebook {name}", i, total, params.report):
                _execute_timed(name, params, internal, notebooks_dir)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    log.info(
        "[%s %d-%d/%d] notebooks %s, %d at a time ...",
        params.report,
        first_step,
        first_step + len(names) - 1,
        total,
        ", ".join(names),
        workers,
    )
    t0 = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    failures: list[UserFacingError] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {
            pool.submit(_execute_timed, n, params, internal, notebooks_dir): n for n in names
        }
        for future in as_completed(futures):
            try:
                seconds = future.result()
                log.info("[%s] notebook %s done in %.1f s", params.report, futures[future], seconds)
            except UserFacingError as exc:
                failures.append(exc)
                for other in futures:
                    other.cancel()
    if failures:
        raise failures[0]
    log.info(
        "[%s %d-%d/%d] notebooks done in %.1f s",
        params.report,
        first_step,
        first_step + len(names) - 1,
        total,
        time.perf_counter() - t0,
    )


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
    from analysis.la_names import la_name

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
    from analysis.workbook import write_workbook

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


def _scan_cache(params: RunParams) -> dict[str, object]:
    """The scan's cache folder and key (analysis.scan_index), when the run has a key file."""
    from analysis.scan_index import INDEX_DIRNAME

    key_path = getattr(params, "key_path", None)
    processed = getattr(params, "processed_dir", None)
    if key_path is None or processed is None or not Path(key_path).is_file():
        return {}
    from analysis.keyfile import load_or_create_key

    return {
        "cache_dir": Path(processed) / INDEX_DIRNAME,
        "key": load_or_create_key(Path(key_path), create=False),
    }


def _read_identifiers_meanwhile(params: RunParams) -> threading.Thread:
    """Fill the scan's identifier cache in a thread while the notebooks run in their kernels."""

    def read() -> None:
        cache = _scan_cache(params)
        if cache:
            from analysis.scan_index import load_identifiers

            try:
                load_identifiers(params.raw_dir, cache["cache_dir"], cache["key"])
            except Exception:  # noqa: BLE001 - the scan itself reads them again and reports
                log.debug("identifiers not cached ahead of the scan", exc_info=True)

    thread = threading.Thread(target=read, name="scan-identifiers", daemon=True)
    thread.start()
    return thread


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
        **_scan_cache(params),
    )
    if findings:
        raise IdentifierLeak(describe(findings))


def build(params: RunParams, render_only: bool = False, jobs: int | None = None) -> dict[str, Path]:
    """Run the whole pipeline for one params file and return the output paths.

    Parameters
    ----------
    params
        The run's parameters.
    render_only
        Render again from the executed notebooks (no ingest, no notebooks, no consistency checks).
    jobs
        Report notebooks executed at a time after the ingest notebook (default: one per core).
    """
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
    internal = None
    if not render_only:  # (pandas, which the checks load, is not needed to render)
        from analysis.consistency import check_build, internal_tables_env, prepare_internal_dir

        # unsuppressed copies of the tables, for the consistency checks (never in the output)
        internal = prepare_internal_dir(params)
    if notebooks:
        # ingest first: every report notebook reads the processed tables it writes
        with (
            step(f"notebook {INGEST_NOTEBOOK}", 1, total, params.report),
            internal_tables_env(internal),
        ):
            execute_notebook(INGEST_NOTEBOOK, params)
        # the raw identifiers for the final scan are read meanwhile (the ingest made the key)
        identifiers = _read_identifiers_meanwhile(params)
        report_notebooks = notebooks[1:]
        workers = notebook_workers(jobs, len(report_notebooks))
        execute_notebooks(report_notebooks, params, internal, workers, 2, total)
        identifiers.join()
    if checks:
        with step("consistency checks", len(notebooks) + 1, total, params.report):
            check_build(params)
    with step("render HTML, PDF and DOCX", total - 1, total, params.report):
        outputs = render(params)
    with step("scan the outputs for identifiers", total, total, params.report):
        check_no_identifiers(params)
    for kind, path in outputs.items():
        log.info("%s: %s", kind, path)
    return outputs


def _render_one(params: RunParams) -> dict[str, Path]:
    return build(params, render_only=True)


def build_reports(
    runs: list[RunParams], render_only: bool = False, jobs: int | None = None
) -> list[dict[str, Path]]:
    """Build (or only render) several reports; return each report's output paths, in order.

    Builds run one after the other: reports may share a processed folder, which each build's
    ingest rewrites. Renders only read their own executed notebooks and write their own output
    folders, so with several workers (``jobs``, default one per core) they run side by side in
    forked processes.
    """
    workers = notebook_workers(jobs, len(runs))
    if not render_only or workers == 1 or len(runs) == 1:
        return [build(params, render_only=render_only, jobs=jobs) for params in runs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_render_one, runs))
