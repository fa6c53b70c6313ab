"""Tests of the report renderer (analysis.render): shortcodes, the three outputs, Quarto branch."""

from __future__ import annotations

import base64
import html
import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import render  # noqa: E402
from analysis.errors import UserFacingError  # noqa: E402
from analysis.render import RenderError, render_report, resolve_shortcodes  # noqa: E402
from analysis.show import figure_png, html_table, markdown_table  # noqa: E402

CAPTION = "Children looked after at 31 March, by legal status"
ALT = "Bar chart: 120 children looked after in 2023 and 134 in 2024."
FIG_TITLE = "Children looked after at 31 March, 2023 and 2024"
PROSE = "The number of children looked after rose from 120 to 134 (an increase of 11.7%)."
BANNER = "Synthetic data — not real children's records"
TABLE = pd.DataFrame(
    {
        "Legal status": ["Care order (C2)", "Voluntary (V2)", "Placement order (E1)"],
        "2023": [80, 25, 15],
        "2024": [91, 27, 16],
    }
)

QMD = """---
title: IRO annual report
subtitle: "{{< meta period_label >}}"
owner: Head of Service
---

# Introduction

This report covers {{< meta report.la_name >}} for {{< meta period_label >}}.
It is presented by the {{< meta owner >}}.

::: {.callout-note}
## About the data
All figures are computed from the statutory returns.
:::

# Children looked after

{{< embed 10_cla.ipynb#cla-summary-text >}}

{{< embed 10_cla.ipynb#tbl-cla-legal-status >}}

@tbl-cla-legal-status shows the legal status; @fig-cla-trend shows the trend.

{{< embed 10_cla.ipynb#fig-cla-trend >}}
"""

META = {
    "title": "Independent Reviewing Officer annual report",
    "la_name": "Exampleshire",
    "report": {"la_name": "Exampleshire County Council"},
    "period_label": "2023-24",
    "data_as_at": "31 March 2024",
    "report_of": "Head of Review and Development",
    "submitted_to": "Corporate Parenting Board",
    "date": "10 July 2024",
}


def _png() -> bytes:
    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.bar(["2023", "2024"], [120, 134], color="#12436D")
    ax.set_title(FIG_TITLE)
    png = figure_png(fig, dpi=72)
    plt.close(fig)
    return png


def _code_cell(source: str, outputs: list[dict]) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


def _display(data: dict, metadata: dict | None = None) -> dict:
    return {"output_type": "display_data", "data": data, "metadata": metadata or {}}


def write_notebook(folder: Path, name: str = "10_cla.ipynb", extra_cells: tuple = ()) -> Path:
    """A small executed notebook with a prose, a table and a figure cell, all labelled."""
    table_bundle = {
        "text/markdown": markdown_table(TABLE, CAPTION, "tbl-cla-legal-status"),
        "text/html": html_table(TABLE, CAPTION, "tbl-cla-legal-status"),
        "text/plain": TABLE.to_string(),
    }
    png = base64.b64encode(_png()).decode("ascii")
    cells = [
        nbformat.v4.new_code_cell("# Parameters\nla_codes = ['999']"),
        _code_cell(
            "#| label: cla-summary-text\nshow_text(sentences)",
            [
                {"output_type": "stream", "name": "stdout", "text": "debug print\n"},
                _display({"text/markdown": PROSE, "text/plain": PROSE}),
            ],
        ),
        _code_cell(
            "#| label: tbl-cla-legal-status\nshow_table(df, 'tbl-cla-legal-status', c)",
            [_display(table_bundle)],
        ),
        _code_cell(
            "#| label: fig-cla-trend\n#| fig-cap: " + FIG_TITLE + "\nshow_figure(fig)",
            [
                _display(
                    {"image/png": png, "text/plain": "Figure"},
                    {"image/png": {"alt": ALT, "title": FIG_TITLE}},
                ),
                {
                    "output_type": "execute_result",
                    "execution_count": 3,
                    "data": {"text/plain": "<Axes: >"},
                    "metadata": {},
                },
            ],
        ),
        *extra_cells,
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    nbformat.write(notebook, path)
    return path


@pytest.fixture()
def report(tmp_path: Path) -> tuple[Path, Path]:
    notebooks = tmp_path / "executed"
    write_notebook(notebooks)
    qmd = tmp_path / "report.qmd"
    qmd.write_text(QMD, encoding="utf-8")
    return qmd, notebooks


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img":
            self.images.append(values)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]


def _parse(markup: str) -> _Attributes:
    parser = _Attributes()
    parser.feed(markup)
    return parser


def _visible_text(path: Path) -> str:
    page = re.sub(r"<style.*?</style>", " ", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


# --- resolve_shortcodes -------------------------------------------------------------------------


def test_meta_shortcode_resolves_dotted_keys_then_front_matter(tmp_path: Path) -> None:
    text = (
        "---\ntitle: T\nowner: Head of Service\nnested:\n  deep: from front\n---\n"
        "{{< meta report.la_name >}}|{{< meta owner >}}|{{< meta nested.deep >}}|"
        "{{< meta period_label >}}"
    )
    out = resolve_shortcodes(text, tmp_path, META, tmp_path / "_files")
    assert out.endswith("Exampleshire County Council|Head of Service|from front|2023-24")


def test_meta_shortcode_literal_dotted_key_and_dates(tmp_path: Path) -> None:
    import datetime as dt

    meta = {
        "report.la_name": "Flat key",
        "as_at": dt.date(2024, 3, 31),
        "synthetic": True,
        "la_codes": ["807", "808"],
        "report": {"la_name": "Nested"},
    }
    out = resolve_shortcodes(
        "{{< meta report.la_name >}}; {{< meta as_at >}}; "
        "{{< meta synthetic >}}; {{< meta la_codes >}}; {{{< meta as_at >}}}",
        tmp_path,
        meta,
        tmp_path / "_files",
    )
    assert out == "Flat key; 31 March 2024; true; 807, 808; {{< meta as_at >}}"
    with pytest.raises(RenderError, match="report"):
        resolve_shortcodes("{{< meta report >}}", tmp_path, meta, tmp_path / "_files")


def test_missing_meta_key_is_a_user_facing_error(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="no_such_key"):
        resolve_shortcodes(
            "{{< meta no_such_key >}}", tmp_path, META, tmp_path / "_files", source="report.qmd"
        )


def test_embed_inserts_markdown_and_figure_in_order(
    report: tuple[Path, Path], tmp_path: Path
) -> None:
    qmd, notebooks = report
    files = tmp_path / "out" / "_files"
    out = resolve_shortcodes(qmd.read_text(), notebooks, META, files)
    assert "{{<" not in out
    assert "debug print" not in out and "<Axes" not in out  # streams and text/plain skipped
    assert out.index(PROSE) < out.index(f": {CAPTION} {{#tbl-cla-legal-status}}")
    assert "| Care order (C2) |" in out
    image = re.search(r"!\[(?P<cap>[^\]]*)\]\((?P<src>[^)]*)\)\{(?P<attrs>[^}]*)\}", out)
    assert image is not None
    assert image["cap"] == FIG_TITLE
    assert image["src"] == "_files/10_cla-fig-cla-trend.png"
    assert "#fig-cla-trend" in image["attrs"]
    assert f'fig-alt="{ALT}"' in image["attrs"]
    assert (files / "10_cla-fig-cla-trend.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'subtitle: "2023-24"' in out  # shortcodes in the front matter resolve too


def test_embed_missing_label_names_qmd_notebook_and_label(
    report: tuple[Path, Path], tmp_path: Path
) -> None:
    _, notebooks = report
    with pytest.raises(RenderError) as caught:
        resolve_shortcodes(
            "{{< embed 10_cla.ipynb#tbl-not-there >}}",
            notebooks,
            META,
            tmp_path / "_files",
            source="reports/iro/index.qmd",
        )
    message = str(caught.value)
    assert isinstance(caught.value, UserFacingError)
    assert "tbl-not-there" in message and "10_cla.ipynb" in message
    assert "reports/iro/index.qmd" in message


def test_embed_missing_notebook_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"20_cp\.ipynb.*not found"):
        resolve_shortcodes(
            "{{< embed 20_cp.ipynb#tbl-cp >}}",
            tmp_path,
            META,
            tmp_path / "_files",
            source="index.qmd",
        )


def test_embed_error_output_raises(tmp_path: Path) -> None:
    failed = _code_cell(
        "#| label: tbl-broken\n1/0",
        [
            {
                "output_type": "error",
                "ename": "ZeroDivisionError",
                "evalue": "division by zero",
                "traceback": [],
            }
        ],
    )
    notebooks = tmp_path / "nb"
    write_notebook(notebooks, extra_cells=(failed,))
    with pytest.raises(
        RenderError,
        match=r"index\.qmd.*10_cla\.ipynb.*tbl-broken.*"
        r"ZeroDivisionError",
    ):
        resolve_shortcodes(
            "{{< embed 10_cla.ipynb#tbl-broken >}}",
            notebooks,
            META,
            tmp_path / "_files",
            source="index.qmd",
        )


def test_embed_cell_with_only_plain_text_raises(tmp_path: Path) -> None:
    plain = _code_cell(
        "#| label: tbl-plain\ndf",
        [
            {
                "output_type": "execute_result",
                "execution_count": 1,
                "metadata": {},
                "data": {"text/plain": "a table"},
            }
        ],
    )
    notebooks = tmp_path / "nb"
    write_notebook(notebooks, extra_cells=(plain,))
    with pytest.raises(RenderError, match="tbl-plain.*no markdown or PNG output"):
        resolve_shortcodes(
            "{{< embed 10_cla.ipynb#tbl-plain >}}", notebooks, META, tmp_path / "_files"
        )


def test_pagebreak_shortcode_gives_raw_breaks(tmp_path: Path) -> None:
    out = resolve_shortcodes("a\n\n{{< pagebreak >}}\n\nb", tmp_path, META, tmp_path / "_files")
    assert "#pagebreak()" in out and '<w:br w:type="page"/>' in out


def test_unknown_shortcode_raises(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="video"):
        resolve_shortcodes("{{< video clip.mp4 >}}", tmp_path, META, tmp_path / "_files")


# --- the three outputs ----------------------------------------------------------------------------


@pytest.fixture()
def rendered(report: tuple[Path, Path], tmp_path: Path) -> dict[str, Path]:
    qmd, notebooks = report
    return render_report(
        qmd, notebooks, tmp_path / "out", {**META, "synthetic": True}, use_quarto=False
    )


def test_render_returns_the_three_outputs(rendered: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert rendered == {
        "html": out / "index.html",
        "pdf": out / "report.pdf",
        "docx": out / "report.docx",
    }
    assert all(path.is_file() for path in rendered.values())


def test_html_has_table_figure_banner_and_header(rendered: dict[str, Path]) -> None:
    page = rendered["html"].read_text(encoding="utf-8")
    text = _visible_text(rendered["html"])
    assert '<html lang="en-GB">' in page
    assert f"Table 1: {CAPTION}" in text
    assert "Care order (C2)" in text and ">91<" in page
    assert re.search(r'<td style="text-align: right;">\s*91\s*</td>', page)
    assert PROSE in text
    assert BANNER in text
    assert text.index(BANNER) < text.index("Local authority: Exampleshire")  # at the top
    for item in ("Exampleshire", "2023-24", "31 March 2024"):
        assert item in text
    assert "Exampleshire County Council" in text  # dotted meta key in the body
    assert "Head of Service" in text  # meta from the front matter
    assert f"Figure 1: {FIG_TITLE}" in text
    assert 'href="#tbl-cla-legal-status">Table 1</a>' in page  # cross-reference
    assert 'class="callout callout-note"' in page and "About the data" in text
    images = _parse(page).images
    assert len(images) == 1
    assert images[0]["alt"] == ALT
    assert (images[0]["src"] or "").startswith("data:image/png;base64,")


def test_html_is_self_contained(rendered: dict[str, Path]) -> None:
    urls = _parse(rendered["html"].read_text(encoding="utf-8")).urls
    assert urls  # the parser did see the attributes
    assert not [u for u in urls if "http://" in u or "https://" in u]
    assert "<script" not in rendered["html"].read_text(encoding="utf-8")


def test_no_banner_when_not_synthetic(report: tuple[Path, Path], tmp_path: Path) -> None:
    qmd, notebooks = report
    out = render_report(
        qmd,
        notebooks,
        tmp_path / "real",
        {**META, "synthetic": False},
        formats=("html", "docx"),
        use_quarto=False,
    )
    assert set(out) == {"html", "docx"}
    assert "Synthetic data" not in out["html"].read_text(encoding="utf-8")
    assert "Synthetic data" not in _docx_text(out["docx"])
    assert not (tmp_path / "real" / "report.pdf").exists()


def test_pdf_is_a_pdf_with_pages(rendered: dict[str, Path]) -> None:
    data = rendered["pdf"].read_bytes()
    assert data.startswith(b"%PDF")
    try:
        from pypdf import PdfReader
    except ImportError:
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    else:
        pages = len(PdfReader(rendered["pdf"]).pages)
    assert pages >= 2  # title page + contents and body


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    return html.unescape("".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", document)))


def test_pdf_tables_fill_the_width_with_wrapping_text_columns(
    report: tuple[Path, Path], tmp_path: Path
) -> None:
    qmd, notebooks = report
    long_table = (
        "| Measure | Commentary | 2022-23 | 2023-24 |\n|:---|:---|---:|---:|\n"
        "| Reviews held within statutory timescales (20 working days, then 3 and 6 months) "
        "| Performance improved after two more IROs were recruited in the autumn of the year "
        "| 88.4 | 93.7 |\n\n: IRO measures {#tbl-measures}\n"
    )
    qmd.write_text(QMD + "\n" + long_table, encoding="utf-8")
    render_report(qmd, notebooks, tmp_path / "out", META, formats=("pdf",), use_quarto=False)
    typst_source = (tmp_path / "out" / "_files" / "report.typ").read_text(encoding="utf-8")
    widths = re.findall(r"columns: \(([\d.]+)%, ([\d.]+)%, ([\d.]+)%, ([\d.]+)%\)", typst_source)
    assert len(widths) == 1
    measure, commentary, first, second = map(float, widths[0])
    assert sum((measure, commentary, first, second)) == pytest.approx(100, abs=0.1)
    assert measure > 2 * first and commentary > 2 * second  # text wraps, numbers stay narrow
    assert 'alt: "' + ALT + '"' in typst_source  # alt text reaches the tagged PDF


def test_docx_is_a_word_document_with_caption_and_banner(rendered: dict[str, Path]) -> None:
    assert zipfile.is_zipfile(rendered["docx"])
    text = _docx_text(rendered["docx"])
    assert CAPTION in text
    assert "Care order (C2)" in text
    assert text.index(BANNER) < text.index("Contents") < text.index(CAPTION)
    assert "Corporate Parenting Board" in text
    with zipfile.ZipFile(rendered["docx"]) as archive:
        assert "word/media/" in " ".join(archive.namelist())
        assert 'w:styleId="Callout"' in archive.read("word/styles.xml").decode("utf-8")
        assert '<w:pStyle w:val="Callout" />' in archive.read("word/document.xml").decode()
        properties = archive.read("docProps/custom.xml").decode("utf-8")
    assert "Exampleshire County Council" not in properties  # run metadata beyond the page
    assert 'name="la_name"' in properties


def test_docx_uses_given_reference_doc(report: tuple[Path, Path], tmp_path: Path) -> None:
    qmd, notebooks = report
    first = render_report(qmd, notebooks, tmp_path / "a", META, formats=("docx",), use_quarto=False)
    out = render_report(
        qmd,
        notebooks,
        tmp_path / "b",
        META,
        formats=("docx",),
        reference_docx=tmp_path / "a" / "_files" / "house-reference.docx",
        use_quarto=False,
    )
    assert first["docx"].exists() and out["docx"].exists()
    with pytest.raises(RenderError, match="reference document"):
        render_report(
            qmd,
            notebooks,
            tmp_path / "c",
            META,
            formats=("docx",),
            reference_docx=tmp_path / "missing.docx",
            use_quarto=False,
        )


def test_render_missing_label_is_user_facing(report: tuple[Path, Path], tmp_path: Path) -> None:
    qmd, notebooks = report
    qmd.write_text(QMD + "\n{{< embed 10_cla.ipynb#fig-missing >}}\n", encoding="utf-8")
    with pytest.raises(UserFacingError, match=r"report\.qmd.*fig-missing"):
        render_report(qmd, notebooks, tmp_path / "out", META, use_quarto=False)


def test_bad_cross_reference_is_a_pandoc_error(report: tuple[Path, Path], tmp_path: Path) -> None:
    qmd, notebooks = report
    qmd.write_text(QMD + "\nSee @tbl-nowhere.\n", encoding="utf-8")
    with pytest.raises(RenderError, match="tbl-nowhere"):
        render_report(qmd, notebooks, tmp_path / "out", META, formats=("html",), use_quarto=False)


def test_unknown_format_is_rejected(report: tuple[Path, Path], tmp_path: Path) -> None:
    qmd, notebooks = report
    with pytest.raises(RenderError, match="epub"):
        render_report(qmd, notebooks, tmp_path / "out", META, formats=("epub",), use_quarto=False)


# --- Quarto branch --------------------------------------------------------------------------------


@pytest.mark.parametrize("project_subdir", ["", "build/executed/iro-annual/2023-24"])
def test_quarto_branch_command_line(
    report: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project_subdir: str
) -> None:
    qmd, notebooks = report
    out = tmp_path / "quarto-out"
    calls: list[tuple[list[str], dict]] = []

    def fake_run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        calls.append((command, dict(kwargs)))
        staged = Path(command[2])
        assert staged.parent == notebooks and staged.exists()
        assert "::: {.callout-important}" in staged.read_text(encoding="utf-8")
        (out / project_subdir).mkdir(parents=True, exist_ok=True)  # inside a Quarto project
        for ext in (".html", ".pdf", ".docx"):
            (out / project_subdir / f"{staged.stem}{ext}").write_text("x")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(render.shutil, "which", lambda name: "/opt/quarto/bin/quarto")
    monkeypatch.setattr(render.quarto.subprocess, "run", fake_run)
    result = render_report(qmd, notebooks, out, {**META, "synthetic": True})
    assert len(calls) == 1
    command, kwargs = calls[0]
    assert isinstance(command, list) and not kwargs.get("shell")
    assert command[:2] == ["/opt/quarto/bin/quarto", "render"]
    assert command[command.index("--to") + 1] == "html,typst,docx"
    assert command[command.index("--output-dir") + 1] == str(out)
    pairs = [command[i + 1] for i, arg in enumerate(command) if arg == "--metadata"]
    assert 'la_name:"Exampleshire"' in pairs
    assert 'submitted_to:"Corporate Parenting Board"' in pairs
    assert "synthetic:true" in pairs
    assert result == {
        "html": out / "index.html",
        "pdf": out / "report.pdf",
        "docx": out / "report.docx",
    }
    assert not list(notebooks.glob("*.render.qmd"))  # staged copy removed


def test_quarto_requested_but_missing(
    report: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    qmd, notebooks = report
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    with pytest.raises(RenderError, match="quarto is not on PATH"):
        render_report(qmd, notebooks, tmp_path / "out", META, use_quarto=True)
