"""Mobility against figures computed by hand, and the small-group rule."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from groendraad.expectations.published import assert_publishable
from groendraad.months import Month

from . import hospital
from .conftest import MARCH_2023, compute, pick, value
from .factor_rows import factor

CARDIO = {"level": "department", "department": hospital.CARDIO, "division": hospital.DIV_A}
LAB = {"level": "department", "department": hospital.LAB, "division": hospital.DIV_B}
CAR = 0.216  # kg CO2e per km

# Cardio: 6 cyclists (3 km, 10 days: 60 km each) and 2 drivers (20 km, 10 days: 400 km
# each); Lab: 5 drivers (10 km, 5 days: 100 km each)


def test_commuting_km_co2e_and_green_shares(figures: pl.DataFrame) -> None:
    assert value(figures, "mobility.commuting_km") == pytest.approx(360 + 800 + 500)
    assert value(figures, "mobility.commuting_co2e_kg") == pytest.approx(1300 * CAR)
    assert value(figures, "co2e.scope3_commuting_kg") == pytest.approx(1300 * CAR)
    assert value(figures, "mobility.green_share_near_home_pct") == pytest.approx(100.0)
    assert value(figures, "mobility.commuters_near_home") == 6.0
    assert pick(figures, "mobility.commuting_km")["people"] == 13
    assert pick(figures, "mobility.commuting_km")["method"] == "sum"


def test_a_small_group_hides_every_figure_it_could_be_derived_from(
    figures: pl.DataFrame,
) -> None:
    # Cardio's 2 drivers: in a hospital of 13 they would follow from Cardio's total minus
    # its cyclists, from the institution's drivers minus Lab's 5, from the green share
    # (6 of 13 green: 7 drivers) ... so none of those is published
    commuting = figures.filter(
        pl.col("metric").str.starts_with("mobility.commuting") & pl.col("value").is_not_null()
    )
    assert commuting["level"].unique().to_list() == ["institution"]
    assert commuting["category"].null_count() == commuting.height
    share = pick(figures, "mobility.green_share_pct")
    assert share["value"] is None and share["quality"] == "missing"


def test_business_travel_with_flight_bands_and_suppressed_modes(figures: pl.DataFrame) -> None:
    # 6 travellers: 3 short-haul flights of 1000 km, a 200 km train trip, a 6000 km
    # long-haul flight and a 100 km car trip
    expected = 3 * 1000 * 0.173 + 200 * 0.0 + 6000 * 0.212 + 100 * CAR
    assert value(figures, "co2e.scope3_business_travel_kg") == pytest.approx(expected)
    assert value(figures, "mobility.business_travel_km") == pytest.approx(9300.0)
    # every mode and every department has fewer than 5 travellers: only the total shows
    travel = figures.filter(pl.col("metric").str.starts_with("mobility.business_travel"))
    assert travel["category"].null_count() == travel.height
    assert travel["level"].unique().to_list() == ["institution"]


def test_published_mobility_passes_the_personal_data_guard(figures: pl.DataFrame) -> None:
    mobility = figures.filter(pl.col("people").is_not_null())
    assert mobility["people"].min() >= 5
    assert_publishable(figures, "metrics", group_columns=["people"])
    assert not any("employee" in c for c in figures.columns)


def test_a_department_outside_the_organisation_has_no_division_row(tmp_path: Path) -> None:
    frames = hospital.mobility(MARCH_2023)
    frames["commuting"] = frames["commuting"].with_columns(
        department=pl.when(pl.col("department") == hospital.LAB)
        .then(pl.lit("Nieuw"))
        .otherwise(pl.col("department"))
    )
    hospital.stage(tmp_path, MARCH_2023, "mobility", frames)
    hospital.stage(tmp_path, MARCH_2023, "reference", hospital.deliveries(MARCH_2023)["reference"])
    figures = compute(tmp_path, [MARCH_2023])
    # (its figures, 5 drivers, would reveal Cardio's 2 with the institution's: suppressed)
    divisions = figures.filter(
        (pl.col("level") == "division") & (pl.col("metric") == "mobility.commuting_km")
    )
    assert divisions["division"].null_count() == 0
    assert value(figures, "mobility.commuting_km") == pytest.approx(1660.0)


def test_flights_by_cabin_class_and_year_and_rail_by_country(tmp_path: Path) -> None:
    month = Month(2025, 3)
    hospital.stage_month(tmp_path, month)
    frames = hospital.mobility(month)
    classes = ["Business", "Economy", "business class", None, "2e klas", "1e klas"]
    destinations = [None, None, None, None, "Brussel", "Utrecht"]
    frames["business_travel"] = frames["business_travel"].with_columns(
        mode=pl.Series(["Vliegtuig", "Vliegtuig", "Vliegtuig", "Vliegtuig", "Trein", "Trein"]),
        distance_km=pl.Series([6000.0, 6000.0, 1000.0, 1000.0, 190.0, 55.0]),
        travel_class=pl.Series(classes, dtype=pl.String),
        destination=pl.Series(destinations, dtype=pl.String),
    )
    hospital.stage(tmp_path, month, "mobility", frames)
    figures = compute(tmp_path, [month])
    expected = (
        6000 * factor("Vliegtuig (long haul, business)", 2025)
        + 6000 * factor("Vliegtuig (long haul, economy)", 2025)
        + 1000 * factor("Vliegtuig (short haul, business)", 2025)
        + 1000 * factor("Vliegtuig (short haul)", 2025)  # no class: average passenger
        + 190 * factor("Trein (buitenland)", 2025)
        + 55 * factor("Trein (NL)", 2025)
    )
    assert value(figures, "co2e.scope3_business_travel_kg") == pytest.approx(expected)
    business = factor("Vliegtuig (long haul, business)", 2025)
    assert business > 2 * factor("Vliegtuig (long haul, economy)", 2025)
    assert factor("Trein (buitenland)", 2025) > 0.0  # international rail is not 0
    # each year its own flight factors: 2020 values before 2025
    assert factor("Vliegtuig (long haul)", 2019) != factor("Vliegtuig (long haul)", 2025)
