"""Charts in the Government Analysis Function style: accessible palette, direct labels.

Colours are the Analysis Function categorical palette (dark blue, turquoise, dark pink, orange),
which keeps adjacent colours distinguishable for common colour-vision deficiencies. Titles state
the finding; the caller supplies them from computed figures.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
TARGET_COLOUR = "#3D3D3D"

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "svg.hashsalt": "csc-reports",
    }
)


def _new(width: float = 7.0, height: float = 3.2) -> tuple[Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=(width, height))
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def line_chart(
    x: Sequence[str],
    series: dict[str, Sequence[float]],
    title: str,
    ylabel: str,
    target: float | None = None,
    target_label: str = "Target",
    ylim: tuple[float, float] | None = None,
) -> Figure:
    """Lines labelled directly at their last point, with an optional dashed target line."""
    fig, ax = _new()
    positions = range(len(x))
    for (name, values), colour in zip(series.items(), PALETTE, strict=False):
        ax.plot(positions, list(values), color=colour, linewidth=2, marker="o", markersize=3)
        last = [v for v in values if v == v]
        if last:
            ax.annotate(
                name,
                (len(x) - 1, list(values)[-1]),
                xytext=(6, 0),
                textcoords="offset points",
                color=colour,
                va="center",
                fontweight="bold",
            )
    if target is not None:
        ax.axhline(target, color=TARGET_COLOUR, linestyle="--", linewidth=1)
        ax.annotate(
            f"{target_label} {target:g}",
            (0, target),
            xytext=(0, 4),
            textcoords="offset points",
            color=TARGET_COLOUR,
            fontsize=8,
        )
    ax.set_xticks(list(positions), list(x), rotation=0, fontsize=8)
    if len(x) > 8:
        for label in ax.get_xticklabels()[1::2]:
            label.set_visible(False)
    ax.set_ylabel(ylabel)
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def bar_chart(
    categories: Sequence[str],
    values: Sequence[float],
    title: str,
    xlabel: str,
    value_format: str = "{:,.0f}",
    reference: float | None = None,
    reference_label: str = "",
) -> Figure:
    """Horizontal bars with the value printed at the end of each bar."""
    height = max(2.2, 0.32 * len(categories) + 0.9)
    fig, ax = _new(height=height)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    pos = list(range(len(categories)))[::-1]
    ax.barh(pos, [0 if v != v else v for v in values], color=PALETTE[0], height=0.6)
    for p, v in zip(pos, values, strict=True):
        text = "n/a" if v != v else value_format.format(v)
        ax.annotate(
            text,
            (0 if v != v else v, p),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    if reference is not None:
        ax.axvline(reference, color=TARGET_COLOUR, linestyle="--", linewidth=1)
        ax.annotate(
            reference_label,
            (reference, max(pos) + 0.45),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=8,
            color=TARGET_COLOUR,
        )
    ax.set_yticks(pos, list(categories))
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def grouped_bar_chart(
    categories: Sequence[str],
    groups: dict[str, Sequence[float]],
    title: str,
    ylabel: str,
    reference: float | None = None,
    reference_label: str = "",
) -> Figure:
    """Vertical grouped bars (one colour per group) with values on the bars and a legend row."""
    fig, ax = _new(height=3.4)
    n = len(groups)
    width = 0.8 / max(n, 1)
    for i, ((name, values), colour) in enumerate(zip(groups.items(), PALETTE, strict=False)):
        xs = [c + (i - (n - 1) / 2) * width for c in range(len(categories))]
        clean = [0 if v != v else v for v in values]
        ax.bar(xs, clean, width=width * 0.95, color=colour, label=name)
        for x, v in zip(xs, values, strict=True):
            ax.annotate(
                "n/a" if v != v else f"{v:,.0f}",
                (x, 0 if v != v else v),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=7,
            )
    if reference is not None:
        label = f"{reference_label} ({reference:g})" if reference_label else f"{reference:g}"
        ax.axhline(reference, color=TARGET_COLOUR, linestyle="--", linewidth=1, label=label)
    wrapped = [textwrap.fill(str(c), 14) for c in categories]
    ax.set_xticks(range(len(categories)), wrapped, fontsize=8)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    entries = n + (reference is not None)
    ax.legend(
        frameon=False, ncols=min(entries, 4), loc="upper left", bbox_to_anchor=(0, -0.2), fontsize=8
    )
    fig.tight_layout()
    return fig
