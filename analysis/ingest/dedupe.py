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
    frames = []
    for i, res in enumerate(results):
        frame = res.data.copy()
        frame["_file"] = i
        frame["_year"] = int(res.collection_year[:4]) if res.collection_year else 0
        frames.append(frame)
    data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    data = data.sort_values(["_file", "_line"], kind="stable").reset_index(drop=True)
    if spec.key == () or data.empty:
        return data.drop(columns=["_file", "_year", "_line"])
    keys, shown = _key_columns(spec)

    # Repeats of a key within one file: quarantined. (Identical rows of a whole-row table in one
    # file are kept: two periods of care starting in a year can have the same PrevPerm row.)
    if spec.key:
        within = data.duplicated(subset=keys + ["_file"], keep="first").to_numpy()
        if within.any():
            first = data.groupby(keys + ["_file"], dropna=False, sort=False)["_line"].transform(
                "min"
            )
            reason = f"repeats an earlier row of the same file (same {shown})"
            for i, res in enumerate(results):
                mask = within & (data["_file"].to_numpy() == i)
                if not mask.any():
                    continue
                log = LogBuilder(res.file)
                log.add(
                    data.loc[mask, "_line"].to_numpy(),
                    shown,
                    ("same as line " + first[mask].astype(str)).tolist(),
                    reason,
                    QUARANTINED,
                )
                res.log = combine([res.log, log.frame()])
                res.quarantined += int(mask.sum())
            data = data[~within]

    # The same event in several returns: the latest collection year wins.
    latest = data.groupby(keys, dropna=False, sort=False)["_year"].transform("max")
    superseded = (data["_year"] < latest).to_numpy()
    if superseded.any():
        counts = data.loc[superseded, "_file"].value_counts()
        for i, n in counts.items():
            results[int(i)].superseded += int(n)
    data = data.loc[~superseded]
    return data.drop(columns=["_file", "_year", "_line"]).reset_index(drop=True)
