"""Energy: use per carrier, PV generation and total energy, per building and allocated.

Readings are summed per month, building and carrier; a building's quality is the OR of
its meters' qualities (all measured: measured; some estimated or missing: mixed), where
a meter-month is estimated only beyond the catalogue's ``estimated_interval_share``.
Missing intervals are not filled in: the figure is the sum of what was read, and its
quality says it is incomplete. Building rows are then spread to departments by floor
area (allocation.py).
"""

from __future__ import annotations

import polars as pl

from groendraad.metrics.allocation import spread_buildings
from groendraad.metrics.factors import factor_table
from groendraad.metrics.shape import ESTIMATED, MEASURED, MISSING, period_of_month, value_sum

CARRIER_METRICS = {
    "electricity": "energy.electricity_kwh",
    "gas": "energy.gas_m3",
    "heat": "energy.heat_gj",
    "cold": "energy.cold_gj",
    "pv": "energy.pv_generation_kwh",
}
_STATUS_BITS = {"measured": MEASURED, "estimated": ESTIMATED, "missing": MISSING}


def building_energy(
    readings: pl.LazyFrame, meters: pl.LazyFrame, estimated_threshold: float = 0.0
) -> pl.LazyFrame:
    """period, building, carrier, amount (in the carrier's unit), qbits.

    A meter's month counts as estimated only when more than ``estimated_threshold`` of
    its intervals are flagged estimated by the energy system (catalogue parameter
    ``estimated_interval_share``); below it the few filled-in intervals count as measured.
    A meter unknown to the month's meter list keeps a null building (institution only).
    """
    # group on status first (few groups), then map statuses to quality bits: cheaper than
    # mapping millions of interval rows
    per_status = readings.group_by("month", "meter_id", "carrier", "status").agg(
        value_sum(), pl.len().alias("intervals")
    )
    share = (pl.col("status") == "estimated").cast(pl.Int64) * pl.col("intervals")
    share = share.sum().over("month", "meter_id", "carrier") / pl.col("intervals").sum().over(
        "month", "meter_id", "carrier"
    )
    status = pl.when((pl.col("status") == "estimated") & (share <= estimated_threshold))
    status = status.then(pl.lit("measured")).otherwise(pl.col("status"))
    bits = status.replace_strict(_STATUS_BITS, default=MISSING, return_dtype=pl.Int64)
    per_meter = (
        per_status.with_columns(bits.alias("qbits"))
        .group_by("month", "meter_id", "carrier")
        .agg(value_sum().alias("amount"), pl.col("qbits").bitwise_or())
    )
    buildings = meters.select("month", "meter_id", "building").unique(["month", "meter_id"])
    joined = per_meter.join(buildings, on=["month", "meter_id"], how="left")
    grouped = joined.group_by("month", "building", "carrier").agg(
        value_sum("amount"), pl.col("qbits").bitwise_or()
    )
    return grouped.with_columns(period_of_month(pl.col("month"))).drop("month")


def energy_building_rows(
    energy: pl.LazyFrame, factors: pl.DataFrame, total_carriers: list[str], years: list[int]
) -> pl.LazyFrame:
    """Building rows of the energy metrics: one per carrier, and total energy in GJ."""
    per_carrier = energy.with_columns(
        metric=pl.col("carrier").replace_strict(CARRIER_METRICS, default=None),
        value=pl.col("amount"),
    ).filter(pl.col("metric").is_not_null())
    content = factor_table(factors, "energy_content", years).lazy()
    total = (
        energy.filter(pl.col("carrier").is_in(total_carriers))
        .with_columns(year=pl.col("period").dt.year().cast(pl.Int32))
        .join(content, left_on=["carrier", "year"], right_on=["activity", "year"], how="left")
        .with_columns(
            metric=pl.lit("energy.total_gj"),
            value=pl.col("amount") * pl.col("factor") / 1000.0,
        )
    )
    no_factors = pl.lit(None, pl.List(pl.String))
    return pl.concat(
        [
            _building_shape(per_carrier, no_factors),
            _building_shape(total, pl.concat_list("factor_ref")),
        ],
        how="vertical",
    )


def _building_shape(frame: pl.LazyFrame, factors: pl.Expr) -> pl.LazyFrame:
    """The columns spread_buildings expects."""
    return frame.select(
        "period",
        "building",
        "metric",
        pl.lit(None, pl.String).alias("category"),
        pl.col("value").cast(pl.Float64),
        "qbits",
        factors.alias("factors"),
        pl.lit(None, pl.String).alias("method"),
    )


def energy_metrics(
    energy: pl.LazyFrame,
    shares: pl.LazyFrame,
    factors: pl.DataFrame,
    total_carriers: list[str],
    years: list[int],
) -> pl.LazyFrame:
    """Long rows of the energy theme at every level (ratios are added later)."""
    rows = energy_building_rows(energy, factors, total_carriers, years)
    return spread_buildings(rows, shares, measured_method="metered")
