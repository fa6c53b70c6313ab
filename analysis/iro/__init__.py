"""IRO service activity from the LA's local extracts (no national format; data/README.md).

- **Caseload**: children (CLA and CP) allocated per full-time-equivalent IRO, each month. The IRO
  Handbook (DfE 2010, para 7.15) recommends 50 to 70 looked after children per full-time IRO.
- **Issue Resolution Process (IRP)**: challenges raised by IROs in the period, counted by the
  plan type of the child (CLA, CP, dual, none), on ``raised_date``.

Period comparisons of IRPs, IRO concerns and the IRO footprint are in :mod:`analysis.iro.activity`,
the next-steps table in :mod:`analysis.iro.next_steps`, tidy-to-wide display in
:mod:`analysis.iro.display`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from analysis.dates import in_period

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn
    from matplotlib.figure import Figure

HANDBOOK_RANGE = (50, 70)
PLAN_TYPES = ("CLA", "CP", "dual", "none")
NOT_SUPPLIED = (
    "The {extract} was not supplied for this run, so this part of the report "
    "cannot be produced. The rest of the report is unaffected."
)


def caseload_per_iro(caseload: pd.DataFrame, period_start, period_end) -> pd.DataFrame:
    """Children per FTE IRO for each month of the period.

    ``children`` is the sum of ``open_cla + open_cp`` over IROs in the month and ``iros_fte`` the
    sum of their FTE; ``caseload_per_fte = children / iros_fte`` (IRO Handbook para 7.15).
    """
    rows = caseload[in_period(caseload["month"], period_start, period_end)]
    out = (
        rows.assign(children=rows["open_cla"] + rows["open_cp"])
        .groupby("month", sort=True)
        .agg(iros_fte=("fte", "sum"), children=("children", "sum"))
        .reset_index()
    )
    out["children"] = out["children"].astype(int)
    out["caseload_per_fte"] = out["children"] / out["iros_fte"]
    return out[["month", "iros_fte", "children", "caseload_per_fte"]]


def caseload_sentence(caseload: pd.DataFrame, period_start, period_end) -> str:
    """Average caseload at the first and last month, against the Handbook range."""
    monthly = caseload_per_iro(caseload, period_start, period_end)
    if monthly.empty:
        return "No IRO caseload rows fall in the reporting period."
    first, last = monthly.iloc[0], monthly.iloc[-1]
    low, high = HANDBOOK_RANGE
    inside = int(monthly["caseload_per_fte"].between(low, high).sum())
    return (
        f"The average caseload was {first['caseload_per_fte']:.1f} children per full-time "
        f"IRO in {first['month']:%B %Y} and {last['caseload_per_fte']:.1f} in "
        f"{last['month']:%B %Y}; it was within the IRO Handbook range of {low}-{high} in "
        f"{inside} of {len(monthly)} months."
    )


def irp_by_plan_type(irp: pd.DataFrame, period_start, period_end) -> pd.DataFrame:
    """IRP challenges raised in the period by plan type, every plan type listed."""
    raised = irp.loc[in_period(irp["raised_date"], period_start, period_end), "plan_type"]
    counts = raised.value_counts().reindex(PLAN_TYPES, fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame(
        {
            "code": list(PLAN_TYPES),
            "count": counts.astype(int).tolist(),
            "percent": [100.0 * c / total if total else float("nan") for c in counts],
        }
    )


def _month_name(short: str, period_start: pd.Timestamp) -> str:
    """``"Apr"`` in the 12 months from ``period_start`` as ``"April 2023"``."""
    month = pd.to_datetime(short, format="%b").month
    year = period_start.year + (month < period_start.month)
    return f"{pd.Timestamp(year=year, month=month, day=1):%B %Y}"


def caseload_text(published: pd.DataFrame, period: str, period_start) -> str:
    """Average caseload at the first and last month of ``period``, from the published table.

    Every figure comes from the published ``iro_caseload_monthly`` table (``period``, ``month``
    as a month name, ``caseload_per_fte`` rounded to 1 dp), so the sentence matches the table.

    Parameters
    ----------
    published
        The published ``iro_caseload_monthly`` table (one or more periods).
    period
        Label of the period to describe (``2023-24``).
    period_start
        First day of that period (names the months with their year).

    Returns
    -------
    str
        One sentence; says so when the period has no caseload rows.
    """
    rows = published.loc[published["period"].eq(period)]
    rows = rows.loc[pd.to_numeric(rows["caseload_per_fte"], errors="coerce").notna()]
    if rows.empty:
        return f"The IRO caseload extract has no rows for {period}."
    low, high = HANDBOOK_RANGE
    values = pd.to_numeric(rows["caseload_per_fte"])
    inside = int(values.between(low, high).sum())
    first, last = rows.iloc[0], rows.iloc[-1]
    start = pd.Timestamp(period_start)
    return (
        f"In {period} the average caseload was {float(first['caseload_per_fte']):.1f} children per "
        f"full-time IRO in {_month_name(first['month'], start)} and "
        f"{float(last['caseload_per_fte']):.1f} in {_month_name(last['month'], start)}; it was "
        f"within the IRO Handbook range of {low}-{high} in {inside} of "
        f"{len(rows)} months (highest {values.max():.1f}, lowest {values.min():.1f})."
    )


def caseload_chart(
    months: Sequence[str],
    series: dict[str, Sequence[float]],
    title: str,
    band: tuple[float, float] = HANDBOOK_RANGE,
) -> Figure:
    """Monthly children per FTE IRO, one line per year, over the shaded IRO Handbook range.

    Parameters
    ----------
    months
        Month labels along the x axis (``Apr`` ... ``Mar``).
    series
        ``{year label: caseload per FTE for each month}`` (NaN where a month has no data).
    title
        Chart title stating the finding (computed by the caller).
    band
        The range to shade (IRO Handbook para 7.15: 50-70 children per full-time IRO).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from analysis.charts import TARGET_COLOUR, line_chart

    low, high = band
    peak = max([high, *(v for s in series.values() for v in s if v == v)])
    fig = line_chart(months, series, title, "Children per FTE IRO", ylim=(0, peak * 1.15))
    ax = fig.axes[0]
    ax.axhspan(low, high, color="#BFBFBF", alpha=0.35, zorder=0, linewidth=0)
    ax.annotate(
        f"IRO Handbook range {low:g}-{high:g}",
        (0, low),
        xytext=(0, 3),
        textcoords="offset points",
        color=TARGET_COLOUR,
        fontsize=8,
    )
    return fig


def caseload_months_in_range(published: pd.DataFrame, period: str) -> tuple[int, int]:
    """Months of ``period`` with a caseload in the IRO Handbook range, and months with data.

    Parameters
    ----------
    published
        The published ``iro_caseload_monthly`` table.
    period
        Label of the period (``2023-24``).

    Returns
    -------
    tuple of int
        ``(months within 50-70 inclusive, months with a caseload figure)``.
    """
    rows = published.loc[published["period"].eq(period), "caseload_per_fte"]
    values = pd.to_numeric(rows, errors="coerce").dropna()
    low, high = HANDBOOK_RANGE
    return int(values.between(low, high).sum()), int(len(values))
