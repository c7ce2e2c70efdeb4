"""render_site: every page in Dutch and English, the shared assets, written atomically.

Layout of the site (all links relative, so it works from a file share or any server)::

    index.html  theme/<theme>.html  organisation.html  definitions.html
    division/<slug>.html  department/<slug>.html        Dutch, the default
    en/...                                              the same pages in English
    assets/site.css  assets/site.js  assets/vendor/     shared by every page

The site is built in a temporary folder beside ``out`` and then swapped into place in
one step (charts/swap.py), so a reader never gets a half-written site or none; a
folder that is not a site of ours is never replaced. The caller holds the warehouse
lock.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from altair.utils.schemapi import debug_mode

from groendraad.charts.data import Place, SiteData, load
from groendraad.charts.definitions import definitions_page
from groendraad.charts.layout import Page, SiteInfo, render
from groendraad.charts.organisation import index_page, place_page
from groendraad.charts.overview import overview_page
from groendraad.charts.ranking import Links
from groendraad.charts.swap import check_target, mark, swap
from groendraad.charts.text import Lang, languages
from groendraad.charts.theme_pages import theme_pages
from groendraad.warehouse.commit import pending
from groendraad.warehouse.sweep import beside, remove
from groendraad.workers import IN_PROCESS, Workers

ASSETS = Path(__file__).with_name("assets")


@dataclass
class SiteReport:
    """What render_site wrote: pages, sizes, and where."""

    out: Path
    pages: list[str] = field(default_factory=list)  # relative to out
    page_bytes: dict[str, int] = field(default_factory=dict)
    asset_bytes: int = 0  # the shared CSS, JS and Vega bundles
    seconds: float = 0.0

    @property
    def index(self) -> Path:
        return self.out / "index.html"

    @property
    def total_bytes(self) -> int:
        return sum(self.page_bytes.values()) + self.asset_bytes

    @property
    def largest_page(self) -> tuple[str, int]:
        """(page, bytes) of the largest HTML page."""
        name = max(self.page_bytes, key=self.page_bytes.__getitem__)
        return name, self.page_bytes[name]


def slug(name: str, taken: set[str]) -> str:
    """A file name from a name in the data: ASCII letters, digits and ``-`` only."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "x"
    if base in taken:
        base = f"{base}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
    taken.add(base)
    return base


def place_links(data: SiteData) -> Links:
    """Place -> page path (relative to a language root) of every division and department."""
    links: Links = {}
    for level in ("division", "department"):
        taken: set[str] = set()
        for place in data.places(level):
            links[place] = f"{level}/{slug(place.name or 'none', taken)}.html"
    return links


def _peers(place: Place, data: SiteData) -> list[Place]:
    if place.level == "division":
        return data.places("division")
    return [p for p in data.places("department") if p.division == place.division]


def site_pages(data: SiteData, lang: Lang, share: tuple[int, int] = (0, 1)) -> list[Page]:
    """Every page of the site in ``lang``; with ``share`` (k, n), only the k-th of n
    interleaved parts (so n processes can build a site between them)."""
    links = place_links(data)
    builders: list[Callable[[], list[Page]]] = [
        lambda: [overview_page(data, lang, links)],
        lambda: theme_pages(data, lang, links),
        lambda: [index_page(data, lang, links)],
        *(partial(_place_page, data, place, path, lang, links) for place, path in links.items()),
        lambda: [definitions_page(data, lang)],
    ]
    part, parts = share
    return [page for i, build in enumerate(builders) if i % parts == part for page in build()]


def _place_page(data: SiteData, place: Place, path: str, lang: Lang, links: Links) -> list[Page]:
    return [place_page(data, place, path, lang, links, _peers(place, data))]


def _info(data: SiteData, lang: Lang, institution: str) -> SiteInfo:
    until = data.data_until
    month = lang.month(until) if until else "–"
    stamp = lang.date(data.published_at.date()) if data.published_at else "–"
    return SiteInfo(
        institution, lang.ui("data_until", month=month), lang.ui("published", date=stamp)
    )


def _pages(
    warehouse: Path, folder: Path, institution_name: str | None, share: tuple[int, int]
) -> list[tuple[str, int]]:
    """Write this ``share`` of the pages, in every language, under ``folder``; (path,
    bytes) of each. The languages share one SiteData: its selections are made once."""
    data = load(warehouse)
    written = []
    with debug_mode(False):  # Altair would validate every chart part as it is built
        for lang in languages():
            info = _info(data, lang, institution_name or data.institution or "")
            prefix = "" if lang.code == "nl" else f"{lang.code}/"
            for page in site_pages(data, lang, share):
                target = folder / prefix / page.path
                target.parent.mkdir(parents=True, exist_ok=True)
                content = render(page, info).encode("utf-8")
                target.write_bytes(content)
                written.append((prefix + page.path, len(content)))
    return written


def render_site(
    warehouse: Path,
    out: Path | None = None,
    *,
    institution_name: str | None = None,
    workers: Workers = IN_PROCESS,
) -> SiteReport:
    """Write the pages of ``warehouse``'s published figures to ``out`` (default
    ``<warehouse>/site``), replacing the previous site only once the new one is complete.
    NotOurSite (a ConfigError) when ``out`` holds anything but a site of ours.

    With ``workers``, a worker process builds half of the pages while this process
    builds the other half.
    """
    started = time.perf_counter()
    out = (out or warehouse / "site").resolve()
    check_target(out, warehouse)
    report = SiteReport(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # a site build a killed run left (the caller holds the lock)
    remove([p for p in beside(out) if p not in pending(warehouse)])
    built = out.with_name(f".{out.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        parts = min(2, 1 + workers.count)
        pending = [
            workers.submit(_pages, warehouse, built, institution_name, (part, parts))
            for part in range(1, parts)
        ]
        written = _pages(warehouse, built, institution_name, (0, parts))
        for future in pending:
            written += future.result()
        for path, size in written:
            report.pages.append(path)
            report.page_bytes[path] = size
        shutil.copytree(ASSETS, built / "assets", ignore=shutil.ignore_patterns("*.md"))
        report.asset_bytes = sum(
            p.stat().st_size for p in (built / "assets").rglob("*") if p.is_file()
        )
        mark(built)
        swap(built, out, warehouse)
    finally:
        shutil.rmtree(built, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report
