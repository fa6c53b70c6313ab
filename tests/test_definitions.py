"""The "how these figures are calculated" appendix (analysis.definitions)."""

from __future__ import annotations

import subprocess

import pytest

from analysis import definitions
from analysis.definitions import (
    CALCULATED_BY,
    definitions_markdown,
    docstring_markdown,
    report_tables,
)
from analysis.render.fallback import pandoc_path
from analysis.tables import TableSpec, load_catalogue


def _example(period_end):
    """Count the reviews held (``REVIEW`` in the period).

    Boundary convention (DESIGN section 5): as :func:`~analysis.cla.cla_at`, see also
    :func:`analysis.dates.open_at` and **bold** text.

    - a list item;
    - another.

    Parameters
    ----------
    period_end
        Not in the appendix.

    Returns
    -------
    int
    """


def test_docstring_markdown_keeps_the_description_only():
    text = docstring_markdown(_example)
    assert text.startswith("Count the reviews held (`REVIEW` in the period).")
    assert "Boundary convention: as `cla_at`, see also\n`analysis.dates.open_at`" in text
    assert "**bold**" in text and "- a list item;" in text
    assert "Parameters" not in text and "Not in the appendix" not in text
    assert "DESIGN" not in text and ":func:" not in text and "``" not in text


def test_every_mapped_function_exists_and_is_documented():
    catalogue = load_catalogue()
    for table_id, functions in CALCULATED_BY.items():
        assert table_id in catalogue, table_id
        for measure, path in functions.items():
            assert measure is None or measure in (
                list(catalogue[table_id].labels)
                + catalogue[table_id].count_measures
                + ["a10_days", "a2_days"]
            ), (table_id, measure)
            assert len(docstring_markdown(definitions._resolve(path))) > 40, path


def test_report_tables_follow_the_area_prefix():
    catalogue = {
        tid: TableSpec(id=tid, title=tid, columns=["code"])
        for tid in ("cla_summary", "cp_duration", "atv_la_measures", "dq_summary", "zz_other")
    }
    assert [t.id for t in report_tables("iro-annual", catalogue)] == [
        "cla_summary",
        "cp_duration",
        "dq_summary",
    ]
    assert [t.id for t in report_tables("atv-biannual", catalogue)] == [
        "atv_la_measures",
        "dq_summary",
    ]
    with pytest.raises(ValueError, match="unknown report"):
        report_tables("annual", catalogue)


@pytest.mark.parametrize("report", ["iro-annual", "atv-biannual"])
def test_appendix_defines_each_table_and_states_disclosure(report):
    text = definitions_markdown(report)
    for spec in report_tables(report):
        assert f"## {spec.title} {{.unnumbered .unlisted}}" in text
        assert f"`tables/{spec.id}.csv`" in text
    assert "Counts from 1 to 5 are shown as `c`" in text
    internal = definitions_markdown(report, "internal")
    assert "This is an internal report: small numbers are shown." in internal


def test_appendix_is_valid_markdown_with_definition_lists():
    """Pandoc reads the appendix as headings, bullet lists and definition lists, nothing raw."""
    result = subprocess.run(
        [pandoc_path(), "--from=markdown", "--to=native"],
        input=definitions_markdown("iro-annual"),
        capture_output=True,
        text=True,
        check=True,
    )
    native = result.stdout
    assert native.count("DefinitionList") >= 2  # the summary tables' measures
    assert "Header" in native and "BulletList" in native
    assert '"unlisted"' in native and '"unnumbered"' in native
    assert "RawBlock" not in native and "CodeBlock" not in native  # no stray indentation
