"""Loading processed tables for the notebooks."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.paths import resolve

log = logging.getLogger(__name__)


def load_table(processed_dir: str | Path, table: str, la_codes: Iterable[str]) -> pd.DataFrame:
    """Concatenate ``<processed_dir>/<la>/<table>.parquet`` over ``la_codes``.

    An LA that did not supply the table contributes no rows; when none did, an empty frame is
    returned and ``table_supplied`` says so.
    """
    base = resolve(processed_dir)
    parts = [  # each file read whole, without the dataset layer of pq.read_table (~1 ms a file)
        pq.ParquetFile(p).read()
        for la in la_codes
        if (p := base / str(la) / f"{table}.parquet").exists()
    ]
    if not parts:
        return pd.DataFrame()
    # One conversion to pandas of the joined Arrow tables: what pandas.read_parquet and concat
    # give, in less time and memory. Ingest writes every LA's table with the same schema; a
    # column of nulls only (written by other means) takes the type of the others.
    if len(parts) > 1:
        return pa.concat_tables(parts, promote_options="permissive").to_pandas()
    return parts[0].to_pandas()


def table_supplied(processed_dir: str | Path, table: str, la_codes: Iterable[str]) -> list[str]:
    """LA codes that supplied ``table`` (an optional input may be absent)."""
    base = resolve(processed_dir)
    return [la for la in la_codes if (base / str(la) / f"{table}.parquet").exists()]


def load_raa_table(processed_dir: str | Path, table: str) -> pd.DataFrame:
    """``<processed_dir>/raa/<table>.parquet``, or an empty frame when not supplied."""
    path = resolve(processed_dir) / "raa" / f"{table}.parquet"
    return pd.read_parquet(path) if path.exists() else pd.DataFrame()


def load_manifest(processed_dir: str | Path) -> dict:
    """The ingest manifest (synthetic flag, LA codes, collection years, row counts)."""
    path = resolve(processed_dir) / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else {}
