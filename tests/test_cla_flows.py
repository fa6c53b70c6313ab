"""Children starting and ceasing to be looked after (hand-computed edge cases)."""

import pandas as pd
from cla_frames import EPISODE_COLUMNS, ep, episodes

from analysis.cla import ceased_in_period, started_in_period

PS, PE = "2023-04-01", "2024-03-31"


def flow_episodes() -> pd.DataFrame:
    return episodes(
        ep("A", "2023-04-01", cin="N1"),  # starts on day 1
        ep("B", "2023-03-31", dec="2024-03-31", rec="E8"),  # ends on last day
        ep("C", "2024-03-31", cin="N2", place="U6"),  # starts on last day
        ep("D", "2023-06-01", ls="V3", dec="2023-06-03", rec="E8"),  # short break only
        ep("E", "2023-07-01", ls="J2", place="R5", dec="2023-07-20", rec="E14", cin="N6"),
        ep("F", "2023-05-01", cin="N4", dec="2023-08-01", rec="E4A"),  # re-entry: 1st
        ep("F", "2023-10-01", cin="N1", place="U3", dec="2024-01-15", rec="E41"),  # 2nd
        ep("G", "2023-03-01", ls="C1", dec="2023-05-01", rec="X1"),
        ep("G", "2023-05-01", rne="L", ls="C2"),  # L: not a start
        ep("H", "2022-01-01", dec="2023-09-01", rec="X1"),
        ep("H", "2023-09-01", rne="P", place="K2"),  # X1: not ceased
        ep("I", "2023-04-10", ls="V3", dec="2023-05-10", rec="X1"),  # short breaks...
        ep("I", "2023-05-10", rne="L", ls="C2", cin="N2"),  # ...then care order
        ep("J", "2023-01-01", dec="2024-04-01", rec="E8"),  # ends after period
        ep("K", "2023-03-31"),  # starts before
    )


def expected(*rows: dict) -> pd.DataFrame:
    return episodes(*rows)[EPISODE_COLUMNS]


def test_started_in_period():
    got = started_in_period(flow_episodes(), PS, PE)
    want = expected(
        ep("A", "2023-04-01", cin="N1"),
        ep("C", "2024-03-31", cin="N2", place="U6"),
        ep("E", "2023-07-01", ls="J2", place="R5", dec="2023-07-20", rec="E14", cin="N6"),
        ep("F", "2023-05-01", cin="N4", dec="2023-08-01", rec="E4A"),
        ep("I", "2023-05-10", rne="L", ls="C2", cin="N2"),
    )
    pd.testing.assert_frame_equal(got, want)


def test_ceased_in_period():
    got = ceased_in_period(flow_episodes(), PS, PE)
    want = expected(
        ep("B", "2023-03-31", dec="2024-03-31", rec="E8"),
        ep("E", "2023-07-01", ls="J2", place="R5", dec="2023-07-20", rec="E14", cin="N6"),
        ep("F", "2023-10-01", cin="N1", place="U3", dec="2024-01-15", rec="E41"),
    )
    pd.testing.assert_frame_equal(got, want)


def test_reentry_counts_once_first_start_last_ceasing():
    started = started_in_period(flow_episodes(), PS, PE).set_index("child_id")
    ceased = ceased_in_period(flow_episodes(), PS, PE).set_index("child_id")
    assert started.loc["F", "decom"] == pd.Timestamp("2023-05-01")
    assert started.loc["F", "cin"] == "N4"
    assert ceased.loc["F", "dec"] == pd.Timestamp("2024-01-15")
    assert ceased.loc["F", "rec"] == "E41"


def test_ceased_moves_when_one_episode_changes():
    changed = flow_episodes()
    changed.loc[changed["child_id"] == "B", "dec"] = pd.Timestamp("2024-04-01")
    assert ceased_in_period(changed, PS, PE)["child_id"].tolist() == ["E", "F"]
    changed.loc[changed["child_id"] == "K", "decom"] = pd.Timestamp("2023-04-01")
    assert "K" in started_in_period(changed, PS, PE)["child_id"].tolist()


def test_reentry_across_years_counts_in_each_year():
    eps = episodes(
        ep("R", "2022-06-01", dec="2023-02-01", rec="E13"),
        ep("R", "2023-06-01", dec="2023-12-01", rec="E8"),
    )
    assert started_in_period(eps, "2022-04-01", "2023-03-31")["child_id"].tolist() == ["R"]
    assert started_in_period(eps, PS, PE)["decom"].tolist() == [pd.Timestamp("2023-06-01")]
    assert ceased_in_period(eps, "2022-04-01", "2023-03-31")["rec"].tolist() == ["E13"]
    assert ceased_in_period(eps, PS, PE)["rec"].tolist() == ["E8"]


def test_history_without_start_episode_is_not_a_start():
    eps = episodes(
        ep("Y", "2023-05-01", rne="L", dec="2023-06-01", rec="X1"),
        ep("Y", "2023-06-01", rne=None, rec=None),  # RNE left blank
        ep("Z", "2023-05-01", rne="P", dec="2023-09-01", rec="E41"),
    )
    assert started_in_period(eps, PS, PE).empty
    assert ceased_in_period(eps, PS, PE)["child_id"].tolist() == ["Z"]
