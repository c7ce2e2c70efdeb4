"""The pages' words in Dutch (default) and English: labels.yaml plus number and month formats.

``Lang("nl")`` / ``Lang("en")`` turns ids into what a reader sees: metric and theme
names, units (``m3`` -> ``m³``), categories, months (``okt 2025``) and numbers
(``1.234,5`` in Dutch). Fixed page text is in words.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from groendraad.charts.words import UI

LABELS_FILE = Path(__file__).with_name("labels.yaml")
LANGUAGES = ("nl", "en")
MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
QUALITY = {
    "measured": {"nl": "gemeten", "en": "measured"},
    "mixed": {"nl": "deels geschat", "en": "partly estimated"},
    "estimated": {"nl": "geschat", "en": "estimated"},
    "missing": {"nl": "ontbreekt", "en": "missing"},
}
VERDICTS = {
    "on track": {"nl": "op koers", "en": "on track"},
    "at risk": {"nl": "risico", "en": "at risk"},
    "off track": {"nl": "uit koers", "en": "off track"},
    "no data": {"nl": "geen gegevens", "en": "no data"},
}
# a unit in kg above this many (in a chart) is shown in tonnes; kWh in MWh
_SCALED_UNITS = {"kg": ("t", 1000.0), "kg CO2e": ("t CO2e", 1000.0), "kWh": ("MWh", 1000.0)}
_SCALE_FROM = 100_000.0


@cache
def labels() -> dict[str, Any]:
    """labels.yaml, parsed once."""
    return yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))


def scaled_unit(unit: str, largest: float | None) -> tuple[str, float]:
    """(unit to show, divisor) so that large kg or kWh figures read as t or MWh."""
    if unit in _SCALED_UNITS and largest is not None and abs(largest) >= _SCALE_FROM:
        return _SCALED_UNITS[unit]
    return unit, 1.0


@dataclass(frozen=True)
class Lang:
    """One language of the site: names, units, months and numbers as readers see them."""

    code: str

    def ui(self, key: str, **values: Any) -> str:
        """A fixed text of the pages, with ``{name}`` placeholders filled in."""
        text = UI[key][self.code]
        return text.format(**values) if values else text

    def theme(self, theme: str) -> str:
        return labels()["themes"].get(theme, {}).get(self.code, theme)

    def metric(self, metric: str) -> str:
        return labels()["metrics"].get(metric, {}).get(self.code, metric)

    def definition(self, metric: str, english: str) -> str:
        """The Dutch definition from labels.yaml, or the catalogue's English one."""
        if self.code == "nl":
            return labels()["metrics"].get(metric, {}).get("nl_def", english)
        return english

    def target(self, target: str, english: str) -> str:
        return labels()["targets"].get(target, {}).get(self.code, english)

    def unit(self, unit: str) -> str:
        """A unit as shown (``m3`` -> ``m³``; ``... per 12 months`` translated)."""
        suffix = " per 12 months"
        if unit.endswith(suffix):
            return f"{self.unit(unit.removesuffix(suffix))} {self.ui('per_12_months')}"
        return labels()["units"].get(unit, {}).get(self.code, unit)

    def category(self, category: str) -> str:
        """A delivered category's name; EURAL codes keep their code: ``Restafval (20 03 01)``."""
        entry = labels()["categories"].get(category, {})
        name = entry.get(self.code, category)
        is_code = category[:2].isdigit()
        return f"{name} ({category})" if is_code and name != category else name

    def quality(self, quality: str) -> str:
        return QUALITY.get(quality, {}).get(self.code, quality)

    def verdict(self, verdict: str) -> str:
        return VERDICTS.get(verdict, {}).get(self.code, verdict)

    def month(self, day: date, short: bool = False) -> str:
        name = MONTHS[self.code][day.month - 1]
        return f"{name[:3]} {day.year}" if short else f"{name} {day.year}"

    def date(self, day: date) -> str:
        return f"{day.day} {MONTHS[self.code][day.month - 1]} {day.year}"

    def number(self, value: float | None, digits: int | None = None) -> str:
        """``value`` with thousands separators, as many decimals as useful (or ``digits``)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        if digits is None:
            digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
        # a value that rounds to zero is 0, never "−0,00"
        text = f"{round(value, digits) + 0.0:,.{digits}f}"
        if self.code == "nl":
            text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
        return text.replace("-", "−")

    def percent(self, value: float | None) -> str:
        if value is None:
            return "–"
        sign = "+" if value > 0 else ""
        return f"{sign}{self.number(value, 0 if abs(value) >= 10 else 1)}%"


def languages() -> tuple[Lang, ...]:
    """Every language of the site, the default (Dutch) first."""
    return tuple(Lang(code) for code in LANGUAGES)
