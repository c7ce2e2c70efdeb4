"""The definitions page, generated from metrics/catalogue.yaml and metrics/targets.yaml.

Every figure on the site links here (``definitions.html#<metric id>``): what it
counts, its unit, where it is published, and which deliveries it is made from. The
targets follow with their citations, then how quality and verdicts are decided.
"""

from __future__ import annotations

from groendraad.charts import palette
from groendraad.charts.data import SiteData
from groendraad.charts.factor_table import factor_section
from groendraad.charts.html import Html, tag
from groendraad.charts.layout import Page, section
from groendraad.charts.progress_figures import verdict_badge
from groendraad.charts.text import Lang
from groendraad.metrics.catalogue import MetricSpec
from groendraad.metrics.targets import load_targets


def _metric_entry(spec: MetricSpec, lang: Lang) -> Html:
    facts = [
        (lang.ui("unit"), lang.unit(spec.unit)),
        (lang.ui("levels"), ", ".join(lang.ui(f"level_{lv}") for lv in spec.levels)),
        (lang.ui("better"), lang.ui(f"direction_{spec.direction}")),
    ]
    if spec.breakdown:
        facts.append((lang.ui("breakdown"), spec.breakdown))
    if spec.scope:
        facts.append((lang.ui("scope"), spec.scope))
    facts.append((lang.ui("sources"), ", ".join(spec.sources)))
    facts.append((lang.ui("metric_id"), tag("code", spec.id)))
    details = [part for name, value in facts for part in (tag("dt", name), tag("dd", value))]
    return tag(
        "article",
        tag("h3", lang.metric(spec.id), id=spec.id),
        tag("p", lang.definition(spec.id, spec.definition)),
        tag("dl", *details),
        class_="definition",
    )


def _targets(lang: Lang) -> list[Html]:
    return [
        tag(
            "article",
            tag("h3", lang.target(t.id, t.title), id=f"target-{t.id}"),
            tag("p", t.citation),
            tag("p", t.note) if t.note else "",
            class_="definition",
        )
        for t in load_targets()
    ]


def _quality(lang: Lang) -> Html:
    shapes = {"mixed": "◇", "estimated": "△", "missing": "✕"}
    items = [
        tag(
            "li",
            tag("strong", lang.quality(q)),
            " ",
            shapes.get(q, "—"),
            " ",
            lang.ui(f"quality_{q}"),
        )
        for q in ("measured", *palette.QUALITY_SHAPES)
    ]
    verdicts = [
        tag("li", verdict_badge(v, lang), " ", lang.ui(f"verdict_{v.replace(' ', '_')}"))
        for v in palette.VERDICT_COLOURS
    ]
    return tag(
        "div",
        tag("ul", *items),
        tag("p", lang.ui("quality_windows")),
        tag("h3", lang.ui("verdict")),
        tag("ul", *verdicts),
    )


def definitions_page(data: SiteData, lang: Lang) -> Page:
    """definitions.html: every metric by theme, the targets, quality and verdicts."""
    page = Page(path="definitions.html", title=lang.ui("definitions"), lang=lang)
    page.intro = tag("p", lang.ui("definitions_intro"), class_="intro")
    by_theme: dict[str, list[MetricSpec]] = {}
    for spec in data.catalogue.metrics.values():
        by_theme.setdefault(spec.theme, []).append(spec)
    for theme, specs in by_theme.items():
        entries = [_metric_entry(s, lang) for s in specs]
        page.sections.append(section(lang.theme(theme), *entries, key=f"theme-{theme}"))
    page.sections.append(section(lang.ui("targets"), *_targets(lang), key="targets"))
    factors = factor_section(data, lang)
    if factors is not None:
        page.sections.append(factors)
    page.sections.append(section(lang.ui("quality"), _quality(lang), key="quality"))
    return page
