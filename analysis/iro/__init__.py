"""IRO service activity from the LA's local extracts (no national format; data/README.md).

- **Caseload**: children (CLA and CP) allocated per full-time-equivalent IRO, each month. The IRO
  Handbook (DfE 2010, para 7.15) recommends 50 to 70 looked after children per full-time IRO.
- **Issue Resolution Process (IRP)**: challenges raised by IROs in the period, counted by the
  plan type of the child (CLA, CP, dual, none), on ``raised_date``.
"""

from __future__ import annotations

import pandas as pd

from analysis.dates import in_period

HANDBOOK_RANGE = (50, 70)
PLAN_TYPES = ("CLA", "CP", "dual", "none")
NOT_SUPPLIED = (
    "The {extract} was not supplied for this run, so this part of the report "
    "cannot be produced. The rest of the report is unaffected."
)


def caseload_per_iro(caseload: pd.DataFrame, period_start, period_end) -> pd.DataFrame:
    """Children per FTE IRO for each month of the period.

    ``children`` is the sum of ``open_cla + open_cp`` over IROs in the month and ``iros_fte`` the
    sum of their FTE; ``caseload_per_fte = children / iros_fte`` (IRO Handbook para 7.15).
    """
    rows = caseload[in_period(caseload["month"], period_start, period_end)]
    out = (
        rows.assign(children=rows["open_cla"] + rows["open_cp"])
        .groupby("month", sort=True)
        .agg(iros_fte=("fte", "sum"), children=("children", "sum"))
        .reset_index()
    )
    out["children"] = out["children"].astype(int)
    out["caseload_per_fte"] = out["children"] / out["iros_fte"]
    return out[["month", "iros_fte", "children", "caseload_per_fte"]]


def caseload_sentence(caseload: pd.DataFrame, period_start, period_end) -> str:
    """Average caseload at the first and last month, against the Handbook range."""
    monthly = caseload_per_iro(caseload, period_start, period_end)
    if monthly.empty:
        return "No IRO caseload rows fall in the reporting period."
    first, last = monthly.iloc[0], monthly.iloc[-1]
    low, high = HANDBOOK_RANGE
    inside = int(monthly["caseload_per_fte"].between(low, high).sum())
    return (
        f"The average caseload was {first['caseload_per_fte']:.1f} children per full-time "
        f"IRO in {first['month']:%B %Y} and {last['caseload_per_fte']:.1f} in "
        f"{last['month']:%B %Y}; it was within the IRO Handbook range of {low}-{high} in "
        f"{inside} of {len(monthly)} months."
    )


def irp_by_plan_type(irp: pd.DataFrame, period_start, period_end) -> pd.DataFrame:
    """IRP challenges raised in the period by plan type, every plan type listed."""
    raised = irp.loc[in_period(irp["raised_date"], period_start, period_end), "plan_type"]
    counts = raised.value_counts().reindex(PLAN_TYPES, fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame(
        {
            "code": list(PLAN_TYPES),
            "count": counts.astype(int).tolist(),
            "percent": [100.0 * c / total if total else float("nan") for c in counts],
        }
    )
