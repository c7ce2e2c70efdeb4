"""The definitions page's factor table: per year and factor what is used, from where,
and how sure (the same table as ``groendraad factors check``, metrics/factor_check.py)."""

from __future__ import annotations

import re

import polars as pl

from groendraad.charts.data import SiteData
from groendraad.charts.html import Html, table, tag
from groendraad.charts.layout import section
from groendraad.charts.text import Lang
from groendraad.metrics.factor_check import summary, usage
from groendraad.metrics.factors import load_factors

TEXT = {
    "title": {"nl": "Emissiefactoren per jaar", "en": "Emission factors per year"},
    "intro": {
        "nl": "Elk jaar rekent met de factorenlijst van dat jaar. Een jaar waarvoor de lijst "
        "niet gevonden is, gebruikt de dichtstbijzijnde gepubliceerde lijst en telt als "
        "aangenomen. TTW is het verbrandings- of opwekdeel (scope 1 en 2), WTT het ketendeel "
        "(scope 3.3).",
        "en": "Each year uses the factor list of that year. A year whose list was not found "
        "uses the nearest published list and counts as assumed. TTW is the combustion or "
        "generation part (scopes 1 and 2), WTT the upstream part (scope 3.3).",
    },
    "headers": {
        "nl": ["Jaar", "Factor", "Waarde", "Lijstjaar", "Status", "Betrouwbaarheid"],
        "en": ["Year", "Factor", "Value", "List year", "Status", "Confidence"],
    },
    "sources": {"nl": "Bronnen", "en": "Sources"},
    "counts": {"nl": "officieel {official}, secundair {secondary}, aangenomen {assumed}, "
               "ontbrekend {missing} (factor-jaren)",
               "en": "official {official}, secondary {secondary}, assumed {assumed}, "
               "missing {missing} (factor-years)"},
}  # fmt: skip
_NL = {"as listed": "zoals in de lijst", "not a yearly list": "geen jaarlijst",
       "MISSING": "ONTBREEKT", "official": "officieel", "secondary": "secundair",
       "assumed": "aangenomen"}  # fmt: skip


def _word(text: str | None, lang: Lang) -> str:
    if text is None or lang.code != "nl":
        return text or "–"
    text = re.sub(r"carried back from list (\d+)", r"teruggezet uit lijst \1", text)
    text = re.sub(r"carried forward from list (\d+)", r"doorgetrokken uit lijst \1", text)
    return _NL.get(text, text)


def factor_section(data: SiteData, lang: Lang) -> Html | None:
    """The section, for the years the published figures cover."""
    years = sorted({m.year for m in data.months}) if data.metrics.height else []
    if not years:
        return None
    used = data.memo(("factor-usage", tuple(years)), lambda: usage(load_factors(), years))
    used = used.filter(pl.col("category") != "energy_content")
    rows = [
        [str(r["year"]), f"{r['activity']} ({r['part']}, {r['basis']})",
         f"{lang.number(r['value'], 4)} {r['unit']}" if r["value"] is not None else "–",
         str(r["list_year"] or "–"), _word(r["status"], lang), _word(r["confidence"], lang)]
        for r in used.iter_rows(named=True)
    ]  # fmt: skip
    sources = used.filter(pl.col("factor_id").is_not_null()).unique("factor_id").sort("factor_id")
    cited = [
        tag("li", tag("code", r["factor_id"]), ": ", r["source"])
        for r in sources.iter_rows(named=True)
    ]
    return section(
        TEXT["title"][lang.code],
        tag("p", TEXT["intro"][lang.code]),
        tag("p", TEXT["counts"][lang.code].format(**summary(used))),
        table(TEXT["headers"][lang.code], rows, numeric_from=2),
        tag("h3", TEXT["sources"][lang.code]),
        tag("ul", *cited),
        key="factors",
    )
