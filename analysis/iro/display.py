"""Period comparisons for the IRO annual report: tidy tables out, wide tables for the reader.

The published CSV of a comparison is tidy (DESIGN section 6): one row per period and code, with
a ``period`` column first, so disclosure control suppresses each period's cells on their own
count (a small count last year does not hide this year's percentage). The reader sees the same
published cells pivoted wide, one column per period, as the published report lays its tables out
("2022-23 (count) | 2023-24 (count) | 2022-23 (%) | 2023-24 (%)").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from analysis.dates import DateLike, to_timestamp

__all__ = [
    "change",
    "period_label",
    "previous_year",
    "stack_periods",
    "wide_by_period",
    "publish_by_period",
    "top_code",
    "value_of",
]

#: Default reader's names of the value columns of a period comparison.
VALUE_NAMES = {
    "count": "Number",
    "percent": "%",
    "value": "",
    "rate_per_10k": "Rate per 10,000",
    "in_time_pct": "% in timescale",
}


def period_label(period_start: DateLike, period_end: DateLike) -> str:
    """Short label of a period: ``2023-24`` for 1 April to 31 March, else the two dates.

    Parameters
    ----------
    period_start, period_end
        The period, both ends inclusive.

    Returns
    -------
    str
        ``"2023-24"`` for a financial year, otherwise ``"1 Apr 2023 to 30 Sep 2023"``.
    """
    ps, pe = to_timestamp(period_start), to_timestamp(period_end)
    if (ps.month, ps.day, pe.month, pe.day) == (4, 1, 3, 31) and pe.year == ps.year + 1:
        return f"{ps.year}-{str(pe.year)[-2:]}"
    return f"{ps:%-d %b %Y} to {pe:%-d %b %Y}"


def previous_year(
    period_start: DateLike, period_end: DateLike
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The same period one year earlier (the comparison year of the report)."""
    ps, pe = to_timestamp(period_start), to_timestamp(period_end)
    return ps - pd.DateOffset(years=1), pe - pd.DateOffset(years=1)


def stack_periods(frames: Mapping[str, pd.DataFrame], column: str = "period") -> pd.DataFrame:
    """Stack one table per period into one tidy table with the period label first.

    Parameters
    ----------
    frames
        ``{period label: table}``, in the order the rows should appear (earliest first).
    column
        Name of the label column (``period`` by default).

    Returns
    -------
    pandas.DataFrame
        The tables one under another, ``column`` inserted as the first column, index reset.
    """
    parts = [frame.assign(**{column: label}) for label, frame in frames.items()]
    if not parts:
        return pd.DataFrame(columns=[column])
    out = pd.concat(parts, ignore_index=True)
    return out[[column, *[c for c in out.columns if c != column]]]


def wide_by_period(
    published: pd.DataFrame,
    index: str | Sequence[str] = "code",
    values: Sequence[str] = ("count", "percent"),
    column: str = "period",
    names: Mapping[str, str] | None = None,
    period_format: Callable[[object], str] = str,
    drop_zero_rows: bool = False,
) -> pd.DataFrame:
    """Pivot a published tidy comparison to one column per period and value (reader's view).

    Rows follow the last period's order (the report year), then any rows found only in earlier
    periods; periods keep their order. Cells are the published (rounded, suppressed) values,
    unchanged. A code missing from one period shows blank.

    Parameters
    ----------
    published
        The published tidy table (``period`` first).
    index
        Column(s) that name a row (``code``, ``measure``, ``month``...).
    values
        Value columns to spread, in the order their column groups appear.
    column
        The period column.
    names
        Reader's names of the value columns (defaults ``VALUE_NAMES``); the header of a column
        is ``"<period> <name>"``, or the period alone when the name is empty.
    period_format
        How a period shows in a header (``str`` by default; e.g. ``lambda y: f"31 Mar {y}"``).
    drop_zero_rows
        Leave out rows that are 0 in every period and value (a long code list such as
        ethnicity); suppressed or blank cells are not 0, so such rows stay.

    Returns
    -------
    pandas.DataFrame
        ``index`` columns then, for each value in ``values``, one column per period.
    """
    keys = [index] if isinstance(index, str) else list(index)
    names = {**VALUE_NAMES, **(names or {})}
    periods = list(dict.fromkeys(published[column]))
    last = published.loc[published[column] == periods[-1], keys] if periods else published[keys]
    rows = pd.concat([last, published[keys]]).drop_duplicates()
    out = rows.reset_index(drop=True)
    for value in values:
        for period in periods:
            part = published.loc[published[column] == period, [*keys, value]]
            label = f"{period_format(period)} {names.get(value, value)}".strip()
            merged = out[keys].merge(part, on=keys, how="left")
            out[label] = merged[value].astype(object).where(merged[value].notna(), None).to_numpy()
    if drop_zero_rows:
        cells = out.drop(columns=keys)
        zero = cells.apply(lambda col: col.map(lambda v: _is_zero(v))).all(axis=1)
        out = out.loc[~zero].reset_index(drop=True)
    return out


def _is_zero(value: object) -> bool:
    return not isinstance(value, str | bool) and value is not None and value == 0


def publish_by_period(
    df: pd.DataFrame,
    table_id: str,
    caption: str,
    tables_dir: str,
    disclosure: str,
    index: str | Sequence[str] = "code",
    values: Sequence[str] = ("count", "percent"),
    describe: Callable[[str], str] | None = None,
    headers: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    column: str = "period",
    period_format: Callable[[object], str] = str,
    extra: pd.DataFrame | None = None,
    drop_zero_rows: bool = False,
) -> pd.DataFrame:
    """Publish a tidy period comparison (CSV, catalogue id) and show it wide; return it.

    The counterpart of :func:`analysis.show.publish_and_show` for tables with a ``period``
    column: the CSV is the tidy table, rounded and suppressed by the catalogue's rules; the
    report shows the same cells with one column per period.

    Parameters
    ----------
    df
        The tidy table with exactly the catalogue's columns.
    table_id, caption, tables_dir, disclosure
        As for :func:`analysis.show.publish_and_show`.
    index, values, names, column, period_format, drop_zero_rows
        As for :func:`wide_by_period` (``column`` is the column spread wide, ``period`` by
        default; ``area`` for a comparison of areas).
    describe
        Optional ``code -> description``; adds a Description column after ``code``.
    headers
        Reader's names of the index columns (defaults ``analysis.show.DISPLAY_HEADERS``).
    extra
        Rows shown after the table's own but not part of its CSV, already published elsewhere:
        for example each year's total ("Year") under a monthly table, taken from the published
        table that holds the year's figure. Keeping totals out of the CSV keeps it tidy (every
        row one month), so sums over it are sums of months.

    Returns
    -------
    pandas.DataFrame
        The published tidy table.
    """
    from analysis.show import display_frame, show_table
    from analysis.tables import load_catalogue, publish_table

    published = publish_table(df, table_id, tables_dir, disclosure)
    labels = load_catalogue()[table_id].labels
    view = published if extra is None else pd.concat([published, extra], ignore_index=True)
    if labels and "measure" in view.columns:
        view = view.assign(measure=[labels.get(m, m) for m in view["measure"]])
    wide = wide_by_period(
        view,
        index=index,
        values=values,
        column=column,
        names=names,
        period_format=period_format,
        drop_zero_rows=drop_zero_rows,
    )
    show_table(
        display_frame(wide, describe, headers=dict(headers or {})),
        "tbl-" + table_id.replace("_", "-"),
        caption,
    )
    return published


def value_of(published: pd.DataFrame, column: str, **where: object) -> object:
    """The one cell of ``column`` in the row matching ``where`` (for computed sentences).

    Sentences take their numbers from the published tables (rounded, suppressed: a ``"c"``
    cell reads "fewer than 6" through :mod:`analysis.narrative`), so prose and tables agree.

    Parameters
    ----------
    published
        A published table.
    column
        The column wanted.
    **where
        ``column=value`` conditions selecting exactly one row.

    Returns
    -------
    object
        The cell (number, ``"c"`` or NaN).

    Raises
    ------
    KeyError
        When no row or more than one row matches.
    """
    mask = pd.Series(True, index=published.index)
    for key, wanted in where.items():
        mask &= published[key].astype(str).eq(str(wanted))
    rows = published.loc[mask, column]
    if len(rows) != 1:
        raise KeyError(f"{len(rows)} rows match {where} (column {column}); expected one")
    return rows.iloc[0]


def change(current: object, previous: object, kind: str = "count") -> str:
    """:func:`analysis.narrative.change_phrase` that also reads suppressed (``"c"``) figures."""
    from analysis.narrative import change_phrase

    if current == "c" or previous == "c":
        return "with no comparison shown (small numbers are suppressed)"
    return change_phrase(current, previous, kind)


def top_code(published: pd.DataFrame, period: str, column: str = "count") -> pd.Series:
    """The row with the largest ``column`` in ``period`` (suppressed cells never win).

    Parameters
    ----------
    published
        A published tidy table with ``period`` and ``code``.
    period
        The period to look in.
    column
        The column to rank on.

    Returns
    -------
    pandas.Series
        The winning row (first in table order on a tie; the first row when every cell is
        suppressed).
    """
    rows = published.loc[published["period"].astype(str).eq(str(period))]
    if rows.empty:
        raise KeyError(f"no rows for period {period}")
    ranked = pd.to_numeric(rows[column], errors="coerce")
    if ranked.isna().all():
        return rows.iloc[0]
    return rows.loc[ranked.idxmax()]
