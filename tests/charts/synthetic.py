"""A small published warehouse made of synthetic figures that follow metrics/CONTRACT.md.

Every metric of the catalogue at every level it is published, for two divisions with
two departments each (one of them named like an attack), over 30 months; some months
estimated, mixed or missing. Written through the metrics store, so the pages read it
exactly as they read a real publication.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from groendraad.metrics import load_catalogue
from groendraad.metrics.compute import CONTRACT_SCHEMA
from groendraad.metrics.progress import write_progress
from groendraad.metrics.store import write_current, write_version
from groendraad.months import Month, month_range

HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT_BREAK = "</script><script>alert(2)</script>"
DEPARTMENTS = {
    "Divisie 1": ["KNO", HOSTILE],
    "Divisie & Co": ["Hartziekten", SCRIPT_BREAK],
}
FIRST, LAST = Month(2023, 1), Month(2025, 6)
CATEGORIES = {
    "eural_code": ["20 03 01", "18 01 03*", "15 01 01", "99 99 99"],
    "processing_route": ["Recycling", "Verbranding ZAVIN", "Storten"],
    "cause": ["overproduction", "plate_waste", "spoilage"],
    "article_category": ["Handschoenen niet-steriel", "Gaas niet-steriel", "Schorten"],
    "mode": ["Fiets", "Auto", "OV"],
    "reason": ["Verlopen", "Overig", "Bereid niet toegediend"],
    "carrier": ["electricity", "heat"],
}
BREAKDOWN_ONLY = {"waste.stream_kg", "waste.route_kg", "waste.hazardous_route_kg",
                  "food_waste.cause_kg"}  # fmt: skip


def _quality(month: Month, metric: str) -> str:
    if month == Month(2024, 4):
        return "missing"
    if metric.startswith("energy.") and month.month in (1, 2):
        return "estimated"
    if month.month == 7:
        return "mixed"
    return "measured"


def _value(metric: str, month: Month, scale: float, quality: str) -> float | None:
    if quality == "missing":
        return None
    if metric.endswith("_pct"):
        return 40.0 + 10 * math.sin(month.month) + scale
    trend = 1.0 - 0.004 * ((month.year - 2023) * 12 + month.month)
    return 1000.0 * scale * trend * (1.1 + 0.1 * math.cos(month.month))


def _places() -> list[tuple[str, str | None, str | None, float]]:
    places = [("institution", None, None, 20.0)]
    for d, (division, departments) in enumerate(DEPARTMENTS.items()):
        places.append(("division", division, None, 8.0 + d))
        places += [("department", division, p, 2.0 + d + i) for i, p in enumerate(departments)]
    return places


def figures(month: Month) -> pl.DataFrame:
    """The metrics table of one month."""
    rows = []
    for spec in load_catalogue().metrics.values():
        for level, division, department, scale in _places():
            if level not in spec.levels:
                continue
            quality = _quality(month, spec.id)
            base = {"institution": "synthetic-umc", "period": month.first_day,
                    "metric": spec.id, "theme": spec.theme, "level": level,
                    "department": department, "division": division, "unit": spec.unit,
                    "quality": quality, "method": "sum", "people": None,
                    "deliveries": "synthetic=0", "factor_set": "fs-test", "factors": None,
                    "method_version": "m-test"}  # fmt: skip
            if spec.id not in BREAKDOWN_ONLY:
                rows.append({**base, "category": None,
                             "value": _value(spec.id, month, scale, quality)})  # fmt: skip
            for i, category in enumerate(CATEGORIES.get(spec.breakdown or "", [])):
                value = _value(spec.id, month, scale / (i + 1), quality)
                rows.append({**base, "category": category, "value": value})
    return pl.DataFrame(rows, schema=CONTRACT_SCHEMA)


def publish(root: Path, first: Month = FIRST, last: Month = LAST) -> Path:
    """Publish the synthetic months into ``root`` (version 1 each) with progress."""
    stamp = datetime(2025, 7, 3, 8, 0, tzinfo=UTC)
    for month in month_range(first, last):
        write_version(root, month, figures(month), 1, stamp)
    write_current(root)
    write_progress(root, base_years={"medicine_waste_minus_20": 2023})
    return root


def month_of(day: date) -> Month:
    return Month(day.year, day.month)
