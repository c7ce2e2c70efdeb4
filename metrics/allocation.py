"""Floor-area allocation of building-level figures to departments.

Meters measure buildings, not departments. A building's figure is shared among the
departments with cost centres in it, in proportion to their floor area (organisatie.csv
``Vloeroppervlak (m2)`` per cost centre), and recorded with method
``floor_area_allocation``. A building without any floor area in the organisation (or a
meter without a building) cannot be allocated: its figure counts only in the
institution's total, it is not guessed onto departments.
"""

from __future__ import annotations

import polars as pl

from groendraad.metrics.shape import DEPARTMENT, DIVISION, INSTITUTION, period_of_month, rollup

ALLOCATED = "floor_area_allocation"


def floor_area_shares(organisation: pl.LazyFrame) -> pl.LazyFrame:
    """period, building, department, division, share (of the building's mapped area)."""
    mapped = organisation.filter(
        pl.col("building").is_not_null() & (pl.col("floor_area_m2").fill_null(0) > 0)
    ).with_columns(period_of_month(pl.col("month")))
    areas = mapped.group_by("period", "building", "department", "division").agg(
        pl.col("floor_area_m2").sum().alias("area_m2")
    )
    return areas.with_columns(
        share=pl.col("area_m2") / pl.col("area_m2").sum().over("period", "building")
    ).select("period", "building", "department", "division", "share")


def spread_buildings(
    building_rows: pl.LazyFrame, shares: pl.LazyFrame, *, measured_method: str
) -> pl.LazyFrame:
    """Long rows for every level from building rows (period, building, metric, category, ...).

    The institution gets the sum of all buildings (``measured_method``); departments
    get their floor-area share of each building they occupy, divisions the sum of
    their departments.
    """
    institution = rollup(building_rows, [INSTITUTION], method=measured_method)
    allocated = building_rows.join(shares, on=["period", "building"], how="inner").with_columns(
        pl.col("value") * pl.col("share")
    )
    organisation_levels = rollup(allocated, [DIVISION, DEPARTMENT], method=ALLOCATED)
    return pl.concat([institution, organisation_levels], how="vertical")
