"""Ingest: raw returns and extracts -> typed, pseudonymised, de-duplicated parquet tables.

Entry point :func:`run_ingest`. The raw layout and the processed tables are set out in
data/README.md; the order of work is:

1. find the LA folders (3-digit names) and the ``raa`` folder, and recognise every file's table
   (an unusable file or a missing required table stops the run with an :class:`InputError`
   before anything is written);
2. read and check every file, quarantining bad rows into the data-quality log;
3. de-duplicate overlapping returns (the latest collection year wins);
4. clean ``processed_dir`` of earlier outputs and write the tables, ``dq_log.csv``,
   ``ingest_summary.csv`` and ``manifest.json``.

Steps 2 and 3 run one LA at a time (in worker processes for a large pool), and each LA's tables
are written as soon as it is done, into ``processed_dir/.ingest-staging``; they are moved into
place only once every LA has been read, so a run stopped by an input error writes nothing.

Every raw row ends up processed, superseded or quarantined, and ``ingest_summary.csv`` shows it
for each file (``rows_in = rows_processed + rows_superseded + rows_quarantined``).
"""

from __future__ import annotations

import gc
import json
import logging
import multiprocessing
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from analysis.errors import InputError, ParameterError
from analysis.ingest import cin, consistency, local, ssda903
from analysis.ingest.dedupe import deduplicate
from analysis.ingest.model import FileResult
from analysis.ingest.quality import LOG_COLUMNS, WARNING, combine
from analysis.ingest.spec import Specs, TableSpec, load_specs
from analysis.keyfile import load_or_create_key

log = logging.getLogger(__name__)

LA_FOLDER = re.compile(r"^\d{3}$")
RAA = "raa"
SYNTHETIC_MARKER = "SYNTHETIC"
DQ_LOG = "dq_log.csv"
SUMMARY = "ingest_summary.csv"
MANIFEST = "manifest.json"
STAGING = ".ingest-staging"  # tables written while a run reads, moved into place at its end
SUMMARY_COLUMNS = [
    "file",
    "table",
    "la_code",
    "collection_year",
    "rows_in",
    "rows_processed",
    "rows_superseded",
    "rows_quarantined",
]
TOTALS = ["rows_in", "rows_processed", "rows_superseded", "rows_quarantined"]

_ARROW_TYPES = {
    "string": pa.string(),
    "datetime64[ns]": pa.timestamp("ns"),
    "int64": pa.int64(),
    "Int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "boolean": pa.bool_(),
}


@dataclass
class IngestResult:
    """What :func:`run_ingest` wrote.

    Attributes
    ----------
    processed_dir
        Folder holding the processed tables.
    summary
        ``ingest_summary.csv``: one line per raw file (per table for a CIN census file).
    dq_log
        ``dq_log.csv``: every quarantined row and every warning.
    synthetic
        The raw folder is synthetic data (it holds a ``SYNTHETIC`` marker file).
    counts
        Rows in each processed table, by ``"<la_code>/<table>"`` or ``"raa/<table>"``.
    la_codes
        LAs ingested.
    collection_years
        Per LA, the collection years of its SSDA903 and CIN census returns.
    """

    processed_dir: Path
    summary: pd.DataFrame
    dq_log: pd.DataFrame
    synthetic: bool
    counts: dict[str, int]
    la_codes: list[str] = field(default_factory=list)
    collection_years: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def totals(self) -> dict[str, int]:
        """Rows in, processed, superseded and quarantined over all files."""
        return {c: int(self.summary[c].sum()) for c in TOTALS}

    @property
    def warnings(self) -> int:
        """Warnings in the data-quality log (rows kept)."""
        return int((self.dq_log["action"] == "warning").sum())


@dataclass
class _Job:
    label: str
    run: Callable[[], list[FileResult]]
    unit: str = RAA  # the LA whose files these are, or ``raa``
    size: int = 0  # bytes of the raw files, to decide whether to read in parallel
    files: int = 1  # raw files the job reads (for the progress bar)


@dataclass
class _UnitOutput:
    """What reading one LA's files (or the agency's) gives: see :func:`_ingest_unit`.

    Attributes
    ----------
    summary
        The unit's lines of ``ingest_summary.csv``.
    log
        The unit's entries of ``dq_log.csv``, each file's in line order.
    counts
        Rows of each processed table written (staged) for the unit.
    cin_files
        ``(collection year, file)`` of each of the unit's CIN census files.
    error
        An input or parameter problem, as data (raised again by the main process).
    """

    summary: pd.DataFrame | None = None
    log: pd.DataFrame | None = None
    counts: dict[str, int] = field(default_factory=dict)
    cin_files: list[tuple[str, str]] = field(default_factory=list)
    error: tuple | None = None


def _as_list(read: Callable[..., FileResult], *args, **kwargs) -> list[FileResult]:
    return [read(*args, **kwargs)]


def _discover_las(raw_dir: Path, la_codes: list[str] | None) -> list[str]:
    found = sorted(p.name for p in raw_dir.iterdir() if p.is_dir() and LA_FOLDER.match(p.name))
    for p in sorted(raw_dir.iterdir()):
        if p.is_dir() and not LA_FOLDER.match(p.name) and p.name != RAA:
            log.info("%s: not an LA folder (3-digit name) nor raa; ignored", p.name)
    if la_codes is None:
        return found
    wanted = []
    for code in la_codes:
        code = str(code).strip()
        if not LA_FOLDER.match(code):
            raise ParameterError(f"la_codes: {code!r} is not a 3-digit DfE LA code")
        if code not in found:
            raise ParameterError(
                f"la_codes: no folder {code} in {raw_dir} (found: {', '.join(found) or 'none'})"
            )
        if code not in wanted:
            wanted.append(code)
    return wanted


def _plan(
    raw_dir: Path, las: list[str], specs: Specs, key: bytes, known: set[str], ignored: list[str]
) -> tuple[list[_Job], dict[str, dict[str, list[str]]]]:
    """Recognise every file (raising on unusable ones) and list the work to do.

    Files of the wrong type in the raw folders are appended to ``ignored``.
    """
    jobs: list[_Job] = []
    years: dict[str, dict[str, list[str]]] = {}
    for la in las:
        la_dir = raw_dir / la
        years[la] = {"ssda903": [], "cin_census": []}
        returns = []  # all the LA's SSDA903 files: read as one job, each table checked at once
        for year_dir in ssda903.year_folders(la_dir, raw_dir):
            year = year_dir.name
            years[la]["ssda903"].append(year)
            for path, spec, unknown in ssda903.identify_files(
                year_dir, raw_dir, specs.ssda903, ignored
            ):
                returns.append((path, spec, unknown, year))
        jobs.append(
            _Job(
                f"{la}/ssda903",
                unit=la,
                size=sum(path.stat().st_size for path, *_ in returns),
                files=len(returns),
                run=partial(ssda903.read_tables, returns, raw_dir=raw_dir, la_code=la, key=key),
            )
        )
        cin_dir = la_dir / "cin_census"
        if cin_dir.is_dir():
            census = []  # the LA's CIN census files: read as one job, each table checked at once
            for path in sorted(cin_dir.iterdir()):
                if not path.is_file():
                    continue
                if path.suffix.lower() != ".xml":
                    log.warning(
                        "%s: not an XML file; ignored", path.relative_to(raw_dir).as_posix()
                    )
                    ignored.append(path.relative_to(raw_dir).as_posix())
                    continue
                census.append(path)
            if census:
                jobs.append(
                    _Job(
                        f"{la}/cin_census",
                        unit=la,
                        size=sum(path.stat().st_size for path in census),
                        files=len(census),
                        run=partial(
                            cin.read_files,
                            census,
                            specs.cin,
                            raw_dir=raw_dir,
                            la_code=la,
                            key=key,
                            known=known,
                        ),
                    )
                )
        iro_dir = la_dir / "iro"
        if iro_dir.is_dir():
            jobs.extend(_local_jobs(iro_dir, raw_dir, specs.iro, "IRO", ignored, la, key))
    raa_dir = raw_dir / RAA
    if raa_dir.is_dir():
        jobs.extend(_local_jobs(raa_dir, raw_dir, specs.raa, "RAA", ignored, None, key))
    return jobs, years


def _local_jobs(
    folder: Path,
    raw_dir: Path,
    specs: dict[str, TableSpec],
    kind: str,
    ignored: list[str],
    la_code: str | None,
    key: bytes,
) -> list[_Job]:
    """One job per local-extract CSV in ``folder`` (an LA's ``iro`` folder, or ``raa``).

    ``la_code`` is the LA whose folder it is, or None for the agency's ``raa`` folder.
    """
    return [
        _Job(
            path.relative_to(raw_dir).as_posix(),
            unit=RAA if la_code is None else la_code,
            size=path.stat().st_size,
            run=partial(
                _as_list,
                local.read_table,
                path,
                spec,
                unknown,
                raw_dir=raw_dir,
                la_code=la_code,
                key=key,
            ),
        )
        for path, spec, unknown in local.identify_files(folder, raw_dir, specs, kind, ignored)
    ]


def _conform(data: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Give the processed table exactly the documented columns and dtypes (also when empty)."""
    if list(data.columns) == list(spec.dtypes) and all(
        str(data[col].dtype) == ("object" if dtype == "string" else dtype)
        for col, dtype in spec.dtypes.items()
    ):
        return data  # already so (the usual case): no copy
    out = {}
    for col, dtype in spec.dtypes.items():
        values = data[col] if col in data.columns else pd.Series([None] * len(data), dtype=object)
        values = values.reset_index(drop=True)
        target = "object" if dtype == "string" else dtype
        if str(values.dtype) != target:  # only an empty or all-missing column can differ
            if dtype == "string":
                values = values.astype(object).where(values.notna(), None)
            else:
                values = values.astype(dtype)
        out[col] = values
    return pd.DataFrame(out, columns=list(spec.dtypes))


def _to_arrow(data: pd.DataFrame, spec: TableSpec) -> pa.Table:
    """The processed table as Arrow, with the documented types (compact to keep and to pass).

    Converted in this thread: pyarrow would otherwise start a pool of threads for each table,
    and ingest already keeps every core busy with one worker process each.
    """
    schema = pa.schema([(c, _ARROW_TYPES[d]) for c, d in spec.dtypes.items()])
    return pa.Table.from_pandas(data, schema=schema, preserve_index=False, nthreads=1)


def _write_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def _table_names(specs: Specs) -> set[str]:
    return {
        s.processed
        for group in (specs.ssda903, specs.cin, specs.iro, specs.raa)
        for s in group.values()
    }


def clean_processed_dir(processed_dir: Path, specs: Specs) -> None:
    """Delete earlier outputs of ingest from ``processed_dir``, and nothing else.

    Removes ``<la>/<table>.parquet`` and ``raa/<table>.parquet`` for the known table names,
    ``dq_log.csv``, ``ingest_summary.csv`` and ``manifest.json``, and then the LA and ``raa``
    folders if they are left empty.
    """
    if not processed_dir.is_dir():
        return
    names = {f"{t}.parquet" for t in _table_names(specs)}
    for sub in processed_dir.iterdir():
        if sub.is_dir() and (LA_FOLDER.match(sub.name) or sub.name == RAA):
            for f in sub.iterdir():
                if f.is_file() and f.name in names:
                    f.unlink()
            if not any(sub.iterdir()):
                sub.rmdir()
    for name in (DQ_LOG, SUMMARY, MANIFEST):
        f = processed_dir / name
        if f.is_file():
            f.unlink()


def _check_dirs(raw_dir: Path, processed_dir: Path) -> None:
    if not raw_dir.is_dir():
        raise ParameterError(f"raw_dir: {raw_dir} is not a folder")
    raw, out = raw_dir.resolve(), processed_dir.resolve()
    if out == raw or raw in out.parents:
        raise ParameterError(
            f"processed_dir: {processed_dir} is inside raw_dir {raw_dir}, which "
            "is read-only input; write processed data elsewhere"
        )
    if out in raw.parents:
        raise ParameterError(
            f"processed_dir: {processed_dir} contains raw_dir {raw_dir}; "
            "keep raw and processed data in separate folders"
        )


def _cin_years(cin_files: list[tuple[str, str]], la: str) -> list[str]:
    """Collection years of an LA's CIN census files; two files for one year is an error."""
    seen: dict[str, str] = {}
    for year, file in cin_files:
        if year in seen:
            raise InputError(
                f"{la}/cin_census",
                f"two files hold the CIN census for {year}: {seen[year]} and {file}",
            )
        seen[year] = file
    return sorted(seen)


def _summary(results: list[FileResult]) -> pd.DataFrame:
    """``ingest_summary.csv``: one line per file (per table of a CIN census file)."""
    summary = pd.DataFrame(
        [
            {
                "file": r.file,
                "table": r.spec.processed,
                "la_code": r.la_code,
                "collection_year": r.collection_year or "",
                "rows_in": r.rows_in,
                "rows_processed": r.processed,
                "rows_superseded": r.superseded,
                "rows_quarantined": r.quarantined,
            }
            for r in results
        ],
        columns=SUMMARY_COLUMNS,
    )
    for c in TOTALS:
        summary[c] = summary[c].astype("int64")
    return summary


def _combine_summaries(summaries: list[pd.DataFrame]) -> pd.DataFrame:
    """The units' summaries (:func:`_summary`) as one ``ingest_summary.csv``."""
    summary = pd.concat(summaries, ignore_index=True)
    for c in TOTALS:
        summary[c] = summary[c].astype("int64")
    return summary


def _file_logs(results: list[FileResult]) -> pd.DataFrame:
    """The data-quality log entries of ``results``: each file's in line order."""
    logs = []
    for r in results:
        lg = r.log
        if len(lg):
            lg = lg.iloc[lg["row"].fillna(0).astype("int64").argsort(kind="stable")]
        logs.append(lg)
    return combine(logs)


def _dq_log(unit_logs: list[pd.DataFrame], ignored: list[str]) -> pd.DataFrame:
    """``dq_log.csv``: ignored files first, then each unit's entries (:func:`_file_logs`)."""
    n = len(ignored)
    ignored_log = pd.DataFrame(
        {
            "file": ignored,
            "row": pd.array([None] * n, dtype="Int64"),
            "field": [""] * n,
            "value": [""] * n,
            "reason": ["not a file type ingest reads; ignored"] * n,
            "action": [WARNING] * n,
        }
    )
    return combine([ignored_log, *unit_logs]).reset_index(drop=True)[LOG_COLUMNS]


#: Below this many bytes of raw files (about 10 s of reading), or with one LA, ingest reads the
#: files in this process: each worker process costs a second or more to start (more on a busy
#: machine), which the five Tees Valley councils (about 50 MB) would not win back.
PARALLEL_MIN_BYTES = 128 * 1024 * 1024


#: Allocations between two collections of the young generation while an LA is read (Python's
#: default is 700).
YOUNG_COLLECTION_EVERY = 20_000


@contextmanager
def _fewer_young_collections() -> Iterator[None]:
    """Collect the young generation less often while reading, then as before.

    Reading a return builds millions of short-lived rows, dicts and lists, none of them in a
    reference cycle; collecting young objects every 20,000 allocations instead of 700 saves
    about 5 % of ingest's CPU time and holds at most that many objects longer.
    """
    threshold = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _ingest_unit(
    jobs: list[_Job], staging: Path, done: Callable[[int], object] | None = None
) -> _UnitOutput:
    """:func:`_read_unit` with fewer collections of young objects (restored after)."""
    with _fewer_young_collections():
        return _read_unit(jobs, staging, done)


def _read_unit(
    jobs: list[_Job], staging: Path, done: Callable[[int], object] | None = None
) -> _UnitOutput:
    """Read, check and de-duplicate the files of one LA (or of the agency).

    Each table of the LA is de-duplicated over its files (the latest return wins) and written
    to ``staging/<unit>/<table>.parquet``; what comes back is the unit's summary lines and
    data-quality log. ``done`` is called after each job with the number of files it read.
    """
    results: list[FileResult] = []
    for job in jobs:
        log.debug("reading %s", job.label)
        results.extend(job.run())
        if done is not None:
            done(job.files)
    consistency.check_ages(results)  # episodes against the dates of birth of the LA's headers
    groups: dict[str, list[FileResult]] = {}
    for res in results:
        groups.setdefault(res.spec.processed, []).append(res)
    counts: dict[str, int] = {}
    for table, group in sorted(groups.items()):
        group.sort(key=lambda r: (r.collection_year or "", r.file))
        spec = group[0].spec
        data = _to_arrow(_conform(deduplicate(group), spec), spec)
        _write_parquet(data, staging / jobs[0].unit / f"{table}.parquet")
        counts[table] = data.num_rows
    return _UnitOutput(
        summary=_summary(results),
        log=_file_logs(results),
        counts=counts,
        cin_files=[
            (r.collection_year or "", r.file) for r in results if r.spec.processed == "cin_children"
        ],
    )


def _ingest_unit_in_worker(jobs: list[_Job], staging: Path) -> _UnitOutput:
    """:func:`_ingest_unit` in a worker process: a problem with the input comes back as data."""
    try:
        return _ingest_unit(jobs, staging)
    except InputError as err:
        return _UnitOutput(error=("input", err.file, err.reason, err.row, err.field))
    except ParameterError as err:
        return _UnitOutput(error=("parameter", str(err)))


def _raise(error: tuple) -> None:
    if error[0] == "input":
        raise InputError(*error[1:])
    raise ParameterError(error[1])


def _workers(requested: int | None, units: dict[str, list[_Job]]) -> int:
    """Worker processes to use: as asked, else one per core when there is enough to read."""
    if requested is not None:
        return max(1, int(requested))
    if len(units) < 2 or sum(j.size for js in units.values() for j in js) < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, len(units)))


def _run_units(
    units: dict[str, list[_Job]], staging: Path, workers: int, progress: bool
) -> dict[str, _UnitOutput]:
    """Ingest every unit into ``staging``, in worker processes when ``workers`` > 1.

    Outputs are in unit order.

    Workers are started with ``spawn`` (fresh interpreters), which is safe from a Jupyter
    kernel and the same on Windows, macOS and Linux. An input error is raised for the first
    unit (in order) that has one, as reading the units one by one would.
    """
    files = sum(job.files for jobs in units.values() for job in jobs)
    bar = tqdm(total=files, desc="ingest", unit="file", disable=not progress, file=sys.stderr)
    outputs: dict[str, _UnitOutput] = {}
    if workers <= 1:
        for name, jobs in units.items():
            outputs[name] = _ingest_unit(jobs, staging, bar.update)
        bar.close()
        return outputs
    context = multiprocessing.get_context("spawn")
    # Largest units first, so that the last ones to finish are small and the workers end together.
    by_size = sorted(units, key=lambda name: -sum(job.size for job in units[name]))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {
            name: pool.submit(_ingest_unit_in_worker, units[name], staging) for name in by_size
        }
        names = {future: name for name, future in futures.items()}
        for future in as_completed(names):
            bar.update(sum(job.files for job in units[names[future]]))
        outputs = {name: futures[name].result() for name in units}
    bar.close()
    for out in outputs.values():
        if out.error is not None:
            _raise(out.error)
    return outputs


def run_ingest(
    raw_dir: Path,
    processed_dir: Path,
    reference_dir: Path,
    key_path: Path,
    la_codes: list[str] | None = None,
    progress: bool = False,
    workers: int | None = None,
) -> IngestResult:
    """Validate, pseudonymise and de-duplicate the raw returns into processed parquet tables.

    Parameters
    ----------
    raw_dir
        Raw folder laid out as in data/README.md §1 (read only). A ``SYNTHETIC`` file in it marks
        synthetic data.
    processed_dir
        Output folder; earlier ingest outputs in it are replaced.
    reference_dir
        Folder with DfE's SSDA903 and CIN census specifications (column lists, code lists).
    key_path
        Pseudonymisation key file. It is created (random, mode 0600) only for synthetic data;
        for real data it must exist.
    la_codes
        Restrict to these LAs (3-digit codes); all LA folders when ``None``.
    progress
        Show a progress bar over the files on stderr.
    workers
        Processes reading the files, one LA at a time each (the output is the same for any
        number). Default: one per CPU core when there are several LAs and at least 128 MB of raw
        files, else 1.

    Returns
    -------
    IngestResult

    Raises
    ------
    ParameterError
        A bad parameter: missing folder, unknown LA, missing key or reference file.
    InputError
        A file that cannot be used at all (unreadable, malformed XML, columns of no known table,
        a required table missing); the message names the file, and the row or field when one is
        at fault. Nothing is written in that case.
    """
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    _check_dirs(raw_dir, processed_dir)
    specs = load_specs(Path(reference_dir))
    known = cin.known_elements(Path(reference_dir))
    synthetic = (raw_dir / SYNTHETIC_MARKER).is_file()
    key = load_or_create_key(Path(key_path), create=synthetic)
    las = _discover_las(raw_dir, la_codes)
    if not las:
        raise InputError(
            str(raw_dir),
            "holds no LA folder (a folder named by the 3-digit DfE LA code, such as 806)",
        )
    ignored: list[str] = []
    jobs, years = _plan(raw_dir, las, specs, key, known, ignored)

    units: dict[str, list[_Job]] = {}
    for job in jobs:
        units.setdefault(job.unit, []).append(job)
    staging = processed_dir / STAGING
    shutil.rmtree(staging, ignore_errors=True)  # left by a run that was stopped
    try:
        outputs = _run_units(units, staging, _workers(workers, units), progress)
        for la in las:
            years[la]["cin_census"] = _cin_years(outputs[la].cin_files if la in outputs else [], la)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    tables = sorted(
        (unit, table, n) for unit, out in outputs.items() for table, n in out.counts.items()
    )
    counts = {f"{unit}/{table}": n for unit, table, n in tables}
    summary = _combine_summaries([out.summary for out in outputs.values()])
    dq_log = _dq_log([out.log for out in outputs.values()], ignored)
    if sum(counts.values()) != int(summary["rows_processed"].sum()):  # pragma: no cover - a bug
        raise RuntimeError("ingest lost rows: processed tables and summary disagree")
    manifest = {
        "synthetic": synthetic,
        "la_codes": las,
        "collection_years": years,
        "tables": counts,
        "rows": {c: int(summary[c].sum()) for c in TOTALS},
    }

    clean_processed_dir(processed_dir, specs)
    processed_dir.mkdir(parents=True, exist_ok=True)
    for unit in outputs:
        if (staging / unit).is_dir():
            (processed_dir / unit).mkdir(exist_ok=True)
            for path in sorted((staging / unit).iterdir()):
                path.replace(processed_dir / unit / path.name)
    shutil.rmtree(staging, ignore_errors=True)
    dq_log.to_csv(processed_dir / DQ_LOG, index=False)
    summary.to_csv(processed_dir / SUMMARY, index=False)
    (processed_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

    result = IngestResult(
        processed_dir=processed_dir,
        summary=summary,
        dq_log=dq_log,
        synthetic=synthetic,
        counts=counts,
        la_codes=las,
        collection_years=years,
    )
    t = result.totals
    log.info(
        "ingest: %d rows in, %d processed, %d superseded, %d quarantined, %d warnings (%s)",
        t["rows_in"],
        t["rows_processed"],
        t["rows_superseded"],
        t["rows_quarantined"],
        result.warnings,
        processed_dir / DQ_LOG,
    )
    return result
