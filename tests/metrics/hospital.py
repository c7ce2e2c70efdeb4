"""A tiny hospital staged into a temporary warehouse, small enough to compute by hand.

Two departments in two divisions share Gebouw 1 (Cardio 600 m2, Lab 400 m2); Cardio
also has all of Gebouw 2 (100 m2); Gebouw 3 has a meter but no cost centre, so its
energy cannot be allocated. Every source delivers one small month (``stage_month``);
tests change one source's frame and stage it again to simulate a corrected delivery.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from groendraad.months import Month
from groendraad.warehouse import staging

CARDIO, LAB, DIV_A, DIV_B = "Cardio", "Lab", "Divisie A", "Divisie B"


def organisation() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "cost_centre": ["K1", "K2", "K3"],
            "department": [CARDIO, CARDIO, LAB],
            "division": [DIV_A, DIV_A, DIV_B],
            "building": ["Gebouw 1", "Gebouw 2", "Gebouw 1"],
            "floor_area_m2": [600.0, 100.0, 400.0],
        }
    )


def key_figures(month: Month) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "period": [month.first_day],
            "fte": [100.0],
            "bed_days": [2000.0],
            "admissions": [300.0],
            "operations": [150.0],
            "outpatient_visits": [4000.0],
            "meals": [5000.0],
            "floor_area_m2": [1200.0],
        }
    )


_METERS = [  # meter_id, building, carrier, unit, direction
    ("E-G1", "Gebouw 1", "electricity", "kWh", "consumption"),
    ("E-G2", "Gebouw 2", "electricity", "kWh", "consumption"),
    ("E-G3", "Gebouw 3", "electricity", "kWh", "consumption"),
    ("G-G1", "Gebouw 1", "gas", "m3", "consumption"),
    ("W-G2", "Gebouw 2", "heat", "GJ", "consumption"),
    ("C-G1", "Gebouw 1", "cold", "GJ", "consumption"),
    ("PV-G2", "Gebouw 2", "pv", "kWh", "generation"),
]
# meter_id -> [(value, status)]: E-G1 600 kWh (one estimated), E-G2 100, E-G3 40,
# gas 30 m3, heat 2 GJ, cold 1.5 GJ, PV 25 kWh
READINGS = {
    "E-G1": [(100.0, "measured"), (200.0, "estimated"), (300.0, "measured")],
    "E-G2": [(50.0, "measured"), (50.0, "measured")],
    "E-G3": [(40.0, "measured")],
    "G-G1": [(10.0, "measured"), (20.0, "measured")],
    "W-G2": [(2.0, "measured")],
    "C-G1": [(1.5, "measured")],
    "PV-G2": [(25.0, "measured")],
}


def energy(month: Month, readings: dict | None = None) -> dict[str, pl.DataFrame]:
    meters = pl.DataFrame(
        _METERS, schema=["meter_id", "building", "carrier", "unit", "direction"], orient="row"
    ).with_columns(ean=pl.lit("871"), interval_minutes=pl.lit(60, pl.Int16))
    rows = []
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    for meter_id, _building, carrier, unit, direction in _METERS:
        for i, (value, status) in enumerate((readings or READINGS)[meter_id]):
            at = start + timedelta(hours=i)
            rows.append((meter_id, carrier, direction, at, value, unit, status))
    frame = pl.DataFrame(
        rows,
        schema=["meter_id", "carrier", "direction", "interval_start", "value", "unit", "status"],
        orient="row",
    ).with_columns(interval_minutes=pl.lit(60, pl.Int16))
    return {"energy_meters": meters, "energy_readings": frame}


WASTE = [  # eural, hazardous, route, kg
    ("20 03 01", False, "Verbranding met energieterugwinning", 1000.0),
    ("20 03 01", False, "Verbranding met energieterugwinning", -100.0),
    ("15 01 01", False, "Recycling", 500.0),
    ("18 01 03*", True, "Verbranding ZAVIN", 300.0),
]


def waste(month: Month, lines: list | None = None) -> dict[str, pl.DataFrame]:
    lines = lines or WASTE
    collections = pl.DataFrame(
        {
            "collection_date": [month.first_day] * len(lines),
            "location": ["Gebouw 1 - Milieustraat"] * len(lines),
            "container_id": [f"C{i}" for i in range(len(lines))],
            "eural_code": [w[0] for w in lines],
            "hazardous": [w[1] for w in lines],
            "description": [None] * len(lines),
            "processing_route": [w[2] for w in lines],
            "weight_kg": [w[3] for w in lines],
            "is_correction": [w[3] < 0 for w in lines],
            "source_line": list(range(2, len(lines) + 2)),
        }
    )
    total = sum(w[3] for w in lines)
    totals = pl.DataFrame(
        {
            "file_name": [f"afval_{month}.csv"],
            "declared_total_kg": [total],
            "lines_total_kg": [total],
            "line_count": [len(lines)],
            "source_line": [len(lines) + 2],
        }
    )
    return {"waste_collections": collections, "waste_totals": totals}


def food_waste(month: Month) -> dict[str, pl.DataFrame]:
    events = [("overproduction", 2.0), ("plate_waste", 1.5), ("plate_waste", 0.5)]
    return {
        "food_waste_events": pl.DataFrame(
            {
                "event_id": [f"evt_{i}" for i in range(len(events))],
                "site": ["keuken"] * len(events),
                "recorded_at": [datetime(month.year, month.month, 2, tzinfo=UTC)] * len(events),
                "station": ["Centrale keuken"] * len(events),
                "category": [e[0] for e in events],
                "meal": [None] * len(events),
                "weight_kg": [e[1] for e in events],
            }
        )
    }


ISSUES = [  # cost centre, department, division, category, pieces, mass kg, reusable
    ("K1", CARDIO, DIV_A, "Handschoenen niet-steriel", 1000.0, 3.0, False),
    ("K1", CARDIO, DIV_A, "Instrumentarium herbruikbaar", 10.0, 5.0, True),
    ("K3", LAB, DIV_B, "Gaas niet-steriel", 500.0, 1.0, False),
    ("K9", None, None, "Gaas niet-steriel", 100.0, 0.5, False),
]


def disposables(month: Month) -> dict[str, pl.DataFrame]:
    n = len(ISSUES)
    return {
        "disposables_issues": pl.DataFrame(
            {
                "period": [str(month)] * n,
                "cost_centre": [i[0] for i in ISSUES],
                "department": [i[1] for i in ISSUES],
                "division": [i[2] for i in ISSUES],
                "article_number": [f"A{k}" for k in range(n)],
                "gtin": [None] * n,
                "description": [None] * n,
                "category": [i[3] for i in ISSUES],
                "quantity": [i[4] for i in ISSUES],
                "unit": ["ST"] * n,
                "pack_size": [1] * n,
                "pieces": [i[4] for i in ISSUES],
                "weight_per_piece_g": [i[5] * 1000 / i[4] for i in ISSUES],
                "mass_kg": [i[5] for i in ISSUES],
                "reusable": [i[6] for i in ISSUES],
                "source_line": list(range(4, n + 4)),
            }
        )
    }


# department, mode, one-way km, travel days, how many people
COMMUTERS = [
    (CARDIO, "Fiets", 3.0, 10.0, 6),
    (CARDIO, "Auto", 20.0, 10.0, 2),  # a group of 2: never shown per department
    (LAB, "Auto", 10.0, 5.0, 5),
]
TRIPS = [  # department, mode, km, employee: 6 travellers, every group under 5
    (CARDIO, "Vliegtuig", 1000.0, "e1"),
    (CARDIO, "Vliegtuig", 1000.0, "e2"),
    (CARDIO, "Vliegtuig", 1000.0, "e3"),
    (CARDIO, "Trein", 200.0, "e4"),
    (LAB, "Vliegtuig", 6000.0, "e5"),
    (LAB, "Auto", 100.0, "e6"),
]


def mobility(month: Month) -> dict[str, pl.DataFrame]:
    people = [(d, m, km, days) for d, m, km, days, n in COMMUTERS for _ in range(n)]
    commuting = pl.DataFrame(
        {
            "employee_id": [f"p{i:03d}" for i in range(len(people))],
            "department": [p[0] for p in people],
            "one_way_km": [p[2] for p in people],
            "mode": [p[1] for p in people],
            "travel_days": [p[3] for p in people],
            "fte": [1.0] * len(people),
            "commute_km": [2 * p[2] * p[3] for p in people],
            "source_line": list(range(2, len(people) + 2)),
        }
    )
    trips = pl.DataFrame(
        {
            "trip_date": [month.first_day] * len(TRIPS),
            "employee_id": [t[3] for t in TRIPS],
            "department": [t[0] for t in TRIPS],
            "mode": [t[1] for t in TRIPS],
            "origin": [None] * len(TRIPS),
            "destination": [None] * len(TRIPS),
            "distance_km": [t[2] for t in TRIPS],
            "distance_method": ["declared"] * len(TRIPS),
            "travel_class": [None] * len(TRIPS),
            "source_line": list(range(2, len(TRIPS) + 2)),
        }
    )
    return {"commuting": commuting, "business_travel": trips}


MEDICINES = [  # department, unit, quantity, reason, eur
    (CARDIO, "stuk", 10.0, "Verlopen", 20.0),
    (CARDIO, "ml", 50.0, "Bereid niet toegediend", 30.0),
    (LAB, "ampul", 4.0, "Verlopen", 10.0),
]


def medicine_waste(month: Month) -> dict[str, pl.DataFrame]:
    n = len(MEDICINES)
    return {
        "medicine_waste": pl.DataFrame(
            {
                "registration_date": [month.first_day] * n,
                "department": [m[0] for m in MEDICINES],
                "atc": ["N02BE01"] * n,
                "product": [None] * n,
                "quantity": [m[2] for m in MEDICINES],
                "unit": [m[1] for m in MEDICINES],
                "reason": [m[3] for m in MEDICINES],
                "value_eur": [m[4] for m in MEDICINES],
                "source_line": list(range(2, n + 2)),
            }
        )
    }


def deliveries(month: Month) -> dict[str, dict[str, pl.DataFrame]]:
    """Every source's staging frames for ``month``."""
    return {
        "reference": {"key_figures": key_figures(month), "organisation": organisation()},
        "energy": energy(month),
        "waste": waste(month),
        "food_waste": food_waste(month),
        "disposables": disposables(month),
        "mobility": mobility(month),
        "medicine_waste": medicine_waste(month),
    }


def stage(root: Path, month: Month, source: str, frames: dict[str, pl.DataFrame]) -> str:
    """Stage one source-month; the delivery hash is derived from the frames' content."""
    digest = hashlib.sha256()
    for name in sorted(frames):
        digest.update(name.encode() + frames[name].write_csv().encode())
    sha = digest.hexdigest()
    staging.write_source_month(root, month, frames, sha)
    return sha


def stage_month(root: Path, month: Month, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Stage every source of the tiny hospital for ``month``; return sha per source."""
    return {
        source: stage(root, month, source, frames)
        for source, frames in deliveries(month).items()
        if source not in skip
    }
