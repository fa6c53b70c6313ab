import pandas as pd
import pytest

from analysis.tables import (
    TableSpec,
    load_catalogue,
    publish_table,
    round_for_output,
    suppress,
)
from analysis.workbook import write_workbook

CODES = TableSpec(
    id="t",
    title="t",
    columns=["code", "count", "percent"],
    count_columns=["count"],
    percent_columns=["percent"],
)
MEASURES = TableSpec(
    id="m",
    title="m",
    columns=["measure", "value"],
    count_measures=["plans", "started"],
    suppress_with={"rate": "plans"},
)


def test_primary_suppression_of_1_to_5_with_percent():
    df = pd.DataFrame(
        {
            "code": ["A", "B", "C", "D", "E"],
            "count": [0, 1, 5, 6, 88],
            "percent": [0.0, 1.0, 5.0, 6.0, 88.0],
        }
    )
    out = suppress(df, CODES, "public")
    assert out["count"].tolist() == [0, "c", "c", 6, 88]
    assert out["percent"].tolist() == [0.0, "c", "c", 6.0, 88.0]


def test_internal_shows_small_numbers():
    df = pd.DataFrame({"code": ["A"], "count": [3], "percent": [100.0]})
    assert suppress(df, CODES, "internal")["count"].tolist() == [3]


def test_measure_suppression_carries_to_dependent_rate():
    df = pd.DataFrame(
        {"measure": ["plans", "rate", "started", "pct"], "value": [4, 12.5, 40, 55.5]}
    )
    out = suppress(df, MEASURES, "public")
    assert out["value"].tolist() == ["c", "c", 40, 55.5]


def test_measure_suppression_is_per_key_in_long_tables():
    spec = TableSpec(
        id="l",
        title="l",
        columns=["la_code", "measure", "value"],
        count_measures=["plans"],
        suppress_with={"rate": "plans"},
    )
    df = pd.DataFrame(
        {
            "la_code": ["1", "1", "2", "2"],
            "measure": ["plans", "rate"] * 2,
            "value": [3, 10.0, 30, 20.0],
        }
    )
    assert suppress(df, spec, "public")["value"].tolist() == ["c", "c", 30, 20.0]


def test_unknown_disclosure_mode_rejected():
    with pytest.raises(ValueError, match="disclosure"):
        suppress(pd.DataFrame({"code": [], "count": [], "percent": []}), CODES, "open")


def test_rounding_one_decimal_and_integer_counts():
    df = pd.DataFrame({"measure": ["plans", "rate"], "value": [12.0, 33.3333]})
    out = round_for_output(df, MEASURES)["value"].tolist()
    assert out == [12, 33.3]
    assert isinstance(out[0], int)


def test_publish_writes_catalogue_columns(tmp_path):
    df = pd.DataFrame(
        {
            "period": "2023-24",
            "code": ["PN0", "PN1", "PN2"],
            "count": [3, 90, 7],
            "percent": [3.0, 90.0, 7.0],
        }
    )
    publish_table(df, "cla_review_participation", tmp_path, "public")
    text = (tmp_path / "cla_review_participation.csv").read_text()
    # PN0 is small; PN2, the smallest other count, is suppressed too (secondary suppression)
    assert text == (
        "period,code,count,percent\n2023-24,PN0,c,c\n2023-24,PN1,90,90.0\n2023-24,PN2,c,c\n"
    )


def test_publish_measure_table_keeps_integer_counts(tmp_path, monkeypatch):
    df = pd.DataFrame(
        {"measure": ["cla_count", "cla_rate_per_10k", "started_count"], "value": [554, 157.4912, 3]}
    )
    publish_table(df, "cla_summary", tmp_path, "public")
    text = (tmp_path / "cla_summary.csv").read_text()
    assert text == "measure,value\ncla_count,554\ncla_rate_per_10k,157.5\nstarted_count,c\n"


def test_publish_rejects_wrong_columns(tmp_path):
    with pytest.raises(ValueError, match="columns"):
        publish_table(pd.DataFrame({"code": [], "n": []}), "cla_ceased_by_reason", tmp_path)


def test_catalogue_fixed_interface_ids():
    catalogue = load_catalogue()
    for table_id in [
        "cla_summary",
        "cla_ceased_by_reason",
        "cla_review_participation",
        "cla_by_ethnicity",
        "cla_placement_type",
        "cla_legal_status",
        "cp_summary",
        "cp_by_category",
        "atv_la_measures",
    ]:
        assert table_id in catalogue
    assert catalogue["atv_la_measures"].columns == ["la_code", "period", "measure", "value"]


def test_workbook_has_a_sheet_per_table(tmp_path):
    (tmp_path / "a.csv").write_text("code,count\nX,1\n")
    (tmp_path / "b.csv").write_text("code,count\nY,2\n")
    book = write_workbook(tmp_path, tmp_path / "t.xlsx")
    sheets = pd.read_excel(book, sheet_name=None)
    assert list(sheets) == ["contents", "a", "b"]


def test_workbook_is_rewritten_only_when_its_tables_change(tmp_path):
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "a.csv").write_text("code,count\nX,1\n")
    book = write_workbook(tables, tmp_path / "t.xlsx")
    written = book.stat().st_mtime_ns
    assert write_workbook(tables, book).stat().st_mtime_ns == written  # same tables: kept
    (tables / "a.csv").write_text("code,count\nX,2\n")
    write_workbook(tables, book)
    assert pd.read_excel(book, sheet_name="a")["count"].tolist() == [2]
    (tables / "b.csv").write_text("code,count\nY,3\n")  # a new table
    assert list(pd.read_excel(write_workbook(tables, book), sheet_name=None)) == [
        "contents",
        "a",
        "b",
    ]
    book.unlink()  # a deleted workbook is written again even though the tables are the same
    assert write_workbook(tables, book).is_file()
