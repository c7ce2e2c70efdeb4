"""Waste and food waste: institution-level figures from the collections and the scales.

Waste is collected per container at the hospital's waste points, not per department,
so it is published for the institution only. Correction lines (negative weights) count.
Shares and per-bed-day or per-meal figures are added later as ratios (compute.py).
"""

from __future__ import annotations

import polars as pl

from groendraad.metrics.shape import INSTITUTION, period_of_month, rollup

_KEEP = ["period", "department", "division", "category", "qbits", "factors", "method"]


def _institution_base(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Delivered rows as measured, with the long columns a rollup needs."""
    return frame.with_columns(
        period_of_month(pl.col("month")),
        pl.lit(None, pl.String).alias("department"),
        pl.lit(None, pl.String).alias("division"),
        pl.lit(1, pl.Int64).alias("qbits"),
        pl.lit(None, pl.List(pl.String)).alias("factors"),
        pl.lit(None, pl.String).alias("method"),
    )


def _rows(base: pl.LazyFrame, metric: str, value: pl.Expr, category: pl.Expr | None = None):
    """One long row per delivered row for ``metric`` (rolled up later)."""
    cat = category if category is not None else pl.lit(None, pl.String)
    return base.select(
        *[c for c in _KEEP if c != "category"],
        cat.alias("category"),
        pl.lit(metric).alias("metric"),
        value.cast(pl.Float64).alias("value"),
    )


def waste_metrics(collections: pl.LazyFrame, parameters: dict) -> pl.LazyFrame:
    """Totals, streams, routes, residual, SZA, hazardous and recycled waste in kg."""
    base = _institution_base(collections)
    weight = pl.col("weight_kg")
    residual = pl.col("eural_code").is_in(parameters["residual_eural"])
    sza = pl.col("eural_code").is_in(parameters["sza_eural"])
    recycled = pl.col("processing_route").is_in(parameters["recycled_routes"])
    hazardous = base.filter(pl.col("hazardous"))
    parts = [
        _rows(base, "waste.total_kg", weight),
        _rows(base, "waste.stream_kg", weight, pl.col("eural_code")),
        _rows(base, "waste.route_kg", weight, pl.col("processing_route")),
        _rows(base, "waste.residual_kg", pl.when(residual).then(weight).otherwise(0.0)),
        _rows(base, "waste.sza_kg", pl.when(sza).then(weight).otherwise(0.0)),
        _rows(base, "waste.hazardous_kg", pl.when(pl.col("hazardous")).then(weight).otherwise(0.0)),
        _rows(hazardous, "waste.hazardous_route_kg", weight, pl.col("processing_route")),
        _rows(base, "waste.recycled_kg", pl.when(recycled).then(weight).otherwise(0.0)),
    ]
    return rollup(pl.concat(parts, how="vertical"), [INSTITUTION], method="sum")


def food_waste_metrics(events: pl.LazyFrame) -> pl.LazyFrame:
    """Total food waste and food waste per cause, in kg."""
    base = _institution_base(events)
    parts = [
        _rows(base, "food_waste.total_kg", pl.col("weight_kg")),
        _rows(base, "food_waste.cause_kg", pl.col("weight_kg"), pl.col("category")),
    ]
    return rollup(pl.concat(parts, how="vertical"), [INSTITUTION], method="sum")
