"""Consistency checks: the build fails when the report would contradict itself.

The published IRO report of 2023/24 added "350 + 41" up to 390 ICPCs. Every figure here comes
from code, but two sections can still drift apart (a different date, a different filter). After
the notebooks have run, these checks compare the tables with each other:

- **sums**: a table by code adds up to the headline count it breaks down (children by
  ethnicity, placement type and legal status to the children looked after at the period end;
  ceased by reason to ceased; participation codes and monthly reviews to reviews held; plans by
  category and duration to the plans open; ICPCs by month and by outcome to the ICPCs held);
- **totals across tables**: the same figure in two tables is the same (the last month of the
  monthly table and the period-end count; a summary and its by-period version; the counts
  behind each compared percentage and the section tables; the SPC months of the year and the
  year's totals);
- **percentages**: a percentage column is its count over the table's total;
- **previous year against last year's run**: when last year's run of the same report for the same
  councils is on disk, every figure this run gives for last year (a ``period`` column with the
  year label, or a ``previous_`` column of a comparison table) equals the figure last year's run
  gave for its own year. A revision of last year's data breaks this on purpose: rebuild last
  year's report from the revised data first, so that the two reports agree.

The checks read the unsuppressed copies of the tables that :func:`analysis.tables.publish_table`
writes to a private folder (``<executed_dir>/internal_tables``; see :data:`INTERNAL_DIRNAME`)
while the build runs, since suppressed cells make exact sums impossible. That folder never goes
into the output.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import UserFacingError
from analysis.tables import INTERNAL_TABLES_ENV, load_catalogue

__all__ = [
    "INTERNAL_DIRNAME",
    "Check",
    "ConsistencyError",
    "check_build",
    "internal_tables_env",
    "load_tables",
    "prepare_internal_dir",
    "previous_internal_dir",
    "previous_year_checks",
    "run_checks",
    "summarise",
]

log = logging.getLogger(__name__)

#: Folder, inside the run's executed folder, of the unsuppressed tables.
INTERNAL_DIRNAME = "internal_tables"
RUN_FILE = "run.json"
#: Two figures rounded to 1 dp from the same value are equal; 1e-6 allows for CSV round trips.
SAME = 1e-6
#: A percentage to 1 dp from count / total: within half a unit of the last place.
PCT_TOLERANCE = 0.05 + 1e-6
YEAR_LABEL = re.compile(r"^\d{4}-\d{2}$")
#: A total row: code "Total", "All ICPCs", ..., or month "Year" / "Total".
TOTAL_ROW = re.compile(r"^(total|all\b|year$)", re.IGNORECASE)
#: Columns whose value marks a total row.
LABEL_COLUMNS = ("code", "month", "month_end")


class ConsistencyError(UserFacingError):
    """The report's tables contradict each other; the message lists the failed checks."""


@dataclass(frozen=True)
class Check:
    """The outcome of one check: passed, failed, or skipped (a table was not produced)."""

    name: str
    status: str  # "passed", "failed" or "skipped"
    detail: str = ""

    @property
    def failed(self) -> bool:
        """True for a failed check."""
        return self.status == "failed"


# ---------------------------------------------------------------------------------------------
# reading tables
# ---------------------------------------------------------------------------------------------
def load_tables(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Every ``<table_id>.csv`` in ``folder`` (``period`` and ``code`` kept as text)."""
    folder = Path(folder)
    tables = {}
    for path in sorted(folder.glob("*.csv")):
        tables[path.stem] = pd.read_csv(
            path, dtype={"period": str, "code": str, "measure": str, "month": str}
        )
    return tables


class _Tables:
    """Accessors over one run's tables, restricted to the report year where a table has years."""

    def __init__(
        self,
        tables: dict[str, pd.DataFrame],
        period_label: str | None,
        period_months: list[str] | None = None,
    ) -> None:
        self.tables, self.period_label = tables, period_label
        self.period_months = period_months or []

    def has(self, *ids: str) -> bool:
        return all(i in self.tables for i in ids)

    def current(self, table_id: str) -> pd.DataFrame:
        """The table's rows for the report year (all rows when it has no ``period`` column)."""
        df = self.tables[table_id]
        if "period" in df.columns and self.period_label is not None:
            years = df["period"].astype(str)
            if years.str.match(YEAR_LABEL).any():
                df = df.loc[years == self.period_label]
        return df

    @staticmethod
    def _is_total(df: pd.DataFrame) -> pd.Series:
        flag = pd.Series(False, index=df.index)
        for column in LABEL_COLUMNS:
            if column in df.columns:
                flag |= df[column].astype(str).str.match(TOTAL_ROW)
        return flag

    def parts(self, table_id: str) -> pd.DataFrame:
        """Report-year rows without a total row (code "Total", "All ...", month "Year")."""
        df = self.current(table_id)
        return df.loc[~self._is_total(df)]

    def total_row(self, table_id: str, column: str = "count") -> float | None:
        df = self.current(table_id)
        rows = df.loc[self._is_total(df), column]
        return float(rows.iloc[0]) if len(rows) else None

    def total(self, table_id: str, column: str) -> float:
        return float(pd.to_numeric(self.parts(table_id)[column]).sum())

    def measure(self, table_id: str, name: str) -> float:
        df = self.current(table_id)
        rows = df.loc[df["measure"] == name, "value"]
        if rows.empty:
            raise KeyError(f"{table_id} has no measure {name}")
        return float(rows.iloc[0])

    def row(self, table_id: str, key: str, value: str) -> pd.Series:
        df = self.current(table_id)
        rows = df.loc[df[key].astype(str) == value]
        if rows.empty:
            raise KeyError(f"{table_id} has no {key} {value}")
        return rows.iloc[0]


def _fmt(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "blank"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _equal(name: str, left: tuple[str, float], right: tuple[str, float], tol: float) -> Check:
    (lname, lvalue), (rname, rvalue) = left, right
    both_blank = _blank(lvalue) and _blank(rvalue)
    if both_blank or (not _blank(lvalue) and not _blank(rvalue) and abs(lvalue - rvalue) <= tol):
        return Check(name, "passed")
    return Check(name, "failed", f"{lname} is {_fmt(lvalue)} but {rname} is {_fmt(rvalue)}")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# ---------------------------------------------------------------------------------------------
# checks within one run
# ---------------------------------------------------------------------------------------------
#: (table, column, summary table, measure): the table's report-year rows add up to the measure.
SUM_CHECKS: tuple[tuple[str, str, str, str], ...] = (
    ("cla_by_ethnicity", "count", "cla_summary", "cla_count"),
    ("cla_ethnicity_population_groups", "count", "cla_summary", "cla_count"),
    ("cla_ethnicity_population_detailed", "count", "cla_summary", "cla_count"),
    ("cla_placement_type", "count", "cla_summary", "cla_count"),
    ("cla_legal_status", "count", "cla_summary", "cla_count"),
    ("cla_ceased_by_reason", "count", "cla_summary", "ceased_count"),
    ("cla_started_by_need", "count", "cla_summary", "started_count"),
    ("cla_review_participation", "count", "cla_summary", "reviews_held"),
    ("cla_review_timeliness_monthly", "reviews", "cla_summary", "reviews_held"),
    ("cp_by_category", "count", "cp_summary", "cp_plans_count"),
    ("cp_duration", "count", "cp_summary", "cp_plans_count"),
    ("cp_icpc_monthly", "icpcs", "cp_summary", "icpc_count"),
    ("cp_icpc_outcomes", "count", "cp_summary", "icpc_count"),
)

#: (table, group column, column, summary table, measure): within each group (e.g. sex, age
#: band) the report year's rows add up to the measure.
GROUPED_SUM_CHECKS: tuple[tuple[str, str, str, str, str], ...] = (
    ("cla_by_sex_age", "group", "count", "cla_summary", "cla_count"),
    ("cla_started_by_sex_age", "group", "count", "cla_summary", "started_count"),
    ("cla_ceased_by_sex_age", "group", "count", "cla_summary", "ceased_count"),
)

#: (comparison measure, side, table, column or measure): the counts behind a compared
#: percentage equal the section's own figure (side "count" or "total"; a column is summed over
#: the report year, a name in a summary table is its measure).
PROPORTION_LINKS: tuple[tuple[str, str, str, str], ...] = (
    ("reviews_in_timescale", "count", "cla_review_timeliness_monthly", "in_time"),
    ("views_conveyed", "total", "cla_summary", "reviews_held"),
    ("short_term_stability", "total", "cla_summary", "cla_count"),
    ("icpc_within_15_days", "total", "cp_summary", "icpc_count"),
    ("icpc_within_15_days", "count", "cp_icpc_monthly", "within_15_days"),
    ("icpc_no_plan", "count", "cp_summary", "icpc_no_plan_count"),
    ("second_subsequent_plans", "count", "cp_summary", "second_subsequent_count"),
    ("second_subsequent_plans", "total", "cp_summary", "plans_started_count"),
    ("review_conferences_in_timescale", "total", "cp_review_conference_monthly", "reviews"),
    ("review_conferences_in_timescale", "count", "cp_review_conference_monthly", "in_time"),
    ("review_conferences_in_timescale", "total", "cp_review_conferences_by_period", "reviews"),
    ("review_conferences_in_timescale", "count", "cp_review_conferences_by_period", "in_time"),
    ("views_conveyed", "total", "cla_views_conveyed", "reviews_held"),
    ("views_conveyed", "count", "cla_views_conveyed", "views_conveyed"),
)

#: (comparison measure, summary table, percentage measure).
PROPORTION_PCTS: tuple[tuple[str, str, str], ...] = (
    ("reviews_in_timescale", "cla_summary", "reviews_in_timescale_pct"),
    ("short_term_stability", "cla_summary", "short_term_stability_pct"),
    ("long_term_stability", "cla_summary", "long_term_stability_pct"),
    ("icpc_within_15_days", "cp_summary", "icpc_within_15_days_pct"),
    ("second_subsequent_plans", "cp_summary", "second_subsequent_pct"),
)

#: SPC series -> comparison measure whose report-year counts its months add up to.
SPC_LINKS: dict[str, str] = {
    "cla_reviews": "reviews_in_timescale",
    "icpc": "icpc_within_15_days",
    "rcpc": "review_conferences_in_timescale",
}

#: (table with a ``period`` column, summary): the report year's measures are the summary's.
BY_PERIOD: tuple[tuple[str, str], ...] = (
    ("cla_summary_by_period", "cla_summary"),
    ("cp_summary_by_period", "cp_summary"),
    ("trend_key_figures", "cla_summary"),
    ("trend_key_figures", "cp_summary"),
)

#: Tables with a percentage of the table's own total in ``percent`` (``count`` / sum).
PERCENT_OF_TOTAL: tuple[str, ...] = (
    "cla_by_ethnicity",
    "cla_placement_type",
    "cla_legal_status",
    "cla_ceased_by_reason",
    "cla_started_by_need",
    "cla_review_participation",
    "cp_by_category",
    "cp_duration",
    "cp_icpc_outcomes",
)


def _sum_checks(t: _Tables) -> list[Check]:
    out = []
    for table, column, summary, measure in SUM_CHECKS:
        name = f"{table} adds up to {summary} {measure}"
        if not t.has(table, summary):
            out.append(Check(name, "skipped", "table not produced"))
            continue
        parts = (f"the {table} rows", t.total(table, column))
        out.append(_equal(name, parts, (f"{summary} {measure}", t.measure(summary, measure)), SAME))
        total = t.total_row(table, column)
        if total is not None:
            out.append(
                _equal(f"{table} rows add up to its total row", parts, ("the total row", total), 0)
            )
    return out


def _grouped_sum_checks(t: _Tables) -> list[Check]:
    out = []
    for table, group, column, summary, measure in GROUPED_SUM_CHECKS:
        name = f"{table} adds up to {summary} {measure} in every {group}"
        if not t.has(table, summary):
            out.append(Check(name, "skipped", "table not produced"))
            continue
        target = t.measure(summary, measure)
        parts = t.parts(table)
        for key, rows in parts.groupby(group, sort=False):
            out.append(
                _equal(
                    f"{table} {key} adds up to {summary} {measure}",
                    (f"the {table} {key} rows", float(pd.to_numeric(rows[column]).sum())),
                    (f"{summary} {measure}", target),
                    SAME,
                )
            )
    return out


def _percent_checks(t: _Tables) -> list[Check]:
    out = []
    for table in PERCENT_OF_TOTAL:
        name = f"{table} percentages are count / total"
        if not t.has(table):
            out.append(Check(name, "skipped", "table not produced"))
            continue
        parts = t.parts(table)
        total = float(pd.to_numeric(parts["count"]).sum())
        if not total:
            out.append(Check(name, "passed"))
            continue
        expected = 100 * pd.to_numeric(parts["count"]) / total
        actual = pd.to_numeric(parts["percent"])
        bad = (expected - actual).abs() > PCT_TOLERANCE
        if bad.any():
            i = bad.idxmax()
            code = parts.loc[i, "code"] if "code" in parts.columns else i
            detail = f"{code}: {_fmt(actual[i])}% shown, {expected[i]:.2f}% from the counts"
            out.append(Check(name, "failed", detail))
        else:
            out.append(Check(name, "passed"))
    return out


def _cross_table_checks(t: _Tables) -> list[Check]:
    out = []
    name = "cla_monthly last month equals cla_summary cla_count"
    if t.has("cla_monthly", "cla_summary"):
        last = float(t.parts("cla_monthly")["count"].iloc[-1])
        cla = t.measure("cla_summary", "cla_count")
        out.append(_equal(name, ("the last month", last), ("cla_summary cla_count", cla), SAME))
    else:
        out.append(Check(name, "skipped", "table not produced"))

    name = "cp_icpc_outcomes other than a CP plan equal cp_summary icpc_no_plan_count"
    if t.has("cp_icpc_outcomes", "cp_summary"):
        parts = t.parts("cp_icpc_outcomes")
        no_plan = float(parts.loc[parts["code"] != "CP plan", "count"].sum())
        summary = t.measure("cp_summary", "icpc_no_plan_count")
        out.append(_equal(name, ("outcomes", no_plan), ("icpc_no_plan_count", summary), SAME))
    else:
        out.append(Check(name, "skipped", "table not produced"))

    name = "cp_duration_monthly last month equals cp_summary"
    if t.has("cp_duration_monthly", "cp_summary"):
        last = t.parts("cp_duration_monthly").iloc[-1]
        for column, measure in (
            ("open_plans", "cp_plans_count"),
            ("months_15_plus", "plans_15_months_plus_count"),
            ("months_24_plus", "plans_24_months_plus_count"),
        ):
            out.append(
                _equal(
                    f"cp_duration_monthly last {column} equals cp_summary {measure}",
                    (f"cp_duration_monthly {column}", float(last[column])),
                    (f"cp_summary {measure}", t.measure("cp_summary", measure)),
                    SAME,
                )
            )
    else:
        out.append(Check(name, "skipped", "table not produced"))

    for by_period_id, summary_id in BY_PERIOD:
        name = f"{by_period_id} report year equals {summary_id}"
        if not t.has(by_period_id, summary_id):
            out.append(Check(name, "skipped", "table not produced"))
            continue
        by_period = t.current(by_period_id).set_index("measure")["value"]
        summary = t.current(summary_id).set_index("measure")["value"]
        for measure in summary.index:
            out.append(
                _equal(
                    f"{by_period_id} {measure} equals {summary_id}",
                    (by_period_id, float(by_period.get(measure, math.nan))),
                    (summary_id, float(summary[measure])),
                    SAME,
                )
            )
    out += _proportion_checks(t)
    out += _spc_checks(t)
    return out


def _proportion_checks(t: _Tables) -> list[Check]:
    out: list[Check] = []
    if not t.has("trend_proportions"):
        return [Check("trend_proportions agrees with the sections", "skipped", "not produced")]
    props = t.current("trend_proportions").set_index("measure")
    for measure, side, table, source in PROPORTION_LINKS:
        name = f"trend_proportions {measure} {side} equals {table} {source}"
        if measure not in props.index or not t.has(table):
            out.append(Check(name, "skipped", "table or measure not produced"))
            continue
        frame = t.current(table)
        value = t.measure(table, source) if "measure" in frame.columns else t.total(table, source)
        mine = float(props.loc[measure, f"current_{side}"])
        out.append(_equal(name, ("trend_proportions", mine), (f"{table} {source}", value), SAME))
    for measure, table, pct in PROPORTION_PCTS:
        name = f"trend_proportions {measure} % equals {table} {pct}"
        if measure not in props.index or not t.has(table):
            out.append(Check(name, "skipped", "table or measure not produced"))
            continue
        mine = float(props.loc[measure, "current_pct"])
        out.append(_equal(name, ("trend_proportions", mine), (table, t.measure(table, pct)), SAME))
    return out


def _spc_checks(t: _Tables) -> list[Check]:
    if not t.has("spc_timeliness_monthly", "trend_proportions"):
        return [Check("spc_timeliness_monthly agrees with the year", "skipped", "not produced")]
    out = []
    spc = t.tables["spc_timeliness_monthly"]
    props = t.current("trend_proportions").set_index("measure")
    months = t.period_months
    for series, measure in SPC_LINKS.items():
        rows = spc.loc[(spc["series"] == series) & spc["month"].isin(months)]
        if rows.empty or measure not in props.index:
            out.append(Check(f"spc {series} agrees with {measure}", "skipped", "not produced"))
            continue
        for side, column in (("count", "numerator"), ("total", "denominator")):
            out.append(
                _equal(
                    f"spc_timeliness_monthly {series} {column}s of the year equal "
                    f"trend_proportions {measure} {side}",
                    ("the months of the year", float(rows[column].sum())),
                    ("trend_proportions", float(props.loc[measure, f"current_{side}"])),
                    SAME,
                )
            )
    return out


def run_checks(
    tables: dict[str, pd.DataFrame],
    period_label: str | None = None,
    period_months: list[str] | None = None,
) -> list[Check]:
    """Run every check within one run's tables.

    Parameters
    ----------
    tables
        Unsuppressed tables by id (:func:`load_tables`).
    period_label
        The report year (``2023-24``): rows of tables with a ``period`` column holding year
        labels are restricted to it.
    period_months
        The ``month`` labels of the report year in ``spc_timeliness_monthly`` (``Apr-23``...).

    Returns
    -------
    list of Check
    """
    t = _Tables(tables, period_label, period_months)
    return [
        *_sum_checks(t),
        *_grouped_sum_checks(t),
        *_percent_checks(t),
        *_cross_table_checks(t),
    ]


# ---------------------------------------------------------------------------------------------
# previous year against last year's run
# ---------------------------------------------------------------------------------------------
#: Columns naming the year of a row, with the form of a year label: ``period`` (``2023-24``)
#: and ``year_ending`` (``2024``, the year ending 31 March).
YEAR_COLUMNS: dict[str, re.Pattern[str]] = {
    "period": YEAR_LABEL,
    "year_ending": re.compile(r"^\d{4}$"),
}

#: Comparison tables in wide form: table id -> key columns; ``previous_X`` this run must equal
#: ``current_X`` of last year's run.
WIDE_COMPARISONS: dict[str, list[str]] = {"trend_proportions": ["measure"]}


def _value_columns(table_id: str, columns: list[str]) -> list[str]:
    spec = load_catalogue().get(table_id)
    declared = set()
    if spec is not None:
        declared = set(spec.count_columns + spec.percent_columns + spec.rate_columns)
    declared.add("value")
    return [c for c in columns if c in declared]


def _compare_rows(
    name: str,
    mine: pd.DataFrame,
    theirs: pd.DataFrame,
    keys: list[str],
    pairs: list[tuple[str, str]],
) -> Check:
    """Rows of ``mine`` against ``theirs`` on ``keys``: column ``a`` of mine equals ``b``."""
    mine = mine.astype({k: str for k in keys})
    theirs = theirs.astype({k: str for k in keys})
    merged = mine.merge(theirs, on=keys, how="outer", suffixes=("_now", "_then"), indicator=True)
    for _, row in merged.iterrows():
        key = ", ".join(str(row[k]) for k in keys)
        if row["_merge"] != "both":
            # a row of zeros (a code listed for the other year) is the same as no row
            side = "_now" if row["_merge"] == "left_only" else "_then"
            columns = [a if side == "_now" else b for a, b in pairs]
            values = [row.get(f"{c}{side}", row.get(c)) for c in columns]
            numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
            if numbers.fillna(0).eq(0).all():
                continue
            where = "this run" if side == "_now" else "last year's run"
            return Check(name, "failed", f"{key} is only in {where}")
        for a, b in pairs:
            now = row[f"{a}_now"] if f"{a}_now" in row else row[a]
            then = row[f"{b}_then"] if f"{b}_then" in row else row[b]
            now, then = pd.to_numeric(now, errors="coerce"), pd.to_numeric(then, errors="coerce")
            if _blank(now) and _blank(then):
                continue
            if _blank(now) or _blank(then) or abs(float(now) - float(then)) > SAME:
                return Check(
                    name,
                    "failed",
                    f"{key} {a}: {_fmt(now)} this run, {_fmt(then)} in last year's run",
                )
    return Check(name, "passed")


def previous_year_checks(
    tables: dict[str, pd.DataFrame], previous: dict[str, pd.DataFrame], previous_label: str
) -> list[Check]:
    """Every figure this run gives for last year equals the one last year's run gave.

    Parameters
    ----------
    tables
        This run's unsuppressed tables.
    previous
        Last year's run's unsuppressed tables.
    previous_label
        Last year's label (``2022-23``).

    Returns
    -------
    list of Check
        One per table with a ``period`` column holding year labels, or a ``year_ending`` column
        (rows of every year in both runs compared on their other non-value columns), and one
        per wide comparison table of :data:`WIDE_COMPARISONS`.
    """
    out = []
    for table_id, df in sorted(tables.items()):
        if table_id not in previous:
            continue
        old = previous[table_id]
        if list(df.columns) != list(old.columns) and table_id not in WIDE_COMPARISONS:
            # the suite changed the table's layout since last year: nothing to compare
            out.append(
                Check(
                    f"{table_id} equals last year's run",
                    "skipped",
                    "columns differ from last year's run",
                )
            )
            continue
        year_column = next((c for c in YEAR_COLUMNS if c in df.columns and c in old.columns), None)
        if year_column is not None:
            pattern = YEAR_COLUMNS[year_column]
            years = sorted(
                y
                for y in set(df[year_column].astype(str)) & set(old[year_column].astype(str))
                if pattern.match(y)
            )
            if not years:
                continue
            values = _value_columns(table_id, list(df.columns))
            keys = [c for c in df.columns if c not in values]
            mine = df.loc[df[year_column].astype(str).isin(years)]
            theirs = old.loc[old[year_column].astype(str).isin(years)]
            name = f"{table_id} for {', '.join(years)} equals last year's run"
            out.append(_compare_rows(name, mine, theirs, keys, [(v, v) for v in values]))
        elif table_id in WIDE_COMPARISONS:
            keys = WIDE_COMPARISONS[table_id]
            pairs = [
                (c, "current_" + c.removeprefix("previous_"))
                for c in df.columns
                if c.startswith("previous_") and "current_" + c.removeprefix("previous_") in old
            ]
            mine = df[keys + [a for a, _ in pairs]]
            theirs = old[keys + [b for _, b in pairs]]
            name = f"{table_id} previous year ({previous_label}) equals last year's run"
            out.append(_compare_rows(name, mine, theirs, keys, pairs))
    return out


# ---------------------------------------------------------------------------------------------
# the build
# ---------------------------------------------------------------------------------------------
@contextlib.contextmanager
def internal_tables_env(folder: Path | None) -> Iterator[None]:
    """Set :data:`analysis.tables.INTERNAL_TABLES_ENV` while the notebooks run (``None``: no-op)."""
    if folder is None:
        yield
        return
    before = os.environ.get(INTERNAL_TABLES_ENV)
    os.environ[INTERNAL_TABLES_ENV] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(INTERNAL_TABLES_ENV, None)
        else:
            os.environ[INTERNAL_TABLES_ENV] = before


def _run_record(params) -> dict[str, object]:
    return {
        "report": params.report,
        "la_codes": list(params.la_codes),
        "period_start": params.period_start.isoformat(),
        "period_end": params.period_end.isoformat(),
        "period_label": params.period_label,
    }


def prepare_internal_dir(params) -> Path:
    """Empty the run's internal tables folder and record which run it belongs to."""
    import shutil

    folder = params.executed_dir / INTERNAL_DIRNAME
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / RUN_FILE).write_text(json.dumps(_run_record(params), indent=2) + "\n")
    return folder


def _previous_params(params):
    """The same run one year earlier (dates moved back a year)."""
    return dataclasses.replace(
        params,
        period_start=params.period_start.replace(year=params.period_start.year - 1),
        period_end=(pd.Timestamp(params.period_end) - pd.DateOffset(years=1)).date(),
    )


def previous_internal_dir(params) -> Path | None:
    """Last year's internal tables for the same report and councils, when on disk.

    Runs are found by their executed folders: this run's folder is named by its period label
    (``build/executed/iro-annual/2023-24``), and last year's is its sibling
    (``.../2022-23``). Its ``run.json`` must show the same report, councils and last year's
    period.
    """
    previous = _previous_params(params)
    if params.executed_dir.name != params.period_label:
        return None
    folder = params.executed_dir.parent / previous.period_label / INTERNAL_DIRNAME
    record = folder / RUN_FILE
    if not record.is_file():
        return None
    found = json.loads(record.read_text())
    expected = _run_record(previous)
    if any(found.get(k) != expected[k] for k in ("report", "la_codes", "period_end")):
        log.info("last year's run in %s is of another report or area: not compared", folder)
        return None
    return folder


def summarise(checks: list[Check]) -> str:
    """One line: how many checks failed, and which."""
    failed = [c for c in checks if c.failed]
    ran = [c for c in checks if c.status != "skipped"]
    listed = "; ".join(f"{c.name} ({c.detail})" for c in failed)
    return f"consistency checks failed ({len(failed)} of {len(ran)}): {listed}"


def check_build(params) -> list[Check]:
    """Run the checks on a finished run; raise :class:`ConsistencyError` when one fails.

    Writes every outcome to ``<executed_dir>/internal_tables/consistency.csv``.
    """
    folder = params.executed_dir / INTERNAL_DIRNAME
    tables = load_tables(folder)
    months = [
        f"{m:%b-%y}" for m in pd.date_range(params.period_start, params.period_end, freq="MS")
    ]
    checks = run_checks(tables, params.period_label, months)
    previous_folder = previous_internal_dir(params)
    if previous_folder is not None:
        label = _previous_params(params).period_label
        checks += previous_year_checks(tables, load_tables(previous_folder), label)
        log.info("compared with last year's run in %s", previous_folder)
    else:
        log.info("no run of last year on disk: previous-year figures not compared with it")
    pd.DataFrame([dataclasses.asdict(c) for c in checks]).to_csv(
        folder / "consistency.csv", index=False, lineterminator="\n"
    )
    counts = {s: sum(c.status == s for c in checks) for s in ("passed", "failed", "skipped")}
    log.info(
        "consistency checks: %(passed)d passed, %(failed)d failed, %(skipped)d skipped", counts
    )
    for c in checks:
        if c.status == "skipped":
            log.debug("skipped: %s (%s)", c.name, c.detail)
    if counts["failed"]:
        raise ConsistencyError(summarise(checks))
    return checks
