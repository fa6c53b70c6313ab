"""Placement stability NI 62 / NI 63 (hand-computed boundary cases)."""

import pandas as pd
import pytest
from cla_frames import children, ep, episodes

from analysis.cla import (
    long_term_stability_children,
    long_term_stability_pct,
    placements_during_year,
    short_term_stability_pct,
)

YS, YE = "2023-04-01", "2024-03-31"


def year_episodes() -> pd.DataFrame:
    return episodes(
        # A: placement open at the start + 2 placement moves = 3
        ep("A", "2022-01-01", dec="2023-06-01", rec="X1"),
        ep("A", "2023-06-01", rne="P", place="U6", dec="2023-09-01", rec="X1"),
        ep("A", "2023-09-01", rne="P", place="K2"),
        # B: open at start, a change of legal status only (L), one move = 2
        ep("B", "2022-01-01", ls="C1", dec="2023-06-01", rec="X1"),
        ep("B", "2023-06-01", rne="L", ls="C2", dec="2023-09-01", rec="X1"),
        ep("B", "2023-09-01", rne="P", place="U6"),
        # C: starts on the first day of the year (open at start) + 1 move = 2
        ep("C", "2023-04-01", dec="2023-05-01", rec="X1"),
        ep("C", "2023-05-01", rne="B", ls="C1", place="U6"),
        # D: care ended on the first day of the year: no placement during the year
        ep("D", "2022-01-01", dec="2023-04-01", rec="E8"),
        # E: starts in the year, moves twice, the last move on the year end = 3
        ep("E", "2023-10-01", dec="2024-01-01", rec="X1"),
        ep("E", "2024-01-01", rne="T", dec="2024-03-31", rec="X1"),
        ep("E", "2024-03-31", rne="U", ls="C1", place="U6"),
        # F: short breaks earlier in the year do not count = 1
        ep("F", "2023-05-01", ls="V3", place="U6", dec="2023-05-03", rec="E8"),
        ep("F", "2023-08-01", place="U6"),
    )


def test_placements_during_year():
    got = placements_during_year(year_episodes(), YS, YE)
    want = pd.Series(
        [3, 2, 2, 3, 1],
        index=pd.Index(["A", "B", "C", "E", "F"], name="child_id", dtype="string"),
        dtype="int64",
        name="placements",
    )
    pd.testing.assert_series_equal(got, want)


def test_short_term_stability_three_placements_boundary():
    # CLA at 31 March: A, B, C, E, F; with 3+ placements: A and E.
    assert short_term_stability_pct(year_episodes(), YE) == pytest.approx(40.0)


def test_short_term_stability_moves_when_one_episode_changes():
    changed = year_episodes()
    last_move = (changed["child_id"] == "E") & (changed["decom"] == pd.Timestamp("2024-03-31"))
    changed.loc[last_move, "rne"] = "L"  # now a legal change only: E has 2
    assert short_term_stability_pct(changed, YE) == pytest.approx(20.0)


def stability_episodes() -> pd.DataFrame:
    return episodes(
        # A: looked after from exactly 2.5 years before 31 March 2024, one placement: stable
        ep("A", "2021-09-30"),
        # B: one day short of 2.5 years: not in the cohort
        ep("B", "2021-10-01"),
        # C: placement started exactly 2 years before: stable
        ep("C", "2020-01-01", place="K2", dec="2022-03-31", rec="X1"),
        ep("C", "2022-03-31", rne="P"),
        # D: placement one day short of 2 years: not stable
        ep("D", "2020-01-01", place="K2", dec="2022-04-01", rec="X1"),
        ep("D", "2022-04-01", rne="P"),
        # E: change of legal status only (L) keeps the placement: stable
        ep("E", "2020-01-01", dec="2023-01-01", rec="X1"),
        ep("E", "2023-01-01", rne="L", ls="E1"),
        # F: placed for adoption; previous placement + adoptive one >= 2 years: stable
        ep("F", "2019-01-01", place="K2", dec="2022-03-01", rec="X1"),
        ep("F", "2022-03-01", rne="P", dec="2023-10-01", rec="X1"),
        ep("F", "2023-10-01", rne="B", ls="E1", place="A5"),
        # G: placed for adoption; previous + adoptive < 2 years: not stable
        ep("G", "2019-01-01", place="K2", dec="2022-06-01", rec="X1"),
        ep("G", "2022-06-01", rne="P", dec="2023-10-01", rec="X1"),
        ep("G", "2023-10-01", rne="B", ls="E1", place="A6"),
        # H: 16 on 31 March: not in the cohort; I: 15 (16 tomorrow): in, stable
        ep("H", "2019-01-01"),
        ep("I", "2019-01-01"),
        # J: re-entered care 2 years ago: not continuously looked after 2.5 years
        ep("J", "2018-01-01", dec="2022-01-01", rec="E8"),
        ep("J", "2022-02-01"),
    )


def stability_children() -> pd.DataFrame:
    under_16 = "2015-01-01"
    rows = [(c, 1, under_16, "WBRI") for c in "ABCDEFGJ"]
    rows += [("H", 2, "2008-03-31", "WBRI"), ("I", 2, "2008-04-01", "WBRI")]
    return children(*rows)


def test_long_term_stability_cohort():
    got = long_term_stability_children(stability_episodes(), stability_children(), YE)
    assert got["child_id"].tolist() == ["A", "C", "D", "E", "F", "G", "I"]
    assert got.set_index("child_id")["stable"].to_dict() == {
        "A": True,
        "C": True,
        "D": False,
        "E": True,
        "F": True,
        "G": False,
        "I": True,
    }
    assert got.set_index("child_id").loc["F", "previous_placement_start"] == pd.Timestamp(
        "2022-03-01"
    )


def test_long_term_stability_pct():
    pct = long_term_stability_pct(stability_episodes(), stability_children(), YE)
    assert pct == pytest.approx(500 / 7)


def test_long_term_stability_moves_when_one_episode_changes():
    changed = stability_episodes()
    changed.loc[changed["child_id"] == "B", "decom"] = pd.Timestamp("2021-09-30")
    assert long_term_stability_pct(changed, stability_children(), YE) == pytest.approx(600 / 8)


def test_short_term_stability_no_children_is_nan():
    assert pd.isna(short_term_stability_pct(episodes(), YE))


def test_period_started_before_the_data_uses_first_episode_as_lower_bound(caplog):
    eps = episodes(
        ep("P", "2020-01-01", rne="L"),  # start not in data, >= 2.5 years
        ep("Q", "2022-01-01", rne="P"),
    )  # start not in data, < 2.5 years
    kids = children(("P", 1, "2015-01-01", "WBRI"), ("Q", 1, "2015-01-01", "WBRI"))
    got = long_term_stability_children(eps, kids, YE)
    assert got["child_id"].tolist() == ["P"]
    assert got["stable"].tolist() == [True]
    assert "started before the episodes supplied" in caplog.text
    assert placements_during_year(eps, YS, YE).tolist() == [1, 1]


def test_stability_measures_counts_and_denominators():
    from analysis.cla import stability_measures

    kids = children(*[(c, 1, "2012-01-01", "WBRI") for c in "ABCDEF"])
    table = stability_measures(year_episodes(), kids, YE).set_index("measure")
    # short-term: A and E of the five looked after at 31 March.
    assert table.loc["short_term", "count"] == 2
    assert table.loc["short_term", "denominator"] == 5
    assert table.loc["short_term", "percent"] == pytest.approx(40.0)
    # nobody has been looked after for 2.5 years: an empty cohort, not a failure
    assert table.loc["long_term", "denominator"] == 0
    assert pd.isna(table.loc["long_term", "percent"])


def test_long_term_undecided_when_care_started_before_the_data():
    from analysis.cla import long_term_undecided, stability_measures

    eps = episodes(
        # X's period of care began before the data (first episode is a move, RNE P), on a date
        # less than 2.5 years before 31 March 2024 (cut-off 30 September 2021): undecided.
        ep("X", "2022-06-01", rne="P"),
        # Y's began before the data too, but the first episode alone already makes 2.5 years.
        ep("Y", "2021-01-01", rne="P"),
        # Z is 16: outside the cohort whatever its history.
        ep("Z", "2022-06-01", rne="P"),
    )
    kids = children(
        ("X", 1, "2012-01-01", "WBRI"),
        ("Y", 2, "2012-01-01", "WBRI"),
        ("Z", 1, "2007-06-01", "WBRI"),
    )
    assert long_term_undecided(eps, kids, YE) == 1
    table = stability_measures(eps, kids, YE).set_index("measure")
    assert pd.isna(table.loc["long_term", "count"]) and pd.isna(table.loc["long_term", "percent"])
    assert long_term_undecided(eps.loc[eps["child_id"].ne("X")], kids, YE) == 0
