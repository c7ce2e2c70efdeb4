"""A target's chart: the rolling 12-month actual against the path to the target.

Drawn: the actual (solid), the path (dashed, on to the target's December), the
projection from the last actual to December of the target year (dotted), the target
(a diamond with its year) and quality markers (the weakest month in each 12-month
window). Datasets: ``rows`` (month, series key, value), ``goal`` (month, value,
label), ``marks``, ``gaps``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
import polars as pl

from groendraad.charts import palette
from groendraad.charts.common import (
    iso,
    month_x,
    quality_data,
    quality_layer,
    series_hover,
    value_tooltip,
)
from groendraad.charts.spec import csv_text, named
from groendraad.charts.text import Lang

HEIGHT = 200
SERIES = ("actual", "path", "projection")
_DASHES = {"actual": [1, 0], "path": [6, 4], "projection": [2, 3]}
_COLOURS = {"actual": palette.MAIN, "path": palette.TARGET, "projection": palette.OKABE_ITO[5]}
ROW_FIELDS = {"month": "date", "series": "string", "value": "number"}
GOAL_FIELDS = {"month": "date", "value": "number", "label": "string"}


@dataclass(frozen=True)
class Goal:
    """Where a target ends: its December, the value to reach, the projection there."""

    month: date
    value: float | None
    projected: float | None


def target_chart(*, unit: str, lang: Lang, fmt: str) -> alt.LayerChart:
    """Actual, path, projection and target of one target (see the module docstring)."""
    labels = [lang.ui(f"series_{s}") for s in SERIES]
    y = alt.Y("value:Q", title=unit, axis=alt.Axis(format=",~f"), scale=alt.Scale(zero=False))
    rows = named("rows", ROW_FIELDS)
    lines = (
        alt.Chart(rows)
        .mark_line(strokeWidth=2)
        .encode(
            x=month_x(lang),
            y=y,
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=labels, range=[_COLOURS[s] for s in SERIES]),
                legend=alt.Legend(title=None),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=labels, range=[_DASHES[s] for s in SERIES]),
                legend=None,
            ),
            detail=alt.Detail("series:N"),
        )
    )
    hover = series_hover(rows, y, lang, unit, fmt)
    goal = alt.Chart(named("goal", GOAL_FIELDS))
    diamond = goal.mark_point(shape="diamond", size=140, filled=True, color=palette.TARGET).encode(
        x=month_x(lang),
        y=alt.Y("value:Q"),
        tooltip=[
            alt.Tooltip("label:N", title=lang.ui("target")),
            value_tooltip("value", lang.ui("target"), unit, fmt),
        ],
    )
    text = goal.mark_text(align="right", dx=-8, dy=-10, fontSize=11, color=palette.TARGET).encode(
        x=month_x(lang), y=alt.Y("value:Q"), text=alt.Text("label:N")
    )
    layers = [lines, hover, diamond, text, quality_layer(lang)]
    return alt.layer(*layers, width="container", height=HEIGHT)


def target_data(frame: pl.DataFrame, goal: Goal, lang: Lang) -> dict[str, str]:
    """Datasets of ``target_chart``; ``frame``: month, actual, path, quality (unit shown)."""
    label = {s: lang.ui(f"series_{s}") for s in SERIES}
    rows = [
        {"month": iso(m), "series": label[s], "value": iso(v)}
        for s in ("actual", "path")
        for m, v in frame.select("month", s).iter_rows()
        if v is not None
    ]
    known = frame.filter(pl.col("actual").is_not_null())
    if goal.projected is not None and known.height and known["month"][-1] < goal.month:
        for month, value in (
            (known["month"][-1], known["actual"][-1]),
            (goal.month, goal.projected),
        ):
            rows.append({"month": iso(month), "series": label["projection"], "value": iso(value)})
    goals = (
        []
        if goal.value is None
        else [
            {
                "month": iso(goal.month),
                "value": iso(goal.value),
                "label": lang.ui("target_in", year=goal.month.year),
            }
        ]
    )
    months = [(m, a, q) for m, a, q in known.select("month", "actual", "quality").iter_rows()]
    data = {"marks": quality_data(months, lang)["marks"]}
    return data | {
        "rows": csv_text(rows, list(ROW_FIELDS)),
        "goal": csv_text(goals, list(GOAL_FIELDS)),
    }
