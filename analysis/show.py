"""Display helpers for the notebooks: every output the reports embed goes through here.

Each helper publishes one Jupyter display bundle that both renderers understand:

- tables: ``text/markdown`` (a pipe table with its caption, for pandoc and Quarto), ``text/html``
  (a real HTML table with a fixed id, so nbval sees the same markup on every run) and
  ``text/plain``;
- figures: ``image/png`` with, in the output metadata, the alt text (``alt``), the title that
  states the finding (``title``, which becomes the report's figure caption) and the table behind
  the chart as CSV text (``csv``, offered in the HTML report as a download), and a plain text
  fallback naming the figure;
- computed sentences: ``text/markdown``.

The built-in renderer (:mod:`analysis.render`) takes ``text/markdown`` first, then ``image/png``.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Sequence

import matplotlib.figure
import pandas as pd
from IPython.display import display

__all__ = [
    "figure_csv",
    "format_cell",
    "html_table",
    "markdown_table",
    "show_figure",
    "show_table",
    "show_text",
]

#: Suppressed cell (DfE convention), as written by :func:`analysis.tables.suppress`.
SUPPRESSED = "c"
#: Text of the single row shown for a table without rows.
EMPTY_TABLE = "None"


def format_cell(value: object, decimals: int = 1) -> str:
    """Format a table cell for display: integers as integers, floats to ``decimals`` places.

    Missing values show as an empty cell; suppressed cells (``"c"``) and text pass through.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int) or (
        hasattr(value, "is_integer")
        and isinstance(value, float)
        and value.is_integer()
        and decimals == 0
    ):
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.{decimals}f}"
    if hasattr(value, "item"):  # numpy scalar
        return format_cell(value.item(), decimals)
    return str(value)


#: Text that reads as a number: ``1,296``, ``-3.5``, ``89.0%``, ``0.96 (0.92 to 0.998)``.
_NUMBER_TEXT = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?%?( \([^()]*\))?$")


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(_NUMBER_TEXT.match(value.strip()))


def _is_numeric_column(series: pd.Series) -> bool:
    """True when every value is a number or the suppression mark ``c`` (and one is present).

    Numbers may be written as text with a confidence interval (``0.96 (0.92 to 0.998)``), but
    a text column of codes is not numeric (``"841"``, the LA codes, stay text). Such a column is
    right-aligned, ``c`` cells included; a column suppressed throughout is still numbers.
    """
    present = [
        v.item() if hasattr(v, "item") else v
        for v in series
        if v is not None and v == v and not (isinstance(v, str) and not v.strip())
    ]
    values = [v for v in present if v != SUPPRESSED]
    if present and not values:
        return True
    if not values:
        return False
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return True
    # numbers as text: only with a decimal point, a % or an interval, never bare digits (codes)
    return all(_is_number(v) for v in values) and any(
        isinstance(v, str) and any(mark in v for mark in ".%(") for v in values
    )


def _cells(df: pd.DataFrame, decimals: dict[str, int] | None) -> list[list[str]]:
    """Display text of every cell; a table without rows gets one row reading ``None``."""
    decimals = decimals or {}
    if df.empty and len(df.columns):
        return [[EMPTY_TABLE] + [""] * (len(df.columns) - 1)]
    return [
        [format_cell(v, decimals.get(col, 1)) for col, v in row.items()] for _, row in df.iterrows()
    ]


def markdown_table(
    df: pd.DataFrame, caption: str, table_id: str, decimals: dict[str, int] | None = None
) -> str:
    """Render ``df`` as a pandoc pipe table with a caption and an id (``{#tbl-...}``).

    Numeric columns (suppressed ``c`` cells included) are right-aligned.
    """
    header = [str(c) for c in df.columns]
    numeric = [_is_numeric_column(df[c]) for c in df.columns]
    rule = ["---:" if n else ":---" for n in numeric]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rule) + "|"]
    for cells in _cells(df, decimals):
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines.append("")
    lines.append(f": {caption} {{#{table_id}}}")
    return "\n".join(lines) + "\n"


def html_table(
    df: pd.DataFrame, caption: str, table_id: str, decimals: dict[str, int] | None = None
) -> str:
    """Render ``df`` as an HTML table with a caption, a fixed id and right-aligned numbers."""
    numeric = [_is_numeric_column(df[c]) for c in df.columns]
    head = "".join(
        f'<th scope="col"{" class=num" if n else ""}>{html.escape(str(c))}</th>'
        for c, n in zip(df.columns, numeric, strict=True)
    )
    rows = []
    for cells in _cells(df, decimals):
        tds = "".join(
            f"<td{' class=num' if n else ''}>{html.escape(c)}</td>"
            for c, n in zip(cells, numeric, strict=True)
        )
        rows.append(f"<tr>{tds}</tr>")
    return (
        f'<table id="{html.escape(table_id)}" class="report-table">'
        f"<caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def show_table(
    df: pd.DataFrame, table_id: str, caption: str, decimals: dict[str, int] | None = None
) -> None:
    """Display a table as markdown, HTML and plain text in one bundle."""
    display(
        {
            "text/markdown": markdown_table(df, caption, table_id, decimals),
            "text/html": html_table(df, caption, table_id, decimals),
            "text/plain": f"{caption}\n{df.to_string(index=False)}",
        },
        raw=True,
    )


def figure_png(fig: matplotlib.figure.Figure, dpi: int = 200) -> bytes:
    """PNG bytes of ``fig`` with fixed metadata, so the same figure gives the same bytes.

    200 dpi: a 7-inch chart printed at the 17 cm text width of an A4 page is over 150 dpi, and
    sharp on high-density screens.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def figure_csv(data: pd.DataFrame) -> str:
    """The table behind a chart as CSV text: numbers to 1 decimal place, missing values empty.

    Integers stay integers and text (including the suppression mark ``c``) passes through, so
    the download matches what the chart shows.
    """

    def cell(value: object) -> object:
        if hasattr(value, "item"):  # numpy scalar
            value = value.item()
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return ""
        if isinstance(value, float):
            return int(value) if value.is_integer() else round(value, 1)
        return value

    return data.map(cell).to_csv(index=False, lineterminator="\n")


def _take_title(fig: matplotlib.figure.Figure) -> str:
    """Remove the axes titles from ``fig`` and return the first one (``""`` when none)."""
    titles = []
    for ax in fig.axes:
        for loc in ("left", "center", "right"):
            if ax.get_title(loc=loc):
                titles.append(ax.get_title(loc=loc))
                ax.set_title("", loc=loc)
    return titles[0] if titles else ""


def show_figure(
    fig: matplotlib.figure.Figure,
    alt: str,
    title: str | None = None,
    data: pd.DataFrame | None = None,
) -> None:
    """Display a figure as PNG with its alt text, title and data in the metadata, then close it.

    Parameters
    ----------
    fig
        The chart (see :mod:`analysis.charts`).
    alt
        Alt text: what the chart shows, for readers who cannot see it.
    title
        The finding the chart shows; by default the chart's own title. It is taken out of the
        image and becomes the figure caption in the report, so that it is real text.
    data
        The table behind the chart, offered as a CSV download in the HTML report; by default
        the data the chart was drawn from (:func:`analysis.charts.chart_data`). Pass the
        published (rounded and suppressed) table when the chart shows small numbers.
    """
    import matplotlib.pyplot as plt

    from analysis.charts import chart_data

    chart_title = _take_title(fig)
    label = title or chart_title or alt
    if data is None:
        data = chart_data(fig)
    png = base64.b64encode(figure_png(fig)).decode("ascii")
    metadata = {"alt": alt, "title": label}
    if data is not None:
        metadata["csv"] = figure_csv(data)
    display(
        {"image/png": png, "text/plain": f"Figure: {label}"},
        metadata={"image/png": metadata},
        raw=True,
    )
    plt.close(fig)


def show_text(markdown: str | Sequence[str]) -> None:
    """Display computed prose (markdown); a list of sentences becomes one paragraph each."""
    text = markdown if isinstance(markdown, str) else "\n\n".join(markdown)
    display({"text/markdown": text, "text/plain": text}, raw=True)


DISPLAY_HEADERS = {
    "code": "Code",
    "description": "Description",
    "count": "Number",
    "percent": "%",
    "measure": "Measure",
    "value": "Value",
    "month_end": "Month end",
    "month": "Month",
    "rate_per_10k": "Rate per 10,000",
    "reviews": "Reviews held",
    "in_time": "In timescale",
    "in_time_pct": "% in timescale",
    "icpcs": "ICPCs",
    "within_15_days": "Within 15 days",
    "within_15_days_pct": "% within 15 days",
    "la_code": "LA",
    "period": "Period",
    "table": "Table",
    "rows_in": "Rows read",
    "rows_processed": "Processed",
    "rows_superseded": "Superseded by a later return",
    "rows_quarantined": "Quarantined",
}


def display_frame(
    published: pd.DataFrame,
    describe=None,
    labels: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The reader's view of a published table: code descriptions, measure labels, headers.

    Parameters
    ----------
    published
        The table as written to CSV (rounded and suppressed).
    describe
        Optional callable ``code -> description``; adds a Description column after ``code``.
    labels
        Optional mapping ``measure -> label`` for measure,value tables.
    headers
        Extra column header names (defaults in ``DISPLAY_HEADERS``).
    """
    view = published.copy()
    if describe is not None and "code" in view.columns:
        view.insert(
            view.columns.get_loc("code") + 1, "description", [describe(c) for c in view["code"]]
        )
    if labels and "measure" in view.columns:
        view["measure"] = [labels.get(m, m) for m in view["measure"]]
    names = {**DISPLAY_HEADERS, **(headers or {})}
    return view.rename(columns={c: names.get(c, c) for c in view.columns})


def publish_and_show(
    df: pd.DataFrame,
    table_id: str,
    caption: str,
    tables_dir: str,
    disclosure: str,
    describe=None,
    labels: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Write a catalogue table to ``tables_dir`` and show its reader's view; return it."""
    from analysis.tables import load_catalogue, publish_table

    published = publish_table(df, table_id, tables_dir, disclosure)
    labels = labels or load_catalogue()[table_id].labels
    show_table(
        display_frame(published, describe, labels, headers),
        "tbl-" + table_id.replace("_", "-"),
        caption,
    )
    return published
