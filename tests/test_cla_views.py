"""Views conveyed (PN1-PN6) with the denominator stated."""

import pandas as pd
import pytest
from cla_frames import reviews

from analysis import cla


def test_views_conveyed_by_hand():
    rv = reviews(
        ("A", "2023-04-01", "PN0"),
        ("A", "2023-10-01", "PN1"),
        ("B", "2023-06-01", "PN6"),
        ("B", "2023-12-01", "PN7"),
        ("C", "2024-03-31", "PN3"),
        ("C", "2024-04-01", "PN1"),  # after the year
    )
    table = cla.views_conveyed(rv, "2023-04-01", "2024-03-31").set_index("measure")["value"]
    assert table["reviews_held"] == 5
    assert table["views_conveyed"] == 3  # PN1, PN6, PN3
    assert table["under_4"] == 1
    assert table["percent"] == pytest.approx(60.0)  # 3 of 5: PN0 stays in the denominator
    assert table["percent_aged_4_plus"] == pytest.approx(75.0)  # 3 of 4


def test_views_conveyed_empty_year():
    rv = reviews(("A", "2023-04-01", "PN0"))
    table = cla.views_conveyed(rv, "2024-04-01", "2025-03-31").set_index("measure")["value"]
    assert table["reviews_held"] == 0
    assert pd.isna(table["percent"]) and pd.isna(table["percent_aged_4_plus"])
    only_babies = cla.views_conveyed(rv, "2023-04-01", "2024-03-31").set_index("measure")
    assert only_babies.loc["percent", "value"] == 0.0
    assert pd.isna(only_babies.loc["percent_aged_4_plus", "value"])
