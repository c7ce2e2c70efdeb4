"""Month totals of staged tables, for month-over-month plausibility.

Only the trailing 12 months of one table are read, one staged file at a time, and only
their totals are kept (a few rows per month), cached by file identity (path, size and
modification time), so validating ten years month by month reads each month's file
about once and stays in bounded memory.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import polars as pl

from groendraad.months import Month
from groendraad.warehouse import staging

TRAILING_MONTHS = 12
_HISTORY_SCHEMA = {"trailing_median": pl.Float64, "months_of_history": pl.UInt32}


def totals(frame: pl.LazyFrame, measures: list[str], by: list[str]) -> pl.LazyFrame:
    """Sums of ``measures`` per ``by`` in long form: ``*by, measure, total``."""
    sums = [pl.col(m).cast(pl.Float64).sum().alias(m) for m in measures]
    grouped = frame.group_by(by).agg(sums) if by else frame.select(sums)
    return grouped.unpivot(index=by, on=measures, variable_name="measure", value_name="total")


def trailing_months(month: Month, count: int = TRAILING_MONTHS) -> list[Month]:
    """The ``count`` months before ``month``, oldest first."""
    months, current = [], month
    for _ in range(count):
        current = current.previous()
        months.append(current)
    return months[::-1]


def trailing_totals(
    warehouse: Path | None, table: str, month: Month, measures: list[str], by: list[str]
) -> pl.DataFrame:
    """Per ``by`` and measure: the median month total over the staged trailing months and
    how many months there were (an empty frame without a warehouse or history)."""
    found = []
    for past in trailing_months(month) if warehouse is not None else []:
        path = staging.month_file(warehouse, table, past)
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        found.append(
            _month_totals(str(path), stat.st_size, stat.st_mtime_ns, tuple(measures), tuple(by))
        )
    if not found:
        empty = {**{k: pl.String for k in by}, "measure": pl.String, **_HISTORY_SCHEMA}
        return pl.DataFrame(schema=empty)
    history = pl.concat(found, how="vertical_relaxed")
    return history.group_by([*by, "measure"]).agg(
        pl.col("total").median().alias("trailing_median"),
        pl.len().alias("months_of_history"),
    )


@lru_cache(maxsize=4096)
def _month_totals(
    path: str, size: int, mtime_ns: int, measures: tuple[str, ...], by: tuple[str, ...]
) -> pl.DataFrame:
    """Totals of one staged month file (cached while the file is unchanged)."""
    scan = pl.scan_parquet(path).select(*by, *measures)
    return totals(scan, list(measures), list(by)).collect()
