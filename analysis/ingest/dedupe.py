"""De-duplication of overlapping returns (DESIGN §5, data/README.md §3).

Each year's return holds the events of that year and the episodes open during it, and some LAs
send their full history, so the same event can arrive in several returns. It is one event: the
row from the latest collection year is kept and the others are counted as *superseded*. The key
identifying an event is set per table in ``schemas.yml`` (episodes CHILD + DECOM, reviews
CHILD + REVIEW, header CHILD, CP plans child + CPPstartDate, section 47 child + S47ActualStartDate,
PlacedAdoption CHILD + DATE_PLACED, AD1 CHILD + DATE_MATCH, otherwise the whole processed row).

The same key twice in one file is not an overlap but an error in that return: the first row is
kept and the later ones are quarantined, naming the line they repeat. Tables keyed by the whole
row keep identical rows within one file (nothing tells two such events apart).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.ingest.model import FileResult
from analysis.ingest.quality import QUARANTINED, LogBuilder, combine
from analysis.ingest.spec import TableSpec


def _key_columns(spec: TableSpec) -> tuple[list[str], str]:
    if spec.key:
        return [spec.field(s).name for s in spec.key], ", ".join(spec.key)
    return spec.columns, "whole row"


def deduplicate(results: list[FileResult]) -> pd.DataFrame:
    """Combine one LA's files of one table, removing repeated events.

    Updates ``quarantined``, ``superseded`` and ``log`` of each :class:`FileResult` in place.

    Parameters
    ----------
    results
        The files holding this table (one per collection year, or one for a local extract), all
        with the same ``spec``.

    Returns
    -------
    pandas.DataFrame
        The processed table: one row per event, from the latest return holding it, sorted by
        collection year and line.
    """
    spec = results[0].spec
    sizes = [len(res.data) for res in results]
    years = [int(res.collection_year[:4]) if res.collection_year else 0 for res in results]
    data = pd.concat([res.data for res in results], ignore_index=True)
    file_of = np.repeat(np.arange(len(results), dtype=np.int64), sizes)
    line = data["_line"].to_numpy(dtype=np.int64)
    if not _in_order(file_of, line):
        order = np.lexsort((line, file_of))  # stable: by file, then line
        data = data.iloc[order].reset_index(drop=True)
        file_of, line = file_of[order], line[order]
    del data["_line"]  # ``data`` is this function's own frame (concat and take copy)
    if spec.key == () or data.empty:
        return data
    keys, shown = _key_columns(spec)
    event = data.groupby(keys, dropna=False, sort=False).ngroup().to_numpy(dtype=np.int64)
    keep = np.ones(len(data), dtype=bool)

    # Repeats of a key within one file: quarantined. (Identical rows of a whole-row table in one
    # file are kept: two periods of care starting in a year can have the same PrevPerm row.)
    if spec.key:
        in_file = pd.Series(event * len(results) + file_of)
        within = in_file.duplicated(keep="first").to_numpy()
        if within.any():
            first = pd.Series(line).groupby(in_file.to_numpy()).transform("min").to_numpy()
            reason = f"repeats an earlier row of the same file (same {shown})"
            for i, res in enumerate(results):
                mask = within & (file_of == i)
                if not mask.any():
                    continue
                log = LogBuilder(res.file)
                log.add(
                    line[mask],
                    shown,
                    [f"same as line {n}" for n in first[mask]],
                    reason,
                    QUARANTINED,
                )
                res.log = combine([res.log, log.frame()])
                res.quarantined += int(mask.sum())
            keep &= ~within

    # The same event in several returns: the latest collection year wins. (A repeat within a file
    # has its file's year, so leaving it out does not change an event's latest year.)
    year = np.asarray(years, dtype=np.int64)[file_of]
    latest = np.zeros(event.max() + 1, dtype=np.int64)
    np.maximum.at(latest, event, year)
    superseded = keep & (year < latest[event])
    if superseded.any():
        for i, n in enumerate(np.bincount(file_of[superseded], minlength=len(results))):
            results[i].superseded += int(n)
    return data.loc[keep & ~superseded].reset_index(drop=True)


def _in_order(file_of: np.ndarray, line: np.ndarray) -> bool:
    """Whether rows are already sorted by file, then line (``file_of`` never decreases)."""
    return bool(np.all((np.diff(line) >= 0) | (np.diff(file_of) > 0)))
