"""The fast paths of issue 6 give exactly what the plain paths give.

- ingest in worker processes (one LA each) writes the same tables, log, summary and manifest as
  ingest in one process;
- the SSDA903 tables of several returns checked together give the same rows, log entries (file
  and line) and counts as each file checked alone;
- the generator in worker processes writes byte-identical files;
- ``load_table`` joins the LAs' tables in Arrow, giving what pandas reads and concatenates;
- tables are staged while LAs are read: an input error in any LA leaves the earlier outputs as
  they were;
- a re-render loads neither pandas, numpy nor the ingest package (the modules it uses import
  them only when they must write a table).
"""

from __future__ import annotations

import filecmp
import gc
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from ingest_fixtures import KEY, REFERENCE_DIR, ssda903_fixture, write_key

from analysis.errors import InputError
from analysis.ingest import run_ingest, ssda903
from analysis.ingest.run import STAGING
from analysis.ingest.spec import load_specs
from analysis.io import load_table
from analysis.synthetic import generate


def _two_las(raw: Path) -> Path:
    ssda903_fixture(raw)
    shutil.copytree(raw / "806", raw / "805")
    return raw


def _outputs(folder: Path) -> dict[str, object]:
    out: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".parquet":
            out[path.relative_to(folder).as_posix()] = pd.read_parquet(path)
        elif path.is_file():
            out[path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def test_ingest_in_workers_writes_what_one_process_writes(tmp_path: Path) -> None:
    raw = _two_las(tmp_path / "raw")
    key = write_key(tmp_path / "key")
    one = run_ingest(raw, tmp_path / "one", REFERENCE_DIR, key, workers=1)
    two = run_ingest(raw, tmp_path / "two", REFERENCE_DIR, key, workers=2)
    a, b = _outputs(tmp_path / "one"), _outputs(tmp_path / "two")
    assert list(a) == list(b)
    assert "805/episodes.parquet" in a and "806/episodes.parquet" in a
    for name, value in a.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, b[name])
        else:
            assert value == b[name], name
    assert one.totals == two.totals
    assert one.totals["rows_quarantined"] > 0  # the fixture's bad rows are in both logs


@pytest.mark.parametrize("workers", [1, 2])
def test_input_error_in_one_la_writes_nothing(tmp_path: Path, workers: int) -> None:
    raw = _two_las(tmp_path / "raw")
    key = write_key(tmp_path / "key")
    out = tmp_path / "processed"
    run_ingest(raw, out, REFERENCE_DIR, key, workers=workers)
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    (out / STAGING / "805").mkdir(parents=True)  # as a run stopped part way would leave it
    (out / STAGING / "805" / "episodes.parquet").write_bytes(b"half written")
    (raw / "806" / "cin_census").mkdir()
    (raw / "806" / "cin_census" / "2023-24.xml").write_text("<Message><Children>", "utf-8")
    threshold = gc.get_threshold()
    with pytest.raises(InputError, match="806/cin_census/2023-24.xml"):
        run_ingest(raw, out, REFERENCE_DIR, key, workers=workers)
    assert gc.get_threshold() == threshold  # the reading's setting does not outlive it
    assert not (out / STAGING).exists()
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before


def test_load_table_gives_what_pandas_reads_and_concatenates(tmp_path: Path) -> None:
    raw = _two_las(tmp_path / "raw")
    out = tmp_path / "processed"
    run_ingest(raw, out, REFERENCE_DIR, write_key(tmp_path / "key"))
    # an LA with no rows for a table, written by pandas (its text columns are of Arrow type null)
    pd.read_parquet(out / "805" / "reviews.parquet").iloc[:0].to_parquet(
        out / "805" / "reviews.parquet", index=False
    )
    tables = sorted({p.stem for p in out.glob("*/*.parquet")})
    assert {"episodes", "children", "reviews"} <= set(tables)
    for table in tables:
        paths = [p for la in ("805", "806") if (p := out / la / f"{table}.parquet").exists()]
        plain = pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
        pd.testing.assert_frame_equal(load_table(out, table, ["805", "806"]), plain)
    assert load_table(out, "no_such_table", ["805"]).empty


def test_returns_checked_together_as_if_alone(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    specs = load_specs(REFERENCE_DIR)
    files = []
    for year_dir in ssda903.year_folders(raw / "806", raw):
        for path, spec, unknown in ssda903.identify_files(year_dir, raw, specs.ssda903, []):
            files.append((path, spec, unknown, year_dir.name))
    together = ssda903.read_tables(files, raw_dir=raw, la_code="806", key=KEY)
    logged = 0
    for item, got in zip(files, together, strict=True):
        alone = ssda903.read_tables([item], raw_dir=raw, la_code="806", key=KEY)[0]
        assert (got.file, got.collection_year, got.rows_in, got.quarantined) == (
            alone.file,
            alone.collection_year,
            alone.rows_in,
            alone.quarantined,
        )
        pd.testing.assert_frame_equal(got.data, alone.data)
        pd.testing.assert_frame_equal(got.log, alone.log)
        assert (got.log["file"] == got.file).all()
        logged += len(got.log)
    assert len(files) == 6 and logged > 0


def test_generator_in_workers_writes_the_same_files(tmp_path: Path) -> None:
    codes = ["841", "805"]
    generate(tmp_path / "one", la_codes=codes, first_year=2023, last_year=2024, workers=1)
    generate(tmp_path / "two", la_codes=codes, first_year=2023, last_year=2024, workers=2)
    compared = filecmp.dircmp(tmp_path / "one", tmp_path / "two")
    assert not compared.left_only and not compared.right_only
    files = [p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file()]
    assert len(files) > 20
    for rel in files:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel


def test_the_modules_of_a_re_render_load_no_pandas_numpy_or_ingest() -> None:
    # What ``analysis render`` runs in each report's process: the pipeline, the renderer, the
    # workbook check, the LA names of the title page, the key and the identifier scan.
    code = (
        "import sys\n"
        "import analysis.__main__, analysis.pipeline, analysis.render, analysis.workbook\n"
        "import analysis.la_names, analysis.keyfile, analysis.scan, analysis.scan_index\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'analysis.ingest') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
