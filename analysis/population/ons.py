"""ONS child population of an LA by sex and by DfE age band.

Source: ONS, *Mid-year population estimates, England and Wales, mid-2023* (MYE2, first release
of 2024), by single year of age and sex (:data:`analysis.reference.ONS_MYE2_FILE`). For a year
ending 31 March 2024 this is the mid-year DfE's convention uses (mid-(YYYY-1)); it is the only
estimate by age and sex in the reference folder, so other years use it too and say so
(:func:`population_year_note`).

The bands are the DfE CLA age bands (:data:`analysis.cla.AGE_BANDS`): under 1 = age 0,
1 to 4, 5 to 9, 10 to 15, 16 and over = ages 16 and 17 (children are under 18).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.cla.characteristics import AGE_BANDS
from analysis.reference import population_mye2_2023

__all__ = [
    "MYE2_MID_YEAR",
    "AGE_BAND_AGES",
    "child_population",
    "population_year_note",
]

#: Mid-year of the ONS MYE2 estimate in the reference folder.
MYE2_MID_YEAR = 2023
#: Inclusive single years of age of each DfE CLA age band.
AGE_BAND_AGES = dict(zip(AGE_BANDS, ((0, 0), (1, 4), (5, 9), (10, 15), (16, 17)), strict=True))


def child_population(reference_dir: str | Path, la_codes: list[str]) -> pd.DataFrame:
    """Children aged 0-17 in the LAs by sex and by DfE age band (ONS MYE2 mid-2023).

    Parameters
    ----------
    reference_dir
        Folder holding the reference files.
    la_codes
        DfE 3-digit LA codes; populations are summed over them.

    Returns
    -------
    pandas.DataFrame
        Tidy, the shape of :func:`analysis.cla.sex_and_age_at`: columns ``group`` (``"sex"`` or
        ``"age_band"``), ``code`` ("Male", "Female"; the five bands), ``population`` (int64).
    """
    rows = []
    for sex in ("Male", "Female"):
        total = sum(population_mye2_2023(reference_dir, la, sex=sex) for la in la_codes)
        rows.append(("sex", sex, total))
    for band, (low, high) in AGE_BAND_AGES.items():
        total = sum(
            population_mye2_2023(reference_dir, la, min_age=low, max_age=high) for la in la_codes
        )
        rows.append(("age_band", band, total))
    out = pd.DataFrame(rows, columns=["group", "code", "population"])
    out["population"] = out["population"].astype("int64")
    return out


def population_year_note(year_ending: int) -> str:
    """Plain words on which ONS estimate the by-sex and by-age comparison uses.

    For the year ending March ``MYE2_MID_YEAR + 1`` it is the matching mid-year estimate;
    otherwise the sentence says that the mid-2023 estimate stands in for mid-(year - 1).
    """
    wanted = int(year_ending) - 1
    base = (
        f"Population: ONS mid-{MYE2_MID_YEAR} estimates of children aged 0-17 by sex and single "
        "year of age (first release)"
    )
    if wanted == MYE2_MID_YEAR:
        return base + "."
    return (
        base + f"; the reference folder has no estimate by sex and age for mid-{wanted}, the "
        "mid-year that matches this period, so the mid-2023 estimate is used."
    )
