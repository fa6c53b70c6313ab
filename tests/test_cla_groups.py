"""CLA figures in DfE's published groups; SGO and child arrangements order outcomes."""

import pandas as pd
import pytest
from cla_frames import children, ep, episodes

from analysis import cla

PS, PE = "2023-04-01", "2024-03-31"


def leavers():
    return episodes(
        ep("A", "2023-01-01", dec="2023-06-01", rec="E45"),
        ep("B", "2023-01-01", dec="2023-07-01", rec="E47"),
        ep("C", "2023-01-01", dec="2023-08-01", rec="E43"),  # pre-2014 SGO code
        ep("D", "2023-01-01", dec="2023-09-01", rec="E41"),
        ep("E", "2023-01-01", dec="2023-10-01", rec="E11"),
        ep("F", "2023-01-01", dec="2023-11-01", rec="E12"),
        ep("G", "2023-01-01", dec="2024-03-31", rec="E8"),  # ceased on the last day: counts
        ep("H", "2023-01-01", dec="2023-03-31", rec="E45"),  # ceased before the year
    )


def test_ceased_by_dfe_reason():
    table = cla.ceased_by_dfe_reason(leavers(), PS, PE).set_index("characteristic")
    assert table["count"].sum() == 7
    assert table.loc["Special guardianship orders", "count"] == 3  # E45, E47, E43
    assert table.loc["Adopted", "count"] == 2
    assert table.loc["Residence order or child arrangement order granted", "count"] == 1
    assert table.loc["Care ceased for any other reason", "count"] == 1
    assert table.loc["Special guardianship orders", "percent"] == pytest.approx(300 / 7)
    assert list(table.index) == list(cla.dfe_groups("REC"))  # every group, DfE order


def test_permanence_orders_percent_of_all_leavers():
    table = cla.permanence_orders_ceased(leavers(), PS, PE)
    # E44 is listed only when used; E43 is used here.
    assert list(table["code"]) == ["E41", "E43", "E45", "E46", "E47", "E48"]
    assert list(table["count"]) == [1, 1, 1, 0, 1, 0]
    assert table["percent"].tolist() == pytest.approx([100 / 7, 100 / 7, 100 / 7, 0, 100 / 7, 0])
    none = cla.permanence_orders_ceased(leavers(), "2021-04-01", "2022-03-31")
    assert list(none["code"]) == ["E41", "E45", "E46", "E47", "E48"]
    assert none["percent"].isna().all()


def test_placement_and_legal_status_groups():
    eps = episodes(
        ep("A", "2023-01-01", place="U1", ls="C1"),
        ep("B", "2023-01-01", place="K2", ls="C2"),
        ep("C", "2023-01-01", place="H5", ls="E1"),
        ep("D", "2023-01-01", place="P2", ls="D1"),
        ep("E", "2023-01-01", place="Z1", ls="V2"),
        ep("F", "2023-01-01", place="A5", ls="J1"),
        ep("G", "2023-01-01", place="U6", ls="V3"),  # short breaks: not looked after
    )
    place = cla.placement_group_at(eps, PE).set_index("characteristic")["count"]
    assert place["Foster placements"] == 1
    assert place["Placed for adoption"] == 1
    assert (
        place["Independent and semi-independent living arrangements/supported accommodation"] == 2
    )
    assert place["Secure homes and children's homes"] == 1
    assert place["Other placements"] == 1
    assert place.sum() == 6
    legal = cla.legal_status_group_at(eps, PE).set_index("characteristic")["count"]
    assert legal["Placement order granted"] == 2  # E1 and D1
    assert legal["Interim care order"] == 1 and legal["Full care order"] == 1
    assert legal["Voluntary agreements under S20 CA 1989"] == 1
    assert legal["Youth justice legal statuses"] == 1
    assert legal.sum() == 6


def test_sex_age_group_at_uses_dfe_wording():
    eps = episodes(ep("A", "2023-01-01"), ep("B", "2023-01-01"))
    kids = children(("A", 1, "2023-06-01", "WBRI"), ("B", 2, "2007-03-31", "WBRI"))
    table = cla.sex_age_group_at(eps, kids, PE)
    ages = table.loc[table["group"].eq("age_band")].set_index("characteristic")["count"]
    assert ages["Under 1 year"] == 1
    assert ages["16 years and over"] == 1  # 17th birthday on 31 March 2024
    sexes = table.loc[table["group"].eq("sex")].set_index("characteristic")["percent"]
    assert sexes["Male"] == 50.0 and sexes["Female"] == 50.0


def test_sex_age_with_published_keeps_groups_apart():
    ours = pd.DataFrame(
        {
            "year_ending": [2024] * 3,
            "group": ["sex", "sex", "age_band"],
            "characteristic": ["Male", "Female", "Under 1 year"],
            "count": [6, 4, 10],
            "percent": [60.0, 40.0, 100.0],
        }
    )

    def published(names):
        return pd.DataFrame(
            {
                "year_ending": [2024] * len(names),
                "area": ["England"] * len(names),
                "area_type": ["england"] * len(names),
                "characteristic": names,
                "count": [1] * len(names),
                "percent": [50.0] * len(names),
            }
        )

    out = cla.sex_age_with_published(
        ours, published(["Male", "Female", "Total"]), published(["Under 1 year"]), "Town"
    )
    assert list(out["group"]) == ["sex"] * 4 + ["age_band"] * 2
    assert list(out.columns)[:4] == ["year_ending", "area", "source", "group"]
