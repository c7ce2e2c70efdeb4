"""CO2-equivalent: scope 1 and 2 from energy, scope 3 from energy and waste, and totals.

GHG Protocol: scope 1 is the combustion part (TTW) of fuels burnt on site, scope 2 the
generation part (TTW) of bought electricity and heat, and the upstream part (WTT) of
all energy is scope 3 category 3; TTW + WTT is the list's well-to-wheel value. Scope 2
is computed twice, side by side: location-based (grid mix) and market-based (the
configured contract, else the residual mix; emission_settings.py). Every emission row
carries the factor references it used (``factors``), the factor of the activity's own
year (factors.py). Business travel and commuting (3.6, 3.7) are in mobility.py.
"""

from __future__ import annotations

import polars as pl

from groendraad.metrics.allocation import spread_buildings
from groendraad.metrics.catalogue import FIXED_SUFFIX
from groendraad.metrics.factors import LOCATION, MARKET, TTW, WTT, apply_factors, factor_table
from groendraad.metrics.shape import INSTITUTION, MISSING, period_of_month, rollup, union_factors

SCOPE1 = "co2e.scope1_kg"
SCOPE2 = {LOCATION: "co2e.scope2_location_kg", MARKET: "co2e.scope2_market_kg"}
SCOPE3_ENERGY = "co2e.scope3_energy_upstream_kg"
SCOPE3 = [
    SCOPE3_ENERGY,
    "co2e.scope3_waste_kg",
    "co2e.scope3_business_travel_kg",
    "co2e.scope3_commuting_kg",
]
_TOTALS = {
    "co2e.total_location_kg": [SCOPE1, SCOPE2[LOCATION], *SCOPE3],
    "co2e.total_market_kg": [SCOPE1, SCOPE2[MARKET], *SCOPE3],
}


def fixed(metric: str) -> str:
    """The id of a CO2e metric's twin on the fixed factor year (catalogue.fixed_twin)."""
    return metric.removesuffix("_kg") + FIXED_SUFFIX


# each total (reported, and its fixed-factor twin) with its components
TOTALS = {
    **_TOTALS,
    **{fixed(total): [fixed(c) for c in parts] for total, parts in _TOTALS.items()},
}


def _emission_rows(
    energy: pl.LazyFrame,
    table: pl.DataFrame,
    carriers: list[str],
    metric: str,
    *,
    by_carrier: bool,
) -> pl.LazyFrame:
    """Building rows ``amount x factor`` for ``carriers``; per carrier and/or in total."""
    rows = apply_factors(
        energy.filter(pl.col("carrier").is_in(carriers)), table, activity_column="carrier"
    ).select(
        "period",
        "building",
        pl.lit(metric).alias("metric"),
        pl.col("carrier").alias("category"),
        (pl.col("amount") * pl.col("factor")).alias("value"),
        (pl.col("qbits") | pl.when(pl.col("factor").is_null()).then(MISSING).otherwise(0)),
        pl.concat_list(pl.col("factor_ref")).alias("factors"),
        pl.lit(None, pl.String).alias("method"),
    )
    total = rows.with_columns(category=pl.lit(None, pl.String))
    return pl.concat([rows, total], how="vertical") if by_carrier else total


def energy_emissions(
    energy: pl.LazyFrame,
    shares: pl.LazyFrame,
    factors: pl.DataFrame,
    parameters: dict,
    years: list[int],
) -> pl.LazyFrame:
    """Scope 1, scope 2 (location and market) and 3.3 at every level, by floor area."""
    scope1, scope2 = parameters["scope1_carriers"], parameters["scope2_carriers"]
    parts = [
        _emission_rows(
            energy, factor_table(factors, "energy", years, LOCATION, TTW), scope1, SCOPE1,
            by_carrier=False,
        ),
        _emission_rows(
            energy, factor_table(factors, "energy", years, LOCATION, WTT), scope1 + scope2,
            SCOPE3_ENERGY, by_carrier=True,
        ),
    ]  # fmt: skip
    for basis, metric in SCOPE2.items():
        table = factor_table(factors, "energy", years, basis, TTW)
        parts.append(_emission_rows(energy, table, scope2, metric, by_carrier=True))
    building_rows = pl.concat(parts, how="vertical")
    return spread_buildings(building_rows, shares, measured_method="metered_x_factor")


def waste_emissions(
    collections: pl.LazyFrame, factors: pl.DataFrame, years: list[int]
) -> pl.LazyFrame:
    """Scope 3 category 5 at institution level: weight x route factor, per route and total."""
    table = factor_table(factors, "waste_route", years)
    dated = collections.with_columns(period_of_month(pl.col("month")))
    rows = apply_factors(
        dated, table, activity_column="processing_route", unit_divisor=1000.0
    ).select(
        "period",
        pl.lit(None, pl.String).alias("department"),
        pl.lit(None, pl.String).alias("division"),
        pl.lit("co2e.scope3_waste_kg").alias("metric"),
        pl.col("processing_route").alias("category"),
        (pl.col("weight_kg") * pl.col("factor")).alias("value"),
        pl.when(pl.col("factor").is_null()).then(MISSING).otherwise(1).alias("qbits"),
        pl.concat_list(pl.col("factor_ref")).alias("factors"),
        pl.lit(None, pl.String).alias("method"),
    )
    total = rows.with_columns(category=pl.lit(None, pl.String))
    both = pl.concat([rows, total], how="vertical")
    return rollup(both, [INSTITUTION], method="weight_x_factor")


def co2e_totals(rows: pl.LazyFrame) -> pl.LazyFrame:
    """Institution totals of all scopes, location- and market-based.

    A total is never published as complete with a component missing: without a value
    for every component the total has no value either (quality ``missing``).
    """
    # a component staged with nothing to count (method no_rows) is zero, not missing
    counted = pl.col("value").is_not_null() | (pl.col("method") == "no_rows")
    parts = []
    for metric, components in TOTALS.items():
        picked = rows.filter(
            (pl.col("level") == INSTITUTION)
            & pl.col("category").is_null()
            & pl.col("metric").is_in(components)
        )
        summed = picked.group_by("period").agg(
            pl.when(counted.sum() == len(components))
            .then(pl.col("value").fill_null(0.0).sum())
            .alias("value"),
            pl.col("qbits").bitwise_or(),
            union_factors(),
        )
        parts.append(
            summed.with_columns(
                metric=pl.lit(metric), level=pl.lit(INSTITUTION), method=pl.lit("sum_of_scopes")
            )
        )
    return pl.concat(parts, how="vertical")
