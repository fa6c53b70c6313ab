"""Display helpers for the notebooks: every output the reports embed goes through here.

Each helper publishes one Jupyter display bundle that both renderers understand:

- tables: ``text/markdown`` (a pipe table with its caption, for pandoc and Quarto), ``text/html``
  (a real HTML table with a fixed id, so nbval sees the same markup on every run) and
  ``text/plain``;
- figures: ``image/png`` with the alt text in the output metadata (``{"alt": ...}``) and a plain
  text fallback naming the figure;
- computed sentences: ``text/markdown``.

The built-in renderer (:mod:`analysis.render`) takes ``text/markdown`` first, then ``image/png``.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence

import matplotlib.figure
import pandas as pd
from IPython.display import display

__all__ = ["format_cell", "markdown_table", "html_table", "show_table", "show_figure", "show_text"]


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


def _is_numeric_column(series: pd.Series) -> bool:
    values = [
        v.item() if hasattr(v, "item") else v
        for v in series
        if v is not None and v == v and v != "c"
    ]
    return bool(values) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    )


def _cells(df: pd.DataFrame, decimals: dict[str, int] | None) -> list[list[str]]:
    decimals = decimals or {}
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


def figure_png(fig: matplotlib.figure.Figure, dpi: int = 144) -> bytes:
    """PNG bytes of ``fig`` with fixed metadata, so the same figure gives the same bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def show_figure(fig: matplotlib.figure.Figure, alt: str, title: str | None = None) -> None:
    """Display a figure as PNG with its alt text in the output metadata, then close it."""
    import matplotlib.pyplot as plt

    png = base64.b64encode(figure_png(fig)).decode("ascii")
    label = title or alt
    display(
        {"image/png": png, "text/plain": f"Figure: {label}"},
        metadata={"image/png": {"alt": alt, "title": label}},
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
