"""The chart builders' Vega-Lite specs: marks, encodings, units in tooltips, palette.

Every spec is validated against the Vega-Lite schema Altair ships (to_dict(validate=True)).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import polars as pl
import pytest

from groendraad.charts import palette
from groendraad.charts.breakdown import ranking_chart, ranking_data, stacked_chart, stacked_data
from groendraad.charts.common import QUALITY_ORDER
from groendraad.charts.scoreboard import Goal, target_chart, target_data
from groendraad.charts.spec import with_data
from groendraad.charts.text import Lang
from groendraad.charts.trend import compare_chart, trend_chart, trend_data

NL, EN = Lang("nl"), Lang("en")
MONTHS = [date(2025, m, 1) for m in range(1, 7)]


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["layer"]


def layer_with(spec: dict[str, Any], mark: str, dataset: str = "rows") -> dict[str, Any]:
    for layer in layers(spec):
        kind = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        if kind == mark and layer.get("data", spec.get("data"))["name"] == dataset:
            return layer
    raise AssertionError(f"no {mark} layer on {dataset}")


def quantitative_tooltips(spec: dict[str, Any]) -> list[dict[str, Any]]:
    tips = []
    for layer in layers(spec):
        tips += [
            t for t in layer.get("encoding", {}).get("tooltip", []) if t["type"] == "quantitative"
        ]
    return tips


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def monthly(values: list[float | None], qualities: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"month": MONTHS, "value": values, "quality": qualities},
        schema={"month": pl.Date, "value": pl.Float64, "quality": pl.String},
    )


def test_trend_is_a_line_over_utc_months_with_units_in_every_tooltip() -> None:
    spec = with_data(trend_chart(name="Afval totaal", unit="kg", lang=NL, fmt=",.0f"), {})
    line = layer_with(spec, "line")
    assert line["encoding"]["x"]["type"] == "temporal"
    assert line["encoding"]["x"]["timeUnit"] == "utcyearmonth"
    assert line["encoding"]["y"]["title"] == "kg"
    assert line["mark"]["color"] == palette.MAIN
    assert line["mark"]["invalid"] == "break-paths-show-domains"  # a missing month is a gap
    tips = quantitative_tooltips(spec)
    assert tips and all(t["title"].endswith("(kg)") for t in tips)
    assert spec["width"] == "container"


def test_trend_marks_quality_with_shapes_and_missing_months_with_bands() -> None:
    chart = trend_chart(name="Elektriciteit", unit="kWh", lang=NL, fmt=",.0f")
    frame = monthly(
        [10.0, None, 12.0, 13.0, 11.0, 9.0],
        ["measured", "missing", "estimated", "mixed", "measured", "measured"],
    )
    data = trend_data(frame, NL)
    spec = with_data(chart, data)
    shape = layer_with(spec, "point", "marks")["encoding"]["shape"]
    assert shape["scale"]["domain"] == [NL.quality(q) for q in QUALITY_ORDER]
    assert shape["scale"]["range"] == [palette.QUALITY_SHAPES[q] for q in QUALITY_ORDER]
    assert layer_with(spec, "rect", "gaps")["mark"]["color"] == palette.MISSING_BAND
    marks = rows_of(data["marks"])
    assert [(m["month"], m["quality_label"]) for m in marks] == [
        ("2025-02-01", "ontbreekt"),
        ("2025-03-01", "geschat"),
        ("2025-04-01", "deels geschat"),
    ]
    assert marks[0]["marker_y"] == "0"  # the missing month's cross sits on the axis
    assert [g["month"] for g in rows_of(data["gaps"])] == ["2025-02-01"]
    assert rows_of(data["rows"])[1]["value"] == ""  # null, so the line breaks


def test_target_line_is_in_the_spec_only_when_asked() -> None:
    with_target = with_data(trend_chart(name="x", unit="%", lang=NL, fmt=",.1f", target=True), {})
    assert layer_with(with_target, "rule", "target")["mark"]["strokeDash"] == [6, 4]
    plain = with_data(trend_chart(name="x", unit="%", lang=NL, fmt=",.1f"), {})
    assert all(layer.get("data", {}).get("name") != "target" for layer in layers(plain))


def test_compare_lines_differ_in_colour_and_dash() -> None:
    spec = with_data(compare_chart(order=("A", "B"), unit="%", lang=EN, fmt=",.1f"), {})
    encoding = layer_with(spec, "line")["encoding"]
    assert encoding["color"]["scale"]["range"] == palette.OKABE_ITO[:2]
    assert (
        encoding["strokeDash"]["scale"]["range"][0] != encoding["strokeDash"]["scale"]["range"][1]
    )
    assert all(t["title"].endswith("(%)") for t in quantitative_tooltips(spec))


@pytest.mark.parametrize("count", [3, 8])
def test_stacked_bars_use_the_okabe_ito_palette_and_grey_for_other(count: int) -> None:
    order = tuple(f"part {i}" for i in range(count - 1)) + ("Overig",)
    spec = with_data(stacked_chart(order=order, unit="t", lang=NL, fmt=",.0f", other=True), {})
    bars = layer_with(spec, "bar")
    colours = bars["encoding"]["color"]["scale"]["range"]
    assert colours[:-1] == palette.OKABE_ITO[: count - 1] and colours[-1] == palette.OTHER_GREY
    assert bars["encoding"]["color"]["scale"]["domain"] == list(order)
    assert bars["encoding"]["y"]["aggregate"] == "sum"
    assert all(t["title"].endswith("(t)") for t in quantitative_tooltips(spec))


def test_more_parts_than_colours_is_refused() -> None:
    with pytest.raises(ValueError, match="Other"):
        palette.colours(9)


def test_stacked_data_keeps_order_and_marks_the_weakest_quality_per_month() -> None:
    frame = pl.DataFrame(
        {
            "month": [MONTHS[0], MONTHS[0], MONTHS[1]],
            "category": ["B", "A", None],
            "value": [2.0, 1.0, None],
            "quality": ["measured", "estimated", "missing"],
        }
    )
    data = stacked_data(frame, ("A", "B"), NL)
    assert [(r["category"], r["stack"]) for r in rows_of(data["rows"])] == [("B", "1"), ("A", "0")]
    marks = rows_of(data["marks"])
    assert [(m["month"], m["quality_label"], m["marker_y"]) for m in marks] == [
        ("2025-01-01", "geschat", "3.0"),
        ("2025-02-01", "ontbreekt", "0"),
    ]


def test_ranking_highlights_the_own_department() -> None:
    roles = ("Deze afdeling of divisie", "Vergelijkbare")
    spec = with_data(ranking_chart(unit="MJ/m²", lang=NL, fmt=",.0f", roles=roles), {})
    bars = layer_with(spec, "bar")
    assert bars["encoding"]["y"]["sort"] is None  # the data's order: largest first
    assert bars["encoding"]["color"]["scale"]["range"] == [palette.HIGHLIGHT, palette.MAIN]
    assert spec["height"] == {"step": 24}  # grows with the number of departments
    frame = pl.DataFrame({"name": ["A&B", "KNO"], "value": [2.0, 3.0], "role": list(roles)})
    assert [r["name"] for r in rows_of(ranking_data(frame)["rows"])] == ["KNO", "A&B"]


def test_target_chart_draws_actual_path_projection_and_goal() -> None:
    spec = with_data(target_chart(unit="t CO₂e per 12 maanden", lang=NL, fmt=",.0f"), {})
    lines = layer_with(spec, "line")["encoding"]
    assert lines["color"]["scale"]["domain"] == [
        "Werkelijk (12 maanden)",
        "Pad naar het doel",
        "Prognose",
    ]
    assert lines["strokeDash"]["scale"]["range"] == [[1, 0], [6, 4], [2, 3]]
    assert layer_with(spec, "point", "goal")["mark"]["shape"] == "diamond"
    assert all("t CO₂e" in t["title"] for t in quantitative_tooltips(spec))
    frame = pl.DataFrame(
        {
            "month": MONTHS[:3],
            "actual": [10.0, 9.0, None],
            "path": [10.0, 9.5, 9.0],
            "quality": ["measured"] * 3,
        }
    )
    data = target_data(frame, Goal(date(2026, 12, 1), 5.0, 7.0), EN)
    series = [r["series"] for r in rows_of(data["rows"])]
    assert series.count("Projection") == 2 and series.count("Actual (12 months)") == 2
    assert rows_of(data["goal"]) == [
        {"month": "2026-12-01", "value": "5.0", "label": "target 2026"}
    ]


def test_every_colour_used_is_from_the_palette() -> None:
    allowed = {
        *palette.OKABE_ITO,
        palette.OTHER_GREY,
        palette.MISSING_BAND,
        palette.TARGET,
        "#000000",
        "#333333",
    }
    specs = [
        with_data(trend_chart(name="x", unit="kg", lang=NL, fmt=",.0f", target=True), {}),
        with_data(stacked_chart(order=("a", "b"), unit="kg", lang=NL, fmt=",.0f"), {}),
        with_data(ranking_chart(unit="kg", lang=NL, fmt=",.0f", roles=("a", "b")), {}),
        with_data(target_chart(unit="kg", lang=NL, fmt=",.0f"), {}),
    ]
    for spec in specs:
        for layer in layers(spec):
            mark = layer["mark"] if isinstance(layer["mark"], dict) else {}
            assert {mark.get("color", "#000000")} <= allowed
            colour = layer.get("encoding", {}).get("color", {})
            assert set(colour.get("scale", {}).get("range", [])) <= allowed
