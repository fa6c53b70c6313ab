"""Child protection measures from the CIN census (IRO annual report, child protection section).

Every metric is a pure function of processed tables (``cp_plans``, ``cp_reviews``, ``s47``,
``cin_plans``, ``cin_children``; see ``data/README.md`` section 2). Definitions: DfE
*Characteristics of children in need* (tables C4, D1, D3, D5) and Working Together to Safeguard
Children; boundary conventions: DESIGN section 5 and :mod:`analysis.dates`.
"""

from analysis.cp.conferences import (
    icpc_summary,
    icpcs,
    monthly_icpc_timeliness,
    review_conference_timeliness,
)
from analysis.cp.plans import (
    CATEGORY_CODES,
    CATEGORY_LABELS,
    DURATION_BAND_CODES,
    DURATION_BAND_D5_COLUMNS,
    ETHNICITY_CODES,
    SEX_CODES,
    SEX_LABELS,
    cp_by_category_at,
    cp_by_ethnicity_at,
    cp_by_sex_at,
    cp_count_at,
    cp_plans_open_at,
    duration_band,
    ended_plans_by_duration,
    plan_duration_band,
    plan_duration_months,
    plans_15_months_plus_at,
    plans_24_months_plus_at,
    plans_by_duration_at,
    plans_started,
    reaching_15_months,
    second_subsequent_plans,
)
from analysis.cp.summary import CP_SUMMARY_MEASURES, cp_summary

__all__ = [
    "CATEGORY_CODES",
    "CATEGORY_LABELS",
    "CP_SUMMARY_MEASURES",
    "DURATION_BAND_CODES",
    "DURATION_BAND_D5_COLUMNS",
    "ETHNICITY_CODES",
    "SEX_CODES",
    "SEX_LABELS",
    "cp_by_category_at",
    "cp_by_ethnicity_at",
    "cp_by_sex_at",
    "cp_count_at",
    "cp_plans_open_at",
    "cp_summary",
    "duration_band",
    "ended_plans_by_duration",
    "icpc_summary",
    "icpcs",
    "monthly_icpc_timeliness",
    "plan_duration_band",
    "plan_duration_months",
    "plans_15_months_plus_at",
    "plans_24_months_plus_at",
    "plans_by_duration_at",
    "plans_started",
    "reaching_15_months",
    "review_conference_timeliness",
    "second_subsequent_plans",
]
