"""Which factor each year uses, from where, how sure, and what is missing or assumed.

For every factor of factors.csv (category, activity, basis, chain part) and every
year in use, :func:`usage` gives the covering row with its value, list year, source
and confidence, and a status:

- ``as listed``: the row's own list year;
- ``carried back from list N`` / ``carried forward from list N``: a year the row
  declares (``valid_year``..``valid_to``) but its list did not give: the nearest
  published year, counted as ``assumed``;
- ``not a yearly list``: a constant (SI definition, method choice, derived value);
- ``MISSING``: no row covers the year, so every figure that needs it is missing.

``groendraad factors check`` prints this table and exits 1 when anything is missing;
the definitions page shows the same table.
"""

from __future__ import annotations

import polars as pl

from groendraad.metrics.factors import covering

KEY = ["category", "activity", "basis", "part"]
MISSING = "MISSING"


def usage(factors: pl.DataFrame, years: list[int]) -> pl.DataFrame:
    """One row per factor key and year: what is used, its status and confidence."""
    keys = factors.select(KEY).unique()
    wanted = keys.join(
        pl.DataFrame({"year": sorted(set(years))}, schema={"year": pl.Int32}), how="cross"
    )
    found = covering(factors, years)
    joined = wanted.join(found, on=[*KEY, "year"], how="left")
    listed = pl.col("list_year")
    status = (
        pl.when(pl.col("factor_id").is_null())
        .then(pl.lit(MISSING))
        .when(listed.is_null())
        .then(pl.lit("not a yearly list"))
        .when(pl.col("year") == listed)
        .then(pl.lit("as listed"))
        .when(pl.col("year") < listed)
        .then(pl.format("carried back from list {}", listed))
        .otherwise(pl.format("carried forward from list {}", listed))
    )
    carried = status.str.starts_with("carried")
    confidence = pl.when(carried).then(pl.lit("assumed")).otherwise(pl.col("confidence"))
    return joined.select(
        "year",
        *KEY,
        "factor_id",
        "value",
        "unit",
        "list_year",
        status.alias("status"),
        confidence.alias("confidence"),
        "source",
        "note",
    ).sort("year", *KEY)


def missing(table: pl.DataFrame) -> pl.DataFrame:
    """The rows of a usage table without any factor."""
    return table.filter(pl.col("status") == MISSING)


def summary(table: pl.DataFrame) -> dict[str, int]:
    """How many (factor, year) uses are official, secondary, assumed and missing."""
    counts = dict(table.group_by("confidence").len().iter_rows())
    return {
        "official": counts.get("official", 0),
        "secondary": counts.get("secondary", 0),
        "assumed": counts.get("assumed", 0),
        "missing": missing(table).height,
    }
