"""Every page of a small site, opened in headless Chromium from file:// and over HTTP.

Checks per page: no console error, no request to anything but the site itself (every
request is intercepted; others are refused and fail the test), and every chart drawn
as SVG with marks in it. Also: a tooltip shows its unit, and the page prints to A4.
Screenshots of the overview, a theme page and a department page go to
$GROENDRAAD_SCREENSHOTS (default: a temporary folder, printed).

Needs Debian's chromium (/usr/bin/chromium) and the Python playwright package; the
browser that playwright would download is not used.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from groendraad.charts import SiteReport

CHROMIUM = Path(os.environ.get("GROENDRAAD_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = {
    "overview": "index.html",
    "theme-waste": "theme/waste.html",
    "department-kno": "department/kno.html",
}

pytestmark = pytest.mark.slow  # starts a browser and a web server

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

CHART_STATE = """() => Array.from(document.querySelectorAll('.chart[data-spec]')).map(c => ({
    id: c.getAttribute('data-spec'),
    rendered: c.getAttribute('data-rendered'),
    svg: c.querySelectorAll('svg').length,
    marks: c.querySelectorAll('svg g.role-mark > *').length,
}))"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server(site: SiteReport) -> Iterator[str]:
    handler = functools.partial(Quiet, directory=str(site.out))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("GROENDRAAD_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots of the chart pages: {path}")
    return path


class Visit:
    """A browser context that refuses (and records) every request outside ``base``."""

    def __init__(self, browser: object, base: str, width: int = 1280) -> None:
        self.base, self.outside, self.problems = base, [], []
        self.context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
        self.context.route("**/*", self._route)

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(self.base):
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    def start(self, page_path: str) -> object:
        """Open a page without waiting for it (several pages draw side by side)."""
        page = self.context.new_page()
        page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        page.on("pageerror", lambda e: self.problems.append(str(e)))
        page.goto(self.base + page_path, wait_until="commit")
        return page

    def open(self, page_path: str) -> object:
        """Open a page and wait until every chart is drawn (or failed)."""
        return drawn(self.start(page_path))


def drawn(page: object) -> object:
    page.wait_for_function(  # type: ignore[attr-defined]
        "document.documentElement.hasAttribute('data-charts')", timeout=60_000
    )
    return page


def check_every_page(browser: object, site: SiteReport, base: str, side_by_side: int = 4) -> int:
    visit = Visit(browser, base)
    count = 0
    for first in range(0, len(site.pages), side_by_side):
        batch = site.pages[first : first + side_by_side]
        for page_path, page in zip(batch, [visit.start(p) for p in batch], strict=True):
            charts = drawn(page).evaluate(CHART_STATE)
            state = page.evaluate("document.documentElement.getAttribute('data-charts')")
            assert state == "done", f"{page_path}: {charts}"
            for chart in charts:
                assert chart["rendered"] == "true" and chart["svg"] == 1, f"{page_path}: {chart}"
                assert chart["marks"] > 0, f"{page_path}: chart {chart['id']} has no marks"
            count += len(charts)
            page.close()
    assert not visit.problems, visit.problems
    assert not visit.outside, f"requests outside the site: {visit.outside}"
    visit.context.close()
    return count


def test_every_page_from_the_file_share(browser: object, site: SiteReport) -> None:
    assert check_every_page(browser, site, site.out.as_uri() + "/") > 50


def test_every_page_from_a_web_server(browser: object, site: SiteReport, server: str) -> None:
    assert check_every_page(browser, site, server) > 50


def test_screenshots_of_overview_theme_and_department(
    browser: object, site: SiteReport, server: str, screenshots: Path
) -> None:
    for width, suffix in ((1280, "laptop"), (390, "phone")):
        visit = Visit(browser, server, width=width)
        for name, page_path in SCREENSHOTS.items():
            page = visit.open(page_path)
            target = screenshots / f"{name}-{suffix}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
            page.close()
        assert not visit.problems and not visit.outside
        visit.context.close()


def test_a_tooltip_shows_the_value_with_its_unit(
    browser: object, site: SiteReport, server: str
) -> None:
    visit = Visit(browser, server)
    page = visit.open("theme/waste.html")
    symbols = page.locator(".chart >> nth=0").locator("g.mark-symbol.role-mark path")
    shown = ""
    for i in range(min(symbols.count(), 12)):
        symbols.nth(i).hover(force=True)
        tooltip = page.locator("#vg-tooltip-element")
        if tooltip.count() and tooltip.is_visible():
            shown = tooltip.inner_text()
            if "(t)" in shown or "(kg)" in shown:
                break
    assert "Afval totaal (" in shown, shown
    visit.context.close()


def test_pages_print_on_a4(
    browser: object, site: SiteReport, server: str, screenshots: Path
) -> None:
    visit = Visit(browser, server, width=794)
    page = visit.open("department/kno.html")
    page.emulate_media(media="print")
    page.screenshot(path=str(screenshots / "department-kno-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
    hidden = page.evaluate("getComputedStyle(document.querySelector('nav')).display")
    assert hidden == "none"
    widest = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('.chart svg'))"
        ".map(s => s.getBoundingClientRect().right))"
    )
    assert widest <= 794, "a chart is wider than the A4 page"
    visit.context.close()
