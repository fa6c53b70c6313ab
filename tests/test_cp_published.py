"""Published child protection comparators, read from the real reference files.

Expected values are DfE's published figures copied from the reference files' rows for
Middlesbrough (806), the North East and England, year ending 31 March 2024, with the arithmetic
done by hand:

- D5 ``CPP_At31``: 806 320, North East 3,540, England 49,900; populations (CLA file): 806 35,177,
  England 12,059,476; rates 320 / 35,177 x 10,000 = 90.97, 49,900 / 12,059,476 x 10,000 = 41.38
  (DfE LAIT ``CPP_rate``: 91 and 41.4);
- C4: 806 ICPC 404 with 6 + 246 within 15 days: 252 / 404 = 62.38% (LAIT ``CP_conf_15days``
  62.4);
- D3: 806 363 plans started, 101 second or subsequent, 27.8%;
- LAIT ``RevCP``: 806 76.3, North East 93.0, England 89.8.
"""

import math

import pandas as pd
import pytest
from refdata import REFERENCE_DIR

from analysis import cp


@pytest.fixture(scope="module")
def published():
    table = cp.cp_published(REFERENCE_DIR, "806", 2024)
    return table.pivot(index="measure", columns="area", values="value")


def test_areas_and_measures(published):
    table = cp.cp_published(REFERENCE_DIR, "806", 2024)
    assert list(dict.fromkeys(table["area"])) == [
        "Middlesbrough (published)",
        "North East",
        "England",
    ]
    assert list(dict.fromkeys(table["measure"])) == list(cp.PUBLISHED_MEASURES)


def test_plans_and_rate(published):
    la = published["Middlesbrough (published)"]
    assert la["cp_plans_count"] == 320
    assert la["cp_rate_per_10k"] == pytest.approx(90.97, abs=0.01)
    assert published["North East"]["cp_plans_count"] == 3540
    assert published["England"]["cp_rate_per_10k"] == pytest.approx(41.38, abs=0.01)


def test_icpc_repeat_plans_reviews_and_durations(published):
    la = published["Middlesbrough (published)"]
    assert la["icpc_count"] == 404
    assert la["icpc_within_15_days_pct"] == pytest.approx(62.38, abs=0.01)
    assert la["plans_started_count"] == 363
    assert la["second_subsequent_count"] == 101
    assert la["second_subsequent_pct"] == 27.8
    assert la["review_conferences_in_time_pct"] == 76.3
    assert published["North East"]["review_conferences_in_time_pct"] == 93.0
    assert published["England"]["review_conferences_in_time_pct"] == 89.8
    assert la["duration_pct:3 months or less"] == 28.8
    assert la["duration_pct:2 years or more"] == 3.1


def test_year_not_published_is_blank():
    table = cp.cp_published(REFERENCE_DIR, "806", 2031)
    assert table["value"].isna().all()
    assert len(table) == 3 * len(cp.PUBLISHED_MEASURES)


def test_rate_published_over_years():
    out = cp.cp_rate_published(REFERENCE_DIR, "806", [2024, 2023])
    la = out.loc[out["area"] == "Middlesbrough (published)"]
    assert la["year_ending"].tolist() == [2023, 2024]
    assert la["count"].tolist() == [469, 320]
    assert out["area"].drop_duplicates().tolist()[-1] == "England"


def published_comparison():
    return pd.DataFrame(
        {
            "area": ["X (this report)", "X (published)", "North East", "England"],
            "measure": ["m"] * 4,
            "value": [50.0, "c", 83.0, float("nan")],
        }
    )


def test_comparator_phrase_skips_own_figure_and_unpublished():
    phrase = cp.comparator_phrase(published_comparison(), "m")
    assert phrase == "DfE's published suppressed for X and 83.0% for the North East"
    none = published_comparison().assign(value=[50.0, float("nan"), None, float("nan")])
    assert cp.comparator_phrase(none, "m") == ""
    assert cp.comparator_phrase(published_comparison(), "m", prefix="").startswith("suppressed")


def test_cp_comparison_puts_this_report_first():
    summary = cp.cp_summary(
        pd.DataFrame(
            columns=["la_code", "child_id", "cpp_start", "cpp_end", "number_previous_cpp"]
        ),
        pd.DataFrame(columns=["la_code", "child_id", "s47_start", "icpc_date"]),
        1000,
        "2023-04-01",
        "2024-03-31",
    )
    duration = pd.DataFrame({"code": ["3 months or less"], "percent": [12.5]})
    published = cp.cp_published(REFERENCE_DIR, "806", 2024)
    out = cp.cp_comparison(summary, duration, 70.0, published, "X (this report)")
    ours = out.loc[out["area"] == "X (this report)"].set_index("measure")["value"]
    assert out["area"].iloc[0] == "X (this report)"
    assert ours["cp_plans_count"] == 0
    assert ours["duration_pct:3 months or less"] == 12.5
    assert math.isnan(ours["duration_pct:2 years or more"])
    assert ours["review_conferences_in_time_pct"] == 70.0
    theirs = out.loc[out["area"] == "England"].set_index("measure")["value"]
    assert theirs["cp_plans_count"] == 49900 and isinstance(theirs["cp_plans_count"], int)
