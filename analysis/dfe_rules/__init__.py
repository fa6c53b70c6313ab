"""DfE's validation rules for the SSDA903 and CIN census returns, as an optional step.

Social Finance's validators (``csc-validator-be-903``, ``csc-validator-be-cin``) run in their own
environment (``make validators-venv``) as a separate process; their findings (rule code,
description, rows and children affected, never an identifier) go to
``<processed_dir>/dfe_rules.csv`` for the report's data-quality appendix. See docs/dfe_rules.md.

``python -m analysis.dfe_rules --raw RAW --out PROCESSED --reference REF`` runs them.
"""

from analysis.dfe_rules.run import (
    COLUMNS,
    DEFAULT_VENV,
    findings_table,
    load_findings,
    parse_output,
    plan_jobs,
    run_dfe_rules,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_VENV",
    "findings_table",
    "load_findings",
    "parse_output",
    "plan_jobs",
    "run_dfe_rules",
]
