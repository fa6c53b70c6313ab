import pandas as pd
import pytest

from analysis.dates import (
    add_months,
    add_working_days,
    age_at,
    as_dates,
    collection_year,
    in_period,
    open_at,
    working_days_after,
)

T = pd.Timestamp


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2023-08-31", 6, "2024-02-29"),  # no 31 Feb: last day of month (leap year)
        ("2022-08-31", 6, "2023-02-28"),
        ("2023-01-31", 3, "2023-04-30"),
        ("2022-12-31", 15, "2024-03-31"),
        ("2023-03-15", 3, "2023-06-15"),
    ],
)
def test_add_months_month_rule(start, months, expected):
    assert add_months(start, months) == T(expected)


def test_working_days_after_counts_after_start_up_to_and_including_end():
    start = pd.Series([T("2023-12-22"), T("2024-03-28"), T("2024-01-08"), T("2024-01-08")])
    end = pd.Series([T("2023-12-27"), T("2024-04-02"), T("2024-01-08"), T("2024-01-29")])
    # Fri 22 Dec -> Wed 27 Dec: 25 and 26 Dec are bank holidays, so 27 Dec is working day 1.
    # Thu 28 Mar 2024 -> Tue 2 Apr: Good Friday 29 Mar and Easter Monday 1 Apr, so 1 day.
    # Same day: 0. Mon 8 Jan -> Mon 29 Jan: three full weeks = 15 working days.
    assert working_days_after(start, end).tolist() == [1, 1, 0, 15]


def test_working_days_after_missing_dates_are_na():
    out = working_days_after(pd.Series([T("2024-01-08"), pd.NaT]), pd.Series([pd.NaT, pd.NaT]))
    assert out.isna().all()


def test_add_working_days_inverse_of_count():
    # Period of care starting Fri 15 Dec 2023: 20 working days skip 25, 26 Dec and 1 Jan.
    assert add_working_days("2023-12-15", 20) == T("2024-01-17")
    # Starting on a Saturday counts from the next working day.
    assert add_working_days("2024-01-06", 1) == T("2024-01-08")


def test_open_at_boundaries():
    start = pd.Series([T("2024-03-31"), T("2023-01-01"), T("2023-01-01"), T("2024-04-01")])
    end = pd.Series([pd.NaT, T("2024-03-31"), T("2024-04-01"), pd.NaT])
    # starts on the date: open; ends on the date: not open; ends after: open; starts after: no
    assert open_at(start, end, "2024-03-31").tolist() == [True, False, True, False]


def test_in_period_inclusive_and_nat():
    d = pd.Series([T("2023-04-01"), T("2024-03-31"), T("2024-04-01"), pd.NaT])
    assert in_period(d, "2023-04-01", "2024-03-31").tolist() == [True, True, False, False]


def test_age_at_birthday_and_leap_day():
    dob = pd.Series([T("2008-03-31"), T("2008-04-01"), T("2008-02-29")])
    assert age_at(dob, "2024-03-31").tolist() == [16, 15, 16]
    assert age_at(pd.Series([T("2008-02-29")]), "2023-02-28").tolist() == [14]


def test_collection_year():
    assert collection_year("2024-03-31") == "2023-24"
    assert collection_year("2024-04-01") == "2024-25"


def test_as_dates_keeps_a_datetime_column_and_converts_text() -> None:
    dates = pd.Series(pd.to_datetime(["2024-02-29", None]))
    assert as_dates(dates) is dates  # no copy
    got = as_dates(pd.Series(["2024-02-29", None], dtype=object))
    assert str(got.dtype) == "datetime64[ns]"
    assert got.iloc[0] == pd.Timestamp(2024, 2, 29) and pd.isna(got.iloc[1])
