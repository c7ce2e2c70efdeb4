"""Emission factors and energy contents (factors.csv), each year its own list.

Every row covers the activity years ``valid_year`` to ``valid_to`` (inclusive; empty:
until a newer row) and names the list year it was read from, its part of the chain
(``ttw`` combustion / generation, ``wtt`` upstream, ``wtw`` both; ``all`` for a factor
that is scope 3 as a whole; ``-`` for an energy content), its GWP basis, a findable
source and a confidence (``official`` read from the list itself, ``secondary`` read
elsewhere, ``assumed`` derived or a proxy). A year the list itself does not give is
covered only by a row that declares it (a carried-back or carried-forward list year):
no silent backcast. Two rows covering one year of one factor are an error.

Market-based figures use, per year, a ``contract`` row (the configured supply,
emission_settings.py), else a ``market`` row (residual mix), else the location row.
The factor-set version (a hash of the file) is stored with every figure.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import polars as pl

FACTORS_FILE = Path(__file__).with_name("factors.csv")
LOCATION, MARKET, CONTRACT = "location", "market", "contract"
TTW, WTT, WTW, WHOLE = "ttw", "wtt", "wtw", "all"
CONFIDENCE = ("official", "secondary", "assumed")
OPEN_END = 9999
_KEY = ["category", "activity", "basis", "part"]
_PRIORITY = {CONTRACT: 0, MARKET: 1, LOCATION: 2, "-": 2}
_SCHEMA = {
    "factor_id": pl.String,
    "category": pl.String,
    "activity": pl.String,
    "basis": pl.String,
    "part": pl.String,
    "value": pl.Float64,
    "unit": pl.String,
    "valid_year": pl.Int32,
    "valid_to": pl.Int32,
    "list_year": pl.Int32,
    "gwp": pl.String,
    "source": pl.String,
    "confidence": pl.String,
    "note": pl.String,
}


@cache
def load_factors(path: Path = FACTORS_FILE) -> pl.DataFrame:
    """The factor table, typed and checked (sources, confidence, no overlapping years)."""
    return check_rows(pl.read_csv(path, schema=_SCHEMA), str(path))


def check_rows(frame: pl.DataFrame, where: str) -> pl.DataFrame:
    """Raise ValueError naming the rows without source, with a bad confidence or overlap."""
    unsourced = frame.filter(pl.col("source").is_null() | (pl.col("source") == ""))
    if unsourced.height:
        raise ValueError(f"{where}: factors without a source: {unsourced['factor_id'].to_list()}")
    bad = frame.filter(~pl.col("confidence").is_in(CONFIDENCE) | pl.col("confidence").is_null())
    if bad.height:
        raise ValueError(
            f"{where}: confidence not one of {CONFIDENCE}: {bad['factor_id'].to_list()}"
        )
    spans = frame.with_columns(end=pl.col("valid_to").fill_null(OPEN_END))
    backwards = spans.filter(pl.col("end") < pl.col("valid_year"))
    if backwards.height:
        raise ValueError(f"{where}: valid_to before valid_year: {backwards['factor_id'].to_list()}")
    pairs = spans.join(spans, on=_KEY, suffix="_b").filter(
        (pl.col("factor_id") < pl.col("factor_id_b"))
        & (pl.col("valid_year") <= pl.col("end_b"))
        & (pl.col("valid_year_b") <= pl.col("end"))
    )
    if pairs.height:
        clash = [f"{a}/{b}" for a, b in pairs.select("factor_id", "factor_id_b").iter_rows()]
        raise ValueError(f"{where}: two factors for one year: {clash}")
    return frame


@cache
def factor_set_version(path: Path = FACTORS_FILE) -> str:
    """``fs-`` + the first 12 hex digits of the file's sha256."""
    return "fs-" + hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def covering(rows: pl.DataFrame, years: list[int]) -> pl.DataFrame:
    """Every row paired with each of ``years`` it covers (column ``year``)."""
    wanted = pl.DataFrame({"year": sorted(set(years))}, schema={"year": pl.Int32})
    return rows.join(wanted, how="cross").filter(
        (pl.col("valid_year") <= pl.col("year"))
        & (pl.col("year") <= pl.col("valid_to").fill_null(OPEN_END))
    )


def factor_table(
    factors: pl.DataFrame,
    category: str,
    years: list[int],
    basis: str = LOCATION,
    part: str | None = None,
) -> pl.DataFrame:
    """activity, year, factor, factor_ref: the factor each activity uses in each year.

    ``part`` picks the chain part (``ttw``/``wtt``/``wtw``); None takes the rows of
    factors that have no parts (``all``, ``-``). A year no row covers is absent, so the
    emission it would price is missing, never zero. ``factor_ref`` is
    ``<factor_id>=<value>``, the figure's trace to the CSV row.
    """
    rows = factors.filter(pl.col("category") == category)
    rows = rows.filter(
        pl.col("part").is_in([WHOLE, "-"]) if part is None else pl.col("part") == part
    )
    allowed = [LOCATION, "-"] if basis == LOCATION else [CONTRACT, MARKET, LOCATION, "-"]
    paired = covering(rows.filter(pl.col("basis").is_in(allowed)), years).with_columns(
        priority=pl.col("basis").replace_strict(_PRIORITY, return_dtype=pl.Int8)
    )
    best = paired.sort("priority").unique(["activity", "year"], keep="first")
    return best.select(
        "activity",
        "year",
        pl.col("value").alias("factor"),
        pl.format("{}={}", "factor_id", "value").alias("factor_ref"),
    ).sort("activity", "year")


def freeze(factors: pl.DataFrame, year: int) -> pl.DataFrame:
    """The factors of ``year`` made valid for every year (the fixed-factor series)."""
    rows = covering(factors, [year]).drop("year")
    return rows.with_columns(valid_year=pl.lit(0, pl.Int32), valid_to=pl.lit(OPEN_END, pl.Int32))


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
