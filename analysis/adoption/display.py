"""Display the ATV report's sections from the published tables (one call per notebook cell).

Each function shows a chart, a table or computed sentences through :mod:`analysis.show`, drawing
only on published (rounded and suppressed) tables, and hands the chart's published data to
:func:`analysis.show.show_figure` as the table behind it. The notebooks stay thin: parameters,
load, compute and publish with :mod:`analysis.adoption`, then call these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.adoption import charts, presentation
from analysis.adoption.funnel import funnel_limits
from analysis.adoption.presentation import AGENCY, AGENCY_NAME, MARKS, Spans
from analysis.show import show_figure, show_table, show_text

__all__ = [
    "show_adopters",
    "show_all_measures",
    "show_councils",
    "show_england_timeliness",
    "show_funnel",
    "show_measure_by_council",
    "show_referrals",
    "show_sibling_groups",
    "show_spread",
    "show_timeliness_chart",
    "show_timeliness_table",
    "show_trend",
]


def show_trend(
    trend: pd.DataFrame,
    measures: pd.DataFrame,
    measure: str,
    la_codes: Sequence[str],
    names: Mapping[str, str],
    labels: Mapping[str, str],
) -> None:
    """Chart a count per council over the last full years and the period, with the change.

    The sentence under the chart compares each council with the same period last year.
    """
    data = presentation.trend_chart_data(trend, measure, la_codes, names)
    periods = [c for c in data.columns if c != "Council"]
    title = presentation.trend_title(trend, measure)
    fig = charts.grouped_chart(
        data["Council"].tolist(),
        {p: data[p].tolist() for p in periods},
        title,
        "Number",
    )
    name = presentation.MEASURE_NAMES[measure]
    show_figure(
        fig,
        alt=f"Grouped bar chart of {name} for each council in "
        f"{', '.join(periods)}; bars marked c are suppressed small numbers.",
        title=title,
        data=data,
    )
    text = presentation.change_text(measures, measure, la_codes, names, labels)
    if text:
        show_text(text)


def show_timeliness_chart(
    timeliness: pd.DataFrame,
    england: pd.DataFrame,
    measure: str,
    threshold: float,
) -> None:
    """The agency's A10 or A2 per cohort against England and the government threshold."""
    cohorts = presentation.charted_cohorts(timeliness)
    values = [
        presentation.lookup(timeliness, la_code=AGENCY, cohort=c, measure=f"{measure}_mean_days")
        for c in cohorts
    ]
    eng = [presentation.england_pick(england, c, f"{measure}_days") for c in cohorts]
    current = presentation.number(values[-1])
    name = measure.upper()
    what = (
        "entering care to moving in with adopters"
        if measure == "a10"
        else "placement order to match"
    )
    title = (
        f"{name}, {what}: {AGENCY_NAME} averaged "
        f"{presentation.days_text(current)} {presentation.cohort_phrase(cohorts[-1])} "
        f"(threshold {threshold:g} days)"
    )
    fig = charts.timeliness_chart(cohorts, values, eng, threshold, title)
    data = pd.DataFrame(
        {
            "Cohort (children adopted)": cohorts,
            f"{AGENCY_NAME} mean days": [presentation.cell(v, "days") for v in values],
            "England days": [None if d is None else round(d) for d, _ in eng],
            "England source": [s for _, s in eng],
            "Threshold days": [threshold] * len(cohorts),
        }
    )
    show_figure(
        fig,
        alt=f"Bar chart of {AGENCY_NAME}'s average {name} days for {', '.join(cohorts)}, with "
        f"England's figure marked beside each bar and the {threshold:g}-day threshold as a "
        "dashed line.",
        title=title,
        data=data,
    )


def show_timeliness_table(
    timeliness: pd.DataFrame,
    england: pd.DataFrame,
    measure: str,
    la_codes: Sequence[str],
    names: Mapping[str, str],
    threshold: float,
    reliable_min: int,
) -> None:
    """A10 or A2 for every council and the agency, per cohort, with children and England."""
    view = presentation.timeliness_view(timeliness, england, measure, la_codes, names)
    keep = ["Area", *presentation.charted_cohorts(timeliness)]
    name = measure.upper()
    show_table(
        view[keep],
        f"tbl-atv-timeliness-{measure}",
        f"{name}: mean days by council and cohort of children adopted (children in brackets); "
        f"government threshold {threshold:g} days. † fewer than {reliable_min} children: the "
        "figure is less reliable. England: ASGLB scorecard where published for the year, else "
        "DfE's nearest published stage (not the same definition; see the definitions). " + MARKS,
    )


def show_england_timeliness(england: pd.DataFrame) -> None:
    """The England comparators with their sources (published table)."""
    view = england.assign(
        measure=england["measure"].map({"a10_days": "A10", "a2_days": "A2"}),
        days=[presentation.cell(d, "days") for d in england["days"]],
        preferred=england["preferred"].map({True: "Yes", False: "No"}),
    ).rename(
        columns={
            "cohort": "Cohort",
            "years": "Years ending 31 March",
            "measure": "Measure",
            "source": "Source",
            "days": "Days",
            "preferred": "Used in charts",
        }
    )
    show_table(
        view,
        "tbl-atv-timeliness-england",
        "England comparators for A10 and A2: ASGLB's scorecard figure where the file covers the "
        "year, and DfE's nearest published stage (A10 beside entry into care to placement for "
        "adoption; A2 beside decision to match), converted from years and months to days.",
    )


def show_spread(
    timeliness: pd.DataFrame,
    children: pd.DataFrame,
    measure: str,
    la_codes: Sequence[str],
    names: Mapping[str, str],
    threshold: float,
) -> None:
    """A dot per child (no identifiers), quartiles, median and mean, per council and agency."""
    cohort = timeliness.loc[timeliness["series"].eq("twelve_months"), "cohort"].iloc[0]
    groups = presentation.spread_groups(timeliness, children, cohort, measure, la_codes, names)
    name = measure.upper()
    title = (
        f"{name}: the spread behind the averages, children adopted "
        f"{presentation.cohort_phrase(cohort)}"
    )
    fig = charts.spread_chart(groups, threshold, title)
    stats = ["children", "mean_days", "median_days", "lower_quartile_days", "upper_quartile_days"]
    data = pd.DataFrame(
        [
            {
                "Area": names.get(la, AGENCY_NAME),
                **{
                    s: presentation.lookup(
                        timeliness, la_code=la, cohort=cohort, measure=f"{measure}_{s}"
                    )
                    for s in stats
                },
            }
            for la in [*la_codes, AGENCY]
        ]
    )
    show_figure(
        fig,
        alt=f"Dot plot of {name} days, one dot per child adopted "
        f"{presentation.cohort_phrase(cohort)}, for each council and the agency, with the "
        f"middle half shaded, the median and the mean marked, and the {threshold:g}-day "
        "threshold; areas with a suppressed number of children show no dots.",
        title=title,
        data=data,
    )


def show_funnel(leaving: pd.DataFrame, la_codes: Sequence[str], names: Mapping[str, str]) -> None:
    """Funnel plot of the rate of leaving care by adoption against England."""
    points = presentation.funnel_points(leaving, la_codes, names)
    current = leaving.loc[leaving["period"].eq("current")]
    p0 = float(current["england_adopted"].iloc[0]) / float(current["england_ceased"].iloc[0])
    england = 100 * p0
    biggest = max([n for n in points["n"] if n is not None] + [50.0])
    grid = np.arange(20, int(biggest * 1.25) + 1)
    limits = funnel_limits(grid, p0)
    year = int(current["england_year_ending"].iloc[0])
    end = pd.Timestamp(current["window_end"].iloc[0])
    title = (
        f"Children leaving care who were adopted, 12 months to {end:%B %Y}: councils against "
        f"England ({england:.1f}%, {year - 1}-{str(year)[-2:]})"
    )
    fig = charts.funnel_chart(points, limits, england, title)
    rows = current.loc[current["la_code"].isin(la_codes)]
    data = pd.DataFrame(
        {
            "Council": [names[la] for la in rows["la_code"]],
            "Children ceasing care": rows["ceased"].tolist(),
            "Adopted": rows["adopted"].tolist(),
            "% adopted": rows["rate_pct"].tolist(),
            "Lower 99.8%": rows["lower_99_8"].tolist(),
            "Lower 95%": rows["lower_95"].tolist(),
            "Upper 95%": rows["upper_95"].tolist(),
            "Upper 99.8%": rows["upper_99_8"].tolist(),
            "Position": rows["funnel_position"].tolist(),
        }
    )
    show_figure(
        fig,
        alt="Funnel plot: each council's percentage of children leaving care who were adopted "
        "against the number of children who left care, with England's rate as a horizontal "
        "line and 95% and 99.8% control limits narrowing as the number grows.",
        title=title,
        data=data,
    )
    show_text(presentation.funnel_text(leaving, la_codes, names, end))


def show_councils(
    measures: pd.DataFrame,
    leaving: pd.DataFrame,
    timeliness: pd.DataFrame,
    la_codes: Sequence[str],
    names: Mapping[str, str],
    periods: Spans,
    labels: Mapping[str, str],
    thresholds: Mapping[str, float],
) -> None:
    """For each council, then the agency: a heading, its table and its computed paragraph."""
    for la in [*la_codes, AGENCY]:
        name = names.get(la, AGENCY_NAME)
        show_text(f"## {name} {{.unnumbered}}")
        presentation.show_council_table(measures, leaving, timeliness, la, name, periods, labels)
        show_text(
            presentation.council_paragraph(
                measures, leaving, timeliness, la, name, periods, labels, thresholds
            )
        )


def show_referrals(
    referrals: pd.DataFrame, la_codes: Sequence[str], names: Mapping[str, str]
) -> None:
    """Children referred per council and period, and still open at each period's end."""
    periods = list(dict.fromkeys(referrals["period"]))
    rows = []
    for la in [*la_codes, AGENCY]:
        part = referrals.loc[referrals["la_code"].eq(la)]
        row: dict[str, object] = {"Council": names.get(la, AGENCY_NAME)}
        for p in periods:
            row[p] = presentation.cell(presentation.lookup(part, "referred", period=p), "count")
        row[f"Still open, {periods[-1]}"] = presentation.cell(
            presentation.lookup(part, "remain_open", period=periods[-1]), "count"
        )
        rows.append(row)
    show_table(
        pd.DataFrame(rows, dtype=object),
        "tbl-atv-referrals",
        "Children referred to the agency with a potential plan of adoption, by council and "
        "period, and those referred in the current period still open at its end. " + MARKS,
    )


def show_sibling_groups(groups: pd.DataFrame) -> None:
    """Sibling groups among the children referred in the current period (published)."""
    view = pd.DataFrame(
        {
            "Sibling group": [f"{int(size)} children" for size in groups["group_size"]],
            "Groups": pd.Series(groups["groups"].tolist(), dtype=object),
            "Children": pd.Series(groups["children"].tolist(), dtype=object),
        }
    )
    show_table(
        view,
        "tbl-atv-sibling-groups",
        "Sibling groups referred together in the current period, by size. " + MARKS,
    )


def show_adopters(adopters: pd.DataFrame, labels: Mapping[str, str]) -> None:
    """Prospective adopters: measures as rows, periods as columns (published values)."""
    periods = list(dict.fromkeys(adopters["period"]))
    rows = []
    for measure, label in labels.items():
        kind = "days" if measure.endswith("_days") else "count"
        row: dict[str, object] = {"Measure": label}
        for p in periods:
            row[p] = presentation.cell(
                presentation.lookup(adopters, period=p, measure=measure), kind
            )
        rows.append(row)
    show_table(
        pd.DataFrame(rows, dtype=object),
        "tbl-atv-adopters",
        "Prospective adopter households: activity in each period, households in assessment at "
        "its end, and calendar days to approval for the households approved in it. " + MARKS,
    )


def show_measure_by_council(
    measures: pd.DataFrame,
    measure: str,
    la_codes: Sequence[str],
    names: Mapping[str, str],
    periods: Spans,
    period_names: Mapping[str, str],
    threshold: float,
) -> None:
    """A10 or A2 of each council and the agency for the report's periods, against the threshold.

    The chart's data are the published ``atv_la_measures`` values (mean days over the children
    adopted in the 12 months to each period's end).
    """
    keys = presentation.distinct_periods(periods)
    rows = []
    for la in [*la_codes, AGENCY]:
        row: dict[str, object] = {"Council": names.get(la, AGENCY_NAME)}
        for key in keys:
            row[period_names[key]] = presentation.lookup(
                measures, la_code=la, period=key, measure=f"{measure}_days"
            )
        rows.append(row)
    data = pd.DataFrame(rows, dtype=object)
    name = measure.upper()
    what = (
        "entering care to moving in with adopters"
        if measure == "a10"
        else "placement order to match"
    )
    agency = presentation.number(data.iloc[-1, 1])
    title = (
        f"{name}, {what}, by council: {AGENCY_NAME} "
        f"{presentation.days_text(agency)} in the 12 months to {periods['current'][1]:%B %Y}"
    )
    fig = charts.grouped_chart(
        data["Council"].tolist(),
        {period_names[k]: data[period_names[k]].tolist() for k in keys},
        title,
        "Average days",
        reference=threshold,
        reference_label="Government threshold",
    )
    show_figure(
        fig,
        alt=f"Grouped bar chart of the average {name} days of each council and the agency for "
        f"{', '.join(period_names[k] for k in keys)}, with the {threshold:g}-day threshold as a "
        "dashed line.",
        title=title,
        data=data,
    )


def show_all_measures(measures: pd.DataFrame) -> None:
    """The published ``atv_la_measures`` table in full (long form), for reference."""
    from analysis.show import display_frame

    show_table(
        display_frame(measures, labels=presentation.MEASURE_LABELS),
        "tbl-atv-la-measures",
        "Adoption activity and timeliness by council and period (long form; la_code all is the "
        "agency). " + MARKS,
    )
