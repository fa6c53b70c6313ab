"""Adoption measures from SSDA903 (ATV bi-annual report, ASGLB scorecard A10/A2).

Every metric is a pure function of processed tables (``episodes``, ``ad1``,
``placed_adoption``; see ``data/README.md`` section 2). Definitions: DfE *Children looked after
in England including adoptions* methodology, ASGLB adoption scorecard, DESIGN section 5.
"""

from analysis.adoption.activity import (
    adm_decisions,
    adoption_orders,
    disruptions,
    early_permanence,
    placement_orders,
    placements_for_adoption,
    rate_leaving_care_by_adoption,
)
from analysis.adoption.atv import AGENCY, ATV_MEASURES, ATV_PERIODS, atv_la_measures, atv_periods
from analysis.adoption.timeliness import (
    A2_THRESHOLD_DAYS,
    A10_THRESHOLD_DAYS,
    a10_a2_children,
    a10_a2_three_year,
    cohort_window,
    mean_days,
)

__all__ = [
    "A10_THRESHOLD_DAYS",
    "A2_THRESHOLD_DAYS",
    "AGENCY",
    "ATV_MEASURES",
    "ATV_PERIODS",
    "a10_a2_children",
    "a10_a2_three_year",
    "adm_decisions",
    "adoption_orders",
    "atv_la_measures",
    "atv_periods",
    "cohort_window",
    "disruptions",
    "early_permanence",
    "mean_days",
    "placement_orders",
    "placements_for_adoption",
    "rate_leaving_care_by_adoption",
]
