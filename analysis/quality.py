"""Data-quality summaries of an ingest run, for the report's appendix.

Every raw row ends in exactly one of: processed, superseded (the same event in a later return,
DESIGN section 5 "Overlapping returns"), or quarantined with its reason. These helpers summarise
the ingest summary and the data-quality log; they never show a child identifier.
"""

from __future__ import annotations

import pandas as pd

COUNT_COLUMNS = ["rows_in", "rows_processed", "rows_superseded", "rows_quarantined"]


def dq_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """Rows in, processed, superseded and quarantined per table, with a total row."""
    by_table = summary.groupby("table", sort=True)[COUNT_COLUMNS].sum().reset_index()
    total = pd.DataFrame([{"table": "Total", **by_table[COUNT_COLUMNS].sum().to_dict()}])
    out = pd.concat([by_table, total], ignore_index=True)
    out[COUNT_COLUMNS] = out[COUNT_COLUMNS].astype(int)
    return out


def dq_reasons(dq_log: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows and warnings counted by action, table file type and reason."""
    if dq_log.empty:
        return pd.DataFrame({"action": [], "reason": [], "rows": []})
    out = (
        dq_log.groupby(["action", "reason"], sort=True)
        .size()
        .rename("rows")
        .reset_index()
        .sort_values(["action", "rows", "reason"], ascending=[True, False, True])
    )
    return out.reset_index(drop=True)


def rows_lost(summary: pd.DataFrame) -> int:
    """Rows in minus rows accounted for; 0 when nothing was lost."""
    totals = summary[COUNT_COLUMNS].sum()
    return int(
        totals["rows_in"]
        - totals["rows_processed"]
        - totals["rows_superseded"]
        - totals["rows_quarantined"]
    )


def nothing_lost_sentence(summary: pd.DataFrame) -> str:
    """One sentence accounting for every raw row, computed from the ingest summary."""
    t = summary[COUNT_COLUMNS].sum()
    lost = rows_lost(summary)
    verdict = (
        "Every row is accounted for."
        if lost == 0
        else f"{lost:,} rows are unaccounted for: the build should not be trusted."
    )
    return (
        f"{int(t['rows_in']):,} raw rows were read from {summary['file'].nunique():,} files: "
        f"{int(t['rows_processed']):,} processed, {int(t['rows_superseded']):,} superseded by "
        f"a later return of the same event, and {int(t['rows_quarantined']):,} quarantined "
        f"with a reason in the data-quality log. {verdict}"
    )
