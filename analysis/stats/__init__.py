"""Statistics beyond the published report: signal or noise, time to an outcome, real change.

- :mod:`~analysis.stats.spc`: XmR charts with the NHS "Making Data Count" rules, so a month is
  read as special cause (a signal) or common cause (noise) variation;
- :mod:`~analysis.stats.survival`: Kaplan-Meier time on a child protection plan and the
  cumulative incidence of permanence from care, by start-year cohort;
- :mod:`~analysis.stats.proportions`: a year-on-year change in a percentage with its 95%
  confidence interval, and a sentence that says "no significant change" when that is the truth;
- :mod:`~analysis.stats.yearly`: the counts and totals behind each compared percentage, and the
  headline figures of this year against last.
"""

from analysis.stats.proportions import (
    ProportionChange,
    change_sentence,
    compare_proportions,
    comparison_table,
    comparison_view,
)
from analysis.stats.spc import (
    assurance,
    monthly_proportion,
    spc_classify,
    spc_figure,
    spc_sentence,
    spc_series,
    spc_summary,
    spc_summary_table,
    spc_window,
    xmr_limits,
)
from analysis.stats.survival import (
    care_durations,
    cif_curves,
    cohorts_from,
    cumulative_incidence,
    kaplan_meier,
    km_curves,
    logrank_by_cohort,
    median_days,
    permanence_sentences,
    plan_durations,
    time_on_plan_sentences,
    time_on_plan_table,
    time_to_permanence_table,
    wide_view,
)
from analysis.stats.yearly import (
    PROPORTION_LABELS,
    SERIES_LABELS,
    control_charts,
    key_figures,
    key_figures_view,
    proportion_counts,
    timeliness_series,
)

__all__ = [
    "PROPORTION_LABELS",
    "SERIES_LABELS",
    "ProportionChange",
    "assurance",
    "care_durations",
    "cif_curves",
    "cohorts_from",
    "control_charts",
    "change_sentence",
    "compare_proportions",
    "comparison_table",
    "comparison_view",
    "cumulative_incidence",
    "kaplan_meier",
    "km_curves",
    "key_figures",
    "key_figures_view",
    "logrank_by_cohort",
    "median_days",
    "permanence_sentences",
    "monthly_proportion",
    "plan_durations",
    "proportion_counts",
    "spc_classify",
    "spc_figure",
    "spc_sentence",
    "spc_series",
    "spc_summary",
    "spc_summary_table",
    "spc_window",
    "time_on_plan_sentences",
    "time_on_plan_table",
    "time_to_permanence_table",
    "timeliness_series",
    "wide_view",
    "xmr_limits",
]
