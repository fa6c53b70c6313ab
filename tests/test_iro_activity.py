"""IRO challenge and oversight activity: hand-computed period comparisons and coverage notes."""

import math

import pandas as pd

from analysis.iro import activity, caseload_chart, caseload_months_in_range, caseload_text

T = pd.Timestamp
PERIODS = {"2022-23": ("2022-04-01", "2023-03-31"), "2023-24": ("2023-04-01", "2024-03-31")}


def test_counts_by_period_boundaries_order_and_total():
    dates = pd.to_datetime(
        [
            "2022-03-31",  # before both periods: not counted
            "2022-04-01",  # first day of 2022-23
            "2023-03-31",  # last day of 2022-23
            "2023-04-01",  # first day of 2023-24
            "2024-03-31",  # last day of 2023-24
            "2024-04-01",  # after: not counted
        ]
    )
    codes = pd.Series(["CP", "CLA", "dual", "CLA", "CLA", "CP"])
    out = activity.counts_by_period(dates, codes, PERIODS, order=activity.PLAN_TYPES, total="All")
    last = out.loc[out["period"] == "2022-23"]
    this = out.loc[out["period"] == "2023-24"]
    assert last["code"].tolist() == ["CLA", "CP", "dual", "none", "All"]
    assert last["count"].tolist() == [1, 0, 1, 0, 2]
    assert last["percent"].tolist() == [50.0, 0.0, 50.0, 0.0, 100.0]
    assert this["count"].tolist() == [2, 0, 0, 0, 2]


def test_counts_by_period_free_text_codes_listed_where_present():
    dates = pd.to_datetime(["2022-05-01", "2023-05-01", "2023-06-01", "2023-07-01", "2023-08-01"])
    codes = pd.Series(["contact", "drift", "drift", None, "  "])
    out = activity.counts_by_period(dates, codes, PERIODS)
    # codes outside a fixed order: this year's most common first, blank last; each listed only
    # in the periods that have it, so last year's rows equal last year's own report
    assert out.loc[out["period"] == "2022-23", "code"].tolist() == ["contact"]
    this = out.loc[out["period"] == "2023-24"]
    assert this["code"].tolist() == ["drift", "Not recorded"]
    assert this["count"].tolist() == [2, 2]


def test_counts_by_period_empty_period_has_nan_percent():
    dates = pd.to_datetime(["2023-05-01"])
    out = activity.counts_by_period(dates, pd.Series(["visit"]), PERIODS, order=("visit",))
    last = out.loc[out["period"] == "2022-23"]
    assert last["count"].tolist() == [0]
    assert math.isnan(last["percent"].iloc[0])


def irp_table():
    return pd.DataFrame(
        {
            "raised_date": pd.to_datetime(
                ["2023-04-03", "2023-04-10", "2023-05-01", "2023-06-01", "2023-07-03", "2022-06-01"]
            ),
            "resolved_date": pd.to_datetime(
                ["2023-04-13", "2023-04-30", "2023-05-11", None, "2023-07-10", "2022-06-02"]
            ),
            "resolution_level": pd.array([1, 1, 2, None, None, 4], dtype="Int64"),
        }
    )


def test_resolution_by_period_levels_open_and_median_days():
    out = activity.resolution_by_period(irp_table(), PERIODS)
    this = out.loc[out["period"] == "2023-24"].set_index("code")
    assert this.index.tolist() == [
        "Level 1",
        "Level 2",
        "Level 3",
        "Level 4",
        "Resolved, level not recorded",
        "Open",
    ]
    assert this["count"].tolist() == [2, 1, 0, 0, 1, 1]
    assert this.loc["Level 1", "percent"] == 40.0
    assert this.loc["Level 1", "median_days"] == 15.0  # 10 and 20 days
    assert this.loc["Level 2", "median_days"] == 10.0
    assert this.loc["Resolved, level not recorded", "median_days"] == 7.0
    assert math.isnan(this.loc["Open", "median_days"])
    last = out.loc[out["period"] == "2022-23"]
    assert "Resolved, level not recorded" not in last["code"].tolist()
    assert last.set_index("code").loc["Level 4", "count"] == 1


def test_coverage_note_names_the_dates_covered():
    starts_late = pd.to_datetime(pd.Series(["2022-11-30", "2023-05-01"]))
    note = activity.coverage_note(starts_late, PERIODS, "IRO concerns extract")
    assert note == (
        "The IRO concerns extract starts on 30 November 2022, so the 2022-23 figures cover "
        "30 November 2022 to 31 March 2023 only."
    )
    # 31 days after the period start is still taken as covering it; 32 days is not
    assert activity.coverage_note(pd.to_datetime(pd.Series(["2022-05-02"])), PERIODS, "x") == ""
    assert "covers" not in activity.coverage_note(
        pd.to_datetime(pd.Series(["2022-05-02"])), PERIODS, "x"
    )
    assert "2022-23 figures" in activity.coverage_note(
        pd.to_datetime(pd.Series(["2022-05-03"])), PERIODS, "x"
    )
    after = activity.coverage_note(pd.to_datetime(pd.Series(["2023-06-01"])), PERIODS, "x")
    assert after.startswith("The x starts on 1 June 2023, so it has no records for 2022-23.")
    assert activity.coverage_note(pd.Series([], dtype="datetime64[ns]"), PERIODS, "x") == ""


def published_caseload():
    return pd.DataFrame(
        {
            "period": ["2022-23", "2023-24", "2023-24", "2023-24"],
            "month": ["Mar", "Apr", "May", "Jan"],
            "iros_fte": [10.0, 10.0, 10.0, 10.0],
            "children": [800, 700, 500, 710],
            "caseload_per_fte": [80.0, 70.0, 50.0, 71.0],
        }
    )


def test_caseload_text_and_months_in_range():
    text = caseload_text(published_caseload(), "2023-24", T("2023-04-01"))
    # 70.0 and 50.0 are inside the inclusive 50-70 range; 71.0 is not
    assert text == (
        "In 2023-24 the average caseload was 70.0 children per full-time IRO in April 2023 and "
        "71.0 in January 2024; it was within the IRO Handbook range of 50-70 in 2 of 3 months "
        "(highest 71.0, lowest 50.0)."
    )
    assert caseload_months_in_range(published_caseload(), "2023-24") == (2, 3)
    assert caseload_months_in_range(published_caseload(), "2021-22") == (0, 0)
    assert "has no rows for 2021-22" in caseload_text(
        published_caseload(), "2021-22", T("2021-04-01")
    )


def test_caseload_chart_shades_the_handbook_range():
    fig = caseload_chart(["Apr", "May"], {"2023-24": [68.0, 72.0]}, "title")
    ax = fig.axes[0]
    assert len(ax.patches) == 1, "the range is one shaded band"
    box = ax.patches[0].get_window_extent(fig.canvas.get_renderer())
    box = box.transformed(ax.transData.inverted())
    assert (round(box.y0, 6), round(box.y1, 6)) == (50.0, 70.0)
    assert ax.get_ylim() == (0.0, 72.0 * 1.15)
