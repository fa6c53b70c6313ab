"""Children looked after at a date, rate per 10,000 and the monthly series (hand-computed)."""

import math

import pandas as pd
import pytest
from cla_frames import ep, episodes

from analysis.cla import cla_at, cla_count_at, cla_counts_at, monthly_cla, rate_per_10k

YEAR_END = "2024-03-31"


def snapshot_episodes() -> pd.DataFrame:
    return episodes(
        ep("A", "2022-05-01"),  # open: looked after
        ep("B", "2023-01-01", dec="2024-03-31", rec="E8"),  # ends on 31 March: not CLA
        ep("C", "2024-03-31"),  # starts on 31 March: CLA
        ep("D", "2024-01-01", ls="V3"),  # short breaks only: excluded
        ep("E", "2024-02-01", ls="J2", place="R5"),  # remand: counts
        ep("F", "2024-04-01"),  # starts after the date
        ep("G", "2023-01-01", dec="2023-06-30", rec="E13"),  # ceased earlier
        ep("H", "2023-01-10", ls="C1", dec="2023-09-01", rec="X1"),
        ep("H", "2023-09-01", rne="L", ls="C2"),  # two episodes, one child
    )


def test_cla_at_boundaries_short_breaks_and_remand():
    cla = cla_at(snapshot_episodes(), YEAR_END)
    assert cla["child_id"].tolist() == ["A", "C", "E", "H"]
    assert cla.loc[cla["child_id"] == "H", "ls"].item() == "C2"
    assert cla.loc[cla["child_id"] == "E", "ls"].item() == "J2"
    assert cla_count_at(snapshot_episodes(), YEAR_END) == 4


def test_child_ending_on_date_is_looked_after_the_day_before():
    assert "B" in cla_at(snapshot_episodes(), "2024-03-30")["child_id"].tolist()
    assert "C" not in cla_at(snapshot_episodes(), "2024-03-30")["child_id"].tolist()


def test_count_moves_when_one_episode_changes():
    changed = snapshot_episodes()
    changed.loc[changed["child_id"] == "B", "dec"] = pd.Timestamp("2024-04-01")
    assert cla_count_at(changed, YEAR_END) == 5
    changed.loc[changed["child_id"] == "D", "ls"] = "V2"
    assert cla_count_at(changed, YEAR_END) == 6


def test_v4_short_break_excluded_but_v2_counts():
    eps = episodes(ep("X", "2024-01-01", ls="V4"), ep("Y", "2024-01-01", ls="V2"))
    assert cla_at(eps, YEAR_END)["child_id"].tolist() == ["Y"]


def test_counts_at_several_dates_in_one_sort():
    """Hand-counted at each date; the same as cla_count_at date by date."""
    eps = pd.concat(
        [
            snapshot_episodes(),
            episodes(
                ep("J", "2023-06-01", ls="V3", dec="2023-06-03", rec="E13"),  # a short break
                ep("J", "2023-09-01"),  # ... then care: counts from 1 September
                ep("K", "2023-05-01", ls="C2"),  # two open episodes starting the same day:
                ep("K", "2023-05-01", ls="V4"),  # the later row decides (short break: out)
                ep("L", "2023-10-01", dec="2023-12-01", rec="E4A"),  # re-entry after a gap
                ep("L", "2024-02-01"),
            ),
        ],
        ignore_index=True,
    )
    dates = ["2023-06-02", "2023-09-01", "2023-12-01", YEAR_END]
    # 2 June: A B G H J(V3, out)                                    -> 4
    # 1 Sept: A B H(C2 from 1 Sept) J(care)                        -> 4
    # 1 Dec:  A B H J (L ended on the day)                          -> 4
    # 31 Mar: A C E H J L (B ended on the day, D short breaks)      -> 6
    assert cla_counts_at(eps, dates) == [4, 4, 4, 6]
    assert cla_counts_at(eps, dates) == [cla_count_at(eps, d) for d in dates]
    assert cla_counts_at(eps.iloc[:0], dates) == [0, 0, 0, 0]


def test_rate_per_10k():
    assert rate_per_10k(50, 10_000) == 50.0
    assert rate_per_10k(1, 20_000) == 0.5
    assert math.isnan(rate_per_10k(5, 0))
    assert math.isnan(rate_per_10k(5, float("nan")))


def test_monthly_cla_thirteen_month_ends():
    eps = episodes(
        ep("A", "2022-01-01"),  # every month end
        ep("B", "2023-04-30"),  # from 30 April (a month end)
        ep("C", "2022-06-01", dec="2023-05-31", rec="E4A"),  # until 30 April
    )
    got = monthly_cla(eps, 10_000, "2023-04-01", "2024-03-31")
    month_ends = pd.to_datetime(
        [
            "2023-03-31",
            "2023-04-30",
            "2023-05-31",
            "2023-06-30",
            "2023-07-31",
            "2023-08-31",
            "2023-09-30",
            "2023-10-31",
            "2023-11-30",
            "2023-12-31",
            "2024-01-31",
            "2024-02-29",
            "2024-03-31",
        ]
    )
    counts = [2, 3] + [2] * 11
    expected = pd.DataFrame(
        {
            "month_end": month_ends,
            "count": pd.Series(counts, dtype="int64"),
            "rate_per_10k": [float(c) for c in counts],
        }
    )
    pd.testing.assert_frame_equal(got, expected)


def test_monthly_cla_baseline_month_end_as_start_gives_same_rows():
    eps = episodes(ep("A", "2022-01-01"), ep("B", "2023-04-30"))
    from_baseline = monthly_cla(eps, 10_000, "2023-03-31", "2024-03-31")
    pd.testing.assert_frame_equal(
        from_baseline, monthly_cla(eps, 10_000, "2023-04-01", "2024-03-31")
    )
    assert len(from_baseline) == 13


def test_monthly_cla_half_year():
    got = monthly_cla(episodes(ep("A", "2022-01-01")), 20_000, "2024-04-01", "2024-09-30")
    assert got["month_end"].tolist() == list(
        pd.to_datetime(
            [
                "2024-03-31",
                "2024-04-30",
                "2024-05-31",
                "2024-06-30",
                "2024-07-31",
                "2024-08-31",
                "2024-09-30",
            ]
        )
    )
    assert got["rate_per_10k"].tolist() == [0.5] * 7


def test_cla_at_empty_episodes():
    assert cla_count_at(episodes(), YEAR_END) == 0


def test_missing_column_is_a_clear_error():
    with pytest.raises(ValueError, match="ls"):
        cla_at(snapshot_episodes().drop(columns="ls"), YEAR_END)
