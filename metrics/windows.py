"""The windows mart: every figure's last 12 months against the 12 before, per place.

``<warehouse>/marts/windows.parquet``, rebuilt on every publish from the current
figures, so that the pages never add up months themselves. One row per metric total
(category null), level, division, department and month (the window's last month):

- ``last_12``: the 12-month sum (``rule`` ``sum``) or monthly mean (``mean``: shares,
  ratios) ending in the month; null unless every month of the window is complete or
  flagged estimated (a department's month without a row while the institution's figure
  exists counts as nothing recorded there, not as a gap);
- ``previous_12``: the same for the 12 months before; ``change_pct`` between them
  (null unless both exist);
- ``months_estimated``/``estimated_months`` and ``previous_months_estimated``: how
  many (which) months of each window are estimated; ``missing_months`` and
  ``reason``: which months are missing and why, when a window has no value.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from groendraad.metrics import store
from groendraad.metrics.catalogue import load_catalogue
from groendraad.warehouse.files import write_atomic

PLACE = ["metric", "level", "division", "department"]
WINDOW_SCHEMA = pl.Schema(
    {
        "metric": pl.String(),
        "level": pl.String(),
        "division": pl.String(),
        "department": pl.String(),
        "period": pl.Date(),
        "rule": pl.String(),
        "last_12": pl.Float64(),
        "previous_12": pl.Float64(),
        "change_pct": pl.Float64(),
        "months_estimated": pl.UInt32(),
        "estimated_months": pl.String(),
        "previous_months_estimated": pl.UInt32(),
        "missing_months": pl.String(),
        "reason": pl.String(),
    }
)


def windows_file(root: Path) -> Path:
    return root / "marts" / "windows.parquet"


def window_rule(unit: str) -> str:
    """How 12 months of a figure add up: ``mean`` for shares and ratios, else ``sum``."""
    return "mean" if "%" in unit or "/" in unit else "sum"


def _grid(totals: pl.DataFrame) -> pl.DataFrame:
    """Every place x every month, with its figure, quality and reason (null if absent)."""
    months = pl.date_range(totals["period"].min(), totals["period"].max(), "1mo", eager=True)
    places = totals.select(PLACE).unique()
    grid = places.join(pl.DataFrame({"period": months}), how="cross")
    grid = grid.join(totals, on=[*PLACE, "period"], how="left", nulls_equal=True)
    institution = totals.filter(pl.col("level") == "institution").select(
        "metric",
        "period",
        (pl.col("quality") == "missing").alias("inst_missing"),
        pl.col("quality_reason").alias("inst_reason"),
    )
    grid = grid.join(institution, on=["metric", "period"], how="left")
    absent_there = pl.col("quality").is_null() & pl.col("inst_missing").fill_null(True)
    missing = (pl.col("quality") == "missing") | absent_there
    return grid.with_columns(
        missing=missing,
        estimated=pl.col("quality") == "estimated",
        why=pl.coalesce("quality_reason", "inst_reason"),
    )


def _rolled(grid: pl.DataFrame, rules: pl.DataFrame) -> pl.DataFrame:
    """The 12-month windows of every place (a complete grid, so 12 rows each)."""
    month = pl.col("period").dt.strftime("%Y-%m")
    rolled = (
        grid.sort([*PLACE, "period"], nulls_last=True)
        .rolling(index_column="period", period="12mo", group_by=PLACE)
        .agg(
            pl.len().alias("months"),
            pl.col("value").sum().alias("sum"),
            pl.col("value").mean().alias("mean"),
            pl.col("missing").sum().alias("n_missing"),
            pl.col("estimated").sum().alias("months_estimated"),
            month.filter(pl.col("estimated")).str.join(", ").alias("estimated_months"),
            month.filter(pl.col("missing")).str.join(", ").alias("missing_months"),
            pl.col("why").filter(pl.col("missing")).drop_nulls().first().alias("reason"),
        )
    )
    complete = (pl.col("months") == 12) & (pl.col("n_missing") == 0)
    value = pl.when(pl.col("rule") == "mean").then(pl.col("mean")).otherwise(pl.col("sum"))
    return rolled.join(rules, on="metric").with_columns(
        last_12=pl.when(complete).then(value),
        estimated_months=pl.when(pl.col("estimated_months") != "").then("estimated_months"),
        missing_months=pl.when(pl.col("missing_months") != "").then("missing_months"),
        reason=pl.when(pl.col("months") < 12)
        .then(pl.lit("fewer than 12 months published"))
        .otherwise("reason"),
    )


def windows(figures: pl.DataFrame) -> pl.DataFrame:
    """The windows mart (WINDOW_SCHEMA) from a metrics table."""
    totals = figures.filter(pl.col("category").is_null()).select(
        *PLACE, "period", "value", "quality", "quality_reason"
    )
    if totals.is_empty():
        return pl.DataFrame(schema=WINDOW_SCHEMA)
    specs = load_catalogue().metrics
    rules = pl.DataFrame(
        {"metric": list(specs), "rule": [window_rule(s.unit) for s in specs.values()]}
    )
    rolled = _rolled(_grid(totals), rules)

    def year_before(column: str) -> pl.Expr:
        return pl.col(column).shift(12).over(PLACE, order_by="period")

    rolled = rolled.with_columns(
        previous_12=year_before("last_12"),
        previous_months_estimated=year_before("months_estimated"),
    )
    change = (pl.col("last_12") - pl.col("previous_12")) / pl.col("previous_12").abs() * 100
    rolled = rolled.with_columns(
        change_pct=pl.when(pl.col("previous_12") != 0).then(change),
        previous_months_estimated=pl.when(pl.col("previous_12").is_not_null()).then(
            "previous_months_estimated"
        ),
    )
    return rolled.select(pl.col(c).cast(t) for c, t in WINDOW_SCHEMA.items()).sort(
        [*PLACE, "period"], nulls_last=True
    )


def write_windows(root: Path, metrics: pl.DataFrame | None = None) -> Path:
    """Compute the windows mart from the current figures (``metrics``, read when not
    given) and write it atomically."""
    table = windows(store.read_metrics(root) if metrics is None else metrics)
    write_atomic(windows_file(root), lambda tmp: table.write_parquet(tmp))
    return windows_file(root)
