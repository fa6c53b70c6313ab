"""Reader's views of the ATV measures: per-council tables and computed sentences.

These only reshape and describe the published ``atv_la_measures`` table (already rounded and
suppressed), so every figure shown equals the CSV.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.narrative import fmt_count, fmt_days
from analysis.show import show_table

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


PERIOD_NAMES = {
    "current": "This period",
    "previous_full_year": "Previous full year",
    "previous_same_half": "Same period last year",
}


def period_label(key: str, span: tuple[pd.Timestamp, pd.Timestamp]) -> str:
    """A period's name and dates, e.g. ``Previous full year (Apr 2023 - Mar 2024)``."""
    return f"{PERIOD_NAMES[key]} ({span[0]:%b %Y} - {span[1]:%b %Y})"


def council_table(
    published: pd.DataFrame, la_code: str, periods: Mapping[str, tuple[pd.Timestamp, pd.Timestamp]]
) -> pd.DataFrame:
    """One council's measures as rows and the three periods as columns (published values)."""
    rows = published[published["la_code"] == la_code]
    wide = rows.pivot(index="measure", columns="period", values="value")
    wide = wide.reindex(index=list(MEASURE_LABELS), columns=list(PERIOD_ORDER))
    wide.index = [MEASURE_LABELS[m] for m in wide.index]
    wide.columns = [PERIOD_NAMES[p] for p in wide.columns]
    return wide.rename_axis("Measure").reset_index()


def show_council_table(
    published: pd.DataFrame,
    la_code: str,
    name: str,
    periods: Mapping[str, tuple[pd.Timestamp, pd.Timestamp]],
) -> None:
    """Display one council's table with a caption naming the council."""
    table = council_table(published, la_code, periods)
    show_table(
        table,
        f"tbl-atv-{la_code}",
        f"{name}: adoption activity and timeliness. "
        + "; ".join(period_label(p, periods[p]) for p in PERIOD_ORDER),
        decimals={c: 0 for c in table.columns},
    )


def measure_by_council(published: pd.DataFrame, measure: str, la_codes: list[str]) -> pd.DataFrame:
    """A measure as a council x period frame of floats (suppressed or missing values as NaN)."""
    rows = published[published["measure"] == measure]
    wide = rows.pivot(index="la_code", columns="period", values="value").reindex(
        index=la_codes, columns=list(PERIOD_ORDER)
    )
    wide = wide.apply(pd.to_numeric, errors="coerce")
    wide.columns = [PERIOD_NAMES[p] for p in PERIOD_ORDER]
    return wide


def council_sentences(
    published: pd.DataFrame,
    names: Mapping[str, str],
    periods: Mapping[str, tuple[pd.Timestamp, pd.Timestamp]],
    cohort_sizes: Mapping[str, int] | None = None,
    reliable_min: int = 10,
) -> list[str]:
    """One computed paragraph per council, replacing the hand-written bullets.

    A10 and A2 are flagged as less reliable when fewer than ``reliable_min`` children were
    adopted in the 12 months behind them (``cohort_sizes``).
    """
    sentences = []
    for la, name in names.items():
        v = published[published["la_code"] == la].set_index(["measure", "period"])["value"]

        def get(m: str, p: str = "current", v: pd.Series = v) -> object:
            return v.get((m, p))

        text = (
            f"**{name}**: {fmt_count(get('adoption_orders'))} adoption orders in this period "
            f"({fmt_count(get('adoption_orders', 'previous_same_half'))} in the same period "
            f"last year; {fmt_count(get('adoption_orders', 'previous_full_year'))} in the "
            f"previous full year), {fmt_count(get('placements_for_adoption'))} placements "
            f"for adoption, {fmt_count(get('early_permanence'))} early permanence placements "
            f"and {fmt_count(get('placement_orders'))} placement orders. Children adopted in "
            f"the last 12 months waited on average {fmt_days(get('a10_days'))} from entering "
            f"care to moving in (A10) and {fmt_days(get('a2_days'))} from placement order to "
            "match (A2)."
        )
        if cohort_sizes is not None:
            n = cohort_sizes.get(la, 0)
            if n < reliable_min:
                text += (
                    f" These averages rest on {n} "
                    f"{'child' if n == 1 else 'children'}, so they are less reliable."
                )
        sentences.append(text)
    return sentences
