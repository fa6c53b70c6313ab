"""Charts in the Government Analysis Function style: accessible palette, direct labels.

Colours are the Analysis Function categorical palette (dark blue, turquoise, dark pink, orange,
dark grey, light purple: "Data visualisation: colours", GSS/Analysis Function guidance), whose
adjacent colours stay distinguishable for common colour-vision deficiencies. Every palette colour
has a contrast ratio of at least 3:1 against the white background (WCAG 2.2 success criterion
1.4.11, non-text contrast); text drawn in a series colour uses a darker shade of it with at least
4.5:1 (criterion 1.4.3) from :func:`text_colour`.

Series are labelled directly at the end of their line or bar rather than in a legend; grouped
bars, where direct labels do not fit, get a one-line key above the chart in the order of the bars.

Titles state the finding; the caller supplies them from computed figures. The title is kept on
the figure (axes title) and :func:`analysis.show.show_figure` moves it out of the image into the
report's figure caption, so that it is real text. Every chart keeps the table it was drawn from
(:func:`chart_data`), which the HTML report offers as a CSV download beside the chart.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib
import pandas as pd

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

__all__ = [
    "PALETTE",
    "TARGET_COLOUR",
    "TEXT_COLOUR",
    "bar_chart",
    "chart_data",
    "contrast_ratio",
    "legend_above",
    "grouped_bar_chart",
    "line_chart",
    "relative_luminance",
    "spc_chart",
    "step_chart",
    "text_colour",
]

#: Analysis Function categorical palette, in the order the guidance gives.
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
#: Reference and target lines.
TARGET_COLOUR = "#3D3D3D"
#: Body text (GOV.UK black).
TEXT_COLOUR = "#0B0C0C"
BACKGROUND = "#FFFFFF"
GRID_COLOUR = "#DDDDDD"
#: WCAG 2.2 minimum contrast ratios: normal text (1.4.3) and graphical objects (1.4.11).
TEXT_CONTRAST, GRAPHIC_CONTRAST = 4.5, 3.0
#: Attribute of a Figure holding the table behind it (see :func:`chart_data`).
DATA_ATTRIBUTE = "csc_chart_data"

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "text.color": TEXT_COLOUR,
        "axes.labelcolor": TEXT_COLOUR,
        "axes.edgecolor": TEXT_COLOUR,
        "xtick.color": TEXT_COLOUR,
        "ytick.color": TEXT_COLOUR,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "svg.hashsalt": "csc-reports",
    }
)


def _rgb(colour: str) -> tuple[float, float, float]:
    """``#RRGGBB`` as three floats 0-1."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"colour {colour!r} is not #RRGGBB")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def relative_luminance(colour: str) -> float:
    """Relative luminance of an sRGB colour ``#RRGGBB`` (WCAG 2.2 definition, 0 to 1).

    Each channel is linearised (``c / 12.92`` up to 0.04045, else ``((c + 0.055) / 1.055) **
    2.4``) and weighted 0.2126 R + 0.7152 G + 0.0722 B.
    """
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(colour)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(first: str, second: str = BACKGROUND) -> float:
    """WCAG 2.2 contrast ratio ``(L1 + 0.05) / (L2 + 0.05)`` of two colours, 1 to 21."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(colour: str, background: str = BACKGROUND) -> str:
    """``colour``, darkened in 5% steps until text in it reaches 4.5:1 against ``background``.

    Used for direct labels, so that a label keeps the hue of its series and stays readable.
    """
    red, green, blue = _rgb(colour)
    for step in range(21):
        factor = 1 - 0.05 * step
        shade = "#{:02X}{:02X}{:02X}".format(
            *(round(channel * factor * 255) for channel in (red, green, blue))
        )
        if contrast_ratio(shade, background) >= TEXT_CONTRAST:
            return shade
    return TEXT_COLOUR  # pragma: no cover - black always passes on white


def chart_data(fig: Figure) -> pd.DataFrame | None:
    """The table a chart of this module was drawn from, or ``None`` for another figure."""
    data = getattr(fig, DATA_ATTRIBUTE, None)
    return data.copy() if isinstance(data, pd.DataFrame) else None


def _attach(fig: Figure, data: dict[str, Sequence[object]]) -> None:
    setattr(fig, DATA_ATTRIBUTE, pd.DataFrame({k: list(v) for k, v in data.items()}))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def _new(width: float = 7.0, height: float = 3.2) -> tuple[Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=(width, height))
    ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def legend_above(ax: plt.Axes, ncols: int, fontsize: float = 8, **options: object) -> None:
    """Put the legend in one band above the plot, left-aligned, without a frame (house style).

    ``options`` are passed on to :meth:`matplotlib.axes.Axes.legend` (``handles``,
    ``handlelength`` and so on).
    """
    ax.legend(
        frameon=False,
        ncols=ncols,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        fontsize=fontsize,
        borderaxespad=0.2,
        **options,
    )


def spread_labels(positions: Sequence[float], gap: float) -> list[float]:
    """Move label positions apart so that neighbours are at least ``gap`` apart.

    Labels keep their order; overlapping runs are centred on their mean position (the usual
    direct-labelling adjustment). Positions are in any one unit, e.g. points on the page.
    """
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    groups: list[list[int]] = []
    placed: list[float] = []  # centre of each group
    for i in order:
        groups.append([i])
        placed.append(positions[i])
        while len(groups) > 1:
            a, b = groups[-2], groups[-1]
            top_of_a = placed[-2] + (len(a) - 1) * gap / 2
            bottom_of_b = placed[-1] - (len(b) - 1) * gap / 2
            if bottom_of_b - top_of_a >= gap:
                break
            merged = a + b
            centre = sum(positions[j] for j in merged) / len(merged)
            groups[-2:] = [merged]
            placed[-2:] = [centre]
    out = [0.0] * len(positions)
    for group, centre in zip(groups, placed, strict=True):
        start = centre - (len(group) - 1) * gap / 2
        for k, i in enumerate(group):
            out[i] = start + k * gap
    return out


def line_chart(
    x: Sequence[str],
    series: dict[str, Sequence[float]],
    title: str,
    ylabel: str,
    target: float | None = None,
    target_label: str = "Target",
    ylim: tuple[float, float] | None = None,
    x_name: str = "Period",
) -> Figure:
    """Lines labelled directly at their last point, with an optional dashed target line.

    Parameters
    ----------
    x
        Category labels along the x axis (e.g. months).
    series
        Name -> values, one line each (NaN leaves a gap); the name is the direct label.
    title
        The finding, e.g. "89.0% of CLA reviews were held in timescale".
    ylabel
        Axis label with the unit.
    target, target_label
        Optional dashed horizontal line, labelled ``"{target_label} {target}"`` (with ``%``
        when ``ylabel`` starts with ``%``).
    ylim
        Optional y-axis limits.
    x_name
        Column name of ``x`` in the chart's data table (:func:`chart_data`).
    """
    fig, ax = _new()
    positions = list(range(len(x)))
    ends: list[tuple[str, float, str]] = []
    for (name, values), colour in zip(series.items(), PALETTE, strict=False):
        values = [float("nan") if _missing(v) else float(v) for v in values]
        ax.plot(positions, values, color=colour, linewidth=2, marker="o", markersize=3)
        known = [(p, v) for p, v in zip(positions, values, strict=True) if v == v]
        if known:
            ends.append((name, known[-1][1], colour))
    if target is not None:
        unit = "%" if ylabel.lstrip().startswith("%") else ""
        ax.axhline(target, color=TARGET_COLOUR, linestyle="--", linewidth=1)
        ax.annotate(
            f"{target_label} {target:g}{unit}",
            (0, target),
            xytext=(0, 4),
            textcoords="offset points",
            color=TARGET_COLOUR,
            fontsize=8,
        )
    ax.set_xticks(positions, [str(v) for v in x], rotation=0, fontsize=8)
    if len(x) > 13:
        for label in ax.get_xticklabels()[1::2]:
            label.set_visible(False)
    ax.set_ylabel(ylabel)
    if ylim:
        ax.set_ylim(*ylim)
    # the plot (and a target line) ends just after the last point; the labels sit beyond it
    ax.set_xlim(-0.4, len(x) - 0.6)
    ax.set_title(title)
    fig.tight_layout()
    if ends:  # direct labels at the line ends, moved apart where lines end close together
        to_points = ax.transData.transform
        heights = [to_points((0, value))[1] * 72 / fig.dpi for _, value, _ in ends]
        spread = spread_labels(heights, gap=11)
        for (name, value, colour), height, moved in zip(ends, heights, spread, strict=True):
            ax.annotate(
                name,
                (len(x) - 1, value),
                xytext=(6, moved - height),
                textcoords="offset points",
                color=text_colour(colour),
                va="center",
                fontweight="bold",
            )
    data: dict[str, Sequence[object]] = {x_name: [str(v) for v in x]}
    data.update({name: list(values) for name, values in series.items()})
    if target is not None:
        data[target_label] = [target] * len(x)
    _attach(fig, data)
    return fig


def bar_chart(
    categories: Sequence[str],
    values: Sequence[float],
    title: str,
    xlabel: str,
    value_format: str = "{:,.0f}",
    reference: float | None = None,
    reference_label: str = "",
    category_name: str = "Category",
) -> Figure:
    """Horizontal bars with the value printed at the end of each bar (no legend needed)."""
    height = max(2.2, 0.32 * len(categories) + 0.9)
    fig, ax = _new(height=height)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color=GRID_COLOUR, linewidth=0.6)
    pos = list(range(len(categories)))[::-1]
    clean = [0.0 if _missing(v) else float(v) for v in values]
    ax.barh(pos, clean, color=PALETTE[0], height=0.6)
    for p, v, c in zip(pos, values, clean, strict=True):
        ax.annotate(
            "n/a" if _missing(v) else value_format.format(v),
            (c, p),
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
    ax.set_yticks(pos, [str(c) for c in categories])
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    fig.tight_layout()
    data: dict[str, Sequence[object]] = {category_name: [str(c) for c in categories]}
    data[xlabel] = list(values)
    if reference is not None:
        data[reference_label or "Reference"] = [reference] * len(categories)
    _attach(fig, data)
    return fig


def grouped_bar_chart(
    categories: Sequence[str],
    groups: dict[str, Sequence[float]],
    title: str,
    ylabel: str,
    reference: float | None = None,
    reference_label: str = "",
    category_name: str = "Category",
) -> Figure:
    """Vertical grouped bars (one colour per group) with values on the bars.

    Direct labels do not fit on every bar of a group, so a one-line key sits above the plot, in
    the same order as the bars (Analysis Function guidance on legends); a reference line (e.g. a
    government threshold) is labelled directly at its right-hand end.
    """
    fig, ax = _new(height=3.6)
    n = len(groups)
    width = 0.8 / max(n, 1)
    handles = []
    for i, ((name, values), colour) in enumerate(zip(groups.items(), PALETTE, strict=False)):
        xs = [c + (i - (n - 1) / 2) * width for c in range(len(categories))]
        clean = [0.0 if _missing(v) else float(v) for v in values]
        handles.append(ax.bar(xs, clean, width=width * 0.95, color=colour, label=name))
        for x, v, c in zip(xs, values, clean, strict=True):
            ax.annotate(
                "n/a" if _missing(v) else f"{v:,.0f}",
                (x, c),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=7,
            )
    if reference is not None:
        ax.axhline(reference, color=TARGET_COLOUR, linestyle="--", linewidth=1)
        label = f"{reference:g}"
        if reference_label:  # two short lines beside the plot leave it more width
            label = f"{textwrap.fill(reference_label, 12)}\n{reference:g}"
        ax.annotate(
            label,
            (1, reference),
            xycoords=("axes fraction", "data"),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=TARGET_COLOUR,
        )
    wrapped = [textwrap.fill(str(c), 11, break_long_words=False) for c in categories]
    ax.set_xticks(range(len(categories)), wrapped, fontsize=8)
    ax.set_ylabel(ylabel)
    ax.set_title(title, pad=22)
    legend_above(ax, max(n, 1), handles=handles, handlelength=1.2)
    fig.tight_layout()
    data: dict[str, Sequence[object]] = {category_name: [str(c) for c in categories]}
    data.update({name: list(values) for name, values in groups.items()})
    if reference is not None:
        data[reference_label or "Reference"] = [reference] * len(categories)
    _attach(fig, data)
    return fig


#: Making Data Count point colours and markers (shape as well as colour, for colour-blind
#: readers): improvement blue and up, concern orange and down, common cause grey.
SPC_STYLES = {
    "special cause improvement": ("#12436D", "^"),
    "special cause concern": ("#F46A25", "v"),
    "common cause": ("#6F777B", "o"),
}
#: Process limits and mean lines (GOV.UK dark grey, 7:1 against white).
LIMIT_COLOUR = "#505A5F"
#: Shading of the reporting year on a time series (GOV.UK light grey).
SHADE_COLOUR = "#F3F2F1"


def spc_chart(
    months: Sequence[str],
    values: Sequence[float],
    mean: float,
    lower: float,
    upper: float,
    variation: Sequence[object],
    title: str,
    ylabel: str,
    target: float | None = None,
    bounds: tuple[float, float] | None = (0.0, 100.0),
    highlight_from: int | None = None,
    highlight_label: str = "",
) -> Figure:
    """An XmR chart in the Making Data Count style: points classed as signal or noise.

    Parameters
    ----------
    months
        Labels of the points (e.g. ``Apr-21``), in time order.
    values
        The monthly values (NaN leaves a gap).
    mean, lower, upper
        Centre line and natural process limits (:func:`analysis.stats.spc.xmr_limits`);
        limits beyond ``bounds`` are drawn at the bound.
    variation
        Per point: ``special cause improvement``, ``special cause concern`` or ``common
        cause`` (:func:`analysis.stats.spc.spc_classify`); points are coloured and shaped by it.
    title, ylabel
        The finding, and the axis label with its unit.
    target
        Optional target line.
    bounds
        Natural bounds of the measure (0-100 for a percentage).
    highlight_from, highlight_label
        Shade the points from this position on (the reporting year), labelled at the top.
    """
    fig, ax = _new(height=3.6)
    positions = list(range(len(months)))
    clean = [float("nan") if _missing(v) else float(v) for v in values]
    if bounds is not None:
        lower, upper = max(lower, bounds[0]), min(upper, bounds[1])
    if highlight_from is not None:
        ax.axvspan(highlight_from - 0.5, len(months) - 0.5, color=SHADE_COLOUR, zorder=0)
        if highlight_label:
            ax.annotate(
                highlight_label,
                (highlight_from - 0.4, 0),
                xycoords=("data", "axes fraction"),
                xytext=(0, 3),
                textcoords="offset points",
                va="bottom",
                fontsize=8,
                color=TEXT_COLOUR,
            )
    ax.plot(positions, clean, color=SPC_STYLES["common cause"][0], linewidth=1.2, zorder=2)
    lines = [(mean, "-", f"Mean {mean:.1f}"), (upper, "--", f"Upper limit {upper:.1f}")]
    lines.append((lower, "--", f"Lower limit {lower:.1f}"))
    if target is not None:
        lines.append((target, ":", f"Target {target:g}"))
    for level, style, _ in lines:
        colour = PALETTE[2] if style == ":" else LIMIT_COLOUR
        ax.axhline(level, color=colour, linestyle=style, linewidth=1.3 if style == ":" else 1)
    handles = []
    for kind, (colour, marker) in SPC_STYLES.items():
        xs = [
            p for p, v, c in zip(positions, variation, clean, strict=True) if v == kind and c == c
        ]
        ys = [clean[p] for p in xs]
        handles.append(
            ax.scatter(xs, ys, color=colour, marker=marker, s=30, zorder=3, label=kind.capitalize())
        )
    # every third month labelled, counted back from the last, so the period end is labelled
    shown = [p for p in positions if (len(months) - 1 - p) % 3 == 0]
    ax.set_xticks(shown, [str(months[p]) for p in shown], fontsize=8)
    ax.set_xticks(positions, minor=True)
    floor = min([v for v in clean if v == v] + [lower] + ([target] if target is not None else []))
    top = max([v for v in clean if v == v] + [upper] + ([target] if target is not None else []))
    span = max(top - floor, 1.0)
    low_lim = floor - 0.08 * span
    high_lim = top + 0.08 * span
    if bounds is not None:
        low_lim, high_lim = max(low_lim, bounds[0]), min(high_lim, bounds[1] + 0.04 * span)
    ax.set_ylim(low_lim, high_lim)
    ax.set_xlim(-0.5, len(months) - 0.5)
    ax.set_ylabel(ylabel)
    ax.set_title(title, pad=22)
    legend_above(ax, 3, handles=handles, handletextpad=0.3)
    fig.tight_layout()
    # direct labels of the mean, limits and target at the right-hand end, moved apart
    to_points = ax.transData.transform
    heights = [to_points((0, level))[1] * 72 / fig.dpi for level, _, _ in lines]
    spread = spread_labels(heights, gap=10)
    for (level, style, text), height, moved in zip(lines, heights, spread, strict=True):
        colour = text_colour(PALETTE[2]) if style == ":" else LIMIT_COLOUR
        ax.annotate(
            text,
            (1, level),
            xycoords=("axes fraction", "data"),
            xytext=(4, moved - height),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=colour,
        )
    data: dict[str, Sequence[object]] = {
        "Month": [str(m) for m in months],
        ylabel: clean,
        "Mean": [mean] * len(months),
        "Lower limit": [lower] * len(months),
        "Upper limit": [upper] * len(months),
        "Variation": [str(v) if not _missing(v) else "" for v in variation],
    }
    if target is not None:
        data["Target"] = [target] * len(months)
    _attach(fig, data)
    return fig


def step_chart(
    curves: dict[str, tuple[Sequence[float], Sequence[float]]],
    title: str,
    xlabel: str,
    ylabel: str,
    ylim: tuple[float, float] | None = (0, 100),
    xstep: float = 6,
    marks: dict[float, str] | None = None,
) -> Figure:
    """Step curves (Kaplan-Meier survival or cumulative incidence), one per cohort.

    Parameters
    ----------
    curves
        Cohort -> (times, values): the curve steps to ``values[i]`` at ``times[i]``; the first
        point is the start (e.g. time 0, 100%). Each curve is labelled directly at its end.
    title, xlabel, ylabel
        The finding and the axis labels with their units.
    ylim
        Y-axis limits; ``None``: from 0 to the next multiple of 10 above the highest value.
    xstep
        Spacing of the x-axis ticks (6: every 6 months).
    marks
        Optional vertical reference lines, ``x -> label`` (e.g. ``{15: "15 months"}``).
    """
    fig, ax = _new(height=3.6)
    ends: list[tuple[str, float, float, str]] = []
    rows: dict[str, list[object]] = {"Cohort": [], xlabel: [], ylabel: []}
    for (name, (times, values)), colour in zip(curves.items(), PALETTE, strict=False):
        times, values = list(times), list(values)
        if not times:
            continue
        ax.step(times, values, where="post", color=colour, linewidth=2)
        ends.append((name, float(times[-1]), float(values[-1]), colour))
        rows["Cohort"] += [name] * len(times)
        rows[xlabel] += times
        rows[ylabel] += values
    for x, text in (marks or {}).items():
        ax.axvline(x, color=TARGET_COLOUR, linestyle=":", linewidth=1)
        ax.annotate(
            text,
            (x, 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, -2),
            textcoords="offset points",
            va="top",
            fontsize=8,
            color=TARGET_COLOUR,
        )
    from matplotlib.ticker import MultipleLocator

    ax.xaxis.set_major_locator(MultipleLocator(xstep))
    ax.set_xlim(left=0)
    if ylim is None:
        highest = max([float(v) for v in rows[ylabel]] or [0.0])
        ylim = (0, min(100, 10 * (int(highest // 10) + 1)))
    ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.tight_layout()
    if ends:
        to_points = ax.transData.transform
        heights = [to_points((0, value))[1] * 72 / fig.dpi for _, _, value, _ in ends]
        spread = spread_labels(heights, gap=11)
        for (name, x, value, colour), height, moved in zip(ends, heights, spread, strict=True):
            ax.annotate(
                name,
                (x, value),
                xytext=(5, moved - height),
                textcoords="offset points",
                color=text_colour(colour),
                va="center",
                fontsize=8,
                fontweight="bold",
            )
    _attach(fig, rows)
    return fig
