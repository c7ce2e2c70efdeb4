"""Targets on the pages: the verdict, the numbers behind it and the chart.

The institution's progress is the published progress table (marts/progress.parquet).
For a department or division the same functions of ``groendraad.metrics.progress``
measure its own figures against the same targets, for the targets whose metrics are
published at that level (a department's own -20% medicine waste, its reusable share).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from groendraad.charts import palette
from groendraad.charts.common import number_format
from groendraad.charts.data import Place, SiteData
from groendraad.charts.describe import reason_text
from groendraad.charts.html import Html, tag
from groendraad.charts.layout import Figure
from groendraad.charts.scoreboard import Goal, target_chart, target_data
from groendraad.charts.spec import ChartSpec
from groendraad.charts.text import Lang, scaled_unit
from groendraad.metrics.progress import PROGRESS_SCHEMA, measured, target_rows
from groendraad.metrics.targets import Target, december, load_targets, trajectory

PER_12 = " per 12 months"


def measure_metrics(target: Target) -> list[str | None]:
    measure = target.measure
    return (
        [measure["numerator"], measure["denominator"]]
        if "numerator" in measure
        else [measure.get("metric")]
    )


def applies(target: Target, data: SiteData, level: str) -> bool:
    """Whether every metric of ``target`` is published at ``level``."""
    specs = [data.catalogue.metrics.get(m) for m in measure_metrics(target) if m]
    return bool(specs) and all(s is not None and level in s.levels for s in specs)


def progress_at(data: SiteData, place: Place) -> pl.DataFrame:
    """The progress table for ``place`` (the published one for the institution)."""
    if place.level == "institution":
        return data.progress
    return data.memo(("progress", place), lambda: _progress_of(data, place))


def _progress_of(data: SiteData, place: Place) -> pl.DataFrame:
    figures = (
        data.at(place)
        .filter(pl.col("category").is_null())
        .select("metric", "period", "value", "quality", "quality_reason")
    )
    if figures.is_empty():
        return pl.DataFrame(schema=PROGRESS_SCHEMA)
    calendar = pl.DataFrame({"period": data.months}, schema={"period": pl.Date})
    rows: list[dict] = []
    for target in load_targets():
        if applies(target, data, place.level):
            actual = measured(figures, calendar, target.measure)
            rows += target_rows(target, calendar, actual, figures)
    return pl.DataFrame(rows, schema=PROGRESS_SCHEMA)


def verdict_badge(verdict: str, lang: Lang) -> Html:
    """The verdict as a word with a symbol and a colour (never colour alone)."""
    slug = verdict.replace(" ", "-")
    symbol = tag("span", palette.VERDICT_SYMBOLS.get(verdict, "?"), aria_hidden="true")
    return tag("span", symbol, " ", lang.verdict(verdict), class_=f"verdict verdict-{slug}")


def _path_ahead(target: Target, baseline: float | None, last: date) -> list[tuple[date, float]]:
    """The trajectory for the months after ``last`` up to the target's December."""
    points = []
    index = last.year * 12 + last.month
    while index <= december(target.target_year):
        value = trajectory(target, baseline, index)
        if value is not None:
            points.append((date(index // 12, index % 12 + 1, 1), value))
        index += 3  # quarterly is smooth enough for a straight or kinked line
    return points


def _chart_frame(
    rows: pl.DataFrame, target: Target, divisor: float, qualities: dict[date, str]
) -> pl.DataFrame:
    """month, actual, path (on to the target year), quality; in the unit shown."""
    last = rows["period"].max()
    baselines = rows["baseline"].drop_nulls()
    ahead = _path_ahead(target, baselines[0] if baselines.len() else None, last)  # type: ignore[arg-type]
    frame = rows.select(
        pl.col("period").alias("month"), "actual", pl.col("trajectory").alias("path")
    )
    future = pl.DataFrame(
        {
            "month": [d for d, _ in ahead],
            "actual": [None] * len(ahead),
            "path": [v for _, v in ahead],
        },
        schema={"month": pl.Date, "actual": pl.Float64, "path": pl.Float64},
    )
    frame = pl.concat([frame, future]).with_columns(pl.col("actual", "path") / divisor)
    quality = [qualities.get(m, "measured") for m in frame["month"]]
    return frame.with_columns(quality=pl.Series(quality, dtype=pl.String))


def target_figure(
    rows: pl.DataFrame, target: Target, lang: Lang, qualities: dict[date, str]
) -> Figure:
    """One target at one place: the numbers and the chart (rows: its progress rows)."""
    rows = rows.sort("period")
    last = rows.row(rows.height - 1, named=True)
    unit = last["unit"]
    values = [abs(v) for v in (last["actual"], last["target_value"], last["baseline"]) if v]
    shown, divisor = scaled_unit(unit.removesuffix(PER_12), max(values or [0.0]))
    shown = lang.unit(shown + (PER_12 if unit.endswith(PER_12) else ""))
    text = _sentence(last, divisor, shown, lang)
    chart = None
    if rows["actual"].drop_nulls().len():
        frame = _chart_frame(rows, target, divisor, qualities)
        goal = Goal(
            date(target.target_year, 12, 1),
            _div(last["target_value"], divisor),
            _div(last["projected"], divisor),
        )
        typical = frame["actual"].drop_nulls().abs().median()
        chart = ChartSpec.of(
            target_chart,
            target_data(frame, goal, lang),
            unit=shown,
            lang=lang,
            fmt=number_format(typical),
        )  # type: ignore[arg-type]
    return Figure(
        key=f"target-{target.id}",
        title=lang.target(target.id, target.title),
        description=text,
        chart=chart,
        metrics=[m for m in measure_metrics(target) if m],
    )


def _div(value: float | None, divisor: float) -> float | None:
    return None if value is None else value / divisor


def _sentence(last: dict, divisor: float, unit: str, lang: Lang) -> str:
    """The numbers behind the verdict, in words."""
    number = lambda v: lang.number(_div(v, divisor))  # noqa: E731
    parts = [lang.ui("verdict_is", verdict=lang.verdict(last["verdict"]))]
    if last["actual"] is not None:
        parts.append(
            lang.ui(
                "actual_12",
                month=lang.month(last["period"], True),
                value=number(last["actual"]),
                unit=unit,
            )
        )
    if last["target_value"] is not None:
        parts.append(
            lang.ui(
                "goal_value",
                year=last["target_year"],
                value=number(last["target_value"]),
                unit=unit,
            )
        )
    if last["baseline"] is not None:
        parts.append(
            lang.ui("baseline_value", year=last["baseline_year"], value=number(last["baseline"]))
        )
    elif last["baseline_year"] is not None:
        parts.append(lang.ui("baseline_missing", year=last["baseline_year"]))
    if last["projected"] is not None:
        parts.append(
            lang.ui("projected_value", year=last["target_year"], value=number(last["projected"]))
        )
    if last.get("months_estimated"):
        estimated = lang.ui(
            "window_estimated", count=last["months_estimated"], months=last["estimated_months"]
        )
        parts.append(estimated[0].upper() + estimated[1:] + ".")
    if last.get("baseline_estimated_months"):
        parts.append(
            lang.ui(
                "baseline_estimated",
                year=last["baseline_year"],
                months=last["baseline_estimated_months"],
            )
        )
    if last["actual"] is None:
        parts.append(lang.ui("no_actual"))
        gap = [p for p in (last.get("reason") or "").split("; ") if p.startswith("no actual: ")]
        if gap:
            parts.append(reason_text(gap[0], lang) + ".")
    return " ".join(parts)


_RANK = {"measured": 0, "mixed": 1, "estimated": 2, "missing": 3}


def window_qualities(data: SiteData, place: Place, target: Target) -> dict[date, str]:
    """Per month, the weakest quality of the target's metrics in the 12 months ending there."""
    return data.memo(("qualities", place, target.id), lambda: _qualities(data, place, target))


def _qualities(data: SiteData, place: Place, target: Target) -> dict[date, str]:
    metrics = [m for m in measure_metrics(target) if m]
    rows = data.at(place).filter(pl.col("metric").is_in(metrics) & pl.col("category").is_null())
    ranked = rows.group_by("period").agg(
        pl.col("quality").replace_strict(_RANK, default=3, return_dtype=pl.Int8).max().alias("q")
    )
    calendar = pl.DataFrame({"period": data.months}, schema={"period": pl.Date})
    joined = calendar.join(ranked, on="period", how="left").sort("period")
    worst = joined["q"].fill_null(3).rolling_max(12, min_samples=1)
    names = {rank: name for name, rank in _RANK.items()}
    return {p: names[int(q)] for p, q in zip(joined["period"], worst, strict=True)}
