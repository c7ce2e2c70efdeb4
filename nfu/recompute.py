"""Recompute CO2e on one common factor year from the activity data in the exports.

Each UMC publishes CO2e with the factors of the activity's own year (and perhaps its
own factors.csv). For a fair comparison the benchmark swaps them for one factor set:
``metrics/factors.csv`` frozen at one chosen year (``factors.freeze``, the same code as
the ``co2e.*_fixed_kg`` series; default the fixed factor year, the CO2 baseline).
The contract's ``recompute`` section pairs every CO2e part with its activity and chain
part (scope 1 gas m3 x TTW, scope 2 electricity kWh x TTW, scope 3.3 energy x WTT,
waste routes with route kg, commuting and business-travel modes with km).

    recomputed component = published component
                           + sum over parts (activity x common factor / divisor - published part)

A part without a common factor for its category (flights: the export has one
``Vliegtuig`` row over three distance bands) or without activity data stays as
published; ``recomputed_share`` says which share of the published figure was swapped.
Totals are the sum of their recomputed components.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from groendraad.metrics import load_factors
from groendraad.metrics.factors import factor_table, freeze
from groendraad.nfu.contract import Contract, load_contract

KEYS = ["institution", "period"]
SAME = "=category"


def _select(rows: pl.DataFrame, metric: str, category: str | None) -> pl.DataFrame:
    """Rows of ``metric``: its breakdown rows (``=category``), one category, or the total."""
    picked = rows.filter(pl.col("metric") == metric)
    if category == SAME:
        return picked.filter(pl.col("category").is_not_null())
    if category is None:
        return picked.filter(pl.col("category").is_null())
    return picked.filter(pl.col("category") == category)


def part_deltas(
    rows: pl.DataFrame, part: dict[str, Any], factors: pl.DataFrame, factor_year: int
) -> pl.DataFrame:
    """institution, period, delta, swapped: what swapping the factor changes in one part."""
    by_category = part["activity_category"] == SAME
    on = KEYS + (["category"] if by_category else [])
    co2e = _select(rows, part["co2e"], part["co2e_category"])
    activity = _select(rows, part["activity"], part["activity_category"])
    joined = co2e.select(*KEYS, "category", pl.col("value").alias("published")).join(
        activity.select(*on, pl.col("value").alias("amount")), on=on, how="left"
    )
    frozen = freeze(factors, factor_year)  # the same selection as the fixed-factor series
    table = factor_table(
        frozen, part["factor_category"], [factor_year], part["basis"], part.get("part")
    )
    name = (
        pl.col("category") if part["factor_activity"] == SAME else pl.lit(part["factor_activity"])
    )
    priced = joined.with_columns(factor_activity=name).join(
        table.select(pl.col("activity").alias("factor_activity"), "factor"),
        on="factor_activity",
        how="left",
    )
    new = pl.col("amount") * pl.col("factor") / float(part["divisor"])
    known = new.is_not_null() & pl.col("published").is_not_null()
    return priced.select(
        *KEYS,
        pl.when(known).then(new - pl.col("published")).otherwise(0.0).alias("delta"),
        pl.when(known).then(pl.col("published")).otherwise(0.0).alias("swapped"),
    )


def recompute_components(
    rows: pl.DataFrame, factor_year: int, contract: Contract, factors: pl.DataFrame
) -> pl.DataFrame:
    """institution, period, metric, published_kg, recomputed_kg, swapped_kg per component."""
    parts = [
        part_deltas(rows, part, factors, factor_year).with_columns(metric=pl.lit(component))
        for component, component_parts in contract.recompute.items()
        for part in component_parts
    ]
    deltas = pl.concat(parts).group_by(*KEYS, "metric").agg(pl.col("delta", "swapped").sum())
    published = rows.filter(
        pl.col("metric").is_in(list(contract.recompute)) & pl.col("category").is_null()
    ).select(*KEYS, "metric", pl.col("value").alias("published_kg"), "quality")
    joined = published.join(deltas, on=[*KEYS, "metric"], how="left")
    return joined.select(
        *KEYS,
        "metric",
        "published_kg",
        (pl.col("published_kg") + pl.col("delta").fill_null(0.0)).alias("recomputed_kg"),
        pl.col("swapped").fill_null(0.0).alias("swapped_kg"),
        "quality",
    )


def recompute_totals(
    rows: pl.DataFrame, components: pl.DataFrame, contract: Contract
) -> pl.DataFrame:
    """The totals: published as exported, recomputed as the sum of recomputed components."""
    parts = []
    for total, members in contract.totals.items():
        summed = (
            components.filter(pl.col("metric").is_in(members))
            .group_by(KEYS)
            .agg(pl.col("recomputed_kg", "swapped_kg").sum())
        )
        published = _select(rows, total, None).select(
            *KEYS, pl.lit(total).alias("metric"), pl.col("value").alias("published_kg"), "quality"
        )
        parts.append(published.join(summed, on=KEYS, how="left"))
    return pl.concat(parts).select(components.columns)


def recompute_co2e(
    rows: pl.DataFrame,
    factor_year: int,
    contract: Contract | None = None,
    factors: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Per institution, month and CO2e metric: published and recomputed kg CO2e.

    ``rows``: export rows (any number of institutions); only institution level is used.
    Adds ``recomputed_share`` (swapped / published) and ``factor_year``.
    """
    contract = contract or load_contract()
    factors = load_factors() if factors is None else factors
    institution_rows = rows.filter(pl.col("level") == "institution")
    components = recompute_components(institution_rows, factor_year, contract, factors)
    totals = recompute_totals(institution_rows, components, contract)
    both = pl.concat([components, totals])
    share = pl.when(pl.col("published_kg") != 0).then(pl.col("swapped_kg") / pl.col("published_kg"))
    return both.with_columns(
        recomputed_share=share, factor_year=pl.lit(factor_year, pl.Int32)
    ).sort(*KEYS, "metric")
