"""What changed between two published versions of a month, and why.

Every figure carries its lineage, so a change can be attributed by comparing it:

- ``activity data``: the deliveries behind the figure differ (``changed_sources`` names
  which sources were delivered again);
- ``factors``: the emission factor rows it used differ (``changed_factors``), or the
  factor set differs;
- ``method``: its method or the method version (catalogue, code) differs.

A figure only in the new version is ``new figure``, one only in the old ``withdrawn``;
a change none of these explains is ``unexplained``. Only figures whose value, quality,
unit, method or people changed are listed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from groendraad.metrics import store
from groendraad.metrics.publish import FIGURE_COLUMNS, values_differ
from groendraad.months import Month

_LINEAGE = ["deliveries", "factor_set", "factors", "method_version", "version", "published_at"]


def _entries(column: str) -> pl.Expr:
    return (
        pl.col(column)
        .fill_null("")
        .str.split(";")
        .list.eval(pl.element().filter(pl.element() != ""))
    )


def _changed(old: str, new: str, *, names: bool) -> pl.Expr:
    """Entries in one list but not the other; with ``names``, only the part before '='."""
    differing = _entries(old).list.set_symmetric_difference(_entries(new))
    if names:
        differing = differing.list.eval(pl.element().str.split("=").list.first())
    return differing.list.unique().list.sort().list.join(", ")


def _reason() -> pl.Expr:
    """The comma-separated causes of a changed figure."""
    activity = ~pl.col("deliveries").eq_missing(pl.col("deliveries_new"))
    factors = ~pl.col("factors").eq_missing(pl.col("factors_new")) | (
        pl.col("factors").is_not_null() & ~pl.col("factor_set").eq_missing(pl.col("factor_set_new"))
    )
    method = ~pl.col("method").eq_missing(pl.col("method_new")) | ~pl.col(
        "method_version"
    ).eq_missing(pl.col("method_version_new"))
    causes = pl.concat_list(
        pl.when(activity).then(pl.lit("activity data")),
        pl.when(factors).then(pl.lit("factors")),
        pl.when(method).then(pl.lit("method")),
    ).list.drop_nulls()
    explained = pl.when(causes.list.len() > 0).then(causes.list.join(", "))
    return (
        pl.when(pl.col("version").is_null())
        .then(pl.lit("new figure"))
        .when(pl.col("version_new").is_null())
        .then(pl.lit("withdrawn"))
        .otherwise(explained.fill_null(pl.lit("unexplained")))
    )


def diff_versions(root: Path, period: Month | str | date, v_old: int, v_new: int) -> pl.DataFrame:
    """The figures of ``period`` that differ between two versions, with the cause."""
    old = store.read_version(root, period, v_old)
    new = store.read_version(root, period, v_new)
    figure = FIGURE_COLUMNS
    columns = [*store.KEY, "value", *figure, *_LINEAGE]
    joined = old.select(columns).join(
        new.select(columns), on=store.KEY, how="full", nulls_equal=True, suffix="_new",
        coalesce=True,
    )  # fmt: skip
    differs = values_differ(pl.col("value"), pl.col("value_new"))
    for column in figure:
        differs = differs | ~pl.col(column).eq_missing(pl.col(f"{column}_new"))
    changed = joined.filter(differs | pl.col("version").is_null() | pl.col("version_new").is_null())
    return changed.select(
        *store.KEY,
        pl.coalesce("unit", "unit_new").alias("unit"),
        pl.col("value").alias("value_old"),
        "value_new",
        (pl.col("value_new") - pl.col("value")).alias("change"),
        pl.when(pl.col("value") != 0)
        .then((pl.col("value_new") - pl.col("value")) / pl.col("value").abs() * 100)
        .alias("change_pct"),
        pl.col("quality").alias("quality_old"),
        pl.col("quality_new"),
        _reason().alias("reason"),
        _changed("deliveries", "deliveries_new", names=True).alias("changed_sources"),
        _changed("factors", "factors_new", names=False).alias("changed_factors"),
        pl.col("version").alias("version_old"),
        "version_new",
        pl.col("published_at").alias("published_at_old"),
        "published_at_new",
    ).sort("metric", "level", "division", "department", "category", nulls_last=False)
