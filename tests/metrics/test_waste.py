"""Waste and food waste against figures computed by hand."""

from __future__ import annotations

import polars as pl
import pytest

from .conftest import pick, value
from .factor_rows import factor

# 20 03 01: 1000 kg and a correction of -100 kg (incinerated); 15 01 01: 500 kg recycled;
# 18 01 03* (SZA, hazardous): 300 kg to ZAVIN
TOTAL_KG, RESIDUAL_KG, RECYCLED_KG, SZA_KG = 1700.0, 900.0, 500.0, 300.0


def test_waste_totals_streams_and_routes(figures: pl.DataFrame) -> None:
    assert value(figures, "waste.total_kg") == pytest.approx(TOTAL_KG)
    assert value(figures, "waste.stream_kg", category="20 03 01") == pytest.approx(RESIDUAL_KG)
    assert value(figures, "waste.stream_kg", category="18 01 03*") == pytest.approx(SZA_KG)
    assert value(figures, "waste.route_kg", category="Recycling") == pytest.approx(RECYCLED_KG)
    assert value(figures, "waste.residual_kg") == pytest.approx(RESIDUAL_KG)
    assert value(figures, "waste.residual_share_pct") == pytest.approx(900 / 1700 * 100)
    assert value(figures, "waste.sza_kg") == pytest.approx(SZA_KG)
    assert value(figures, "waste.hazardous_kg") == pytest.approx(SZA_KG)
    assert value(
        figures, "waste.hazardous_route_kg", category="Verbranding ZAVIN"
    ) == pytest.approx(SZA_KG)
    assert value(figures, "waste.recycled_share_pct") == pytest.approx(500 / 1700 * 100)
    assert value(figures, "waste.kg_per_bed_day") == pytest.approx(1700 / 2000)
    # waste is collected per waste point, not per department
    assert figures.filter(pl.col("metric").str.starts_with("waste."))[
        "level"
    ].unique().to_list() == ["institution"]


def test_scope3_waste_by_route(figures: pl.DataFrame) -> None:
    incineration = factor("Verbranding met energieterugwinning", 2023)  # kg CO2e per tonne
    recycling, zavin = factor("Recycling", 2023), factor("Verbranding ZAVIN", 2023)
    # DESNZ: energy from waste is transport only (~21 kg/t); hospital waste burnt at
    # ZAVIN keeps its combustion emission, so it weighs more than energy recovery
    assert 15.0 < incineration < 30.0 and zavin > incineration
    expected = 0.9 * incineration + 0.5 * recycling + 0.3 * zavin
    assert value(figures, "co2e.scope3_waste_kg") == pytest.approx(expected)
    assert value(figures, "co2e.scope3_waste_kg", category="Verbranding ZAVIN") == pytest.approx(
        0.3 * zavin
    )
    assert pick(figures, "co2e.scope3_waste_kg")["quality"] == "measured"


def test_food_waste_total_cause_and_per_meal(figures: pl.DataFrame) -> None:
    assert value(figures, "food_waste.total_kg") == pytest.approx(4.0)
    assert value(figures, "food_waste.cause_kg", category="plate_waste") == pytest.approx(2.0)
    assert value(figures, "food_waste.cause_kg", category="overproduction") == pytest.approx(2.0)
    assert value(figures, "food_waste.g_per_meal") == pytest.approx(4000 / 5000)
