"""A small, clean, plausible month of every source, as the connectors' frames.

Seeded by the month, stable from month to month (so month-over-month checks pass),
complete (every meter interval, including the DST days) and with every value known
to the organisation reference below. Tests break one thing at a time in it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from groendraad.expectations import CheckResult, ValidationOutcome
from groendraad.months import Month
from groendraad.warehouse import staging
from groendraad.warehouse.schema import conform, table

MONTH = Month(2025, 10)
RUN = "test-run"
Validate = Callable[..., ValidationOutcome]  # the `validate` fixture (conftest.py)

ORGANISATION = pl.DataFrame(
    {
        "cost_centre": ["K100", "K101", "K200", "K300"],
        "department": ["Cardiologie", "Cardiologie", "Apotheek", "Radiologie"],
        "division": ["Beschouwend", "Beschouwend", "Ondersteuning", "Diagnostiek"],
        "building": ["Gebouw 1", "Gebouw 1", "Gebouw 2", "Gebouw 3"],
        "floor_area_m2": [1200.0, 300.0, 640.0, 900.0],
    }
)
DEPARTMENTS = ["Cardiologie", "Apotheek", "Radiologie"]
METERS = pl.DataFrame(
    {
        "meter_id": ["E-G1", "PV-G1", "G-G1"],
        "ean": ["871687400000000017", "871687400000000024", "871687400000000031"],
        "building": ["Gebouw 1"] * 3,
        "carrier": ["electricity", "pv", "gas"],
        "unit": ["kWh", "kWh", "m3"],
        "interval_minutes": [15, 15, 60],
        "direction": ["consumption", "generation", "consumption"],
    }
)
EURAL = ["18 01 03*", "20 03 01", "15 01 01", "20 01 08"]
CATEGORIES = ["overproduction", "unserved", "plate_waste", "spoilage"]
ROUTES = ["Verbranding ZAVIN", "Verbranding met energieterugwinning", "Recycling", "Vergisting"]


def rng(month: Month, what: str) -> np.random.Generator:
    return np.random.default_rng([month.year, month.month, sum(map(ord, what))])


def days(month: Month) -> list[date]:
    return [month.first_day + timedelta(days=d) for d in range(month.days)]


def energy(month: Month) -> dict[str, pl.DataFrame]:
    """Every interval of the local month for three meters, 1% of them estimated."""
    start, end = month.start_local().astimezone(UTC), month.end_local().astimezone(UTC)
    frames = []
    for meter in METERS.iter_rows(named=True):
        minutes = meter["interval_minutes"]
        starts = pl.datetime_range(start, end, f"{minutes}m", closed="left", eager=True)
        noise = rng(month, meter["meter_id"]).uniform(0.9, 1.1, len(starts))
        status = np.where(np.arange(len(starts)) % 100 == 7, "estimated", "measured")
        values = {"interval_start": starts, "value": noise * 10 * minutes, "status": status}
        fixed = ("meter_id", "carrier", "direction", "interval_minutes", "unit")
        frames.append(pl.DataFrame(values).with_columns(**{k: pl.lit(meter[k]) for k in fixed}))
    readings = pl.concat(frames).select(table("energy_readings").schema.names())
    return {
        "energy_meters": conform("energy_meters", METERS),
        "energy_readings": conform("energy_readings", readings),
    }


def waste(month: Month) -> dict[str, pl.DataFrame]:
    """Forty collections (one correction) and the Totaal line that matches them."""
    g = rng(month, "waste")
    count = 40
    weights = np.round(g.uniform(400, 600, count), 1)
    weights[-1] = -50.0
    kinds = [i % len(EURAL) for i in range(count)]
    collections = pl.DataFrame(
        {
            "collection_date": [days(month)[i % month.days] for i in range(count)],
            "location": [f"Gebouw {i % 3 + 1}" for i in range(count)],
            "container_id": [f"C-{i:04d}" for i in range(count)],
            "eural_code": [EURAL[k] for k in kinds],
            "hazardous": [EURAL[k].endswith("*") for k in kinds],
            "description": ["Afval"] * count,
            "processing_route": [ROUTES[k] for k in kinds],
            "weight_kg": weights,
            "is_correction": weights < 0,
            "source_line": list(range(2, count + 2)),
        }
    )
    return {
        "waste_collections": conform("waste_collections", collections),
        "waste_totals": waste_totals(collections, month),
    }


def waste_totals(collections: pl.DataFrame, month: Month, declared: float | None = None):
    """The Totaal line of ``collections`` (declaring ``declared`` kg when given)."""
    total = float(collections["weight_kg"].sum())
    frame = pl.DataFrame(
        {
            "file_name": [f"afval_{month}.csv"],
            "declared_total_kg": [total if declared is None else declared],
            "lines_total_kg": [total],
            "line_count": [collections.height],
            "source_line": [collections.height + 2],
        }
    )
    return conform("waste_totals", frame)


def food_waste(month: Month) -> dict[str, pl.DataFrame]:
    g = rng(month, "food")
    count = 300
    start = month.start_local().astimezone(UTC)
    events = pl.DataFrame(
        {
            "event_id": [f"evt_{month}_{i:04d}" for i in range(count)],
            "site": ["centrale-keuken"] * count,
            "recorded_at": [start + timedelta(hours=2 * i) for i in range(count)],
            "station": ["Centrale keuken"] * count,
            "category": [CATEGORIES[i % 4] for i in range(count)],
            "meal": [["breakfast", "lunch", "dinner", None][i % 4] for i in range(count)],
            "weight_kg": g.uniform(1, 6, count),
        }
    )
    return {"food_waste_events": conform("food_waste_events", events)}


def disposables(month: Month) -> dict[str, pl.DataFrame]:
    g = rng(month, "disposables")
    centres = ORGANISATION["cost_centre"].to_list()
    rows = []
    mapped = {r["cost_centre"]: r for r in ORGANISATION.iter_rows(named=True)}
    for i in range(48):
        org = mapped[centres[i % len(centres)]]
        quantity = float(g.integers(8, 12))
        pieces = quantity * 100
        rows.append(
            (str(month), org["cost_centre"], org["department"], org["division"], f"1{i:05d}",
             f"87100010{i:05d}", "Handschoen nitril", "Handschoenen niet-steriel", quantity,
             "DS100", 100, pieces, 3.2, pieces * 3.2 / 1000, False, i + 4)
        )  # fmt: skip
    columns = list(table("disposables_issues").schema.names())
    frame = pl.DataFrame(rows, schema=columns, orient="row")
    return {"disposables_issues": conform("disposables_issues", frame)}


def mobility(month: Month) -> dict[str, pl.DataFrame]:
    """Sixty employees in three departments, and ten business trips."""
    g = rng(month, "mobility")
    people = 60
    one_way = np.round(g.uniform(5, 40, people), 1)
    travel_days = np.full(people, 18.0)
    commuting = pl.DataFrame(
        {
            "employee_id": [f"P-{i:06x}" for i in range(people)],
            "department": [DEPARTMENTS[i % 3] for i in range(people)],
            "one_way_km": one_way,
            "mode": [["Auto", "Fiets", "OV", "E-bike"][i % 4] for i in range(people)],
            "travel_days": travel_days,
            "fte": np.full(people, 0.8),
            "commute_km": 2 * one_way * travel_days,
            "source_line": list(range(2, people + 2)),
        }
    )
    trips = 10
    travel = pl.DataFrame(
        {
            "trip_date": [days(month)[i * 2] for i in range(trips)],
            "employee_id": [f"P-{i:06x}" for i in range(trips)],
            "department": [DEPARTMENTS[i % 3] for i in range(trips)],
            "mode": ["Trein"] * trips,
            "origin": ["LEIDEN"] * trips,
            "destination": ["UTRECHT"] * trips,
            "distance_km": g.uniform(60, 70, trips),
            "distance_method": ["declared"] * trips,
            "travel_class": [None] * trips,
            "source_line": list(range(2, trips + 2)),
        }
    )
    return {
        "commuting": conform("commuting", commuting),
        "business_travel": conform("business_travel", travel),
    }


def medicine_waste(month: Month) -> dict[str, pl.DataFrame]:
    g = rng(month, "medicine")
    count = 30
    frame = pl.DataFrame(
        {
            "registration_date": [days(month)[i % month.days] for i in range(count)],
            "department": [DEPARTMENTS[i % 3] for i in range(count)],
            "atc": ["N02BE01", "J01CR02", "B01AB05"] * 10,
            "product": [f"Product {i}" for i in range(count)],
            "quantity": g.integers(1, 20, count).astype(float),
            "unit": ["stuk", "flacon", "ampul"] * 10,
            "reason": ["Verlopen", "Overig", "Gemorst of kapot"] * 10,
            "value_eur": g.uniform(5, 15, count),
            "source_line": list(range(2, count + 2)),
        }
    )
    return {"medicine_waste": conform("medicine_waste", frame)}


def reference(month: Month) -> dict[str, pl.DataFrame]:
    figures = pl.DataFrame(
        {
            "period": [month.first_day],
            "fte": [7300.0],
            "bed_days": [9000.0],
            "admissions": [2000.0],
            "operations": [1200.0],
            "outpatient_visits": [35000.0],
            "meals": [26000.0],
            "floor_area_m2": [263000.0],
        }
    )
    return {
        "key_figures": conform("key_figures", figures),
        "organisation": conform("organisation", ORGANISATION),
    }


SOURCES = {
    "reference": reference,
    "energy": energy,
    "waste": waste,
    "food_waste": food_waste,
    "disposables": disposables,
    "mobility": mobility,
    "medicine_waste": medicine_waste,
}


def month_of(source: str, month: Month) -> dict[str, pl.DataFrame]:
    """The clean frames of ``source`` for ``month``."""
    return SOURCES[source](month)


def stage_history(root: Path, month: Month, count: int = 12) -> None:
    """Stage ``count`` clean months of every source before ``month`` into ``root``."""
    current = month
    for _ in range(count):
        current = current.previous()
        for source in SOURCES:
            staging.write_source_month(root, current, month_of(source, current), "0" * 64)


def failures(outcome: ValidationOutcome) -> dict[str, CheckResult]:
    """The failed checks of an outcome, by expectation id."""
    return {r.expectation: r for r in outcome.results if not r.success}
