"""Published child protection figures for the LA, its region and England (comparators).

Read from the ``reference_dir`` run parameter (files and provenance in ``reference/SOURCES.md``;
never copied into the project). DfE suppression and not-available markers (``c``, ``x``, ``z``,
``k``, ``u``) are read as missing.

- DfE *Characteristics of children in need*, table C4 (``dfe_cin_c4_...``): ICPCs and the working
  days from the strategy discussion to the ICPC in bands (0-10, 11-15, 16-20, 21+). "Within 15
  working days" is (0-10 + 11-15) / ICPCs: 806 in 2024, (6 + 246) / 404 = 62.4%, DfE's published
  figure (LAIT ``CP_conf_15days``).
- Table D3 (``dfe_cin_d3_...``): plans starting in the year and second or subsequent plans (ever).
- Table D5 (``dfe_cin_d5_...``): children on a plan at 31 March (``CPP_At31``) by duration band.
- The rate per 10,000 is ``CPP_At31 / population x 10,000`` with the 0-17 population DfE used for
  the year (DESIGN section 5), as for the CLA rate; this reproduces DfE's published rate (England
  2024: 49,900 / 12,059,476 = 41.4, LAIT ``CPP_rate`` 41.4).
- DfE LAIT (``dfe_lait_...``) ``RevCP``: child protection cases that should have been reviewed that
  were reviewed within timescales (%), from CIN table D6. It counts children due a review, not
  review conferences, so it is a comparator for, not the same measure as, this report's review
  conference timeliness.

``time_period`` / ``year`` is the calendar year of the 31 March year end (2024 = 2023-24).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.cp.plans import DURATION_BAND_CODES, DURATION_BAND_D5_COLUMNS
from analysis.reference import cla_published, la_name, la_region, read_reference_file

__all__ = [
    "CIN_C4_FILE",
    "CIN_D3_FILE",
    "CIN_D5_FILE",
    "LAIT_FILE",
    "PUBLISHED_MEASURES",
    "comparator_phrase",
    "cp_comparison",
    "cp_published",
    "cp_rate_published",
]

log = logging.getLogger(__name__)

CIN_C4_FILE = "dfe_cin_c4_section47_icpc_2013_2025.csv"
CIN_D3_FILE = "dfe_cin_d3_cpp_subsequent_plan_2013_2025.csv"
CIN_D5_FILE = "dfe_cin_d5_cpp_at31march_by_duration_2013_2025.csv"
LAIT_FILE = "dfe_lait_csc_indicators_2016_2025_wide.csv"

#: Added to an LA's name for its published figures, beside this report's own for the same LA.
PUBLISHED_SUFFIX = " (published)"

#: LAIT area numbers of England and the regions (the file keys areas by these, not by name).
LAIT_ENGLAND = "970"

#: The measures of :func:`cp_published`, in order; the ``duration_*`` measures follow.
PUBLISHED_MEASURES: tuple[str, ...] = (
    "cp_plans_count",
    "cp_rate_per_10k",
    "plans_started_count",
    "second_subsequent_count",
    "second_subsequent_pct",
    "icpc_count",
    "icpc_within_15_days_pct",
    "review_conferences_in_time_pct",
    *(f"duration_pct:{band}" for band in DURATION_BAND_CODES),
)


def _la(la_code: str | int) -> str:
    code = str(la_code).strip()
    return code.zfill(3) if code.isdigit() and len(code) < 3 else code


def _num(value: object) -> float:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return float(number) if pd.notna(number) else float("nan")


def _cin_row(frame: pd.DataFrame, level: str, key: str | None, year: int) -> pd.Series | None:
    rows = frame.loc[frame["time_period"].eq(str(year)) & frame["geographic_level"].eq(level)]
    if level == "Local authority":
        rows = rows.loc[rows["old_la_code"].eq(key)]
    elif level == "Regional":
        rows = rows.loc[rows["region_name"].str.lower().eq(str(key).lower())]
    return rows.iloc[0] if len(rows) else None


def _lait_value(frame: pd.DataFrame, area: str, year: int, column: str) -> float:
    rows = frame.loc[frame["year"].eq(str(year))]
    if area == LAIT_ENGLAND:
        rows = rows.loc[rows["lait_la_number"].eq(LAIT_ENGLAND)]
    elif area.isdigit():
        rows = rows.loc[rows["lait_la_number"].eq(area)]
    else:  # a region, by name (its LAIT number differs by file vintage)
        rows = rows.loc[rows["area_name"].str.lower().eq(area.lower())]
    if rows.empty:
        return float("nan")
    return _num(str(rows.iloc[0][column]).replace("-", ""))


def _codes(la_codes: str | int | Sequence[str | int]) -> list[str]:
    listed = [la_codes] if isinstance(la_codes, str | int) else list(la_codes)
    return [_la(c) for c in listed]


def _areas(reference_dir: str | Path, codes: list[str]) -> list[tuple[str, str, str | None, str]]:
    """(area name, CIN geographic level, CIN key, LAIT key): each LA, their regions, England."""
    las = [
        (f"{la_name(reference_dir, c)}{PUBLISHED_SUFFIX}", "Local authority", c, c) for c in codes
    ]
    regions = dict.fromkeys(la_region(reference_dir, c) for c in codes)
    return [
        *las,
        *((r, "Regional", r, r) for r in regions),
        ("England", "National", None, LAIT_ENGLAND),
    ]


def _populations(reference_dir: str | Path, codes: list[str]) -> dict[tuple[str, int], float]:
    pops: dict[tuple[str, int], float] = {}
    for code in codes:
        for level in ("la", "region", "england"):
            frame = cla_published(reference_dir, code, level=level)
            for row in frame.itertuples():
                pop = row.population_estimate
                pops[(row.area_name, int(row.year_ending))] = float(pop) if pd.notna(pop) else None
    return pops


def cp_published(
    reference_dir: str | Path, la_codes: str | int | Sequence[str | int], year_ending: int
) -> pd.DataFrame:
    """Published child protection figures of an LA, its region and England for one year.

    Definitions: DfE *Characteristics of children in need*, tables C4, D3, D5 and LAIT
    ``RevCP`` (module docstring). A year not yet published, or a suppressed figure, is NaN, so
    the report can say the figure is not available rather than leave it out.

    Parameters
    ----------
    reference_dir
        Folder holding the reference files.
    la_codes
        DfE 3-digit LA code, or several (each LA and each of their regions is listed).
    year_ending
        Calendar year of the 31 March year end (2024 for 2023-24).

    Returns
    -------
    pandas.DataFrame
        Columns ``area`` (the LA's name followed by " (published)", its region's name,
        ``England``), ``measure`` (each of
        ``PUBLISHED_MEASURES``) and ``value`` (float, unrounded; NaN when not published), in
        area order LA(s), region(s), England.
    """
    codes, year = _codes(la_codes), int(year_ending)
    c4 = read_reference_file(reference_dir, CIN_C4_FILE)
    d3 = read_reference_file(reference_dir, CIN_D3_FILE)
    d5 = read_reference_file(reference_dir, CIN_D5_FILE)
    lait = read_reference_file(reference_dir, LAIT_FILE)
    pops = _populations(reference_dir, codes)
    rows = []
    for area, level, key, lait_key in _areas(reference_dir, codes):
        r4, r3, r5 = (_cin_row(f, level, key, year) for f in (c4, d3, d5))
        name = area.removesuffix(PUBLISHED_SUFFIX)
        values: dict[str, float] = dict.fromkeys(PUBLISHED_MEASURES, float("nan"))
        if r5 is not None:
            count = _num(r5["CPP_At31"])
            values["cp_plans_count"] = count
            pop = pops.get((name, year))
            values["cp_rate_per_10k"] = count / pop * 10_000 if pop else float("nan")
            for band in DURATION_BAND_CODES:
                values[f"duration_pct:{band}"] = _num(
                    r5[f"{DURATION_BAND_D5_COLUMNS[band]}_percent"]
                )
        if r3 is not None:
            values["plans_started_count"] = _num(r3["CPP_start"])
            values["second_subsequent_count"] = _num(r3["CPP_subsequent"])
            values["second_subsequent_pct"] = _num(r3["CPP_subsequent_percent"])
        if r4 is not None:
            icpc = _num(r4["ICPC"])
            within = _num(r4["Duration_0-10_days"]) + _num(r4["Duration_11-15_days"])
            values["icpc_count"] = icpc
            values["icpc_within_15_days_pct"] = within / icpc * 100 if icpc else float("nan")
        values["review_conferences_in_time_pct"] = _lait_value(lait, lait_key, year, "RevCP")
        rows.extend({"area": area, "measure": m, "value": v} for m, v in values.items())
    if all(pd.isna(r["value"]) for r in rows):
        log.info("no published CIN figures for LA %s, year ending March %d", codes, year)
    return pd.DataFrame(rows, columns=["area", "measure", "value"])


def cp_rate_published(
    reference_dir: str | Path,
    la_codes: str | int | Sequence[str | int],
    years_ending: Sequence[int],
) -> pd.DataFrame:
    """Children on a CP plan at 31 March and the rate per 10,000: LA, region and England.

    Definition: DfE *Characteristics of children in need*, table D5 ``CPP_At31`` over the 0-17
    population DfE used for the year (module docstring). Years not yet published give NaN.

    Parameters
    ----------
    reference_dir
        Folder holding the reference files.
    la_codes
        DfE 3-digit LA code, or several.
    years_ending
        Years (31 March year ends) wanted.

    Returns
    -------
    pandas.DataFrame
        Columns ``year_ending`` (int), ``area``, ``count`` (float; NaN when not published),
        ``rate_per_10k`` (float); areas in the order LA, region, England, years ascending
        within each area.
    """
    parts = []
    for year in sorted(int(y) for y in years_ending):
        table = cp_published(reference_dir, la_codes, year)
        wide = table.pivot(index="area", columns="measure", values="value")
        for area in dict.fromkeys(table["area"]):
            parts.append(
                {
                    "year_ending": year,
                    "area": area,
                    "count": wide.loc[area, "cp_plans_count"],
                    "rate_per_10k": wide.loc[area, "cp_rate_per_10k"],
                }
            )
    out = pd.DataFrame(parts, columns=["year_ending", "area", "count", "rate_per_10k"])
    order = {a: i for i, a in enumerate(dict.fromkeys(out["area"]))}
    return out.sort_values(
        ["area", "year_ending"], key=lambda s: s.map(order) if s.name == "area" else s
    ).reset_index(drop=True)


def comparator_phrase(
    published: pd.DataFrame, measure: str, kind: str = "pct", prefix: str = "DfE's published "
) -> str:
    """Published comparators of one measure as a phrase ("DfE's published 83.0% for ...").

    Reads the published (rounded, suppressed) ``cp_published_comparison`` table, so the phrase
    matches the table. The first area is this report's own figure and is skipped; areas whose
    figure is not published are left out, and "" is returned when none is.

    Parameters
    ----------
    published
        The published ``cp_published_comparison`` table (``area``, ``measure``, ``value``).
    measure
        One of ``PUBLISHED_MEASURES``.
    kind
        ``pct`` (percentages) or ``rate`` (rates per 10,000) or ``count``.
    prefix
        Words before the list ("DfE's published " by default).

    Returns
    -------
    str
        For example "DfE's published 62.4% for Middlesbrough, 83.0% for the North East and
        79.7% for England".
    """
    from analysis.narrative import fmt_count, fmt_pct, fmt_rate

    fmt = {"pct": fmt_pct, "rate": fmt_rate, "count": fmt_count}[kind]
    rows = published.loc[published["measure"].eq(measure)]
    parts = []
    for area, value in list(zip(rows["area"], rows["value"], strict=True))[1:]:
        area = area.removesuffix(PUBLISHED_SUFFIX)
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            continue
        place = (
            f"the {area}"
            if area.lower().startswith(("north ", "south ", "east ", "west "))
            else area
        )
        parts.append(f"{fmt(value)} for {place}")
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{prefix}{listed}"


def cp_comparison(
    summary: pd.DataFrame,
    duration: pd.DataFrame,
    review_conferences_in_time_pct: float,
    published: pd.DataFrame,
    label: str,
) -> pd.DataFrame:
    """Child protection measures of this report beside the published ones (one tidy table).

    Parameters
    ----------
    summary
        Output of :func:`analysis.cp.cp_summary` for the report year (``measure``, ``value``).
    duration
        Output of :func:`analysis.cp.plans_by_duration_at` at the year end (``code``,
        ``percent``).
    review_conferences_in_time_pct
        ``in_time_pct`` of :func:`analysis.cp.review_conference_summary` for the year.
    published
        Output of :func:`cp_published` for the same year.
    label
        Area label of this report's figures (e.g. "Middlesbrough (this report)").

    Returns
    -------
    pandas.DataFrame
        Columns ``area``, ``measure``, ``value`` (object: int counts, float otherwise); this
        report's rows first, one per ``PUBLISHED_MEASURES``, then the published rows.
    """
    values = dict(zip(summary["measure"], summary["value"], strict=True))
    bands = dict(zip(duration["code"], duration["percent"], strict=True))
    ours = []
    for measure in PUBLISHED_MEASURES:
        if measure.startswith("duration_pct:"):
            value: object = bands.get(measure.split(":", 1)[1], float("nan"))
        elif measure == "review_conferences_in_time_pct":
            value = review_conferences_in_time_pct
        else:
            value = values.get(measure, float("nan"))
        ours.append({"area": label, "measure": measure, "value": value})
    theirs = published.assign(
        value=pd.Series(
            [
                int(v) if m.endswith("_count") and pd.notna(v) else v
                for m, v in zip(published["measure"], published["value"], strict=True)
            ],
            index=published.index,
            dtype=object,
        )
    )
    out = pd.concat([pd.DataFrame(ours), theirs], ignore_index=True)
    out["value"] = out["value"].astype(object)
    return out
