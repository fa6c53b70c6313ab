"""Children looked after (CLA) measures from SSDA903 episodes and reviews.

Every measure is a small pure function (DataFrames in, DataFrame or number out, no I/O) whose
docstring cites the official definition and states its boundary convention (DESIGN section 5):

- :mod:`~analysis.cla.periods`: periods of care and placements derived from episodes;
- :mod:`~analysis.cla.looked_after`: children looked after at a date, rate per 10,000, monthly;
- :mod:`~analysis.cla.flows`: children starting and ceasing to be looked after;
- :mod:`~analysis.cla.characteristics`: code tables (placement, legal status, ethnicity,
  category of need, reason ceased, sex and age);
- :mod:`~analysis.cla.stability`: short-term and long-term placement stability (NI 62/63);
- :mod:`~analysis.cla.reviews`: review timeliness (reg. 33) and participation (PN0-PN7);
- :mod:`~analysis.cla.summary`: the headline table;
- :mod:`~analysis.cla.location`: placement inside / outside the LA and over 20 miles;
- :mod:`~analysis.cla.groups`: figures in DfE's published groups, SGO and CAO outcomes;
- :mod:`~analysis.cla.compare`: this year against last, and against published comparators.
"""

from analysis.cla.characteristics import (
    AGE_BANDS,
    age_band,
    age_on,
    by_code,
    category_of_need_started,
    ceased_by_reason,
    ceased_by_sex_age,
    cla_children_at,
    ethnicity_at,
    legal_status_at,
    placement_type_at,
    sex_and_age_at,
    started_by_sex_age,
)
from analysis.cla.compare import (
    DFE_PUBLISHED,
    THIS_REPORT,
    by_period,
    by_year_end,
    chart_series,
    cla_by_year_end,
    latest_comparators,
    period_label,
    previous_period,
    rate_comparison,
    side_by_side,
    with_indicators,
    with_published,
    year_ends_covered,
)
from analysis.cla.flows import ceased_in_period, started_in_period
from analysis.cla.groups import (
    CAO_CODES,
    DFE_AGE_GROUPS,
    SGO_CODES,
    ceased_by_dfe_reason,
    dfe_groups,
    legal_status_group_at,
    permanence_orders_ceased,
    placement_group_at,
    sex_age_group_at,
    sex_age_with_published,
)
from analysis.cla.location import LOCATION_MEASURES, location_supplied, placement_location_at
from analysis.cla.looked_after import (
    cla_at,
    cla_count_at,
    cla_counts_at,
    monthly_cla,
    rate_per_10k,
)
from analysis.cla.periods import annotate_episodes, periods_of_care
from analysis.cla.reviews import (
    monthly_review_timeliness,
    review_participation,
    review_timeliness,
    reviews_held,
    reviews_in_timescale_pct,
    views_conveyed,
    views_conveyed_pct,
)
from analysis.cla.stability import (
    long_term_stability_children,
    long_term_stability_pct,
    long_term_undecided,
    placements_during_year,
    short_term_stability_pct,
    stability_measures,
)
from analysis.cla.summary import SUMMARY_MEASURES, cla_summary

__all__ = [
    "AGE_BANDS",
    "CAO_CODES",
    "DFE_AGE_GROUPS",
    "DFE_PUBLISHED",
    "LOCATION_MEASURES",
    "SGO_CODES",
    "SUMMARY_MEASURES",
    "THIS_REPORT",
    "age_band",
    "age_on",
    "annotate_episodes",
    "by_code",
    "by_period",
    "by_year_end",
    "chart_series",
    "cla_by_year_end",
    "cla_children_at",
    "category_of_need_started",
    "ceased_by_dfe_reason",
    "ceased_by_reason",
    "ceased_by_sex_age",
    "ceased_in_period",
    "cla_at",
    "cla_count_at",
    "cla_counts_at",
    "cla_summary",
    "dfe_groups",
    "ethnicity_at",
    "legal_status_at",
    "latest_comparators",
    "legal_status_group_at",
    "location_supplied",
    "long_term_stability_children",
    "long_term_stability_pct",
    "long_term_undecided",
    "monthly_cla",
    "monthly_review_timeliness",
    "period_label",
    "periods_of_care",
    "permanence_orders_ceased",
    "placement_group_at",
    "placement_location_at",
    "placement_type_at",
    "placements_during_year",
    "previous_period",
    "rate_comparison",
    "rate_per_10k",
    "review_participation",
    "review_timeliness",
    "reviews_held",
    "reviews_in_timescale_pct",
    "sex_and_age_at",
    "sex_age_group_at",
    "sex_age_with_published",
    "short_term_stability_pct",
    "side_by_side",
    "stability_measures",
    "started_by_sex_age",
    "started_in_period",
    "views_conveyed",
    "views_conveyed_pct",
    "with_indicators",
    "with_published",
    "year_ends_covered",
]
