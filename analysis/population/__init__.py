"""Child population of an LA and comparisons of children's characteristics against it.

- :mod:`~analysis.population.ons`: ONS children aged 0-17 by sex and DfE age band;
- :mod:`~analysis.population.census`: Census 2021 ethnic group (all ages) in categories that
  match the SSDA903 / CIN census ``ETHNIC`` codes;
- :mod:`~analysis.population.intervals`: Wilson and Katz intervals, chi-square goodness of fit;
- :mod:`~analysis.population.disproportionality`: shares, disproportionality ratios with 95%
  intervals, tests and the sentences that report them. :func:`ethnicity_against_population` is
  shared by the children looked after and child protection parts of the report.
"""

from analysis.population.census import (
    CENSUS_ETHNICITY_FILE,
    NOT_COMPARED,
    census_ethnicity,
    comparison_categories,
    comparison_category,
)
from analysis.population.disproportionality import (
    NO_DIFFERENCE,
    NOT_COMPARED_LABEL,
    OVER,
    RATIO_COLUMNS,
    UNDER,
    against_population,
    disproportion_sentence,
    ethnicity_against_population,
    ethnicity_fit,
    finding,
    fit_sentence,
    fit_table,
    format_p,
    format_ratio,
    publishable_ratios,
    ratio_view,
    round_ratio,
    sex_age_against_population,
    sex_age_fit,
    tests_view,
)
from analysis.population.intervals import (
    POOLED_LABEL,
    GoodnessOfFit,
    goodness_of_fit,
    katz_log_ratio_interval,
    ratio_to_population_interval,
    wilson_interval,
    z_value,
)
from analysis.population.ons import (
    AGE_BAND_AGES,
    MYE2_MID_YEAR,
    child_population,
    population_year_note,
)

__all__ = [
    "AGE_BAND_AGES",
    "CENSUS_ETHNICITY_FILE",
    "MYE2_MID_YEAR",
    "NOT_COMPARED",
    "NOT_COMPARED_LABEL",
    "NO_DIFFERENCE",
    "OVER",
    "POOLED_LABEL",
    "RATIO_COLUMNS",
    "UNDER",
    "GoodnessOfFit",
    "against_population",
    "census_ethnicity",
    "child_population",
    "comparison_categories",
    "comparison_category",
    "disproportion_sentence",
    "ethnicity_against_population",
    "ethnicity_fit",
    "finding",
    "fit_sentence",
    "fit_table",
    "format_p",
    "format_ratio",
    "goodness_of_fit",
    "katz_log_ratio_interval",
    "population_year_note",
    "publishable_ratios",
    "ratio_to_population_interval",
    "ratio_view",
    "round_ratio",
    "sex_age_against_population",
    "sex_age_fit",
    "tests_view",
    "wilson_interval",
    "z_value",
]
