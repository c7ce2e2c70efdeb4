"""Where each UMC stands among an external peer set (NHS ERIC general acute hospitals).

The UMCs' exports are put in the same peer form as the ERIC sites (nfu/eric.py):
energy per m2 by carrier (kWh: gas m3 and heat GJ converted with the energy contents
of metrics/factors.csv), waste per m2 by common route (eric.yaml ``umc_routes``), food
waste by cause (% of the causes) and per meal. Flows are annualised (x 12 / months).
Then per indicator and category: the peers' quartiles and the UMC's percentile among
the included peers (100: lower than every peer, for the totals where lower is better;
for breakdown rows simply the share of peers with a lower value).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from groendraad.metrics import load_factors
from groendraad.metrics.energy import CARRIER_METRICS
from groendraad.metrics.factors import factor_table

KEYS = ["institution", "period"]
CARRIERS = ["electricity", "pv", "gas", "heat"]  # the carriers of energy.total_gj


def _institution(rows: pl.DataFrame, metric: str) -> pl.DataFrame:
    return rows.filter((pl.col("level") == "institution") & (pl.col("metric") == metric))


def _per_year(rows: pl.DataFrame) -> pl.DataFrame:
    """institution, months, floor_area_m2 (mean), meals (sum)."""
    area = (
        _institution(rows, "context.floor_area_m2")
        .group_by("institution")
        .agg(
            pl.col("period").n_unique().alias("months"),
            pl.col("value").mean().alias("floor_area_m2"),
        )
    )
    meals = (
        _institution(rows, "context.meals")
        .group_by("institution")
        .agg(pl.col("value").sum().alias("meals"))
    )
    return area.join(meals, on="institution", how="left")


def energy_rows(rows: pl.DataFrame, year: int) -> pl.DataFrame:
    """institution, category (carrier), amount_kwh over the period."""
    content = factor_table(load_factors(), "energy_content", [year]).select(
        pl.col("activity").alias("category"), (pl.col("factor") / 3.6).alias("kwh_per_unit")
    )
    metrics = {CARRIER_METRICS[c]: c for c in CARRIERS}
    picked = rows.filter(
        (pl.col("level") == "institution") & pl.col("metric").is_in(list(metrics))
        & pl.col("category").is_null()
    ).with_columns(category=pl.col("metric").replace_strict(metrics))  # fmt: skip
    priced = picked.join(content, on="category", how="left")
    return priced.group_by("institution", "category").agg(
        (pl.col("value") * pl.col("kwh_per_unit")).sum().alias("amount")
    )


def waste_rows(rows: pl.DataFrame, routes: dict[str, str]) -> pl.DataFrame:
    """institution, category (common route), amount_kg over the period."""
    picked = _institution(rows, "waste.route_kg").filter(pl.col("category").is_not_null())
    mapped = picked.with_columns(
        category=pl.col("category").replace_strict(routes, default="other")
    )
    return mapped.group_by("institution", "category").agg(pl.col("value").sum().alias("amount"))


def _with_total(parts: pl.DataFrame) -> pl.DataFrame:
    total = (
        parts.group_by("institution")
        .agg(pl.col("amount").sum())
        .with_columns(category=pl.lit(None, pl.String))
    )
    return pl.concat([parts, total.select(parts.columns)])


def umc_peer_form(rows: pl.DataFrame, mapping: dict[str, Any], year: int) -> pl.DataFrame:
    """The UMCs' rows in the peer form of eric.peer_form (flag ok, included)."""
    sizes = _per_year(rows)
    per_m2 = pl.col("amount") * 12 / pl.col("months") / pl.col("floor_area_m2")
    energy = _with_total(energy_rows(rows, year)).join(sizes, on="institution")
    waste = _with_total(waste_rows(rows, mapping["umc_routes"])).join(sizes, on="institution")
    causes = _institution(rows, "food_waste.cause_kg").filter(pl.col("category").is_not_null())
    by_cause = causes.group_by("institution", "category").agg(pl.col("value").sum().alias("amount"))
    food = _institution(rows, "food_waste.total_kg").group_by("institution").agg(
        pl.col("value").sum().alias("amount")
    ).join(sizes, on="institution")  # fmt: skip
    parts = [
        energy.select("institution", pl.lit("energy.kwh_per_m2").alias("indicator"), "category",
                      per_m2.alias("value"), pl.lit("kWh/m2/yr").alias("unit")),
        waste.select("institution", pl.lit("waste.kg_per_m2").alias("indicator"), "category",
                     per_m2.alias("value"), pl.lit("kg/m2/yr").alias("unit")),
        by_cause.select("institution", pl.lit("food_waste.cause_share_pct").alias("indicator"),
                        "category", (pl.col("amount") / pl.col("amount").sum().over("institution")
                                     * 100).alias("value"), pl.lit("%").alias("unit")),
        food.select("institution", pl.lit("food_waste.g_per_meal").alias("indicator"),
                    pl.lit(None, pl.String).alias("category"),
                    (pl.col("amount") * 1000 / pl.col("meals")).alias("value"),
                    pl.lit("g/meal").alias("unit")),
    ]  # fmt: skip
    return pl.concat(parts).with_columns(
        peer_set=pl.lit("nfu"), name=pl.col("institution"), flag=pl.lit("ok"), included=True
    )


def peer_positions(umc: pl.DataFrame, peers: pl.DataFrame) -> pl.DataFrame:
    """Per UMC, indicator and category: the included peers' n, quartiles and the percentile."""
    included = peers.filter("included").select(
        "indicator", "category", pl.col("value").alias("peer_value")
    )
    keys = ["indicator", "category"]
    paired = umc.select("institution", *keys, "value").join(included, on=keys, nulls_equal=True)
    lower_is_better = pl.col("category").is_null() & ~pl.col("indicator").str.contains("share")
    below = (pl.col("peer_value") < pl.col("value")).cast(pl.Float64)
    ties = (pl.col("peer_value") == pl.col("value")).cast(pl.Float64) * 0.5
    above = (pl.col("peer_value") > pl.col("value")).cast(pl.Float64)
    return (
        paired.group_by("institution", *keys, "value")
        .agg(
            pl.len().cast(pl.Int32).alias("peer_n"),
            pl.col("peer_value").quantile(0.25).alias("peer_p25"),
            pl.col("peer_value").median().alias("peer_median"),
            pl.col("peer_value").quantile(0.75).alias("peer_p75"),
            ((pl.when(lower_is_better).then(above).otherwise(below) + ties).mean() * 100)
            .first().alias("percentile"),
            lower_is_better.first().alias("lower_is_better"),
        )
        .sort("institution", "indicator", "category", nulls_last=False)
    )  # fmt: skip
