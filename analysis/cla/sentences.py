"""Computed sentences for the children looked after sections, from the published tables.

Each function takes tables as published (rounded, with ``c`` for suppressed cells) and returns
markdown sentences, so that every number a reader sees in the prose is in a table beside it
(DESIGN section 6). Year-on-year changes in a proportion are judged with a 95% confidence
interval (:func:`analysis.stats.compare_proportions`), so a sentence says "no significant
change" when that is the truth.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.cla.compare import DFE_PUBLISHED, THIS_REPORT
from analysis.narrative import fmt_count, fmt_pct, fmt_rate
from analysis.tables import SUPPRESSED

__all__ = [
    "pick",
    "years_text",
    "rate_comparison_text",
    "flow_text",
    "views_text",
    "stability_text",
    "comparison_text",
    "location_text",
    "permanence_text",
    "largest",
    "proportion_change_text",
]


def pick(table: pd.DataFrame, column: str, **where: object) -> object:
    """The one value of ``column`` in the row matching ``where``; ``None`` when no row matches."""
    mask = pd.Series(True, index=table.index)
    for key, value in where.items():
        mask &= table[key].astype(str).eq(str(value))
    rows = table.loc[mask, column]
    if len(rows) > 1:
        raise ValueError(f"{len(rows)} rows match {where} in the table")
    if rows.empty:
        return None
    value = rows.iloc[0]
    return None if pd.isna(value) else value


def _number(value: object) -> float | None:
    if value is None or value == SUPPRESSED:
        return None
    return float(value)


def _area(area: str) -> str:
    """An area as it reads in a sentence ("the mean of its statistical neighbours")."""
    return "the mean of its statistical neighbours" if area.startswith("Statistical") else area


def _share(pct: object, whole: str) -> str:
    """``"67.0% of <whole>"``, or ``"fewer than 6 <whole>"`` when the share is suppressed."""
    if pct == SUPPRESSED:
        return f"fewer than 6 {whole}"
    return f"{fmt_pct(pct)} of {whole}"


def _list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def years_text(table: pd.DataFrame) -> str:
    """Which years of a comparison table are DfE's and which this report's (years ending March)."""
    parts = []
    for source, words in ((DFE_PUBLISHED, "DfE's published figures"), (THIS_REPORT, None)):
        rows = table.loc[table["source"].eq(source)]
        value_col = "rate_per_10k" if "rate_per_10k" in rows.columns else "percent"
        years = sorted(rows.loc[rows[value_col].notna(), "year_ending"].astype(int).unique())
        if not years:
            continue
        span = f"{years[0]}" if len(years) == 1 else f"{years[0]} to {years[-1]}"
        if words is None:
            parts.append(
                f"this report's own figures, calculated from the returns supplied, cover {span}"
            )
        else:
            parts.append(f"{words} cover the years ending March {span}")
    return ("Years: " + "; ".join(parts) + ".") if parts else ""


def rate_comparison_text(table: pd.DataFrame, la_name: str, year_ending: int) -> list[str]:
    """Sentences on the CLA number and rate against the region, England and the neighbours.

    ``table`` is the published ``cla_rate_comparison`` table.
    """
    ours = table.loc[table["source"].eq(THIS_REPORT)]
    dfe = table.loc[table["source"].eq(DFE_PUBLISHED)]
    sentences = []
    count = pick(ours, "children_count", year_ending=year_ending)
    rate = pick(ours, "rate_per_10k", year_ending=year_ending)
    if count is not None:
        sentences.append(
            f"On 31 March {year_ending}, {fmt_count(count)} children were looked after by "
            f"{la_name}, {fmt_rate(rate)} per 10,000 children aged 0-17 (this report's figure, "
            "from the returns)."
        )
    published = dfe.loc[dfe["area"].eq(la_name) & dfe["rate_per_10k"].notna()]
    in_year = published.loc[published["year_ending"].eq(year_ending)]
    if not in_year.empty:
        sentences.append(
            f"DfE published {fmt_count(in_year['children_count'].iloc[0])} for {la_name} at "
            f"31 March {year_ending} ({in_year['rate_per_10k'].iloc[0]:.0f} per 10,000); the "
            "two can differ because DfE's figure comes from the return as finally validated."
        )
    else:
        sentences.append(f"DfE has not yet published a figure for {la_name} for {year_ending}.")
    others = dfe.loc[~dfe["area"].eq(la_name) & dfe["rate_per_10k"].notna()]
    if not others.empty:
        latest = int(others["year_ending"].max())
        rates = others.loc[others["year_ending"].eq(latest)]
        named = [
            f"{r.rate_per_10k:.0f} in {r.area}"
            if not r.area.startswith("Statistical neighbours")
            else f"{r.rate_per_10k:.1f} on average across its statistical neighbours"
            for r in rates.itertuples()
        ]
        sentences.append(
            f"Published rates per 10,000 for {latest}: {_list(named)} (DfE; the neighbours' "
            "figure is the mean of their ten rates)."
        )
    series = published.sort_values("year_ending")
    if len(series) >= 2:
        first, last = series.iloc[0], series.iloc[-1]
        sentences.append(
            f"{la_name}'s published rate went from {first['rate_per_10k']:.0f} in "
            f"{int(first['year_ending'])} to {last['rate_per_10k']:.0f} in "
            f"{int(last['year_ending'])}."
        )
    text = years_text(table)
    if text:
        sentences.append(
            text + " Published rates are whole numbers; this report's are to 1 decimal place."
        )
    return sentences


def largest(table: pd.DataFrame, label_column: str = "code") -> tuple[str, object] | None:
    """The row with the largest count: ``(label, percent)``; ``None`` if no count is visible."""
    counts = pd.to_numeric(table["count"], errors="coerce")
    if counts.isna().all() or counts.max() <= 0:
        return None
    row = table.loc[counts.idxmax()]
    return str(row[label_column]), row["percent"]


def flow_text(
    verb: str,
    sex_age: pd.DataFrame,
    current: str,
    previous: str,
    describe_band: str = "age band",
    totals: tuple[object, object] | None = None,
) -> list[str]:
    """Sentences on children starting or ceasing care by sex and age band, this year and last.

    Parameters
    ----------
    verb
        "started" or "ceased".
    sex_age
        A published ``period, group, code, count, percent`` table.
    current, previous
        Period labels.
    describe_band
        How to name the age band ("age band on starting").
    totals
        ``(this year, last year)`` numbers of children, from the summary table; by default the
        sum of the sex rows (unknown when one of them is suppressed).
    """

    def total(period: str) -> float | None:
        rows = sex_age.loc[sex_age["period"].eq(period) & sex_age["group"].eq("sex"), "count"]
        if rows.eq(SUPPRESSED).any() or rows.empty:
            return None
        return float(pd.to_numeric(rows).sum())

    now, before = totals if totals is not None else (total(current), total(previous))
    if now is None or now == SUPPRESSED:
        sentences = [f"The number of children who {verb} to be looked after in {current} is not "
                     "shown (small numbers)."]  # fmt: skip
    else:
        sentences = [
            f"{fmt_count(now)} children {verb} to be looked after in {current} "
            f"({fmt_count(before)} in {previous})."
        ]
    male = pick(sex_age, "percent", period=current, group="sex", code="Male")
    male_before = pick(sex_age, "percent", period=previous, group="sex", code="Male")
    if male is not None:
        sentences.append(f"{fmt_pct(male)} were boys ({fmt_pct(male_before)} in {previous}).")
    bands = sex_age.loc[sex_age["period"].eq(current) & sex_age["group"].eq("age_band")]
    top = largest(bands)
    if top is not None:
        band, pct = top
        pct_before = pick(sex_age, "percent", period=previous, group="age_band", code=band)
        sentences.append(
            f"The largest {describe_band} was {band} ({fmt_pct(pct)}; {fmt_pct(pct_before)} in "
            f"{previous})."
        )
    return sentences


def proportion_change_text(
    label: str,
    current: tuple[object, object],
    previous: tuple[object, object],
    current_label: str,
    previous_label: str,
) -> str:
    """A year-on-year change in a proportion with its 95% interval (or why there is none).

    ``current`` and ``previous`` are ``(count, total)`` from a published table; a suppressed
    or missing value gives a sentence saying no test is possible.
    """
    from analysis.stats import change_sentence, compare_proportions

    values = [_number(v) for v in (*current, *previous)]
    if any(v is None for v in values):
        return f"{label}: the change cannot be tested (a figure is suppressed or missing)."
    k1, n1, k0, n0 = (int(v) for v in values)  # type: ignore[arg-type]
    change = compare_proportions(k1, n1, k0, n0)
    return change_sentence(label, change, current_label, previous_label)


def views_text(table: pd.DataFrame, current: str, previous: str) -> list[str]:
    """Sentences on "views conveyed" (PN1-PN6) with the denominator stated.

    ``table`` is the published ``cla_views_conveyed`` table (period, measure, value).
    """
    get = lambda name, period: pick(table, "value", period=period, measure=name)  # noqa: E731
    sentences = [
        f"Children's views were conveyed to {fmt_count(get('views_conveyed', current))} of the "
        f"{fmt_count(get('reviews_held', current))} reviews held in {current} "
        f"({fmt_pct(get('percent', current))}; {fmt_pct(get('percent', previous))} in "
        f"{previous}). The denominator is every review held, including the "
        f"{fmt_count(get('under_4', current))} reviews of children under 4 (PN0), whose views "
        "are not recorded in the return.",
        f"Leaving out the reviews of children under 4, views were conveyed at "
        f"{fmt_pct(get('percent_aged_4_plus', current))} of reviews "
        f"({fmt_pct(get('percent_aged_4_plus', previous))} in {previous}).",
        proportion_change_text(
            "Reviews at which the child's views were conveyed",
            (get("views_conveyed", current), get("reviews_held", current)),
            (get("views_conveyed", previous), get("reviews_held", previous)),
            current,
            previous,
        ),
    ]
    return sentences


def stability_text(table: pd.DataFrame, la_name: str, year_ending: int) -> list[str]:
    """Sentences on short- and long-term stability against last year and published figures.

    ``table`` is the published ``cla_stability`` table.
    """
    ours = table.loc[table["source"].eq(THIS_REPORT)]
    dfe = table.loc[table["source"].eq(DFE_PUBLISHED)]
    words = {
        "short_term": (
            "of children looked after",
            "had 3 or more placements during the year (short-term stability; lower is better)",
        ),
        "long_term": (
            "of children under 16 looked after for 2.5 years or more",
            "had been in the same placement for 2 years or more (long-term stability; higher is "
            "better)",
        ),
    }
    sentences = []
    for measure, (who, what) in words.items():
        pct = pick(ours, "percent", year_ending=year_ending, measure=measure)
        if pct is None:
            sentences.append(
                f"Long-term stability at 31 March {year_ending} cannot be calculated: the returns "
                "supplied do not go back 2.5 years for every child."
            )
            continue
        prev = pick(ours, "percent", year_ending=year_ending - 1, measure=measure)
        count = pick(ours, "count", year_ending=year_ending, measure=measure)
        den = pick(ours, "denominator", year_ending=year_ending, measure=measure)
        sentence = (
            f"At 31 March {year_ending}, {fmt_pct(pct)} ({fmt_count(count)} of {fmt_count(den)}) "
            f"{who} {what}; {fmt_pct(prev)} a year earlier."
        )
        pub = dfe.loc[dfe["measure"].eq(measure) & dfe["percent"].notna()]
        if not pub.empty:
            latest = int(pub["year_ending"].max())
            rows = pub.loc[pub["year_ending"].eq(latest)]
            named = [f"{r.percent:.0f}% for {_area(r.area)}" for r in rows.itertuples()]
            sentence += f" DfE published {_list(named)} ({latest})."
        sentences.append(sentence)
        prev_count = pick(ours, "count", year_ending=year_ending - 1, measure=measure)
        prev_den = pick(ours, "denominator", year_ending=year_ending - 1, measure=measure)
        if prev_count is not None:
            sentences.append(
                proportion_change_text(
                    "Short-term instability (3 or more placements)"
                    if measure == "short_term"
                    else "Long-term stability",
                    (count, den),
                    (prev_count, prev_den),
                    f"March {year_ending}",
                    f"March {year_ending - 1}",
                )
            )
    return sentences


def comparison_text(
    table: pd.DataFrame,
    characteristics: Sequence[str],
    la_name: str,
    year_ending: int,
) -> list[str]:
    """One sentence per characteristic: the LA this year and last, the region and England.

    ``table`` is a published ``year_ending, area, source, characteristic, count, percent``
    table. Example: "Full care order: 67.0% of children looked after by Middlesbrough at 31
    March 2024 (69.2% a year earlier); DfE published 64% in North East and 58% in England for
    2024."
    """
    ours = table.loc[table["source"].eq(THIS_REPORT)]
    dfe = table.loc[table["source"].eq(DFE_PUBLISHED)]
    sentences = []
    for characteristic in characteristics:
        pct = pick(ours, "percent", year_ending=year_ending, characteristic=characteristic)
        prev = pick(ours, "percent", year_ending=year_ending - 1, characteristic=characteristic)
        sentence = (
            f"{characteristic}: {_share(pct, 'children looked after')} by {la_name} at 31 March "
            f"{year_ending} ({fmt_pct(prev)} a year earlier)"
        )
        rows = dfe.loc[dfe["characteristic"].eq(characteristic) & dfe["percent"].notna()]
        rows = rows.loc[rows["year_ending"].eq(year_ending)]
        if not rows.empty:
            named = [f"{r.percent:.0f}% in {_area(r.area)}" for r in rows.itertuples()]
            sentence += f"; DfE published {_list(named)} for {year_ending}"
        sentences.append(sentence + ".")
    return sentences


def location_text(table: pd.DataFrame, la_name: str, year_ending: int) -> list[str]:
    """Sentences on placements inside / outside the LA and over 20 miles from home.

    ``table`` is the published ``cla_placement_location`` table.
    """
    ours = table.loc[table["source"].eq(THIS_REPORT)]
    get = lambda m, y=year_ending: pick(ours, "percent", year_ending=y, measure=m)  # noqa: E731
    sentences = [
        f"At 31 March {year_ending}, {fmt_pct(get('in_area'))} of children looked after lived "
        f"inside {la_name}'s boundary and {fmt_pct(get('out_of_area'))} outside it "
        f"({fmt_pct(get('in_area', year_ending - 1))} and "
        f"{fmt_pct(get('out_of_area', year_ending - 1))} a year earlier).",
        f"Of those placed outside, {fmt_pct(get('out_of_area_over_20_miles'))} lived more than "
        f"20 miles from home ({fmt_pct(get('out_of_area_over_20_miles', year_ending - 1))} a "
        f"year earlier); {fmt_pct(get('over_20_miles'))} of all children looked after lived more "
        "than 20 miles from home, inside or outside the area.",
    ]
    far = get("out_of_area_over_20_miles_of_all")
    dfe = table.loc[
        table["source"].eq(DFE_PUBLISHED)
        & table["measure"].eq("out_of_area_over_20_miles_of_all")
        & table["percent"].notna()
    ]
    if not dfe.empty:
        latest = int(dfe["year_ending"].max())
        named = [
            f"{r.percent:.0f}% for {_area(r.area)}"
            for r in dfe.loc[dfe["year_ending"].eq(latest)].itertuples()
        ]
        sentences.append(
            f"Placed outside the area and more than 20 miles from home: {fmt_pct(far)} of all "
            f"children looked after (this report); DfE published {_list(named)} ({latest})."
        )
    not_known = pick(ours, "count", year_ending=year_ending, measure="location_not_known")
    if not_known not in (None, 0):
        sentences.append(
            f"{fmt_count(not_known)} children had no location or distance recorded and are left "
            "out of these percentages."
        )
    return sentences


def permanence_text(
    reasons: pd.DataFrame, current: str, previous: str, year_ending: int
) -> list[str]:
    """Sentences on children leaving care under an SGO or a child arrangements order.

    ``reasons`` is the published ``cla_ceased_reason_comparison`` table (DfE reason groups:
    "Special guardianship orders" = E43-E48, "Residence order or child arrangement order
    granted" = E41; this report's rows and DfE's comparators).
    """
    groups = {
        "Special guardianship orders": "a special guardianship order",
        "Residence order or child arrangement order granted": "a child arrangements order",
    }
    ours = reasons.loc[reasons["source"].eq(THIS_REPORT)]
    dfe = reasons.loc[reasons["source"].eq(DFE_PUBLISHED) & reasons["year_ending"].eq(year_ending)]
    sentences = []
    for characteristic, words in groups.items():
        get = lambda column, year, c=characteristic: pick(  # noqa: E731
            ours, column, year_ending=year, characteristic=c
        )
        sentence = (
            f"{fmt_count(get('count', year_ending))} children left care under {words} in "
            f"{current}, {fmt_pct(get('percent', year_ending))} of all children leaving care "
            f"({fmt_count(get('count', year_ending - 1))}, "
            f"{fmt_pct(get('percent', year_ending - 1))}, in {previous})"
        )
        rows = dfe.loc[dfe["characteristic"].eq(characteristic) & dfe["percent"].notna()]
        if not rows.empty:
            named = [f"{r.percent:.0f}% in {_area(r.area)}" for r in rows.itertuples()]
            sentence += f"; DfE published {_list(named)} for {year_ending}"
        else:
            sentence += f"; DfE has not published comparators for {year_ending} yet"
        sentences.append(sentence + ".")
    return sentences
