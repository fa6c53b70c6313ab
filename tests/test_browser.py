"""End to end in a real browser: both HTML reports as a reviewer opens them, offline.

Debian's Chromium, driven by Playwright (``executable_path``; Playwright's own browser download is
not used), opens each report built from synthetic data with every network lookup blocked
(``--host-resolver-rules=MAP * ~NOTFOUND``) and every request that is not the file itself
aborted and recorded. Screenshots are kept under ``build/screenshots/`` as CI artefacts.
"""

from __future__ import annotations

import base64
import csv
import io
import re
import urllib.parse
from dataclasses import dataclass, field

import pytest
from conftest import SCREENSHOTS

REPORTS = ("iro-annual", "atv-biannual")
TITLES = {
    "iro-annual": "Independent Reviewing Officers Annual Report",
    "atv-biannual": "Adoption Tees Valley Bi-Annual Report",
}
BANNER = "Synthetic data — not real children's records"


@dataclass
class Opened:
    """A report open in the browser, with what it asked the network for."""

    report: str
    page: object
    outside: list[str] = field(default_factory=list)  # requests that would leave the file
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # JavaScript errors
    status: int | None = None


@pytest.fixture(scope="module", params=REPORTS)
def opened(request, browser, report_builds):
    report = request.param
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    state = Opened(report, page)

    def route(route_request):
        url = route_request.request.url
        state.requests.append(url)
        if url.startswith("file:"):
            route_request.continue_()
        else:
            state.outside.append(url)
            route_request.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda error: state.errors.append(str(error)))

    def seen(req):  # also what the route does not see (e.g. a request made by a worker)
        if not req.url.startswith(("file:", "data:")) and req.url not in state.outside:
            state.outside.append(req.url)

    page.on("request", seen)
    response = page.goto((report_builds[report].out / "index.html").as_uri(), wait_until="load")
    state.status = response.status if response else None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{report}-top.png"))
    page.screenshot(
        path=str(SCREENSHOTS / f"{report}-full.jpg"), full_page=True, type="jpeg", quality=70
    )
    yield state
    context.close()


def test_page_loads_offline(opened):
    page = opened.page
    assert opened.status in (0, 200, None)  # file: URLs report 0 or nothing
    assert page.title().startswith(TITLES[opened.report])
    assert page.locator("h1").first.inner_text().startswith(TITLES[opened.report])
    assert opened.errors == []  # the table script ran without error
    body = page.locator("main").inner_text()
    assert len(body) > 2000  # the report, not an error page


def test_no_request_leaves_the_file(opened):
    assert opened.outside == []
    # the HTML is the only file read: figures, styles and scripts are inside it
    assert [u for u in opened.requests if u.startswith("file:")] == [opened.page.url.split("#")[0]]


def test_every_image_decodes(opened):
    images = opened.page.evaluate(
        "Array.from(document.images).map(i => "
        "({src: i.currentSrc.slice(0, 22), complete: i.complete, width: i.naturalWidth}))"
    )
    assert len(images) >= 2  # both reports have charts
    for image in images:
        assert image["src"].startswith("data:image/png;base64")
        assert image["complete"] and image["width"] > 0, image


def test_every_figure_has_alt_text_and_a_caption(opened):
    figures = opened.page.evaluate(
        """Array.from(document.querySelectorAll('figure')).map(f => ({
            alt: (f.querySelector('img') || {}).alt || '',
            caption: (f.querySelector('figcaption') || {}).textContent || ''}))"""
    )
    assert figures
    for figure in figures:
        assert len(figure["alt"].split()) >= 8, figure  # a description, not a file name
        assert re.match(r"Figure \d+: \S", figure["caption"].strip()), figure
        assert figure["alt"].strip() != figure["caption"].split(":", 1)[1].strip()
    unlabelled = opened.page.evaluate(
        "Array.from(document.images).filter(i => !i.alt || !i.alt.trim()).length"
    )
    assert unlabelled == 0


def test_every_table_has_a_caption_and_header_cells(opened):
    tables = opened.page.evaluate(
        """Array.from(document.querySelectorAll('main table')).map(t => ({
            caption: t.caption ? t.caption.textContent.trim() : '',
            headers: t.querySelectorAll('thead th').length,
            rows: t.tBodies.length ? t.tBodies[0].rows.length : 0}))"""
    )
    assert len(tables) >= 3
    for table in tables:
        assert re.match(r"Table \d+: \S", table["caption"]), table
        assert table["headers"] >= 2 and table["rows"] >= 1, table
    numbers = [int(re.match(r"Table (\d+)", t["caption"]).group(1)) for t in tables]
    assert numbers == list(range(1, len(tables) + 1))  # numbered in order, none twice


#: A cell that reads as a number: 1,296 / 89.0 / 12.5% / 0.96 (0.92 to 0.998)
NUMBER = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?%?( \([^()]*\))?$")
#: Columns of codes that may look like numbers (DfE LA codes, CIN codes) and are text.
CODE_HEADERS = {"LA", "LA code", "Code"}


def test_numbers_and_suppressed_cells_are_right_aligned(opened):
    """In every column of numbers, every cell (the suppression mark c too) is right-aligned."""
    tables = opened.page.evaluate(
        """Array.from(document.querySelectorAll('main table')).map(t => ({
            caption: t.caption ? t.caption.textContent.slice(0, 50) : '',
            headers: Array.from(t.tHead.rows[0].cells).map(c => c.textContent.trim()),
            rows: Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).map(
                c => [c.textContent.trim(), getComputedStyle(c).textAlign]))}))"""
    )
    checked, suppressed, wrong = 0, 0, []
    for table in tables:
        for i, header in enumerate(table["headers"]):
            cells = [row[i] for row in table["rows"] if len(row) > i]
            values = [text for text, _ in cells if text not in ("c", "")]
            if header in CODE_HEADERS or not values or not all(NUMBER.match(v) for v in values):
                continue
            checked += 1
            suppressed += sum(text == "c" for text, _ in cells)
            wrong += [(table["caption"], header, t) for t, a in cells if t and a != "right"]
    assert wrong == []
    assert checked >= 10 and suppressed >= 1  # synthetic data has small counts


def test_no_table_or_chart_wider_than_the_page(opened):
    """On a laptop every table and chart fits the text column; on a phone wide tables scroll
    inside their own (keyboard-focusable) region and the page never scrolls sideways."""
    page = opened.page
    overflowing = """(() => { const main = document.querySelector('main').getBoundingClientRect();
        return Array.from(document.querySelectorAll('main table, main img'))
            .filter(e => e.getBoundingClientRect().right > main.right + 1)
            .map(e => (e.caption ? e.caption.textContent : e.alt).slice(0, 60)); })()"""
    assert page.evaluate(overflowing) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        regions = page.evaluate(
            """Array.from(document.querySelectorAll('.table-wrap'))
                .filter(w => w.scrollWidth > w.clientWidth + 1)
                .map(w => w.tabIndex === 0 || w.querySelector('table').rows[0].cells.length < 5)"""
        )
        assert all(regions)  # a wide table that scrolls can be scrolled from the keyboard
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_contents_links_resolve(opened):
    links = opened.page.evaluate(
        """Array.from(document.querySelectorAll('a[href^="#"]')).map(a => ({
            href: a.getAttribute('href'), toc: !!a.closest('#TOC'),
            found: !!document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))
        }))"""
    )
    toc = [link for link in links if link["toc"]]
    assert len(toc) >= 5
    assert [link["href"] for link in links if not link["found"]] == []
    # following a contents link scrolls the section into view
    page = opened.page
    last = toc[-1]["href"]
    page.click(f'#TOC a[href="{last}"]')
    top = page.evaluate(
        f"document.getElementById({urllib.parse.unquote(last[1:])!r}).getBoundingClientRect().top"
    )
    assert -2 <= top < 200  # at the top of the window (sub-pixel rounding aside)
    page.evaluate("window.scrollTo(0, 0)")


def test_synthetic_banner_shows_at_the_top(opened):
    banner = opened.page.locator(".synthetic-banner")
    assert banner.is_visible()
    assert banner.inner_text().strip() == BANNER
    box = banner.bounding_box()
    assert box["y"] < 60 and box["height"] > 20
    colour = opened.page.evaluate(
        "getComputedStyle(document.querySelector('.synthetic-banner')).backgroundColor"
    )
    assert colour == "rgb(255, 221, 0)"  # GOV.UK yellow, black text


def test_period_la_and_data_as_at_visible_on_first_screen(opened):
    header = opened.page.locator("#title-block-header")
    text = header.inner_text()
    for label in ("Local authority:", "Reporting period:", "Data as at:", "Report of:"):
        assert label in text
    assert header.bounding_box()["y"] + header.bounding_box()["height"] < 900


def _csv_of(href: str) -> list[dict[str, str]]:
    prefix = "data:text/csv;charset=utf-8;base64,"
    assert href.startswith(prefix)
    return list(csv.DictReader(io.StringIO(base64.b64decode(href[len(prefix) :]).decode())))


def test_every_chart_links_to_its_data_as_csv(opened):
    links = opened.page.evaluate(
        """Array.from(document.querySelectorAll('figure')).map(f => {
            const next = f.nextElementSibling;
            const a = next && next.querySelector('a[download]');
            return a ? {href: a.getAttribute('href'), name: a.getAttribute('download'),
                        text: a.textContent} : null; })"""
    )
    assert links and None not in links
    for link in links:
        assert link["name"].endswith(".csv")
        assert link["text"].startswith("Download the data for this chart (CSV)")
        rows = _csv_of(link["href"])
        assert rows and len(rows[0]) >= 2


def _close(shown: str, exact: str) -> bool:
    """A table cell (rounded for display) agrees with the CSV value it was rounded from."""
    if shown in ("c", "", "n/a") or exact in ("c", ""):
        return shown in ("c", "", "n/a") and exact in ("c", "")
    return abs(float(shown.replace(",", "")) - float(exact)) <= 0.5


def test_chart_data_matches_the_table_beside_it(opened):
    """The CSV behind a chart holds the numbers the report's table publishes."""
    page = opened.page
    if opened.report == "iro-annual":
        # Children looked after at each month end: chart and table cla_monthly
        href = page.get_attribute('a[download*="fig-cla-monthly"]', "href")
        rows = _csv_of(href)
        table = page.evaluate(
            """Array.from(document.querySelectorAll('#tbl-cla-monthly tbody tr')).map(
                r => [r.cells[0].textContent.trim(), r.cells[1].textContent.trim()])"""
        )
        assert len(rows) == 13 == len(table)  # 31 March to 31 March: 13 month ends
        assert [[r["Period"], r["Children looked after"]] for r in rows] == table
    else:
        # A10 by council: the agency row of the chart's CSV against the A10 row of the
        # agency's own table (pooled over all five councils)
        href = page.get_attribute('a[download*="a10"]', "href")
        rows = _csv_of(href)
        assert len(rows) == 6  # five councils and the agency, agency last
        agency = list(rows[-1].values())[1:4]  # this period, previous year, same half
        shown = page.evaluate(
            """(() => { const t = Array.from(document.querySelectorAll('main table')).find(
                t => /^Table \\d+: Adoption Tees Valley/.test(t.caption.textContent));
                const r = Array.from(t.tBodies[0].rows).find(
                r => r.cells[0].textContent.trim().startsWith('A10'));
                return Array.from(r.cells).slice(1, 4).map(c => c.textContent.trim()); })()"""
        )
        assert len(shown) == 3
        assert all(_close(a, b) for a, b in zip(shown, agency, strict=True)), (shown, agency)


def test_long_table_filters_and_sorts_offline(opened):
    """The long list (ATV: every measure) is interactive without any library or network."""
    page = opened.page
    interactive = page.locator("table.is-interactive")
    if opened.report == "iro-annual":
        assert interactive.count() >= 1  # the code lists (placement type, reason ceased ...)
        return
    table = page.locator("#tbl-atv-la-measures")
    assert "is-interactive" in (table.get_attribute("class") or "")
    rows = table.locator("tbody tr")
    # 6 councils and agency rows (5 + 1) x 3 periods x 8 measures
    assert rows.count() == 144
    status = page.locator("#table-filter-1-status")
    assert status.inner_text().startswith("Showing 144 of 144 rows")
    page.fill("#table-filter-1", "808")
    visible = table.locator("tbody tr:visible")
    assert visible.count() == 24  # one council: 3 periods x 8 measures
    assert status.inner_text().startswith("Showing 24 of 144 rows")
    page.fill("#table-filter-1", "808 a10")
    assert visible.count() == 3
    page.evaluate("document.querySelector('.table-tools').scrollIntoView()")
    page.screenshot(path=str(SCREENSHOTS / "atv-biannual-filtered.png"), full_page=False)
    page.fill("#table-filter-1", "")
    value_header = table.locator("thead th").last
    value_header.locator("button").click()  # ascending
    value_header.locator("button").click()  # descending
    assert value_header.get_attribute("aria-sort") == "descending"
    values = table.locator("tbody tr td:last-child").all_inner_texts()
    numbers = [float(v.replace(",", "")) for v in values if v not in ("c", "")]
    assert numbers == sorted(numbers, reverse=True)
    assert values[-1] == "c" and values[0] != "c"  # suppressed cells sort last
    page.evaluate("window.scrollTo(0, 0)")


def test_iro_report_opens_with_key_messages(browser, report_builds):
    page = browser.new_page()
    try:
        page.goto((report_builds["iro-annual"].out / "index.html").as_uri())
        assert page.locator("#TOC a").first.inner_text().endswith("Key messages")
        assert page.locator("#key-messages li").count() >= 4  # computed sentences
    finally:
        page.close()
