"""Reader's views of the ATV tables: per-council tables, chart inputs and computed sentences.

Everything here reshapes and describes the **published** tables (already rounded and
suppressed by :func:`analysis.tables.publish_table`), so every figure a reader sees equals the
CSV, and a suppressed cell (``c``) stays suppressed in the prose: it is never described by a
number (a ``c`` can hide a count of 1 to 5, or a larger count suppressed to protect another
cell, so the prose says "suppressed" rather than "fewer than 6").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.show import show_table
from analysis.tables import SUPPRESSED

PERIOD_ORDER = ("current", "previous_full_year", "previous_same_half")
MEASURE_LABELS = {
    "adoption_orders": "Adoption orders",
    "placements_for_adoption": "Placements for adoption",
    "early_permanence": "Early permanence placements",
    "placement_orders": "Placement orders",
    "adm_decisions": "ADM best-interest decisions",
    "a10_days": "A10: entering care to moving in (mean days)",
    "a2_days": "A2: placement order to match (mean days)",
    "disruptions": "Disruptions",
}
#: Lower-case names of the counted measures, for sentences.
MEASURE_NAMES = {
    "adoption_orders": "adoption orders",
    "placements_for_adoption": "placements for adoption",
    "early_permanence": "early permanence placements",
    "placement_orders": "placement orders",
    "adm_decisions": "ADM best-interest decisions",
    "disruptions": "disruptions",
}
PERIOD_NAMES = {
    "current": "This period",
    "previous_full_year": "Previous full year",
    "previous_same_half": "Same period last year",
}
AGENCY = "all"
AGENCY_NAME = "Adoption Tees Valley"
NOT_AVAILABLE = "x"
#: Key to the marks used in the tables.
MARKS = "c: suppressed to protect small numbers; x: not available."

Spans = Mapping[str, tuple[pd.Timestamp, pd.Timestamp]]


# ------------------------------------------------------------------------------ small helpers
def is_suppressed(value: object) -> bool:
    """True for the suppression mark ``c``."""
    return isinstance(value, str) and value == SUPPRESSED


def number(value: object) -> float | None:
    """A published value as a float; None when suppressed, missing or not a number."""
    if value is None or isinstance(value, str | bool):
        return None
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def count_text(value: object) -> str:
    """A published count in words: ``12``, ``a suppressed number``, ``not available``."""
    if is_suppressed(value):
        return "a suppressed number"
    n = number(value)
    return "not available" if n is None else f"{int(n):,}"


def days_text(value: object) -> str:
    """Mean days as a whole number of days (DESIGN section 5, "Rounding")."""
    n = number(value)
    return "not available" if n is None else f"{round(n):,} days"


def pct_text(value: object) -> str:
    """A percentage to one decimal place."""
    if is_suppressed(value):
        return "suppressed"
    n = number(value)
    return "not available" if n is None else f"{n:.1f}%"


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 child``, ``2 children``."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def date_text(date: pd.Timestamp) -> str:
    """``30 September 2024``."""
    return f"{date.day} {date:%B %Y}"


def earlier_text(value: object) -> str:
    """An earlier period's count: the number, ``suppressed`` or ``not available``."""
    if is_suppressed(value):
        return "suppressed"
    return count_text(value)


def compare_text(current: object, previous: object, unit: str = "") -> str:
    """``up from 4``, ``down from 9``, ``the same``; with a suppressed side, just the other."""
    cur, prev = number(current), number(previous)
    prev_text = count_text(previous) if not unit else days_text(previous)
    if cur is None or prev is None:
        return prev_text
    if round(cur) == round(prev):
        return "the same as a year earlier"
    return f"{'up' if cur > prev else 'down'} from {prev_text}"


def cell(value: object, kind: str) -> object:
    """A published value for a reader's table: counts as int, days whole, rates to 1 dp."""
    if is_suppressed(value):
        return SUPPRESSED
    n = number(value)
    if n is None:
        return NOT_AVAILABLE
    if kind == "pct":
        return round(n, 1)
    return int(round(n))


def lookup(table: pd.DataFrame, column: str = "value", **keys: object) -> object:
    """The single cell of ``column`` in the row matching ``keys``; NaN when there is none."""
    mask = pd.Series(True, index=table.index)
    for key, wanted in keys.items():
        mask &= table[key] == wanted
    rows = table.loc[mask, column]
    return rows.iloc[0] if len(rows) else float("nan")


def distinct_periods(periods: Spans) -> list[str]:
    """The ATV period keys in report order, without a repeat of the same dates.

    For a full-year report the previous full year and the same period last year are the same
    year, shown once.
    """
    seen: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    keys = []
    for key in PERIOD_ORDER:
        if periods[key] not in seen:
            seen.append(periods[key])
            keys.append(key)
    return keys


def twelve_month_row(timeliness: pd.DataFrame, la: str, end: pd.Timestamp, measure: str) -> object:
    """A measure of the 12-month timeliness cohort ending ``end`` (published table)."""
    start = end - pd.DateOffset(months=12) + pd.Timedelta(days=1)
    rows = timeliness.loc[
        timeliness["la_code"].eq(la)
        & (pd.to_datetime(timeliness["cohort_end"]) == end)
        & (pd.to_datetime(timeliness["cohort_start"]) == start)
        & timeliness["measure"].eq(measure)
    ]
    return rows["value"].iloc[0] if len(rows) else float("nan")


# --------------------------------------------------------------------------- council tables
def council_table(
    measures: pd.DataFrame,
    leaving: pd.DataFrame,
    timeliness: pd.DataFrame,
    la_code: str,
    periods: Spans,
    labels: Mapping[str, str],
) -> pd.DataFrame:
    """One council's figures as rows and the report's periods as columns (published values).

    Rows follow the ATV report's council tables: adoption orders, placements for adoption,
    early permanence, placement orders, ADM decisions, A10, A2 (with the number of children
    they are averaged over), the rate of leaving care by adoption over the 12 months to each
    period's end with England's rate, and disruptions.
    """
    keys = distinct_periods(periods)
    out: dict[str, list[object]] = {"Measure": []}
    for key in keys:
        out[labels[key]] = []

    def add(label: str, values: list[object]) -> None:
        out["Measure"].append(label)
        for key, value in zip(keys, values, strict=True):
            out[labels[key]].append(value)

    def measure(m: str, kind: str = "count") -> list[object]:
        return [cell(lookup(measures, la_code=la_code, period=k, measure=m), kind) for k in keys]

    for m in ("adoption_orders", "placements_for_adoption", "early_permanence"):
        add(MEASURE_LABELS[m], measure(m))
    add(MEASURE_LABELS["placement_orders"], measure("placement_orders"))
    add(MEASURE_LABELS["adm_decisions"], measure("adm_decisions"))
    add(MEASURE_LABELS["a10_days"], measure("a10_days", "days"))
    add(MEASURE_LABELS["a2_days"], measure("a2_days", "days"))
    add(
        "Children adopted in the 12 months (A10 base)",
        [
            cell(twelve_month_row(timeliness, la_code, periods[k][1], "a10_children"), "count")
            for k in keys
        ],
    )
    add(
        "Rate of leaving care by adoption, 12 months (%)",
        [cell(lookup(leaving, "rate_pct", la_code=la_code, period=k), "pct") for k in keys],
    )
    add(
        "England rate of leaving care by adoption (%)",
        [cell(lookup(leaving, "england_rate_pct", la_code=la_code, period=k), "pct") for k in keys],
    )
    add(MEASURE_LABELS["disruptions"], measure("disruptions"))
    # object columns: whole counts stay integers beside the rates
    return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in out.items()})


def show_council_table(
    measures: pd.DataFrame,
    leaving: pd.DataFrame,
    timeliness: pd.DataFrame,
    la_code: str,
    name: str,
    periods: Spans,
    labels: Mapping[str, str],
) -> None:
    """Display one council's table with a caption naming the council and the periods."""
    table = council_table(measures, leaving, timeliness, la_code, periods, labels)
    england_years = sorted(
        {int(y) for y in leaving.loc[leaving["la_code"].eq(la_code), "england_year_ending"]}
    )
    years = ", ".join(f"{y - 1}-{str(y)[-2:]}" for y in england_years)
    show_table(
        table,
        f"tbl-atv-council-{la_code}",
        f"{name}: adoption activity and timeliness. A10, A2 and the rate of leaving care by "
        "adoption cover the 12 months to the end of each period; England's rate is DfE's "
        f"latest published year by then ({years}). {MARKS}",
    )


def council_paragraph(
    measures: pd.DataFrame,
    leaving: pd.DataFrame,
    timeliness: pd.DataFrame,
    la_code: str,
    name: str,
    periods: Spans,
    labels: Mapping[str, str],
    thresholds: Mapping[str, float],
) -> str:
    """A computed paragraph on one council, replacing the report's hand-written bullets.

    Activity in the period is compared with the same period last year (like with like) and
    the previous full year; A10 and A2 against the government thresholds, flagged as less
    reliable when the published flag says the average rests on few children; the rate of
    leaving care by adoption against England and the funnel plot limits; disruptions.
    """

    def v(m: str, k: str = "current") -> object:
        return lookup(measures, la_code=la_code, period=k, measure=m)

    same, full = labels["previous_same_half"], labels["previous_full_year"]
    cur = labels["current"]
    one_year = periods["previous_same_half"] == periods["previous_full_year"]
    ao = v("adoption_orders")
    earlier = f"{earlier_text(v('adoption_orders', 'previous_same_half'))} in {same}"
    if not one_year:
        earlier += f"; {earlier_text(v('adoption_orders', 'previous_full_year'))} in {full}"
    if number(ao) is None:
        parts = [
            f"**{name}**: the number of adoption orders in {cur} is "
            f"{'suppressed to protect small numbers' if is_suppressed(ao) else 'not available'}"
            f" ({earlier})."
        ]
    else:
        parts = [
            f"**{name}**: {plural(int(number(ao) or 0), 'adoption order')} in {cur} ({earlier})."
        ]
    listed, hidden = [], []
    for m in ("placements_for_adoption", "early_permanence", "placement_orders", "adm_decisions"):
        value, before = v(m), v(m, "previous_same_half")
        if number(value) is None:
            hidden.append(MEASURE_NAMES[m])
        elif number(before) is None:
            listed.append(f"{MEASURE_NAMES[m]} {count_text(value)} ({earlier_text(before)} then)")
        else:
            listed.append(f"{MEASURE_NAMES[m]} {count_text(value)} ({compare_text(value, before)})")
    if listed:
        parts.append(f"Against {same}: {join_names(listed)}.")
    if hidden:
        what = "number" if len(hidden) == 1 else "numbers"
        verb = "is" if len(hidden) == 1 else "are"
        parts.append(
            f"The {what} of {join_names(hidden)} in {cur} {verb} suppressed to protect small "
            "numbers or not available."
        )
    end = periods["current"][1]
    timing = []
    for m, name_m, what in (
        ("a10_days", "A10", "from entering care to moving in with their adopters"),
        ("a2_days", "A2", "from placement order to match"),
    ):
        days = number(v(m))
        threshold = thresholds[m]
        if days is None:
            timing.append(f"{name_m} is not available")
            continue
        gap = round(days) - round(threshold)
        side = (
            f"{plural(abs(gap), 'day')} within the {threshold:g}-day threshold"
            if gap <= 0
            else f"{plural(gap, 'day')} over the {threshold:g}-day threshold"
        )
        timing.append(f"{days_text(days)} {what} ({name_m}; {side})")
    shown = [t for t in timing if not t.endswith("is not available")]
    missing = [t for t in timing if t.endswith("is not available")]
    if shown:
        parts.append(
            f"Children adopted in the 12 months to {date_text(end)} waited on average "
            + " and ".join(shown)
            + "."
        )
    parts.extend(f"{t[0].upper()}{t[1:]}." for t in missing)
    base = twelve_month_row(timeliness, la_code, end, "a10_children")
    flag = twelve_month_row(timeliness, la_code, end, "a10_less_reliable")
    if number(flag) == 1:
        n = number(base)
        rest = (
            f"{plural(int(n), 'child', 'children')}"
            if n is not None
            else "a suppressed number of children"
        )
        parts.append(f"These averages rest on {rest}, so the figures are less reliable.")
    rate = lookup(leaving, "rate_pct", la_code=la_code, period="current")
    england = lookup(leaving, "england_rate_pct", la_code=la_code, period="current")
    year = lookup(leaving, "england_year_ending", la_code=la_code, period="current")
    position = lookup(leaving, "funnel_position", la_code=la_code, period="current")
    if number(rate) is None:
        parts.append("The rate of leaving care by adoption is suppressed to protect small numbers.")
    else:
        y = int(number(year) or 0)
        parts.append(
            f"Of the children who left care in those 12 months, {pct_text(rate)} were adopted "
            f"(England {pct_text(england)} in {y - 1}-{str(y)[-2:]}): "
            + position_text(str(position))
            + "."
        )
    dis = v("disruptions")
    if number(dis) == 0:
        parts.append(f"No adoptive placement disrupted in {cur}.")
    else:
        parts.append(
            f"Disruptions of adoptive placements: {count_text(dis)} in {cur} "
            f"({count_text(v('disruptions', 'previous_same_half'))} in {same})."
        )
    return " ".join(parts)


def position_text(position: str) -> str:
    """The funnel plot position in words for a reader."""
    if position.startswith("within"):
        return "within the range that chance alone would give around England's rate"
    if position == "no children":
        return "no child left care"
    side, level = position.split(" ")[0], position.split(" ")[1]
    direction = "higher" if side == "above" else "lower"
    strength = "well " if level == "99.8%" else ""
    return f"{strength}{direction} than chance alone would give around England's rate ({position})"


# ------------------------------------------------------------------------- activity charts
def trend_chart_data(
    trend: pd.DataFrame, measure: str, la_codes: Sequence[str], names: Mapping[str, str]
) -> pd.DataFrame:
    """One measure of the published trend table as councils x periods (published values)."""
    rows = trend.loc[trend["measure"].eq(measure) & trend["la_code"].isin(la_codes)]
    wide = rows.pivot(index="la_code", columns="period", values="value")
    order = list(dict.fromkeys(trend["period"]))
    wide = wide.reindex(index=list(la_codes), columns=order)
    wide.index = [names.get(la, la) for la in wide.index]
    return wide.rename_axis("Council").reset_index()


def trend_title(trend: pd.DataFrame, measure: str) -> str:
    """Chart title: the agency's count in the current period and in each earlier year."""
    rows = trend.loc[trend["measure"].eq(measure) & trend["la_code"].eq(AGENCY)]
    periods = list(dict.fromkeys(rows["period"]))
    current = periods[-1]
    name = MEASURE_NAMES[measure]
    title = name[0].upper() + name[1:]
    values = [lookup(rows, period=p) for p in periods]
    if all(number(v) is None and not is_suppressed(v) for v in values):
        return (
            f"{title} by council, {periods[0]} to {current} (the {AGENCY_NAME} total is not "
            "available: a council did not supply the input)"
        )
    earlier = ", ".join(
        f"{count_text(v)} in {p}" for v, p in zip(values[:-1], periods[:-1], strict=True)
    )
    return f"{title}: {count_text(values[-1])} across {AGENCY_NAME} in {current} ({earlier})"


def change_text(
    measures: pd.DataFrame,
    measure: str,
    la_codes: Sequence[str],
    names: Mapping[str, str],
    labels: Mapping[str, str],
) -> str:
    """Which councils had more, fewer or the same ``measure`` than the same period last year."""
    fell, rose, same, hidden = [], [], [], []
    for la in la_codes:
        cur = lookup(measures, la_code=la, period="current", measure=measure)
        prev = lookup(measures, la_code=la, period="previous_same_half", measure=measure)
        a, b = number(cur), number(prev)
        if a is None or b is None:
            hidden.append(names[la])
        elif a < b:
            fell.append(f"{names[la]} ({int(a)}, from {int(b)})")
        elif a > b:
            rose.append(f"{names[la]} ({int(a)}, from {int(b)})")
        else:
            same.append(names[la])
    clauses = []
    if fell:
        clauses.append("fewer in " + join_names(fell))
    if rose:
        clauses.append("more in " + join_names(rose))
    if same:
        clauses.append("the same number in " + join_names(same))
    text = ""
    if clauses:
        name = MEASURE_NAMES[measure]
        text = (
            f"{name[0].upper() + name[1:]} in {labels['current']} against "
            f"{labels['previous_same_half']}: " + "; ".join(clauses) + "."
        )
    if hidden:
        text += (
            f" For {join_names(hidden)} the comparison is not shown (a figure is suppressed "
            "or not available)."
        )
    return text.strip()


def join_names(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ------------------------------------------------------------------------------- timeliness
def timeliness_view(
    timeliness: pd.DataFrame,
    england: pd.DataFrame,
    measure: str,
    la_codes: Sequence[str],
    names: Mapping[str, str],
) -> pd.DataFrame:
    """Mean days per area (rows) and cohort (columns), with children and the England row.

    Cells read ``419 (12)``: the mean in whole days and, in brackets, the number of children
    it is averaged over; ``†`` marks a less reliable figure (published flag); England's row
    shows the preferred comparator with its source.
    """
    cohorts = list(dict.fromkeys(timeliness["cohort"]))
    rows = []
    for la in [*la_codes, AGENCY]:
        row: dict[str, object] = {"Area": names.get(la, AGENCY_NAME)}
        for c in cohorts:
            mean = lookup(timeliness, la_code=la, cohort=c, measure=f"{measure}_mean_days")
            n = lookup(timeliness, la_code=la, cohort=c, measure=f"{measure}_children")
            flag = lookup(timeliness, la_code=la, cohort=c, measure=f"{measure}_less_reliable")
            text = NOT_AVAILABLE if number(mean) is None else f"{round(number(mean)):,}"
            n_text = SUPPRESSED if is_suppressed(n) else count_text(n)
            mark = " †" if number(flag) == 1 else ""
            row[c] = f"{text} ({n_text}){mark}"
        rows.append(row)
    eng: dict[str, object] = {"Area": "England"}
    for c in cohorts:
        pick = england.loc[
            england["cohort"].eq(c)
            & england["measure"].eq(f"{measure}_days")
            & england["preferred"]
        ]
        days = number(pick["days"].iloc[0]) if len(pick) else None
        eng[c] = NOT_AVAILABLE if days is None else f"{round(days):,} ({pick['source'].iloc[0]})"
    rows.append(eng)
    return pd.DataFrame(rows)


def england_pick(england: pd.DataFrame, cohort: str, measure: str) -> tuple[float | None, str]:
    """The preferred England comparator of a cohort: (days, source)."""
    pick = england.loc[
        england["cohort"].eq(cohort) & england["measure"].eq(measure) & england["preferred"]
    ]
    if not len(pick):
        return None, ""
    return number(pick["days"].iloc[0]), str(pick["source"].iloc[0])


def agency_timeliness_text(
    timeliness: pd.DataFrame,
    england: pd.DataFrame,
    thresholds: Mapping[str, float],
    current_cohort: str,
    three_year_cohort: str,
) -> str:
    """Sentences on the agency's A10 and A2 against the thresholds and England."""
    out = []
    for m, name_m, what in (
        ("a10", "A10", "from entering care to moving in with their adoptive family"),
        ("a2", "A2", "from placement order to the match with adopters"),
    ):
        mean = number(
            lookup(timeliness, la_code=AGENCY, cohort=current_cohort, measure=f"{m}_mean_days")
        )
        n = lookup(timeliness, la_code=AGENCY, cohort=current_cohort, measure=f"{m}_children")
        if mean is None:
            out.append(f"{name_m} is not available for {current_cohort}.")
            continue
        threshold = thresholds[f"{m}_days"]
        gap = round(mean) - round(threshold)
        side = (
            f"{plural(abs(gap), 'day')} within the {threshold:g}-day government threshold"
            if gap <= 0
            else f"{plural(gap, 'day')} over the {threshold:g}-day government threshold"
        )
        opening = f"Across {AGENCY_NAME}, the" if m == "a10" else "For A2, the"
        sentence = (
            f"{opening} {count_text(n)} children adopted {cohort_phrase(current_cohort)} "
            "waited on average "
            f"{days_text(mean)} {what} ({name_m}), {side}"
        )
        days, source = england_pick(england, current_cohort, f"{m}_days")
        if days is not None:
            diff = round(mean) - round(days)
            rel = "shorter than" if diff < 0 else ("longer than" if diff > 0 else "the same as")
            label = (
                "England's scorecard figure"
                if source == "ASGLB"
                else "England's nearest published DfE figure"
            )
            sentence += f", and {plural(abs(diff), 'day')} {rel} {label} ({days_text(days)})"
        sentence += "."
        three = number(
            lookup(timeliness, la_code=AGENCY, cohort=three_year_cohort, measure=f"{m}_mean_days")
        )
        if three is not None:
            sentence += (
                f" Over the three years {three_year_cohort} the average was {days_text(three)}."
            )
        out.append(sentence)
    out.append(coverage_text(timeliness))
    return " ".join(t for t in out if t)


def cohort_phrase(cohort: str) -> str:
    """``in 2023-24`` or ``in the 12 months to Sep 2024``."""
    return f"in the {cohort}" if cohort.split()[1:2] == ["months"] else f"in {cohort}"


def charted_cohorts(timeliness: pd.DataFrame) -> list[str]:
    """The cohorts the timeliness charts and tables show: three years, pooled, current."""
    first = timeliness.drop_duplicates("cohort")
    years = first.loc[first["series"].eq("three_years"), "cohort"].tolist()
    rolling = first.loc[first["series"].eq("twelve_months"), "cohort"].tolist()
    return years + rolling[:1]


def coverage_text(timeliness: pd.DataFrame) -> str:
    """Say for which agency cohorts A10 or A2 covers fewer children than were adopted.

    A child has no A10 when no placement for adoption is recorded or the child entered care
    before the earliest return supplied; no A2 without a placement order or an AD1 match.
    """
    parts = []
    for m, name in (("a10", "A10"), ("a2", "A2")):
        gaps = []
        for cohort in charted_cohorts(timeliness):
            adopted = number(lookup(timeliness, la_code=AGENCY, cohort=cohort, measure="adopted"))
            with_value = number(
                lookup(timeliness, la_code=AGENCY, cohort=cohort, measure=f"{m}_children")
            )
            if adopted is not None and with_value is not None and with_value < adopted:
                gaps.append(
                    f"{int(with_value):,} of the {int(adopted):,} children adopted "
                    f"{cohort_phrase(cohort)}"
                )
        if gaps:
            parts.append(f"{name} covers {join_names(gaps)}")
    if not parts:
        return ""
    return (
        "Not every child adopted has a figure: " + "; ".join(parts) + ". The others have no "
        "placement for adoption, placement order or match recorded, or entered care before the "
        "earliest return supplied, so their waits are unknown and left out of the averages."
    )


def spread_text(
    timeliness: pd.DataFrame, cohort: str, la_codes: Sequence[str], names: Mapping[str, str]
) -> str:
    """Median and quartiles of the agency's A10 and A2, and the councils flagged less reliable."""
    out = []
    for m, name_m in (("a10", "A10"), ("a2", "A2")):
        q1, med, q3 = (
            number(lookup(timeliness, la_code=AGENCY, cohort=cohort, measure=f"{m}_{s}"))
            for s in ("lower_quartile_days", "median_days", "upper_quartile_days")
        )
        if med is None or q1 is None or q3 is None:
            continue
        out.append(
            f"For {name_m}, half of the agency's children waited between {days_text(q1)} and "
            f"{days_text(q3)} (median {days_text(med)})."
        )
    flagged = [
        names[la]
        for la in la_codes
        if number(lookup(timeliness, la_code=la, cohort=cohort, measure="a10_less_reliable")) == 1
    ]
    if flagged:
        out.append(
            f"The averages of {join_names(flagged)} rest on few children, so those figures are "
            "less reliable: one child's long wait moves a small council's mean a long way, which "
            "the dots show."
        )
    return " ".join(out)


def spread_groups(
    timeliness: pd.DataFrame,
    children: pd.DataFrame,
    cohort: str,
    measure: str,
    la_codes: Sequence[str],
    names: Mapping[str, str],
) -> list[tuple[str, list[float], dict[str, object] | None, str]]:
    """Rows of the spread chart: a council's children's values and its published summary.

    A row whose published number of children is suppressed (or 0) gets no summary and a note
    instead, so its dots are not drawn: the chart never shows a count that the table hides.
    """
    groups = []
    for la in [*la_codes, AGENCY]:
        n = lookup(timeliness, la_code=la, cohort=cohort, measure=f"{measure}_children")
        summary = None
        if number(n):
            summary = {
                stat: lookup(timeliness, la_code=la, cohort=cohort, measure=f"{measure}_{stat}")
                for stat in (
                    "children",
                    "mean_days",
                    "median_days",
                    "lower_quartile_days",
                    "upper_quartile_days",
                )
            }
        part = children.loc[children["cohort"].eq(cohort)]
        if la != AGENCY:
            part = part.loc[part["la_code"].eq(la)]
        values = part[f"{measure}_days"].dropna().tolist() if summary else []
        note = (
            "number of children suppressed: not shown"
            if is_suppressed(n)
            else ("no child adopted" if summary is None else "")
        )
        groups.append((names.get(la, AGENCY_NAME), values, summary, note))
    return groups


# ------------------------------------------------------------------------------- funnel plot
def funnel_points(
    leaving: pd.DataFrame, la_codes: Sequence[str], names: Mapping[str, str]
) -> pd.DataFrame:
    """The councils' published points of the funnel plot (current period)."""
    rows = leaving.loc[leaving["period"].eq("current") & leaving["la_code"].isin(la_codes)]
    return pd.DataFrame(
        {
            "name": [names[la] for la in rows["la_code"]],
            "n": [number(x) for x in rows["ceased"]],
            "pct": [number(x) for x in rows["rate_pct"]],
        }
    )


def funnel_text(
    leaving: pd.DataFrame, la_codes: Sequence[str], names: Mapping[str, str], end: pd.Timestamp
) -> str:
    """The agency's rate against England and where each council falls on the funnel plot."""
    agency = leaving.loc[leaving["period"].eq("current") & leaving["la_code"].eq(AGENCY)]
    rate, england = agency["rate_pct"].iloc[0], agency["england_rate_pct"].iloc[0]
    year = int(agency["england_year_ending"].iloc[0])
    text = (
        f"In the 12 months to {date_text(end)}, {pct_text(rate)} of the children who left care "
        f"in the {plural(len(la_codes), 'council')} were adopted "
        f"({count_text(agency['adopted'].iloc[0])} of {count_text(agency['ceased'].iloc[0])}), "
        f"against {pct_text(england)} in England in {year - 1}-{str(year)[-2:]}."
    )
    outside, inside, hidden = [], [], []
    for la in la_codes:
        row = leaving.loc[leaving["period"].eq("current") & leaving["la_code"].eq(la)]
        if number(row["rate_pct"].iloc[0]) is None:
            hidden.append(names[la])
        elif str(row["funnel_position"].iloc[0]).startswith("within"):
            inside.append(names[la])
        else:
            outside.append(f"{names[la]} ({row['funnel_position'].iloc[0]})")
    if inside:
        text += (
            f" {join_names(inside)} {'is' if len(inside) == 1 else 'are'} within the 95% limits: "
            "the difference from England is no more than chance would give with their numbers "
            "of children."
        )
    if outside:
        text += f" Outside the limits: {join_names(outside)}."
    if hidden:
        text += f" Not plotted (figures suppressed): {join_names(hidden)}."
    return text


# ------------------------------------------------------------------------ agency (RAA) text
def referrals_text(
    referrals: pd.DataFrame,
    groups: pd.DataFrame,
    labels_in_order: Sequence[str],
    end: pd.Timestamp,
) -> str:
    """Children referred to the agency, sibling groups and referrals still open (published)."""
    agency = referrals.loc[referrals["la_code"].eq(AGENCY)]
    current = labels_in_order[-1]
    n = lookup(agency, "referred", period=current)
    earlier = "; ".join(
        f"{count_text(lookup(agency, 'referred', period=p))} in {p}" for p in labels_in_order[:-1]
    )
    text = (
        f"{count_text(n)} children were referred to {AGENCY_NAME} with a potential plan of "
        f"adoption in {current} ({earlier})."
    )
    if len(groups):
        parts = [
            (
                f"{count_text(g)} sibling group{'s' if number(g) != 1 else ''} of {int(size)}"
                if number(g) is not None
                else f"a suppressed number of sibling groups of {int(size)}"
            )
            for size, g in zip(groups["group_size"], groups["groups"], strict=True)
        ]
        text += f" Among them were {join_names(parts)}."
    else:
        text += " No sibling group was referred together in the period."
    still = lookup(agency, "remain_open", period=current)
    text += (
        f" At {date_text(end)}, {count_text(still)} of the children referred in the period "
        "remained open to the agency (still looked after, not adopted and with no decision "
        "that they should no longer be placed for adoption)."
    )
    return text


def adopters_text(adopters: pd.DataFrame, labels_in_order: Sequence[str]) -> str:
    """Prospective adopters in assessment, approvals and times to approval (published)."""
    current, earlier = labels_in_order[-1], labels_in_order[:-1]

    def v(m: str, p: str) -> object:
        return lookup(adopters, period=p, measure=m)

    end = pd.to_datetime(lookup(adopters, "period_end", period=current, measure="approvals"))
    prev_end = pd.to_datetime(
        lookup(adopters, "period_end", period=earlier[-1], measure="approvals")
    )
    approvals_before = "; ".join(f"{count_text(v('approvals', p))} in {p}" for p in earlier)
    text = (
        f"At {date_text(end)}, {count_text(v('in_assessment_at_end', current))} prospective "
        f"adopter households were in the assessment process "
        f"({count_text(v('in_stage2_at_end', current))} of them in stage 2), against "
        f"{count_text(v('in_assessment_at_end', earlier[-1]))} at {date_text(prev_end)}. "
        f"{count_text(v('approvals', current))} households were approved in {current} "
        f"({approvals_before}), from "
        f"{count_text(v('enquiries', current))} enquiries and "
        f"{count_text(v('registrations', current))} registrations of interest."
    )
    mean = v("enquiry_to_approval_mean_days", current)
    if number(mean) is not None:
        text += (
            f" Households approved in {current} took on average {days_text(mean)} from first "
            "enquiry to approval (median "
            f"{days_text(v('enquiry_to_approval_median_days', current))})"
            f" and {days_text(v('registration_to_approval_mean_days', current))} from "
            "registration of interest."
        )
    return text


def inputs_text(
    la_codes: Sequence[str],
    names: Mapping[str, str],
    supplied: Mapping[str, Sequence[str]],
) -> str:
    """Say plainly which optional inputs were not supplied and what is missing as a result."""
    consequences = {
        "placed_adoption": (
            "PlacedAdoption (SSDA903)",
            "ADM decisions are not available for them, nor for the agency total",
        ),
        "ad1": (
            "AD1 (SSDA903)",
            "A2 is not available for their children and A10 is not adjusted for adoptions by "
            "foster carers",
        ),
    }
    out = []
    for table, (what, effect) in consequences.items():
        missing = [names[la] for la in la_codes if la not in supplied.get(table, [])]
        if missing:
            out.append(f"{what} was not supplied by {join_names(missing)}: {effect}.")
    if not out:
        return (
            "All the optional SSDA903 tables the report uses (PlacedAdoption, AD1) were supplied."
        )
    return " ".join(out)


#: The agency's optional extracts and what the report cannot say without them.
RAA_EXTRACTS = {
    "referrals": (
        "referrals extract (raa/referrals.csv: child_id, la_code, referral_date, sibling_group_id)",
        "children referred to the agency, sibling groups and referrals still open",
    ),
    "adopters": (
        "prospective adopters extract (raa/adopters.csv: household_id, enquiry_date, "
        "registration_date, stage1_start, stage2_start, approval_date, withdrawn_date)",
        "prospective adopters in assessment, approvals and times from enquiry to approval",
    ),
}


def not_supplied_text(extract: str) -> str:
    """Say plainly that one of the agency's optional extracts was not supplied."""
    what, missing = RAA_EXTRACTS[extract]
    return (
        f"The agency's {what} was not supplied for this run, so this section cannot report "
        f"{missing}. The rest of the report does not depend on it."
    )
