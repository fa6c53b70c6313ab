"""Where children looked after live: inside or outside the LA, and over 20 miles from home.

Inputs: the optional SSDA903 episode columns ``PL_LOCATION`` (``IN``: placed inside the LA
boundary; ``OUT``: outside) and ``PL_DISTANCE`` (miles between the home and placement
postcodes), which DfE's validator derives from the postcodes (processed as ``pl_location`` and
``pl_distance``). Some LAs do not send them: :func:`location_supplied` says whether the part can
be reported at all.

Definitions (DfE, *Children looked after in England including adoptions*, "placed inside / outside
the council boundary" and "placed more than 20 miles from home"): children looked after at the
date (:func:`~analysis.cla.cla_at`), placement of their open episode; "over 20 miles" is a
``PL_DISTANCE`` greater than 20. Children with no location or distance recorded are counted as
not known and left out of the denominators.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.cla.looked_after import cla_at
from analysis.dates import DateLike

__all__ = ["LOCATION_MEASURES", "location_supplied", "placement_location_at"]

#: Measures of :func:`placement_location_at`, in order.
LOCATION_MEASURES = (
    "in_area",
    "out_of_area",
    "out_of_area_over_20_miles",
    "out_of_area_over_20_miles_of_all",
    "over_20_miles",
    "location_not_known",
)
DISTANCE_THRESHOLD_MILES = 20.0
_COLUMNS = ("pl_location", "pl_distance")


def location_supplied(episodes: pd.DataFrame) -> bool:
    """True when the episodes carry ``pl_location`` and ``pl_distance`` with any value."""
    return all(c in episodes.columns and episodes[c].notna().any() for c in _COLUMNS)


def placement_location_at(episodes: pd.DataFrame, date: DateLike) -> pd.DataFrame:
    """Children looked after at ``date`` by placement location and distance from home.

    Measures (``count`` of children, ``denominator``, ``percent`` = count / denominator):

    - ``in_area`` / ``out_of_area``: PL_LOCATION ``IN`` / ``OUT``, of children with a location;
    - ``out_of_area_over_20_miles``: ``OUT`` and over 20 miles, of children placed out of area
      (the published report's "out of area over 20 miles from home");
    - ``out_of_area_over_20_miles_of_all``: the same children, of all children with a location
      and distance (DfE's "placed more than 20 miles from home, outside LA boundary");
    - ``over_20_miles``: over 20 miles, in or out of area, of children with a distance;
    - ``location_not_known``: no PL_LOCATION or no PL_DISTANCE, of all children looked after.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure``, ``count`` (int64), ``denominator`` (int64), ``percent`` (float,
        unrounded; NaN when the denominator is 0).

    Raises
    ------
    ValueError
        When the episodes have no ``pl_location`` / ``pl_distance`` columns (check
        :func:`location_supplied` first).
    """
    missing = [c for c in _COLUMNS if c not in episodes.columns]
    if missing:
        raise ValueError(
            f"episodes lack {', '.join(missing)}: PL_LOCATION / PL_DISTANCE were not supplied"
        )
    cla = cla_at(episodes, date)
    location = cla["pl_location"].astype("string").str.strip().str.upper()
    distance = pd.to_numeric(cla["pl_distance"], errors="coerce")
    has_location = location.isin(["IN", "OUT"]).fillna(False).astype(bool)
    has_distance = distance.notna()
    known = has_location & has_distance
    inside = has_location & location.eq("IN").fillna(False).astype(bool)
    outside = has_location & location.eq("OUT").fillna(False).astype(bool)
    far = has_distance & distance.gt(DISTANCE_THRESHOLD_MILES).fillna(False).astype(bool)
    rows = [
        ("in_area", inside.sum(), has_location.sum()),
        ("out_of_area", outside.sum(), has_location.sum()),
        ("out_of_area_over_20_miles", (outside & far).sum(), (outside & has_distance).sum()),
        ("out_of_area_over_20_miles_of_all", (outside & far & known).sum(), known.sum()),
        ("over_20_miles", far.sum(), has_distance.sum()),
        ("location_not_known", (~known).sum(), len(cla)),
    ]
    return pd.DataFrame(
        {
            "measure": [r[0] for r in rows],
            "count": pd.Series([int(r[1]) for r in rows], dtype="int64"),
            "denominator": pd.Series([int(r[2]) for r in rows], dtype="int64"),
            "percent": [100.0 * r[1] / r[2] if r[2] else math.nan for r in rows],
        }
    )
