"""Loading processed tables for the notebooks."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.paths import resolve

log = logging.getLogger(__name__)


def load_table(processed_dir: str | Path, table: str, la_codes: Iterable[str]) -> pd.DataFrame:
    """Concatenate ``<processed_dir>/<la>/<table>.parquet`` over ``la_codes``.

    An LA that did not supply the table contributes no rows; when none did, an empty frame is
    returned and ``table_supplied`` says so.
    """
    base = resolve(processed_dir)
    frames = [
        pd.read_parquet(p) for la in la_codes if (p := base / str(la) / f"{table}.parquet").exists()
    ]
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


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
