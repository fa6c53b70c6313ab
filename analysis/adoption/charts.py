"""Charts of the ATV report, in the house style of :mod:`analysis.charts` (GSS palette).

Every chart is drawn from published (rounded and suppressed) figures: a suppressed count is
drawn as no bar with a ``c`` label, a missing figure as ``x``, so a chart never shows more than
its table.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.charts import PALETTE, TARGET_COLOUR, legend_above, plt
from analysis.tables import SUPPRESSED

__all__ = ["funnel_chart", "grouped_chart", "spread_chart", "timeliness_chart"]

GRID = "#DDDDDD"
ENGLAND_COLOUR = "#3D3D3D"


def _axes(width: float = 7.0, height: float = 3.4) -> tuple[Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=(width, height))
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _number(value: object) -> float | None:
    """A drawable number, or None for a suppressed or missing value."""
    if value is None or (isinstance(value, str)):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number


def _label(value: object, fmt: str) -> str:
    if isinstance(value, str) and value == SUPPRESSED:
        return SUPPRESSED
    number = _number(value)
    return "x" if number is None else fmt.format(number)


def grouped_chart(
    categories: Sequence[str],
    groups: Mapping[str, Sequence[object]],
    title: str,
    ylabel: str,
    value_format: str = "{:,.0f}",
    reference: float | None = None,
    reference_label: str = "",
    height: float = 3.4,
) -> Figure:
    """Vertical grouped bars, one colour per group, each bar labelled with its published value.

    A suppressed value (``c``) has no bar and reads ``c``; a missing value reads ``x``.
    """
    fig, ax = _axes(height=height)
    n = len(groups)
    width = 0.8 / max(n, 1)
    for i, ((name, values), colour) in enumerate(zip(groups.items(), PALETTE, strict=False)):
        xs = [c + (i - (n - 1) / 2) * width for c in range(len(categories))]
        heights = [_number(v) or 0.0 for v in values]
        ax.bar(xs, heights, width=width * 0.95, color=colour, label=name)
        for x, v, h in zip(xs, values, heights, strict=True):
            ax.annotate(
                _label(v, value_format),
                (x, h),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=6.5 if n * len(categories) > 20 else 7,
            )
    if reference is not None:
        label = f"{reference_label} ({reference:g})" if reference_label else f"{reference:g}"
        ax.axhline(reference, color=TARGET_COLOUR, linestyle="--", linewidth=1, label=label)
    if ax.get_ylim()[1] < 5:  # nothing to draw but zeros and suppressed cells
        ax.set_ylim(0, 5)
    wrapped = [textwrap.fill(str(c), 14) for c in categories]
    ax.set_xticks(range(len(categories)), wrapped, fontsize=8)
    ax.set_ylabel(ylabel)
    ax.set_title(textwrap.fill(title, 90))
    entries = n + (reference is not None)
    legend_above(ax, min(entries, 5), handlelength=1.2)
    fig.tight_layout()
    return fig


def timeliness_chart(
    cohorts: Sequence[str],
    values: Sequence[object],
    england: Sequence[tuple[float | None, str]],
    threshold: float,
    title: str,
    ylabel: str = "Average days",
) -> Figure:
    """The agency's A10 or A2 per cohort as bars, with England markers and the threshold.

    Parameters
    ----------
    cohorts
        Cohort labels (x axis).
    values
        Published mean days per cohort (``c``/NaN drawn as no bar).
    england
        ``(days, source)`` per cohort: source ``ASGLB`` (the scorecard measure, filled
        diamond) or ``DfE`` (nearest published stage, open circle); None when not published.
    threshold
        Government threshold (dashed line).
    title
        Chart title (computed by the caller).
    """
    fig, ax = _axes(height=3.3)
    xs = np.arange(len(cohorts))
    heights = [_number(v) or 0.0 for v in values]
    ax.bar(xs, heights, width=0.55, color=PALETTE[0], label="Adoption Tees Valley")
    for x, v, h in zip(xs, values, heights, strict=True):
        ax.annotate(
            _label(v, "{:,.0f}"),
            (x, h),
            xytext=(0, -3 if h > 60 else 2),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            color="white" if h > 60 else "black",
            va="top" if h > 60 else "bottom",
        )
    handles = [Patch(color=PALETTE[0], label="Adoption Tees Valley")]
    seen = set()
    for x, (days, source) in zip(xs, england, strict=True):
        if days is None or np.isnan(days):
            continue
        marker = "D" if source == "ASGLB" else "o"
        face = ENGLAND_COLOUR if source == "ASGLB" else "white"
        ax.plot([x + 0.33], [days], marker=marker, markersize=6, color=ENGLAND_COLOUR, mfc=face)
        ax.annotate(
            f"{days:,.0f}",
            (x + 0.33, days),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
            color=ENGLAND_COLOUR,
        )
        seen.add(source)
    if "ASGLB" in seen:
        handles.append(
            Line2D(
                [],
                [],
                marker="D",
                color=ENGLAND_COLOUR,
                mfc=ENGLAND_COLOUR,
                ls="",
                label="England, ASGLB scorecard",
            )
        )
    if "DfE" in seen:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                color=ENGLAND_COLOUR,
                mfc="white",
                ls="",
                label="England, DfE nearest published stage",
            )
        )
    ax.axhline(threshold, color=TARGET_COLOUR, linestyle="--", linewidth=1)
    handles.append(
        Line2D([], [], color=TARGET_COLOUR, ls="--", label=f"Government threshold ({threshold:g})")
    )
    ax.set_xticks(xs, [textwrap.fill(c, 12) for c in cohorts], fontsize=8)
    ax.set_xlim(-0.5, len(cohorts) - 0.3)
    ax.set_ylabel(ylabel)
    ax.set_title(textwrap.fill(title, 90))
    legend_above(ax, 2, handles=handles)
    fig.tight_layout()
    return fig


def spread_chart(
    groups: Sequence[tuple[str, Sequence[float], Mapping[str, object] | None, str]],
    threshold: float,
    title: str,
    xlabel: str = "Days",
) -> Figure:
    """One row per area: a dot per child, the interquartile box, the median and the mean.

    Parameters
    ----------
    groups
        ``(name, child values, summary, note)`` per row, top to bottom; ``summary`` holds the
        published ``children``, ``mean_days``, ``median_days``, ``lower_quartile_days``,
        ``upper_quartile_days``, or is None when the row has nothing to show (suppressed, or no
        child): the row then shows ``note`` and no dots. Dots carry no identifier; their
        vertical offsets are fixed by rank, so the chart is the same on every run.
    threshold
        Government threshold (dashed vertical line).
    """
    height = max(2.4, 0.55 * len(groups) + 1.2)
    fig, ax = plt.subplots(figsize=(7.0, height))
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ys = list(range(len(groups)))[::-1]
    for y, (_name, values, summary, note) in zip(ys, groups, strict=True):
        if summary is None:
            ax.annotate(
                note,
                (0, y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                color="#555555",
            )
            continue
        q1, q3 = (
            _number(summary.get("lower_quartile_days")),
            _number(summary.get("upper_quartile_days")),
        )
        if q1 is not None and q3 is not None:
            ax.add_patch(
                plt.Rectangle((q1, y - 0.28), q3 - q1, 0.56, color="#D6E4F0", zorder=1, lw=0)
            )
        median = _number(summary.get("median_days"))
        if median is not None:
            ax.plot([median, median], [y - 0.28, y + 0.28], color=PALETTE[0], lw=2, zorder=3)
        v = np.sort(np.asarray([x for x in values if x == x], dtype="float64"))
        offsets = ((np.arange(len(v)) % 5) - 2) * 0.07
        ax.scatter(v, y + offsets, s=12, color=PALETTE[1], alpha=0.85, zorder=2, lw=0)
        mean = _number(summary.get("mean_days"))
        if mean is not None:
            ax.plot([mean], [y], marker="D", color=PALETTE[2], markersize=5, zorder=4)
    ax.axvline(threshold, color=TARGET_COLOUR, linestyle="--", linewidth=1)
    ax.set_yticks(ys, [str(group[0]) for group in groups], fontsize=8)
    ax.set_ylim(-0.7, len(groups) - 0.3)
    ax.set_xlim(left=0)
    ax.set_xlabel(xlabel)
    ax.set_title(textwrap.fill(title, 90))
    handles = [
        Line2D([], [], marker="o", color=PALETTE[1], ls="", markersize=4, label="One child"),
        Patch(color="#D6E4F0", label="Middle half (quartiles)"),
        Line2D([], [], color=PALETTE[0], lw=2, label="Median"),
        Line2D([], [], marker="D", color=PALETTE[2], ls="", markersize=5, label="Mean"),
        Line2D([], [], color=TARGET_COLOUR, ls="--", label=f"Threshold ({threshold:g})"),
    ]
    legend_above(ax, 5, fontsize=7.5, handles=handles, handlelength=1.2)
    fig.tight_layout()
    return fig


def funnel_chart(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    target_pct: float,
    title: str,
    target_label: str = "England",
) -> Figure:
    """Funnel plot: each council's percentage against its number of children, with limits.

    Parameters
    ----------
    points
        Columns ``name``, ``n`` (children ceasing care), ``pct`` (percentage adopted); rows
        with a suppressed or missing figure are not drawn.
    limits
        Output of :func:`analysis.adoption.funnel.funnel_limits` over a grid of ``n``.
    target_pct
        The target percentage (England).
    """
    fig, ax = _axes(height=3.6)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    n = limits["n"]
    ax.plot(n, limits["upper_99_8"], color=TARGET_COLOUR, lw=1, ls="--", label="99.8% limits")
    ax.plot(n, limits["lower_99_8"], color=TARGET_COLOUR, lw=1, ls="--")
    ax.plot(n, limits["upper_95"], color=TARGET_COLOUR, lw=1, ls=":", label="95% limits")
    ax.plot(n, limits["lower_95"], color=TARGET_COLOUR, lw=1, ls=":")
    ax.axhline(target_pct, color=PALETTE[2], lw=1.2, label=f"{target_label} ({target_pct:.1f}%)")
    drawn = points.assign(
        n=pd.to_numeric(points["n"], errors="coerce"),
        pct=pd.to_numeric(points["pct"], errors="coerce"),
    ).dropna(subset=["n", "pct"])
    ax.scatter(drawn["n"], drawn["pct"], s=28, color=PALETTE[0], zorder=3, label="Council")
    for _, row in drawn.iterrows():
        ax.annotate(
            row["name"],
            (row["n"], row["pct"]),
            xytext=(5, 3),
            textcoords="offset points",
            fontsize=8,
        )
    ax.set_xlim(0, float(n.max()))
    top = max(
        float(limits["upper_99_8"].iloc[max(len(limits) // 20, 0)]),
        float(drawn["pct"].max()) + 3 if len(drawn) else 0.0,
    )
    ax.set_ylim(0, min(100.0, top))
    ax.set_xlabel("Children ceasing to be looked after in the 12 months")
    ax.set_ylabel("% adopted")
    ax.set_title(textwrap.fill(title, 90))
    legend_above(ax, 4)
    fig.tight_layout()
    return fig
