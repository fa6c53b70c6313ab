"""Adoption measures from SSDA903 (ATV bi-annual report, ASGLB scorecard A10/A2).

Every metric is a pure function of processed tables (``episodes``, ``ad1``,
``placed_adoption``, and the agency's ``raa/referrals`` and ``raa/adopters``; see
``data/README.md`` section 2). Definitions: DfE *Children looked after in England including
adoptions* methodology, ASGLB adoption scorecard, DESIGN section 5.

Modules: :mod:`.activity` (events counted in a period), :mod:`.timeliness` (A10, A2, cohorts),
:mod:`.atv` (the report's council tables and trends), :mod:`.agency` (referrals and prospective
adopters), :mod:`.comparators` (England figures from the reference files), :mod:`.funnel`
(funnel plot limits), :mod:`.periods`, :mod:`.presentation` and :mod:`.charts` (reader's views).
"""

from analysis.adoption.activity import (
    adm_decisions,
    adoption_orders,
    disruptions,
    early_permanence,
    leaving_care_by_adoption,
    placement_orders,
    placements_for_adoption,
    rate_leaving_care_by_adoption,
)
from analysis.adoption.agency import (
    adopter_measures,
    referral_counts,
    referrals_open_at,
    sibling_groups,
)
from analysis.adoption.atv import (
    AGENCY,
    ATV_MEASURES,
    ATV_PERIODS,
    TREND_MEASURES,
    atv_activity_trend,
    atv_la_measures,
    atv_leaving_care,
    atv_periods,
)
from analysis.adoption.comparators import england_adoption_rate, england_timeliness
from analysis.adoption.funnel import binomial_limit, funnel_limits, funnel_position
from analysis.adoption.periods import (
    collection_year_start,
    period_label,
    period_names,
    trend_periods,
)
from analysis.adoption.timeliness import (
    A2_THRESHOLD_DAYS,
    A10_THRESHOLD_DAYS,
    RELIABLE_MIN_CHILDREN,
    Cohort,
    a10_a2_children,
    a10_a2_summary,
    a10_a2_three_year,
    cohort_window,
    mean_days,
    timeliness_cohorts,
)

__all__ = [
    "A10_THRESHOLD_DAYS",
    "A2_THRESHOLD_DAYS",
    "AGENCY",
    "ATV_MEASURES",
    "ATV_PERIODS",
    "RELIABLE_MIN_CHILDREN",
    "TREND_MEASURES",
    "Cohort",
    "a10_a2_children",
    "a10_a2_summary",
    "a10_a2_three_year",
    "adm_decisions",
    "adopter_measures",
    "adoption_orders",
    "atv_activity_trend",
    "atv_la_measures",
    "atv_leaving_care",
    "atv_periods",
    "binomial_limit",
    "cohort_window",
    "collection_year_start",
    "disruptions",
    "early_permanence",
    "england_adoption_rate",
    "england_timeliness",
    "funnel_limits",
    "funnel_position",
    "leaving_care_by_adoption",
    "mean_days",
    "period_label",
    "period_names",
    "placement_orders",
    "placements_for_adoption",
    "rate_leaving_care_by_adoption",
    "referral_counts",
    "referrals_open_at",
    "sibling_groups",
    "timeliness_cohorts",
    "trend_periods",
]
