"""Census 2021 ethnic group of an LA's usual residents, in categories comparable with ETHNIC codes.

Source: ONS, *Census 2021*, table TS021 "Ethnic group" (20 categories), usual residents of
**all ages**, by 2023 upper-tier local authority (:data:`CENSUS_ETHNICITY_FILE`). Census 2021
does not publish ethnic group by age for every LA in this table, so the comparison population is
the whole resident population, adults included: a report must say so.

The mapping of Census categories to SSDA903 / CIN census ``ETHNIC`` codes is data
(``census_ethnicity.yml`` beside this module): most categories match one code; Gypsy, Roma and
Irish Traveller, and Arab with "any other ethnic group", are compared together because the two
classifications split them differently. Major groups are DfE's grouping of the codes
(:func:`analysis.codes.major_ethnic_group`), so Census "Chinese" counts under "Other".
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from analysis import codes as codelists
from analysis.errors import InputError
from analysis.reference import ons_code, read_reference_file
from analysis.yamldata import load_yaml

__all__ = [
    "CENSUS_ETHNICITY_FILE",
    "NOT_COMPARED",
    "comparison_categories",
    "comparison_category",
    "census_ethnicity",
]

CENSUS_ETHNICITY_FILE = "ons_census2021_ts021_ethnic_group_utla2023_england.csv"
#: ETHNIC codes with no Census counterpart (refused, not yet obtained): left out of comparisons.
NOT_COMPARED = ("REFU", "NOBT")


@cache
def _mapping() -> dict[int, dict]:
    text = resources.files(__package__).joinpath("census_ethnicity.yml").read_text("utf-8")
    return {int(k): v for k, v in load_yaml(text)["categories"].items()}


def comparison_categories() -> pd.DataFrame:
    """The comparison categories in DfE ETHNIC order, with their codes and major group.

    Returns
    -------
    pandas.DataFrame
        Columns ``category`` (label), ``codes`` (tuple of ETHNIC codes), ``major_group``
        (DfE major group), ``census_codes`` (tuple of TS021 codes), one row per category.
    """
    order = {c: i for i, c in enumerate(codelists.codes("ETHNIC"))}
    seen: dict[str, dict] = {}
    for census_code, entry in _mapping().items():
        item = seen.setdefault(
            entry["label"], {"category": entry["label"], "codes": tuple(entry["codes"]), "cc": []}
        )
        item["cc"].append(census_code)
    rows = sorted(seen.values(), key=lambda r: min(order[c] for c in r["codes"]))
    return pd.DataFrame(
        {
            "category": [r["category"] for r in rows],
            "codes": [r["codes"] for r in rows],
            "major_group": [codelists.major_ethnic_group(r["codes"][0]) for r in rows],
            "census_codes": [tuple(r["cc"]) for r in rows],
        }
    )


def comparison_category(code: object) -> str | None:
    """The comparison category of an ETHNIC code; ``None`` for REFU, NOBT, missing or unknown."""
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return None
    lookup = {c: row.category for row in comparison_categories().itertuples() for c in row.codes}
    return lookup.get(str(code).strip())


def census_ethnicity(reference_dir: str | Path, la_codes: list[str]) -> pd.DataFrame:
    """Census 2021 usual residents (all ages) of the LAs by comparison category.

    Parameters
    ----------
    reference_dir
        Folder holding the reference files.
    la_codes
        DfE 3-digit LA codes (mapped to ONS codes through DfE's files); summed over them.

    Returns
    -------
    pandas.DataFrame
        Columns ``category``, ``major_group``, ``population`` (int64), in
        :func:`comparison_categories` order.

    Raises
    ------
    analysis.errors.InputError
        When the file lacks an LA or a category.
    """
    frame = read_reference_file(reference_dir, CENSUS_ETHNICITY_FILE)
    code_col, cat_col, obs_col = frame.columns[0], frame.columns[2], frame.columns[4]
    path = str(Path(reference_dir).expanduser() / CENSUS_ETHNICITY_FILE)
    counts: dict[int, int] = {}
    for la in la_codes:
        ons = ons_code(reference_dir, la)
        rows = frame.loc[frame[code_col].eq(ons)]
        if rows.empty:
            raise InputError(path, f"no rows for {ons} (LA {la})", field=code_col)
        values = pd.to_numeric(rows[obs_col], errors="coerce")
        by_cat = dict(zip(pd.to_numeric(rows[cat_col]).astype(int), values, strict=True))
        for census_code in _mapping():
            if census_code not in by_cat or pd.isna(by_cat[census_code]):
                raise InputError(
                    path, f"no count for category {census_code} of {ons}", field=obs_col
                )
            counts[census_code] = counts.get(census_code, 0) + int(by_cat[census_code])
    categories = comparison_categories()
    return pd.DataFrame(
        {
            "category": categories["category"],
            "major_group": categories["major_group"],
            "population": [sum(counts[c] for c in census) for census in categories["census_codes"]],
        }
    ).astype({"population": "int64"})
