"""One page per theme (energy, CO2, waste, ...), its figures listed in themes.yaml."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from groendraad.charts import figures
from groendraad.charts.data import INSTITUTION, SiteData
from groendraad.charts.factor_split import split_section
from groendraad.charts.html import tag
from groendraad.charts.layout import Figure, Page, figure_block, section
from groendraad.charts.ranking import Links, peers_figure
from groendraad.charts.text import Lang

THEMES_FILE = Path(__file__).with_name("themes.yaml")


@cache
def _config(path: Path = THEMES_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def theme_config() -> dict[str, Any]:
    """themes.yaml ``themes``: per theme its intro and figures."""
    return _config()["themes"]


def places_config() -> dict[str, Any]:
    """themes.yaml ``places``: what the division and department pages show."""
    return _config()["places"]


def _published(data: SiteData, metrics: list[str]) -> bool:
    """Whether any of ``metrics`` has a figure (a catalogue change must not break pages)."""
    return bool(set(metrics) & set(data.catalogue.metrics)) and data.metrics.height > 0


def _figure(entry: dict[str, Any], data: SiteData, lang: Lang, links: Links) -> Figure:
    kind = entry["kind"]
    title = entry.get("title", {}).get(lang.code)
    builders: dict[str, Callable[[], Figure]] = {
        "trend": lambda: figures.trend_figure(data, entry["metric"], INSTITUTION, lang),
        "parts": lambda: figures.stack_figure(data, entry["metric"], INSTITUTION, lang),
        "compare": lambda: figures.compare_figure(
            data, entry["metrics"], INSTITUTION, lang, title=title or ""
        ),
        "stack": lambda: figures.metrics_stack_figure(
            data, entry["metrics"], INSTITUTION, lang, title=title or ""
        ),
        "ranking": lambda: peers_figure(
            data,
            entry["metric"],
            INSTITUTION,
            data.places("department"),
            lang,
            links=links,
            root="../",
            top=entry.get("top"),
            title=lang.ui("ranking_title", name=lang.metric(entry["metric"])),
        ),
    }
    if kind not in builders:
        raise ValueError(f"{THEMES_FILE}: unknown figure kind {kind!r}")
    return builders[kind]()


def theme_page(theme: str, data: SiteData, lang: Lang, links: Links) -> Page:
    """The page of ``theme``: its intro and every figure of themes.yaml."""
    config = theme_config()[theme]
    page = Page(path=f"theme/{theme}.html", title=lang.theme(theme), lang=lang)
    page.intro = tag("p", config["intro"][lang.code], class_="intro")
    blocks = []
    for entry in config["figures"]:
        metrics = entry.get("metrics") or [entry["metric"]]
        if _published(data, metrics):
            blocks.append(figure_block(_figure(entry, data, lang, links), page))
    page.sections.append(
        section(lang.ui("figures"), *blocks)
        if blocks
        else section(lang.ui("figures"), lang.ui("no_figures"))
    )
    split = split_section(data, lang) if theme == "co2e" else None
    if split is not None:
        page.sections.insert(0, split)
    return page


def theme_pages(data: SiteData, lang: Lang, links: Links) -> list[Page]:
    """Every theme page in ``lang``."""
    return [theme_page(theme, data, lang, links) for theme in theme_config()]
