"""Disposables and reusables issued by logistics to cost centres, per month.

Usage is expressed per employee-month by kind of department. The operating rooms
(kind ``ok``) use ~4.9 million non-sterile gloves a year until a 10% cut during
2023; reusable steel instruments replace disposable ones from 2022; masks and gowns
spike during COVID-19; incontinence material drops 5% towards 2026.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from groendraad.demo.common import covid_factor, level, ramp, rng
from groendraad.demo.organisation import cost_centres, departments
from groendraad.demo.staff import HEADCOUNT
from groendraad.months import Month

GLOVES_OR_CUT = (Month(2023, 1), Month(2023, 12), 0.10)
ISSUE_COLUMNS = {
    "Periode": pl.String,
    "Kostenplaats": pl.String,
    "Artikelnummer": pl.String,
    "GTIN": pl.String,
    "Omschrijving": pl.String,
    "Categorie": pl.String,
    "Aantal": pl.Int64,
    "Eenheid": pl.String,
    "Gewicht per stuk (g)": pl.Float64,
    "Herbruikbaar": pl.String,
}


@dataclass(frozen=True)
class Article:
    number: str
    description: str
    category: str
    unit: str  # ST or a pack such as DS100
    weight_g: float
    reusable: bool
    per_staff_month: dict[str, float]  # pieces per employee-month, by department kind
    trend: str | None = None

    @property
    def pack_size(self) -> int:
        digits = "".join(c for c in self.unit if c.isdigit())
        return int(digits) if digits else 1

    @property
    def gtin(self) -> str:
        """A 13-digit GTIN with a valid check digit."""
        body = f"871{int(self.number):09d}"
        total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
        return body + str((10 - total % 10) % 10)


KINDS = ("ok", "kliniek", "poli", "lab", "apotheek", "ondersteuning")


def read_catalogue(name: str) -> list[dict[str, str]]:
    """Rows of a CSV catalogue next to this module (lines starting with # are comments)."""
    text = Path(__file__).with_name(name).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


ARTICLES: tuple[Article, ...] = tuple(
    Article(
        row["number"],
        row["description"],
        row["category"],
        row["unit"],
        float(row["weight_g"]),
        row["reusable"] == "J",
        {kind: float(row[kind]) for kind in KINDS if row[kind]},
        row["trend"] or None,
    )
    for row in read_catalogue("articles.csv")
)


def article_factor(article: Article, kind: str, month: Month) -> float:
    """The article's trend multiplier for a department kind in ``month``."""
    if article.trend == "gloves":
        first, last, cut = GLOVES_OR_CUT
        return 1.0 - cut * ramp(month, first, last) if kind == "ok" else 1.0
    if article.trend == "covid":
        return 1.0 + 8.0 * (1.0 - covid_factor(month))
    if article.trend is None:
        return 1.0
    return level(article.trend, month)


def _staff_per_cost_centre() -> dict[str, tuple[str, float]]:
    total = sum(d.staff_weight for d in departments())
    return {
        code: (d.kind, HEADCOUNT * d.staff_weight / total / len(d.cost_centres))
        for d in departments()
        for code in d.cost_centres
    }


def issues(seed: int, month: Month) -> pl.DataFrame:
    """The month's issue lines, one per cost centre and article issued (Aantal > 0)."""
    g = rng(seed, "disposables", month.year, month.month)
    staff = _staff_per_cost_centre()
    pairs = [
        (
            cc.code,
            a,
            staff[cc.code][1]
            * a.per_staff_month[staff[cc.code][0]]
            * article_factor(a, staff[cc.code][0], month),
        )
        for cc in cost_centres()
        for a in ARTICLES
        if staff[cc.code][0] in a.per_staff_month
    ]
    expected = np.array([p[2] / p[1].pack_size for p in pairs])
    packs = g.poisson(np.clip(expected * g.normal(1.0, 0.05, len(pairs)), 0.0, None))
    # big consumers order every month; small ones skip a month now and then
    issued = ((expected >= 20) | (g.random(len(pairs)) < 0.92)) & (packs > 0)
    chosen = [(p[0], p[1], int(n)) for p, n, keep in zip(pairs, packs, issued, strict=True) if keep]
    return pl.DataFrame(
        [
            (
                str(month),
                code,
                a.number,
                a.gtin,
                a.description,
                a.category,
                n,
                a.unit,
                a.weight_g,
                "J" if a.reusable else "N",
            )
            for code, a, n in chosen
        ],
        schema=ISSUE_COLUMNS,
        orient="row",
    )
