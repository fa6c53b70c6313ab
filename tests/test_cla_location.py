"""Placement location in / out of area and over 20 miles (PL_LOCATION, PL_DISTANCE)."""

import math

import pytest
from cla_frames import ep, episodes

from analysis import cla

YE = "2024-03-31"


def located():
    eps = episodes(
        ep("A", "2023-01-01"),
        ep("B", "2023-01-01"),
        ep("C", "2023-01-01"),
        ep("D", "2023-01-01"),
        ep("E", "2023-01-01"),
        ep("F", "2023-01-01"),
        ep("G", "2023-01-01", dec=YE, rec="E8"),  # ceased on the day: not looked after
    )
    eps["pl_location"] = ["IN", "OUT", "OUT", "IN", "out", None, "OUT"]
    eps["pl_distance"] = [5.0, 20.0, 20.1, 25.0, math.nan, 3.0, 40.0]
    return eps


def test_placement_location_by_hand():
    table = cla.placement_location_at(located(), YE).set_index("measure")
    # Looked after: A-F. Location known: A-E (E's "out" is read as OUT); distance known: A-D, F.
    expected = {
        "in_area": (2, 5),  # A, D
        "out_of_area": (3, 5),  # B, C, E
        "out_of_area_over_20_miles": (
            1,
            2,
        ),  # C; of B and C (out, distance known); 20.0 is not over
        "out_of_area_over_20_miles_of_all": (1, 4),  # C; of A-D (location and distance known)
        "over_20_miles": (2, 5),  # C and D (inside the area but 25 miles away)
        "location_not_known": (2, 6),  # E (no distance), F (no location)
    }
    assert list(table.index) == list(cla.LOCATION_MEASURES)
    for measure, (count, denominator) in expected.items():
        assert table.loc[measure, "count"] == count, measure
        assert table.loc[measure, "denominator"] == denominator, measure
        assert table.loc[measure, "percent"] == pytest.approx(100 * count / denominator)


def test_location_not_supplied():
    plain = episodes(ep("A", "2023-01-01"))
    assert not cla.location_supplied(plain)
    with pytest.raises(ValueError, match="PL_LOCATION"):
        cla.placement_location_at(plain, YE)
    empty = located().assign(pl_location=None, pl_distance=math.nan)
    assert not cla.location_supplied(empty)
    assert cla.location_supplied(located())


def test_no_children_gives_nan_percentages():
    table = cla.placement_location_at(located(), "2022-03-31")
    assert table["count"].eq(0).all() and table["percent"].isna().all()
