"""The benchmark's charts: pure functions from frames to ``alt.Chart``.

Names arrive as data and Vega draws them as text, never as markup. Every chart also
has a table beside it on the page (nfu/pages.py), so the figures can be read without
JavaScript and by screen readers.
"""

from __future__ import annotations

import altair as alt
import polars as pl

WIDTH = 560
BEST, OTHER = "#1b7837", "#7a9a7e"


def _records(frame: pl.DataFrame) -> list[dict]:
    """JSON-ready rows (dates as ISO strings)."""
    return frame.with_columns(pl.col(pl.Date).cast(pl.String)).to_dicts()


def comparison_chart(rows: pl.DataFrame, title: str, unit: str) -> alt.Chart:
    """Horizontal bars, one per institution, best on top (rows: name, value, rank)."""
    data = alt.Data(values=_records(rows.select("name", "value", "rank", "quality")))
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None),
            x=alt.X("value:Q", title=unit),
            color=alt.condition(alt.datum.rank == 1, alt.value(BEST), alt.value(OTHER)),
            tooltip=[alt.Tooltip("name:N", title="institution"),
                     alt.Tooltip("value:Q", title=unit, format=",.1f"),
                     alt.Tooltip("rank:Q"), alt.Tooltip("quality:N")],
        )
        .properties(width=WIDTH, height=alt.Step(22))
    )  # fmt: skip


def trend_chart(rows: pl.DataFrame, title: str, unit: str) -> alt.Chart:
    """One line per institution over the months (rows: name, period, value)."""
    data = alt.Data(values=_records(rows.select("name", "period", "value")))
    return (
        alt.Chart(data, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title=None, axis=alt.Axis(format="%Y-%m")),
            y=alt.Y("value:Q", title=unit),
            color=alt.Color("name:N", title="institution"),
            tooltip=[alt.Tooltip("name:N", title="institution"),
                     alt.Tooltip("period:T", format="%Y-%m", title="month"),
                     alt.Tooltip("value:Q", title=unit, format=",.1f")],
        )
        .properties(width=WIDTH, height=240)
    )  # fmt: skip


def peer_strip_chart(
    peers: pl.DataFrame, umcs: pl.DataFrame, title: str, unit: str
) -> alt.TopLevelMixin:
    """The included peers as ticks, each UMC as a coloured point (x: value)."""
    ticks = (
        alt.Chart(alt.Data(values=_records(peers.select("name", "value"))))
        .mark_tick(color="#9e9e9e", opacity=0.6, thickness=1)
        .encode(x=alt.X("value:Q", title=unit),
                tooltip=[alt.Tooltip("name:N", title="hospital"),
                         alt.Tooltip("value:Q", format=",.1f", title=unit)])
    )  # fmt: skip
    points = (
        alt.Chart(alt.Data(values=_records(umcs.select("name", "value"))))
        .mark_point(filled=True, size=110, opacity=0.9)
        .encode(x="value:Q", color=alt.Color("name:N", title="UMC"),
                tooltip=[alt.Tooltip("name:N", title="UMC"),
                         alt.Tooltip("value:Q", format=",.1f", title=unit)])
    )  # fmt: skip
    return alt.layer(ticks, points, title=title).properties(width=WIDTH, height=60)
