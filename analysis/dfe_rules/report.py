"""DfE validation rule findings for the report's data-quality appendix (counts only)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.dfe_rules.run import ISSUES, NOT_CHECKED, RETURN_LEVEL

NOT_RUN = (
    "DfE's validation rules (Social Finance's `csc-validator-be-903` and `csc-validator-be-cin`) "
    "were not run on this data: they are an optional step (`make dfe-rules`), so their findings "
    "are not shown."
)


def rules_summary(findings: pd.DataFrame, la_codes: Iterable[str]) -> pd.DataFrame:
    """Rules that found issues in the LAs' returns: returns affected, rows and children flagged.

    Parameters
    ----------
    findings
        ``dfe_rules.csv`` as read by :func:`analysis.dfe_rules.load_findings`.
    la_codes
        The LAs of the report.

    Returns
    -------
    pandas.DataFrame
        Columns rule_code, description, returns, rows, children; most rows first.
    """
    mine = findings[findings["la_code"].isin(list(la_codes))]
    found = mine[mine["status"].isin([ISSUES, RETURN_LEVEL])]
    out = (
        found.groupby(["rule_code", "description"], sort=True)
        .agg(returns=("return", "nunique"), rows=("rows", "sum"), children=("children", "sum"))
        .reset_index()
        .sort_values(["rows", "rule_code"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    out[["returns", "rows", "children"]] = out[["returns", "rows", "children"]].astype(int)
    return out


def rules_sentence(findings: pd.DataFrame | None, la_codes: Iterable[str]) -> str:
    """One sentence on what the DfE rules checked and found, or that they were not run."""
    if findings is None:
        return NOT_RUN
    mine = findings[findings["la_code"].isin(list(la_codes))]
    returns = mine["return"].nunique()
    unchecked = mine.loc[mine["status"] == NOT_CHECKED, "return"].nunique()
    summary = rules_summary(findings, la_codes)
    return (
        f"DfE's validation rules checked {returns - unchecked} of {returns} returns "
        f"({unchecked} could not be checked: the validators have no rules for that year). "
        f"{len(summary)} rules found issues, on {int(summary['rows'].sum()):,} rows in all; "
        "the rules that fire by design on synthetic data are listed in docs/dfe_rules.md."
    )
