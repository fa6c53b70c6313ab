"""Published reference figures (DfE and ONS) read from a ``reference_dir``.

The files are real published statistics (provenance in ``reference/SOURCES.md``); the project
never copies them, it reads them from the ``reference_dir`` run parameter. DfE conventions are
kept: ``c`` suppressed, ``x`` not available, ``z`` not applicable, ``k`` rounds to 0, ``u`` low
reliability; all of them are read as missing values (NA).

Files used here:

- ``dfe_cla_number_and_rate_per_10k_2021_2025.csv``: DfE, *Children looked after in England
  including adoptions*, number and rate per 10,000 of children looked after on 31 March, starting
  and ceasing, with the ONS 0-17 population DfE used (``population_estimate``), for England,
  regions and LAs (``time_period`` = year ending 31 March).
- ``ons_mye_children_0_17_by_la_2012_2024.csv``: ONS mid-year estimates of children aged 0-17 as
  prepared by DfE (``time_period`` = the mid-year of the estimate).
- ``ons_mye2_mid2023_age0_17_by_sex_england_utla.csv``: ONS MYE2 mid-2023 (release of 2024) by
  single year of age and sex.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from analysis.errors import InputError, ParameterError

__all__ = [
    "CLA_RATE_FILE",
    "ONS_MYE_FILE",
    "ONS_MYE2_FILE",
    "CLA_MEASURES",
    "population_0_17",
    "population_mye2_2023",
    "la_name",
    "la_region",
    "cla_published",
    "cla_published_comparison",
]

log = logging.getLogger(__name__)

CLA_RATE_FILE = "dfe_cla_number_and_rate_per_10k_2021_2025.csv"
ONS_MYE_FILE = "ons_mye_children_0_17_by_la_2012_2024.csv"
ONS_MYE2_FILE = "ons_mye2_mid2023_age0_17_by_sex_england_utla.csv"

#: Short names of the DfE ``population_type`` values of :data:`CLA_RATE_FILE`.
CLA_MEASURES = {
    "at_31_march": "Children looked after on 31 March each year",
    "starting": "Children starting to be looked after each year",
    "ceasing": "Children ceasing to be looked after each year",
}
_MISSING = ["c", "x", "z", "k", "u", ":", ".", ".."]
_ENGLAND = {"england", "national", "970"}


@lru_cache(maxsize=16)
def _read(path: str, mtime: float) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=["", *_MISSING])


def _load(reference_dir: str | Path, name: str) -> pd.DataFrame:
    path = Path(reference_dir).expanduser() / name
    if not path.is_file():
        raise InputError(
            str(path),
            "reference file not found; download it as described in "
            "reference/SOURCES.md and point reference_dir at its folder",
        )
    try:
        return _read(str(path), path.stat().st_mtime).copy()
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise InputError(str(path), f"cannot read reference file ({exc})") from exc


def _la(la_code: str | int) -> str:
    code = str(la_code).strip()
    if code.isdigit() and len(code) < 3:
        code = code.zfill(3)
    return code


def _to_int(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").round().astype("Int64")


def _population_from(frame: pd.DataFrame, la_code: str, period: int) -> int | None:
    rows = frame.loc[
        frame["old_la_code"].eq(la_code)
        & frame["time_period"].eq(str(period))
        & frame["geographic_level"].eq("Local authority")
    ]
    values = _to_int(rows["population_estimate"]).dropna().unique()
    if len(values) > 1:
        log.warning(
            "several population estimates for LA %s, %s: %s; using the first",
            la_code,
            period,
            list(values),
        )
    return int(values[0]) if len(values) else None


def population_0_17(reference_dir: str | Path, la_code: str | int, year_ending: int) -> int:
    """ONS mid-year estimate of children aged 0-17 that DfE uses for the year ending 31 March.

    DESIGN section 5, "Population for rates": for the year ending 31 March YYYY, the
    ``population_estimate`` of DfE's CLA number-and-rate file for ``time_period`` YYYY (the same on
    every ``population_type`` row): the ONS mid-(YYYY-1) estimate. When DfE's file has no row for
    the year yet, the ONS file's estimate for mid-(YYYY-1) is used (its ``time_period`` is the
    mid-year, so matching it on YYYY would pick the wrong year).

    Parameters
    ----------
    reference_dir
        Folder holding the reference files.
    la_code
        DfE 3-digit LA code (``"806"``).
    year_ending
        Calendar year of the 31 March year end (2024 for 2023-24).

    Returns
    -------
    int

    Raises
    ------
    analysis.errors.InputError
        When neither file has the LA and year (the message names both files).
    """
    code = _la(la_code)
    year = int(year_ending)
    dfe = _load(reference_dir, CLA_RATE_FILE)
    found = _population_from(dfe, code, year)
    if found is not None:
        return found
    ons = _load(reference_dir, ONS_MYE_FILE)
    found = _population_from(ons, code, year - 1)
    if found is not None:
        log.info(
            "population for LA %s, year ending March %d: ONS mid-%d estimate (%s); DfE's "
            "file has no row for the year yet",
            code,
            year,
            year - 1,
            ONS_MYE_FILE,
        )
        return found
    path = Path(reference_dir).expanduser()
    raise InputError(
        str(path / CLA_RATE_FILE),
        f"no population for LA {code}, year ending March {year}, in this file "
        f"(time_period {year}) nor in {path / ONS_MYE_FILE} (time_period "
        f"{year - 1}); use newer reference files",
        field="population_estimate",
    )


def _new_la_code(reference_dir: str | Path, la_code: str) -> str:
    for name in (CLA_RATE_FILE, ONS_MYE_FILE):
        frame = _load(reference_dir, name)
        codes = frame.loc[frame["old_la_code"].eq(la_code), "new_la_code"].dropna()
        if not codes.empty:
            return str(codes.iloc[0])
    raise InputError(
        str(Path(reference_dir).expanduser() / CLA_RATE_FILE),
        f"LA code {la_code} not found",
        field="old_la_code",
    )


def population_mye2_2023(
    reference_dir: str | Path,
    la_code: str | int,
    *,
    sex: Literal["Persons", "Male", "Female"] = "Persons",
    min_age: int = 0,
    max_age: int = 17,
) -> int:
    """ONS MYE2 mid-2023 population of an LA by single year of age (2024 release).

    This is the first published mid-2023 estimate. DfE's CLA 2025 release uses a later, revised
    mid-2023 figure for the year ending March 2024 (:func:`population_0_17`), so the two differ;
    LA reports written in 2024 used this one (Middlesbrough's 2023/24 IRO report: 513 children
    looked after, "147.5 per 10,000 based on 2023 population estimates").

    Parameters
    ----------
    reference_dir
        Folder holding the reference files.
    la_code
        DfE 3-digit LA code (mapped to the ONS code through DfE's files).
    sex
        ``"Persons"``, ``"Male"`` or ``"Female"``.
    min_age, max_age
        Inclusive age range within 0-17.

    Returns
    -------
    int
    """
    if not 0 <= min_age <= max_age <= 17:
        raise ParameterError(
            f"ages must satisfy 0 <= min_age <= max_age <= 17, not {min_age}-{max_age}"
        )
    ons_code = _new_la_code(reference_dir, _la(la_code))
    frame = _load(reference_dir, ONS_MYE2_FILE)
    rows = frame.loc[frame["Code"].eq(ons_code) & frame["Sex"].eq(sex)]
    if rows.empty:
        raise InputError(
            str(Path(reference_dir).expanduser() / ONS_MYE2_FILE),
            f"no {sex} row for {ons_code} (LA {_la(la_code)})",
            field="Code",
        )
    ages = [f"age_{a}" for a in range(min_age, max_age + 1)]
    return int(pd.to_numeric(rows.iloc[0][ages]).sum())


def _la_row(reference_dir: str | Path, la_code: str | int) -> pd.Series:
    code = _la(la_code)
    frame = _load(reference_dir, CLA_RATE_FILE)
    rows = frame.loc[frame["old_la_code"].eq(code)].sort_values("time_period")
    if rows.empty:
        raise InputError(
            str(Path(reference_dir).expanduser() / CLA_RATE_FILE),
            f"LA code {code} not found",
            field="old_la_code",
        )
    return rows.iloc[-1]


def la_name(reference_dir: str | Path, la_code: str | int) -> str:
    """Name of the LA with DfE code ``la_code`` (``"806"`` -> ``"Middlesbrough"``), latest year."""
    return str(_la_row(reference_dir, la_code)["la_name"])


def la_region(reference_dir: str | Path, la_code: str | int) -> str:
    """Name of the region of the LA (``"806"`` -> ``"North East"``), latest year."""
    return str(_la_row(reference_dir, la_code)["region_name"])


def _published_rows(frame: pd.DataFrame, area: str | int) -> tuple[pd.DataFrame, str, str]:
    key = str(area).strip()
    if key.lower() in _ENGLAND:
        return frame.loc[frame["geographic_level"].eq("National")], "England", "National"
    regional = frame["geographic_level"].eq("Regional")
    by_region = regional & (
        frame["region_name"].str.lower().eq(key.lower()) | frame["region_code"].eq(key)
    )
    if by_region.any():
        rows = frame.loc[by_region]
        return rows, str(rows["region_name"].iloc[0]), "Regional"
    rows = frame.loc[
        frame["geographic_level"].eq("Local authority") & frame["old_la_code"].eq(_la(key))
    ]
    if rows.empty:
        return rows, key, "Local authority"
    return rows, str(rows.sort_values("time_period")["la_name"].iloc[-1]), "Local authority"


def cla_published(
    reference_dir: str | Path,
    area: str | int,
    level: Literal["la", "region", "england"] = "la",
    measure: Literal["at_31_march", "starting", "ceasing"] = "at_31_march",
) -> pd.DataFrame:
    """Return the published DfE number and rate per 10,000 of children looked after, by year.

    Source: DfE, *Children looked after in England including adoptions*
    (:data:`CLA_RATE_FILE`). Rates are DfE's, rounded to whole numbers as published.

    Parameters
    ----------
    reference_dir
        Folder holding the reference files.
    area
        A DfE 3-digit LA code (``"806"``), a region name or code (``"North East"``,
        ``"E12000001"``), or ``"England"``.
    level
        With an LA code: ``"la"`` for the LA itself, ``"region"`` for its region, ``"england"``
        for England. Ignored when ``area`` is a region or England.
    measure
        ``"at_31_march"`` (children looked after on 31 March), ``"starting"`` or ``"ceasing"``
        (children starting / ceasing to be looked after during the year).

    Returns
    -------
    pandas.DataFrame
        Columns ``year_ending`` (int), ``geographic_level``, ``area_name``,
        ``population_estimate``, ``children_count`` (Int64; NA when suppressed), ``rate_per_10k``
        (float; NA when suppressed), sorted by year.

    Raises
    ------
    analysis.errors.InputError
        When the file is missing or has no such area.
    """
    if measure not in CLA_MEASURES:
        raise ParameterError(f"measure must be one of {', '.join(CLA_MEASURES)}, not {measure!r}")
    frame = _load(reference_dir, CLA_RATE_FILE)
    target: str | int = area
    if level == "england":
        target = "England"
    elif level == "region":
        key = str(area).strip()
        is_region = frame["geographic_level"].eq("Regional") & (
            frame["region_name"].str.lower().eq(key.lower()) | frame["region_code"].eq(key)
        )
        if not (is_region.any() or key.lower() in _ENGLAND):
            target = la_region(reference_dir, area)
    elif level != "la":
        raise ParameterError(f"level must be 'la', 'region' or 'england', not {level!r}")
    rows, name, geographic_level = _published_rows(frame, target)
    rows = rows.loc[rows["population_type"].eq(CLA_MEASURES[measure])]
    if rows.empty:
        raise InputError(
            str(Path(reference_dir).expanduser() / CLA_RATE_FILE),
            f"no published figures for {target!r} ({measure})",
        )
    out = pd.DataFrame(
        {
            "year_ending": rows["time_period"].astype(int).to_numpy(),
            "geographic_level": geographic_level,
            "area_name": name,
            "population_estimate": _to_int(rows["population_estimate"]).to_numpy(),
            "children_count": _to_int(rows["children_count"]).to_numpy(),
            "rate_per_10k": pd.to_numeric(rows["rate_per_10000"], errors="coerce").to_numpy(),
        }
    )
    return out.sort_values("year_ending").reset_index(drop=True)


def cla_published_comparison(
    reference_dir: str | Path,
    la_code: str | int,
    measure: Literal["at_31_march", "starting", "ceasing"] = "at_31_march",
) -> pd.DataFrame:
    """Return the published CLA number and rate for an LA, its region and England (tidy).

    Same columns as :func:`cla_published`, LA rows first, then region, then England.
    """
    parts = [
        cla_published(reference_dir, la_code, level=lvl, measure=measure)
        for lvl in ("la", "region", "england")
    ]
    return pd.concat(parts, ignore_index=True)
