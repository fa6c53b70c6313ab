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
from analysis.la_names import CLA_RATE_FILE, la_code_text, la_name, la_region
from analysis.paths import reference_file

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
    "read_reference_file",
    "ons_code",
    "STAT_NEIGHBOURS_FILES",
    "LAIT_FILE",
    "CLA_CHARACTERISTICS_FILE",
    "CLA_CEASED_REASON_FILE",
    "statistical_neighbour_model",
    "statistical_neighbours",
    "lait_indicator",
    "lait_comparison",
    "cla_rate_comparison",
    "cla_characteristics_published",
    "cla_ceased_published",
    "neighbour_figures",
]

log = logging.getLogger(__name__)

ONS_MYE_FILE = "ons_mye_children_0_17_by_la_2012_2024.csv"
ONS_MYE2_FILE = "ons_mye2_mid2023_age0_17_by_sex_england_utla.csv"

#: Short names of the DfE ``population_type`` values of :data:`CLA_RATE_FILE`.
CLA_MEASURES = {
    "at_31_march": "Children looked after on 31 March each year",
    "starting": "Children starting to be looked after each year",
    "ceasing": "Children ceasing to be looked after each year",
}
_MISSING = ["c", "x", "z", "k", "u", ":", ".", "..", "-"]
_ENGLAND = {"england", "national", "970"}


@lru_cache(maxsize=16)
def _read(path: str, mtime: float) -> pd.DataFrame:
    # utf-8-sig: some DfE files start with a byte-order mark, which would stick to the first name.
    return pd.read_csv(
        path, dtype=str, keep_default_na=False, na_values=["", *_MISSING], encoding="utf-8-sig"
    )


def _load(reference_dir: str | Path, name: str) -> pd.DataFrame:
    path = reference_file(reference_dir, name)
    try:
        return _read(str(path), path.stat().st_mtime).copy()
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise InputError(str(path), f"cannot read reference file ({exc})") from exc


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
    code = la_code_text(la_code)
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
    ons_code = _new_la_code(reference_dir, la_code_text(la_code))
    frame = _load(reference_dir, ONS_MYE2_FILE)
    rows = frame.loc[frame["Code"].eq(ons_code) & frame["Sex"].eq(sex)]
    if rows.empty:
        raise InputError(
            str(Path(reference_dir).expanduser() / ONS_MYE2_FILE),
            f"no {sex} row for {ons_code} (LA {la_code_text(la_code)})",
            field="Code",
        )
    ages = [f"age_{a}" for a in range(min_age, max_age + 1)]
    return int(pd.to_numeric(rows.iloc[0][ages]).sum())


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
        frame["geographic_level"].eq("Local authority") & frame["old_la_code"].eq(la_code_text(key))
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


# --- Comparators: statistical neighbours, LAIT indicators, CLA characteristics and ceased ---

#: DfE statistical neighbour models: April 2021 grouping and the 2025 model.
STAT_NEIGHBOURS_FILES = {
    "2021": "dfe_statistical_neighbours_april2021.csv",
    "2025": "dfe_statistical_neighbours_2025_wide.csv",
}
#: DfE Local Authority Interactive Tool indicators (England 970, regions 980-990).
LAIT_FILE = "dfe_lait_csc_indicators_2016_2025_wide.csv"
#: DfE CLA at 31 March by characteristics (legal status, placement, ethnicity, age, sex ...).
CLA_CHARACTERISTICS_FILE = "dfe_cla_31march_by_characteristics_2021_2025_wide.csv"
#: DfE CLA ceasing during the year by reason episode ceased.
CLA_CEASED_REASON_FILE = "dfe_cla_ceased_by_reason_2020_2024_wide.csv"
_LAIT_ENGLAND = "970"
_SN_MEAN = "Statistical neighbours (mean)"


def read_reference_file(reference_dir: str | Path, name: str) -> pd.DataFrame:
    """Read one reference file as strings, DfE missing-value symbols as NA.

    Raises
    ------
    analysis.errors.InputError
        When the file is missing or unreadable (the message names it).
    """
    return _load(reference_dir, name)


def ons_code(reference_dir: str | Path, la_code: str | int) -> str:
    """ONS code of the LA with DfE code ``la_code`` (``"806"`` -> ``"E06000002"``)."""
    return _new_la_code(reference_dir, la_code_text(la_code))


def statistical_neighbour_model(period_end: object) -> Literal["2021", "2025"]:
    """The DfE statistical neighbour model in use for a reporting period ending ``period_end``.

    DfE's April 2021 grouping was the current model until the 2025 model was published in 2025;
    periods ending before 1 April 2025 use the 2021 model (the neighbours the LA benchmarked
    against when it wrote that year's report), later periods the 2025 model.
    """
    return "2021" if pd.Timestamp(period_end) < pd.Timestamp("2025-04-01") else "2025"


def statistical_neighbours(
    reference_dir: str | Path, la_code: str | int, model: Literal["2021", "2025"] = "2025"
) -> pd.DataFrame:
    """The ten DfE statistical neighbours of an LA, closest first.

    Source: DfE, *Children's services statistical neighbour benchmarking tool* (April 2021
    grouping, or the 2025 model), :data:`STAT_NEIGHBOURS_FILES`.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank`` (1-10), ``la_code`` (DfE 3-digit code), ``la_name``, ``closeness``
        (DfE's wording, e.g. "Very close").
    """
    if model not in STAT_NEIGHBOURS_FILES:
        raise ParameterError(f"model must be '2021' or '2025', not {model!r}")
    name = STAT_NEIGHBOURS_FILES[model]
    frame = _load(reference_dir, name)
    code = la_code_text(la_code)
    if model == "2025":
        rows = frame.loc[frame["old_la_code"].str.strip().eq(code)]
        pairs = [(f"SN_{i}", f"SN_{i}P") for i in range(1, 11)]
        names = frame.set_index(frame["old_la_code"].str.strip())["la_name"]
    else:
        # Repeated "SNP" headers: read the columns by position (SN1, SNP, SN2, SNP, ...).
        columns = list(frame.columns)
        rows = frame.loc[frame[columns[0]].str.strip().eq(code)]
        first = columns.index("SN1")
        pairs = [(columns[first + 2 * i], columns[first + 2 * i + 1]) for i in range(10)]
        names = frame.set_index(frame[columns[0]].str.strip())[columns[1]]
    if rows.empty:
        raise InputError(
            str(Path(reference_dir).expanduser() / name), f"LA code {code} not found", field="LA"
        )
    row = rows.iloc[0]
    neighbours = [la_code_text(str(row[c]).strip()) for c, _ in pairs]
    return pd.DataFrame(
        {
            "rank": range(1, 11),
            "la_code": neighbours,
            "la_name": [str(names.get(c, c)) for c in neighbours],
            "closeness": [str(row[p]).strip() for _, p in pairs],
        }
    )


def _lait_codes(frame: pd.DataFrame, region: str) -> str:
    names = frame.loc[frame["lait_la_number"].astype(int).ge(980)]
    match = names.loc[names["area_name"].str.lower().eq(region.lower()), "lait_la_number"]
    if match.empty:
        raise InputError(LAIT_FILE, f"region {region!r} not found", field="area_name")
    return str(match.iloc[0])


def lait_indicator(
    reference_dir: str | Path,
    measure: str,
    codes: list[str],
    years: list[int] | None = None,
) -> pd.DataFrame:
    """Values of one DfE LAIT indicator for the given LAIT area codes, by year.

    Source: DfE, *Local Authority Interactive Tool* (:data:`LAIT_FILE`), which compiles the CLA
    and CIN publications; ``year`` is the year ending 31 March. Area codes are DfE LA numbers,
    970 for England and 980-990 for regions. Suppressed or unavailable values are NaN.

    Returns
    -------
    pandas.DataFrame
        Columns ``year_ending`` (int), ``lait_code``, ``area_name``, ``value`` (float), one row per
        area code and year (NaN where the file has no row), in the order of ``codes``, then year.
    """
    frame = _load(reference_dir, LAIT_FILE)
    if measure not in frame.columns:
        raise InputError(
            str(Path(reference_dir).expanduser() / LAIT_FILE),
            f"no LAIT measure {measure!r}",
            field=measure,
        )
    years = sorted(int(y) for y in frame["year"].dropna().unique()) if years is None else years
    rows = frame.loc[frame["lait_la_number"].isin(codes)]
    names = rows.drop_duplicates("lait_la_number", keep="last").set_index("lait_la_number")
    values = rows.set_index(["lait_la_number", "year"])[measure]
    records = []
    for code in codes:
        for year in years:
            value = values.get((code, str(year)), None)
            records.append(
                {
                    "year_ending": int(year),
                    "lait_code": code,
                    "area_name": str(names["area_name"].get(code, code)),
                    "value": pd.to_numeric(value, errors="coerce") if value is not None else None,
                }
            )
    out = pd.DataFrame(records)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    return out


def lait_comparison(
    reference_dir: str | Path,
    la_code: str | int,
    measure: str,
    years: list[int],
    model: Literal["2021", "2025"] = "2025",
) -> pd.DataFrame:
    """One LAIT indicator for an LA, its region, England and its statistical neighbours.

    The statistical neighbour figure is the unweighted mean of the neighbours' values for the
    year (as LAIT's "statistical neighbours average"), over the neighbours with a value.

    Returns
    -------
    pandas.DataFrame
        Columns ``year_ending``, ``area`` (name), ``area_type`` (``la``, ``region``,
        ``england``, ``statistical_neighbours``), ``value`` (float), ``neighbours_with_data``
        (Int64; only on statistical neighbour rows), rows by area type then year.
    """
    code = la_code_text(la_code)
    frame = _load(reference_dir, LAIT_FILE)
    region = _lait_codes(frame, la_region(reference_dir, code))
    parts = []
    for area_type, area_code in (("la", code), ("region", region), ("england", _LAIT_ENGLAND)):
        part = lait_indicator(reference_dir, measure, [area_code], years)
        parts.append(
            pd.DataFrame(
                {
                    "year_ending": part["year_ending"],
                    "area": part["area_name"],
                    "area_type": area_type,
                    "value": part["value"],
                    "neighbours_with_data": pd.array([pd.NA] * len(part), dtype="Int64"),
                }
            )
        )
    neighbours = statistical_neighbours(reference_dir, code, model)["la_code"].tolist()
    sn = lait_indicator(reference_dir, measure, neighbours, years)
    grouped = sn.groupby("year_ending")["value"]
    means = grouped.mean()
    counts = grouped.count()
    parts.append(
        pd.DataFrame(
            {
                "year_ending": [int(y) for y in years],
                "area": _SN_MEAN,
                "area_type": "statistical_neighbours",
                "value": [float(means.get(y, float("nan"))) for y in years],
                "neighbours_with_data": pd.array(
                    [int(counts.get(y, 0)) for y in years], dtype="Int64"
                ),
            }
        )
    )
    return pd.concat(parts, ignore_index=True)


def cla_rate_comparison(
    reference_dir: str | Path,
    la_code: str | int,
    years: list[int],
    model: Literal["2021", "2025"] = "2025",
) -> pd.DataFrame:
    """Published children looked after at 31 March and rate per 10,000: LA, region, England, SNs.

    DfE LAIT measures ``LACnum`` and ``LAC`` (from DfE, *Children looked after in England
    including adoptions*; rates rounded to whole numbers as published). The statistical
    neighbours' rate is the mean of their rates; their count is not given (a mean count means
    nothing).

    Returns
    -------
    pandas.DataFrame
        Columns ``year_ending``, ``area``, ``area_type``, ``children_count`` (Int64),
        ``rate_per_10k`` (float), ``neighbours_with_data``.
    """
    rates = lait_comparison(reference_dir, la_code, "LAC", years, model)
    counts = lait_comparison(reference_dir, la_code, "LACnum", years, model)
    count = counts["value"].where(counts["area_type"].ne("statistical_neighbours"))
    return pd.DataFrame(
        {
            "year_ending": rates["year_ending"],
            "area": rates["area"],
            "area_type": rates["area_type"],
            "children_count": count.round().astype("Int64"),
            "rate_per_10k": rates["value"],
            "neighbours_with_data": rates["neighbours_with_data"],
        }
    )


def _wide_published(
    reference_dir: str | Path,
    name: str,
    la_code: str | int,
    group: str,
    years: list[int] | None,
) -> pd.DataFrame:
    frame = _load(reference_dir, name)
    code = la_code_text(la_code)
    region = la_region(reference_dir, code)
    prefix = f"{group}|"
    numbers = [c for c in frame.columns if c.startswith(prefix) and c.endswith("|number")]
    if not numbers:
        raise InputError(
            str(Path(reference_dir).expanduser() / name), f"no {group!r} columns", field=group
        )
    selectors = (
        ("la", frame["geographic_level"].eq("Local authority") & frame["old_la_code"].eq(code)),
        ("region", frame["geographic_level"].eq("Regional") & frame["region_name"].eq(region)),
        ("england", frame["geographic_level"].eq("National")),
    )
    records = []
    for area_type, mask in selectors:
        rows = frame.loc[mask]
        if years is not None:
            rows = rows.loc[rows["time_period"].astype(int).isin(years)]
        for _, row in rows.iterrows():
            area = {"la": row["la_name"], "region": region, "england": "England"}[area_type]
            for column in numbers:
                characteristic = column[len(prefix) : -len("|number")]
                records.append(
                    {
                        "year_ending": int(row["time_period"]),
                        "area": str(area),
                        "area_type": area_type,
                        "characteristic": characteristic,
                        "count": row[column],
                        "percent": row[column[: -len("number")] + "percentage"],
                    }
                )
    out = pd.DataFrame(records)
    if out.empty:
        return pd.DataFrame(
            columns=["year_ending", "area", "area_type", "characteristic", "count", "percent"]
        )
    out["count"] = _to_int(out["count"])
    out["percent"] = pd.to_numeric(out["percent"], errors="coerce").astype("float64")
    order = {"la": 0, "region": 1, "england": 2}
    out = out.sort_values(
        ["year_ending", "area_type"], key=lambda s: s.map(order) if s.name == "area_type" else s
    )
    return out.reset_index(drop=True)


def cla_characteristics_published(
    reference_dir: str | Path,
    la_code: str | int,
    group: str,
    years: list[int] | None = None,
) -> pd.DataFrame:
    """Published children looked after at 31 March by one characteristic: LA, region, England.

    Source: DfE, *Children looked after in England including adoptions*, "children looked after
    at 31 March by characteristics" (:data:`CLA_CHARACTERISTICS_FILE`). ``group`` is DfE's
    ``cla_group``: ``"Legal status"``, ``"Placement"``, ``"Ethnicity"``, ``"Age group"``,
    ``"Sex"``, ``"Category of need"`` or ``"Unaccompanied asylum-seeking children"``. Numbers are
    DfE's (rounded to the nearest 10 for England and regions); percentages are whole numbers as
    published. The ``Total`` row is kept.

    Returns
    -------
    pandas.DataFrame
        Columns ``year_ending``, ``area``, ``area_type`` (``la``, ``region``, ``england``),
        ``characteristic`` (DfE's wording), ``count`` (Int64), ``percent`` (float).
    """
    return _wide_published(reference_dir, CLA_CHARACTERISTICS_FILE, la_code, group, years)


def cla_ceased_published(
    reference_dir: str | Path, la_code: str | int, years: list[int] | None = None
) -> pd.DataFrame:
    """Published children ceasing to be looked after by reason: LA, region, England.

    Source: DfE, *Children looked after in England including adoptions*, "children who ceased
    to be looked after during the year by reason episode ceased"
    (:data:`CLA_CEASED_REASON_FILE`, years ending March 2020-2024). DfE's reasons group the
    REC codes: "Special guardianship orders" is E43-E48, "Residence order or child arrangement
    order granted" is E41, "Adopted" is E11-E12.

    Returns
    -------
    pandas.DataFrame
        Same columns as :func:`cla_characteristics_published`; ``characteristic`` is the reason.
    """
    return _wide_published(
        reference_dir, CLA_CEASED_REASON_FILE, la_code, "Reason episode ceased", years
    )


def neighbour_figures(
    reference_dir: str | Path,
    la_code: str | int,
    year_ending: int,
    model: Literal["2021", "2025"] = "2025",
) -> pd.DataFrame:
    """The LA's statistical neighbours with their published CLA count and rate for one year.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank``, ``la_code``, ``la_name``, ``closeness`` (:func:`statistical_neighbours`),
        ``year_ending``, ``children_count`` (Int64), ``rate_per_10k`` (float; DfE LAIT ``LACnum``
        and ``LAC``, NaN where not published).
    """
    neighbours = statistical_neighbours(reference_dir, la_code, model)
    codes = neighbours["la_code"].tolist()
    counts = lait_indicator(reference_dir, "LACnum", codes, [int(year_ending)])
    rates = lait_indicator(reference_dir, "LAC", codes, [int(year_ending)])
    out = neighbours.assign(year_ending=int(year_ending))
    out["children_count"] = counts["value"].round().astype("Int64").to_numpy()
    out["rate_per_10k"] = rates["value"].to_numpy()
    return out
