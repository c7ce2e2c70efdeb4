"""The change of every CO2e figure split in two: the hospital's activity and the factors.

For a CO2e metric E (own-year factors, the reported series) and its twin F on one
fixed factor year (``co2e.*_fixed_kg``), the change between a base window and a later
window is split exactly::

    change          = E_now - E_base
    activity effect = F_now - F_base          (what the hospital's own use changed)
    factor effect   = change - activity effect (what changed factors did, e.g. the grid)

The two add up to the change by construction. Windows are calendar years (12
published months) compared with the year before and with the CO2 target's baseline
year, plus the latest 12 months against the baseline year. Written to
``<warehouse>/marts/co2e_decomposition.parquet``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from groendraad.metrics import store
from groendraad.metrics.catalogue import FIXED_SUFFIX
from groendraad.metrics.emission_settings import EmissionSettings, co2_baseline_year
from groendraad.warehouse.files import write_atomic

SCHEMA = pl.Schema(
    {
        "metric": pl.String(),
        "window": pl.String(),
        "window_end": pl.Date(),
        "base": pl.String(),
        "reported_kg": pl.Float64(),
        "reported_base_kg": pl.Float64(),
        "fixed_kg": pl.Float64(),
        "fixed_base_kg": pl.Float64(),
        "change_kg": pl.Float64(),
        "activity_effect_kg": pl.Float64(),
        "factor_effect_kg": pl.Float64(),
        "fixed_factor_year": pl.Int32(),
    }
)


def decomposition_file(root: Path) -> Path:
    return root / "marts" / "co2e_decomposition.parquet"


def annual(figures: pl.DataFrame, year: pl.Expr | None = None) -> pl.DataFrame:
    """metric, year, reported_kg, fixed_kg: 12-month windows (default: calendar years)
    with all 12 months of both series."""
    twins = figures.filter(pl.col("metric").str.ends_with(FIXED_SUFFIX)).with_columns(
        metric=pl.col("metric").str.strip_suffix(FIXED_SUFFIX) + pl.lit("_kg")
    )
    paired = figures.join(twins, on=["metric", "period"], suffix="_fixed", how="inner")
    key = pl.col("period").dt.year() if year is None else year
    yearly = paired.group_by("metric", key.alias("year")).agg(
        pl.col("value").sum().alias("reported_kg"),
        pl.col("value_fixed").sum().alias("fixed_kg"),
        (pl.col("value").is_not_null() & pl.col("value_fixed").is_not_null()).sum().alias("n"),
    )
    return yearly.filter(pl.col("n") == 12).drop("n").sort("metric", "year")


def latest_window(figures: pl.DataFrame) -> pl.DataFrame:
    """metric, window_end, reported_kg, fixed_kg: the latest 12 published months."""
    end = figures["period"].max()
    first = end.year * 12 + end.month - 1 - 11
    start = date(first // 12, first % 12 + 1, 1)
    window = figures.filter(pl.col("period") >= start)
    years = annual(window, pl.lit(end.year))
    return years.with_columns(window_end=pl.lit(end)).drop("year")


def _compare(now: pl.DataFrame, base: pl.DataFrame, label: pl.Expr, base_label: pl.Expr):
    joined = now.join(base, on="metric", suffix="_base")
    change = pl.col("reported_kg") - pl.col("reported_kg_base")
    activity = pl.col("fixed_kg") - pl.col("fixed_kg_base")
    return joined.select(
        "metric",
        label.alias("window"),
        "window_end",
        base_label.alias("base"),
        "reported_kg",
        pl.col("reported_kg_base").alias("reported_base_kg"),
        "fixed_kg",
        pl.col("fixed_kg_base").alias("fixed_base_kg"),
        change.alias("change_kg"),
        activity.alias("activity_effect_kg"),
        (change - activity).alias("factor_effect_kg"),
    )


def decompose(figures: pl.DataFrame, baseline_year: int, fixed_year: int) -> pl.DataFrame:
    """The decomposition table (SCHEMA) from institution-level figures (metric, period, value)."""
    years = annual(figures).with_columns(
        window_end=pl.date(pl.col("year"), 12, 1), label=pl.col("year").cast(pl.String)
    )
    previous = years.with_columns(year=pl.col("year") + 1)
    parts = []
    for year in years["year"].unique().sort().to_list():
        now = years.filter(pl.col("year") == year)
        before = previous.filter(pl.col("year") == year).drop("window_end", "label")
        parts.append(_compare(now, before, pl.col("label"), pl.lit(str(year - 1))))
    base = years.filter(pl.col("year") == baseline_year).drop("window_end", "label", "year")
    # the year after the baseline is already there, as its year-on-year change
    later = years.filter(pl.col("year") > baseline_year + 1)
    parts.append(_compare(later, base, pl.col("label"), pl.lit(str(baseline_year))))
    if not figures.is_empty():
        latest = latest_window(figures)
        end = latest["window_end"].max()
        label = pl.lit(f"12 months to {end:%Y-%m}" if end else None)
        parts.append(_compare(latest, base, label, pl.lit(str(baseline_year))))
    table = pl.concat([p.select(list(SCHEMA)[:-1]) for p in parts]) if parts else None
    if table is None or table.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    return (
        table.with_columns(fixed_factor_year=pl.lit(fixed_year, pl.Int32))
        .select([pl.col(c).cast(t) for c, t in SCHEMA.items()])
        .sort("metric", "window_end", "base")
    )


def write_decomposition(root: Path, settings: EmissionSettings | None = None) -> Path:
    """Compute the decomposition from the current published figures; write it atomically."""
    settings = settings or EmissionSettings()
    metrics = store.read_metrics(root)
    figures = metrics.filter(
        (pl.col("level") == "institution")
        & pl.col("category").is_null()
        & pl.col("metric").str.starts_with("co2e.")
    ).select("metric", "period", "value")
    table = decompose(figures, co2_baseline_year(), settings.fixed_year)
    write_atomic(decomposition_file(root), lambda tmp: table.write_parquet(tmp))
    return decomposition_file(root)
