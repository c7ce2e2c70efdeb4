"""Gap filling: estimates for figures whose source-month is absent, as their own layer.

Configured by the coordinator (``gap_filling: {method: ...}`` in the configuration;
default ``none``):

- ``none``: no estimates; a figure with an absent input is published as missing.
- ``same_month_last_year_trend``: the figure of the same month a year earlier (every
  level and category), scaled by the trailing-12-month trend of the metric's
  institution total: (sum of the 12 months before) / (sum of the 12 months before
  those). Without 24 complete months before, the trend is 1. Estimates chain: a
  month estimated earlier can be the base of a later one.

Estimates never enter staging. They are kept in ``<warehouse>/estimates/period=YYYY-MM/
estimates.parquet`` (every estimated base figure with its method, base month, trend
and the gap it fills); ratios and totals computed over them are ``estimated`` too.
When the real delivery arrives, the month is recomputed from it and its estimates
file is removed: a restatement, published as a new version.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from groendraad.errors import ConfigError
from groendraad.metrics.shape import FILLED, INSTITUTION, LONG_SCHEMA, conform_long
from groendraad.months import Month
from groendraad.warehouse.files import write_atomic

NONE, SAME_MONTH_TREND = "none", "same_month_last_year_trend"
METHODS = (NONE, SAME_MONTH_TREND)
DEFAULT_METHOD = NONE
KEYS = ["period", "level", "department", "division", "metric", "category"]
ESTIMATE_SCHEMA = pl.Schema(
    {
        **{k: LONG_SCHEMA[k] for k in KEYS},
        "value": pl.Float64(),
        "method": pl.String(),
        "base_period": pl.Date(),
        "base_value": pl.Float64(),
        "trend": pl.Float64(),
        "trend_basis": pl.String(),
        "gap_reason": pl.String(),
    }
)


def configured_method(raw_config: dict[str, Any]) -> str:
    """The gap-filling method of a configuration (``gap_filling: {method: ...}``)."""
    section = raw_config.get("gap_filling") or {}
    if not isinstance(section, dict):
        raise ConfigError("gap_filling: expected a mapping such as {method: none}")
    method = str(section.get("method", DEFAULT_METHOD))
    if method not in METHODS:
        raise ConfigError(f"gap_filling.method: {method!r} is not one of {', '.join(METHODS)}")
    return method


def shift(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _trends(known: pl.DataFrame, metrics: list[str], period: date) -> pl.DataFrame:
    """metric, trend, trend_basis: last 12 months before ``period`` over the 12 before."""
    start = shift(period, -24)
    rows = known.filter(
        pl.col("metric").is_in(metrics)
        & (pl.col("level") == INSTITUTION)
        & (pl.col("period") >= start)
        & (pl.col("period") < period)
    )
    has_total = rows.group_by("metric").agg(pl.col("category").is_null().any().alias("t"))
    rows = rows.join(has_total, on="metric").filter(~pl.col("t") | pl.col("category").is_null())
    recent = pl.col("period") >= shift(period, -12)
    sums = rows.group_by("metric").agg(
        pl.col("value").filter(recent).sum().alias("now"),
        pl.col("value").filter(~recent).sum().alias("before"),
        pl.col("period").n_unique().alias("months"),
    )
    usable = (pl.col("months") == 24) & (pl.col("before") != 0)
    window = f"{Month(shift(period, -12).year, shift(period, -12).month)}..{Month(shift(period, -1).year, shift(period, -1).month)}"  # noqa: E501
    frame = pl.DataFrame({"metric": metrics}).join(sums, on="metric", how="left")
    return frame.select(
        "metric",
        pl.when(usable).then(pl.col("now") / pl.col("before")).otherwise(1.0).alias("trend"),
        pl.when(usable)
        .then(pl.lit(f"12 months {window} over the 12 before"))
        .otherwise(pl.lit("no trend (fewer than 24 complete months before): 1"))
        .alias("trend_basis"),
    )


def _estimate_month(
    known: pl.DataFrame, todo: pl.DataFrame, period: date, method: str
) -> pl.DataFrame:
    """ESTIMATE_SCHEMA rows for the (metric, level) pairs of ``todo`` in ``period``."""
    base_period = shift(period, -12)
    base = known.filter(pl.col("period") == base_period).join(
        todo.select("metric", "level", "gap_reason"), on=["metric", "level"]
    )
    trends = _trends(known, todo["metric"].unique().to_list(), period)
    return base.join(trends, on="metric").select(
        pl.lit(period).alias("period"),
        *[k for k in KEYS if k != "period"],
        (pl.col("value") * pl.col("trend")).alias("value"),
        pl.lit(method).alias("method"),
        pl.lit(base_period).alias("base_period"),
        pl.col("value").alias("base_value"),
        "trend",
        "trend_basis",
        "gap_reason",
    )


def estimate(
    base_rows: pl.DataFrame,
    history: pl.DataFrame,
    gaps: pl.DataFrame,
    base_metrics: set[str],
    method: str,
) -> pl.DataFrame:
    """Estimates (ESTIMATE_SCHEMA) for every gap of a base metric, oldest month first.

    ``base_rows``: the computed long rows; ``history``: published figures of other
    months (KEYS + value); ``gaps``: metric, level, period, gap_reason (completeness).
    """
    wanted = gaps.filter(pl.col("metric").is_in(list(base_metrics)))
    if method == NONE or wanted.is_empty():
        return pl.DataFrame(schema=ESTIMATE_SCHEMA)
    metrics = wanted["metric"].unique().to_list()
    columns = [*KEYS, "value"]
    known = pl.concat(
        [history.select(columns), base_rows.select(columns)], how="vertical_relaxed"
    ).filter(pl.col("metric").is_in(metrics) & pl.col("value").is_not_null())
    parts = []
    for period in sorted(wanted["period"].unique().to_list()):
        todo = wanted.filter(pl.col("period") == period)
        made = _estimate_month(known, todo, period, method)
        known = pl.concat([known, made.select(columns)], how="vertical_relaxed")
        parts.append(made)
    return pl.concat(parts, how="vertical_relaxed").cast(dict(ESTIMATE_SCHEMA))  # type: ignore[arg-type]


def as_long(estimates: pl.DataFrame) -> pl.DataFrame:
    """Estimates as long rows (qbits FILLED, method = the gap-filling method)."""
    rows = estimates.select(*KEYS, "value", "method").with_columns(qbits=pl.lit(FILLED, pl.Int64))
    return conform_long(rows.lazy()).collect()


def estimates_file(root: Path, month: Month) -> Path:
    return root / "estimates" / f"period={month}" / "estimates.parquet"


def write_estimates(root: Path, months: list[Month], estimates: pl.DataFrame) -> None:
    """Keep each month's estimates (atomically); remove those of months without any."""
    for month in months:
        path = estimates_file(root, month)
        mine = estimates.filter(pl.col("period") == month.first_day)
        if mine.is_empty():
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, lambda tmp, frame=mine: frame.write_parquet(tmp))


def read_estimates(root: Path) -> pl.DataFrame:
    """Every month's estimates kept in the warehouse."""
    files = sorted((root / "estimates").glob("period=*/estimates.parquet"))
    if not files:
        return pl.DataFrame(schema=ESTIMATE_SCHEMA)
    return pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed")
