"""How much of the CO2 reduction the hospital did and how much the grid (the factors) did.

Computed from the published figures (``co2e.total_location_kg`` and its fixed-factor
twin) with metrics/decomposition.py, in plain Dutch and English, plus a table of every
year-on-year change split the same way. Shown on the CO2 theme page and the overview.
"""

from __future__ import annotations

import polars as pl

from groendraad.charts.data import SiteData
from groendraad.charts.html import Html, table, tag
from groendraad.charts.layout import section
from groendraad.charts.text import Lang
from groendraad.metrics.decomposition import decompose
from groendraad.metrics.emission_settings import EmissionSettings, co2_baseline_year
from groendraad.metrics.projection import METHOD_NOTE

METRIC = "co2e.total_location_kg"
TEXT = {
    "title": {"nl": "Wat deed het ziekenhuis, wat deed de stroommix?",
              "en": "What did the hospital do, what did the grid do?"},
    "since": {
        "nl": "Sinds {base} veranderde de CO₂-uitstoot (netgemiddelde, factoren van elk jaar) van "
              "{before} naar {now} ton: {change} ton ({pct}). Daarvan komt {activity} ton ({apct}) "
              "door het eigen energiegebruik, afval en reizen van het ziekenhuis (gerekend met de "
              "factoren van {fixed} voor elk jaar) en {factor} ton ({fpct}) door veranderde "
              "emissiefactoren, vooral een schonere Nederlandse stroommix.",
        "en": "Since {base}, CO₂ emissions (location-based, each year's own factors) went from "
              "{before} to {now} tonnes: {change} tonnes ({pct}). Of that, {activity} tonnes "
              "({apct}) is the hospital's own energy use, waste and travel (on the factors of "
              "{fixed} for every year) and {factor} tonnes ({fpct}) is changed emission factors, "
              "mostly a cleaner Dutch grid.",
    },
    "projection": {
        "nl": "De prognose voor het doeljaar trekt het gebruik door en rekent het met de nieuwste "
              "factoren; een eenmalige verandering van de factoren wordt niet elk jaar herhaald.",
        "en": "The projection to the target year extends the hospital's activity and prices it "
              "with the latest factors (" + METHOD_NOTE + ").",
    },
    "headers": {"nl": ["Jaar", "Gerapporteerd (t)", "Vaste factoren (t)", "Verandering (t)",
                       "Door het ziekenhuis (t)", "Door de factoren (t)"],
                "en": ["Year", "Reported (t)", "Fixed factors (t)", "Change (t)",
                       "Hospital's activity (t)", "Factors (t)"]},
    "caption": {"nl": "Verandering ten opzichte van het jaar ervoor, in twee delen",
                "en": "Change on the year before, split in two"},
}  # fmt: skip


def _table(data: SiteData) -> pl.DataFrame:
    figures = data.metrics.filter(
        (pl.col("level") == "institution")
        & pl.col("category").is_null()
        & pl.col("metric").is_in([METRIC, METRIC.removesuffix("_kg") + "_fixed_kg"])
    ).select("metric", "period", "value")
    decomposed = decompose(figures, co2_baseline_year(), 0)
    return decomposed.filter(pl.col("metric") == METRIC)


def _since(row: dict, lang: Lang, fixed_year: int) -> str:
    def t(kg: float) -> str:
        return lang.number(kg / 1000)

    def pct(kg: float) -> str:
        base = row["reported_base_kg"]
        return lang.number(kg / base * 100, 1) + "%" if base else "–"

    return TEXT["since"][lang.code].format(
        base=row["base"], before=t(row["reported_base_kg"]), now=t(row["reported_kg"]),
        change=t(row["change_kg"]), pct=pct(row["change_kg"]),
        activity=t(row["activity_effect_kg"]), apct=pct(row["activity_effect_kg"]),
        factor=t(row["factor_effect_kg"]), fpct=pct(row["factor_effect_kg"]), fixed=fixed_year,
    )  # fmt: skip


def split_section(data: SiteData, lang: Lang) -> Html | None:
    """The section (None when the published figures cannot be split yet)."""
    fixed_year = data.fixed_factor_year or EmissionSettings().fixed_year
    table_ = _table(data)
    base = str(co2_baseline_year())
    since = table_.filter((pl.col("base") == base) & pl.col("window").str.starts_with("12"))
    if since.is_empty():
        since = table_.filter(pl.col("base") == base).tail(1)
    if since.is_empty():
        return None
    previous = (pl.col("window").cast(pl.Int32, strict=False) - 1).cast(pl.String)
    yearly = table_.filter(pl.col("base") == previous)
    rows = [
        [r["window"], *(lang.number(r[k] / 1000) for k in
         ("reported_kg", "fixed_kg", "change_kg", "activity_effect_kg", "factor_effect_kg"))]
        for r in yearly.iter_rows(named=True)
    ]  # fmt: skip
    return section(
        TEXT["title"][lang.code],
        tag("p", _since(since.row(0, named=True), lang, fixed_year), class_="factor-split"),
        tag("p", TEXT["projection"][lang.code]),
        table(TEXT["headers"][lang.code], rows, caption=TEXT["caption"][lang.code]),
        key="factor-split",
    )
