"""Accessibility of the HTML reports and the charts (WCAG 2.2 AA, GSS/Analysis Function colours).

The contrast ratio is computed here from the WCAG 2.2 definition (relative luminance of sRGB), not
taken from the code under test, and checked against published reference values first.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from analysis import charts  # noqa: E402

REPORTS = ("iro-annual", "atv-biannual")


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.2 relative luminance of sRGB channels 0-1."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def hex_rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))


def ratio(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


WHITE = (1.0, 1.0, 1.0)


def test_contrast_formula_matches_published_values():
    assert ratio((0, 0, 0), WHITE) == pytest.approx(21.0)
    assert ratio(WHITE, WHITE) == pytest.approx(1.0)
    # #767676 is the lightest grey with 4.5:1 on white; #777777 just fails (WebAIM, W3C)
    assert ratio(hex_rgb("#767676"), WHITE) == pytest.approx(4.54, abs=0.01)
    assert ratio(hex_rgb("#777777"), WHITE) < 4.5
    # GOV.UK link blue #1D70B8 on white: 5.17:1
    assert ratio(hex_rgb("#1D70B8"), WHITE) == pytest.approx(5.17, abs=0.01)
    # and the package's own function agrees with this one
    assert charts.contrast_ratio("#28A197") == pytest.approx(ratio(hex_rgb("#28A197"), WHITE))


@pytest.mark.parametrize("colour", [*charts.PALETTE, charts.TARGET_COLOUR])
def test_palette_colours_stand_out_from_white(colour):
    """Chart marks need 3:1 against the background (WCAG 1.4.11, non-text contrast)."""
    assert ratio(hex_rgb(colour), WHITE) >= 3.0


@pytest.mark.parametrize("colour", charts.PALETTE)
def test_direct_labels_are_readable_text(colour):
    """A label in a series' colour uses a shade with 4.5:1 (WCAG 1.4.3), keeping its hue."""
    shade = charts.text_colour(colour)
    assert ratio(hex_rgb(shade), WHITE) >= 4.5
    if ratio(hex_rgb(colour), WHITE) >= 4.5:
        assert shade == colour  # dark enough already: unchanged
    red, green, blue = hex_rgb(colour)
    r2, g2, b2 = hex_rgb(shade)
    if max(red, green, blue) > 0:  # same hue: channels scaled by one factor
        factor = max(r2, g2, b2) / max(red, green, blue)
        assert (r2, g2, b2) == pytest.approx(
            (red * factor, green * factor, blue * factor), abs=0.01
        )


def _charts():
    months = ["Apr", "May", "Jun", "Jul"]
    yield charts.line_chart(
        months,
        {"2023-24": [86.1, 85.7, 90.9, 88.0], "2022-23": [89.6, 81.9, 89.0, 87.5]},
        "88.0% of reviews were in time",
        "% in timescale",
        target=95,
    )
    yield charts.grouped_bar_chart(
        ["Darlington", "Hartlepool", "ATV"],
        {
            "This period": [420, 156, 344],
            "Previous year": [432, 372, 350],
            "Same half": [404, 388, 364],
        },
        "A10 was within the threshold",
        "Days",
        reference=426,
        reference_label="Government threshold",
    )
    yield charts.bar_chart(
        ["C2", "C1", "E1"], [371, 84, 13], "Most children are on care orders", "Children"
    )


def test_every_chart_text_and_mark_has_enough_contrast():
    for fig in _charts():
        texts = [
            t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()
        ]
        assert len(texts) >= 5
        for text in texts:
            colour = matplotlib.colors.to_rgb(text.get_color())
            assert ratio(colour, WHITE) >= 4.5, (text.get_text(), to_hex(colour))
        for ax in fig.axes:
            grid = set(ax.get_xgridlines()) | set(ax.get_ygridlines())
            for line in ax.get_lines():
                if line not in grid:
                    assert ratio(matplotlib.colors.to_rgb(line.get_color()), WHITE) >= 3.0
            bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() > 0]
            for bar in bars:
                assert ratio(matplotlib.colors.to_rgb(bar.get_facecolor()), WHITE) >= 3.0
        plt.close(fig)


def test_charts_are_labelled_directly_not_by_legend():
    line, grouped, bar = list(_charts())
    assert line.axes[0].get_legend() is None
    labels = {t.get_text() for t in line.axes[0].texts}
    assert {"2023-24", "2022-23", "Target 95%"} <= labels  # at the line ends and on the target
    assert bar.axes[0].get_legend() is None
    assert {"371", "84", "13"} <= {t.get_text() for t in bar.axes[0].texts}
    # grouped bars: a key above the plot, in the order of the bars, and the threshold labelled
    legend = grouped.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "This period",
        "Previous year",
        "Same half",
    ]
    assert any(
        "Government" in t.get_text() and "426" in t.get_text() for t in grouped.axes[0].texts
    )
    for fig in (line, grouped, bar):
        plt.close(fig)


def test_direct_labels_do_not_overlap_when_lines_end_together():
    fig = charts.line_chart(
        ["Apr", "May"], {"A": [50.0, 60.0], "B": [52.0, 60.3], "C": [40.0, 59.8]}, "t", "%"
    )
    fig.canvas.draw()
    boxes = sorted(
        (t.get_window_extent() for t in fig.axes[0].texts if t.get_text() in "ABC"),
        key=lambda b: b.y0,
    )
    assert len(boxes) == 3
    for lower, upper in zip(boxes, boxes[1:], strict=False):
        assert upper.y0 >= lower.y1 - 0.5  # stacked, not on top of each other
    plt.close(fig)


def test_spread_labels_keeps_order_and_gap():
    assert charts.spread_labels([10.0, 11.0, 30.0], gap=4) == [8.5, 12.5, 30.0]
    assert charts.spread_labels([5.0, 0.0], gap=2) == [5.0, 0.0]  # far apart: unchanged
    assert charts.spread_labels([0.0, 0.0, 0.0], gap=3) == [-3.0, 0.0, 3.0]


# --- the HTML reports ---------------------------------------------------------------------------


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.headings: list[int] = []

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


@pytest.mark.parametrize("report", REPORTS)
def test_language_set_and_headings_in_order(report_builds, report):
    structure = _Structure()
    structure.feed((report_builds[report].out / "index.html").read_text(encoding="utf-8"))
    assert structure.lang == "en-GB"
    levels = structure.headings
    assert levels[0] == 1 and levels.count(1) == 1  # the title is the only h1
    assert len(levels) >= 8
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels  # never skips a level going down


TEXT_COLOURS = """(() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  function background(el) {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  }
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;  // visually hidden text
    out.push({tag: el.tagName, text: el.textContent.trim().slice(0, 40),
              colour: rgb(style.color).slice(0, 3), background: background(el),
              size: parseFloat(style.fontSize), weight: parseInt(style.fontWeight, 10)});
  }
  return out;
})()"""


@pytest.mark.parametrize("report", REPORTS)
def test_every_text_has_enough_contrast_in_the_browser(browser, report_builds, report):
    """Each element's text against its actual background: 4.5:1, or 3:1 for large text."""
    page = browser.new_page()
    try:
        page.goto((report_builds[report].out / "index.html").as_uri())
        items = page.evaluate(TEXT_COLOURS)
    finally:
        page.close()
    assert len(items) > 100
    failures = []
    for item in items:
        large = item["size"] >= 24 or (item["size"] >= 18.66 and item["weight"] >= 700)
        needed = 3.0 if large else 4.5
        value = ratio(
            tuple(c / 255 for c in item["colour"]), tuple(c / 255 for c in item["background"])
        )
        if value < needed:
            failures.append((item["tag"], item["text"], round(value, 2)))
    assert failures == []


@pytest.mark.parametrize("report", REPORTS)
def test_controls_have_names(browser, report_builds, report):
    """Links, buttons and the table filters say what they do to assistive technology."""
    page = browser.new_page()
    try:
        page.goto((report_builds[report].out / "index.html").as_uri())
        unnamed = page.evaluate(
            """Array.from(document.querySelectorAll('a, button, input')).filter(el => {
                if (el.tagName === 'INPUT') return !(el.labels && el.labels.length);
                return !el.textContent.trim() && !el.getAttribute('aria-label'); }).length"""
        )
        skip = page.evaluate("document.querySelector('a.skip-link').getAttribute('href')")
    finally:
        page.close()
    assert unnamed == 0
    assert skip == "#content"
