"""The windows mart against an independent computation with DuckDB (issue 14)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from groendraad.metrics import publish
from groendraad.metrics.store import current_file
from groendraad.metrics.windows import windows_file
from groendraad.months import Month, month_range
from groendraad.warehouse import staging

from . import hospital

MONTHS = month_range(Month(2021, 1), Month(2023, 3))
GAP = Month(2022, 10)  # energy refused: inside the last 12 months, not the 12 before


@pytest.fixture(scope="module", params=["none", "same_month_last_year_trend"])
def warehouse(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("windows")
    for i, month in enumerate(MONTHS):
        hospital.stage_month(root, month, skip=("energy",))
        if month != GAP:
            scale = 1 + i / 50  # energy use grows, so windows differ
            readings = {
                meter: [(v * scale, s) for v, s in rows]
                for meter, rows in hospital.READINGS.items()
            }
            hospital.stage(root, month, "energy", hospital.energy(month, readings))
    publish(root, "tiny-umc", gap_filling=request.param)
    return root


def independent(root: Path, metric: str, level: str) -> dict[str | None, tuple]:
    """(last 12, 12 before) per division from the metrics table; a window with a missing
    month (no row or quality missing) has no value."""
    sql = """
    with months as (
      select place, period, value, quality from (
        select coalesce(division, '-') as place, period, value, quality
        from read_parquet($file) where metric = $metric and level = $level and category is null)
    ), win as (
      select place,
        case when period > date '2022-03-01' then 'last' else 'before' end as w,
        count(*) filter (where quality <> 'missing') as complete, sum(value) as total
      from months where period > date '2021-03-01'
      group by all
    )
    select place, max(case when w = 'last' and complete = 12 then total end),
                  max(case when w = 'before' and complete = 12 then total end)
    from win group by place
    """
    params = {"file": str(current_file(root)), "metric": metric, "level": level}
    rows = duckdb.execute(sql, params).fetchall()
    return {place: (last, before) for place, last, before in rows}


@pytest.mark.parametrize(
    ("metric", "level"),
    [("energy.total_gj", "institution"), ("co2e.scope1_kg", "division")],
)
def test_last_12_against_the_12_before_match_duckdb(
    warehouse: Path, metric: str, level: str
) -> None:
    mart = pl.read_parquet(windows_file(warehouse)).filter(
        (pl.col("metric") == metric)
        & (pl.col("level") == level)
        & (pl.col("period") == Month(2023, 3).first_day)
    )
    expected = independent(warehouse, metric, level)
    assert mart.height == len(expected) > 0
    for row in mart.iter_rows(named=True):
        last, before = expected[row["division"] or "-"]
        assert row["previous_12"] == pytest.approx(before)
        if last is None:
            assert row["last_12"] is None and row["change_pct"] is None
            assert row["missing_months"] == "2022-10"
            assert "energy 2022-10: not delivered" in row["reason"]
        else:
            assert row["last_12"] == pytest.approx(last)
            assert row["change_pct"] == pytest.approx((last - before) / before * 100)
            assert (row["months_estimated"], row["estimated_months"]) == (1, "2022-10")


def test_every_window_is_complete_or_flagged(warehouse: Path) -> None:
    mart = pl.read_parquet(windows_file(warehouse))
    with_value = mart.filter(pl.col("last_12").is_not_null())
    assert with_value["missing_months"].null_count() == with_value.height
    assert GAP not in staging.staged_months(warehouse, "energy_readings")
