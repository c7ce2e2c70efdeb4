"""Medicine waste registered by the hospital pharmacy (Klinische Farmacie en Toxicologie).

Ward returns and "prepared but not administered" are the main streams; the pharmacy
itself mostly writes off expired stock. Waste falls from 2024 on (LUMC's -20% aim).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from groendraad.demo.common import level, rng
from groendraad.demo.organisation import Department, departments
from groendraad.demo.supplies import read_catalogue
from groendraad.months import Month

REASONS = (
    "Verlopen",
    "Retour niet herbruikbaar",
    "Bereid niet toegediend",
    "Gemorst of kapot",
    "Overig",
)
_REASON_P = {
    "apotheek": (0.70, 0.20, 0.04, 0.03, 0.03),
    "ok": (0.10, 0.15, 0.60, 0.10, 0.05),
    "kliniek": (0.15, 0.35, 0.30, 0.10, 0.10),
    "poli": (0.30, 0.30, 0.20, 0.10, 0.10),
}
COLUMNS = {
    "Datum": pl.Date,
    "Afdeling": pl.String,
    "ATC": pl.String,
    "Product": pl.String,
    "Hoeveelheid": pl.Float64,
    "Eenheid": pl.String,
    "Reden": pl.String,
    "Waarde (EUR)": pl.Float64,
}
# registrations per 100 employees a month, by department kind
_RATE = {"apotheek": 40.0, "ok": 12.0, "kliniek": 5.0, "poli": 2.0}


@dataclass(frozen=True)
class Product:
    atc: str
    name: str
    unit: str  # stuk, ml, flacon, ampul
    eur_per_unit: float
    max_quantity: int
    kinds: tuple[str, ...]


PRODUCTS: tuple[Product, ...] = tuple(
    Product(
        row["atc"],
        row["product"],
        row["unit"],
        float(row["eur_per_unit"]),
        int(row["max_quantity"]),
        tuple(row["kinds"].split()),
    )
    for row in read_catalogue("medicines.csv")
)


def _department_rows(
    g: np.random.Generator, dept: Department, count: int, month: Month
) -> pl.DataFrame:
    choices = [p for p in PRODUCTS if dept.kind in p.kinds]
    picked = [choices[i] for i in g.integers(0, len(choices), count)]
    limit = np.array([p.max_quantity for p in picked], dtype=float)
    is_ml = np.array([p.unit == "ml" for p in picked], dtype=bool)
    quantity = np.where(
        is_ml,
        np.round(g.uniform(0.05, 1.0, count) * limit, 1),
        np.floor(g.random(count) * limit) + 1,
    )
    price = np.array([p.eur_per_unit for p in picked])
    return pl.DataFrame(
        {
            "Datum": [
                date(month.year, month.month, int(d)) for d in g.integers(1, month.days + 1, count)
            ],
            "Afdeling": [dept.name] * count,
            "ATC": [p.atc for p in picked],
            "Product": [p.name for p in picked],
            "Hoeveelheid": quantity,
            "Eenheid": [p.unit for p in picked],
            "Reden": g.choice(REASONS, size=count, p=_REASON_P[dept.kind]).astype(str),
            "Waarde (EUR)": np.round(quantity * price, 2),
        },
        schema=COLUMNS,
    )


def registrations(seed: int, month: Month) -> pl.DataFrame:
    """The month's medicine-waste registrations, ordered by date."""
    g = rng(seed, "medicine", month.year, month.month)
    total_weight = sum(d.staff_weight for d in departments())
    frames = []
    for dept in departments():
        if dept.kind not in _RATE:
            continue
        staff = 10_000 * dept.staff_weight / total_weight
        count = int(g.poisson(_RATE[dept.kind] * staff / 100 * level("medicine_waste", month)))
        frames.append(_department_rows(g, dept, count, month))
    return pl.concat(frames).sort("Datum", "Afdeling", "ATC", maintain_order=True)
