"""The page frame and the figure block every page is made of.

A page lives at a path relative to its language's root (``theme/energy.html``);
Dutch pages sit at the site root, English ones under ``en/``. Every link is relative
(``../index.html``), so the site works from a file share and under any web server
path. A Content-Security-Policy allows scripts and styles from the site only and no
connections at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from groendraad.charts.html import Html, json_script, tag
from groendraad.charts.spec import ChartSpec
from groendraad.charts.text import Lang

CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)  # unsafe-eval: Vega (expressions, field access) and its CSV reader use Function()
SCRIPTS = ["vendor/vega.min.js", "vendor/vega-lite.min.js", "vendor/vega-embed.min.js", "site.js"]
THEMES = ["energy", "co2e", "waste", "food_waste", "disposables", "mobility", "medicine_waste"]


@dataclass
class Figure:
    """One figure: a chart (or only a table), its words, its table and its definitions."""

    key: str
    title: str
    description: str
    chart: ChartSpec | None = None
    table: Html | None = None
    metrics: Sequence[str] = ()
    note: str = ""


@dataclass
class Page:
    """A page of the site in one language."""

    path: str  # relative to the language root, e.g. "department/kno.html"
    title: str
    lang: Lang
    sections: list[Html] = field(default_factory=list)
    intro: Html | None = None

    @property
    def root(self) -> str:
        """From this page to its language's root."""
        return "../" * self.path.count("/")

    @property
    def site_root(self) -> str:
        """From this page to the site's root (where assets/ is)."""
        return self.root + ("../" if self.lang.code != "nl" else "")


@dataclass(frozen=True)
class SiteInfo:
    """What every page header shows: the institution and the date of the data."""

    institution: str
    data_until: str
    published: str


def figure_block(fig: Figure, page: Page) -> Html:
    """The figure: title, description, chart, definition links, quality note, table view."""
    parts: list[Any] = [tag("h3", fig.title, id=f"fig-{fig.key}")]
    parts.append(tag("p", fig.description, class_="description"))
    if fig.chart is not None:
        spec = fig.chart.to_dict(fig.description)
        parts.append(
            tag(
                "div",
                class_="chart",
                data_spec=f"spec-{fig.key}",
                role="figure",
                aria_labelledby=f"fig-{fig.key}",
            )
        )
        parts.append(json_script(f"spec-{fig.key}", spec))
    meta = [definition_links(fig.metrics, page)] if fig.metrics else []
    if fig.note:
        meta.append(tag("span", fig.note, class_="quality-note"))
    if meta:
        parts.append(tag("p", *meta, class_="meta"))
    if fig.table is not None:
        summary = tag("summary", page.lang.ui("table"), ": ", fig.title)
        parts.append(tag("details", summary, fig.table, class_="table-view"))
    return tag("figure", tag("div", *parts), class_="figure")


def definition_links(metrics: Sequence[str], page: Page) -> Html:
    """``Definitie: <a>name</a>, ...`` linking to the definitions page."""
    links = [
        tag("a", page.lang.metric(m), href=f"{page.root}definitions.html#{m}") for m in metrics
    ]
    joined: list[Any] = []
    for i, link in enumerate(links):
        joined += [", "] if i else []
        joined.append(link)
    return tag("span", page.lang.ui("definition"), ": ", *joined, class_="definitions")


def section(title: str, *content: Any, key: str | None = None) -> Html:
    return tag("section", tag("h2", title, id=key), *content)


def render(page: Page, info: SiteInfo) -> str:
    """The whole HTML document of ``page``."""
    lang = page.lang
    head = [
        Html('<meta charset="utf-8">'),
        tag("meta", name="viewport", content="width=device-width, initial-scale=1"),
        tag("meta", http_equiv="Content-Security-Policy", content=CSP),
        tag("meta", name="referrer", content="no-referrer"),
        tag("title", f"{page.title} – {lang.ui('site')} – {info.institution}"),
        tag("link", rel="stylesheet", href=f"{page.site_root}assets/site.css"),
        *(tag("script", src=f"{page.site_root}assets/{s}", defer=True) for s in SCRIPTS),
    ]
    main = [tag("h1", page.title), page.intro or "", *page.sections]
    body = [
        tag("a", lang.ui("skip"), href="#main", class_="skip"),
        _header(page, info),
        tag("main", *main, id="main"),
        tag(
            "footer", tag("p", lang.ui("footer")), tag("p", info.data_until, " · ", info.published)
        ),
    ]
    document = tag("html", tag("head", *head), tag("body", *body), lang=lang.code)
    return f"<!doctype html>\n{document}\n"


def _header(page: Page, info: SiteInfo) -> Html:
    lang, root = page.lang, page.root
    links = [("index.html", lang.ui("overview"))]
    links += [(f"theme/{t}.html", lang.theme(t)) for t in THEMES]
    links += [
        ("organisation.html", lang.ui("organisation")),
        ("definitions.html", lang.ui("definitions")),
    ]
    items = [
        tag(
            "li",
            tag("a", text, href=root + path, aria_current="page" if path == page.path else None),
        )
        for path, text in links
    ]
    other = "en/" if lang.code == "nl" else "../"
    switch = tag(
        "a",
        lang.ui("other_language"),
        href=f"{root}{other}{page.path}",
        class_="language",
        hreflang="en" if lang.code == "nl" else "nl",
    )
    brand = tag("a", lang.ui("site"), href=f"{root}index.html", class_="brand")
    return tag(
        "header",
        tag(
            "div", brand, tag("span", info.institution, class_="institution"), switch, class_="bar"
        ),
        tag("p", info.data_until, " · ", info.published, class_="data-date"),
        tag("nav", tag("ul", *items), aria_label=lang.ui("menu")),
        class_="site-header",
    )
