"""Ingest of SSDA903 returns: two overlapping years, bad rows quarantined, latest return wins."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ingest_fixtures import REFERENCE_DIR, pid, ssda903_fixture, write, write_key

from analysis.errors import InputError
from analysis.ingest import run_ingest

T = pd.Timestamp
NaT = pd.NaT


@pytest.fixture
def ingested(tmp_path: Path):
    raw = ssda903_fixture(tmp_path / "raw")
    key = write_key(tmp_path / "secret" / "key")
    out = tmp_path / "processed"
    result = run_ingest(raw, out, REFERENCE_DIR, key)
    return result, out


def test_summary_accounts_for_every_row(ingested) -> None:
    result, out = ingested
    expected = pd.DataFrame(
        [
            # file, table, in, processed, superseded, quarantined
            ("806/ssda903/2022-23/episodes.csv", "episodes", "2022-23", 2, 1, 1, 0),
            ("806/ssda903/2022-23/header.csv", "children", "2022-23", 2, 1, 1, 0),
            ("806/ssda903/2022-23/reviews.csv", "reviews", "2022-23", 2, 0, 1, 1),
            ("806/ssda903/2023-24/Episodes_2024.csv", "episodes", "2023-24", 5, 2, 0, 3),
            ("806/ssda903/2023-24/Header_2024.csv", "children", "2023-24", 2, 1, 0, 1),
            ("806/ssda903/2023-24/Reviews_2024.csv", "reviews", "2023-24", 4, 3, 0, 1),
        ],
        columns=[
            "file",
            "table",
            "collection_year",
            "rows_in",
            "rows_processed",
            "rows_superseded",
            "rows_quarantined",
        ],
    )
    expected.insert(2, "la_code", "806")
    pd.testing.assert_frame_equal(result.summary, expected)
    on_disk = pd.read_csv(out / "ingest_summary.csv", dtype={"la_code": str})
    pd.testing.assert_frame_equal(on_disk, expected)
    s = result.summary
    assert (
        s["rows_in"] == s["rows_processed"] + s["rows_superseded"] + s["rows_quarantined"]
    ).all()
    assert result.totals == {
        "rows_in": 17,
        "rows_processed": 8,
        "rows_superseded": 3,
        "rows_quarantined": 6,
    }


def test_dq_log_names_file_row_field_and_reason(ingested) -> None:
    result, out = ingested
    y1, y2 = "806/ssda903/2022-23/", "806/ssda903/2023-24/"
    expected = pd.DataFrame(
        [
            (y1 + "reviews.csv", 3, "REVIEW_CODE", "PN9", "not a valid code", "quarantined"),
            (
                y2 + "Episodes_2024.csv",
                None,
                "NOTES",
                "",
                "column not part of the Episodes table; ignored",
                "warning",
            ),
            (
                y2 + "Episodes_2024.csv",
                4,
                "DECOM",
                "31/02/2024",
                "not a valid date (expected dd/mm/YYYY)",
                "quarantined",
            ),
            (
                y2 + "Episodes_2024.csv",
                5,
                "DEC",
                "01/02/2024",
                "DEC is before DECOM",
                "quarantined",
            ),
            (
                y2 + "Episodes_2024.csv",
                6,
                "CHILD",
                pid("806", "1.2E+04"),
                "not a valid child id (letters, digits and - _ / . only)",
                "quarantined",
            ),
            (y2 + "Header_2024.csv", 3, "ETHNIC", "XXXX", "not a valid code", "quarantined"),
            (
                y2 + "Reviews_2024.csv",
                4,
                "CHILD, REVIEW",
                "same as line 3",
                "repeats an earlier row of the same file (same CHILD, REVIEW)",
                "quarantined",
            ),
            (y2 + "Reviews_2024.csv", 5, "DOB", "", "required field is blank", "warning"),
        ],
        columns=["file", "row", "field", "value", "reason", "action"],
    )
    expected["row"] = expected["row"].astype("Int64")
    pd.testing.assert_frame_equal(result.dq_log, expected)
    on_disk = pd.read_csv(out / "dq_log.csv", dtype=str, keep_default_na=False)
    assert on_disk["row"].tolist() == ["3", "", "4", "5", "6", "3", "4", "5"]
    assert on_disk["value"].tolist() == expected["value"].tolist()


def test_episodes_latest_return_wins_and_types(ingested) -> None:
    _, out = ingested
    got = pd.read_parquet(out / "806" / "episodes.parquet")
    c42, c100 = pid("806", "0042"), pid("806", "0100")
    expected = pd.DataFrame(
        {
            "la_code": ["806"] * 3,
            "child_id": [c100, c42, c42],
            "decom": [T("2022-06-10"), T("2022-05-01"), T("2023-11-14")],
            "rne": ["S", "S", "P"],
            "ls": ["C1", "C2", "C2"],
            "cin": ["N2", "N1", "N1"],
            "place": ["U3", "U1", "K2"],
            "place_provider": ["PR0", "PR1", "PR2"],
            "dec": [T("2022-09-01"), T("2023-11-14"), NaT],
            "rec": ["E11", "X1", None],
            "reason_place_change": [None, "CHILD", None],
            "pl_distance": [np.nan, 4.2, 12.5],
            "pl_location": [None, "IN", "OUT"],
        }
    )
    pd.testing.assert_frame_equal(got, expected)


def test_children_keep_dob_drop_upn_mother_and_latest_header_wins(ingested) -> None:
    _, out = ingested
    got = pd.read_parquet(out / "806" / "children.parquet")
    expected = pd.DataFrame(
        {
            "la_code": ["806", "806"],
            "child_id": [pid("806", "0100"), pid("806", "0042")],
            "sex": np.array([2, 1], dtype="int64"),  # "1.0" read as 1
            "dob": [T("2010-06-15"), T("2012-04-03")],
            "ethnic": ["MWBC", "WIRI"],  # 2023-24 return wins over WBRI
        }
    )
    pd.testing.assert_frame_equal(got, expected)


def test_reviews_duplicate_in_file_quarantined_and_pn0_kept(ingested) -> None:
    _, out = ingested
    got = pd.read_parquet(out / "806" / "reviews.parquet")
    c42 = pid("806", "0042")
    expected = pd.DataFrame(
        {
            "la_code": ["806"] * 3,
            "child_id": [c42] * 3,
            "review": [T("2022-05-20"), T("2022-11-10"), T("2024-03-15")],
            "review_code": ["PN2", "PN3", "PN0"],
        }
    )
    pd.testing.assert_frame_equal(got, expected)


def test_leading_zeros_survive_and_ids_are_pseudonymised(ingested) -> None:
    _, out = ingested
    ids = set(pd.read_parquet(out / "806" / "episodes.parquet")["child_id"])
    assert ids == {pid("806", "0042"), pid("806", "0100")}
    assert pid("806", "0042") != pid("806", "42")
    assert not ids & {"0042", "0100", "42", "100"}
    assert all(len(i) == 16 and set(i) <= set("0123456789abcdef") for i in ids)


def test_optional_tables_absent_are_not_written(ingested) -> None:
    result, out = ingested
    assert sorted(p.name for p in (out / "806").iterdir()) == [
        "children.parquet",
        "episodes.parquet",
        "reviews.parquet",
    ]
    assert result.counts == {"806/children": 2, "806/episodes": 3, "806/reviews": 3}


def test_optional_table_with_no_valid_row_is_written_empty_with_dtypes(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    write(
        raw / "806" / "ssda903" / "2023-24" / "ad1.csv",
        "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n"
        "0042,03/04/2012,01/02/2023,01/01/2023,2,1,M1,L0\n",
    )
    result = run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "k"))
    got = pd.read_parquet(tmp_path / "out" / "806" / "ad1.parquet")
    assert got.empty
    assert got.dtypes.astype(str).to_dict() == {
        "la_code": "object",
        "child_id": "object",
        "date_int": "datetime64[ns]",
        "date_match": "datetime64[ns]",
        "foster_care": "int64",
        "nb_adoptr": "int64",
        "sex_adoptr": "object",
        "ls_adoptr": "object",
    }
    row = result.dq_log[result.dq_log["file"].str.endswith("ad1.csv")]
    assert row[["row", "field", "value", "reason"]].values.tolist() == [
        [2, "FOSTER_CARE", "2", "not a valid code"]
    ]


def test_unknown_columns_only_is_an_input_error_naming_file_and_columns(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    write(raw / "806" / "ssda903" / "2023-24" / "extra.csv", "CHILD,FOO,BAR\n1,2,3\n")
    with pytest.raises(InputError) as err:
        run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "k"))
    assert err.value.file == "806/ssda903/2023-24/extra.csv"
    assert "FOO" in str(err.value) and "BAR" in str(err.value)


def test_missing_column_is_an_input_error_naming_file_and_field(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    text = (
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,URN\n0042,01/05/2022,S,C2,N1,U1,PR1,,,,,\n"
    )
    write(raw / "806" / "ssda903" / "2023-24" / "Episodes_2024.csv", text)
    with pytest.raises(InputError) as err:
        run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "k"))
    assert err.value.file == "806/ssda903/2023-24/Episodes_2024.csv"
    assert err.value.field == "DEC"
    assert "closest is Episodes" in str(err.value)
    assert not (tmp_path / "out").exists()  # nothing written


def test_required_table_missing_names_the_folder(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    (raw / "806" / "ssda903" / "2023-24" / "Reviews_2024.csv").unlink()
    with pytest.raises(InputError) as err:
        run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "k"))
    assert err.value.file == "806/ssda903/2023-24"
    assert "Reviews" in str(err.value)


def test_two_files_of_one_table_in_a_year_is_an_input_error(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    write(
        raw / "806" / "ssda903" / "2023-24" / "reviews_copy.csv", "CHILD,DOB,REVIEW,REVIEW_CODE\n"
    )
    with pytest.raises(InputError, match="two files hold the Reviews table"):
        run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "k"))


def test_row_with_too_many_values_names_its_line(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    write(
        raw / "806" / "ssda903" / "2023-24" / "Reviews_2024.csv",
        "CHILD,DOB,REVIEW,REVIEW_CODE\n0042,03/04/2012,20/05/2022,PN2\n0042,x,y,z,extra\n",
    )
    with pytest.raises(InputError) as err:
        run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "k"))
    assert (err.value.file, err.value.row) == ("806/ssda903/2023-24/Reviews_2024.csv", 3)


def test_bad_year_folder_name(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    (raw / "806" / "ssda903" / "2023-24").rename(raw / "806" / "ssda903" / "2023-25")
    with pytest.raises(InputError, match="collection year"):
        run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "k"))


def test_whole_row_table_keeps_repeats_in_a_file_and_supersedes_across_years(
    tmp_path: Path,
) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    base = raw / "806" / "ssda903"
    write(
        base / "2022-23" / "prev_perm.csv",
        "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM\n"
        "0042,03/04/2012,Z1,,\n"  # line 2: kept
        "0042,03/04/2012,Z1,,\n"  # line 3: the same again, kept (two periods of care)
        "0100,15/06/2010,P1,805,01/02/2019\n",
    )  # line 4: also in 2023-24 -> superseded
    write(
        base / "2023-24" / "prev_perm.csv",
        "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM\n0100,15/06/2010,P1,805,01/02/2019\n",
    )  # line 2: processed
    result = run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "k"))
    s = result.summary[result.summary["table"] == "prev_perm"]
    assert s[
        ["collection_year", "rows_in", "rows_processed", "rows_superseded", "rows_quarantined"]
    ].values.tolist() == [["2022-23", 3, 2, 1, 0], ["2023-24", 1, 1, 0, 0]]
    got = pd.read_parquet(tmp_path / "out" / "806" / "prev_perm.parquet")
    pd.testing.assert_frame_equal(
        got,
        pd.DataFrame(
            {
                "la_code": ["806"] * 3,
                "child_id": [pid("806", "0042"), pid("806", "0042"), pid("806", "0100")],
                "prev_perm": ["Z1", "Z1", "P1"],
                "la_perm": [None, None, "805"],
                "date_perm": [NaT, NaT, T("2019-02-01")],
            }
        ),
    )


def test_windows_1252_csv_is_read(tmp_path: Path) -> None:
    raw = ssda903_fixture(tmp_path / "raw")
    path = raw / "806" / "ssda903" / "2023-24" / "Reviews_2024.csv"
    path.write_bytes(
        (
            "CHILD,DOB,REVIEW,REVIEW_CODE,NOTE\n0042,03/04/2012,20/05/2022,PN2,caf\u00e9 \u00a3\n"
        ).encode("cp1252")
    )
    result = run_ingest(raw, tmp_path / "out", REFERENCE_DIR, write_key(tmp_path / "k"))
    got = pd.read_parquet(tmp_path / "out" / "806" / "reviews.parquet")
    assert got["review_code"].tolist() == ["PN2"]
    s = result.summary.set_index("file").loc["806/ssda903/2023-24/Reviews_2024.csv"]
    assert (s["rows_in"], s["rows_processed"]) == (1, 1)


def _rows(raw) -> list[list[str]]:
    """The rows of a CSV read by ``csvfile.read_csv``, as lists of values."""
    columns = [c.values().tolist() for c in raw.columns.values()]
    return [list(row) for row in zip(*columns, strict=True)]


def test_plain_csv_read_by_pyarrow_as_by_pandas(tmp_path: Path) -> None:
    """A plain CSV (no quotes, LF or CRLF) reads the same by pyarrow; others are left to pandas.

    Values are stripped as ``str.strip`` strips them, both ways: tab, vertical tab, form feed,
    the separators 0x1c-0x1f, a no-break space and an ideographic space.
    """
    from analysis.ingest import csvfile

    names = ["CHILD", "DECOM", "RNE"]
    plain = write(tmp_path / "plain.csv", "CHILD,DECOM,RNE\n 007,01/04/2023,S\n008,,P \n")
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(b"CHILD,DECOM,RNE\r\n007,01/04/2023,S\r\n")
    blank = write(tmp_path / "blank.csv", "CHILD,DECOM,RNE\n\n007,01/04/2023,S\n")
    ascii_space = write(
        tmp_path / "ascii.csv", "CHILD,DECOM,RNE\n\t007\x0b,\x1c01/04/2023\x1f,\x0cS\n, \t,\n"
    )
    unicode_space = write(
        tmp_path / "unicode.csv", "CHILD,DECOM,RNE\n\u00a0007\u3000,01/04/2023,S\u2003\n\u00a0,,\n"
    )
    for path in (plain, crlf, blank, ascii_space, unicode_space):
        by_arrow = csvfile._plain_columns(csvfile._read_plain(path, names))
        by_pandas = csvfile._text_columns(csvfile._read_text(path, "utf-8-sig", names))
        assert list(by_arrow) == list(by_pandas) == names
        for name in names:
            assert by_arrow[name].values().tolist() == by_pandas[name].values().tolist(), path
    got = csvfile.read_csv(ascii_space, "ascii.csv", upper=True)
    assert _rows(got) == [["007", "01/04/2023", "S"]]
    assert got.lines.tolist() == [2]  # line 3 holds only whitespace
    got = csvfile.read_csv(unicode_space, "unicode.csv", upper=True)
    assert _rows(got) == [["007", "01/04/2023", "S"]]
    assert got.lines.tolist() == [2]
    quoted = write(tmp_path / "quoted.csv", 'CHILD,DECOM,RNE\n"007",01/04/2023,S\n')
    short = write(tmp_path / "short.csv", "CHILD,DECOM,RNE\n007,01/04/2023\n")  # pandas pads
    spaces = write(tmp_path / "spaces.csv", "CHILD,DECOM,RNE\n   \n007,01/04/2023,S\n")
    lone_cr = tmp_path / "cr.csv"
    lone_cr.write_bytes(b"CHILD,DECOM,RNE\r007,01/04/2023,S\r")
    cp1252 = tmp_path / "cp1252.csv"
    cp1252.write_bytes("CHILD,DECOM,RNE\n007,01/04/2023,S\u00e9\n".encode("cp1252"))
    for path in (quoted, short, spaces, lone_cr, cp1252):
        assert csvfile._read_plain(path, names) is None, path.name
    for path in (blank, spaces):  # a blank line is not a row, and lines still count it
        got = csvfile.read_csv(path, path.name, upper=True)
        assert _rows(got) == [["007", "01/04/2023", "S"]]
        assert got.lines.tolist() == [3]


def test_dates_parsed_once_per_text_as_pandas_parses_them() -> None:
    from analysis.ingest import validate

    texts = np.array(
        ["01/04/2023", "31/02/2023", "", "1/4/2023", "01/04/2023 ", "NaT"], dtype=object
    )
    for _ in range(2):  # the second time from what the first kept
        got = validate._parse_dates(texts, "%d/%m/%Y")
        want = pd.to_datetime(
            pd.Series(texts, dtype=object), format="%d/%m/%Y", errors="coerce", cache=False
        ).to_numpy(dtype="datetime64[ns]")
        np.testing.assert_array_equal(got, want)
    assert got[0] == np.datetime64("2023-04-01") and np.isnat(got[1])
    validate._parse_dates(np.array(["today"], dtype=object), "%d/%m/%Y")
    assert "today" not in validate._DATES["%d/%m/%Y"]  # the current time is never kept
