"""Pieces every chart shares: month axis, number formats, and the quality layers.

Months travel as ISO dates (``2025-10-01``) and are read as UTC with
``utcyearmonth``, so a month never shifts with the reader's time zone. No Vega
expression is ever built from data: names from the data only appear as field values.

Every chart over months has two quality datasets beside its own: ``marks`` (months
not fully measured: a marker on the value, or on the axis when it is missing) and
``gaps`` (months with no figure at all: a grey band).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import altair as alt

from groendraad.charts import palette
from groendraad.charts.spec import csv_text, named
from groendraad.charts.text import Lang

QUALITY_ORDER = ["mixed", "estimated", "missing"]
_WORST_FIRST = ["missing", "estimated", "mixed", "measured"]
MARK_FIELDS = {"month": "date", "marker_y": "number", "quality_label": "string"}
GAP_FIELDS = {"month": "date", "end": "date", "quality_label": "string"}


def number_format(typical: float | None) -> str:
    """A d3 format with as many decimals as figures of this size need."""
    size = abs(typical or 0.0)
    return ",.0f" if size >= 100 else ",.1f" if size >= 10 else ",.2f"


def rounded(value: float | None) -> float | None:
    """A value rounded to what a chart can show (keeps page data small)."""
    if value is None:
        return None
    size = abs(value)
    return round(value, 0 if size >= 10_000 else 1 if size >= 100 else 3)


def month_x(lang: Lang) -> alt.X:
    """The month axis: UTC months, labelled ``okt 2025`` / ``Oct 2025``."""
    return alt.X(
        "month:T",
        timeUnit="utcyearmonth",
        title=None,
        axis=alt.Axis(format="%b %Y", labelAngle=0, labelOverlap=True, tickCount=6),
    )


def month_tooltip(lang: Lang) -> alt.Tooltip:
    return alt.Tooltip("month:T", timeUnit="utcyearmonth", format="%B %Y", title=lang.ui("month"))


def value_tooltip(field: str, name: str, unit: str, fmt: str) -> alt.Tooltip:
    """A value in a tooltip, its unit in the title: ``Afval totaal (kg)``."""
    return alt.Tooltip(f"{field}:Q", title=f"{name} ({unit})", format=fmt)


def series_hover(rows: Any, y: alt.Y, lang: Lang, unit: str, fmt: str) -> alt.Chart:
    """Invisible points over a multi-series line chart that carry its tooltips."""
    return (
        alt.Chart(rows)
        .mark_point(opacity=0, size=120)
        .encode(
            x=month_x(lang),
            y=y,
            tooltip=[
                month_tooltip(lang),
                alt.Tooltip("series:N", title=lang.ui("series")),
                value_tooltip("value", lang.ui("value"), unit, fmt),
            ],
        )
    )


def worst_quality(qualities: list[str | None]) -> str:
    """The weakest quality among parts (missing > estimated > mixed > measured)."""
    present = [q or "missing" for q in qualities] or ["missing"]
    return min(present, key=_WORST_FIRST.index)


def quality_layer(lang: Lang) -> alt.Chart:
    """Markers on the months that are not fully measured (dataset ``marks``).

    The legend always lists every kind of marker, so readers learn them once.
    """
    domain = [lang.quality(q) for q in QUALITY_ORDER]
    return (
        alt.Chart(named("marks", MARK_FIELDS))
        .mark_point(
            filled=False,
            color="#000000",
            strokeWidth=1.5,
            size=55,
            opacity=1,
        )
        .encode(
            x=month_x(lang),
            y=alt.Y("marker_y:Q"),
            shape=alt.Shape(
                "quality_label:N",
                scale=alt.Scale(
                    domain=domain, range=[palette.QUALITY_SHAPES[q] for q in QUALITY_ORDER]
                ),
                legend=alt.Legend(
                    title=lang.ui("not_measured"),
                    symbolStrokeColor="#000000",
                    orient="top",
                    offset=22,
                ),
            ),
            tooltip=[month_tooltip(lang), alt.Tooltip("quality_label:N", title=lang.ui("quality"))],
        )
    )


def gap_layer(lang: Lang) -> alt.Chart:
    """Grey bands over the months with no figure at all (dataset ``gaps``)."""
    return (
        alt.Chart(named("gaps", GAP_FIELDS))
        .mark_rect(color=palette.MISSING_BAND, opacity=0.7)
        .encode(
            x=alt.X("month:T", scale=alt.Scale(type="utc")),
            x2=alt.X2("end:T"),
            tooltip=[month_tooltip(lang), alt.Tooltip("quality_label:N", title=lang.ui("quality"))],
        )
    )


def quality_data(months: list[tuple[date, float | None, str]], lang: Lang) -> dict[str, str]:
    """``marks`` and ``gaps`` from (month, value the marker sits on, quality) per month."""
    marks = [
        {
            "month": m.isoformat(),
            "marker_y": rounded(y) if y is not None else 0,
            "quality_label": lang.quality(q),
        }
        for m, y, q in months
        if q in QUALITY_ORDER
    ]
    gaps = [
        {
            "month": m.isoformat(),
            "end": next_month(m).isoformat(),
            "quality_label": lang.quality("missing"),
        }
        for m, y, q in months
        if y is None
    ]
    return {"marks": csv_text(marks, list(MARK_FIELDS)), "gaps": csv_text(gaps, list(GAP_FIELDS))}


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def iso(value: Any) -> Any:
    """Dates as ISO text, floats rounded, the rest as is (a CSV cell)."""
    if isinstance(value, date):
        return value.isoformat()
    return rounded(value) if isinstance(value, float) else value
