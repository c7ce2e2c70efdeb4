"""A generated hospital with the demo's structure: its staff commuting and travelling.

The demo generator's own employees (four divisions, ~50 departments, ~10,000 people,
departments of every size) for a few months, staged as the pipeline stages them, so the
mobility figures come from the real metrics code and can be attacked and checked. A
dozen commuters work for a project office outside the organisation (no division).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import polars as pl

from groendraad.demo.reference import organisation_table
from groendraad.demo.staff import commuting
from groendraad.demo.travel import business_trips
from groendraad.months import Month

from . import hospital

SEED = 7
MONTHS = (Month(2019, 3), Month(2026, 11))
OUTSIDE = "Projectbureau"  # not in the organisation: its people belong to no division


def organisation() -> pl.DataFrame:
    """The demo's organisation in staging columns."""
    table = organisation_table().rename(
        {
            "Kostenplaats": "cost_centre",
            "Afdeling": "department",
            "Divisie": "division",
            "Gebouw": "building",
            "Vloeroppervlak (m2)": "floor_area_m2",
        }
    )
    return table.select(hospital.organisation().columns).cast(hospital.organisation().schema)


def commuters(month: Month) -> pl.DataFrame:
    """The month's commuters (staging columns)."""
    frame = commuting(SEED, month).with_row_index("n")
    return frame.select(
        "employee_id",
        pl.when(pl.col("n") % 800 == 0)
        .then(pl.lit(OUTSIDE))
        .otherwise("department")
        .alias("department"),
        "one_way_km",
        "mode",
        pl.col("travel_days").cast(pl.Float64),
        "fte",
        (2 * pl.col("one_way_km") * pl.col("travel_days")).alias("commute_km"),
        pl.int_range(2, pl.len() + 2, dtype=pl.Int32).alias("source_line"),
    )


def trips(month: Month) -> pl.DataFrame:
    """The month's business trips (staging columns)."""
    frame = pl.DataFrame([asdict(t) for t in business_trips(SEED, month)])
    return frame.select(
        pl.col("day").alias("trip_date"),
        "employee_id",
        "department",
        "mode",
        "origin",
        "destination",
        "distance_km",
        pl.when(pl.col("mode") == "Vliegtuig")
        .then(pl.lit("great_circle_uplift"))
        .otherwise(pl.lit("declared"))
        .alias("distance_method"),
        "travel_class",
        pl.int_range(2, pl.len() + 2, dtype=pl.Int32).alias("source_line"),
    )


def stage(root: Path) -> None:
    """Stage the reference data and the mobility of every month of MONTHS."""
    for month in MONTHS:
        reference = {"key_figures": hospital.key_figures(month), "organisation": organisation()}
        hospital.stage(root, month, "reference", reference)
        mobility = {"commuting": commuters(month), "business_travel": trips(month)}
        hospital.stage(root, month, "mobility", mobility)
