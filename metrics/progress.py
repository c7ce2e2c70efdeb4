"""The progress table: per target and month, actual against baseline, path and goal.

Reads the current published metrics (institution level, no breakdown), measures each
target's rolling 12-month figure (targets.yaml ``measure``), and for every month gives
actual, baseline, target value, trajectory value, projected value at the target year
(linear trend over the last 24-36 months) and the verdict (rule: targets.py).
Written to ``<warehouse>/marts/progress.parquet``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import polars as pl

from groendraad.metrics import store
from groendraad.metrics.catalogue import FIXED_SUFFIX, load_catalogue
from groendraad.metrics.projection import activity_projection
from groendraad.metrics.targets import (
    TARGETS_FILE,
    Target,
    december,
    load_targets,
    projection,
    trajectory,
    verdict,
)
from groendraad.metrics.window_quality import WindowInfo, month_status, windows
from groendraad.warehouse.files import write_atomic

PROGRESS_SCHEMA = pl.Schema(
    {
        "target": pl.String(),
        "title": pl.String(),
        "measure": pl.String(),
        "unit": pl.String(),
        "direction": pl.String(),
        "period": pl.Date(),
        "actual": pl.Float64(),
        "baseline_year": pl.Int32(),
        "baseline": pl.Float64(),
        "target_year": pl.Int32(),
        "target_value": pl.Float64(),
        "trajectory": pl.Float64(),
        "projected": pl.Float64(),
        "verdict": pl.String(),
        "reason": pl.String(),
        "months_estimated": pl.Int32(),
        "estimated_months": pl.String(),
        "baseline_estimated_months": pl.String(),
    }
)


def progress_file(root: Path) -> Path:
    return root / "marts" / "progress.parquet"


def _calendar(periods: pl.Series) -> pl.DataFrame:
    """Every month from the first to the last published one (gaps become nulls)."""
    months = pl.date_range(periods.min(), periods.max(), interval="1mo", eager=True)
    return pl.DataFrame({"period": months})


def measured(figures: pl.DataFrame, calendar: pl.DataFrame, measure: dict) -> pl.Series:
    """The rolling 12-month measure of a target for every month of ``calendar``."""

    def values(metric: str | None) -> pl.Series:
        if metric is None:  # a target no source measures yet
            return pl.Series("value", [None] * calendar.height, dtype=pl.Float64)
        series = figures.filter(pl.col("metric") == metric).select("period", "value")
        return calendar.join(series, on="period", how="left")["value"]

    def window(series: pl.Series, how: str = "sum") -> pl.Series:
        if how == "mean":
            return series.rolling_mean(12, min_samples=12)
        return series.rolling_sum(12, min_samples=12)

    if "numerator" not in measure:
        return window(values(measure.get("metric")))
    numerator = window(values(measure["numerator"]))
    denominator = window(values(measure["denominator"]), measure.get("denominator_agg", "sum"))
    ratio = numerator / denominator.replace(0.0, None) * float(measure.get("scale", 1.0))
    return ratio


def _describe(target: Target) -> tuple[str, str]:
    """(measure text, unit) of a target."""
    m = target.measure
    if "numerator" in m:
        return f"{m['numerator']} / {m['denominator']}", str(m.get("unit", ""))
    metric = m.get("metric")
    unit = load_catalogue().metrics[metric].unit if metric else ""
    return str(metric), str(m.get("unit", f"{unit} per 12 months"))


def measure_metrics(measure: dict) -> list[str]:
    """The metric ids a target's measure reads."""
    if "numerator" in measure:
        return [measure["numerator"], measure["denominator"]]
    return [measure["metric"]] if measure.get("metric") else []


def _reason(reason: str, actual: float | None, window: WindowInfo, base: WindowInfo | None) -> str:
    """The verdict's reason, with the months estimated (or why there is no actual)."""
    extra = []
    if actual is None and window.describe():
        extra.append(f"no actual: {window.describe()}")
    elif window.estimated:
        extra.append(window.describe())
    if base is not None and base.estimated:
        extra.append(f"baseline {base.describe()}")
    if base is not None and (base.missing or base.short) and not base.estimated:
        extra.append(f"no baseline: {base.describe()}")
    return "; ".join([reason, *extra])


def _row(target: Target, period: date, actual: float | None, **figures) -> dict:
    """One progress row: the target's description, the month's figures and verdict."""
    text, unit = _describe(target)
    window, base = figures.pop("window"), figures.pop("base")
    outcome, reason = verdict(
        target, actual, figures["baseline"], figures["trajectory"], figures["projected"]
    )
    return {
        "target": target.id,
        "title": target.title,
        "measure": text,
        "unit": unit,
        "direction": target.direction,
        "period": period,
        "actual": actual,
        "baseline_year": target.baseline_year,
        "target_year": target.target_year,
        "target_value": target.goal(figures["baseline"]),
        **figures,
        "verdict": outcome,
        "reason": _reason(reason, actual, window, base),
        "months_estimated": len(window.estimated) if actual is not None else None,
        "estimated_months": window.estimated_text() if actual is not None else None,
        "baseline_estimated_months": base.estimated_text() if base else None,
    }


def target_rows(
    target: Target,
    calendar: pl.DataFrame,
    actual: pl.Series,
    figures: pl.DataFrame | None = None,
    activity: pl.Series | None = None,
) -> list[dict]:
    """One progress row per month for ``target``.

    ``figures`` (metric, period, value, quality[, quality_reason]) tells which months of
    each window are estimated or missing; without it every month counts as complete.
    With ``activity`` (the measure on fixed factors) the projection is the activity
    trend priced with the latest factors (projection.py), not the reported trend.
    """
    periods: list[date] = calendar["period"].to_list()
    index = [p.year * 12 + p.month - 1 for p in periods]
    values = actual.to_list()
    at = dict(zip(index, values, strict=True))
    if figures is None:
        figures = pl.DataFrame(schema={"metric": pl.String, "period": pl.Date})
        infos = [WindowInfo([], []) for _ in periods]
    else:
        infos = windows(periods, month_status(figures, measure_metrics(target.measure), periods))
    by_index = dict(zip(index, infos, strict=True))
    baseline = at.get(december(target.baseline_year)) if target.baseline_year else None
    base = by_index.get(december(target.baseline_year)) if target.baseline_year else None
    goal_index = december(target.target_year)
    rows = []
    for i, period in enumerate(periods):
        projected = values[i] if index[i] >= goal_index else None
        if projected is None and activity is not None:
            fixed = activity.to_list()[: i + 1]
            projected = activity_projection(index[: i + 1], values[: i + 1], fixed, goal_index)
        elif projected is None:
            projected = projection(index[: i + 1], values[: i + 1], goal_index)
        path = trajectory(target, baseline, index[i])
        rows.append(
            _row(
                target,
                period,
                values[i],
                baseline=baseline,
                trajectory=path,
                projected=projected,
                window=infos[i],
                base=base,
            )
        )
    return rows


def progress(
    root: Path,
    *,
    targets_path: Path = TARGETS_FILE,
    base_years: Mapping[str, int] | None = None,
    as_of: datetime | None = None,
    metrics: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The progress table from the published metrics (current, or as of a moment).

    ``base_years`` overrides a target's baseline year by target id, e.g.
    ``{"medicine_waste_minus_20": 2025}``. ``metrics``: the current figures
    (``store.read_metrics(root)``) when the caller has read them already.
    """
    if metrics is None or as_of is not None:
        metrics = store.read_metrics(root, as_of)
    figures = metrics.filter(
        (pl.col("level") == "institution") & pl.col("category").is_null()
    ).select("metric", "period", "value", "quality", "quality_reason")
    if figures.is_empty():
        return pl.DataFrame(schema=PROGRESS_SCHEMA)
    calendar = _calendar(figures["period"])
    rows: list[dict] = []
    for target in load_targets(targets_path):
        if base_years and target.id in base_years:
            target = replace(target, baseline_year=int(base_years[target.id]))
        actual = measured(figures, calendar, target.measure)
        activity = _activity(figures, calendar, target)
        rows += target_rows(target, calendar, actual, figures, activity)
    return pl.DataFrame(rows, schema=PROGRESS_SCHEMA)


def _activity(figures: pl.DataFrame, calendar: pl.DataFrame, target: Target) -> pl.Series | None:
    """The target's measure on fixed factors, when it is a CO2e figure with a twin."""
    metric = target.measure.get("metric") or ""
    twin = metric.removesuffix("_kg") + FIXED_SUFFIX
    if not metric.startswith("co2e.") or twin not in set(figures["metric"]):
        return None
    return measured(figures, calendar, {"metric": twin})


def write_progress(root: Path, **options) -> Path:
    """Compute the progress table and write marts/progress.parquet atomically."""
    table = progress(root, **options)
    write_atomic(progress_file(root), lambda tmp: table.write_parquet(tmp))
    return progress_file(root)
