"""Adoption activity, A10/A2 and the ATV tables on hand-computed edge cases.

Day counts below are worked out by hand month by month (e.g. 10 Jan -> 1 Mar 2022 is
21 + 28 + 1 = 50 days).
"""

import math

import numpy as np
import pandas as pd
import pytest

from analysis import adoption

T = pd.Timestamp


def episodes(rows, la="806"):
    """rows: (child_id, decom, rne, ls, place, dec, rec) or with a trailing la_code."""
    out = []
    for row in rows:
        child, decom, rne, ls, place, dec, rec, *rest = row
        out.append(
            {
                "la_code": rest[0] if rest else la,
                "child_id": child,
                "decom": T(decom),
                "rne": rne,
                "ls": ls,
                "cin": "N1",
                "place": place,
                "place_provider": "PR1",
                "dec": T(dec) if dec else pd.NaT,
                "rec": rec,
                "reason_place_change": None,
                "pl_distance": np.nan,
                "pl_location": None,
            }
        )
    return pd.DataFrame(out)


def ad1_table(rows):
    """rows: (la_code, child_id, date_match, foster_care)."""
    la, child, match, foster = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "la_code": list(la),
            "child_id": list(child),
            "date_int": pd.NaT,
            "date_match": pd.to_datetime(list(match)),
            "foster_care": list(foster),
            "nb_adoptr": "1",
            "sex_adoptr": "MF",
            "ls_adoptr": "L0",
        }
    )


def events(rows, extra=None):
    la, child, date = zip(*rows, strict=True) if rows else ((), (), ())
    frame = pd.DataFrame(
        {"la_code": list(la), "child_id": list(child), "date": pd.to_datetime(list(date))}
    )
    for name, values in (extra or {}).items():
        frame[name] = values
    return frame


YEAR = ("2023-04-01", "2024-03-31")

ACTIVITY = episodes(
    [
        # r: placed for adoption (A4, consent), placement order granted during the placement
        # (RNE L: not a new placement), then moved to a long-term foster carer (U4): disruption
        ("r", "2023-01-05", "S", "C2", "U4", "2023-06-01", "X1"),
        ("r", "2023-06-01", "P", "C2", "A4", "2023-09-01", "X1"),
        ("r", "2023-09-01", "L", "E1", "A4", "2023-10-15", "X1"),
        ("r", "2023-10-15", "P", "E1", "U4", None, None),
        # s: placement order (L), placed for adoption, adopted: no disruption
        ("s", "2022-11-01", "S", "C2", "U6", "2023-05-01", "X1"),
        ("s", "2023-05-01", "L", "E1", "U6", "2023-07-03", "X1"),
        ("s", "2023-07-03", "P", "E1", "A6", "2024-02-15", "E11"),
        # t: adoptive placement ends with the child leaving care otherwise (E13): disruption
        ("t", "2023-02-01", "S", "E1", "U6", "2023-04-03", "X1"),
        ("t", "2023-04-03", "P", "E1", "A6", "2024-03-31", "E13"),
        # u: A5 -> A6 move between adoptive placements: two placements, no disruption
        ("u", "2023-03-01", "S", "E1", "A5", "2023-08-01", "X1"),
        ("u", "2023-08-01", "P", "E1", "A6", None, None),
        # v: A5 placement whose last episode says X1 but no next episode: not ended
        ("v", "2023-05-10", "S", "E1", "A5", "2023-12-01", "X1"),
        # w: early permanence (U5), later placement order on the same placement (L)
        ("w", "2023-05-01", "S", "C2", "U5", "2023-08-01", "X1"),
        ("w", "2023-08-01", "L", "E1", "U5", None, None),
        # q: E1, revoked to C2, E1 again: two orders; E1 -> E1 change of placement is one order
        ("q", "2023-04-01", "S", "E1", "U6", "2023-05-01", "X1"),
        ("q", "2023-05-01", "P", "E1", "U4", "2023-06-01", "X1"),
        ("q", "2023-06-01", "L", "C2", "U4", "2023-07-01", "X1"),
        ("q", "2023-07-01", "L", "E1", "U4", None, None),
    ]
)


def test_placements_for_adoption_skip_rne_l():
    got = adoption.placements_for_adoption(ACTIVITY, *YEAR)
    expected = events(
        [
            ("806", "t", "2023-04-03"),
            ("806", "r", "2023-06-01"),
            ("806", "s", "2023-07-03"),
            ("806", "u", "2023-08-01"),
        ],
        {"place": ["A6", "A4", "A6", "A6"]},
    )
    # u's first A5 placement started 1 Mar 2023 and v's on 10 May 2023 (S)
    expected = pd.concat([expected, events([("806", "v", "2023-05-10")], {"place": ["A5"]})])
    expected = expected.sort_values(["la_code", "date", "child_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)


def test_disruptions_rne_l_is_not_a_new_placement():
    got = adoption.disruptions(ACTIVITY, *YEAR)
    expected = events(
        [("806", "r", "2023-10-15"), ("806", "t", "2024-03-31")],
        {
            "placement_start": pd.to_datetime(["2023-06-01", "2023-04-03"]),
            "place": ["A4", "A6"],
            "reason": ["next placement U4", "ceased E13"],
        },
    )
    pd.testing.assert_frame_equal(got, expected)


def test_disruption_a5_then_u4():
    eps = episodes(
        [
            ("z", "2023-01-01", "S", "E1", "U6", "2023-06-01", "X1"),
            ("z", "2023-06-01", "P", "E1", "A5", "2023-11-30", "X1"),
            ("z", "2023-11-30", "P", "E1", "U4", None, None),
        ]
    )
    got = adoption.disruptions(eps, *YEAR)
    assert got[["child_id", "date", "reason"]].values.tolist() == [
        ["z", T("2023-11-30"), "next placement U4"]
    ]
    # outside the period: not counted
    assert adoption.disruptions(eps, "2023-12-01", "2024-03-31").empty


def test_placement_orders_first_e1_of_a_run():
    got = adoption.placement_orders(ACTIVITY, *YEAR)
    # v's first episode (S, E1) starts a run too; u's and t's orders predate the year
    expected = events(
        [
            ("806", "q", "2023-04-01"),
            ("806", "s", "2023-05-01"),
            ("806", "v", "2023-05-10"),
            ("806", "q", "2023-07-01"),
            ("806", "w", "2023-08-01"),
            ("806", "r", "2023-09-01"),
        ]
    )
    pd.testing.assert_frame_equal(got, expected)


def test_early_permanence_and_adoption_orders():
    ep = adoption.early_permanence(ACTIVITY, *YEAR)
    pd.testing.assert_frame_equal(ep, events([("806", "w", "2023-05-01")], {"place": ["U5"]}))
    ao = adoption.adoption_orders(ACTIVITY, *YEAR)
    pd.testing.assert_frame_equal(ao, events([("806", "s", "2024-02-15")], {"rec": ["E11"]}))


def test_adm_decisions_by_date_placed():
    placed = pd.DataFrame(
        {
            "la_code": "806",
            "child_id": ["a", "b", "b", "c"],
            "date_placed": pd.to_datetime(["2023-04-01", "2024-03-31", "2024-03-31", "2024-04-01"]),
            "date_placed_ceased": pd.NaT,
            "reason_placed_ceased": None,
        }
    )
    got = adoption.adm_decisions(placed, *YEAR)
    pd.testing.assert_frame_equal(
        got, events([("806", "a", "2023-04-01"), ("806", "b", "2024-03-31")])
    )


# ------------------------------------------------------------------------------------------
# A10 / A2
# ------------------------------------------------------------------------------------------
TIMELINESS = episodes(
    [
        # F: earlier period of care (ignored), then adopted by the foster carer
        ("F", "2020-01-01", "S", "C2", "U6", "2020-06-01", "E13"),
        ("F", "2022-01-10", "S", "C2", "U4", "2022-03-01", "X1"),
        ("F", "2022-03-01", "P", "C2", "U6", "2022-07-01", "X1"),  # foster placement with adopter
        ("F", "2022-07-01", "L", "E1", "U6", "2023-01-16", "X1"),  # placement order, same placement
        ("F", "2023-01-16", "T", "E1", "A5", "2023-12-01", "E11"),
        # G: matched before the placement order
        ("G", "2022-06-01", "S", "C2", "U5", "2023-02-01", "X1"),
        ("G", "2023-02-01", "L", "E1", "U5", "2023-03-01", "X1"),
        ("G", "2023-03-01", "B", "E1", "A5", "2024-03-31", "E12"),
        # H: adopted the day before the cohort window
        ("H", "2022-01-03", "S", "E1", "A6", "2023-03-31", "E11"),
        # I: no AD1 record
        ("I", "2023-01-02", "S", "C2", "U6", "2023-04-03", "X1"),
        ("I", "2023-04-03", "U", "E1", "A6", "2024-01-05", "E11"),
    ]
)
TIMELINESS_AD1 = ad1_table(
    [
        ("806", "F", "2022-12-01", 1),
        ("806", "G", "2023-01-15", 0),
        ("806", "H", "2022-06-01", 0),
    ]
)


def test_a10_a2_children():
    got = adoption.a10_a2_children(TIMELINESS, TIMELINESS_AD1, "2024-03-31")
    expected = pd.DataFrame(
        {
            "la_code": "806",
            "child_id": ["F", "I", "G"],
            "adoption_date": pd.to_datetime(["2023-12-01", "2024-01-05", "2024-03-31"]),
            "entered_care": pd.to_datetime(["2022-01-10", "2023-01-02", "2022-06-01"]),
            # F: foster-carer adoption -> start of the U6 placement before the A5 placement
            "moved_in": pd.to_datetime(["2022-03-01", "2023-04-03", "2023-03-01"]),
            "placement_order": pd.to_datetime(["2022-07-01", "2023-04-03", "2023-02-01"]),
            "match_date": pd.to_datetime(["2022-12-01", None, "2023-01-15"]),
            "foster_care": pd.array([1, pd.NA, 0], dtype="Int64"),
            # F 10 Jan -> 1 Mar 2022 = 50; I 2 Jan -> 3 Apr 2023 = 91;
            # G 1 Jun 2022 -> 1 Mar 2023 = 273
            "a10_days": [50.0, 91.0, 273.0],
            # F 1 Jul -> 1 Dec 2022 = 153; G matched 17 days before the order -> 0
            "a2_days": [153.0, np.nan, 0.0],
            "reason": [
                "",
                "A10: no AD1 match, not adjusted for foster-carer adoption; "
                "A2: no AD1 match on or before the adoption date",
                "",
            ],
        }
    )
    pd.testing.assert_frame_equal(got, expected)
    assert adoption.mean_days(got, "a10_days") == pytest.approx((50 + 91 + 273) / 3)
    assert adoption.mean_days(got, "a2_days") == pytest.approx((153 + 0) / 2)


def test_a10_without_foster_care_flag_uses_adoptive_placement():
    ad1 = TIMELINESS_AD1.assign(foster_care=[0, 0, 0])
    got = adoption.a10_a2_children(TIMELINESS, ad1, "2024-03-31").set_index("child_id")
    # F unadjusted: 10 Jan 2022 -> 16 Jan 2023 = 365 + 6 = 371 days
    assert got.loc["F", "a10_days"] == 371.0


def test_a10_missing_placement_and_order_give_nan_with_reason():
    eps = episodes([("N", "2023-01-02", "S", "C2", "U6", "2023-08-01", "E11")])
    got = adoption.a10_a2_children(eps, None, "2024-03-31")
    assert math.isnan(got.loc[0, "a10_days"]) and math.isnan(got.loc[0, "a2_days"])
    assert got.loc[0, "reason"] == (
        "A10: no A3-A6 placement in the period of care; "
        "A2: no placement order (LS E1) in the period of care; "
        "A2: no AD1 match on or before the adoption date"
    )


def test_pooled_agency_mean_differs_from_mean_of_council_means():
    children = pd.DataFrame({"la_code": ["805", "806", "806"], "a10_days": [100.0, 200.0, 400.0]})
    # council means 100 and 300 -> mean of means 200; pooled (100 + 200 + 400) / 3 = 233.33
    assert adoption.mean_days(children, "a10_days") == pytest.approx(700 / 3)
    assert math.isnan(adoption.mean_days(children.iloc[0:0], "a10_days"))


def test_rate_leaving_care_by_adoption():
    eps = episodes(
        [
            ("c1", "2022-01-01", "S", "E1", "A6", "2023-04-01", "E11"),  # first day of window
            ("c2", "2022-01-01", "S", "C2", "U6", "2023-06-30", "E13"),
            ("c3", "2022-01-01", "S", "C2", "U6", "2023-05-01", "E13"),  # ceased twice: last
            ("c3", "2023-07-01", "S", "E1", "A6", "2024-03-31", "E12"),  # occasion is adopted
            ("c4", "2022-01-01", "S", "C2", "U6", "2023-09-01", "E45"),
            ("c5", "2023-01-01", "S", "V3", "H5", "2023-10-01", "E8"),  # short breaks: excluded
            ("c6", "2022-01-01", "S", "E1", "A6", "2023-03-31", "E11"),  # before the window
            ("c7", "2023-01-01", "S", "C2", "U6", "2023-07-01", "X1"),  # not ceased
            ("c7", "2023-07-01", "P", "C2", "U4", None, None),
        ]
    )
    # ceased: c1, c2, c3, c4; adopted: c1, c3 -> 50%
    assert adoption.rate_leaving_care_by_adoption(eps, "2024-03-31") == 50.0
    assert math.isnan(adoption.rate_leaving_care_by_adoption(eps, "2021-03-31"))


# ------------------------------------------------------------------------------------------
# ATV periods and tables
# ------------------------------------------------------------------------------------------
def test_atv_periods_half_year():
    assert adoption.atv_periods("2024-04-01", "2024-09-30") == {
        "current": (T("2024-04-01"), T("2024-09-30")),
        "previous_full_year": (T("2023-04-01"), T("2024-03-31")),
        "previous_same_half": (T("2023-04-01"), T("2023-09-30")),
    }


def test_atv_periods_second_half_and_full_year():
    assert adoption.atv_periods("2024-10-01", "2025-03-31") == {
        "current": (T("2024-10-01"), T("2025-03-31")),
        "previous_full_year": (T("2023-04-01"), T("2024-03-31")),
        "previous_same_half": (T("2023-10-01"), T("2024-03-31")),
    }
    assert adoption.atv_periods("2023-04-01", "2024-03-31") == {
        "current": (T("2023-04-01"), T("2024-03-31")),
        "previous_full_year": (T("2022-04-01"), T("2023-03-31")),
        "previous_same_half": (T("2022-04-01"), T("2023-03-31")),
    }


ATV_EPISODES = pd.concat(
    [
        episodes(
            [
                # n1: PO + placed 1 May 2023, adopted 1 May 2024; A10 2 Jan -> 1 May 2023 = 119
                ("n1", "2023-01-02", "S", "C2", "U6", "2023-05-01", "X1"),
                ("n1", "2023-05-01", "U", "E1", "A6", "2024-05-01", "E11"),
            ],
            la="805",
        ),
        episodes(
            [
                # m1: A10 3 Oct 2022 -> 3 Apr 2023 = 182; matched before the order: A2 0
                ("m1", "2022-10-03", "S", "C2", "U6", "2023-04-03", "X1"),
                ("m1", "2023-04-03", "U", "E1", "A6", "2024-06-28", "E12"),
                # m2: placed 2 Oct 2023, disrupted 28 Mar 2024
                ("m2", "2023-06-01", "S", "C2", "U6", "2023-10-02", "X1"),
                ("m2", "2023-10-02", "U", "E1", "A6", "2024-03-28", "X1"),
                ("m2", "2024-03-28", "P", "E1", "U4", None, None),
                # m3: A10 9 Jan -> 9 Mar 2023 = 59; A2 9 Mar -> 9 May 2023 = 61
                ("m3", "2023-01-09", "S", "C2", "U6", "2023-03-09", "X1"),
                ("m3", "2023-03-09", "U", "E1", "A6", "2024-08-01", "E11"),
                # m4: early permanence
                ("m4", "2024-05-01", "S", "C2", "U5", None, None),
            ],
            la="806",
        ),
        # another council, outside the agency
        episodes([("o1", "2023-01-01", "S", "E1", "A6", "2024-05-01", "E11")], la="999"),
    ],
    ignore_index=True,
)
ATV_AD1 = ad1_table(
    [
        ("805", "n1", "2023-04-20", 0),
        ("806", "m1", "2023-03-20", 0),
        ("806", "m3", "2023-05-09", 0),
        ("999", "o1", "2023-02-01", 0),
    ]
)
ATV_PLACED = pd.DataFrame(
    {
        "la_code": ["805", "806", "999"],
        "child_id": ["n1", "m2", "o1"],
        "date_placed": pd.to_datetime(["2023-04-15", "2023-09-01", "2024-05-01"]),
        "date_placed_ceased": pd.NaT,
        "reason_placed_ceased": None,
    }
)


def test_atv_la_measures():
    got = adoption.atv_la_measures(
        ATV_EPISODES, ATV_PLACED, ATV_AD1, ["805", "806"], "2024-04-01", "2024-09-30"
    )
    nan = float("nan")
    # measures: adm, po, placed, early permanence, adoption orders, disruptions, A10, A2
    table = {
        ("805", "current"): [0, 0, 0, 0, 1, 0, 119.0, 0.0],
        ("805", "previous_full_year"): [1, 1, 1, 0, 0, 0, nan, nan],
        ("805", "previous_same_half"): [1, 1, 1, 0, 0, 0, nan, nan],
        ("806", "current"): [0, 0, 0, 1, 2, 0, (182 + 59) / 2, (0 + 61) / 2],
        ("806", "previous_full_year"): [1, 2, 2, 0, 0, 1, nan, nan],
        ("806", "previous_same_half"): [1, 1, 1, 0, 0, 0, nan, nan],
        # agency: counts summed; A10/A2 pooled over the three children (not 119.75 / 15.25)
        ("all", "current"): [0, 0, 0, 1, 3, 0, (119 + 182 + 59) / 3, (0 + 0 + 61) / 3],
        ("all", "previous_full_year"): [2, 3, 3, 0, 0, 1, nan, nan],
        ("all", "previous_same_half"): [2, 2, 2, 0, 0, 0, nan, nan],
    }
    measures = [
        "adm_decisions",
        "placement_orders",
        "placements_for_adoption",
        "early_permanence",
        "adoption_orders",
        "disruptions",
        "a10_days",
        "a2_days",
    ]
    rows = [
        (la, period, m, v)
        for (la, period), values in table.items()
        for m, v in zip(measures, values, strict=True)
    ]
    expected = pd.DataFrame(rows, columns=["la_code", "period", "measure", "value"])
    expected["value"] = pd.Series([r[3] for r in rows], dtype=object)
    pd.testing.assert_frame_equal(got, expected)
    counts = got.loc[~got["measure"].isin(["a10_days", "a2_days"]), "value"]
    assert all(type(v) is int for v in counts)
    assert (
        got.loc[
            (got["la_code"] == "all")
            & (got["period"] == "current")
            & (got["measure"] == "a10_days"),
            "value",
        ].item()
        == 120.0
    )


def test_atv_la_measures_without_placed_adoption():
    got = adoption.atv_la_measures(
        ATV_EPISODES, None, None, ["805", "806"], "2024-04-01", "2024-09-30"
    )
    adm = got.loc[got["measure"] == "adm_decisions", "value"]
    assert len(adm) == 9 and all(math.isnan(v) for v in adm)
    # no AD1: A10 still computed from the adoptive placement, A2 not
    a10 = got.loc[
        (got["la_code"] == "805") & (got["period"] == "current") & (got["measure"] == "a10_days"),
        "value",
    ].item()
    assert a10 == 119.0
    a2 = got.loc[
        (got["la_code"] == "805") & (got["period"] == "current") & (got["measure"] == "a2_days"),
        "value",
    ].item()
    assert math.isnan(a2)


def test_a10_a2_three_year():
    got = adoption.a10_a2_three_year(ATV_EPISODES, ATV_AD1, ["805", "806"], "2024-09-30")
    expected = pd.DataFrame(
        {
            "la_code": ["805", "805", "806", "806", "all", "all"],
            "measure": ["a10_days", "a2_days"] * 3,
            "value": [119.0, 0.0, 120.5, 30.5, 120.0, 61 / 3],
            "children": np.array([1, 1, 2, 2, 3, 3], dtype="int64"),
        }
    )
    pd.testing.assert_frame_equal(got, expected)
