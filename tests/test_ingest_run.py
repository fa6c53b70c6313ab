"""The whole ingest run: outputs, manifest, privacy, cleaning, key handling, parameters."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pandas as pd
import pytest
from ingest_fixtures import REFERENCE_DIR, full_fixture, pid, ssda903_fixture, write_key

from analysis.errors import ParameterError
from analysis.ingest import load_or_create_key, pseudonymise, pseudonymise_one, run_ingest


@pytest.fixture
def ingested(tmp_path: Path):
    raw = full_fixture(tmp_path / "raw")
    out = tmp_path / "processed"
    return run_ingest(raw, out, REFERENCE_DIR, write_key(tmp_path / "key")), out


def test_nothing_lost_over_all_files(ingested) -> None:
    result, out = ingested
    s = result.summary
    assert (
        s["rows_in"] == s["rows_processed"] + s["rows_superseded"] + s["rows_quarantined"]
    ).all()
    # 903 17 + CIN 3 + 15 + IRO 6 + RAA 5 rows; see ingest_fixtures for each row's fate.
    assert result.totals == {
        "rows_in": 46,
        "rows_processed": 27,
        "rows_superseded": 6,
        "rows_quarantined": 13,
    }
    assert sum(result.counts.values()) == 27
    assert sum(len(pd.read_parquet(p)) for p in out.rglob("*.parquet")) == 27


def test_manifest(ingested) -> None:
    result, out = ingested
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest == {
        "synthetic": False,
        "la_codes": ["806"],
        "collection_years": {
            "806": {"ssda903": ["2022-23", "2023-24"], "cin_census": ["2022-23", "2023-24"]}
        },
        "tables": {
            "806/children": 2,
            "806/cin_children": 2,
            "806/cin_episodes": 2,
            "806/cin_plans": 1,
            "806/cp_plans": 2,
            "806/cp_reviews": 3,
            "806/episodes": 3,
            "806/iro_caseload": 2,
            "806/irp": 2,
            "806/reviews": 3,
            "806/s47": 1,
            "raa/adopters": 2,
            "raa/referrals": 2,
        },
        "rows": {"rows_in": 46, "rows_processed": 27, "rows_superseded": 6, "rows_quarantined": 13},
    }
    assert result.synthetic is False


def test_no_upn_postcode_or_raw_id_in_any_output(ingested) -> None:
    _, out = ingested
    secrets = [
        b"A111111111111",
        b"A222222222222",
        b"A333333333333",
        b"A444444444444",
        b"TS1 3AA",
        b"TS5 6BB",
        b"TS7 8EE",
        b"TS2 1CC",
        b"TS3 4DD",
        b"SC123456",
        b"1.2E+04",
        b"01/01/2021",
    ]
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for s in secrets:
                assert s not in data, (path, s)
    raw_ids = {"0042", "0100", "0077", "0555", "0900", "B7", "C9"}
    for path in out.rglob("*.parquet"):
        frame = pd.read_parquet(path)
        for col in frame.columns:
            assert not set(frame[col].astype(str)) & raw_ids, (path, col)
        assert not {"upn", "home_post", "pl_post", "mc_dob", "urn"} & set(frame.columns)
    log = (out / "dq_log.csv").read_text()
    for s in ("03/04/2012", "15/06/2010", "2012-04-03", "0042", ",B7,", ",C9,"):
        assert s not in log


def test_dob_in_log_is_redacted(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    path = raw / "806" / "ssda903" / "2022-23" / "header.csv"
    path.write_text(path.read_text().replace("03/04/2012", "03/13/2012"))
    result = run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "key"))
    row = result.dq_log[result.dq_log["field"] == "DOB"]
    assert row[["file", "row", "value", "action"]].values.tolist() == [
        ["806/ssda903/2022-23/header.csv", 2, "<redacted>", "quarantined"],
        ["806/ssda903/2023-24/Reviews_2024.csv", 5, "", "warning"],
    ]  # blank: nothing to hide


def test_rerun_cleans_earlier_outputs_only(tmp_path: Path) -> None:
    raw = full_fixture(tmp_path / "raw")
    out = tmp_path / "processed"
    key = write_key(tmp_path / "key")
    (out / "805").mkdir(parents=True)
    (out / "805" / "episodes.parquet").write_bytes(b"stale")
    (out / "806").mkdir()
    (out / "806" / "oc3.parquet").write_bytes(b"stale")
    (out / "806" / "my_notes.txt").write_text("keep me")
    (out / "README.md").write_text("keep me too")
    run_ingest(raw, out, REFERENCE_DIR, key)
    assert not (out / "805").exists()
    assert not (out / "806" / "oc3.parquet").exists()
    assert (out / "806" / "my_notes.txt").read_text() == "keep me"
    assert (out / "README.md").exists()
    before = (out / "806" / "episodes.parquet").read_bytes()
    run_ingest(raw, out, REFERENCE_DIR, key)
    assert (out / "806" / "episodes.parquet").read_bytes() == before  # deterministic


def test_la_codes_restricts_and_unknown_la_is_a_parameter_error(tmp_path: Path) -> None:
    raw = ssda903_fixture(ssda903_fixture(tmp_path / "raw"), la="805")
    key = write_key(tmp_path / "key")
    result = run_ingest(raw, tmp_path / "out", REFERENCE_DIR, key, la_codes=["805"])
    assert result.la_codes == ["805"]
    assert set(result.summary["la_code"]) == {"805"}
    assert not (tmp_path / "out" / "806").exists()
    ids = set(pd.read_parquet(tmp_path / "out" / "805" / "children.parquet")["child_id"])
    assert ids == {pid("805", "0042"), pid("805", "0100")}  # another LA, other ids
    with pytest.raises(ParameterError, match="841"):
        run_ingest(raw, tmp_path / "out", REFERENCE_DIR, key, la_codes=["841"])


def test_synthetic_marker_creates_key_and_sets_flag(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    (raw / "SYNTHETIC").write_text("")
    key_path = tmp_path / "keys" / "nested" / "synthetic.key"
    result = run_ingest(raw, tmp_path / "out", REFERENCE_DIR, key_path)
    assert result.synthetic is True
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["synthetic"] is True
    assert len(key_path.read_bytes()) == 32
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600


def test_real_data_without_key_is_a_parameter_error(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    with pytest.raises(ParameterError, match="key_path"):
        run_ingest(raw, tmp_path / "out", REFERENCE_DIR, tmp_path / "missing.key")
    assert not (tmp_path / "missing.key").exists()


def test_load_or_create_key(tmp_path: Path) -> None:
    with pytest.raises(ParameterError):
        load_or_create_key(tmp_path / "k", create=False)
    key = load_or_create_key(tmp_path / "a" / "k", create=True)
    assert load_or_create_key(tmp_path / "a" / "k", create=False) == key
    assert load_or_create_key(tmp_path / "a" / "k", create=True) == key  # never overwritten
    hex_key = tmp_path / "hex"
    hex_key.write_text("00" * 16 + "ff" * 16 + "\n")
    assert load_or_create_key(hex_key, create=False) == bytes(16) + b"\xff" * 16
    short = tmp_path / "short"
    short.write_bytes(b"abc")
    with pytest.raises(ParameterError, match="shorter"):
        load_or_create_key(short, create=False)


def test_pseudonymise() -> None:
    key = bytes(range(32))
    ids = pd.Series(["0042", "42", "", "0042"])
    got = pseudonymise(ids, "806", key)
    assert got.tolist()[:2] == [pid("806", "0042"), pid("806", "42")]
    assert pd.isna(got.iloc[2])
    assert got.iloc[3] == got.iloc[0]
    assert pseudonymise_one("0042", "806", key) == pid("806", "0042")
    assert pseudonymise_one("0042", "805", key) != pid("806", "0042")


def test_pseudonymise_across_las_keys_and_input_types() -> None:
    """Ids met again are looked up, not re-hashed: switching LA or key must not mix them up."""
    key, other_key = bytes(range(32)), bytes(range(1, 33))
    ids = pd.Series(["0042", "7"])
    assert pseudonymise(ids, "806", key).tolist() == [pid("806", "0042"), pid("806", "7")]
    assert pseudonymise(ids, "805", key).tolist() == [pid("805", "0042"), pid("805", "7")]
    assert pseudonymise(ids, "806", key).tolist() == [pid("806", "0042"), pid("806", "7")]
    assert pseudonymise(ids, "806", other_key).iloc[0] != pid("806", "0042")
    mixed = pd.Series([42, None, "0042", float("nan")], dtype=object)  # not text: read as str
    got = pseudonymise(mixed, "806", key)
    assert got.iloc[0] == pid("806", "42") and got.iloc[2] == pid("806", "0042")
    assert got.iloc[1] is None and got.iloc[3] is None
    las = pd.Series(["806", "805", "806"])
    got = pseudonymise(pd.Series(["0042", "0042", ""]), las, key)
    assert got.tolist()[:2] == [pid("806", "0042"), pid("805", "0042")] and got.iloc[2] is None
    assert pseudonymise(pd.Series([], dtype=object), "806", key).empty


def test_processed_inside_raw_is_a_parameter_error(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    with pytest.raises(ParameterError, match="processed_dir"):
        run_ingest(raw, raw / "processed", REFERENCE_DIR, write_key(tmp_path / "key"))


def test_missing_reference_file_is_a_parameter_error(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    with pytest.raises(ParameterError, match="reference_dir"):
        run_ingest(raw, tmp_path / "out", tmp_path / "nowhere", write_key(tmp_path / "key"))


def test_progress_bar_goes_to_stderr(tmp_path: Path, capsys) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "key"), progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "6/6" in captured.err


def test_other_files_are_ignored_with_a_warning(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    (raw / "806" / "ssda903" / "2023-24" / "Episodes_2024.xlsx").write_bytes(b"PK")
    result = run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "key"))
    first = result.dq_log.iloc[0]
    assert (first["file"], pd.isna(first["row"]), first["reason"], first["action"]) == (
        "806/ssda903/2023-24/Episodes_2024.xlsx",
        True,
        "not a file type ingest reads; ignored",
        "warning",
    )
    assert "806/ssda903/2023-24/Episodes_2024.xlsx" not in set(result.summary["file"])
