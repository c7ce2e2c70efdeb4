"""Disposables and medicine waste against figures computed by hand."""

from __future__ import annotations

import polars as pl
import pytest

from . import hospital
from .conftest import pick, value

CARDIO = {"level": "department", "department": hospital.CARDIO, "division": hospital.DIV_A}
LAB = {"level": "department", "department": hospital.LAB, "division": hospital.DIV_B}


def test_disposables_pieces_mass_and_reusable_share(figures: pl.DataFrame) -> None:
    # Cardio: 1000 gloves (3 kg) + 10 reusable instruments (5 kg); Lab: 500 gauze (1 kg);
    # an unknown cost centre: 100 gauze (0.5 kg), counted for the institution only
    assert value(figures, "disposables.pieces") == pytest.approx(1610.0)
    assert value(figures, "disposables.pieces", **CARDIO) == pytest.approx(1010.0)
    assert value(figures, "disposables.pieces", category="Gaas niet-steriel") == pytest.approx(
        600.0
    )
    assert value(
        figures, "disposables.pieces", category="Gaas niet-steriel", **LAB
    ) == pytest.approx(500.0)
    assert value(figures, "disposables.mass_kg") == pytest.approx(9.5)
    assert value(figures, "disposables.single_use_pieces") == pytest.approx(1600.0)
    assert value(figures, "disposables.reusable_pieces", **CARDIO) == pytest.approx(10.0)
    assert value(figures, "disposables.reusable_share_pct") == pytest.approx(10 / 1610 * 100)
    assert value(figures, "disposables.reusable_share_pct", **LAB) == pytest.approx(0.0)
    assert value(figures, "disposables.primary_material_proxy_kg") == pytest.approx(4.5)
    assert value(figures, "disposables.primary_material_proxy_kg", **CARDIO) == pytest.approx(3.0)
    assert pick(figures, "disposables.pieces", **CARDIO)["method"] == "by_cost_centre"


def test_medicine_waste_by_reason_department_and_per_bed_days(figures: pl.DataFrame) -> None:
    assert value(figures, "medicine_waste.eur") == pytest.approx(60.0)
    assert value(figures, "medicine_waste.eur", **CARDIO) == pytest.approx(50.0)
    assert value(figures, "medicine_waste.eur", category="Verlopen") == pytest.approx(30.0)
    assert value(
        figures, "medicine_waste.eur", category="Bereid niet toegediend", **CARDIO
    ) == pytest.approx(30.0)
    division_b = {"level": "division", "division": hospital.DIV_B}
    assert value(figures, "medicine_waste.eur", **division_b) == pytest.approx(10.0)
    assert value(figures, "medicine_waste.units") == pytest.approx(14.0)  # 10 stuk + 4 ampul
    assert value(figures, "medicine_waste.volume_ml") == pytest.approx(50.0)
    assert value(figures, "medicine_waste.eur_per_1000_bed_days") == pytest.approx(60 / 2000 * 1000)
    assert value(figures, "medicine_waste.units_per_1000_bed_days") == pytest.approx(7.0)
