"""Energy, floor-area allocation and scope 1/2 against figures computed by hand."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from groendraad.metrics.factors import MARKET, factor_table, load_factors
from groendraad.months import Month

from . import hospital
from .conftest import MARCH_2023, compute, pick, value

CARDIO = {"level": "department", "department": hospital.CARDIO, "division": hospital.DIV_A}
LAB = {"level": "department", "department": hospital.LAB, "division": hospital.DIV_B}

# Gebouw 1: Cardio 600 m2 (60%), Lab 400 m2 (40%); Gebouw 2: Cardio only; Gebouw 3: nobody
ELECTRICITY = {"Gebouw 1": 600.0, "Gebouw 2": 100.0, "Gebouw 3": 40.0}
GAS_M3, HEAT_GJ, PV_KWH = 30.0, 2.0, 25.0
GAS_MJ_PER_M3 = 31.65


def test_carriers_are_summed_per_institution(figures: pl.DataFrame) -> None:
    assert value(figures, "energy.electricity_kwh") == pytest.approx(740.0)
    assert value(figures, "energy.gas_m3") == pytest.approx(GAS_M3)
    assert value(figures, "energy.heat_gj") == pytest.approx(HEAT_GJ)
    assert value(figures, "energy.cold_gj") == pytest.approx(1.5)
    assert value(figures, "energy.pv_generation_kwh") == pytest.approx(PV_KWH)
    total_gj = (740.0 + PV_KWH) * 3.6 / 1000 + GAS_M3 * GAS_MJ_PER_M3 / 1000 + HEAT_GJ
    assert value(figures, "energy.total_gj") == pytest.approx(total_gj)
    assert value(figures, "energy.total_mj_per_m2") == pytest.approx(total_gj * 1000 / 1200.0)
    assert value(figures, "energy.electricity_kwh_per_fte") == pytest.approx(740.0 / 100.0)


def test_building_energy_is_allocated_by_floor_area(figures: pl.DataFrame) -> None:
    cardio = 0.6 * ELECTRICITY["Gebouw 1"] + ELECTRICITY["Gebouw 2"]
    lab = 0.4 * ELECTRICITY["Gebouw 1"]
    assert value(figures, "energy.electricity_kwh", **CARDIO) == pytest.approx(cardio)
    assert value(figures, "energy.electricity_kwh", **LAB) == pytest.approx(lab)
    division_a = {"level": "division", "division": hospital.DIV_A}
    assert value(figures, "energy.electricity_kwh", **division_a) == pytest.approx(cardio)
    assert pick(figures, "energy.electricity_kwh", **CARDIO)["method"] == "floor_area_allocation"
    assert pick(figures, "energy.electricity_kwh")["method"] == "metered"
    # Gebouw 3 has no cost centre: its 40 kWh stay at institution level, not guessed
    departments = figures.filter(
        (pl.col("metric") == "energy.electricity_kwh") & (pl.col("level") == "department")
    )
    assert departments["value"].sum() == pytest.approx(740.0 - ELECTRICITY["Gebouw 3"])
    cardio_gj = 0.6 * (600 * 3.6 + GAS_M3 * GAS_MJ_PER_M3) / 1000 + (125 * 3.6 / 1000 + HEAT_GJ)
    assert value(figures, "energy.total_mj_per_m2", **CARDIO) == pytest.approx(
        cardio_gj * 1000 / 700.0
    )


def test_quality_follows_reading_status(figures: pl.DataFrame) -> None:
    assert pick(figures, "energy.electricity_kwh")["quality"] == "mixed"  # one estimated interval
    assert pick(figures, "energy.gas_m3")["quality"] == "measured"
    assert pick(figures, "energy.electricity_kwh", **LAB)["quality"] == "mixed"
    assert pick(figures, "energy.heat_gj", **CARDIO)["quality"] == "measured"


def test_scope1_and_scope2_location_and_market_side_by_side(figures: pl.DataFrame) -> None:
    grid_2023, gas_2023, heat = 0.337, 2.079, 50.6
    assert value(figures, "co2e.scope1_kg") == pytest.approx(GAS_M3 * gas_2023)
    location = 740.0 * grid_2023 + HEAT_GJ * heat
    market = 740.0 * 0.0 + HEAT_GJ * heat  # contracted wind power; heat has no market row
    assert value(figures, "co2e.scope2_location_kg") == pytest.approx(location)
    assert value(figures, "co2e.scope2_market_kg") == pytest.approx(market)
    assert value(figures, "co2e.scope2_location_kg", category="electricity") == pytest.approx(
        740.0 * grid_2023
    )
    assert value(figures, "co2e.scope2_market_kg", category="heat") == pytest.approx(2.0 * heat)
    row = pick(figures, "co2e.scope2_location_kg", category="electricity")
    assert row["factors"] == "electricity_grid_2023=0.337"
    assert row["factor_set"].startswith("fs-")
    cardio = (0.6 * 600 + 100) * grid_2023 + HEAT_GJ * heat
    assert value(figures, "co2e.scope2_location_kg", **CARDIO) == pytest.approx(cardio)


def test_factor_of_the_activity_year_is_used_not_the_newest() -> None:
    factors = load_factors()
    table = factor_table(factors, "energy", [2017, 2022, 2023, 2024, 2025, 2030])
    grid = dict(
        table.filter(pl.col("activity") == "electricity").select("year", "factor").iter_rows()
    )
    # 2023 keeps the 2023 list although a 2025 one exists; a year without a new list
    # keeps the previous one; years before the first recorded value use the earliest
    assert grid == {2017: 0.374, 2022: 0.374, 2023: 0.337, 2024: 0.328, 2025: 0.268, 2030: 0.268}
    market = factor_table(factors, "energy", [2023], MARKET)
    assert dict(market.select("activity", "factor").iter_rows())["electricity"] == 0.0
    assert dict(market.select("activity", "factor").iter_rows())["heat"] == 50.6


def test_same_use_in_2023_and_2025_gives_each_year_its_own_factor(tmp_path: Path) -> None:
    march_2025 = Month(2025, 3)
    for month in (MARCH_2023, march_2025):
        hospital.stage(tmp_path, month, "energy", hospital.energy(month))
    figures = compute(tmp_path, [MARCH_2023, march_2025])
    rows = figures.filter(
        (pl.col("metric") == "co2e.scope2_location_kg")
        & (pl.col("level") == "institution")
        & (pl.col("category") == "electricity")
    ).sort("period")
    assert rows["value"].to_list() == pytest.approx([740.0 * 0.337, 740.0 * 0.268])
    gas = figures.filter(
        (pl.col("metric") == "co2e.scope1_kg") & (pl.col("level") == "institution")
    )
    assert gas.sort("period")["value"].to_list() == pytest.approx([30 * 2.079, 30 * 2.134])
