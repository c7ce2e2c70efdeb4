"""The overview: the scoreboard of every target, and the way to the themes and teams."""

from __future__ import annotations

from collections import Counter

import polars as pl

from groendraad.charts.data import INSTITUTION, SiteData
from groendraad.charts.factor_split import split_section
from groendraad.charts.html import Html, table, tag
from groendraad.charts.layout import THEMES, Page, section
from groendraad.charts.organisation import targets_section
from groendraad.charts.progress_figures import PER_12, verdict_badge
from groendraad.charts.ranking import Links
from groendraad.charts.text import Lang, scaled_unit
from groendraad.metrics.targets import load_targets


def _latest(progress: pl.DataFrame) -> pl.DataFrame:
    """Each target's row of the last month."""
    if progress.is_empty():
        return progress
    return progress.filter(pl.col("period") == pl.col("period").max())


def _value(value: float | None, unit: str, lang: Lang, largest: float | None) -> str:
    if value is None:
        return "–"
    base = unit.removesuffix(PER_12)
    shown, divisor = scaled_unit(base, largest)
    return f"{lang.number(value / divisor)} {lang.unit(shown)}"


def _verdict_cell(row: dict, lang: Lang) -> Html:
    """The verdict, and how many months of its window are estimated ("op koers, 1 van 12
    maanden geschat")."""
    badge = verdict_badge(row["verdict"], lang)
    notes = []
    if row.get("months_estimated"):
        notes.append(
            lang.ui(
                "window_estimated", count=row["months_estimated"], months=row["estimated_months"]
            )
        )
    if row.get("baseline_estimated_months") and row["verdict"] != "no data":
        notes.append(
            lang.ui(
                "baseline_estimated_short",
                year=row["baseline_year"],
                months=row["baseline_estimated_months"],
            )
        )
    return tag("span", badge, *(f", {n}" for n in notes)) if notes else badge


def scoreboard(data: SiteData, page: Page) -> Html:
    """One row per target: verdict, actual, path, projection and the target value."""
    lang = page.lang
    latest = {r["target"]: r for r in _latest(data.progress).iter_rows(named=True)}
    rows = []
    for target in load_targets():
        row = latest.get(target.id)
        if row is None:
            continue
        largest = max([abs(v) for v in (row["actual"], row["target_value"]) if v] or [0.0])
        values = [
            _value(row[k], row["unit"], lang, largest)
            for k in ("actual", "trajectory", "projected", "target_value")
        ]
        title = tag("a", lang.target(target.id, target.title), href=f"#fig-target-{target.id}")
        rows.append(
            [
                title,
                _verdict_cell(row, lang),
                *values[:3],
                f"{values[3]} ({target.target_year})",
            ]
        )
    headers = [
        lang.ui("target"),
        lang.ui("verdict"),
        lang.ui("actual_header"),
        lang.ui("path_header"),
        lang.ui("projected_header"),
        lang.ui("target_value"),
    ]
    return table(headers, rows, caption=lang.ui("scoreboard_caption"), numeric_from=2)


def _counts(data: SiteData, lang: Lang) -> Html:
    counts = Counter(_latest(data.progress)["verdict"].to_list())
    items = [
        tag("li", verdict_badge(v, lang), " ", str(counts[v]))
        for v in ("on track", "at risk", "off track", "no data")
        if counts[v]
    ]
    return tag("ul", *items, class_="verdict-counts", aria_label=lang.ui("verdict"))


def overview_page(data: SiteData, lang: Lang, links: Links) -> Page:
    """index.html: the targets first, then the themes and the Green Teams' pages."""
    page = Page(path="index.html", title=lang.ui("overview_title"), lang=lang)
    page.intro = tag(
        "div",
        tag("p", lang.ui("overview_intro", institution=data.institution)),
        _counts(data, lang),
        class_="intro",
    )
    if data.progress.is_empty():
        page.sections.append(section(lang.ui("targets"), tag("p", lang.ui("no_figures"))))
    else:
        page.sections.append(section(lang.ui("targets"), scoreboard(data, page), key="targets"))
        split = split_section(data, lang)
        if split is not None:
            page.sections.append(split)
        page.sections.append(
            section(lang.ui("targets_detail"), *targets_section(data, INSTITUTION, page))
        )
    themes = [tag("li", tag("a", lang.theme(t), href=f"theme/{t}.html")) for t in THEMES]
    page.sections.append(section(lang.ui("themes"), tag("ul", *themes, class_="columns")))
    divisions = [
        tag("li", tag("a", p.name, href=links[p])) for p in data.places("division") if p in links
    ]
    page.sections.append(
        section(
            lang.ui("green_teams"),
            tag(
                "p",
                lang.ui("green_teams_intro"),
                " ",
                tag("a", lang.ui("organisation"), href="organisation.html"),
                ".",
            ),
            tag("ul", *divisions, class_="columns"),
        )
    )
    return page
