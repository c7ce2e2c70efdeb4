"""Waste collections as the waste processor reports them, per month.

About 2.6 million kg a year in some twenty EURAL streams; residual waste falls 9%
from 2018 to 2024 while recycled streams grow. Weights are kept in tenths of a kg
(integers) so the Totaal line is an exact sum.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date

import numpy as np

from groendraad.demo.common import covid_factor, level, rng
from groendraad.months import Month

_KITCHEN = "Gebouw 1 - Centrale keuken"
_DOCK = "Gebouw 1 - Milieustraat"
_LOGISTICS = "Gebouw 8 - Logistiek centrum"
_LABS = "Gebouw 4 - Laboratoria"
_WARDS = "Gebouw 3 - Laadperron"


@dataclass(frozen=True)
class WasteStream:
    code: str  # EURAL code, '18 01 03*' form
    description: str
    route: str
    kg_per_year: float
    kg_per_collection: float
    trend: str | None
    locations: tuple[str, ...]


STREAMS: tuple[WasteStream, ...] = (
    WasteStream(
        "20 03 01",
        "Restafval (bedrijfsafval)",
        "Verbranding met energieterugwinning",
        1_200_000,
        5_500,
        "residual_waste",
        (_DOCK, _LOGISTICS, _WARDS),
    ),
    WasteStream(
        "18 01 03*",
        "Specifiek ziekenhuisafval (SZA)",
        "Verbranding ZAVIN",
        420_000,
        3_500,
        "clinical",
        (_DOCK, _WARDS),
    ),
    WasteStream(
        "15 01 01",
        "Papier en karton",
        "Recycling",
        260_000,
        2_500,
        "recycled_waste",
        (_DOCK, _LOGISTICS),
    ),
    WasteStream("20 01 01", "Vertrouwelijk papier", "Recycling", 60_000, 900, None, (_DOCK,)),
    WasteStream(
        "15 01 02",
        "Kunststof folie en verpakking",
        "Recycling",
        70_000,
        800,
        "recycled_waste",
        (_LOGISTICS,),
    ),
    WasteStream(
        "15 01 06",
        "PMD (plastic, metaal, drankkartons)",
        "Recycling",
        60_000,
        700,
        "recycled_waste",
        (_DOCK, _KITCHEN),
    ),
    WasteStream("15 01 07", "Glas", "Recycling", 45_000, 1_200, None, (_KITCHEN, _DOCK)),
    WasteStream(
        "20 01 08", "Swill (keukenafval)", "Vergisting", 180_000, 1_500, "kitchen", (_KITCHEN,)
    ),
    WasteStream("20 01 38", "Hout (B-hout)", "Recycling", 55_000, 2_800, None, (_LOGISTICS,)),
    WasteStream("20 01 40", "Metalen", "Recycling", 35_000, 1_800, None, (_DOCK,)),
    WasteStream(
        "20 01 36", "Elektrische apparatuur (AEEA)", "Recycling", 25_000, 900, None, (_DOCK,)
    ),
    WasteStream(
        "16 02 14",
        "Medische apparatuur voor hergebruik",
        "Hergebruik",
        15_000,
        1_200,
        None,
        (_LOGISTICS,),
    ),
    WasteStream(
        "18 01 08*", "Cytostatica-afval", "Verbranding ZAVIN", 18_000, 350, None, (_WARDS, _DOCK)
    ),
    WasteStream(
        "18 01 06*",
        "Chemicaliën (laboratorium)",
        "Verbranding met energieterugwinning",
        12_000,
        250,
        None,
        (_LABS,),
    ),
    WasteStream(
        "16 05 06*",
        "Laboratoriumchemicaliën",
        "Verbranding met energieterugwinning",
        6_000,
        150,
        None,
        (_LABS,),
    ),
    WasteStream(
        "18 01 09",
        "Medicijnresten",
        "Verbranding met energieterugwinning",
        5_000,
        150,
        None,
        (_DOCK,),
    ),
    WasteStream("20 02 01", "Groenafval", "Compostering", 30_000, 1_500, "garden", (_DOCK,)),
    WasteStream(
        "17 09 04",
        "Bouw- en sloopafval (gemengd)",
        "Storten",
        80_000,
        4_000,
        None,
        (_LOGISTICS, _WARDS),
    ),
    WasteStream("20 01 25", "Frituurvet", "Recycling", 4_000, 200, None, (_KITCHEN,)),
    WasteStream("20 01 33*", "Batterijen", "Recycling", 2_500, 120, None, (_DOCK,)),
    WasteStream("20 01 21*", "TL-buizen en spaarlampen", "Recycling", 1_200, 80, None, (_DOCK,)),
)


@dataclass(frozen=True)
class WasteLine:
    day: date
    location: str
    container: str
    code: str
    compact_code: bool  # written as '180103*' instead of '18 01 03*'
    description: str
    route: str
    tenths_kg: int  # weight in 0.1 kg; negative on a correction line


def container_number(code: str, location: str) -> str:
    """The container that serves this stream at this location (stable over the years)."""
    return f"C{zlib.crc32(f'{code}|{location}'.encode()) % 90_000 + 10_000}"


def monthly_kg(stream: WasteStream, month: Month) -> float:
    """Expected kg of ``stream`` in ``month`` before noise."""
    kg = stream.kg_per_year * month.days / 365.25
    if stream.trend in ("residual_waste", "recycled_waste"):
        kg *= level(stream.trend, month)
    elif stream.trend == "clinical":
        kg *= 2.0 - covid_factor(month, 0.6)
    elif stream.trend == "kitchen":
        kg *= covid_factor(month, 0.3)
    elif stream.trend == "garden":
        kg *= 1.0 + 0.8 * np.cos(2 * np.pi * (month.month - 5) / 6)
    return kg


def month_noise(seed: int, stream: WasteStream, month: Month) -> float:
    """A multiplier around 1 whose mean over each calendar year is exactly 1.

    So year-on-year ratios (residual waste -9% 2024 vs 2018) come out as reported.
    """
    noise = rng(seed, "waste-noise", stream.code, month.year).normal(0.0, 0.06, 12)
    return float(1.0 + np.clip(noise - noise.mean(), -0.3, 0.3)[month.month - 1])


def _collections(
    g: np.random.Generator, stream: WasteStream, month: Month, noise: float
) -> list[WasteLine]:
    kg = monthly_kg(stream, month) * noise
    count = max(1, round(kg / stream.kg_per_collection))
    tenths = np.maximum(np.round(g.dirichlet([8.0] * count) * kg * 10), 1).astype(np.int64)
    days = np.sort(g.integers(1, month.days + 1, size=count))
    locations = g.choice(len(stream.locations), size=count)
    compact = g.random(count) < 0.25
    return [
        WasteLine(
            date(month.year, month.month, int(d)),
            stream.locations[loc],
            container_number(stream.code, stream.locations[loc]),
            stream.code,
            bool(c),
            stream.description,
            stream.route,
            int(t),
        )
        for d, loc, c, t in zip(days, locations, compact, tenths, strict=True)
    ]


def _corrections(g: np.random.Generator, lines: list[WasteLine]) -> list[WasteLine]:
    """Now and then a credit line: part of an earlier collection weighed too heavily."""
    result = []
    for _ in range(int(g.poisson(0.6))):
        line = lines[int(g.integers(0, len(lines)))]
        credit = -max(1, int(line.tenths_kg * g.uniform(0.05, 0.3)))
        result.append(
            WasteLine(
                line.day,
                line.location,
                line.container,
                line.code,
                line.compact_code,
                line.description,
                line.route,
                credit,
            )
        )
    return result


def waste_lines(seed: int, month: Month) -> list[WasteLine]:
    """All lines of the month's waste report (without the Totaal line), ordered by date."""
    g = rng(seed, "waste", month.year, month.month)
    lines = [
        line
        for stream in STREAMS
        for line in _collections(g, stream, month, month_noise(seed, stream, month))
    ]
    lines += _corrections(g, lines)
    return sorted(lines, key=lambda x: (x.day, x.container, -x.tenths_kg))
