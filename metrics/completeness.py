"""Completeness: which source deliveries a figure needs, and which of them are absent.

Every metric reads staging tables (catalogue ``sources``). A figure is complete only
when every table it needs is staged for its month; at institution level the
organisation table is not needed (it only places figures in departments and
divisions). A figure with an absent input is published without a value (quality
``missing``), or as ``estimated`` when gap filling made its input (gapfill.py); its
``quality_reason`` names the source, the month and why:

- ``refused by validation``: delivered, but a blocking check failed;
- ``delivered but not readable``: delivered, but it could not be parsed;
- ``not delivered``: nothing arrived;
- ``accepted gap: <note>``: the coordinator accepted the gap (decisions.py);
- ``withdrawn: <note>``: the whole month was withdrawn.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import polars as pl

from groendraad.metrics.catalogue import Catalogue
from groendraad.metrics.decisions import accepted_gaps, read_decisions
from groendraad.metrics.shape import FILLED, INSTITUTION, LEVELS, MISSING
from groendraad.months import Month
from groendraad.warehouse import raw
from groendraad.warehouse.schema import table, tables

REFUSED = "refused by validation"
UNREADABLE = "delivered but not readable"
NOT_DELIVERED = "not delivered"
ACCEPTED = "accepted gap"
WITHDRAWN = "withdrawn"
PLACING_TABLES = ("organisation",)  # needed below the institution only
GAP_SCHEMA = {"table": pl.String, "source": pl.String, "month": pl.String, "why": pl.String}


def metric_needs(catalogue: Catalogue) -> pl.DataFrame:
    """metric, level, table: the staging tables each metric needs at each level."""
    rows = [
        (m.id, level, t)
        for m in catalogue.metrics.values()
        for level in LEVELS
        for t in m.sources
        if not (level == INSTITUTION and t in PLACING_TABLES)
    ]
    return pl.DataFrame(
        rows, schema={"metric": pl.String, "level": pl.String, "table": pl.String}, orient="row"
    )


def absent_tables(
    staged: pl.DataFrame, months: Collection[Month], why: dict[tuple[str, str], str] | None = None
) -> pl.DataFrame:
    """table, source, month, why: every staging table-month among ``months`` not staged.

    ``why`` maps (source, YYYY-MM) to the reason; default ``not delivered``.
    """
    have = set(staged.select("table", "month").iter_rows())
    rows = [
        (name, table(name).source, str(m))
        for name in tables()
        for m in months
        if (name, str(m)) not in have
    ]
    reasons = why or {}
    return pl.DataFrame(
        [(t, s, m, reasons.get((s, m), NOT_DELIVERED)) for t, s, m in rows],
        schema=GAP_SCHEMA,
        orient="row",
    )


def _refused(root: Path) -> set[tuple[str, str]]:
    """(source, month) whose latest validation failed a blocking check."""
    from groendraad.expectations import read_results

    results = read_results(root)
    if results.is_empty():
        return set()
    latest = results.group_by("source", "month").agg(pl.col("run_id").max().alias("latest"))
    failed = results.join(latest, on=["source", "month"]).filter(
        (pl.col("run_id") == pl.col("latest"))
        & (pl.col("severity") == "blocking")
        & ~pl.col("success")
    )
    return {(s, str(m)) for s, m in failed.select("source", "month").unique().rows()}


def gap_reasons(root: Path, months: Collection[Month]) -> dict[tuple[str, str], str]:
    """(source, YYYY-MM) -> why it is absent, for every source-month among ``months``."""
    refused = _refused(root)
    accepted = accepted_gaps(root, read_decisions(root))
    reasons: dict[tuple[str, str], str] = {}
    for source in sorted({t.source for t in tables().values()}):
        for month in months:
            key = (source, str(month))
            if (source, month) in accepted:
                reasons[key] = f"{ACCEPTED}: {accepted[(source, month)]}"
            elif key in refused:
                reasons[key] = REFUSED
            elif raw.deliveries(root, source, month):
                reasons[key] = UNREADABLE
            else:
                reasons[key] = NOT_DELIVERED
    return reasons


def figure_gaps(catalogue: Catalogue, absent: pl.DataFrame) -> pl.DataFrame:
    """metric, level, period, gap_reason for every figure with an absent input."""
    if absent.is_empty():
        return pl.DataFrame(
            schema={
                "metric": pl.String,
                "level": pl.String,
                "period": pl.Date,
                "gap_reason": pl.String,
            }
        )
    entries = absent.with_columns(
        period=(pl.col("month") + "-01").str.to_date("%Y-%m-%d"),
        entry=pl.format("{} {}: {}", "source", "month", "why"),
    )
    joined = metric_needs(catalogue).join(entries, on="table")
    return joined.group_by("metric", "level", "period").agg(
        pl.col("entry").unique().sort().str.join("; ").alias("gap_reason")
    )


def enforce(rows: pl.DataFrame, gaps: pl.DataFrame) -> pl.DataFrame:
    """No value for a figure with an absent input, unless gap filling estimated it.

    Adds ``quality_reason``: the gap (and for an estimate, how it was made).
    """
    joined = rows.join(gaps, on=["metric", "level", "period"], how="left")
    gap = pl.col("gap_reason").is_not_null()
    filled = (pl.col("qbits") & FILLED) > 0
    return joined.with_columns(
        value=pl.when(gap & ~filled).then(None).otherwise(pl.col("value")),
        qbits=pl.when(gap & ~filled).then(pl.col("qbits") | MISSING).otherwise(pl.col("qbits")),
        quality_reason=pl.when(gap & filled)
        .then(pl.format("estimated (gap filling) for {}", "gap_reason"))
        .otherwise(pl.col("gap_reason")),
    ).drop("gap_reason")


def other_reasons(bits: pl.Expr, quality: pl.Expr, method: pl.Expr) -> pl.Expr:
    """The reason of a figure that is not complete for another cause than a gap."""
    from groendraad.metrics.shape import ESTIMATED, WARNING

    def has(flag: int) -> pl.Expr:
        return (bits & flag) > 0

    parts = pl.concat_str(
        pl.when(has(ESTIMATED)).then(pl.lit("estimated by the source")),
        pl.when(has(MISSING)).then(pl.lit("some parts missing (intervals or factors)")),
        pl.when(has(WARNING)).then(pl.lit("delivery passed validation with warnings")),
        separator="; ",
        ignore_nulls=True,
    )
    missing = pl.when(method == "no_rows").then(pl.lit("nothing delivered to count"))
    missing = missing.when(method == "ratio").then(pl.lit("denominator missing or zero"))
    return (
        pl.when(quality == "measured")
        .then(None)
        .when(quality == "missing")
        .then(missing.otherwise(parts))
        .otherwise(parts)
    )
