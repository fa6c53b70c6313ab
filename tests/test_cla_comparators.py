"""Published comparators: statistical neighbours, LAIT, CLA characteristics and ceased reasons.

Expected values are DfE's published figures as they stand in the reference files (and, where
it quotes them, in Middlesbrough's published IRO report 2023/24, seed 003).
"""

import math

import pandas as pd
import pytest
from refdata import REFERENCE_DIR

from analysis import reference as ref
from analysis.errors import InputError


def test_statistical_neighbours_both_models():
    april_2021 = ref.statistical_neighbours(REFERENCE_DIR, "806", "2021")
    assert list(april_2021["la_code"][:3]) == ["805", "355", "876"]
    assert list(april_2021["la_name"][:3]) == ["Hartlepool", "Salford", "Halton"]
    assert list(april_2021["rank"]) == list(range(1, 11))
    model_2025 = ref.statistical_neighbours(REFERENCE_DIR, 806, "2025")
    assert model_2025.loc[0, "la_code"] == "890"
    assert model_2025.loc[0, "closeness"] == "Very close"  # trailing space stripped elsewhere
    assert model_2025.loc[1, "closeness"] == "Close"
    with pytest.raises(InputError):
        ref.statistical_neighbours(REFERENCE_DIR, "999", "2025")


@pytest.mark.parametrize(
    ("period_end", "model"),
    [
        ("2024-03-31", "2021"),
        ("2025-03-31", "2021"),
        ("2025-04-01", "2025"),
        ("2026-03-31", "2025"),
    ],
)
def test_statistical_neighbour_model(period_end, model):
    assert ref.statistical_neighbour_model(period_end) == model


def test_cla_rate_comparison_2024():
    table = ref.cla_rate_comparison(REFERENCE_DIR, "806", [2020, 2024], "2021")
    rows = table.set_index(["area_type", "year_ending"])
    assert rows.loc[("la", 2024), "children_count"] == 513  # seed 003, 7.1
    assert rows.loc[("la", 2024), "rate_per_10k"] == 146
    assert rows.loc[("la", 2020), "rate_per_10k"] == 188
    assert rows.loc[("region", 2024), "area"] == "North East"
    assert rows.loc[("region", 2024), "rate_per_10k"] == 113
    assert rows.loc[("england", 2024), "children_count"] == 83530
    # Mean of the ten April-2021 neighbours' published 2024 rates:
    # (164 + 90 + 137 + 190 + 123 + 106 + 182 + 101 + 121 + 95) / 10 = 130.9
    assert rows.loc[("statistical_neighbours", 2024), "rate_per_10k"] == pytest.approx(130.9)
    assert rows.loc[("statistical_neighbours", 2024), "neighbours_with_data"] == 10
    assert pd.isna(rows.loc[("statistical_neighbours", 2024), "children_count"])


def test_lait_indicator_missing_year_is_nan():
    table = ref.lait_indicator(REFERENCE_DIR, "LAC", ["806"], [2015, 2024])
    assert math.isnan(table.loc[0, "value"]) and table.loc[1, "value"] == 146
    with pytest.raises(InputError):
        ref.lait_indicator(REFERENCE_DIR, "NOT_A_MEASURE", ["806"], [2024])


def test_cla_characteristics_published_legal_status_2024():
    table = ref.cla_characteristics_published(REFERENCE_DIR, "806", "Legal status", [2024])
    rows = table.set_index(["area_type", "characteristic"])
    assert rows.loc[("la", "Full care order"), "count"] == 340
    assert rows.loc[("la", "Full care order"), "percent"] == 66
    assert rows.loc[("region", "Full care order"), "count"] == 3910
    assert rows.loc[("england", "Voluntary agreements under S20 CA 1989"), "percent"] == 19
    assert rows.loc[("la", "Total"), "count"] == 513
    assert set(table["year_ending"]) == {2024}


def test_cla_ceased_published_matches_the_seed_report():
    # Seed 003, 8.22 and 9: 205 ceased in 2023/24; 47 under SGOs; 37 under a CAO.
    table = ref.cla_ceased_published(REFERENCE_DIR, "806", [2024])
    la = table.loc[table["area_type"].eq("la")].set_index("characteristic")["count"]
    assert la["Total"] == 205
    assert la["Special guardianship orders"] == 47
    assert la["Residence order or child arrangement order granted"] == 37


def test_neighbour_figures():
    table = ref.neighbour_figures(REFERENCE_DIR, "806", 2024, "2021")
    first = table.iloc[0]
    assert (first["la_name"], first["children_count"], first["rate_per_10k"]) == (
        "Hartlepool",
        336,
        164,
    )
    assert list(table.columns) == [
        "rank", "la_code", "la_name", "closeness", "year_ending", "children_count", "rate_per_10k"
    ]  # fmt: skip


def test_ons_code():
    assert ref.ons_code(REFERENCE_DIR, "806") == "E06000002"
