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
- :mod:`~analysis.cla.summary`: the headline table.
"""

from analysis.cla.characteristics import (
    AGE_BANDS,
    age_band,
    age_on,
    by_code,
    category_of_need_started,
    ceased_by_reason,
    ceased_by_sex_age,
    ethnicity_at,
    legal_status_at,
    placement_type_at,
    sex_and_age_at,
    started_by_sex_age,
)
from analysis.cla.flows import ceased_in_period, started_in_period
from analysis.cla.looked_after import cla_at, cla_count_at, monthly_cla, rate_per_10k
from analysis.cla.periods import annotate_episodes, periods_of_care
from analysis.cla.reviews import (
    monthly_review_timeliness,
    review_participation,
    review_timeliness,
    reviews_held,
    reviews_in_timescale_pct,
    views_conveyed_pct,
)
from analysis.cla.stability import (
    long_term_stability_children,
    long_term_stability_pct,
    placements_during_year,
    short_term_stability_pct,
)
from analysis.cla.summary import SUMMARY_MEASURES, cla_summary

__all__ = [
    "AGE_BANDS",
    "SUMMARY_MEASURES",
    "age_band",
    "age_on",
    "annotate_episodes",
    "by_code",
    "category_of_need_started",
    "ceased_by_reason",
    "ceased_by_sex_age",
    "ceased_in_period",
    "cla_at",
    "cla_count_at",
    "cla_summary",
    "ethnicity_at",
    "legal_status_at",
    "long_term_stability_children",
    "long_term_stability_pct",
    "monthly_cla",
    "monthly_review_timeliness",
    "periods_of_care",
    "placement_type_at",
    "placements_during_year",
    "rate_per_10k",
    "review_participation",
    "review_timeliness",
    "reviews_held",
    "reviews_in_timescale_pct",
    "sex_and_age_at",
    "short_term_stability_pct",
    "started_by_sex_age",
    "started_in_period",
    "views_conveyed_pct",
]
