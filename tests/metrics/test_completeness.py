"""Completeness: a missing delivery is never published as a low number (issue 14)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from groendraad.metrics.catalogue import load_catalogue
from groendraad.metrics.emissions import TOTALS
from groendraad.warehouse.schema import table as staging_table

from . import hospital
from .conftest import MARCH_2023, compute, pick, value

SOURCES = ["reference", "energy", "waste", "food_waste", "disposables", "mobility"]
SOURCES += ["medicine_waste"]
EMITTING = {"energy", "waste", "mobility"}


def _needs(metric: str, source: str) -> bool:
    """At institution level: the organisation table only places figures in departments."""
    tables = set(load_catalogue().metrics[metric].sources) - {"organisation"}
    return source in {staging_table(t).source for t in tables}


@pytest.mark.parametrize("source", SOURCES)
def test_a_refused_source_leaves_no_complete_looking_figure(tmp_path: Path, source: str) -> None:
    hospital.stage_month(tmp_path, MARCH_2023, skip=(source,))
    figures = compute(tmp_path, [MARCH_2023])
    institution = figures.filter(pl.col("level") == "institution")
    for total in TOTALS:
        row = pick(figures, total)
        if source in EMITTING:
            assert row["value"] is None, f"{total} published without {source}"
            assert row["quality"] == "missing"
            assert f"{source} 2023-03: not delivered" in row["quality_reason"]
        else:
            assert row["quality"] in {"measured", "mixed"}
            assert row["value"] is not None
    needing = institution.filter(
        pl.col("metric").map_elements(lambda m: _needs(m, source), return_dtype=pl.Boolean)
    )
    assert needing.height > 0
    assert needing["value"].null_count() == needing.height
    assert set(needing["quality"]) == {"missing"}
    assert needing["quality_reason"].str.contains(f"{source} 2023-03").all()


def test_a_total_with_every_scope_present_is_their_sum(staged: Path) -> None:
    figures = compute(staged, [MARCH_2023])
    scopes = ["co2e.scope1_kg", "co2e.scope2_location_kg", "co2e.scope3_waste_kg"]
    scopes += ["co2e.scope3_energy_upstream_kg"]
    scopes += ["co2e.scope3_business_travel_kg", "co2e.scope3_commuting_kg"]
    assert value(figures, "co2e.total_location_kg") == pytest.approx(
        sum(value(figures, s) for s in scopes)
    )
    assert pick(figures, "co2e.total_location_kg")["quality_reason"] is not None  # mixed: says why


def test_a_few_estimated_intervals_stay_measured(tmp_path: Path) -> None:
    """Below 5% of a meter's intervals estimated, the meter-month counts as measured."""
    readings = dict(hospital.READINGS)
    readings["E-G1"] = [(10.0, "measured")] * 39 + [(10.0, "estimated")]  # 2.5%
    hospital.stage_month(tmp_path, MARCH_2023, skip=("energy",))
    hospital.stage(tmp_path, MARCH_2023, "energy", hospital.energy(MARCH_2023, readings))
    figures = compute(tmp_path, [MARCH_2023])
    row = pick(figures, "energy.electricity_kwh")
    assert (row["quality"], row["quality_reason"]) == ("measured", None)
    readings["E-G1"] = [(10.0, "measured")] * 30 + [(10.0, "estimated")] * 10  # 25%
    hospital.stage(tmp_path, MARCH_2023, "energy", hospital.energy(MARCH_2023, readings))
    row = pick(compute(tmp_path, [MARCH_2023]), "energy.electricity_kwh")
    assert row["quality"] == "mixed"
    assert row["quality_reason"] == "estimated by the source"
