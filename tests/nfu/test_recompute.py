"""CO2e recomputed on one factor year from the activity data of an export."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from groendraad.nfu.recompute import recompute_co2e

from .synthetic import csv_factor, export_frame, write_synthetic


@pytest.fixture
def rows() -> pl.DataFrame:
    return export_frame("umc-a", [1, 2, 3])


def figures(rows: pl.DataFrame, year: int) -> dict[str, dict]:
    """Per CO2e metric the sums over the months."""
    recomputed = recompute_co2e(rows, year)
    summed = recomputed.group_by("metric").agg(
        pl.col("published_kg", "recomputed_kg", "swapped_kg").sum()
    )
    return {row["metric"]: row for row in summed.to_dicts()}


def test_on_the_activity_year_recomputing_gives_the_published_figures(rows: pl.DataFrame) -> None:
    for metric, row in figures(rows, 2024).items():
        assert row["recomputed_kg"] == pytest.approx(row["published_kg"]), metric


def test_another_year_swaps_the_factors_of_every_part_with_activity(rows: pl.DataFrame) -> None:
    at_2025 = figures(rows, 2025)
    electricity_kwh, heat_gj, gas_m3 = 3 * 1_000_000, 3 * 1_000, 3 * 100_000
    expected = electricity_kwh * csv_factor("electricity", 2025, "ttw") + heat_gj * csv_factor(
        "heat", 2025, "ttw"
    )
    assert at_2025["co2e.scope2_location_kg"]["recomputed_kg"] == pytest.approx(expected)
    scope1 = at_2025["co2e.scope1_kg"]
    assert scope1["recomputed_kg"] == pytest.approx(scope1["published_kg"])  # TTW gas constant
    at_2023 = figures(rows, 2023)
    upstream = sum(
        amount * csv_factor(carrier, 2023, "wtt")
        for carrier, amount in (
            ("gas", gas_m3),
            ("electricity", electricity_kwh),
            ("heat", heat_gj),
        )
    )
    recomputed = at_2023["co2e.scope3_energy_upstream_kg"]["recomputed_kg"]
    assert recomputed == pytest.approx(upstream)


def test_the_default_factor_year_is_the_fixed_factor_year(tmp_path: Path) -> None:
    from groendraad.nfu.benchmark import compute_benchmark
    from groendraad.nfu.check import read_export

    paths = [write_synthetic(tmp_path, name, [1, 2, 3]) for name in ("umc-a", "umc-b")]
    bench = compute_benchmark([read_export(p) for p in paths])
    assert bench.factor_year == 2018  # the CO2 target's baseline year, as the series
    market = bench.co2e.filter(pl.col("metric") == "co2e.scope2_market_kg")
    assert market["swapped_kg"].sum() > 0  # heat swapped; the contract's electricity kept


def test_flights_without_a_band_stay_as_published_and_say_so(rows: pl.DataFrame) -> None:
    travel = figures(rows, 2020)["co2e.scope3_business_travel_kg"]
    assert travel["recomputed_kg"] == travel["published_kg"]
    assert travel["swapped_kg"] == 0
    shares = recompute_co2e(rows, 2020).filter(pl.col("metric") == "co2e.total_location_kg")
    assert all(0.99 < share < 1.0 for share in shares["recomputed_share"])


def test_totals_are_the_sum_of_recomputed_components(rows: pl.DataFrame) -> None:
    at_2025 = figures(rows, 2025)
    parts = [
        "co2e.scope1_kg",
        "co2e.scope2_location_kg",
        "co2e.scope3_energy_upstream_kg",
        "co2e.scope3_waste_kg",
        "co2e.scope3_business_travel_kg",
        "co2e.scope3_commuting_kg",
    ]
    total = sum(at_2025[p]["recomputed_kg"] for p in parts)
    assert at_2025["co2e.total_location_kg"]["recomputed_kg"] == pytest.approx(total)
