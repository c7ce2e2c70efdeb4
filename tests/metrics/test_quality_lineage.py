"""Quality labels (measured, estimated, mixed, missing), warnings and lineage."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from groendraad.metrics.catalogue import load_catalogue
from groendraad.metrics.compute import CONTRACT_SCHEMA
from groendraad.metrics.factors import factor_set_version

from . import hospital
from .conftest import MARCH_2023, compute, pick, value
from .factor_rows import factor


def test_a_source_month_not_staged_is_published_as_missing(tmp_path: Path) -> None:
    hospital.stage_month(tmp_path, MARCH_2023, skip=("waste",))
    figures = compute(tmp_path, [MARCH_2023])
    row = pick(figures, "waste.total_kg")
    assert row["value"] is None
    assert (row["quality"], row["method"]) == ("missing", "source_missing")
    assert row["quality_reason"] == "waste 2023-03: not delivered"
    # a total with a missing part is never published as complete
    assert pick(figures, "co2e.total_location_kg")["quality"] == "missing"


def test_totals_add_every_scope(figures: pl.DataFrame) -> None:
    scopes = ["co2e.scope1_kg", "co2e.scope2_market_kg", "co2e.scope3_waste_kg"]
    scopes += ["co2e.scope3_energy_upstream_kg"]
    scopes += ["co2e.scope3_business_travel_kg", "co2e.scope3_commuting_kg"]
    assert value(figures, "co2e.total_market_kg") == pytest.approx(
        sum(value(figures, s) for s in scopes)
    )
    assert pick(figures, "co2e.total_market_kg")["quality"] == "mixed"  # energy is mixed


def test_all_estimated_readings_give_estimated(tmp_path: Path) -> None:
    readings = {k: [(v, "estimated") for v, _ in rows] for k, rows in hospital.READINGS.items()}
    hospital.stage(tmp_path, MARCH_2023, "energy", hospital.energy(MARCH_2023, readings))
    figures = compute(tmp_path, [MARCH_2023])
    assert pick(figures, "energy.gas_m3")["quality"] == "estimated"


def test_a_delivery_with_validation_warnings_is_not_measured(staged: Path) -> None:
    figures = compute(staged, [MARCH_2023], warnings={("waste", MARCH_2023)})
    assert pick(figures, "waste.total_kg")["quality"] == "mixed"
    assert pick(figures, "food_waste.total_kg")["quality"] == "measured"


def test_every_figure_names_its_deliveries_and_versions(tmp_path: Path) -> None:
    sha = hospital.stage_month(tmp_path, MARCH_2023)
    figures = compute(tmp_path, [MARCH_2023])
    assert figures.schema == CONTRACT_SCHEMA
    assert pick(figures, "waste.total_kg")["deliveries"] == f"waste={sha['waste']}"
    per_m2 = pick(figures, "energy.total_mj_per_m2")["deliveries"]
    assert per_m2 == f"energy={sha['energy']};reference={sha['reference']}"
    assert figures["deliveries"].null_count() == 0
    assert set(figures["method_version"]) == {load_catalogue().method_version}
    assert set(figures["factor_set"]) == {factor_set_version()}
    assert pick(figures, "waste.total_kg")["factors"] is None  # uses no factor
    assert pick(figures, "energy.total_gj")["factors"] == (
        "energy_content_electricity=3.6;energy_content_gas=31.65;"
        "energy_content_heat=1000.0;energy_content_pv=3.6"
    )
    assert set(figures["institution"]) == {"tiny-umc"}
    assert figures["period"].unique().to_list() == [MARCH_2023.first_day]


def test_context_figures_and_totals_by_hand(figures: pl.DataFrame) -> None:
    assert value(figures, "context.bed_days") == 2000.0
    assert value(figures, "context.floor_area_m2") == 1200.0  # kerncijfers, incl. Gebouw 3
    cardio = {"level": "department", "department": hospital.CARDIO, "division": hospital.DIV_A}
    assert value(figures, "context.floor_area_m2", **cardio) == 700.0
    year = 2023
    scope1 = 30 * factor("gas", year, "ttw")
    heat = 2 * factor("heat", year, "ttw")
    scope2_location = 740 * factor("electricity", year, "ttw") + heat
    scope2_market = 740 * factor("electricity", year, "ttw", "market") + heat
    upstream = sum(
        amount * factor(carrier, year, "wtt")
        for carrier, amount in (("gas", 30), ("electricity", 740), ("heat", 2))
    )
    routes = [("Verbranding met energieterugwinning", 0.9), ("Recycling", 0.5)]
    waste = sum(t * factor(r, year) for r, t in routes) + 0.3 * factor("Verbranding ZAVIN", year)
    flights = 3000 * factor("Vliegtuig (short haul)", year)
    flights += 6000 * factor("Vliegtuig (long haul)", year)
    travel = flights + 100 * factor("Auto", year, category="business")
    commuting = 1300 * factor("Auto", year, category="commuting")
    scope3 = upstream + waste + travel + commuting
    assert value(figures, "co2e.total_location_kg") == pytest.approx(
        scope1 + scope2_location + scope3
    )
    assert value(figures, "co2e.total_market_kg") == pytest.approx(scope1 + scope2_market + scope3)
