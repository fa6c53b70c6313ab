"""England comparators for the ATV report, read from published reference files.

Files (provenance in ``reference/SOURCES.md``; read from the ``reference_dir`` run parameter,
never copied into the project):

- ``dfe_cla_ceased_by_reason_2020_2024_wide.csv``: DfE, *Children looked after in England
  including adoptions*, children who ceased to be looked after during the year (ending 31 March)
  by reason; England's children adopted and all children ceasing give the England rate of
  leaving care by adoption.
- ``dfe_cla_national_adoption_timeliness_2021_2025.csv``: DfE, same publication, England
  average time between adoption stages, in years and months (``01:07``). It has no A10 or A2 as
  such; the nearest stages are "4. Total average time between entry into care and date placed
  for adoption" (beside A10, which starts the clock at the move-in with foster carers who adopt)
  and "2. Average time between decision that child should be placed for adoption and matching of
  child and adopters" (beside A2, which starts at the placement order, later than the decision).
- ``asglb_adoption_las_q4_2022_23.csv``: Adoption and Special Guardianship Leadership Board
  (ASGLB) quarterly data, Q4 2022-23: England's scorecard A10 and A2 exactly, for children
  adopted in 2022-23 (the only year this file covers).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.dates import DateLike, to_timestamp
from analysis.errors import InputError
from analysis.paths import reference_file

if TYPE_CHECKING:
    from analysis.adoption.timeliness import Cohort

__all__ = [
    "ASGLB_FILE",
    "CEASED_FILE",
    "TIMELINESS_FILE",
    "england_adoption_rate",
    "england_timeliness",
    "months_text_to_days",
    "year_ending_on_or_before",
]

log = logging.getLogger(__name__)

CEASED_FILE = "dfe_cla_ceased_by_reason_2020_2024_wide.csv"
TIMELINESS_FILE = "dfe_cla_national_adoption_timeliness_2021_2025.csv"
ASGLB_FILE = "asglb_adoption_las_q4_2022_23.csv"

_MISSING = ["c", "x", "z", "k", "u", ":", ".", "..", "-"]
DAYS_PER_MONTH = 365.25 / 12

#: DfE stage nearest to each ASGLB measure (file ``TIMELINESS_FILE``).
DFE_STAGES = {
    "a10_days": "4. Total average time between entry into care and date placed for adoption",
    "a2_days": "2. Average time between decision that child should be placed for adoption "
    "and matching of child and adopters",
}
#: ASGLB column prefixes (file ``ASGLB_FILE``) of the scorecard measures.
ASGLB_COLUMNS = {
    "a10_days": "(scorecard indicator A10)",
    "a2_days": "(scorecard indicator A2)",
}
ASGLB_ENGLAND = "ALL LOCAL AUTHORITIES IN ENGLAND"
ASGLB_YEAR_ENDING = 2023


def _read(reference_dir: str | Path, name: str) -> pd.DataFrame:
    path = reference_file(reference_dir, name)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=["", *_MISSING])
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise InputError(str(path), f"cannot read reference file ({exc})") from exc


def year_ending_on_or_before(date: DateLike) -> int:
    """The calendar year of the last 31 March on or before ``date`` (30 Sep 2024 -> 2024)."""
    d = to_timestamp(date)
    return d.year if (d.month, d.day) >= (3, 31) else d.year - 1


def months_text_to_days(text: str) -> float:
    """Convert DfE's ``years:months`` duration (``01:07``) to days (months x 365.25 / 12).

    DfE publishes these averages in whole months, so the days are accurate to about a month.
    """
    years, months = (int(part) for part in str(text).strip().split(":"))
    return (12 * years + months) * DAYS_PER_MONTH


def england_adoption_rate(reference_dir: str | Path, period_end: DateLike) -> dict[str, object]:
    """England's percentage of children ceasing care who were adopted, latest year published.

    Definition: DfE CLA, children who ceased to be looked after during the year ending 31 March,
    "Reason episode ceased: Adopted" number over "Total" number (England, ``National`` row).
    The year used is the latest year ending on or before ``period_end`` that the file has (for
    a half year ending 30 September 2024: the year ending 31 March 2024, the figure published
    by the time the report is written).

    Returns
    -------
    dict
        ``year_ending`` (int), ``adopted``, ``ceased`` (int), ``rate_pct`` (float, unrounded),
        ``source`` (str).
    """
    frame = _read(reference_dir, CEASED_FILE)
    adopted_col = "Reason episode ceased|Adopted|number"
    total_col = "Reason episode ceased|Total|number"
    for col in (adopted_col, total_col):
        if col not in frame.columns:
            raise InputError(str(Path(reference_dir) / CEASED_FILE), "column missing", field=col)
    national = frame.loc[frame["geographic_level"].eq("National")].copy()
    national["year"] = pd.to_numeric(national["time_period"], errors="coerce")
    target = year_ending_on_or_before(period_end)
    usable = national.loc[national["year"].le(target)].sort_values("year")
    if usable.empty:
        raise InputError(
            str(Path(reference_dir) / CEASED_FILE),
            f"no England row for a year ending on or before March {target}",
            field="time_period",
        )
    row = usable.iloc[-1]
    if int(row["year"]) != target:
        log.info("England adoption rate: latest year in %s is %d", CEASED_FILE, int(row["year"]))
    adopted, ceased = int(row[adopted_col]), int(row[total_col])
    return {
        "year_ending": int(row["year"]),
        "adopted": adopted,
        "ceased": ceased,
        "rate_pct": 100.0 * adopted / ceased,
        "source": "DfE CLA, children ceasing to be looked after by reason",
    }


def _dfe_timeliness(reference_dir: str | Path) -> pd.DataFrame:
    frame = _read(reference_dir, TIMELINESS_FILE)
    rows = frame.loc[frame["geographic_level"].eq("National") & frame["age_start_poc"].eq("Total")]
    out = []
    for measure, stage in DFE_STAGES.items():
        for _, row in rows.loc[rows["stage_of_adoption_process"].eq(stage)].iterrows():
            if pd.isna(row["number"]):
                continue
            out.append((measure, int(row["time_period"]), months_text_to_days(row["number"])))
    return pd.DataFrame(out, columns=["measure", "year_ending", "days"])


def _asglb_england(reference_dir: str | Path) -> dict[str, float]:
    frame = _read(reference_dir, ASGLB_FILE)
    england = frame.loc[frame["area_name"].str.strip().str.upper().eq(ASGLB_ENGLAND)]
    if england.empty:
        raise InputError(str(Path(reference_dir) / ASGLB_FILE), "no England row", "area_name")
    out = {}
    for measure, marker in ASGLB_COLUMNS.items():
        cols = [c for c in frame.columns if marker in c]
        if len(cols) != 1:
            raise InputError(str(Path(reference_dir) / ASGLB_FILE), "column missing", marker)
        out[measure] = float(england.iloc[0][cols[0]])
    return out


def england_timeliness(reference_dir: str | Path, cohorts: list[Cohort]) -> pd.DataFrame:
    """England comparators for A10 and A2 for each cohort of the timeliness section.

    Definitions (module docstring): for a cohort of whole collection years, the DfE figure of
    each year (ending 31 March), averaged over the years of a multi-year cohort (the mean of
    the published yearly figures); for a 12-month cohort ending elsewhere (30 September), the
    latest year ending on or before its end. Where the ASGLB file covers the year (2022-23) its
    England A10 and A2 are given as well: they are the scorecard measures themselves, while the
    DfE stages are the nearest published England figures, not the same definitions (DfE's
    "entry into care to placed" is not adjusted for foster-carer adoptions; its "decision to
    match" starts at the ADM decision, before the placement order).

    Parameters
    ----------
    reference_dir
        Folder of the reference files.
    cohorts
        From :func:`analysis.adoption.timeliness.timeliness_cohorts`.

    Returns
    -------
    pandas.DataFrame
        Columns ``cohort``, ``years`` (e.g. ``2024`` or ``2022-2024``: years ending 31 March),
        ``measure`` (``a10_days``, ``a2_days``), ``source`` (``ASGLB`` or ``DfE``), ``days``
        (float, NaN when not published), ``preferred`` (bool: the comparator the charts use,
        ASGLB where it covers the cohort, else DfE).
    """
    dfe = _dfe_timeliness(reference_dir)
    asglb = _asglb_england(reference_dir)
    published = sorted(set(dfe["year_ending"]))
    rows = []
    for cohort in cohorts:
        label, start, end = cohort.label, cohort.start, cohort.end
        if (start.month, start.day, end.month, end.day) == (4, 1, 3, 31):
            years = list(range(start.year + 1, end.year + 1))
        else:  # the latest year published by the cohort's end
            target = year_ending_on_or_before(end)
            years = [max([y for y in published if y <= target], default=target)]
        span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
        has_asglb = years == [ASGLB_YEAR_ENDING]
        for measure in DFE_STAGES:
            by_year = dfe.loc[dfe["measure"].eq(measure)].set_index("year_ending")["days"]
            values = [by_year.get(y) for y in years]
            days = (
                float(sum(values) / len(values))
                if all(v is not None for v in values)
                else float("nan")
            )
            rows.append((label, span, measure, "DfE", days, not has_asglb))
            if has_asglb:
                rows.append((label, span, measure, "ASGLB", asglb[measure], True))
    return pd.DataFrame(rows, columns=["cohort", "years", "measure", "source", "days", "preferred"])
