"""Emission factors and energy contents (factors.csv), chosen by the activity's own year.

Dutch practice: a new list each January applies to that year and old years are not
restated. So an activity of year Y uses the factor with the latest ``valid_year`` not
after Y (a 2023 activity keeps the 2023 factor when a 2025 one exists). An activity
older than every recorded value uses the earliest one (a backcast, noted in the CSV).
Market-based figures use a ``basis: market`` row where one exists and the location
row otherwise. The factor-set version (a hash of the file) is stored with every figure.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import polars as pl

FACTORS_FILE = Path(__file__).with_name("factors.csv")
LOCATION, MARKET = "location", "market"
_SCHEMA = {
    "factor_id": pl.String,
    "category": pl.String,
    "activity": pl.String,
    "basis": pl.String,
    "value": pl.Float64,
    "unit": pl.String,
    "valid_year": pl.Int32,
    "list_year": pl.Int32,
    "source": pl.String,
    "note": pl.String,
}


@cache
def load_factors(path: Path = FACTORS_FILE) -> pl.DataFrame:
    """The factor table, typed; every row must name its source."""
    frame = pl.read_csv(path, schema=_SCHEMA)
    unsourced = frame.filter(pl.col("source").is_null() | (pl.col("source") == ""))
    if unsourced.height:
        raise ValueError(f"{path}: factors without a source: {unsourced['factor_id'].to_list()}")
    duplicated = frame.filter(
        pl.struct("category", "activity", "basis", "valid_year").is_duplicated()
    )
    if duplicated.height:
        raise ValueError(f"{path}: two factors for one year: {duplicated['factor_id'].to_list()}")
    return frame


@cache
def factor_set_version(path: Path = FACTORS_FILE) -> str:
    """``fs-`` + the first 12 hex digits of the file's sha256."""
    return "fs-" + hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def factor_table(
    factors: pl.DataFrame, category: str, years: list[int], basis: str = LOCATION
) -> pl.DataFrame:
    """activity, year, factor, factor_ref: the factor each activity uses in each year.

    ``factor_ref`` is ``<factor_id>=<value>``, the figure's trace to the CSV row.
    """
    rows = _candidates(factors.filter(pl.col("category") == category), basis)
    wanted = pl.DataFrame({"year": sorted(set(years))}, schema={"year": pl.Int32})
    paired = rows.join(wanted, how="cross").with_columns(
        rank=pl.when(pl.col("valid_year") <= pl.col("year"))
        .then(pl.col("valid_year"))
        .otherwise(-pl.col("valid_year") - 10_000)
    )
    best = paired.sort("rank", descending=True).unique(["activity", "year"], keep="first")
    return best.select(
        "activity",
        "year",
        pl.col("value").alias("factor"),
        pl.format("{}={}", "factor_id", "value").alias("factor_ref"),
    ).sort("activity", "year")


def _candidates(rows: pl.DataFrame, basis: str) -> pl.DataFrame:
    """The rows of ``basis``; for market, location rows fill activities without one."""
    if basis == LOCATION:
        return rows.filter(pl.col("basis").is_in([LOCATION, "-"]))
    market = rows.filter(pl.col("basis") == MARKET)
    location = rows.filter(
        pl.col("basis").is_in([LOCATION, "-"])
        & ~pl.col("activity").is_in(market["activity"].to_list())
    )
    return pl.concat([market, location])


def apply_factors(
    activity: pl.LazyFrame,
    table: pl.DataFrame,
    *,
    activity_column: str,
    unit_divisor: float = 1.0,
) -> pl.LazyFrame:
    """Join each activity row to its factor by activity and period year.

    Adds ``factor`` and ``factor_ref``; rows whose activity has no factor keep nulls
    (their emissions are then missing, never silently zero).
    """
    keyed = activity.with_columns(
        pl.col("period").dt.year().cast(pl.Int32).alias("year"),
        pl.col(activity_column).alias("activity"),
    )
    joined = keyed.join(table.lazy(), on=["activity", "year"], how="left")
    return joined.with_columns(pl.col("factor") / unit_divisor).drop("year", "activity")
