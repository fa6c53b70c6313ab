"""Disclosure control: primary and secondary suppression (analysis.tables.suppress).

Every expected table is worked out by hand from the rule in docs/data_protection.md: counts 1-5
are ``c``; a group of cells adding up to a visible total (a total row, or percentages that give
the total away) never has a single ``c``, nor ``c`` cells whose values are forced; the extra cell
is the smallest non-zero one (first on a tie), else the total; percentages go with their counts.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.tables import (
    DisclosureGroup,
    TableSpec,
    check_disclosure_groups,
    disclosure_groups,
    load_catalogue,
    publish_table,
    secondary_suppression,
    suppress,
)

SHARES = TableSpec(
    id="shares",
    title="shares",
    columns=["code", "count", "percent"],
    count_columns=["count"],
    percent_columns=["percent"],
    disclosure_groups=[{"cells": "count", "total": "implicit"}],
)
COUNCILS = TableSpec(
    id="councils",
    title="councils",
    columns=["la_code", "period", "measure", "value"],
    count_measures=["orders"],
    disclosure_groups=[
        {"cells": "value", "by": ["period", "measure"], "total_row": {"la_code": "all"}}
    ],
)
C = "c"


def shares(counts: list[int]) -> pd.DataFrame:
    total = sum(counts)
    return pd.DataFrame(
        {
            "code": [f"K{i}" for i in range(len(counts))],
            "count": counts,
            "percent": [round(100 * n / total, 1) if total else 0.0 for n in counts],
        }
    )


def counts_of(counts: list[int]) -> list[object]:
    return suppress(shares(counts), SHARES, "public")["count"].tolist()


def test_one_suppressed_cell_takes_the_smallest_non_zero_other_with_its_percent():
    out = suppress(shares([40, 3, 0, 12, 9]), SHARES, "public")
    assert out["count"].tolist() == [40, C, 0, 12, C]  # 9 is the smallest non-zero; 0 never
    assert out["percent"].tolist() == [62.5, C, 0.0, 18.8, C]


def test_tie_takes_the_first_in_the_table():
    assert counts_of([2, 30, 9, 9]) == [C, 30, C, 9]


def test_two_suppressed_cells_need_nothing_more():
    assert counts_of([2, 3, 30, 7]) == [C, C, 30, 7]  # 2 + 3 = 5: (1, 4), (2, 3), ...


def test_all_small_cells_forced_at_5_take_one_more():
    # 5 + 5 = 10 = 30 - 20: both c must be 5, so 20 goes too.
    assert counts_of([5, 5, 20, 40]) == [C, C, C, 40]


def test_all_small_cells_forced_at_1_take_one_more():
    assert counts_of([1, 1, 30, 8]) == [C, C, 30, C]


def test_every_cell_small_is_all_suppressed():
    assert counts_of([2, 4]) == [C, C]


def test_only_zeros_left_reveal_nothing():
    # The percentages of zero rows do not give the total away; 3 is c and stays alone.
    assert counts_of([3, 0, 0]) == [C, 0, 0]


def test_no_group_in_the_catalogue_means_primary_only():
    spec = TableSpec(
        id="m",
        title="m",
        columns=["month", "count", "rate"],
        count_columns=["count"],
        rate_columns=["rate"],
    )
    df = pd.DataFrame({"month": ["Apr", "May"], "count": [3, 40], "rate": [1.5, 20.0]})
    out = suppress(df, spec, "public")
    assert out["count"].tolist() == [C, 40] and out["rate"].tolist() == [C, 20.0]


def councils(values: list[int], total: int | None = None) -> pd.DataFrame:
    las = ["841", "805", "806", "807", "808"][: len(values)]
    rows = [(la, "current", "orders", v) for la, v in zip(las, values, strict=True)]
    rows.append(("all", "current", "orders", sum(values) if total is None else total))
    rows += [(la, "current", "a10_days", 400.5) for la in las]
    return pd.DataFrame(rows, columns=COUNCILS.columns)


def test_one_council_suppressed_against_the_agency_total():
    out = suppress(councils([3, 10, 12, 0, 7]), COUNCILS, "public")
    assert out["value"].tolist()[:6] == [C, 10, 12, 0, C, 32]
    assert out["value"].tolist()[6:] == [400.5] * 5  # not counts: no suppression


def test_suppressed_total_protects_its_only_council():
    # 4 + 0 + 0 = 4: the total is small itself, so both are c and nothing else is needed.
    out = suppress(councils([4, 0, 0]), COUNCILS, "public")
    assert out["value"].tolist()[:4] == [C, 0, 0, C]


def test_forced_small_councils_take_the_total_when_nothing_else_is_left():
    # 5 + 5 = 10 and no other council has any: the total 10 would give both away.
    out = suppress(councils([5, 5, 0]), COUNCILS, "public")
    assert out["value"].tolist()[:4] == [C, C, 0, C]


def test_groups_are_split_by_period_and_measure():
    df = pd.concat([councils([3, 10, 12]), councils([20, 11, 12]).assign(period="previous")])
    out = suppress(df.reset_index(drop=True), COUNCILS, "public")
    current = out[(out["period"] == "current") & (out["measure"] == "orders")]
    previous = out[(out["period"] == "previous") & (out["measure"] == "orders")]
    assert current["value"].tolist() == [C, C, 12, 25]
    assert previous["value"].tolist() == [20, 11, 12, 43]


def test_rows_and_columns_of_a_two_way_table():
    spec = TableSpec(
        id="two_way",
        title="two way",
        columns=["la_code", "code", "count"],
        count_columns=["count"],
        disclosure_groups=[
            {"cells": "count", "by": ["la_code"], "total_row": {"code": "all"}},
            {"cells": "count", "by": ["code"], "total_row": {"la_code": "all"}},
        ],
    )
    df = pd.DataFrame(
        [
            ("la1", "X", 3),
            ("la1", "Y", 10),
            ("la1", "all", 13),
            ("la2", "X", 8),
            ("la2", "Y", 9),
            ("la2", "all", 17),
            ("all", "X", 11),
            ("all", "Y", 19),
            ("all", "all", 30),
        ],
        columns=spec.columns,
    )
    # la1 X is small; its row takes la1 Y, its column la2 X; then column Y takes la2 Y.
    assert suppress(df, spec, "public")["count"].tolist() == [C, C, 13, C, C, 17, 11, 19, 30]


def test_secondary_count_takes_its_dependent_rate_with_it():
    spec = TableSpec(
        id="r",
        title="r",
        columns=["la_code", "measure", "value"],
        count_measures=["orders"],
        suppress_with={"rate": "orders"},
        disclosure_groups=[{"cells": "value", "by": ["measure"], "total_row": {"la_code": "all"}}],
    )
    df = pd.DataFrame(
        [
            ("805", "orders", 2),
            ("806", "orders", 9),
            ("807", "orders", 20),
            ("all", "orders", 31),
            ("805", "rate", 1.1),
            ("806", "rate", 4.2),
            ("807", "rate", 9.9),
            ("all", "rate", 5.0),
        ],
        columns=spec.columns,
    )
    assert suppress(df, spec, "public")["value"].tolist() == [C, C, 20, 31, C, C, 9.9, 5.0]


def test_internal_mode_shows_everything():
    assert suppress(shares([40, 3, 9]), SHARES, "internal")["count"].tolist() == [40, 3, 9]


def test_missing_values_are_never_chosen():
    df = shares([40, 3, 9]).astype({"count": "Int64"})
    df.loc[2, "count"] = pd.NA
    out = suppress(df, SHARES, "public")["count"].tolist()
    assert out[:2] == [C, C] and out[2] is pd.NA  # 40 is the only candidate left


def test_group_building_from_the_catalogue_entry():
    groups = disclosure_groups(councils([3, 10]), COUNCILS)
    assert groups == [DisclosureGroup(members=((0, "value"), (1, "value")), total=(2, "value"))]


def test_secondary_suppression_is_applied_until_stable():
    cells = {(0, "a"): 3.0, (1, "a"): 8.0, (0, "b"): 8.0, (1, "b"): 20.0}
    groups = [
        DisclosureGroup(members=((0, "a"), (1, "a")), implicit_total=True),
        DisclosureGroup(members=((1, "a"), (1, "b")), implicit_total=True),
    ]
    assert secondary_suppression(cells, {(0, "a")}, groups) == {(1, "a"), (1, "b")}


def test_published_table_irp_by_plan_type_this_year_and_last(tmp_path):
    rows = [
        ("2023-24", "CLA", 161, 75.23),
        ("2023-24", "CP", 39, 18.22),
        ("2023-24", "dual", 11, 5.14),
        ("2023-24", "none", 3, 1.40),
        ("2023-24", "All IRPs", 214, 100.0),
        ("2022-23", "CLA", 150, 75.0),
        ("2022-23", "CP", 30, 15.0),
        ("2022-23", "dual", 12, 6.0),
        ("2022-23", "none", 8, 4.0),
        ("2022-23", "All IRPs", 200, 100.0),
    ]
    df = pd.DataFrame(rows, columns=["period", "code", "count", "percent"])
    publish_table(df, "iro_irp_by_plan_type", tmp_path, "public")
    assert (tmp_path / "iro_irp_by_plan_type.csv").read_text() == (
        "period,code,count,percent\n"
        "2023-24,CLA,161,75.2\n2023-24,CP,39,18.2\n2023-24,dual,c,c\n2023-24,none,c,c\n"
        "2023-24,All IRPs,214,100.0\n"
        "2022-23,CLA,150,75.0\n2022-23,CP,30,15.0\n2022-23,dual,12,6.0\n2022-23,none,8,4.0\n"
        "2022-23,All IRPs,200,100.0\n"
    )


def test_every_catalogue_group_names_count_columns_of_its_table():
    catalogue = load_catalogue()
    for spec in catalogue.values():
        check_disclosure_groups(spec)
    with_groups = {tid for tid, spec in catalogue.items() if spec.disclosure_groups}
    assert {"cla_ceased_by_reason", "atv_la_measures", "iro_irp_by_plan_type"} <= with_groups


def test_a_group_naming_a_missing_column_is_refused():
    spec = TableSpec(
        id="x",
        title="x",
        columns=["code", "count"],
        count_columns=["count"],
        disclosure_groups=[{"cells": "count", "by": ["period"]}],
    )
    with pytest.raises(ValueError, match="unknown columns"):
        check_disclosure_groups(spec)


def test_columns_adding_up_in_each_row():
    spec = TableSpec(
        id="bands",
        title="bands",
        columns=["month_end", "open_plans", "short", "long"],
        count_columns=["open_plans", "short", "long"],
        disclosure_groups=[{"cells": ["short", "long"], "total_column": "open_plans"}],
    )
    df = pd.DataFrame(
        {"month_end": ["Apr", "May"], "open_plans": [40, 9], "short": [37, 4], "long": [3, 5]}
    )
    out = suppress(df, spec, "public")
    # April: long 3 is small, short 37 would give it away from 40; May: 4 and 5 both small.
    assert out.to_dict("list") == {
        "month_end": ["Apr", "May"],
        "open_plans": [40, 9],
        "short": [C, C],
        "long": [C, C],
    }


def test_published_atv_measures_suppress_a_second_council(tmp_path):
    rows = [
        (la, "current", "adoption_orders", n)
        for la, n in [("841", 7), ("805", 2), ("806", 14), ("807", 9), ("808", 11), ("all", 43)]
    ]
    df = pd.DataFrame(rows, columns=["la_code", "period", "measure", "value"])
    out = publish_table(df, "atv_la_measures", tmp_path, "public")
    assert out["value"].tolist() == [C, C, 14, 9, 11, 43]
