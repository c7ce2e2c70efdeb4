"""Figures over months from the metrics table: data, units, chart, words and table.

Each function returns a ``layout.Figure`` for one kind of figure at one place (the
institution, a division or a department); the page modules only choose which.
"""

from __future__ import annotations

import polars as pl

from groendraad.charts import describe
from groendraad.charts.breakdown import stacked_chart, stacked_data
from groendraad.charts.common import worst_quality
from groendraad.charts.data import Place, Scale, SiteData, breakdown, months_back, series
from groendraad.charts.html import Html, table
from groendraad.charts.layout import Figure
from groendraad.charts.spec import ChartSpec
from groendraad.charts.text import Lang
from groendraad.charts.trend import compare_chart, compare_data, trend_chart, trend_data


def _shown(frame: pl.DataFrame, scale: Scale) -> pl.DataFrame:
    """``period`` renamed ``month``, values in the unit shown."""
    return frame.rename({"period": "month"}).with_columns(pl.col("value") / scale.divisor)


def month_table(frame: pl.DataFrame, columns: list[str], unit: str, lang: Lang) -> Html:
    """Months (latest first) by columns, with the (weakest) quality of each month and,
    when it is not measured, why (``quality_reason``, if the frame has it).

    ``frame``: month, value, quality and, for several columns, ``series`` naming them.
    """
    several = "series" in frame.columns
    names = frame["series"] if several else [None] * frame.height
    reasons = frame["quality_reason"] if "quality_reason" in frame.columns else names
    cells: dict = {}
    qualities: dict = {}
    why: dict = {}
    for month, name, value, quality, reason in zip(
        frame["month"], names, frame["value"], frame["quality"], reasons, strict=True
    ):
        if name is not None and value is not None:
            row = cells.setdefault(month, {})
            row[name] = row.get(name, 0.0) + value
        elif not several and value is not None:
            cells.setdefault(month, {})[None] = value
        qualities.setdefault(month, []).append(quality)
        if reason and "quality_reason" in frame.columns:
            why.setdefault(month, reason)
    keys = columns if several else [None]
    headers = [lang.ui("month"), *(f"{c} ({unit})" for c in columns), lang.ui("quality")]

    def quality_cell(month) -> str:  # type: ignore[no-untyped-def]
        word = lang.quality(worst_quality(qualities[month]))
        reason = describe.reason_text(why.get(month), lang)
        return f"{word}: {reason}" if reason else word

    rows = [
        [
            lang.month(m, True),
            *(lang.number(cells.get(m, {}).get(k)) for k in keys),
            quality_cell(m),
        ]
        for m in sorted(qualities, reverse=True)
    ]
    return table(headers, rows)


def trend_figure(
    data: SiteData, metric: str, place: Place, lang: Lang, *, target: float | None = None
) -> Figure:
    """One metric's monthly trend at ``place``."""
    scale = data.scale(metric, place.level)
    frame, unit, name = (
        _shown(series(data, metric, place), scale),
        lang.unit(scale.unit),
        lang.metric(metric),
    )
    text = describe.trend_description(
        frame, name, unit, lang, lambda end: data.window(metric, place, end), scale.divisor
    )
    chart = ChartSpec.of(
        trend_chart,
        trend_data(frame, lang, target),
        name=name,
        unit=unit,
        lang=lang,
        fmt=scale.fmt,
        target=target is not None,
    )
    return Figure(
        key=_key(metric, place),
        title=name,
        description=text,
        chart=chart,
        table=month_table(frame, [name], unit, lang),
        metrics=[metric],
    )


def compare_figure(
    data: SiteData, metrics: list[str], place: Place, lang: Lang, *, title: str
) -> Figure:
    """Several metrics in one unit as lines (e.g. location- and market-based CO2)."""
    scale = data.scale(metrics[0], place.level)
    names = [lang.metric(m) for m in metrics]
    parts = [
        series(data, m, place).with_columns(series=pl.lit(n))
        for m, n in zip(metrics, names, strict=True)
    ]
    frame, unit = _shown(pl.concat(parts), scale), lang.unit(scale.unit)
    text = " ".join(
        describe.trend_description(
            frame.filter(pl.col("series") == n),
            n,
            unit,
            lang,
            lambda end, m=m: data.window(m, place, end),
            scale.divisor,
        )
        for m, n in zip(metrics, names, strict=True)
    )
    chart = ChartSpec.of(
        compare_chart,
        compare_data(frame, lang),
        order=tuple(names),
        unit=unit,
        lang=lang,
        fmt=scale.fmt,
    )
    return Figure(
        key=_key("-".join(metrics), place),
        title=title,
        description=text,
        chart=chart,
        table=month_table(frame, names, unit, lang),
        metrics=metrics,
    )


def stack_figure(
    data: SiteData, metric: str, place: Place, lang: Lang, *, title: str | None = None
) -> Figure:
    """A metric's breakdown rows by month (waste by stream, commuting by mode, ...)."""
    kept = data.parts(metric, place.level)
    labels = {c: lang.category(c) for c in kept}
    order = [labels[c] for c in kept]
    rows = breakdown(data, metric, place)
    other = rows["category"].is_null() & rows["value"].is_not_null()
    if other.any():
        order.append(lang.ui("other"))
    return _stack(data, rows, labels, [metric], place, lang, title or lang.metric(metric), order)


def metrics_stack_figure(
    data: SiteData, metrics: list[str], place: Place, lang: Lang, *, title: str
) -> Figure:
    """Several metrics stacked as parts of one whole (CO2 by scope).

    A metric with no figure at all at this place (a department without business
    travel) is left out, rather than marking every month as missing.
    """
    present = [
        m for m in metrics if series(data, m, place)["value"].null_count() < len(data.months)
    ]
    metrics = present or metrics
    rows = pl.concat([series(data, m, place).with_columns(category=pl.lit(m)) for m in metrics])
    labels = {m: lang.metric(m) for m in metrics}
    order = [labels[m] for m in metrics]
    return _stack(
        data,
        rows.select("period", "category", "value", "quality", "quality_reason"),
        labels,
        metrics,
        place,
        lang,
        title,
        order,
    )


def _stack(
    data: SiteData,
    rows: pl.DataFrame,
    labels: dict[str, str],
    metrics: list[str],
    place: Place,
    lang: Lang,
    title: str,
    order: list[str],
) -> Figure:
    scale = data.scale(metrics[0], place.level)
    other = lang.ui("other")
    named = [labels.get(c, other) if c is not None else other for c in rows["category"]]
    frame = pl.DataFrame(
        {
            "month": rows["period"],
            "category": [
                n if v is not None else None for n, v in zip(named, rows["value"], strict=True)
            ],
            "value": rows["value"] / scale.divisor,
            "quality": rows["quality"],
            "reason": rows["quality_reason"] if "quality_reason" in rows.columns else None,
        },
        schema_overrides={"reason": pl.String},
    )
    unit = lang.unit(scale.unit)
    text = describe.parts_description(_recent_totals(frame, data), unit, data.end, lang)
    text += " " + describe.quality_summary(_month_qualities(frame), lang)
    chart = ChartSpec.of(
        stacked_chart,
        stacked_data(frame, tuple(order), lang),
        order=tuple(order),
        unit=unit,
        lang=lang,
        fmt=scale.fmt,
        other=other in order,
    )
    table_frame = frame.rename({"category": "series", "reason": "quality_reason"})
    return Figure(
        key=_key("-".join(metrics) + "-parts", place),
        title=title,
        description=text,
        chart=chart,
        table=month_table(table_frame, order, unit, lang),
        metrics=metrics,
    )


def _recent_totals(frame: pl.DataFrame, data: SiteData) -> list[tuple[str, float]]:
    """Each part's total over the last 12 months, largest first."""
    start = months_back(data.end, 11)
    totals: dict[str, float] = {}
    for month, name, value in frame.select("month", "category", "value").iter_rows():
        if name is not None and value is not None and month >= start:
            totals[name] = totals.get(name, 0.0) + value
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def _month_qualities(frame: pl.DataFrame) -> list[str]:
    per_month: dict = {}
    for month, quality in zip(frame["month"], frame["quality"], strict=True):
        per_month.setdefault(month, []).append(quality)
    return [worst_quality(q) for q in per_month.values()]


def _key(text: str, place: Place) -> str:
    suffix = "" if place.level == "institution" else f"-{place.level}"
    return text.replace(".", "-").replace("_", "-") + suffix
