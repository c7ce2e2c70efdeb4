"""Quality and lineage of the computed figures: missing sources, warnings, deliveries.

- A metric with no institution row in a month gets one with a null value: quality
  ``missing`` and method ``source_missing`` (a source-month it reads is not staged)
  or ``no_rows`` (staged, but nothing to count, or suppressed as too few people).
- A source-month published with validation warnings cannot be fully ``measured``: the
  WARNING bit makes its figures ``mixed``.
- ``deliveries`` lists ``source=sha256`` of the raw deliveries behind each figure (the
  sources of the metric's staging tables, for that month), sorted; the factor-set
  version, the factor rows used and the method version complete the lineage.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import polars as pl

from groendraad.metrics.catalogue import Catalogue
from groendraad.metrics.shape import INSTITUTION, MISSING, WARNING, conform_long
from groendraad.months import Month


def metric_tables(catalogue: Catalogue) -> pl.DataFrame:
    """metric, table: one row per staging table a metric reads."""
    pairs = [(m.id, t) for m in catalogue.metrics.values() for t in m.sources]
    return pl.DataFrame(pairs, schema={"metric": pl.String, "table": pl.String}, orient="row")


def metric_sources(catalogue: Catalogue) -> pl.DataFrame:
    """metric, source: one row per source (connector) a metric reads."""
    pairs = [(m.id, s) for m in catalogue.metrics.values() for s in m.source_names]
    return pl.DataFrame(pairs, schema={"metric": pl.String, "source": pl.String}, orient="row")


def _periods(months: Iterable[Month]) -> pl.DataFrame:
    return pl.DataFrame(
        {"month": [str(m) for m in months], "period": [m.first_day for m in months]},
        schema={"month": pl.String, "period": pl.Date},
    )


def placeholders(
    rows: pl.DataFrame,
    catalogue: Catalogue,
    months: Collection[Month],
    staged: pl.DataFrame,
    skip: Collection[str] = (),
) -> pl.DataFrame:
    """Null institution rows for every metric-month without any institution row.

    Metrics in ``skip`` (computed from other metrics later) get none.
    """
    tables = metric_tables(catalogue).filter(~pl.col("metric").is_in(list(skip)))
    wanted = tables.join(_periods(months), how="cross")
    absent = wanted.join(staged.select("table", "month"), on=["table", "month"], how="anti")
    source_missing = absent.select("metric", "period").unique()
    present = rows.filter(pl.col("level") == INSTITUTION).select("metric", "period").unique()
    needed = (
        wanted.select("metric", "period")
        .unique()
        .join(present, on=["metric", "period"], how="anti")
        .join(source_missing.with_columns(gone=pl.lit(True)), on=["metric", "period"], how="left")
    )
    filled = needed.with_columns(
        level=pl.lit(INSTITUTION),
        qbits=pl.lit(MISSING, pl.Int64),
        method=pl.when(pl.col("gone")).then(pl.lit("source_missing")).otherwise(pl.lit("no_rows")),
    )
    return conform_long(filled.drop("gone").lazy()).collect()


def flag_warnings(
    rows: pl.DataFrame, catalogue: Catalogue, warnings: Collection[tuple[str, Month]]
) -> pl.DataFrame:
    """OR the WARNING bit into figures read from a source-month with warnings."""
    if not warnings:
        return rows
    flagged = pl.DataFrame(
        {"source": [s for s, _ in warnings], "period": [m.first_day for _, m in warnings]},
        schema={"source": pl.String, "period": pl.Date},
    ).join(metric_sources(catalogue), on="source")
    marks = flagged.select("metric", "period").unique().with_columns(warned=pl.lit(True))
    joined = rows.join(marks, on=["metric", "period"], how="left")
    bits = pl.when(pl.col("warned")).then(pl.col("qbits") | WARNING).otherwise(pl.col("qbits"))
    return joined.with_columns(qbits=bits).drop("warned")


def delivery_lineage(deliveries: pl.DataFrame, catalogue: Catalogue) -> pl.DataFrame:
    """metric, period, deliveries (``source=sha256;...``) for every metric-month staged."""
    per_source = (
        deliveries.with_columns(period=(pl.col("month") + "-01").str.to_date("%Y-%m-%d"))
        .select("source", "period", "sha256")
        .unique()
        .with_columns(entry=pl.format("{}={}", "source", "sha256"))
    )
    joined = metric_sources(catalogue).join(per_source, on="source")
    return joined.group_by("metric", "period").agg(
        pl.col("entry").sort().str.join(";").alias("deliveries")
    )
