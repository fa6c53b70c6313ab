"""Ingest of the IRO service's and the adoption agency's local extracts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ingest_fixtures import REFERENCE_DIR, local_fixture, pid, ssda903_fixture, write, write_key

from analysis.errors import InputError
from analysis.ingest import run_ingest

T = pd.Timestamp
NaT = pd.NaT


@pytest.fixture
def ingested(tmp_path: Path):
    raw = local_fixture(ssda903_fixture(tmp_path / "raw"))
    out = tmp_path / "processed"
    return run_ingest(raw, out, REFERENCE_DIR, write_key(tmp_path / "key")), out


def test_iro_caseload(ingested) -> None:
    _, out = ingested
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "806" / "iro_caseload.parquet"),
        pd.DataFrame(
            {
                "la_code": ["806", "806"],
                "month": [T("2023-04-01"), T("2023-04-01")],
                "iro_id": ["IRO1", "IRO2"],
                "fte": [1.0, 0.5],
                "open_cla": np.array([62, 31], dtype="int64"),
                "open_cp": np.array([30, 12], dtype="int64"),
            }
        ),
    )


def test_irp_child_ids_match_the_903(ingested) -> None:
    _, out = ingested
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "806" / "irp.parquet"),
        pd.DataFrame(
            {
                "la_code": ["806", "806"],
                "irp_id": ["IRP-1", "IRP-2"],
                "child_id": [pid("806", "0042"), pid("806", "0900")],
                "raised_date": [T("2023-06-05"), T("2023-08-01")],
                "plan_type": ["CLA", "CP"],
                "reason": ["Care plan drift", "Visits not held"],
                "resolved_date": [T("2023-06-20"), NaT],
                "resolution_level": pd.array([2, None], dtype="Int64"),
            }
        ),
    )
    cla = set(pd.read_parquet(out / "806" / "children.parquet")["child_id"])
    assert pid("806", "0042") in cla


def test_raa_referrals_pseudonymised_with_their_own_la(ingested) -> None:
    _, out = ingested
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "raa" / "referrals.parquet"),
        pd.DataFrame(
            {
                "la_code": ["806", "805"],
                "child_id": [pid("806", "0042"), pid("805", "B7")],
                "referral_date": [T("2023-07-01"), T("2023-08-15")],
                "sibling_group_id": [None, "SG1"],
            }
        ),
    )


def test_raa_adopters(ingested) -> None:
    _, out = ingested
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "raa" / "adopters.parquet"),
        pd.DataFrame(
            {
                "household_id": ["H1", "H2"],
                "enquiry_date": [T("2023-01-02"), T("2023-03-10")],
                "registration_date": [T("2023-02-01"), NaT],
                "stage1_start": [T("2023-02-01"), NaT],
                "stage2_start": [T("2023-04-15"), NaT],
                "approval_date": [T("2023-07-20"), NaT],
                "withdrawn_date": [NaT, T("2023-03-30")],
            }
        ),
    )


def test_local_dq_log_and_summary(ingested) -> None:
    result, _ = ingested
    log = result.dq_log[~result.dq_log["file"].str.contains("ssda903")]
    assert log[["file", "row", "field", "value", "reason", "action"]].values.tolist() == [
        ["806/iro/caseload.csv", 4, "fte", "1.5", "more than 1", "quarantined"],
        [
            "806/iro/irp.csv",
            4,
            "resolved_date",
            "01/09/2023",
            "resolved_date is before raised_date",
            "quarantined",
        ],
        ["raa/referrals.csv", 4, "la_code", "8O5", "not a 3-digit LA code", "quarantined"],
    ]
    s = result.summary[~result.summary["file"].str.contains("ssda903")]
    assert s[
        [
            "file",
            "table",
            "la_code",
            "collection_year",
            "rows_in",
            "rows_processed",
            "rows_superseded",
            "rows_quarantined",
        ]
    ].values.tolist() == [
        ["806/iro/caseload.csv", "iro_caseload", "806", "", 3, 2, 0, 1],
        ["806/iro/irp.csv", "irp", "806", "", 3, 2, 0, 1],
        ["raa/adopters.csv", "adopters", "raa", "", 2, 2, 0, 0],
        ["raa/referrals.csv", "referrals", "raa", "", 3, 2, 0, 1],
    ]


def test_extract_recognised_by_columns_not_name(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    write(
        raw / "806" / "iro" / "IRO concerns 2023-24.csv",
        "Child_ID,Raised_Date,Plan_Type\n0042,01/05/2023,dual\n0042,02/05/2023,both\n",
    )
    result = run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "key"))
    got = pd.read_parquet(tmp_path / "out" / "806" / "iro_concerns.parquet")
    assert got.values.tolist() == [["806", pid("806", "0042"), T("2023-05-01"), "dual"]]
    assert result.dq_log[["row", "field", "value", "reason"]].values.tolist()[-1] == [
        3,
        "plan_type",
        "both",
        "not a valid code",
    ]


def test_extract_missing_column_is_an_input_error(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    write(raw / "806" / "iro" / "footprint.csv", "child_id,activity\n0042,visit\n")
    with pytest.raises(InputError) as err:
        run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "key"))
    assert err.value.file == "806/iro/footprint.csv"
    assert err.value.field == "date"
