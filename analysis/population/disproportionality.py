"""Children against the population they come from: shares, disproportionality ratios, tests.

Definition (DESIGN section 5, "Ethnicity against population"): for each group, the
**disproportionality ratio** is the group's share of the children (looked after, or on a child
protection plan) divided by its share of the LA's population; 1 means represented in proportion.
Its 95% confidence interval is the Wilson interval of the children's share divided by the
population share (:func:`analysis.population.intervals.ratio_to_population_interval`). A group is
**over-represented** when the whole interval is above 1, **under-represented** when it is below
1, and otherwise shows no significant difference at the 5% level (intervals are per group, not
adjusted for multiple comparisons). Whether the mix as a whole matches the population is tested
with Pearson's chi-square goodness-of-fit test (:func:`analysis.population.intervals.
goodness_of_fit`).

Children whose group is not known (ethnicity refused or not yet obtained, sex or date of birth
missing) have no population counterpart: they are left out of the shares and the test, and shown
on their own row.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

import pandas as pd

from analysis import codes as codelists
from analysis.population.census import comparison_category
from analysis.population.intervals import (
    GoodnessOfFit,
    goodness_of_fit,
    ratio_to_population_interval,
)
from analysis.tables import SUPPRESSED, is_small

__all__ = [
    "OVER",
    "UNDER",
    "NO_DIFFERENCE",
    "NOT_COMPARED_LABEL",
    "RATIO_COLUMNS",
    "finding",
    "against_population",
    "ethnicity_against_population",
    "ethnicity_fit",
    "sex_age_against_population",
    "sex_age_fit",
    "fit_table",
    "publishable_ratios",
    "format_p",
    "format_ratio",
    "round_ratio",
    "ratio_view",
    "tests_view",
    "fit_sentence",
    "disproportion_sentence",
]

OVER = "over-represented"
UNDER = "under-represented"
NO_DIFFERENCE = "no significant difference"
#: Label of the row of children whose group has no population counterpart.
NOT_COMPARED_LABEL = "Not known (not compared)"
#: Columns derived from a group's count (suppressed with it in public outputs).
RATIO_COLUMNS = ("ratio", "ratio_lower", "ratio_upper")
_COLUMNS = [
    "category",
    "count",
    "percent",
    "population",
    "population_percent",
    *RATIO_COLUMNS,
    "finding",
]


def finding(lower: float, upper: float) -> str:
    """Over-represented when ``lower > 1``, under-represented when ``upper < 1``, else neither.

    An interval that cannot be computed (NaN bounds) gives "no significant difference".
    """
    if not math.isnan(lower) and lower > 1:
        return OVER
    if not math.isnan(upper) and upper < 1:
        return UNDER
    return NO_DIFFERENCE


def against_population(
    observed: pd.Series,
    population: pd.Series,
    confidence: float = 0.95,
    method: Literal["wilson", "katz"] = "wilson",
) -> pd.DataFrame:
    """Compare the children's counts by group with the population's, group by group.

    Parameters
    ----------
    observed
        Count of children per group, indexed by group.
    population
        Population per group, indexed by group; gives the rows and their order. A group of
        ``observed`` missing here raises ``ValueError`` (it cannot be compared).
    confidence
        Confidence level of the intervals.
    method
        Interval method (:func:`~analysis.population.intervals.ratio_to_population_interval`).

    Returns
    -------
    pandas.DataFrame
        Columns ``category``, ``count`` (int64), ``percent`` (of all children compared),
        ``population`` (int64), ``population_percent``, ``ratio``, ``ratio_lower``,
        ``ratio_upper`` (unrounded), ``finding``.
    """
    extra = sorted(set(observed.index) - set(population.index), key=str)
    if extra:
        raise ValueError(f"groups with no population: {', '.join(map(str, extra))}")
    counts = observed.reindex(population.index, fill_value=0).astype("int64")
    n, pop_total = int(counts.sum()), float(population.sum())
    rows = []
    for group, k in counts.items():
        pop = float(population[group])
        ratio, lower, upper = ratio_to_population_interval(
            int(k), n, pop, pop_total, confidence, method
        )
        rows.append(
            {
                "category": str(group),
                "count": int(k),
                "percent": 100.0 * k / n if n else math.nan,
                "population": int(round(pop)),
                "population_percent": 100.0 * pop / pop_total if pop_total else math.nan,
                "ratio": ratio,
                "ratio_lower": lower,
                "ratio_upper": upper,
                "finding": finding(lower, upper),
            }
        )
    return pd.DataFrame(rows, columns=_COLUMNS)


def _not_compared_row(count: int) -> pd.DataFrame:
    row = dict.fromkeys(_COLUMNS, math.nan)
    row.update(category=NOT_COMPARED_LABEL, count=count, finding="not compared")
    return pd.DataFrame([row], columns=_COLUMNS)


def _whole_or_none(values: pd.Series) -> pd.Series:
    """Whole numbers as ``int``, missing values as ``None`` (object column, as published)."""
    return pd.Series(
        [None if pd.isna(v) else int(v) for v in values], index=values.index, dtype=object
    )


def _ethnic_groups(
    ethnic: pd.Series, census: pd.DataFrame, level: Literal["group", "code"]
) -> tuple[pd.Series, pd.Series, int]:
    if level not in ("group", "code"):
        raise ValueError(f"level must be 'group' or 'code', not {level!r}")
    codes = ethnic.astype("object")
    category = codes.map(comparison_category)
    unknown = int(category.isna().sum())
    if level == "code":
        population = census.set_index("category")["population"]
        observed = category.dropna().value_counts()
    else:
        groups = [g for g in codelists.groups("ETHNIC") if g != codelists.NOT_KNOWN]
        population = census.groupby("major_group")["population"].sum().reindex(groups)
        majors = codes.loc[category.notna()].map(codelists.major_ethnic_group)
        observed = majors.value_counts()
    return observed, population, unknown


def ethnicity_against_population(
    ethnic: pd.Series,
    census: pd.DataFrame,
    level: Literal["group", "code"] = "group",
    confidence: float = 0.95,
    method: Literal["wilson", "katz"] = "wilson",
) -> pd.DataFrame:
    """Ethnicity of a group of children against the LA's Census 2021 population (all ages).

    Shared by the CLA and child protection parts of the report.

    Parameters
    ----------
    ethnic
        One SSDA903 / CIN census ``ETHNIC`` code per child (e.g. the ``ethnic`` column of the
        children looked after at 31 March, or of the children on a CP plan).
    census
        :func:`analysis.population.census_ethnicity` for the LA.
    level
        ``"group"``: DfE major groups (White, Mixed, Asian, Black, Other); ``"code"``: the
        detailed comparison categories of :func:`analysis.population.comparison_categories`.
    confidence, method
        See :func:`against_population`.

    Returns
    -------
    pandas.DataFrame
        :func:`against_population` columns, one row per group in DfE order, then a row
        :data:`NOT_COMPARED_LABEL` with the number of children whose ethnicity is refused, not
        yet obtained or missing (other columns NaN, ``finding`` "not compared").
    """
    observed, population, unknown = _ethnic_groups(ethnic, census, level)
    table = against_population(observed, population, confidence, method)
    out = pd.concat([table, _not_compared_row(unknown)], ignore_index=True)
    out["population"] = _whole_or_none(out["population"])
    return out


def ethnicity_fit(
    ethnic: pd.Series, census: pd.DataFrame, level: Literal["group", "code"] = "group"
) -> GoodnessOfFit:
    """Chi-square goodness of fit of the children's ethnic mix to the Census population.

    Children whose ethnicity is not known (REFU, NOBT, missing) are left out; groups with an
    expected count below 5 are pooled (:func:`~analysis.population.intervals.goodness_of_fit`).
    """
    observed, population, _ = _ethnic_groups(ethnic, census, level)
    counts = observed.reindex(population.index, fill_value=0)
    return goodness_of_fit(list(population.index), list(counts), list(population))


def sex_age_against_population(
    children: pd.DataFrame,
    population: pd.DataFrame,
    confidence: float = 0.95,
    method: Literal["wilson", "katz"] = "wilson",
) -> pd.DataFrame:
    """Children by sex and by age band against the LA's child population, with rates.

    Parameters
    ----------
    children
        Tidy counts as :func:`analysis.cla.sex_and_age_at` gives them (``group``, ``code``,
        ``count``; a "Not known" code is left out of the comparison and shown on its own row).
    population
        :func:`analysis.population.child_population` (``group``, ``code``, ``population``).

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``code``, ``count``, ``percent`` (of children compared in the group),
        ``population``, ``population_percent``, ``rate_per_10k`` (children per 10,000 of the
        group's population), ``ratio``, ``ratio_lower``, ``ratio_upper``, ``finding``.
    """
    parts = []
    for group, pop in population.groupby("group", sort=False):
        pop_series = pop.set_index("code")["population"]
        rows = children.loc[children["group"].eq(group)].set_index("code")["count"]
        known = rows.loc[rows.index.isin(pop_series.index)]
        table = against_population(known, pop_series, confidence, method)
        not_known = int(rows.loc[~rows.index.isin(pop_series.index)].sum())
        if not_known:
            table = pd.concat([table, _not_compared_row(not_known)], ignore_index=True)
            table["population"] = _whole_or_none(table["population"])
        table = table.rename(columns={"category": "code"})
        table.insert(0, "group", group)
        rate = table["count"] / table["population"] * 10_000
        table.insert(6, "rate_per_10k", rate.astype("float64"))
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def sex_age_fit(children: pd.DataFrame, population: pd.DataFrame) -> dict[str, GoodnessOfFit]:
    """Chi-square goodness of fit, per group (``sex``, ``age_band``), to the child population."""
    results = {}
    for group, pop in population.groupby("group", sort=False):
        pop_series = pop.set_index("code")["population"]
        rows = children.loc[children["group"].eq(group)].set_index("code")["count"]
        counts = rows.reindex(pop_series.index, fill_value=0)
        results[str(group)] = goodness_of_fit(
            list(pop_series.index), list(counts), list(pop_series)
        )
    return results


def fit_table(results: Mapping[str, GoodnessOfFit]) -> pd.DataFrame:
    """One row per goodness-of-fit test, for publication.

    Returns
    -------
    pandas.DataFrame
        Columns ``comparison`` (the key of ``results``), ``children`` (compared), ``groups``
        (after pooling), ``statistic`` (chi-square, 2 dp), ``df``, ``p_value`` (4 dp),
        ``pooled`` (the groups pooled for the test, "; "-separated, empty when none).
    """
    rows = [
        {
            "comparison": name,
            "children": r.n,
            "groups": len(r.groups),
            "statistic": round(r.statistic, 2) if not math.isnan(r.statistic) else math.nan,
            "df": r.df,
            "p_value": round(r.p_value, 4) if not math.isnan(r.p_value) else math.nan,
            "pooled": "; ".join(r.pooled),
        }
        for name, r in results.items()
    ]
    return pd.DataFrame(
        rows, columns=["comparison", "children", "groups", "statistic", "df", "p_value", "pooled"]
    )


def publishable_ratios(
    table: pd.DataFrame,
    disclosure: str,
    table_id: str | None = None,
    count_column: str = "count",
) -> pd.DataFrame:
    """Round the ratio columns (:func:`round_ratio`) and, in public outputs, suppress them.

    The catalogue's disclosure control (:func:`analysis.tables.suppress`) hides counts and
    percentages; a ratio and its interval would give a hidden count back (ratio x population
    share x children), and the finding would hint at it, so they are replaced by ``"c"`` in
    every row whose count is hidden: a count of 1 to 5 and, when ``table_id`` names the
    catalogue entry, every count that secondary suppression hides too. The "not compared" row
    keeps its label. Call this before :func:`analysis.tables.publish_table`.
    """
    from analysis.tables import load_catalogue, round_for_output, suppress

    out = table.copy()
    for column in RATIO_COLUMNS:
        out[column] = pd.Series(
            [round_ratio(v) for v in out[column].astype("float64")], index=out.index, dtype=object
        )
    if disclosure != "public":
        return out
    hidden = out[count_column].map(is_small)
    if table_id is not None:
        spec = load_catalogue()[table_id]
        simulated = suppress(round_for_output(table[spec.columns], spec), spec, disclosure)
        hidden |= simulated[count_column].eq(SUPPRESSED).to_numpy()
    hidden &= out["finding"].ne("not compared")
    for column in (*RATIO_COLUMNS, "finding"):
        out[column] = out[column].astype(object)
        out.loc[hidden, column] = SUPPRESSED
    return out


def round_ratio(value: float) -> float:
    """A ratio rounded to 2 decimal places, or to more when 2 would make it exactly 1.

    An interval bound of 0.997 published as 1.00 would read as touching 1 while the finding
    says the interval excludes it; it is kept as 0.997 (up to 4 places).
    """
    if value is None or math.isnan(value):
        return math.nan
    for places in (2, 3, 4):
        rounded = round(float(value), places)
        if rounded != 1 or value == 1:
            return rounded
    return rounded


def format_ratio(value: object) -> str:
    """A ratio to 2 decimal places; 3 when 2 would show exactly 1.00 for a value that is not 1.

    So that an interval reported as excluding 1 never reads "0.92 to 1.00".
    """
    number = float(value)  # type: ignore[arg-type]
    text = f"{number:.2f}"
    return f"{number:.3f}" if text == "1.00" and number != 1 else text


def _ratio_text(ratio: object, lower: object, upper: object) -> str:
    if ratio == SUPPRESSED:
        return SUPPRESSED
    if ratio is None or pd.isna(ratio):
        return ""
    return f"{format_ratio(ratio)} ({format_ratio(lower)} to {format_ratio(upper)})"


def ratio_view(published: pd.DataFrame, label_column: str = "category") -> pd.DataFrame:
    """The reader's view of a published comparison table: fewer, narrower columns.

    Keeps the label, the number and share of children, the population share, the rate per
    10,000 when present, the ratio with its interval as one text column ("1.13 (1.05 to 1.21)")
    and the finding. The CSV keeps every column.
    """
    columns = {
        label_column: "Group",
        "count": "Number",
        "percent": "% of children",
        "population_percent": "% of population",
        "rate_per_10k": "Per 10,000",
    }
    view = published[[c for c in columns if c in published.columns]].rename(columns=columns)
    view["Ratio (95% CI)"] = [
        _ratio_text(r, lo, hi)
        for r, lo, hi in zip(
            published["ratio"], published["ratio_lower"], published["ratio_upper"], strict=True
        )
    ]
    view["Finding"] = published["finding"].to_numpy()
    return view


def tests_view(published: pd.DataFrame) -> pd.DataFrame:
    """The reader's view of a published :func:`fit_table`: p-values in words, pooling counted."""
    return pd.DataFrame(
        {
            "Comparison": published["comparison"],
            "Children": published["children"],
            "Groups tested": published["groups"],
            "Chi-square": [
                f"{float(v):.1f}" if pd.notna(v) else "" for v in published["statistic"]
            ],
            "Degrees of freedom": published["df"],
            "p-value": [
                format_p(float(v)).removeprefix("p ").removeprefix("= ")
                for v in published["p_value"]
            ],
            "Groups pooled": [
                len(str(v).split("; ")) if isinstance(v, str) and v else 0
                for v in published["pooled"]
            ],
        }
    )


def format_p(p_value: float) -> str:
    """A p-value in words: ``"p < 0.001"`` or ``"p = 0.034"`` (3 dp)."""
    if p_value is None or pd.isna(p_value):
        return "p not available"
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def fit_sentence(row: Mapping[str, object], subject: str, reference: str) -> str:
    """One sentence on a goodness-of-fit result (a row of :func:`fit_table`).

    Parameters
    ----------
    row
        A published row of :func:`fit_table`.
    subject
        What is compared, e.g. "The mix of major ethnic groups among children looked after".
    reference
        The population, e.g. "Middlesbrough's Census 2021 population (all ages)".
    """
    p = row["p_value"]
    if p is None or pd.isna(p):
        return f"{subject} could not be tested against {reference} (too few children)."
    df = int(row["df"])
    detail = (
        f"chi-square {float(row['statistic']):.1f} on {df} degree{'s' if df != 1 else ''} of "
        "freedom, "
        f"{format_p(float(p))}, {int(row['children']):,} children"
    )
    if float(p) < 0.05:
        return (
            f"{subject} differs significantly from {reference} ({detail}): the difference is "
            "larger than chance alone would explain."
        )
    return (
        f"{subject} shows no statistically significant difference from {reference} ({detail}); "
        "the data are consistent with the population mix."
    )


def disproportion_sentence(table: pd.DataFrame, label_column: str = "category") -> str:
    """Name the over- and under-represented groups of a published comparison table.

    Groups whose ratio is suppressed are not named. Example: "Over-represented: White British
    (ratio 1.10, 95% CI 1.05 to 1.15). Under-represented: Pakistani (0.40, 0.20 to 0.70)."
    """

    def listed(kind: str) -> list[str]:
        rows = table.loc[table["finding"].eq(kind) & table["ratio"].ne(SUPPRESSED)]
        return [
            f"{r[label_column]} (ratio {format_ratio(r['ratio'])}, 95% CI "
            f"{format_ratio(r['ratio_lower'])} to {format_ratio(r['ratio_upper'])})"
            for _, r in rows.iterrows()
        ]

    over, under = listed(OVER), listed(UNDER)
    parts = []
    if over:
        parts.append("Over-represented against the population: " + "; ".join(over) + ".")
    if under:
        parts.append("Under-represented: " + "; ".join(under) + ".")
    if not parts:
        parts.append(
            "No group's 95% interval excludes 1: no group is significantly over- or "
            "under-represented."
        )
    hidden = (table["ratio"].eq(SUPPRESSED) & table["finding"].ne("not compared")).sum()
    if hidden:
        parts.append(
            f"Groups whose figures are suppressed to protect small numbers ({int(hidden)}) are "
            "not named."
        )
    return " ".join(parts)
