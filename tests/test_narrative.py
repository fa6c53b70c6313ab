import math

import pandas as pd

from analysis.narrative import change_phrase, fmt_count, fmt_pct, measure, percent


def test_percent_zero_denominator_is_nan():
    assert math.isnan(percent(3, 0))
    assert percent(1, 4) == 25.0


def test_change_phrase_counts():
    # 513 vs 509: +4 / 509 = 0.786% -> 0.8%
    assert change_phrase(513, 509) == "up 0.8% from 509"
    # 320 vs 469: -149 / 469 = 31.77% -> 31.8%
    assert change_phrase(320, 469) == "down 31.8% from 469"
    assert change_phrase(513, 513) == "the same as the 513 of the previous year"


def test_change_phrase_percentages_in_points():
    assert change_phrase(85.04, 93.0, "pct") == "down 8.0 percentage points from 93.0%"
    assert change_phrase(72.6, 72.62, "pct") == "the same as the previous year's 72.6%"


def test_suppressed_and_missing_values_read_plainly():
    assert fmt_count("c") == "fewer than 6"
    assert fmt_pct(float("nan")) == "not available"
    assert change_phrase(5, None) == "with no comparison available"


def test_measure_lookup():
    t = pd.DataFrame({"measure": ["a", "b"], "value": [1, 2.5]})
    assert measure(t, "b") == 2.5
