"""The change of CO2e split into the hospital's activity and the factors, and a
projection that prices projected activity with the latest factors."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from groendraad.metrics.decomposition import decompose
from groendraad.metrics.progress import target_rows
from groendraad.metrics.targets import load_targets, projection

TOTAL, FIXED = "co2e.total_location_kg", "co2e.total_location_fixed_kg"


def monthly(year: int, reported: float, fixed: float) -> list[dict]:
    """12 months of a year with the given yearly totals."""
    return [
        row
        for m in range(1, 13)
        for row in (
            {"metric": TOTAL, "period": date(year, m, 1), "value": reported / 12},
            {"metric": FIXED, "period": date(year, m, 1), "value": fixed / 12},
        )
    ]


def test_activity_and_factor_effects_add_up_to_the_change() -> None:
    # activity -3% (fixed factors), reported -22%: the grid did most of it
    rows = monthly(2018, 1000.0, 1000.0) + monthly(2025, 780.0, 970.0)
    table = decompose(pl.DataFrame(rows), baseline_year=2018, fixed_year=2018)
    since = table.filter((pl.col("window") == "2025") & (pl.col("base") == "2018")).row(
        0, named=True
    )
    assert since["change_kg"] == pytest.approx(-220.0)
    assert since["activity_effect_kg"] == pytest.approx(-30.0)
    assert since["factor_effect_kg"] == pytest.approx(-190.0)
    assert since["activity_effect_kg"] + since["factor_effect_kg"] == pytest.approx(
        since["change_kg"]
    )
    latest = table.filter(pl.col("window") == "12 months to 2025-12").row(0, named=True)
    assert latest["change_kg"] == pytest.approx(-220.0)


def test_year_on_year_changes_are_split_too() -> None:
    rows = monthly(2023, 900.0, 950.0) + monthly(2024, 880.0, 940.0)
    table = decompose(pl.DataFrame(rows), baseline_year=2018, fixed_year=2018)
    yoy = table.filter((pl.col("window") == "2024") & (pl.col("base") == "2023")).row(0, named=True)
    assert (yoy["change_kg"], yoy["activity_effect_kg"]) == pytest.approx((-20.0, -10.0))
    assert yoy["factor_effect_kg"] == pytest.approx(-10.0)


def test_each_change_is_in_the_table_once() -> None:
    # 2019 on 2018 is both "the year before" and "the baseline": one row, not two
    rows = monthly(2018, 1000.0, 1000.0) + monthly(2019, 990.0, 995.0) + monthly(2020, 950.0, 980.0)
    table = decompose(pl.DataFrame(rows), baseline_year=2018, fixed_year=2018)
    assert table.select("metric", "window", "base").is_duplicated().sum() == 0
    assert table.filter((pl.col("window") == "2019") & (pl.col("base") == "2018")).height == 1
    assert table.filter((pl.col("window") == "2020") & (pl.col("base") == "2018")).height == 1


def test_projection_does_not_extrapolate_a_one_off_factor_step() -> None:
    target = next(t for t in load_targets() if t.id == "co2_2030")
    periods = [date(y, m, 1) for y in range(2022, 2026) for m in range(1, 13)]
    # activity falls 1% a year; the grid factor steps down 18% in 2025, once
    activity = [1000.0 * (1 - 0.01 * (i / 12)) for i in range(len(periods))]
    step = [0.82 if p.year == 2025 else 1.0 for p in periods]
    reported = [a * s for a, s in zip(activity, step, strict=True)]
    calendar = pl.DataFrame({"period": periods})
    rows = target_rows(target, calendar, pl.Series(reported), activity=pl.Series(activity))
    got = rows[-1]["projected"]
    index = [p.year * 12 + p.month - 1 for p in periods]
    expected = projection(index, activity, 2030 * 12 + 11) * 0.82
    assert got == pytest.approx(expected)
    naive = projection(index, reported, 2030 * 12 + 11)
    assert naive < 0.9 * got  # a straight trend would repeat the step every year
