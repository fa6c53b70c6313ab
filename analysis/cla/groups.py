"""CLA figures in DfE's published groups, for comparison with the North East and England.

DfE's CLA tables group the SSDA903 codes (reason episode ceased, placement type, legal status);
the groupings are data (``dfe_groups.yml`` beside this module for REC and PLACE; legal status
groups in :mod:`analysis.codes`). Each function returns ``characteristic`` (DfE's wording),
``count`` and ``percent``, one row per group in DfE order with zero rows, so the rows line up
with :func:`analysis.reference.cla_characteristics_published` and
:func:`analysis.reference.cla_ceased_published`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from analysis import codes as codelists
from analysis.cla.characteristics import AGE_BANDS, by_code, sex_and_age_at
from analysis.cla.flows import ceased_in_period
from analysis.cla.looked_after import cla_at
from analysis.dates import DateLike
from analysis.yamldata import load_yaml

__all__ = [
    "SGO_CODES",
    "CAO_CODES",
    "dfe_groups",
    "ceased_by_dfe_reason",
    "placement_group_at",
    "legal_status_group_at",
    "permanence_orders_ceased",
    "DFE_AGE_GROUPS",
    "sex_age_group_at",
    "sex_age_with_published",
]

#: REC codes of special guardianship orders (E43/E44 before 2014-15, E45-E48 since).
SGO_CODES = ("E43", "E44", "E45", "E46", "E47", "E48")
#: REC code of a residence order or child arrangements order (CAO).
CAO_CODES = ("E41",)
#: DfE's wording of the CLA age bands in its published tables.
DFE_AGE_GROUPS = dict(
    zip(
        AGE_BANDS,
        ("Under 1 year", "1 to 4 years", "5 to 9 years", "10 to 15 years", "16 years and over"),
        strict=True,
    )
)


@cache
def _groups() -> dict[str, dict[str, list[str]]]:

    text = resources.files(__package__).joinpath("dfe_groups.yml").read_text("utf-8")
    return load_yaml(text)


def dfe_groups(field: str) -> dict[str, list[str]]:
    """DfE group -> member codes for ``REC``, ``PLACE`` or ``LS`` (from :mod:`analysis.codes`)."""
    if field.upper() == "LS":
        return codelists.groups("LS")
    try:
        return {str(k): [str(c) for c in v] for k, v in _groups()[field.upper()].items()}
    except KeyError:
        raise KeyError(f"no DfE groups for {field!r}; known: REC, PLACE, LS") from None


def _grouped(codes: pd.Series, field: str) -> pd.DataFrame:
    groups = dfe_groups(field)
    lookup = {c: g for g, members in groups.items() for c in members}
    table = by_code(codes.map(lookup), list(groups))
    return table.rename(columns={"code": "characteristic"})


def ceased_by_dfe_reason(
    episodes: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Children who ceased to be looked after in the period, by DfE's reason groups.

    Children as :func:`~analysis.cla.ceased_in_period`; REC grouped as DfE publishes ("Special
    guardianship orders" = E43-E48, "Adopted" = E11-E12, ...). A REC in no group is "Not known".
    """
    return _grouped(ceased_in_period(episodes, period_start, period_end)["rec"], "REC")


def placement_group_at(episodes: pd.DataFrame, date: DateLike) -> pd.DataFrame:
    """Children looked after at ``date`` by DfE placement group (PLACE of the open episode)."""
    return _grouped(cla_at(episodes, date)["place"], "PLACE")


def legal_status_group_at(episodes: pd.DataFrame, date: DateLike) -> pd.DataFrame:
    """Children looked after at ``date`` by DfE legal status group (full care order, ...)."""
    return _grouped(cla_at(episodes, date)["ls"], "LS")


def permanence_orders_ceased(
    episodes: pd.DataFrame, period_start: DateLike, period_end: DateLike
) -> pd.DataFrame:
    """Children leaving care under a special guardianship or child arrangements order.

    Children as :func:`~analysis.cla.ceased_in_period` whose reason is a residence / child
    arrangements order (E41) or a special guardianship order (E45-E48; the pre-2014 codes
    E43/E44 are listed only when they occur). ``percent`` is of **all** children who ceased to
    be looked after in the period, so the rows do not add up to 100.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``count`` (int64), ``percent`` (NaN when no child ceased).
    """
    rec = ceased_in_period(episodes, period_start, period_end)["rec"]
    codes = [c for c in (*CAO_CODES, *SGO_CODES) if c not in ("E43", "E44") or rec.eq(c).any()]
    counts = np.array([int(rec.eq(c).sum()) for c in codes], dtype="int64")
    total = len(rec)
    percent = counts / total * 100 if total else np.full(len(codes), np.nan)
    return pd.DataFrame({"code": codes, "count": counts, "percent": percent.astype("float64")})


def sex_age_group_at(
    episodes: pd.DataFrame, children: pd.DataFrame, date: DateLike
) -> pd.DataFrame:
    """Children looked after at ``date`` by sex and by age group, in DfE's published wording.

    :func:`~analysis.cla.sex_and_age_at` with the age bands named as DfE publishes them
    ("Under 1 year", ..., "16 years and over"); percentages are per group (sex, age). Rows for
    a sex or date of birth not known are kept as "Not known".

    Returns
    -------
    pandas.DataFrame
        Columns ``group`` (``sex``, ``age_band``), ``characteristic``, ``count``, ``percent``:
        Male, Female, then the age groups.
    """
    table = sex_and_age_at(episodes, children, date)
    names = table["code"].map(lambda c: DFE_AGE_GROUPS.get(c, c))
    return pd.DataFrame(
        {
            "group": table["group"],
            "characteristic": names,
            "count": table["count"],
            "percent": table["percent"],
        }
    )


def sex_age_with_published(
    ours: pd.DataFrame,
    published_sex: pd.DataFrame,
    published_age: pd.DataFrame,
    area: str,
    area_types: tuple[str, ...] = ("region", "england"),
) -> pd.DataFrame:
    """Children by sex and age group (this report) with DfE's published comparators.

    Parameters
    ----------
    ours
        :func:`sex_age_group_at` stacked by year (``year_ending`` first).
    published_sex, published_age
        :func:`analysis.reference.cla_characteristics_published` for ``"Sex"`` and
        ``"Age group"``.
    area, area_types
        See :func:`analysis.cla.with_published`.

    Returns
    -------
    pandas.DataFrame
        Columns ``year_ending``, ``area``, ``source``, ``group``, ``characteristic``, ``count``,
        ``percent``: the sex rows (this report, then comparators), then the age group rows.
    """
    from analysis.cla.compare import with_published

    parts = []
    for group, published in (("sex", published_sex), ("age_band", published_age)):
        mine = ours.loc[ours["group"].eq(group)].drop(columns="group")
        part = with_published(mine, published, area, list(area_types))
        part.insert(3, "group", group)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
