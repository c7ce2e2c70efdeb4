"""Energy, floor-area allocation and scope 1/2 against figures computed by hand."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from groendraad.metrics.factors import MARKET, factor_table, load_factors
from groendraad.months import Month

from . import hospital
from .conftest import MARCH_2023, compute, pick, value
from .factor_rows import factor, row_id

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
    # GHG Protocol: scopes 1 and 2 take the combustion/generation part (TTW) only
    grid, gas = factor("electricity", 2023, "ttw"), factor("gas", 2023, "ttw")
    heat = factor("heat", 2023, "ttw")
    residual = factor("electricity", 2023, "ttw", "market")
    assert value(figures, "co2e.scope1_kg") == pytest.approx(GAS_M3 * gas)
    location = 740.0 * grid + HEAT_GJ * heat
    market = 740.0 * residual + HEAT_GJ * heat  # no contract configured: residual mix
    assert value(figures, "co2e.scope2_location_kg") == pytest.approx(location)
    assert value(figures, "co2e.scope2_market_kg") == pytest.approx(market)
    assert value(figures, "co2e.scope2_location_kg", category="electricity") == pytest.approx(
        740.0 * grid
    )
    assert value(figures, "co2e.scope2_market_kg", category="heat") == pytest.approx(2.0 * heat)
    row = pick(figures, "co2e.scope2_location_kg", category="electricity")
    assert row["factors"] == row_id("electricity", 2023, "ttw")
    assert row["factor_set"].startswith("fs-")
    cardio = (0.6 * 600 + 100) * grid + HEAT_GJ * heat
    assert value(figures, "co2e.scope2_location_kg", **CARDIO) == pytest.approx(cardio)


def test_upstream_of_all_energy_is_scope_3_category_3(figures: pl.DataFrame) -> None:
    upstream = (
        GAS_M3 * factor("gas", 2023, "wtt")
        + 740.0 * factor("electricity", 2023, "wtt")
        + HEAT_GJ * factor("heat", 2023, "wtt")
    )
    assert value(figures, "co2e.scope3_energy_upstream_kg") == pytest.approx(upstream)
    # scope 1 + 2 (location) + 3.3 is the well-to-wheel total of the list
    wtw = (
        GAS_M3 * factor("gas", 2023, "wtw")
        + 740.0 * factor("electricity", 2023, "wtw")
        + HEAT_GJ * factor("heat", 2023, "wtw")
    )
    energy_total = sum(
        value(figures, m)
        for m in ("co2e.scope1_kg", "co2e.scope2_location_kg", "co2e.scope3_energy_upstream_kg")
    )
    assert energy_total == pytest.approx(wtw, rel=1e-4)


def test_factor_of_the_activity_year_is_used_not_the_newest() -> None:
    factors = load_factors()
    table = factor_table(factors, "energy", [2017, 2022, 2023, 2024, 2025, 2030], part="wtw")
    grid = dict(
        table.filter(pl.col("activity") == "electricity").select("year", "factor").iter_rows()
    )
    # 2023 keeps the 2023 list although a 2025 one exists; the years a row declares
    # (valid_year..valid_to) decide, never the newest list
    assert grid == {y: factor("electricity", y, "wtw") for y in grid}
    assert grid[2023] == 0.337 and grid[2025] == 0.268 and grid[2030] == 0.268
    market = factor_table(factors, "energy", [2023], MARKET, "ttw")
    by_activity = dict(market.select("activity", "factor").iter_rows())
    assert by_activity["electricity"] == factor("electricity", 2023, "ttw", "market")
    assert by_activity["heat"] == factor("heat", 2023, "ttw")  # no market row: location


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
    grid = [factor("electricity", y, "ttw") for y in (2023, 2025)]
    assert rows["value"].to_list() == pytest.approx([740.0 * g for g in grid])
    gas = figures.filter(
        (pl.col("metric") == "co2e.scope1_kg") & (pl.col("level") == "institution")
    )
    gas_wtw = [factor("gas", y, "wtw") for y in (2023, 2025)]
    assert gas_wtw == [2.079, 2.134]  # each year its own list
    upstream = figures.filter(
        (pl.col("metric") == "co2e.scope3_energy_upstream_kg")
        & (pl.col("level") == "institution")
        & (pl.col("category") == "gas")
    ).sort("period")
    both = gas.sort("period")["value"] + upstream["value"]
    assert both.to_list() == pytest.approx([30 * g for g in gas_wtw], rel=1e-4)
