"""Code tables: by_code, age bands and the CLA characteristic tables (hand-computed)."""

import numpy as np
import pandas as pd
import pytest
from cla_frames import children, ep, episodes

from analysis.cla import (
    age_band,
    age_on,
    by_code,
    category_of_need_started,
    ceased_by_reason,
    ceased_by_sex_age,
    ethnicity_at,
    legal_status_at,
    placement_type_at,
    sex_and_age_at,
    started_by_sex_age,
)

PS, PE = "2023-04-01", "2024-03-31"


def table(codes, counts, percents) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": pd.Series(codes, dtype="object"),
            "count": pd.Series(counts, dtype="int64"),
            "percent": pd.Series(percents, dtype="float64"),
        }
    )


def test_by_code_lists_zero_rows_in_order_and_not_known_last():
    got = by_code(pd.Series(["U4", "U4", "K2", None]), ["A3", "K2", "U4"])
    pd.testing.assert_frame_equal(
        got, table(["A3", "K2", "U4", "Not known"], [0, 1, 2, 1], [0.0, 25.0, 50.0, 25.0])
    )


def test_by_code_unlisted_codes_follow_listed_ones():
    got = by_code(pd.Series(["X", "U4"]), ["U4", "A3"])
    pd.testing.assert_frame_equal(got, table(["U4", "A3", "X"], [1, 0, 1], [50.0, 0.0, 50.0]))


def test_by_code_without_codes_sorts_present_codes():
    got = by_code(pd.Series(["b", "a", "b"]))
    pd.testing.assert_frame_equal(got, table(["a", "b"], [1, 2], [100 / 3, 200 / 3]))


def test_by_code_empty_series_gives_zero_counts_and_nan_percent():
    got = by_code(pd.Series([], dtype="object"), ["PN0", "PN1"])
    pd.testing.assert_frame_equal(got, table(["PN0", "PN1"], [0, 0], [np.nan, np.nan]))


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (-1, "Not known"),
        (0, "Under 1"),
        (1, "1 to 4"),
        (4, "1 to 4"),
        (5, "5 to 9"),
        (9, "5 to 9"),
        (10, "10 to 15"),
        (15, "10 to 15"),
        (16, "16 and over"),
        (17, "16 and over"),
        (None, "Not known"),
    ],
)
def test_age_band_edges(age, band):
    assert age_band(age) == band


def test_age_band_series():
    got = age_band(pd.Series([0, 4, 5, 15, 16, pd.NA], dtype="Int64"))
    assert got.tolist() == ["Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over", "Not known"]


def test_age_on_birthdays_and_29_february():
    dob = pd.to_datetime(pd.Series(["2008-04-01", "2008-04-01", "2008-02-29", "2008-02-29"]))
    dates = pd.to_datetime(pd.Series(["2024-03-31", "2024-04-01", "2023-02-28", "2023-03-01"]))
    assert age_on(dob, dates).tolist() == [15, 16, 14, 15]


def snapshot() -> pd.DataFrame:
    return episodes(
        ep("A", "2020-01-01", ls="C2", place="U4"),
        ep("B", "2021-01-01", ls="C1", place="U4"),
        ep("C", "2023-01-01", ls="J2", place="K2"),
        ep("D", "2022-01-01", ls="E1", place="A5"),
        ep("E", "2022-01-01", ls="D1", place="A6"),
        ep("S", "2024-01-01", ls="V3", place="U6"),  # short breaks: excluded
    )


def test_placement_type_at():
    got = placement_type_at(snapshot(), PE).set_index("code")
    assert len(got) == 27
    assert got.index[:4].tolist() == ["A3", "A4", "A5", "A6"]
    assert got.loc["U4", "count"] == 2 and got.loc["U4", "percent"] == 40.0
    assert got.loc["K2", "count"] == 1 and got.loc["A6", "count"] == 1
    assert got.loc["U6", "count"] == 0
    assert got["count"].sum() == 5


def test_legal_status_at_codes_and_groups():
    codes = legal_status_at(snapshot(), PE).set_index("code")
    assert "V3" not in codes.index and "V4" not in codes.index
    assert codes.loc[["C1", "C2", "D1", "E1", "J2"], "count"].tolist() == [1, 1, 1, 1, 1]
    groups = legal_status_at(snapshot(), PE, level="group")
    pd.testing.assert_frame_equal(
        groups,
        table(
            [
                "Full care order",
                "Interim care order",
                "Placement order granted",
                "Voluntary agreements under S20 CA 1989",
                "Detained for child protection",
                "Youth justice legal statuses",
            ],
            [1, 1, 2, 0, 0, 1],
            [20.0, 20.0, 40.0, 0.0, 0.0, 20.0],
        ),
    )


def test_ethnicity_at_codes_and_major_groups():
    eps = episodes(
        ep("A", "2020-01-01"), ep("B", "2020-01-01"), ep("C", "2020-01-01"), ep("D", "2020-01-01")
    )
    kids = children(
        ("A", 1, "2010-01-01", "WBRI"),
        ("B", 2, "2010-01-01", "CHNE"),
        ("C", 1, "2010-01-01", "NOBT"),
    )  # D: no header row
    detailed = ethnicity_at(eps, kids, PE).set_index("code")
    assert len(detailed) == 21
    assert detailed.loc[["WBRI", "CHNE", "NOBT", "Not known"], "count"].tolist() == [1, 1, 1, 1]
    groups = ethnicity_at(eps, kids, PE, level="group")
    pd.testing.assert_frame_equal(
        groups,
        table(
            ["White", "Mixed", "Asian", "Black", "Other", "Not known"],
            [1, 0, 0, 0, 1, 2],
            [25.0, 0.0, 0.0, 0.0, 25.0, 50.0],
        ),
    )


def test_category_of_need_of_starters_first_occasion():
    eps = episodes(
        ep("A", "2023-05-01", cin="N1"),
        ep("B", "2023-06-01", cin="N2"),
        ep("C", "2023-07-01", cin="N6"),
        ep("F", "2023-05-01", cin="N4", dec="2023-08-01", rec="E4A"),
        ep("F", "2023-10-01", cin="N1"),
        ep("G", "2022-10-01", cin="N8"),  # started before the period
    )
    got = category_of_need_started(eps, PS, PE)
    pd.testing.assert_frame_equal(
        got,
        table(
            ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"],
            [1, 1, 0, 1, 0, 1, 0, 0],
            [25.0, 25.0, 0.0, 25.0, 0.0, 25.0, 0.0, 0.0],
        ),
    )


def test_ceased_by_reason_lists_every_e_code():
    eps = episodes(
        ep("A", "2022-01-01", dec="2023-06-01", rec="E41"),
        ep("B", "2022-01-01", dec="2023-07-01", rec="E8"),
        ep("C", "2022-01-01", dec="2023-08-01", rec="E8"),
        ep("D", "2022-01-01", dec="2023-09-01", rec="E11"),
    )
    got = ceased_by_reason(eps, PS, PE)
    assert got["code"].tolist()[:4] == ["E11", "E12", "E2", "E3"]
    assert len(got) == 21 and "X1" not in got["code"].tolist()
    counts = got.set_index("code")["count"]
    assert (counts["E8"], counts["E41"], counts["E11"], counts["E12"]) == (2, 1, 1, 0)
    sgo = ceased_by_reason(eps, PS, PE, codes=["E41", "E45", "E46", "E47", "E48"])
    assert sgo["code"].tolist() == ["E41", "E45", "E46", "E47", "E48", "E11", "E8"]


def test_sex_and_age_at_year_end():
    eps = episodes(
        ep("A", "2024-01-15"), ep("B", "2021-01-01"), ep("C", "2019-01-01"), ep("D", "2019-01-01")
    )
    kids = children(
        ("A", 1, "2024-01-01", "WBRI"),  # 0 on 31 March
        ("B", 2, "2020-03-31", "WBRI"),  # 4 today
        ("C", 1, "2008-04-01", "WBRI"),  # 15, 16 tomorrow
        ("D", 1, "2008-03-31", "WBRI"),
    )  # 16 today
    got = sex_and_age_at(eps, kids, PE)
    want = pd.DataFrame(
        {
            "group": ["sex"] * 2 + ["age_band"] * 5,
            "code": ["Male", "Female", "Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over"],
            "count": pd.Series([3, 1, 1, 1, 0, 1, 1], dtype="int64"),
            "percent": [75.0, 25.0, 25.0, 25.0, 0.0, 25.0, 25.0],
        }
    )
    pd.testing.assert_frame_equal(got, want)


def test_age_on_starting_and_on_ceasing():
    eps = episodes(ep("A", "2023-06-14", dec="2023-06-15", rec="E13"))
    kids = children(("A", 2, "2007-06-15", "WBRI"))
    started = started_by_sex_age(eps, kids, PS, PE).set_index(["group", "code"])["count"]
    ceased = ceased_by_sex_age(eps, kids, PS, PE).set_index(["group", "code"])["count"]
    assert started[("age_band", "10 to 15")] == 1
    assert ceased[("age_band", "16 and over")] == 1
    assert started[("sex", "Female")] == 1 and ceased[("sex", "Male")] == 0


def _one_episode_per_reason(counts: dict[str, int]) -> pd.DataFrame:
    rows = [
        ep(f"{code}-{i}", "2022-01-01", dec="2023-10-01", rec=code)
        for code, n in counts.items()
        for i in range(n)
    ]
    return episodes(*rows)


def test_published_ceased_by_reason_percentages_middlesbrough_2023_24():
    # Seed 003 (Middlesbrough IRO report 2023/24), "Period of care end reason", 2023-24 columns.
    published = {
        "E5": (2, 1.0),
        "E8": (58, 28.3),
        "E11": (14, 6.8),
        "E12": (8, 3.9),
        "E13": (3, 1.5),
        "E17": (20, 9.8),
        "E41": (37, 18.0),
        "E45": (22, 10.7),
        "E46": (1, 0.5),
        "E47": (22, 10.7),
        "E48": (2, 1.0),
        "E4A": (12, 5.9),
        "E4B": (4, 2.0),
    }
    eps = _one_episode_per_reason({code: n for code, (n, _) in published.items()})
    got = ceased_by_reason(eps, PS, PE).set_index("code")
    assert got["count"].sum() == 205
    for code, (n, pct) in published.items():
        assert got.loc[code, "count"] == n
        assert round(got.loc[code, "percent"], 1) == pct


def test_published_category_of_need_percentages_middlesbrough_2023_24():
    # Seed 003, "Category of Need" of children becoming cared for, 2023-24: 204/2/1 of 207.
    rows = (
        [ep(f"n1-{i}", "2023-06-01", cin="N1") for i in range(204)]
        + [ep(f"n2-{i}", "2023-06-01", cin="N2") for i in range(2)]
        + [ep("n5-0", "2023-06-01", cin="N5")]
    )
    got = category_of_need_started(episodes(*rows), PS, PE).set_index("code")
    assert [round(got.loc[c, "percent"], 1) for c in ("N1", "N2", "N5", "N4")] == [
        98.6,
        1.0,
        0.5,
        0.0,
    ]
