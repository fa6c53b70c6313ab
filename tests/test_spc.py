"""XmR charts and the Making Data Count rules, on series worked out by hand."""

import math

import pandas as pd
import pytest

from analysis.stats.spc import (
    COMMON_CAUSE,
    CONCERN,
    IMPROVEMENT,
    assurance,
    monthly_proportion,
    spc_classify,
    spc_sentence,
    spc_series,
    spc_summary,
    spc_window,
    xmr_limits,
)


def test_xmr_limits_by_hand():
    # mean 42 / 6 = 7; moving ranges 2, 1, 2, 1, 2 -> mR-bar 8 / 5 = 1.6
    limits = xmr_limits([5, 7, 6, 8, 7, 9])
    assert limits.mean == pytest.approx(7.0)
    assert limits.mean_moving_range == pytest.approx(1.6)
    assert limits.upper == pytest.approx(7 + 2.66 * 1.6)  # 11.256
    assert limits.lower == pytest.approx(7 - 2.66 * 1.6)  # 2.744
    assert limits.upper_two_sigma == pytest.approx(7 + 2 / 3 * 2.66 * 1.6)  # 9.837
    assert limits.points == 6


def test_missing_months_are_not_points():
    # the gap is skipped: moving ranges 2 (5 -> 7) and 1 (7 -> 6)
    limits = xmr_limits([5, math.nan, 7, 6])
    assert limits.mean == pytest.approx(6.0)
    assert limits.mean_moving_range == pytest.approx(1.5)
    assert limits.points == 3


def test_baseline_fixes_the_limits():
    limits = xmr_limits([5, 7, 6, 8, 7, 9, 50, 60], baseline=6)
    assert limits.mean == pytest.approx(7.0) and limits.points == 6


def test_no_points_and_one_point():
    assert math.isnan(xmr_limits([]).mean)
    one = xmr_limits([4.0])
    assert one.mean == 4.0 and math.isnan(one.upper)


def test_shift_of_seven_above_the_mean():
    # sum 18 over 14 points: mean 1.2857. Points 5-11 (seven 2s in a row) are above it;
    # 1 and 3 are above but alone. mR-bar 12 / 13, so no point is near or beyond a limit.
    x = [0, 2, 0, 2, 0, 2, 2, 2, 2, 2, 2, 2, 0, 0]
    out = spc_classify(x)
    assert out["mean"].iloc[0] == pytest.approx(18 / 14)
    flagged = out.index[out["variation"] != COMMON_CAUSE].tolist()
    assert flagged == [5, 6, 7, 8, 9, 10, 11]
    assert (out.loc[flagged, "variation"] == IMPROVEMENT).all()
    assert (out.loc[flagged, "rules"] == "shift").all()
    # lower is better: the same run is a concern
    assert (spc_classify(x, improvement="decrease").loc[flagged, "variation"] == CONCERN).all()


def test_six_on_one_side_is_not_a_shift_unless_asked():
    # the same pattern with a run of six 2s (points 5-10)
    x = [0, 2, 0, 2, 0, 2, 2, 2, 2, 2, 2, 0, 0, 0]
    assert (spc_classify(x)["variation"] == COMMON_CAUSE).all()
    assert (spc_classify(x, run_length=6)["variation"] != COMMON_CAUSE).sum() == 6


def test_trend_of_seven_rising_points():
    # points 1-7 rise 1, 2, ..., 7; mean 4.1, mR-bar 16 / 9, no point near a limit
    x = [5, 1, 2, 3, 4, 5, 6, 7, 3, 5]
    out = spc_classify(x)
    flagged = out.index[out["variation"] != COMMON_CAUSE].tolist()
    assert flagged == [1, 2, 3, 4, 5, 6, 7]
    assert set(out.loc[flagged, "rules"]) == {"trend"}
    # a rising trend is a concern when lower is better, whatever its side of the mean
    assert (spc_classify(x, improvement="decrease").loc[flagged, "variation"] == CONCERN).all()


def test_six_rising_points_are_not_a_trend_and_ties_break_one():
    assert (spc_classify([5, 1, 2, 3, 4, 5, 6, 3, 5])["variation"] == COMMON_CAUSE).all()
    # 1, 2, 3, 3, 4, 5, 6: the repeated 3 breaks the run
    assert (spc_classify([5, 1, 2, 3, 3, 4, 5, 6, 3, 5])["variation"] == COMMON_CAUSE).all()


def test_two_of_three_beyond_two_sigma():
    # 2, 3 six times, then 6, 3, 6, 2: sum 47 over 16 = 2.9375; mR-bar 24 / 15 = 1.6;
    # two-sigma line 2.9375 + 1.7733 x 1.6 = 5.775 < 6 < process limit 7.19.
    # Points 12-14 (6, 3, 6) are all above the mean and two of them beyond two sigma:
    # the two 6s are flagged, the 3 between them is not.
    x = [2, 3] * 6 + [6, 3, 6, 2]
    out = spc_classify(x)
    assert out["mean"].iloc[0] == pytest.approx(2.9375)
    assert out["upper"].iloc[0] == pytest.approx(2.9375 + 2.66 * 1.6)
    flagged = out.index[out["variation"] != COMMON_CAUSE].tolist()
    assert flagged == [12, 14]
    assert set(out.loc[flagged, "rules"]) == {"two_in_three"}


def test_astronomical_point_and_the_shift_it_causes():
    # 2, 3 six times then 10: mean 40 / 13 = 3.077 (above every 3), mR-bar 18 / 12 = 1.5,
    # upper limit 3.077 + 3.99 = 7.07 < 10. The first twelve points are all below the mean.
    x = [2, 3] * 6 + [10]
    out = spc_classify(x)
    assert out["upper"].iloc[0] == pytest.approx(40 / 13 + 2.66 * 1.5)
    assert out.loc[12, "rules"] == "astronomical"
    assert out.loc[12, "variation"] == IMPROVEMENT
    assert (out.loc[:11, "rules"] == "shift").all()
    assert (out.loc[:11, "variation"] == CONCERN).all()


def test_missing_month_has_no_variation():
    out = spc_classify([5, 7, math.nan, 6, 8, 7, 9])
    assert pd.isna(out.loc[2, "variation"]) and out.loc[2, "rules"] == ""
    assert out.loc[3, "moving_range"] == pytest.approx(1.0)  # 7 -> 6 across the gap


@pytest.mark.parametrize(
    ("lower", "upper", "target", "improvement", "expected"),
    [
        (77.6, 98.2, 95, "increase", "hit and miss"),
        (60.0, 80.0, 95, "increase", "consistently fails"),
        (96.0, 99.5, 95, "increase", "consistently passes"),
        (60.0, 80.0, 95, "decrease", "consistently passes"),
        (60.0, 80.0, 50, "decrease", "consistently fails"),
        (60.0, 80.0, None, "increase", "no target"),
        (math.nan, math.nan, 95, "increase", "not assessed"),
    ],
)
def test_assurance(lower, upper, target, improvement, expected):
    assert assurance(lower, upper, target, improvement) == expected


def test_window_of_36_months():
    start, end = spc_window("2024-03-31", 36)
    assert start == pd.Timestamp("2021-04-01") and end == pd.Timestamp("2024-03-31")


def test_monthly_proportion_counts_judged_events_by_month():
    dates = pd.Series(pd.to_datetime(["2024-01-05", "2024-01-31", "2024-02-01", "2024-04-01"]))
    flags = pd.Series([True, pd.NA, False, True], dtype="boolean")
    out = monthly_proportion(dates, flags, "2024-01-01", "2024-03-31")
    assert out["month"].dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-02", "2024-03"]
    assert out["denominator"].tolist() == [1, 1, 0]  # the NA is not judged; April is outside
    assert out["numerator"].tolist() == [1, 0, 0]
    assert out["pct"].iloc[0] == 100.0 and out["pct"].iloc[1] == 0.0
    assert math.isnan(out["pct"].iloc[2])


def _monthly(values, start="2022-04-01"):
    months = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame(
        {"month": months, "denominator": 10, "numerator": 0, "pct": [float(v) for v in values]}
    )


def test_series_drops_months_before_the_data_and_clips_limits():
    monthly = _monthly([50] * 2 + [90, 100, 90, 100, 90, 100, 90, 100])
    monthly.loc[:1, "denominator"] = 0
    monthly.loc[:1, "pct"] = math.nan
    table, summary = spc_series("x", monthly, "2022-10-01", target=95)
    assert table["month"].iloc[0] == "Jun-22" and len(table) == 8
    # mean 95, mR-bar 10, upper limit 121.6 shown at 100
    assert table["mean_pct"].iloc[0] == pytest.approx(95.0)
    assert table["upper_limit_pct"].iloc[0] == 100.0
    assert table["lower_limit_pct"].iloc[0] == pytest.approx(95 - 26.6)
    assert summary["upper"] == 100.0 and summary["assurance"] == "hit and miss"
    assert summary["year_months"] == 4  # October 2022 to January 2023


def test_sentence_says_noise_is_noise_and_names_signals():
    quiet = spc_classify([90, 100] * 6)
    months = pd.date_range("2023-04-01", periods=12, freq="MS")
    text = spc_sentence("Reviews in time", spc_summary(months, quiet, "2023-04-01", 95))
    assert "None of the 12 months of the reporting year showed special cause variation" in text
    assert "95% target lies inside the limits: it will be met in some months" in text
    loud = spc_classify([2, 3] * 6 + [10])
    months = pd.date_range("2023-03-01", periods=13, freq="MS")
    text = spc_sentence("Reviews in time", spc_summary(months, loud, "2024-03-01", None))
    assert "1 of the 1 months of the reporting year showed special cause variation" in text
    assert "March 2024 (special cause improvement)" in text


def test_title_and_alt_text_state_the_finding():
    from analysis.stats.spc import spc_alt, spc_title

    loud = spc_classify([2, 3] * 6 + [10])
    months = pd.date_range("2023-03-01", periods=13, freq="MS")
    summary = spc_summary(months, loud, "2024-03-01", 95)
    # upper limit 7.07, far below a 95 target
    assert spc_title("Reviews", summary, "2023-24") == (
        "Reviews: 1 month of 2023-24 showed special cause improvement; the 95% target will not "
        "be met without change"
    )
    quiet = spc_summary(months[:12], spc_classify([90, 100] * 6), "2023-04-01", 95)
    assert spc_title("Reviews", quiet, "2023-24") == (
        "Reviews: only common cause variation in 2023-24; the 95% target is hit and miss"
    )
    assert spc_alt("Reviews", quiet, "2023-24").endswith(
        "no month of 2023-24 showed special cause variation."
    )
