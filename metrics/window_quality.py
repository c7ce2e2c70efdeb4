"""How complete a 12-month window is: which months are estimated, which are missing.

Targets, baselines and comparisons sum or average 12 months. A window counts only when
each of its months is complete (measured or mixed) or flagged estimated; it says how
many of its months are estimated ("1 of 12 months estimated") and, without a value,
which month is missing and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

WINDOW = 12
MISSING, ESTIMATED = "missing", "estimated"


@dataclass(frozen=True)
class MonthStatus:
    """The weakest quality of a month's figures (``missing``/``estimated``/None) and why."""

    status: str | None
    reason: str | None = None


def month_status(
    figures: pl.DataFrame, metrics: list[str], calendar: list[date]
) -> list[MonthStatus]:
    """Per calendar month: missing (a metric absent or null), estimated, or complete.

    ``figures``: metric, period, value, quality[, quality_reason] (total rows of one place).
    """
    rows = figures.filter(pl.col("metric").is_in(metrics))
    reason = pl.col("quality_reason") if "quality_reason" in rows.columns else pl.lit(None)
    per_month = rows.group_by("period").agg(
        pl.len().alias("n"),
        (pl.col("value").is_null() | (pl.col("quality") == MISSING)).any().alias("missing"),
        (pl.col("quality") == ESTIMATED).any().alias("estimated"),
        reason.drop_nulls().first().alias("reason"),
    )
    found = {r["period"]: r for r in per_month.iter_rows(named=True)}
    result = []
    for period in calendar:
        row = found.get(period)
        if row is None or row["missing"] or row["n"] < len(set(metrics)):
            result.append(MonthStatus(MISSING, row["reason"] if row else None))
        elif row["estimated"]:
            result.append(MonthStatus(ESTIMATED, row["reason"]))
        else:
            result.append(MonthStatus(None))
    return result


def months_text(months: list[date]) -> str | None:
    """``2025-03, 2025-04`` (None when there are none)."""
    return ", ".join(f"{m:%Y-%m}" for m in months) or None


@dataclass(frozen=True)
class WindowInfo:
    """The months of a 12-month window that are estimated, and those missing."""

    estimated: list[date]
    missing: list[date]
    missing_reason: str | None = None
    short: bool = False  # fewer than 12 months published before it

    def estimated_text(self) -> str | None:
        return months_text(self.estimated)

    def describe(self) -> str:
        """Words for a verdict's reason: what is estimated or why there is no value."""
        if self.short:
            return f"fewer than {WINDOW} months published"
        if self.missing:
            why = f" ({self.missing_reason})" if self.missing_reason else ""
            return f"{months_text(self.missing)} missing{why}"
        if self.estimated:
            count = len(self.estimated)
            return f"{count} of {WINDOW} months estimated ({months_text(self.estimated)})"
        return ""


def windows(calendar: list[date], statuses: list[MonthStatus]) -> list[WindowInfo]:
    """The WindowInfo of the 12 months ending in each calendar month."""
    result = []
    for i in range(len(calendar)):
        span = range(max(0, i - WINDOW + 1), i + 1)
        missing = [calendar[j] for j in span if statuses[j].status == MISSING]
        reasons = [statuses[j].reason for j in span if statuses[j].status == MISSING]
        estimated = [calendar[j] for j in span if statuses[j].status == ESTIMATED]
        first_reason = next((r for r in reasons if r), None)
        result.append(WindowInfo(estimated, missing, first_reason, short=i < WINDOW - 1))
    return result
