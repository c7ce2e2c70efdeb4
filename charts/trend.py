"""Trend charts: one or a few monthly series as lines, quality marked, gaps left open.

``trend_chart``/``compare_chart`` build the structure (cached per metric and
language); ``trend_data``/``compare_data`` turn a place's monthly frame into the
datasets: ``rows`` (month, value[, series]), ``marks`` and ``gaps`` (common.py), and
for a target line ``target``. Frames have ``month`` (date), ``value`` (in the unit
shown), ``quality`` and, for several series, ``series``.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from groendraad.charts import palette
from groendraad.charts.common import (
    gap_layer,
    iso,
    month_tooltip,
    month_x,
    quality_data,
    quality_layer,
    series_hover,
    value_tooltip,
    worst_quality,
)
from groendraad.charts.spec import csv_text, named
from groendraad.charts.text import Lang

HEIGHT = 220
ROW_FIELDS = {"month": "date", "value": "number"}
COMPARE_FIELDS = {"month": "date", "series": "string", "value": "number"}
TARGET_FIELDS = {"target": "number", "label": "string"}
DASHES = ((1, 0), (6, 3), (2, 2), (8, 3, 2, 3))


def trend_chart(
    *, name: str, unit: str, lang: Lang, fmt: str, target: bool = False
) -> alt.LayerChart:
    """One metric by month: a line, quality markers, missing bands, optionally a target."""
    y = alt.Y("value:Q", title=unit, axis=alt.Axis(format=",~f"))
    rows = named("rows", ROW_FIELDS)
    line = (
        alt.Chart(rows)
        .mark_line(color=palette.MAIN, strokeWidth=2, invalid="break-paths-show-domains")
        .encode(x=month_x(lang), y=y)
    )
    hover = (
        alt.Chart(rows)
        .mark_point(opacity=0, size=120)
        .encode(
            x=month_x(lang),
            y=y,
            tooltip=[month_tooltip(lang), value_tooltip("value", name, unit, fmt)],
        )
    )
    layers = [gap_layer(lang), line, hover]
    if target:
        layers += _target_rule(unit, lang, fmt)
    layers.append(quality_layer(lang))
    return alt.layer(*layers, width="container", height=HEIGHT)


def trend_data(frame: pl.DataFrame, lang: Lang, target: float | None = None) -> dict[str, str]:
    """The datasets of ``trend_chart`` from a monthly frame (month, value, quality)."""
    rows = [
        {"month": iso(m), "value": iso(v)} for m, v in frame.select("month", "value").iter_rows()
    ]
    data = {"rows": csv_text(rows, list(ROW_FIELDS))}
    data |= quality_data(list(frame.select("month", "value", "quality").iter_rows()), lang)
    if target is not None:
        data["target"] = csv_text(
            [{"target": target, "label": lang.ui("target")}], list(TARGET_FIELDS)
        )
    return data


def compare_chart(*, order: tuple[str, ...], unit: str, lang: Lang, fmt: str) -> alt.LayerChart:
    """Several series in one unit (``order``: their labels) as coloured, dashed-apart lines."""
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=list(order), range=palette.colours(len(order))),
        legend=alt.Legend(title=None),
    )
    dash = alt.StrokeDash(
        "series:N",
        scale=alt.Scale(domain=list(order), range=[list(d) for d in DASHES[: len(order)]]),
        legend=None,
    )
    y = alt.Y("value:Q", title=unit, axis=alt.Axis(format=",~f"))
    rows = named("rows", COMPARE_FIELDS)
    lines = (
        alt.Chart(rows)
        .mark_line(strokeWidth=2, invalid="break-paths-show-domains")
        .encode(x=month_x(lang), y=y, color=colour, strokeDash=dash)
    )
    hover = series_hover(rows, y, lang, unit, fmt)
    layers = [gap_layer(lang), lines, hover, quality_layer(lang)]
    return alt.layer(*layers, width="container", height=HEIGHT)


def compare_data(frame: pl.DataFrame, lang: Lang) -> dict[str, str]:
    """The datasets of ``compare_chart`` (frame: month, series, value, quality)."""
    rows = [
        {"month": iso(m), "series": s, "value": iso(v)}
        for m, s, v in frame.select("month", "series", "value").iter_rows()
    ]
    per_month = frame.group_by("month").agg(pl.col("value").max(), pl.col("quality")).sort("month")
    months = [(m, v, worst_quality(q)) for m, v, q in per_month.iter_rows()]
    return {"rows": csv_text(rows, list(COMPARE_FIELDS))} | quality_data(months, lang)


def _target_rule(unit: str, lang: Lang, fmt: str) -> list[alt.Chart]:
    data = named("target", TARGET_FIELDS)
    y = alt.Y("target:Q")
    line = alt.Chart(data).mark_rule(color=palette.TARGET, strokeDash=[6, 4], strokeWidth=1.5)
    line = line.encode(y=y, tooltip=[value_tooltip("target", lang.ui("target"), unit, fmt)])
    text = alt.Chart(data).mark_text(align="left", dx=4, dy=-6, fontSize=11, color=palette.TARGET)
    return [line, text.encode(y=y, x=alt.value(0), text=alt.Text("label:N"))]
