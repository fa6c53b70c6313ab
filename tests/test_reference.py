"""Published reference figures, checked against the numbers the seed report and DfE publish."""

from pathlib import Path

import pandas as pd
import pytest
from refdata import REFERENCE_DIR

from analysis import reference
from analysis.cla import rate_per_10k
from analysis.errors import InputError


@pytest.fixture(scope="module")
def ref() -> Path:
    return REFERENCE_DIR


def test_population_for_year_ending_march_2024_reproduces_dfe_rate(ref):
    # DfE CLA 2025 release: Middlesbrough, 31 March 2024, 513 children, rate 146 per 10,000.
    population = reference.population_0_17(ref, "806", 2024)
    assert round(rate_per_10k(513, population)) == 146
    assert reference.population_0_17(ref, 806, 2024) == population


def test_seed_rate_147_5_used_the_first_mid_2023_estimate(ref):
    # Seed 003: "513 ... The calculated rate per 10,000 is 147.5 (based on 2023 population
    # estimates)": the ONS MYE2 mid-2023 release, not DfE's later revised figure.
    first_estimate = reference.population_mye2_2023(ref, "806")
    assert round(rate_per_10k(513, first_estimate), 1) == 147.5
    assert first_estimate != reference.population_0_17(ref, "806", 2024)


def test_dfe_population_is_the_ons_mid_year_before(ref):
    ons = pd.read_csv(ref / reference.ONS_MYE_FILE, dtype=str)
    mid = ons.loc[ons["old_la_code"] == "806"].set_index("time_period")["population_estimate"]
    for year_ending in (2021, 2022, 2023, 2024, 2025):
        assert reference.population_0_17(ref, "806", year_ending) == int(mid[str(year_ending - 1)])


def test_population_falls_back_to_ons_file(ref):
    # DfE's file starts in 2021; for the year ending March 2020 the ONS mid-2019 figure is used.
    ons = pd.read_csv(ref / reference.ONS_MYE_FILE, dtype=str)
    mid_2019 = ons.loc[
        (ons["old_la_code"] == "806") & (ons["time_period"] == "2019"), "population_estimate"
    ].item()
    assert reference.population_0_17(ref, "806", 2020) == int(mid_2019)


def test_population_missing_names_both_files(ref):
    with pytest.raises(InputError) as err:
        reference.population_0_17(ref, "806", 2031)
    assert reference.CLA_RATE_FILE in str(err.value)
    assert reference.ONS_MYE_FILE in str(err.value)


def test_missing_reference_dir_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=reference.CLA_RATE_FILE):
        reference.population_0_17(tmp_path, "806", 2024)


def test_la_name_and_region(ref):
    assert reference.la_name(ref, "806") == "Middlesbrough"
    assert reference.la_name(ref, 841) == "Darlington"
    assert reference.la_region(ref, "806") == "North East"


def test_cla_published_la_region_england(ref):
    # Seed 003 legal status table: Middlesbrough 509 (2023) and 513 (2024); North East 5970 (2023).
    la = reference.cla_published(ref, "806").set_index("year_ending")
    assert la.loc[2023, "children_count"] == 509 and la.loc[2024, "children_count"] == 513
    assert la.loc[2024, "rate_per_10k"] == 146
    region = reference.cla_published(ref, "806", level="region").set_index("year_ending")
    assert region.loc[2023, "children_count"] == 5970
    assert set(region["area_name"]) == {"North East"}
    england = reference.cla_published(ref, "806", level="england")
    assert england["year_ending"].tolist() == [2021, 2022, 2023, 2024, 2025]
    assert set(england["geographic_level"]) == {"National"}
    starting = reference.cla_published(ref, "806", measure="starting").set_index("year_ending")
    assert starting.loc[2024, "children_count"] == 207  # seed 7.31: 207 became cared for
    ceasing = reference.cla_published(ref, "806", measure="ceasing").set_index("year_ending")
    assert ceasing.loc[2024, "children_count"] == 205  # seed 9: 205 ceased


def test_cla_published_comparison_stacks_three_areas(ref):
    both = reference.cla_published_comparison(ref, "806")
    assert both["geographic_level"].drop_duplicates().tolist() == [
        "Local authority",
        "Regional",
        "National",
    ]
    by_name = reference.cla_published(ref, "North East").set_index("year_ending")
    assert by_name.loc[2023, "children_count"] == 5970


def test_suppressed_values_are_missing(ref):
    scilly = reference.cla_published(ref, "420")
    assert scilly["children_count"].isna().all()
