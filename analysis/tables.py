"""Output tables: the catalogue, disclosure control and writing tables as data.

Every table in a report is also written to ``OUTPUT_DIR/tables/<id>.csv`` with the columns fixed
in ``reports/catalogue.yml``. Counts are integers and percentages numbers 0-100 (no ``%`` sign),
rounded to one decimal place (DESIGN section 5, "Rounding").

Disclosure control (DESIGN section 5), one function for every report and output format
(:func:`suppress`, applied by :func:`publish_table`). In ``public`` mode:

1. **primary suppression**: counts of 1 to 5 are replaced by ``c`` (DfE convention; 0 is shown);
2. **secondary suppression**: where a group of cells adds up to a total that a reader can see
   (a total row, or the percentages, which give the total away), a group with a single ``c``
   would let the reader recover it by subtraction, so the smallest non-zero unsuppressed cell
   of the group is suppressed too (ties: the first in the table). Zeros are never chosen, as in
   DfE and GSS practice: a suppressed zero is easily guessed and protects nothing. When no such
   cell is left, the group's total is suppressed. Groups with two or more ``c`` cells whose
   values are still forced (all small cells at 1, or all at 5, against the total) get one more.
   Groups come from the catalogue (``disclosure_groups``) and a cell may be in several groups
   (rows and columns); the rule is applied until no group changes;
3. a percentage or rate is suppressed with the count it is computed from (``percent_columns``,
   ``rate_columns``, and ``suppress_with`` for measure tables).

``internal`` outputs show small numbers. docs/data_protection.md explains the choices.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.paths import CATALOGUE
from analysis.yamldata import load_yaml

log = logging.getLogger(__name__)

SUPPRESSED = "c"
SMALL_MIN, SMALL_MAX = 1, 5
DISCLOSURE_MODES = ("public", "internal")


@dataclass(frozen=True)
class TableSpec:
    """One catalogue entry: a published table's id, columns and disclosure rules."""

    id: str
    title: str
    columns: list[str]
    count_columns: list[str] = field(default_factory=list)
    percent_columns: list[str] = field(default_factory=list)
    rate_columns: list[str] = field(default_factory=list)
    count_measures: list[str] = field(default_factory=list)
    suppress_with: dict[str, str] = field(default_factory=dict)
    disclosure_groups: list[dict] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    definition: str = ""
    source: str = ""


@lru_cache(maxsize=4)
def load_catalogue(path: Path = CATALOGUE) -> dict[str, TableSpec]:
    """Read the table catalogue (``reports/catalogue.yml``) into :class:`TableSpec` objects."""
    raw = load_yaml(Path(path).read_text(encoding="utf-8"))["tables"]
    return {tid: TableSpec(id=tid, **spec) for tid, spec in raw.items()}


def _number(value: object) -> float:
    """A count as a float; NaN for text (``c``), booleans and missing values."""
    if isinstance(value, bool | str) or value is None or value is pd.NA:
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def is_small(value: object) -> bool:
    """True for a count that public outputs must suppress (1 to 5 inclusive)."""
    number = _number(value)
    return SMALL_MIN <= number <= SMALL_MAX  # False for NaN


Cell = tuple[int, str]  # (row position, column)


@dataclass(frozen=True)
class DisclosureGroup:
    """Cells that add up to a total a reader can see (rows or columns of a table).

    Attributes
    ----------
    members
        The cells that add up.
    total
        The cell holding their total, when the table has one.
    implicit_total
        The total can be worked out from the percentages (a code, count, percent table).
    """

    members: tuple[Cell, ...]
    total: Cell | None = None
    implicit_total: bool = False


def _count_rows(df: pd.DataFrame, spec: TableSpec, column: str) -> pd.Series:
    """Rows whose ``column`` holds a count: all rows, or the count measures of a measure table."""
    if column == "value" and "measure" in df.columns:
        return df["measure"].isin(spec.count_measures)
    return pd.Series(True, index=df.index)


def _is_total(values: pd.Series, wanted: object) -> pd.Series:
    names = [str(w) for w in wanted] if isinstance(wanted, list) else [str(wanted)]
    return values.astype(str).isin(names)


def disclosure_groups(df: pd.DataFrame, spec: TableSpec) -> list[DisclosureGroup]:
    """The groups of cells that add up, from the catalogue's ``disclosure_groups``.

    Two forms of entry:

    - rows that add up: ``cells`` names the count column; optionally ``by`` (columns whose values
      split the rows into separate groups), ``total_row`` (``{column: value}`` or
      ``{column: [values]}``, the row holding each group's total, e.g. ``{la_code: all}``) and
      ``total: implicit`` (the percentages give the total away). In a measure table only the rows
      of count measures take part.
    - columns that add up in every row: ``cells`` is a list of count columns and
      ``total_column`` the column holding their total.
    """
    groups = []
    positions = pd.Series(range(len(df)), index=df.index)
    for conf in spec.disclosure_groups:
        implicit = conf.get("total") == "implicit"
        if isinstance(conf["cells"], list):
            total_col = conf.get("total_column")
            for pos in range(len(df)):
                groups.append(
                    DisclosureGroup(
                        members=tuple((pos, col) for col in conf["cells"]),
                        total=(pos, total_col) if total_col else None,
                        implicit_total=implicit,
                    )
                )
            continue
        column = conf["cells"]
        rows = df[_count_rows(df, spec, column)]
        by = list(conf.get("by", []))
        parts = rows.groupby(by, sort=False, dropna=False) if by else [(None, rows)]
        for _, part in parts:
            is_total = pd.Series(False, index=part.index)
            for col, wanted in (conf.get("total_row") or {}).items():
                is_total = is_total | _is_total(part[col], wanted)
            totals = [(int(positions[i]), column) for i in part.index[is_total]]
            members = tuple((int(positions[i]), column) for i in part.index[~is_total])
            if len(totals) > 1:
                raise ValueError(f"table {spec.id}: more than one total row in a group")
            groups.append(
                DisclosureGroup(
                    members=members,
                    total=totals[0] if totals else None,
                    implicit_total=implicit,
                )
            )
    return groups


def check_disclosure_groups(spec: TableSpec) -> None:
    """Raise ``ValueError`` when a ``disclosure_groups`` entry names a column the table lacks."""
    for conf in spec.disclosure_groups:
        cells = conf["cells"] if isinstance(conf["cells"], list) else [conf["cells"]]
        named = [
            *cells,
            *conf.get("by", []),
            *(conf.get("total_row") or {}),
            *([conf["total_column"]] if conf.get("total_column") else []),
        ]
        unknown = [c for c in named if c not in spec.columns]
        if unknown:
            raise ValueError(f"table {spec.id}: disclosure_groups name unknown columns {unknown}")
        counts = spec.count_columns + (["value"] if spec.count_measures else [])
        if conf.get("total_column"):
            cells = [*cells, conf["total_column"]]
        if any(c not in counts for c in cells):
            raise ValueError(f"table {spec.id}: disclosure_groups cells must be count columns")


def _forced(values: list[float]) -> bool:
    """Whether suppressed cells with a known sum give their values away.

    One cell is its sum. Cells of 1-5 each are forced when they are all 1 or all 5.
    """
    if len(values) == 1:
        return True
    small = all(SMALL_MIN <= v <= SMALL_MAX for v in values)
    return small and sum(values) in (SMALL_MIN * len(values), SMALL_MAX * len(values))


def _complement(
    group: DisclosureGroup, values: dict[Cell, float], hidden: set[Cell]
) -> Cell | None:
    """The cell to suppress next in one group, or None when the group is safe."""
    total_known = group.implicit_total or (group.total is not None and group.total not in hidden)
    if not total_known:
        return None
    suppressed = [c for c in group.members if c in hidden]
    if not suppressed or not _forced([values[c] for c in suppressed]):
        return None
    candidates = [c for c in group.members if c not in hidden and values[c] > 0]
    if candidates:  # the smallest; on a tie, the first in the table
        return min(candidates, key=lambda c: (values[c], c[0]))
    if group.total is not None and group.total not in hidden:
        return group.total
    return None


def secondary_suppression(
    values: dict[Cell, float], primary: set[Cell], groups: list[DisclosureGroup]
) -> set[Cell]:
    """Cells to suppress so that no suppressed cell can be worked out from a visible total.

    Parameters
    ----------
    values
        Value of every cell of the groups.
    primary
        Cells suppressed as small counts.
    groups
        Cells that add up to a visible total (:func:`disclosure_groups`).

    Returns
    -------
    set
        The extra cells to suppress (not including ``primary``). Applied group by group until
        no group changes, so a cell suppressed for a row is taken into account for its column.
    """
    hidden = set(primary)
    changed = True
    while changed:
        changed = False
        for group in groups:
            cell = _complement(group, values, hidden)
            if cell is not None:
                hidden.add(cell)
                changed = True
    return hidden - set(primary)


def suppress(df: pd.DataFrame, spec: TableSpec, disclosure: str) -> pd.DataFrame:
    """Apply primary and secondary suppression, and suppress dependent percentages and rates.

    Parameters
    ----------
    df
        The table with the catalogue's columns.
    spec
        Its catalogue entry.
    disclosure
        ``public`` (suppress) or ``internal`` (return the table unchanged).

    Returns
    -------
    pandas.DataFrame
        A copy with suppressed cells replaced by ``"c"`` (object columns where suppressed).
    """
    if disclosure not in DISCLOSURE_MODES:
        raise ValueError(f"disclosure must be one of {DISCLOSURE_MODES}, not {disclosure!r}")
    out = df.copy()
    if disclosure == "internal":
        return out
    count_cells: list[str] = list(spec.count_columns)
    if spec.count_measures and "measure" in out.columns:
        count_cells.append("value")
    values: dict[Cell, float] = {}
    primary: set[Cell] = set()
    for col in count_cells:
        counts = _count_rows(out, spec, col)
        for pos, (value, is_count) in enumerate(zip(out[col], counts, strict=True)):
            if is_count:
                values[(pos, col)] = _number(value)
                if is_small(value):
                    primary.add((pos, col))
    hidden = primary | secondary_suppression(values, primary, disclosure_groups(out, spec))
    for col in count_cells:
        rows = [pos for pos, c in hidden if c == col]
        if not rows:
            continue
        out[col] = out[col].astype(object)
        out.iloc[rows, out.columns.get_loc(col)] = SUPPRESSED
        if col != "value" or "measure" not in out.columns:
            for dep in spec.percent_columns + spec.rate_columns:
                out[dep] = out[dep].astype(object)
                out.iloc[rows, out.columns.get_loc(dep)] = SUPPRESSED
    if spec.count_measures and "measure" in out.columns and spec.suppress_with:
        keys = [c for c in out.columns if c not in ("measure", "value")]
        hidden_rows = sorted(pos for pos, c in hidden if c == "value")
        for dependent, base in spec.suppress_with.items():
            base_rows = out.iloc[hidden_rows]
            base_keys = base_rows.loc[base_rows["measure"] == base, keys]
            for _, key in base_keys.iterrows():
                same = (out[keys] == key.values).all(axis=1) if keys else True
                out.loc[same & (out["measure"] == dependent), "value"] = SUPPRESSED
    return out


def round_for_output(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Round percentages, rates and non-count measures to 1 dp; keep counts as integers."""
    out = df.copy()
    for col in spec.percent_columns + spec.rate_columns:
        out[col] = pd.to_numeric(out[col]).round(1)
    for col in spec.count_columns:
        out[col] = pd.to_numeric(out[col]).astype("Int64")
    if "measure" in out.columns and "value" in out.columns:
        values = [
            _as_int(v) if m in spec.count_measures else _round1(v)
            for m, v in zip(out["measure"], out["value"], strict=True)
        ]
        # object dtype, so integer counts stay integers beside the decimal measures
        out["value"] = pd.Series(values, index=out.index, dtype=object)
    return out


def _as_int(value: object) -> object:
    return value if pd.isna(value) else int(value)


def _round1(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return value if pd.isna(value) else round(float(value), 1)


def check_columns(df: pd.DataFrame, spec: TableSpec) -> None:
    """Raise ``ValueError`` unless ``df`` has exactly the catalogue's columns, in order."""
    if list(df.columns) != list(spec.columns):
        raise ValueError(
            f"table {spec.id}: columns {list(df.columns)} differ from the catalogue's "
            f"{list(spec.columns)}"
        )


#: Environment variable naming the private folder for unsuppressed copies of the tables; the
#: build sets it while the notebooks run (see :func:`publish_table`).
INTERNAL_TABLES_ENV = "CSC_INTERNAL_TABLES_DIR"


def publish_table(
    df: pd.DataFrame,
    table_id: str,
    tables_dir: str | Path,
    disclosure: str = "public",
    internal_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Round, suppress and write a table to ``tables_dir/<table_id>.csv``.

    The rounded table before suppression is also written to ``internal_dir/<table_id>.csv``
    when ``internal_dir`` is given, or named by the environment variable
    ``CSC_INTERNAL_TABLES_DIR`` (set by the build to a folder under the executed notebooks,
    never under the output): the consistency checks (:mod:`analysis.consistency`) need exact
    sums, which suppressed cells hide.

    Returns the published (rounded and suppressed) table, which is what the report shows.
    """
    import os

    spec = load_catalogue()[table_id]
    check_columns(df, spec)
    check_disclosure_groups(spec)
    rounded = round_for_output(df, spec)
    published = suppress(rounded, spec, disclosure)
    tables_dir = Path(tables_dir)
    tables_dir.mkdir(parents=True, exist_ok=True)
    published.to_csv(tables_dir / f"{table_id}.csv", index=False, lineterminator="\n")
    log.debug("wrote table %s (%d rows)", table_id, len(published))
    internal_dir = internal_dir or os.environ.get(INTERNAL_TABLES_ENV)
    if internal_dir:
        internal = Path(internal_dir)
        internal.mkdir(parents=True, exist_ok=True)
        rounded.to_csv(internal / f"{table_id}.csv", index=False, lineterminator="\n")
    return published
