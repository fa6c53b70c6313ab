"""Output tables: the catalogue, disclosure control and writing tables as data.

Every table in a report is also written to ``OUTPUT_DIR/tables/<id>.csv`` with the columns fixed
in ``reports/catalogue.yml``. Counts are integers and percentages numbers 0-100 (no ``%`` sign),
rounded to one decimal place (DESIGN section 5, "Rounding").

Disclosure control (DESIGN section 5): in ``public`` mode counts of 1 to 5 are replaced by ``c``
(DfE convention), and a percentage or rate is suppressed with the count it is computed from.
``internal`` outputs show small numbers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from analysis.paths import CATALOGUE

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
    labels: dict[str, str] = field(default_factory=dict)
    definition: str = ""
    source: str = ""


@lru_cache(maxsize=4)
def load_catalogue(path: Path = CATALOGUE) -> dict[str, TableSpec]:
    """Read the table catalogue (``reports/catalogue.yml``) into :class:`TableSpec` objects."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["tables"]
    return {tid: TableSpec(id=tid, **spec) for tid, spec in raw.items()}


def is_small(value: object) -> bool:
    """True for a count that public outputs must suppress (1 to 5 inclusive)."""
    return isinstance(value, int | float) and not pd.isna(value) and SMALL_MIN <= value <= SMALL_MAX


def suppress(df: pd.DataFrame, spec: TableSpec, disclosure: str) -> pd.DataFrame:
    """Apply primary suppression of counts 1-5, and suppress dependent percentages and rates.

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
    for col in spec.count_columns:
        small = out[col].map(is_small)
        if small.any():
            out[col] = out[col].astype(object)
            out.loc[small, col] = SUPPRESSED
            for dep in spec.percent_columns + spec.rate_columns:
                out[dep] = out[dep].astype(object)
                out.loc[small, dep] = SUPPRESSED
    if spec.count_measures and "measure" in out.columns:
        out["value"] = out["value"].astype(object)
        keys = [c for c in out.columns if c not in ("measure", "value")]
        small = out["measure"].isin(spec.count_measures) & out["value"].map(is_small)
        out.loc[small, "value"] = SUPPRESSED
        for dependent, base in spec.suppress_with.items():
            hidden = out.loc[small & (out["measure"] == base), keys]
            for _, key in hidden.iterrows():
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


def publish_table(
    df: pd.DataFrame, table_id: str, tables_dir: str | Path, disclosure: str = "public"
) -> pd.DataFrame:
    """Round, suppress and write a table to ``tables_dir/<table_id>.csv``.

    Returns the published (rounded and suppressed) table, which is what the report shows.
    """
    spec = load_catalogue()[table_id]
    check_columns(df, spec)
    published = suppress(round_for_output(df, spec), spec, disclosure)
    tables_dir = Path(tables_dir)
    tables_dir.mkdir(parents=True, exist_ok=True)
    published.to_csv(tables_dir / f"{table_id}.csv", index=False, lineterminator="\n")
    log.debug("wrote table %s (%d rows)", table_id, len(published))
    return published


def write_workbook(tables_dir: str | Path, workbook: str | Path) -> Path:
    """Collect every ``tables_dir/*.csv`` into one XLSX workbook, a sheet per table id."""
    tables_dir, workbook = Path(tables_dir), Path(workbook)
    catalogue = load_catalogue()
    with pd.ExcelWriter(workbook, engine="openpyxl") as writer:
        contents = []
        for csv in sorted(tables_dir.glob("*.csv")):
            table_id = csv.stem
            spec = catalogue.get(table_id)
            contents.append(
                {
                    "sheet": table_id[:31],
                    "title": spec.title if spec else table_id,
                    "definition": spec.definition if spec else "",
                    "source": spec.source if spec else "",
                }
            )
        pd.DataFrame(contents).to_excel(writer, sheet_name="contents", index=False)
        for csv in sorted(tables_dir.glob("*.csv")):
            pd.read_csv(csv, dtype=str, keep_default_na=False).to_excel(
                writer, sheet_name=csv.stem[:31], index=False
            )
    return workbook
