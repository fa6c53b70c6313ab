"""Comparisons: this year against last, the LA against published comparators.

Tables are published tidy (one row per period, or per area and year, and category) so that the
previous-year figures of one report are checkable against the previous report; the reader sees
them side by side (:func:`side_by_side`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from analysis.dates import DateLike, to_timestamp

__all__ = [
    "THIS_REPORT",
    "DFE_PUBLISHED",
    "period_label",
    "previous_period",
    "by_period",
    "by_year_end",
    "side_by_side",
    "with_published",
    "rate_comparison",
    "year_ends_covered",
    "cla_by_year_end",
    "with_indicators",
    "chart_series",
    "latest_comparators",
]

#: ``source`` of figures calculated from the returns by this report.
THIS_REPORT = "This report"
#: ``source`` of figures published by DfE.
DFE_PUBLISHED = "DfE published"


def period_label(period_start: DateLike, period_end: DateLike) -> str:
    """Short label of a period: ``"2023-24"`` for 1 April 2023 to 31 March 2024.

    A period that is not 1 April to 31 March is labelled by its months
    (``"Apr 2024 to Sep 2024"``).
    """
    ps, pe = to_timestamp(period_start), to_timestamp(period_end)
    if (ps.month, ps.day, pe.month, pe.day) == (4, 1, 3, 31) and pe.year == ps.year + 1:
        return f"{ps.year}-{str(pe.year)[-2:]}"
    return f"{ps:%b %Y} to {pe:%b %Y}"


def previous_period(
    period_start: DateLike, period_end: DateLike
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The same period one year earlier (31 March stays 31 March; 29 February moves to 28th)."""
    return (
        to_timestamp(period_start) - pd.DateOffset(years=1),
        to_timestamp(period_end) - pd.DateOffset(years=1),
    )


def by_period(
    make: Callable[[pd.Timestamp, pd.Timestamp], pd.DataFrame],
    periods: Sequence[tuple[DateLike, DateLike]],
) -> pd.DataFrame:
    """Call ``make(start, end)`` for each period and stack the tables with a ``period`` column.

    Parameters
    ----------
    make
        Builds one period's table, e.g. ``lambda s, e: cla.ceased_by_reason(episodes, s, e)``.
    periods
        ``(start, end)`` pairs, earliest first (the order of the rows).

    Returns
    -------
    pandas.DataFrame
        ``period`` (:func:`period_label`) first, then the columns of ``make``'s tables.
    """
    parts = []
    for start, end in periods:
        table = make(to_timestamp(start), to_timestamp(end)).copy()
        table.insert(0, "period", period_label(start, end))
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def by_year_end(
    make: Callable[[pd.Timestamp], pd.DataFrame], year_ends: Sequence[DateLike]
) -> pd.DataFrame:
    """Call ``make(year_end)`` for each date and stack the tables with ``year_ending`` (int)."""
    parts = []
    for end in year_ends:
        table = make(to_timestamp(end)).copy()
        table.insert(0, "year_ending", to_timestamp(end).year)
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def side_by_side(
    table: pd.DataFrame,
    index: Sequence[str],
    columns: Sequence[str],
    values: Sequence[str],
    labels: Mapping[str, str] | None = None,
    order: Sequence[object] | None = None,
) -> pd.DataFrame:
    """The reader's view of a tidy table: one row per ``index``, one column per period/area.

    Columns are ordered value first, then the ``columns`` combinations in order of appearance
    (the published report's "2022-23 (count), 2023-24 (count), 2022-23 (%), 2023-24 (%)").
    Each is named ``"<label> <column values>"``, e.g. ``"Number 2023-24"``. Suppressed cells
    (``"c"``) pass through; a combination with no row is empty.

    Parameters
    ----------
    table
        A tidy (published) table.
    index
        Columns identifying a row of the view (e.g. ``["code"]``), in order of appearance.
    columns
        Columns spread across (e.g. ``["period"]`` or ``["area", "year_ending"]``).
    values
        Value columns to show (e.g. ``["count", "percent"]``).
    labels
        Display names of the value columns (default: ``count`` -> "Number", ``percent`` -> "%").
    order
        Order of the spread columns (values of ``columns``; tuples when there are several),
        e.g. the years in order when the first rows do not have every year. Default: order of
        appearance.
    """
    names = {"count": "Number", "percent": "%", **(labels or {})}
    if columns:
        keys = list(dict.fromkeys(tuple(r) for r in table[list(columns)].itertuples(index=False)))
    else:
        keys = [()]
    if order is not None:
        wanted = [k if isinstance(k, tuple) else (k,) for k in order]
        keys = [k for k in wanted if k in keys] + [k for k in keys if k not in wanted]
    rows = list(dict.fromkeys(tuple(r) for r in table[list(index)].itertuples(index=False)))
    view = pd.DataFrame(rows, columns=list(index))
    identity = [tuple(r) for r in table[[*index, *columns]].itertuples(index=False)]
    for value in values:
        cells = dict(zip(identity, table[value], strict=True))
        for key in keys:
            label = " ".join(t for t in [names.get(value, value), *map(str, key)] if t)
            found = [cells.get((*row, *key)) for row in rows]
            view[label] = pd.Series(
                [None if v is pd.NA or v is pd.NaT else v for v in found], dtype="object"
            )
    return view


def with_published(
    ours: pd.DataFrame, published: pd.DataFrame, area: str, area_types: Sequence[str]
) -> pd.DataFrame:
    """Stack this report's figures for the LA with DfE's published figures for comparators.

    Parameters
    ----------
    ours
        Columns ``year_ending``, ``characteristic``, ``count``, ``percent`` (this report).
    published
        :func:`analysis.reference.cla_characteristics_published` or
        :func:`~analysis.reference.cla_ceased_published` output.
    area
        Name of the LA (for this report's rows).
    area_types
        Published rows to keep (``"region"``, ``"england"``; ``"la"`` adds DfE's own figures for
        the LA). Only the years and characteristics of ``ours`` are kept; "Total" is dropped.

    Returns
    -------
    pandas.DataFrame
        Columns ``year_ending``, ``area``, ``source`` (:data:`THIS_REPORT` or
        :data:`DFE_PUBLISHED`), ``characteristic``, ``count``, ``percent``; this report's rows
        first, then the comparators in ``area_types`` order.
    """
    mine = ours.assign(area=area, source=THIS_REPORT)
    keep = published.loc[
        published["area_type"].isin(area_types)
        & published["year_ending"].isin(ours["year_ending"].unique())
        & published["characteristic"].isin(ours["characteristic"].unique())
    ].copy()
    keep["order"] = keep["area_type"].map({t: i for i, t in enumerate(area_types)})
    keep = keep.sort_values(["order", "year_ending"], kind="stable").assign(source=DFE_PUBLISHED)
    columns = ["year_ending", "area", "source", "characteristic", "count", "percent"]
    out = pd.concat([mine[columns], keep[columns]], ignore_index=True)
    out["count"] = pd.to_numeric(out["count"], errors="coerce").astype("Int64")
    out["percent"] = pd.to_numeric(out["percent"], errors="coerce").astype("float64")
    return out


def rate_comparison(ours: pd.DataFrame, published: pd.DataFrame, area: str) -> pd.DataFrame:
    """Children looked after and rate per 10,000: this report's figures and DfE's, by year.

    Parameters
    ----------
    ours
        Columns ``year_ending``, ``children_count``, ``rate_per_10k`` (calculated from the
        returns, for the years they cover).
    published
        :func:`analysis.reference.cla_rate_comparison` (LA, region, England, neighbours).
    area
        Name of the LA.

    Returns
    -------
    pandas.DataFrame
        Columns ``year_ending``, ``area``, ``source``, ``children_count``, ``rate_per_10k``:
        this report's rows, then DfE's for the LA, region, England and the neighbours' mean.
    """
    mine = ours.assign(area=area, source=THIS_REPORT)
    theirs = published.assign(source=DFE_PUBLISHED)
    columns = ["year_ending", "area", "source", "children_count", "rate_per_10k"]
    out = pd.concat([mine[columns], theirs[columns]], ignore_index=True)
    out["year_ending"] = out["year_ending"].astype("int64")
    out["children_count"] = pd.to_numeric(out["children_count"], errors="coerce").astype("Int64")
    out["rate_per_10k"] = pd.to_numeric(out["rate_per_10k"], errors="coerce").astype("float64")
    return out


def year_ends_covered(collection_years: Sequence[str], first: int, last: int) -> list[int]:
    """Years ending 31 March, from ``first`` to ``last``, for which a return was supplied.

    A return for collection year ``"2022-23"`` covers the year ending 31 March 2023.
    """
    covered = {int(y.split("-")[0]) + 1 for y in collection_years}
    return [y for y in range(first, last + 1) if y in covered]


def cla_by_year_end(
    episodes: pd.DataFrame, year_ends: Sequence[int], population: Callable[[int], float]
) -> pd.DataFrame:
    """Children looked after at 31 March of each year and the rate per 10,000.

    Counts as :func:`~analysis.cla.cla_count_at`; ``population(year)`` gives the 0-17 population
    DfE used for the year ending 31 March ``year`` (:func:`analysis.reference.population_0_17`).

    Returns
    -------
    pandas.DataFrame
        Columns ``year_ending``, ``children_count`` (int64), ``rate_per_10k`` (float).
    """
    from analysis.cla.looked_after import cla_count_at, rate_per_10k

    years = [int(y) for y in year_ends]
    counts = [cla_count_at(episodes, pd.Timestamp(year=y, month=3, day=31)) for y in years]
    return pd.DataFrame(
        {
            "year_ending": pd.Series(years, dtype="int64"),
            "children_count": pd.Series(counts, dtype="int64"),
            "rate_per_10k": [
                rate_per_10k(n, population(y)) for n, y in zip(counts, years, strict=True)
            ],
        }
    )


def with_indicators(
    ours: pd.DataFrame, indicators: Mapping[str, pd.DataFrame], area: str
) -> pd.DataFrame:
    """Stack this report's measures with published LAIT values of the same measures.

    Parameters
    ----------
    ours
        Columns ``year_ending``, ``measure``, ``count``, ``denominator``, ``percent``.
    indicators
        ``measure -> analysis.reference.lait_comparison(...)`` output (LA, region, England and
        statistical neighbours; values are percentages).
    area
        Name of the LA (for this report's rows).

    Returns
    -------
    pandas.DataFrame
        Columns ``year_ending``, ``area``, ``source``, ``measure``, ``count``, ``denominator``,
        ``percent``; published rows have no count or denominator. Rows are grouped by measure
        (in the order of ``ours``), this report's row first within each.
    """
    columns = ["year_ending", "area", "source", "measure", "count", "denominator", "percent"]
    parts = [ours.assign(area=area, source=THIS_REPORT)[columns]]
    for measure, published in indicators.items():
        missing = pd.array([pd.NA] * len(published), dtype="Int64")
        parts.append(
            pd.DataFrame(
                {
                    "year_ending": published["year_ending"].astype("int64").to_numpy(),
                    "area": published["area"].to_numpy(),
                    "source": DFE_PUBLISHED,
                    "measure": measure,
                    "count": missing,
                    "denominator": missing,
                    "percent": published["value"].astype("float64").to_numpy(),
                }
            )
        )
    typed = []
    for part in parts:
        part = part.copy()
        part["year_ending"] = part["year_ending"].astype("int64")
        for column in ("count", "denominator"):
            part[column] = pd.to_numeric(part[column], errors="coerce").astype("Int64")
        part["percent"] = pd.to_numeric(part["percent"], errors="coerce").astype("float64")
        typed.append(part)
    out = pd.concat(typed, ignore_index=True)
    order = {m: i for i, m in enumerate(dict.fromkeys([*ours["measure"], *indicators]))}
    out = out.sort_values("measure", key=lambda m: m.map(order), kind="stable")
    return out.reset_index(drop=True)


def chart_series(
    table: pd.DataFrame, x: str, x_values: Sequence[object], keys: Sequence[str], value: str
) -> dict[str, list[float]]:
    """Series for a line or bar chart from a tidy (published) table, one per ``keys`` combination.

    A series is named by its key values joined with ", " (a key whose value is the same for
    every row of the table is left out of the names). Values are numbers, NaN where missing or
    suppressed, in the order of ``x_values``.
    """
    varying = [k for k in keys if table[k].nunique() > 1] or list(keys[:1])
    series: dict[str, list[float]] = {}
    for combo, rows in table.groupby(list(keys), sort=False):
        combo = combo if isinstance(combo, tuple) else (combo,)
        named = dict(zip(keys, combo, strict=True))
        label = ", ".join(str(named[k]) for k in varying)
        values = pd.to_numeric(rows.set_index(x)[value], errors="coerce")
        series[label] = [float(values.get(v, float("nan"))) for v in x_values]
    return series


def latest_comparators(table: pd.DataFrame, year_ending: int) -> pd.DataFrame:
    """Rows to show of a comparison table: this report's (every year), DfE's for one year.

    The CSV keeps every published year; the reader's view keeps the table narrow.
    """
    keep = table["source"].eq(THIS_REPORT) | table["year_ending"].astype(int).eq(int(year_ending))
    return table.loc[keep]
