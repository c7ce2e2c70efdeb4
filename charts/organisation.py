"""The Green Teams' pages: one per division and per department, and the index of them.

A department's page shows its key figures, its own progress against the targets that
apply at department level, its trends, its place among the other departments of its
division and its largest contributors; a division's page the same among divisions,
with links to its departments. What goes on them is in themes.yaml (``places``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from groendraad.charts import figures
from groendraad.charts.data import Place, SiteData, months_back, series
from groendraad.charts.describe import quality_summary, reason_text
from groendraad.charts.html import Html, table, tag
from groendraad.charts.layout import Figure, Page, figure_block, section
from groendraad.charts.progress_figures import (
    progress_at,
    target_figure,
    verdict_badge,
    window_qualities,
)
from groendraad.charts.ranking import Links, contributors_figure, peers_figure
from groendraad.charts.text import Lang, scaled_unit
from groendraad.charts.theme_pages import places_config
from groendraad.metrics.targets import load_targets


def _trend(entry: dict[str, Any], data: SiteData, place: Place, lang: Lang) -> Figure:
    title = entry.get("title", {}).get(lang.code, "")
    if entry["kind"] == "stack":
        return figures.metrics_stack_figure(data, entry["metrics"], place, lang, title=title)
    if entry["kind"] == "parts":
        return figures.stack_figure(data, entry["metric"], place, lang)
    return figures.trend_figure(data, entry["metric"], place, lang)


def _key_row(data: SiteData, metric: str, place: Place, page: Page, end: date) -> list | None:
    frame = series(data, metric, place)
    window = data.window(metric, place, end)
    if frame["value"].null_count() == frame.height or window is None:
        return None
    lang, unit = page.lang, data.unit(metric)
    now, before = window["last_12"], window["previous_12"]
    shown, divisor = scaled_unit(unit, now if now is not None else before)

    def number(value: float | None) -> str:
        return lang.number(None if value is None else value / divisor) + " " + lang.unit(shown)

    start = months_back(end, 11)
    recent = [
        q for m, q in zip(frame["period"], frame["quality"], strict=True) if start <= m <= end
    ]
    link = tag("a", lang.metric(metric), href=f"{page.root}definitions.html#{metric}")
    period = lang.ui("mean_month") if window["rule"] == "mean" else ""
    summary = quality_summary(recent, lang)
    if now is None:
        summary += " " + reason_text(window["reason"], lang)
    return [
        link,
        number(now) + period,
        number(before) + period,
        lang.percent(window["change_pct"]),
        summary.strip(),
    ]


def key_figures(data: SiteData, place: Place, page: Page) -> Html:
    """The place's figures: last 12 months, the 12 before, the change, the quality."""
    lang, end = page.lang, data.end
    rows = [
        row
        for m in places_config()["key_figures"]
        if m in data.catalogue.metrics and (row := _key_row(data, m, place, page, end))
    ]
    headers = [
        lang.ui("figure"),
        lang.ui("last_12"),
        lang.ui("previous_12"),
        lang.ui("change"),
        lang.ui("quality"),
    ]
    caption = lang.ui("key_caption", month=lang.month(end))
    return table(headers, rows, caption=caption) if rows else tag("p", lang.ui("no_figures"))


def _by_target(data: SiteData, place: Place) -> dict[str, pl.DataFrame]:
    progress = progress_at(data, place)
    if progress.is_empty():
        return {}
    parts = progress.sort("period").partition_by("target", as_dict=True)
    return {key[0]: frame for key, frame in parts.items()}


def targets_section(data: SiteData, place: Place, page: Page) -> list[Html]:
    """The verdict of each target that applies here, with its chart."""
    by_target = data.memo(("progress_by_target", place), lambda: _by_target(data, place))
    blocks = []
    for target in load_targets():
        rows = by_target.get(target.id)
        if rows is None:
            continue
        qualities = window_qualities(data, place, target)
        fig = target_figure(rows, target, page.lang, qualities)
        verdict = rows.sort("period")["verdict"][-1]
        blocks.append(
            tag("div", verdict_badge(verdict, page.lang), figure_block(fig, page), class_="target")
        )
    return blocks


def place_page(
    data: SiteData, place: Place, path: str, lang: Lang, links: Links, peers: list[Place]
) -> Page:
    """A department's or division's page (``peers``: the places it is compared with)."""
    config = places_config()
    kind = lang.ui("department" if place.level == "department" else "division")
    page = Page(path=path, title=f"{kind} {place.name}", lang=lang)
    page.intro = _intro(place, page, links)
    page.sections.append(section(lang.ui("key_figures"), key_figures(data, place, page)))
    targets = targets_section(data, place, page)
    if targets:
        page.sections.append(
            section(lang.ui("targets_here"), tag("p", lang.ui("targets_note")), *targets)
        )
    trends = [figure_block(_trend(e, data, place, lang), page) for e in config["trends"]]
    page.sections.append(section(lang.ui("trends"), *trends))
    compared = [
        figure_block(peers_figure(data, m, place, peers, lang, links=links, root=page.root), page)
        for m in config["peers"]
        if m in data.catalogue.metrics
    ]
    group = place.division if place.level == "department" else lang.ui("all_divisions")
    page.sections.append(section(lang.ui("compared_with", group=group or ""), *compared))
    parts = [
        figure_block(contributors_figure(data, m, place, lang), page)
        for m in config["contributors"]
        if m in data.catalogue.metrics
    ]
    page.sections.append(section(lang.ui("contributors"), *parts))
    return page


def _intro(place: Place, page: Page, links: Links) -> Html:
    lang = page.lang
    if place.level == "department":
        division = Place("division", place.division)
        href = links.get(division)
        where = tag("a", place.division, href=page.root + href) if href else place.division or ""
        return tag(
            "p",
            lang.ui("department_intro", name=place.name),
            " ",
            lang.ui("division"),
            ": ",
            where,
            class_="intro",
        )
    own = [
        tag("li", tag("a", p.name, href=page.root + href))
        for p, href in links.items()
        if p.level == "department" and p.division == place.division
    ]
    return tag(
        "div",
        tag("p", lang.ui("division_intro", name=place.name)),
        tag("ul", *own, class_="columns"),
        class_="intro",
    )


def index_page(data: SiteData, lang: Lang, links: Links) -> Page:
    """Every division with its departments: where a Green Team finds its own page."""
    page = Page(path="organisation.html", title=lang.ui("organisation"), lang=lang)
    page.intro = tag("p", lang.ui("organisation_intro"), class_="intro")
    departments = data.places("department")
    groups = data.places("division")
    if any(p.division is None for p in departments):
        groups.append(Place("division", None))
    for division in groups:
        items = [
            tag("li", tag("a", p.name, href=links[p]))
            for p in departments
            if p.division == division.division and p in links
        ]
        heading = (
            tag("a", division.name, href=links[division])
            if division in links
            else lang.ui("no_division")
        )
        page.sections.append(
            tag("section", tag("h2", heading), tag("ul", *items, class_="columns"))
        )
    return page
