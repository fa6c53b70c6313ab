"""Chart of disproportionality ratios with their intervals (house style of :mod:`analysis.charts`).

One row per group: a dot at the ratio, a line across its 95% interval, a dashed line at 1
("in proportion to the population"), the ratio and interval printed at the right. Groups whose
ratio is suppressed (fewer than 6 children) are listed without a dot.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis.charts import DATA_ATTRIBUTE, GRID_COLOUR, PALETTE, TARGET_COLOUR, text_colour
from analysis.population.disproportionality import format_ratio

__all__ = ["ratio_chart"]


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


def ratio_chart(
    labels: Sequence[str],
    ratio: Sequence[object],
    lower: Sequence[object],
    upper: Sequence[object],
    title: str,
    xlabel: str = "Share of children / share of population (1 = in proportion)",
) -> Figure:
    """Dot-and-interval chart of disproportionality ratios, groups top to bottom.

    Parameters
    ----------
    labels
        Group names, in display order (top first).
    ratio, lower, upper
        Ratio and 95% interval bounds per group; ``"c"`` (suppressed) or NaN draws no dot and
        prints "suppressed" / "n/a".
    title
        The finding the chart shows.
    xlabel
        Axis label.
    """
    values = [_number(v) for v in ratio]
    lows = [_number(v) for v in lower]
    highs = [_number(v) for v in upper]
    height = max(2.0, 0.34 * len(labels) + 1.0)
    fig, ax = plt.subplots(figsize=(7.0, height))
    ax.grid(axis="x", color=GRID_COLOUR, linewidth=0.6)
    ax.set_axisbelow(True)
    positions = list(range(len(labels)))[::-1]
    colour = PALETTE[0]
    for p, v, lo, hi, raw in zip(positions, values, lows, highs, ratio, strict=True):
        if v == v:
            ax.plot([lo, hi], [p, p], color=colour, linewidth=2, solid_capstyle="butt")
            ax.plot([v], [p], "o", color=colour, markersize=6)
            text = f"{format_ratio(v)} ({format_ratio(lo)} to {format_ratio(hi)})"
        else:
            text = "suppressed (small numbers)" if raw == "c" else "n/a"
        ax.annotate(
            text,
            (1, p),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=text_colour(colour),
        )
    ax.axvline(1, color=TARGET_COLOUR, linestyle="--", linewidth=1)
    finite = [x for x in (*highs, *values) if x == x]
    ax.set_xlim(0, max([1.5, *finite]) * 1.05)
    ax.set_yticks(positions, [str(label) for label in labels])
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    fig.tight_layout()
    setattr(
        fig,
        DATA_ATTRIBUTE,
        pd.DataFrame(
            {
                "Group": list(labels),
                "Ratio": list(ratio),
                "Lower 95%": list(lower),
                "Upper 95%": list(upper),
            }
        ),
    )
    return fig
