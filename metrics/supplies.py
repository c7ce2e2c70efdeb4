"""Disposables issued by logistics and medicine waste registered by the pharmacy.

Both are delivered per department (disposables through the cost centre, medicine waste
by name), so they are published per department, division and for the institution.
Rows whose department is unknown count only for the institution; rows whose department
has no division in the month's organisation count for the department and institution.
"""

from __future__ import annotations

import polars as pl

from groendraad.metrics.shape import (
    DEPARTMENT,
    DIVISION,
    INSTITUTION,
    MEASURED,
    MISSING,
    period_of_month,
    rollup,
)


def _by_level(base: pl.LazyFrame, organisation_method: str) -> pl.LazyFrame:
    """Institution totals (method sum) plus department and division figures."""
    return pl.concat(
        [
            rollup(base, [INSTITUTION], method="sum"),
            rollup(base, [DIVISION, DEPARTMENT], method=organisation_method),
        ],
        how="vertical",
    )


def _rows(frame: pl.LazyFrame, metric: str, value: pl.Expr, category: pl.Expr | None = None):
    cat = category if category is not None else pl.lit(None, pl.String)
    bits = pl.when(value.is_null()).then(MISSING).otherwise(MEASURED)
    return frame.select(
        "period",
        "department",
        "division",
        pl.lit(metric).alias("metric"),
        cat.cast(pl.String).alias("category"),
        value.cast(pl.Float64).alias("value"),
        bits.cast(pl.Int64).alias("qbits"),
        pl.lit(None, pl.List(pl.String)).alias("factors"),
        pl.lit(None, pl.String).alias("method"),
    )


def _only(condition: pl.Expr, column: str) -> pl.Expr:
    """``column`` where ``condition`` holds, else 0 (so shares count every department)."""
    return pl.when(condition).then(pl.col(column)).otherwise(0.0)


def disposables_metrics(issues: pl.LazyFrame) -> pl.LazyFrame:
    """Pieces and mass per article category, single-use and reusable, and the raw-material proxy."""
    base = issues.with_columns(period_of_month(pl.col("month"))).collect().lazy()  # read once
    single_use, reusable = ~pl.col("reusable"), pl.col("reusable")
    parts = [
        _rows(base, "disposables.pieces", pl.col("pieces"), pl.col("category")),
        _rows(base, "disposables.pieces", pl.col("pieces")),
        _rows(base, "disposables.mass_kg", pl.col("mass_kg"), pl.col("category")),
        _rows(base, "disposables.mass_kg", pl.col("mass_kg")),
        _rows(base, "disposables.single_use_pieces", _only(single_use, "pieces")),
        _rows(base, "disposables.reusable_pieces", _only(reusable, "pieces")),
        _rows(base, "disposables.primary_material_proxy_kg", _only(single_use, "mass_kg")),
    ]
    return _by_level(pl.concat(parts, how="vertical").collect().lazy(), "by_cost_centre")


def medicine_metrics(
    registrations: pl.LazyFrame, organisation: pl.LazyFrame, parameters: dict
) -> pl.LazyFrame:
    """Euros, counted units and ml of medicine waste per reason and in total."""
    divisions = organisation.select("month", "department", "division").unique(
        ["month", "department"]
    )
    base = registrations.join(divisions, on=["month", "department"], how="left").with_columns(
        period_of_month(pl.col("month"))
    )
    base = base.collect().lazy()  # read once, used by six metrics
    counted = pl.col("unit").is_in(parameters["countable_medicine_units"])
    units = pl.when(counted).then(pl.col("quantity")).otherwise(0.0)
    millilitres = pl.when(pl.col("unit") == "ml").then(pl.col("quantity")).otherwise(0.0)
    parts = []
    for metric, value in (
        ("medicine_waste.eur", pl.col("value_eur")),
        ("medicine_waste.units", units),
        ("medicine_waste.volume_ml", millilitres),
    ):
        parts += [_rows(base, metric, value, pl.col("reason")), _rows(base, metric, value)]
    return _by_level(pl.concat(parts, how="vertical").collect().lazy(), "by_registered_department")
