"""Breakdowns: what a figure is made of, by month (stacked bars) or over a year (bars).

``stacked_chart`` draws monthly bars stacked by category, in a fixed category order
(and so fixed colours) for a metric across all pages; ``ranking_chart`` horizontal
bars, largest on top, the reader's own place in the highlight colour. The ``*_data``
functions make their datasets from frames: stacked ``month``, ``category`` (label as
shown), ``value``, ``quality``; ranking ``name``, ``value``, ``role``.
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
    value_tooltip,
    worst_quality,
)
from groendraad.charts.spec import csv_text, named
from groendraad.charts.text import Lang

HEIGHT = 260
BAR_STEP = 24
STACK_FIELDS = {"month": "date", "category": "string", "value": "number", "stack": "number"}
RANK_FIELDS = {"name": "string", "value": "number", "role": "string"}


def stacked_chart(
    *, order: tuple[str, ...], unit: str, lang: Lang, fmt: str, other: bool = False
) -> alt.LayerChart:
    """Monthly stacked bars; ``order`` the categories; ``other``: the last is "Other" (grey)."""
    colour = alt.Color(
        "category:N",
        scale=alt.Scale(domain=list(order), range=palette.colours(len(order), other=other)),
        legend=alt.Legend(title=None),
        sort=list(order),
    )
    bars = (
        alt.Chart(named("rows", STACK_FIELDS))
        .mark_bar()
        .encode(
            x=month_x(lang),
            y=alt.Y("sum(value):Q", title=unit, axis=alt.Axis(format=",~f")),
            color=colour,
            order=alt.Order("stack:Q"),
            tooltip=[
                month_tooltip(lang),
                alt.Tooltip("category:N", title=lang.ui("part")),
                value_tooltip("value", lang.ui("value"), unit, fmt),
            ],
        )
    )
    layers = [gap_layer(lang), bars, quality_layer(lang)]
    return alt.layer(*layers, width="container", height=HEIGHT)


def stacked_data(frame: pl.DataFrame, order: tuple[str, ...], lang: Lang) -> dict[str, str]:
    """Datasets of ``stacked_chart``; the quality marker sits on top of each month's stack.

    A month where a part is missing for a reason (``reason``: its quality_reason, e.g. a
    refused delivery) is left empty with its gap band, never drawn as a lower stack.
    """
    position = {name: i for i, name in enumerate(order)}
    reasons = frame["reason"] if "reason" in frame.columns else [None] * frame.height
    gaps = {
        m
        for m, v, r in zip(frame["month"], frame["value"], reasons, strict=True)
        if v is None and r is not None
    }
    rows, totals, qualities = [], {}, {}
    for month, category, value, quality in frame.select(
        "month", "category", "value", "quality"
    ).iter_rows():
        qualities.setdefault(month, []).append("missing" if month in gaps else quality)
        totals.setdefault(month, None)
        if category is None or value is None or month in gaps:
            continue
        rows.append(
            {
                "month": iso(month),
                "category": category,
                "value": iso(value),
                "stack": position.get(category, len(order)),
            }
        )
        totals[month] = (totals[month] or 0.0) + value
    months = [(m, totals[m], worst_quality(qualities[m])) for m in sorted(totals)]
    return {"rows": csv_text(rows, list(STACK_FIELDS))} | quality_data(months, lang)


def ranking_chart(*, unit: str, lang: Lang, fmt: str, roles: tuple[str, ...]) -> alt.LayerChart:
    """Horizontal bars, largest on top; of two ``roles`` the first is the highlight colour."""
    colours = [palette.HIGHLIGHT, palette.MAIN] if len(roles) > 1 else [palette.MAIN]
    # rows come largest first (ranking_data); sort=None keeps that order in every layer
    y = alt.Y("name:N", sort=None, title=None, axis=alt.Axis(labelLimit=220))
    x = alt.X("value:Q", title=unit, axis=alt.Axis(format=",~f", tickCount=5))
    colour = alt.Color(
        "role:N",
        scale=alt.Scale(domain=list(roles), range=colours),
        legend=alt.Legend(title=None) if len(roles) > 1 else None,
    )
    rows = named("rows", RANK_FIELDS)
    bars = (
        alt.Chart(rows)
        .mark_bar(height={"band": 0.75})
        .encode(
            y=y,
            x=x,
            color=colour,
            tooltip=[
                alt.Tooltip("name:N", title=lang.ui("name")),
                value_tooltip("value", lang.ui("value"), unit, fmt),
            ],
        )
    )
    labels = (
        alt.Chart(rows)
        .mark_text(align="left", dx=3, fontSize=11, color="#333333")
        .encode(y=y, x=x, text=alt.Text("value:Q", format=fmt))
    )
    return alt.layer(bars, labels, width="container", height=alt.Step(BAR_STEP))


def ranking_data(frame: pl.DataFrame) -> dict[str, str]:
    """The dataset of ``ranking_chart`` (frame: name, value, role), largest first."""
    frame = frame.sort("value", descending=True, nulls_last=True, maintain_order=True)
    rows = [
        {"name": n, "value": iso(v), "role": r}
        for n, v, r in frame.select("name", "value", "role").iter_rows()
    ]
    return {"rows": csv_text(rows, list(RANK_FIELDS))}
