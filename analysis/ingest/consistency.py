"""Checks across the rows of a return: episodes that overlap, episodes outside childhood.

Row checks (:mod:`analysis.ingest.validate`) look at one row at a time. Two errors of a 903
return only show against other rows, and both would make the metrics count a child wrongly
(DESIGN section 5: placements during the year count episodes; looked after at a date counts
open episodes):

- **overlapping episodes**: a child's episode starting before an earlier episode of the same
  return has ended (its ``DEC`` later than this ``DECOM``, or blank: still open). Episodes of a
  period of care follow one another: each ``DECOM`` is on or after the ``DEC`` before it (DfE
  SSDA903 guidance, "Episodes"). The later episode is quarantined, naming the line of the
  episode it overlaps. Two rows with the same ``CHILD`` and ``DECOM`` are repeats, left to
  :mod:`analysis.ingest.dedupe`.
- **episodes outside childhood**: an episode starting before the child's date of birth, or on or
  after the 18th birthday (a young person stops being looked after at 18, Children Act 1989
  s.105(1): a "child" is a person under 18), against the ``DOB`` of the child's Header row
  (the latest return's when several give one). A child born on 29 February turns 18 on 1 March
  in a non-leap year, as in :func:`analysis.dates.age_at`.

Both quarantine the row with its reason in the data-quality log; nothing is dropped silently.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.cla.ordering import ordered_by, sort_key, sorted_codes
from analysis.ingest.model import FileResult
from analysis.ingest.quality import QUARANTINED, LogBuilder, combine

EPISODES, CHILDREN = "episodes", "children"
ADULT_AGE = 18


def _quarantine(
    res: FileResult, mask: np.ndarray, field: str, values: list[str], reasons: list[str]
) -> None:
    """Move the rows of ``res.data`` under ``mask`` to the data-quality log."""
    if not mask.any():
        return
    log = LogBuilder(res.file)
    log.add(res.data["_line"].to_numpy()[mask], field, values, reasons, QUARANTINED)
    res.log = combine([res.log, log.frame()])
    res.quarantined += int(mask.sum())
    res.data = res.data.loc[~mask].reset_index(drop=True)


def _shown(dates: pd.Series) -> list[str]:
    return [d.strftime("%d/%m/%Y") if not pd.isna(d) else "" for d in dates]


_NAT = np.iinfo(np.int64).min  # NaT as datetime64[ns] viewed as int64


def _nanoseconds(dates: pd.Series) -> np.ndarray:
    """Dates as int64 nanoseconds since 1970, NaT as :data:`_NAT`."""
    return dates.to_numpy(dtype="datetime64[ns]").view(np.int64)


def overlapping_episodes(episodes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Episodes starting before an earlier episode of the same child has ended.

    Parameters
    ----------
    episodes
        Typed episodes of one return: ``child_id``, ``decom``, ``dec`` and ``_line``.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Boolean mask of the overlapping rows, and for each the line of the episode it overlaps
        (of the child's earlier episodes, the one ending last; 0 where the row does not overlap).
    """
    n = len(episodes)
    mask = np.zeros(n, dtype=bool)
    other = np.zeros(n, dtype=np.int64)
    # Sorted by child, DECOM and line (missing values last, as sort_values puts them), with
    # plain Python ints in the loop (much faster than numpy scalars): dates as nanoseconds, with
    # NaT as _NAT (compared explicitly, as NaT compares false with everything).
    children = sorted_codes(episodes["child_id"])
    lines = episodes["_line"].to_numpy()
    order = ordered_by(children, sort_key(episodes["decom"]), lines)
    child = children[order].tolist()
    start = _nanoseconds(episodes["decom"])[order].tolist()
    end = _nanoseconds(episodes["dec"])[order].tolist()
    line = lines[order].tolist()
    latest_end = latest_line = previous_start = None
    current = None
    for i in range(n):
        begins = start[i]
        if child[i] != current:
            current, latest_end, latest_line, previous_start = child[i], None, None, None
        elif begins != _NAT and begins == previous_start:
            continue  # the same CHILD and DECOM again: a repeat, left to dedupe
        elif latest_end is not None and (
            latest_end == _NAT or (begins != _NAT and begins < latest_end)
        ):
            mask[order[i]] = True
            other[order[i]] = latest_line
            continue  # a quarantined episode does not extend the child's care
        ends = end[i]
        if latest_end is None or ends == _NAT or (latest_end != _NAT and ends > latest_end):
            latest_end, latest_line = ends, line[i]
        previous_start = begins
    return mask, other


def check_overlaps(res: FileResult) -> None:
    """Quarantine the overlapping episodes of one Episodes file (in place)."""
    mask, other = overlapping_episodes(res.data)
    if mask.any():
        reasons = [f"starts before the child's episode at line {n} ends" for n in other[mask]]
        _quarantine(res, mask, "DECOM", _shown(res.data["decom"][mask]), reasons)


def age_on(dob: pd.Series, date: pd.Series) -> pd.Series:
    """Age in whole years on each ``date`` (a year older on each birthday; NaN when unknown)."""
    dob, date = pd.to_datetime(dob), pd.to_datetime(date)
    years = date.dt.year - dob.dt.year
    before = (dob.dt.month > date.dt.month) | (
        (dob.dt.month == date.dt.month) & (dob.dt.day > date.dt.day)
    )
    return years - before.astype(int)


def _ymd(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of datetime64 values (meaningless where NaT)."""
    months = dates.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (dates.astype("datetime64[D]") - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def _age_years(dob: np.ndarray, date: np.ndarray) -> np.ndarray:
    """:func:`age_on` over datetime64 arrays: whole years, NaN where either date is unknown."""
    by, bm, bd = _ymd(dob)
    y, m, d = _ymd(date)
    before = (bm > m) | ((bm == m) & (bd > d))
    age = (y - by - before).astype(float)
    age[np.isnat(dob) | np.isnat(date)] = np.nan
    return age


def check_ages(results: list[FileResult]) -> None:
    """Quarantine episodes starting before birth or at 18 or over, for one LA (in place).

    ``results`` are the LA's files; the dates of birth come from its Header files, the latest
    collection year's winning.
    """
    headers = sorted(
        (r for r in results if r.spec.processed == CHILDREN),
        key=lambda r: r.collection_year or "",
    )
    if not headers:
        return
    dob = pd.concat([r.data[["child_id", "dob"]] for r in headers], ignore_index=True)
    dob = dob.dropna().drop_duplicates("child_id", keep="last").set_index("child_id")["dob"]
    for res in results:
        if res.spec.processed != EPISODES or res.data.empty:
            continue
        born = res.data["child_id"].map(dob).to_numpy(dtype="datetime64[ns]")
        start = res.data["decom"].to_numpy(dtype="datetime64[ns]")
        before_birth = start < born  # False where either is unknown (NaT)
        adult = (_age_years(born, start) >= ADULT_AGE) & ~before_birth
        mask = before_birth | adult
        if mask.any():
            reasons = np.where(
                before_birth,
                "starts before the child's date of birth (Header DOB)",
                f"starts on or after the child's {ADULT_AGE}th birthday (Header DOB)",
            )[mask]
            _quarantine(res, mask, "DECOM", _shown(res.data["decom"][mask]), list(reasons))
