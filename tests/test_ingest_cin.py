"""Ingest of the CIN census XML: plans, section 47s, reviews, line numbers, malformed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ingest_fixtures import (
    CIN_2324,
    REFERENCE_DIR,
    cin_fixture,
    pid,
    ssda903_fixture,
    write,
    write_key,
)

from analysis.errors import InputError
from analysis.ingest import run_ingest

T = pd.Timestamp
NaT = pd.NaT
F1, F2 = "806/cin_census/2022-23.xml", "806/cin_census/2023-24.xml"


@pytest.fixture
def ingested(tmp_path: Path):
    raw = cin_fixture(ssda903_fixture(tmp_path / "raw"))
    out = tmp_path / "processed"
    result = run_ingest(raw, out, REFERENCE_DIR, write_key(tmp_path / "key"))
    return result, out


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / "806" / f"{name}.parquet")


def test_summary_one_line_per_table_of_each_file(ingested) -> None:
    result, _ = ingested
    s = result.summary[result.summary["file"].str.endswith(".xml")]
    got = s[
        [
            "file",
            "table",
            "collection_year",
            "rows_in",
            "rows_processed",
            "rows_superseded",
            "rows_quarantined",
        ]
    ].values.tolist()
    assert got == [
        [F1, "cin_children", "2022-23", 1, 0, 1, 0],
        [F1, "cin_episodes", "2022-23", 1, 0, 1, 0],
        [F1, "cin_plans", "2022-23", 0, 0, 0, 0],
        [F1, "s47", "2022-23", 0, 0, 0, 0],
        [F1, "cp_plans", "2022-23", 1, 0, 1, 0],
        [F1, "cp_reviews", "2022-23", 0, 0, 0, 0],
        [F2, "cin_children", "2023-24", 3, 2, 0, 1],
        [F2, "cin_episodes", "2023-24", 3, 2, 0, 1],
        [F2, "cin_plans", "2023-24", 1, 1, 0, 0],
        [F2, "s47", "2023-24", 1, 1, 0, 0],
        [F2, "cp_plans", "2023-24", 3, 2, 0, 1],
        [F2, "cp_reviews", "2023-24", 4, 3, 0, 1],
    ]


def test_dq_log_gives_the_element_line(ingested) -> None:
    result, _ = ingested
    log = result.dq_log[result.dq_log["file"].str.endswith(".xml")]
    got = sorted(log[["file", "row", "field", "value", "reason", "action"]].values.tolist())
    assert got == sorted(
        [
            [F2, 92, "LAchildID", "", "required field is blank", "quarantined"],
            [F2, 98, "LAchildID", "", "required field is blank", "quarantined"],
            [
                F2,
                80,
                "CPPendDate",
                "2024-01-05",
                "CPPendDate is before CPPstartDate",
                "quarantined",
            ],
            [
                F2,
                85,
                "CPPstartDate",
                "plan at line 78",
                "its child protection plan is quarantined",
                "quarantined",
            ],
        ]
    )


def test_cp_plans_latest_return_wins_and_previous_cpp_zero_is_valid(ingested) -> None:
    _, out = ingested
    got = _table(out, "cp_plans")
    expected = pd.DataFrame(
        {
            "la_code": ["806", "806"],
            "child_id": [pid("806", "0042"), pid("806", "0900")],
            "referral_date": [T("2023-04-10"), T("2023-02-20")],
            "cpp_start": [T("2023-04-28"), T("2023-03-01")],
            "cpp_end": [NaT, T("2023-11-30")],  # the 2023-24 return ended the plan
            "initial_category": ["NEG", "NEG"],
            "latest_category": ["NEG", "EMO"],
            "number_previous_cpp": pd.array([0, 1], dtype="Int64"),  # "1.0" read as 1
        }
    )
    pd.testing.assert_frame_equal(got, expected)


def test_cp_reviews_s47_and_cin_plans(ingested) -> None:
    _, out = ingested
    c42, c900 = pid("806", "0042"), pid("806", "0900")
    pd.testing.assert_frame_equal(
        _table(out, "cp_reviews"),
        pd.DataFrame(
            {
                "la_code": ["806"] * 3,
                "child_id": [c42, c900, c900],
                "cpp_start": [T("2023-04-28"), T("2023-03-01"), T("2023-03-01")],
                "review_date": [T("2023-07-20"), T("2023-05-25"), T("2023-11-20")],
            }
        ),
    )
    pd.testing.assert_frame_equal(
        _table(out, "s47"),
        pd.DataFrame(
            {
                "la_code": ["806"],
                "child_id": [c42],
                "referral_date": [T("2023-04-10")],
                "s47_start": [T("2023-04-11")],
                "icpc_target": [T("2023-05-03")],
                "icpc_date": [T("2023-04-28")],
                "icpc_not_required": [False],
            }
        ),
    )
    pd.testing.assert_frame_equal(
        _table(out, "cin_plans"),
        pd.DataFrame(
            {
                "la_code": ["806"],
                "child_id": [c900],
                "referral_date": [T("2023-02-20")],
                "cin_plan_start": [T("2023-11-30")],
                "cin_plan_end": [T("2023-12-01")],
            }
        ),
    )


def test_cin_children_and_episodes(ingested) -> None:
    _, out = ingested
    c42, c900 = pid("806", "0042"), pid("806", "0900")
    pd.testing.assert_frame_equal(
        _table(out, "cin_children"),
        pd.DataFrame(
            {
                "la_code": ["806", "806"],
                "child_id": [c42, c900],
                "sex": np.array([1, 2], dtype="int64"),
                "dob": [T("2012-04-03"), T("2016-09-09")],
                "ethnicity": ["WIRI", "WBRI"],
            }
        ),
    )
    pd.testing.assert_frame_equal(
        _table(out, "cin_episodes"),
        pd.DataFrame(
            {
                "la_code": ["806", "806"],
                "child_id": [c42, c900],
                "referral_date": [T("2023-04-10"), T("2023-02-20")],
                "referral_source": ["6", "1A"],
                "primary_need_code": ["N1", "N1"],
                "closure_date": [NaT, T("2023-12-01")],
                "reason_for_closure": [None, "RC7"],
                "referral_nfa": [False, False],
            }
        ),
    )  # "0" and "false" are both no


def test_same_child_same_id_in_903_and_cin(ingested) -> None:
    _, out = ingested
    cla = set(pd.read_parquet(out / "806" / "children.parquet")["child_id"])
    cp = set(_table(out, "cp_plans")["child_id"])
    assert cla & cp == {pid("806", "0042")}


def test_manifest_collection_years(ingested) -> None:
    result, _ = ingested
    assert result.collection_years == {
        "806": {"ssda903": ["2022-23", "2023-24"], "cin_census": ["2022-23", "2023-24"]}
    }


def _run_with_cin(tmp_path: Path, text: str, name: str = "2023-24.xml"):
    raw = ssda903_fixture(tmp_path / "raw")
    write(raw / "806" / "cin_census" / name, text)
    return run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "key"))


def test_truncated_xml_is_an_input_error_naming_file_and_line(tmp_path: Path) -> None:
    truncated = "\n".join(CIN_2324.splitlines()[:44]) + "\n"  # stops after line 44
    with pytest.raises(InputError) as err:
        _run_with_cin(tmp_path, truncated)
    assert err.value.file == F2
    assert err.value.row == 45  # the parser runs out of input after the last line
    assert "truncated" in str(err.value)
    assert not (tmp_path / "out").exists()


def test_broken_tag_names_its_line(tmp_path: Path) -> None:
    lines = CIN_2324.splitlines()
    lines[39] = "          <NumberOfPreviousCPP>0</NumberOfPreviousCP>"  # line 40
    with pytest.raises(InputError) as err:
        _run_with_cin(tmp_path, "\n".join(lines) + "\n")
    assert (err.value.file, err.value.row) == (F2, 40)


def test_namespace_is_an_input_error(tmp_path: Path) -> None:
    text = CIN_2324.replace("<Message>", '<Message xmlns="http://www.dcsf.gov.uk/schemas/cbds">')
    with pytest.raises(InputError, match="namespace") as err:
        _run_with_cin(tmp_path, text)
    assert (err.value.file, err.value.row) == (F2, 2)


def test_wrong_root_is_an_input_error(tmp_path: Path) -> None:
    text = CIN_2324.replace("<Message>", "<CINcensus>").replace("</Message>", "</CINcensus>")
    with pytest.raises(InputError, match="root element is <CINcensus>"):
        _run_with_cin(tmp_path, text)


def test_file_of_another_la_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="LA 805") as err:
        _run_with_cin(tmp_path, CIN_2324.replace("<LEA>806</LEA>", "<LEA>805</LEA>"))
    assert (err.value.field, err.value.row) == ("LEA", 11)


def test_year_from_reference_date_when_file_named_otherwise(tmp_path: Path) -> None:
    result = _run_with_cin(tmp_path, CIN_2324, name="cin_census_march_2024.xml")
    assert result.collection_years["806"]["cin_census"] == ["2023-24"]


def test_unknown_element_is_a_warning(tmp_path: Path) -> None:
    lines = CIN_2324.splitlines()
    lines.insert(24, "      <FavouriteColour>blue</FavouriteColour>")  # becomes line 25
    result = _run_with_cin(tmp_path, "\n".join(lines) + "\n")
    warn = result.dq_log[result.dq_log["action"] == "warning"]
    assert [F2, 25, "FavouriteColour", "element not in the CIN census schema; ignored"] in warn[
        ["file", "row", "field", "reason"]
    ].values.tolist()


def test_utf16_file_keeps_line_numbers(tmp_path: Path) -> None:
    text = CIN_2324.replace('encoding="utf-8"', 'encoding="utf-16"')
    raw = ssda903_fixture(tmp_path / "raw")
    (raw / "806" / "cin_census").mkdir(parents=True)
    (raw / "806" / "cin_census" / "2023-24.xml").write_bytes(text.encode("utf-16"))
    result = run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "key"))
    log = result.dq_log[result.dq_log["file"] == F2]
    assert sorted(log["row"].tolist()) == [80, 85, 92, 98]


def test_comments_do_not_shift_line_numbers(tmp_path: Path) -> None:
    lines = CIN_2324.splitlines()
    lines[13] = "  <Children><!-- a <Child> in a comment -->"  # line 14
    lines[63] = "          <CINPlanStartDate><![CDATA[2023-11-30]]></CINPlanStartDate>"
    result = _run_with_cin(tmp_path, "\n".join(lines) + "\n")
    log = result.dq_log[result.dq_log["file"] == F2]
    assert sorted(log["row"].tolist()) == [80, 85, 92, 98]


def test_two_files_for_one_year_is_an_input_error(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    write(raw / "806" / "cin_census" / "2023-24.xml", CIN_2324)
    write(raw / "806" / "cin_census" / "cin_march_2024.xml", CIN_2324)
    with pytest.raises(InputError, match="two files hold the CIN census for 2023-24") as err:
        run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "key"))
    assert err.value.file == "806/cin_census"


def test_census_files_checked_together_as_if_alone(tmp_path: Path) -> None:
    """An LA's census files checked table by table together give what each gives alone."""
    from analysis.ingest import cin
    from analysis.ingest.spec import load_specs

    raw = cin_fixture(tmp_path / "raw")
    text = (raw / F2).read_text()
    # a second copy of 2023-24 with a quarantined plan (its reviews follow it) and a bad code
    bad = text.replace("<CPPendDate>2023-12-01", "<CPPendDate>2023-04-01").replace(
        "<InitialCategoryOfAbuse>NEG", "<InitialCategoryOfAbuse>XYZ"
    )
    assert bad != text
    write(raw / "806" / "cin_census" / "2024-25.xml", bad.replace("2024-03-31", "2025-03-31"))
    specs, key = load_specs(REFERENCE_DIR).cin, b"k" * 32
    known = cin.known_elements(REFERENCE_DIR)
    paths = sorted((raw / "806" / "cin_census").iterdir())
    together = cin.read_files(paths, specs, raw_dir=raw, la_code="806", key=key, known=known)
    alone = [
        r
        for path in paths
        for r in cin.read_files([path], specs, raw_dir=raw, la_code="806", key=key, known=known)
    ]
    assert len(together) == len(alone) == 3 * len(cin.TABLES)
    for got, want in zip(together, alone, strict=True):
        assert (got.file, got.spec.processed, got.collection_year) == (
            want.file,
            want.spec.processed,
            want.collection_year,
        )
        assert (got.rows_in, got.quarantined) == (want.rows_in, want.quarantined)
        pd.testing.assert_frame_equal(got.data, want.data)
        pd.testing.assert_frame_equal(got.log, want.log)
    logged = pd.concat([r.log for r in together])
    assert {F2, "806/cin_census/2024-25.xml"} <= set(logged["file"])  # split back by file
    extra = logged[logged["file"] == "806/cin_census/2024-25.xml"]
    assert {"not a valid code", "its child protection plan is quarantined"} <= set(extra["reason"])
