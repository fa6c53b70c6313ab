import math

import pandas as pd

from analysis.iro import caseload_per_iro, caseload_sentence, irp_by_plan_type

T = pd.Timestamp


def test_caseload_per_fte_sums_children_over_fte():
    caseload = pd.DataFrame(
        {
            "month": [T("2023-04-01"), T("2023-04-01"), T("2023-05-01"), T("2024-04-01")],
            "iro_id": ["a", "b", "a", "a"],
            "fte": [1.0, 0.5, 1.0, 1.0],
            "open_cla": [40, 20, 50, 10],
            "open_cp": [25, 5, 20, 10],
        }
    )
    out = caseload_per_iro(caseload, "2023-04-01", "2024-03-31")
    # April: (65 + 25) / 1.5 = 60.0; May: 70 / 1.0 = 70.0; April 2024 outside the period
    assert out["children"].tolist() == [90, 70]
    assert out["caseload_per_fte"].tolist() == [60.0, 70.0]
    assert "within the IRO Handbook range of 50-70 in 2 of 2 months" in caseload_sentence(
        caseload, "2023-04-01", "2024-03-31"
    )


def test_irp_by_plan_type_lists_every_type():
    irp = pd.DataFrame(
        {
            "raised_date": [T("2023-04-01"), T("2024-03-31"), T("2024-04-01")],
            "plan_type": ["CLA", "CLA", "CP"],
        }
    )
    out = irp_by_plan_type(irp, "2023-04-01", "2024-03-31")
    assert out["code"].tolist() == ["CLA", "CP", "dual", "none"]
    assert out["count"].tolist() == [2, 0, 0, 0]
    assert out["percent"].tolist() == [100.0, 0.0, 0.0, 0.0]
    empty = irp_by_plan_type(irp.iloc[:0], "2023-04-01", "2024-03-31")
    assert math.isnan(empty["percent"].iloc[0])
