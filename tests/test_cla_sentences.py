"""Computed sentences read the published tables, suppressed cells included."""

import pandas as pd
import pytest

from analysis.cla import DFE_PUBLISHED, THIS_REPORT
from analysis.cla import sentences as say


def comparison() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year_ending": [2023, 2024, 2023, 2024, 2024, 2024, 2024],
            "area": ["Town", "Town", "Town", "Town", "Region", "England", "Region"],
            "source": [THIS_REPORT] * 4 + [DFE_PUBLISHED] * 3,
            "characteristic": ["Full care order"] * 2
            + ["Placement order granted"] * 2
            + ["Full care order"] * 2
            + ["Placement order granted"],  # fmt: skip
            "count": [300, 330, 12, "c", 3910, 48700, 330],
            "percent": [60.0, 66.0, 2.4, "c", 64.0, 58.0, 5.0],
        }
    )


def test_pick():
    table = comparison()
    assert say.pick(table, "percent", year_ending=2024, area="Town",
                    characteristic="Full care order") == 66.0  # fmt: skip
    assert say.pick(table, "percent", year_ending=2022, area="Town") is None
    with pytest.raises(ValueError, match="rows match"):
        say.pick(table, "percent", area="Town")
    nan = pd.DataFrame({"k": ["a"], "v": [float("nan")]})
    assert say.pick(nan, "v", k="a") is None


def test_comparison_text_with_comparators_and_suppression():
    text = say.comparison_text(
        comparison(), ["Full care order", "Placement order granted"], "Town", 2024
    )
    assert text[0] == (
        "Full care order: 66.0% of children looked after by Town at 31 March 2024 (60.0% a "
        "year earlier); DfE published 64% in Region and 58% in England for 2024."
    )
    assert text[1].startswith(
        "Placement order granted: fewer than 6 children looked after by Town at 31 March 2024 "
        "(2.4% a year earlier); DfE published 5% in Region"
    )


def test_years_text_says_whose_figures_are_whose():
    table = pd.DataFrame(
        {
            "year_ending": [2021, 2022, 2020, 2021, 2022],
            "source": [THIS_REPORT, THIS_REPORT, DFE_PUBLISHED, DFE_PUBLISHED, DFE_PUBLISHED],
            "rate_per_10k": [150.0, 151.0, 140.0, 141.0, None],
        }
    )
    assert say.years_text(table) == (
        "Years: DfE's published figures cover the years ending March 2020 to 2021; this "
        "report's own figures, calculated from the returns supplied, cover 2021 to 2022."
    )


def test_permanence_text_uses_the_grouped_counts():
    reasons = pd.DataFrame(
        {
            "year_ending": [2023, 2024, 2023, 2024, 2024, 2024],
            "area": ["Town"] * 4 + ["England", "England"],
            "source": [THIS_REPORT] * 4 + [DFE_PUBLISHED] * 2,
            "characteristic": ["Special guardianship orders"] * 2
            + ["Residence order or child arrangement order granted"] * 2
            + ["Special guardianship orders", "Residence order or child arrangement order granted"],
            "count": [39, 32, 21, 15, 3860, 1150],
            "percent": [17.5, 16.8, 9.4, 7.9, 11.0, 3.0],
        }
    )
    text = say.permanence_text(reasons, "2023-24", "2022-23", 2024)
    assert text[0] == (
        "32 children left care under a special guardianship order in 2023-24, 16.8% of all "
        "children leaving care (39, 17.5%, in 2022-23); DfE published 11% in England for 2024."
    )
    assert text[1].startswith("15 children left care under a child arrangements order")
    ours = reasons.loc[reasons["source"].eq(THIS_REPORT)]
    later = say.permanence_text(ours.assign(year_ending=ours["year_ending"] + 1),
                                "2024-25", "2023-24", 2025)  # fmt: skip
    assert "DfE has not published comparators for 2025 yet" in later[0]


def test_flow_text_and_largest():
    table = pd.DataFrame(
        {
            "period": ["2022-23"] * 4 + ["2023-24"] * 4,
            "group": ["sex", "sex", "age_band", "age_band"] * 2,
            "code": ["Male", "Female", "Under 1", "1 to 4"] * 2,
            "count": [10, 10, 15, 5, 12, 8, 6, 14],
            "percent": [50.0, 50.0, 75.0, 25.0, 60.0, 40.0, 30.0, 70.0],
        }
    )
    text = say.flow_text("started", table, "2023-24", "2022-23")
    assert text[0] == "20 children started to be looked after in 2023-24 (20 in 2022-23)."
    assert text[1] == "60.0% were boys (50.0% in 2022-23)."
    assert text[2] == "The largest age band was 1 to 4 (70.0%; 25.0% in 2022-23)."
    suppressed = table.assign(count=table["count"].where(table["code"].ne("Female"), "c"))
    # a suppressed part makes the total unknown: said plainly, never "not available children"
    assert say.flow_text("started", suppressed, "2023-24", "2022-23")[0] == (
        "The number of children who started to be looked after in 2023-24 is not shown (small "
        "numbers)."
    )
    with_totals = say.flow_text("ceased", suppressed, "2023-24", "2022-23", totals=(25, 30))
    assert with_totals[0] == "25 children ceased to be looked after in 2023-24 (30 in 2022-23)."
    assert say.largest(pd.DataFrame({"code": ["a"], "count": ["c"], "percent": ["c"]})) is None
