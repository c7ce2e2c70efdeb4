"""Context figures: the denominators that make figures comparable.

The institution's FTE, bed-days, admissions, operations, outpatient visits, meals and
floor area come from the control department's kerncijfers; the floor area of
departments and divisions from their cost centres in organisatie.csv. They are
published too, so pages and the NFU export normalise with the same numbers.
"""

from __future__ import annotations

import polars as pl

from groendraad.metrics.shape import (
    DEPARTMENT,
    DIVISION,
    INSTITUTION,
    MEASURED,
    conform_long,
    long_metrics,
    period_of_month,
    rollup,
)

KEY_FIGURES = {
    "context.fte": "fte",
    "context.bed_days": "bed_days",
    "context.admissions": "admissions",
    "context.operations": "operations",
    "context.outpatient_visits": "outpatient_visits",
    "context.meals": "meals",
    "context.floor_area_m2": "floor_area_m2",
}


def context_metrics(key_figures: pl.LazyFrame, organisation: pl.LazyFrame) -> pl.LazyFrame:
    """Institution denominators, plus floor area per department and division."""
    institution = long_metrics(
        key_figures.with_columns(period_of_month(pl.col("month"))),
        {metric: pl.col(column) for metric, column in KEY_FIGURES.items()},
        keep=["period"],
    ).with_columns(
        level=pl.lit(INSTITUTION), qbits=pl.lit(MEASURED, pl.Int64), method=pl.lit("delivered")
    )
    areas = organisation.select(
        period_of_month(pl.col("month")),
        "department",
        "division",
        pl.lit("context.floor_area_m2").alias("metric"),
        pl.lit(None, pl.String).alias("category"),
        pl.col("floor_area_m2").alias("value"),
        pl.when(pl.col("floor_area_m2").is_null()).then(4).otherwise(MEASURED).alias("qbits"),
        pl.lit(None, pl.List(pl.String)).alias("factors"),
        pl.lit(None, pl.String).alias("method"),
    )
    organisation_levels = rollup(areas, [DIVISION, DEPARTMENT], method="sum_of_cost_centres")
    return pl.concat([conform_long(institution), organisation_levels], how="vertical")
