"""The committee papers: both reports' PDF and Word files, as a councillor or clerk gets them.

The PDF is read with pypdf (text and its position on the page) and, for the page images, with
poppler's ``pdftoppm`` (installed with Chromium by ``make browser-deps``). Page images are kept
under ``build/screenshots/`` as CI artefacts.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import SCREENSHOTS
from PIL import Image
from pypdf import PdfReader

from analysis.params import load_params
from analysis.paths import REPORTS_DIR
from analysis.pipeline import report_meta
from analysis.render import render_report

REPORTS = ("iro-annual", "atv-biannual")
TITLE_START = {
    "iro-annual": "Independent Reviewing Officers",
    "atv-biannual": "Adoption Tees Valley",
}
#: Sensible lengths: a title page, contents, the body and the appendices (the published IRO
#: report runs to about 40 pages with its appendices), but no runaway layout (a table breaking
#: into one row per page, a blank page per figure) and no truncated document.
PAGE_BOUNDS = {"iro-annual": (10, 90), "atv-biannual": (6, 60)}
BANNER = "Synthetic data — not real children's records"
CM = 72 / 2.54  # PDF points per centimetre
A4 = (21.0 * CM, 29.7 * CM)
#: The typst template's margins: 2 cm at the sides, 2.2 cm at the top, 2.4 cm at the foot.
SIDE_MARGIN, TOP_MARGIN, BOTTOM_MARGIN = 2.0 * CM, 2.2 * CM, 2.4 * CM


@pytest.fixture(scope="module", params=REPORTS)
def pdf(request, report_builds) -> tuple[str, Path, PdfReader]:
    path = report_builds[request.param].out / "report.pdf"
    return request.param, path, PdfReader(path)


@pytest.fixture(scope="module")
def page_runs(pdf) -> list[list[tuple[float, float, str, float]]]:
    """The text runs of every page (read once per report)."""
    return [_runs(page) for page in pdf[2].pages]


@pytest.fixture(scope="module")
def page_images(pdf, tmp_path_factory) -> list[Path]:
    """Every page as a greyscale PNG at 40 dpi; also copied to build/screenshots."""
    report, path, _ = pdf
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm not found: run `make browser-deps` (apt-get install poppler-utils)")
    folder = tmp_path_factory.mktemp(f"pages-{report}")
    subprocess.run(
        ["pdftoppm", "-png", "-gray", "-r", "40", str(path), str(folder / "page")], check=True
    )
    pages = sorted(folder.glob("page-*.png"))
    target = SCREENSHOTS / f"{report}-pdf"
    shutil.rmtree(target, ignore_errors=True)  # no pages left over from a longer report
    target.mkdir(parents=True)
    for page in pages:
        shutil.copy(page, target / page.name)
    return pages


def _runs(page) -> list[tuple[float, float, str, float]]:
    """Text runs of a page: x and y of their start (points from the bottom left), text, size."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((x, y, text, size))

    page.extract_text(visitor_text=visit)
    return runs


def test_a4_and_page_count_within_bounds(pdf):
    report, _, reader = pdf
    low, high = PAGE_BOUNDS[report]
    assert low <= len(reader.pages) <= high, len(reader.pages)
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=1)
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=1)


def test_title_page_is_a_committee_cover(pdf):
    report, _, reader = pdf
    text = reader.pages[0].extract_text()
    assert text.startswith(BANNER)
    assert TITLE_START[report] in text
    for label in ("Report of", "Submitted to", "Date", "Reporting period", "Data as at"):
        assert re.search(rf"^{label} \S", text, re.M), label
    assert "Page " not in text  # no page number on the cover


def test_text_is_extractable_with_contents_and_page_numbers(pdf):
    _, _, reader = pdf
    pages = [page.extract_text() for page in reader.pages]
    assert pages[1].startswith("Contents")
    body = "\n".join(pages[2:])
    assert len(body) > 5000 and "Table 1:" in body
    numbered = len(pages) - 1  # the cover is not numbered
    for number, text in enumerate(pages[1:], start=1):
        assert text.rstrip().endswith(f"Page {number} of {numbered}"), number
        assert BANNER in text  # the banner is in every footer


def test_no_text_outside_the_text_area(page_runs):
    """Table cells and captions start inside the margins: nothing runs off the side or the foot
    of a page (a table too tall for its page would spill into the footer)."""
    for number, runs in enumerate(page_runs, start=1):
        for x, y, text, _ in runs:
            assert SIDE_MARGIN - 1 <= x < A4[0] - SIDE_MARGIN, (number, text, x)
            footer = text.strip().startswith((BANNER, "Page ")) or re.fullmatch(
                r"\s*Page \d+ of \d+\s*", text
            )
            if not footer:
                assert BOTTOM_MARGIN - 2 <= y <= A4[1] - TOP_MARGIN, (number, text, y)


def test_nothing_printed_in_the_side_margins(page_images):
    """No table or figure is wider than the page: the outer 1.5 cm on each side stay blank."""
    for path in page_images:
        image = Image.open(path).convert("L")
        width, height = image.size
        strip = round(1.5 / 21.0 * width)
        for box in ((0, 0, strip, height), (width - strip, 0, width, height)):
            darkest = image.crop(box).getextrema()[0]
            assert darkest > 200, (path.name, box, darkest)


def test_captions_are_not_left_at_the_foot_of_a_page(page_runs):
    """A table's or figure's caption has room for its content below it on the same page."""
    found = 0
    for number, runs in enumerate(page_runs, start=1):
        for _, y, text, _ in runs:
            if re.match(r"(Table|Figure) \d+:", text):
                found += 1
                assert y > BOTTOM_MARGIN + 2.5 * CM, (number, text, y)
    assert found >= 3


def test_figures_are_sharp_enough_for_print(pdf):
    """Charts have at least 1,200 pixels across: over 150 dpi at the full 17 cm text width."""
    _, _, reader = pdf
    widths = []
    for page in reader.pages:  # the pixel width of each image, without decoding it
        for ref in page.get("/Resources", {}).get("/XObject", {}).values():
            image = ref.get_object()
            if image.get("/Subtype") == "/Image":
                widths.append(int(image["/Width"]))
    assert len(widths) >= 2
    assert min(widths) >= 1200, widths


# --- Word --------------------------------------------------------------------------------------


def _docx_part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def _page_size(section: str) -> tuple[int, int]:
    """Width and height of ``<w:pgSz>`` (attributes in any order)."""
    size = re.search(r"<w:pgSz ([^>]*)/>", section)[1]
    return int(re.search(r'w:w="(\d+)"', size)[1]), int(re.search(r'w:h="(\d+)"', size)[1])


def _docx_text(document: str) -> str:
    return html.unescape("".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", document)))


@pytest.mark.parametrize("report", REPORTS)
def test_word_file_is_a4_with_page_numbers_and_a_cover(report_builds, report):
    path = report_builds[report].out / "report.docx"
    document = _docx_part(path, "word/document.xml")
    section = document[document.rindex("<w:sectPr") :]
    assert _page_size(section) == (11906, 16838)  # A4 in twentieths of a point
    reference = re.search(r"<w:footerReference ([^>]*)/>", section)[1]
    assert 'w:type="default"' in reference
    footer_id = re.search(r'r:id="(\w+)"', reference)[1]
    rels = _docx_part(path, "word/_rels/document.xml.rels")
    relation = next(r for r in re.findall(r"<Relationship [^>]*>", rels) if f'"{footer_id}"' in r)
    target = re.search(r'Target="([^"]+)"', relation)[1]
    footer = _docx_part(path, f"word/{target}")
    assert "PAGE" in footer and "NUMPAGES" in footer
    text = _docx_text(document)
    assert text.index(BANNER) < text.index("Report of") < text.index("Submitted to")
    # the cover ends with a page break: the contents start on page 2
    cover_end = document.index('<w:br w:type="page"')
    assert document.index("Submitted to") < cover_end < document.index("TOC \\o")


def test_word_house_style_is_swappable_by_parameter(report_builds, tmp_path):
    """An LA's own template (``reference_docx`` in the params file) restyles the Word file."""
    built = report_builds["iro-annual"]
    house = built.out / "_files" / "house-reference.docx"
    council = tmp_path / "council-template.docx"
    with zipfile.ZipFile(house) as source, zipfile.ZipFile(council, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/theme/theme1.xml":
                data = data.replace(b'typeface="Arial"', b'typeface="Georgia"')
            if item.filename == "word/document.xml":  # US Letter instead of A4
                data = data.replace(b'w:w="11906" w:h="16838"', b'w:w="12240" w:h="15840"')
            out.writestr(item, data)
    raw = yaml.safe_load(built.params.read_text())
    raw.update(reference_docx=str(council), output_dir=str(tmp_path / "out"))
    params_file = tmp_path / "council.yml"
    params_file.write_text(yaml.safe_dump(raw))
    params = load_params(params_file)  # the key is accepted and resolved
    assert params.reference_docx == council
    render_report(  # as pipeline.render does with the run's params (DOCX only, for speed)
        REPORTS_DIR / params.report / "index.qmd",
        params.executed_dir,
        params.output_dir,
        report_meta(params),
        formats=("docx",),
        reference_docx=params.reference_docx,
    )
    docx = tmp_path / "out" / "report.docx"
    assert 'typeface="Georgia"' in _docx_part(docx, "word/theme/theme1.xml")
    document = _docx_part(docx, "word/document.xml")
    assert _page_size(document[document.rindex("<w:sectPr") :]) == (12240, 15840)
    house_theme = _docx_part(built.out / "report.docx", "word/theme/theme1.xml")
    assert 'typeface="Georgia"' not in house_theme and 'typeface="Arial"' in house_theme
