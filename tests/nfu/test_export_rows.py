"""Which published figures go into an export (quick: a hand-made metrics table)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from groendraad.errors import GroendraadError
from groendraad.metrics.store import PUBLISHED_SCHEMA
from groendraad.months import Month
from groendraad.nfu.contract import load_contract
from groendraad.nfu.export import build_export, export_file_name, export_warehouse

MONTH = Month(2025, 3)


def figure(
    metric: str,
    value: float,
    *,
    level: str = "institution",
    unit: str = "kWh",
    category: str | None = None,
    people: int | None = None,
    department: str | None = None,
    division: str | None = None,
) -> dict:
    return {
        "institution": "umc-a",
        "period": MONTH.first_day,
        "metric": metric,
        "theme": metric.split(".")[0],
        "level": level,
        "department": department,
        "division": division,
        "category": category,
        "value": value,
        "unit": unit,
        "quality": "measured",
        "method": "sum",
        "people": people,
        "deliveries": "x=1",
        "factor_set": "fs-abc",
        "factors": None,
        "method_version": "m1",
        "version": 2,
        "published_at": datetime(2025, 4, 2, tzinfo=UTC),
    }


def metrics(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=PUBLISHED_SCHEMA)


KEY_FIGURES = pl.DataFrame(
    {
        "period": [MONTH.first_day],
        "fte": [1000.0],
        "bed_days": [9000.0],
        "admissions": [2000.0],
        "operations": [1200.0],
        "outpatient_visits": [30000.0],
        "meals": [25000.0],
        "floor_area_m2": [250000.0],
    }
)


def test_institution_and_division_rows_only_and_no_small_group() -> None:
    published = metrics(
        figure("energy.electricity_kwh", 100.0),
        figure("energy.electricity_kwh", 60.0, level="division", division="Divisie 1"),
        figure(
            "energy.electricity_kwh",
            10.0,
            level="department",
            department="KNO",
            division="Divisie 3",
        ),
        figure("energy.total_mj_per_m2", 3.0, unit="MJ/m2"),  # a ratio: recomputed, not exported
        figure("context.fte", 999.0, unit="FTE"),  # the export reads the key figures instead
        figure("mobility.commuting_km", 900.0, unit="km", category="Motor", people=3),
        figure("mobility.commuting_km", 5000.0, unit="km", category="OV", people=40),
    )
    frame, dropped = build_export(published, KEY_FIGURES, "umc-a", [MONTH])
    assert dropped == 1
    assert set(frame["level"]) == {"institution", "division"}
    assert "energy.total_mj_per_m2" not in set(frame["metric"])
    assert frame.filter(pl.col("metric") == "context.fte")["value"].to_list() == [1000.0]
    mobility = frame.filter(pl.col("theme") == "mobility")
    assert mobility["category"].to_list() == ["OV"]
    assert frame.schema == load_contract().polars_schema()
    assert frame.filter(pl.col("metric") == "energy.electricity_kwh")[
        "metrics_version"
    ].to_list() == [2, 2]


def test_a_month_without_key_figures_has_missing_denominators() -> None:
    published = metrics(figure("energy.electricity_kwh", 100.0))
    frame, _ = build_export(published, KEY_FIGURES.clear(), "umc-a", [MONTH])
    denominators = frame.filter(pl.col("kind") == "denominator")
    assert denominators.height == 7
    assert set(denominators["quality"]) == {"missing"} and denominators["value"].null_count() == 7


def test_a_unit_the_contract_does_not_know_is_refused() -> None:
    published = metrics(figure("energy.gas_m3", 100.0, unit="kWh"))
    with pytest.raises(GroendraadError, match="energy.gas_m3 is published in 'kWh'.*'m3'"):
        build_export(published, KEY_FIGURES, "umc-a", [MONTH])


def test_file_names() -> None:
    contract = load_contract()
    year = [Month(2024, m) for m in range(1, 13)]
    assert export_file_name("lumc", year, contract) == "nfu-export_lumc_2024.parquet"
    assert export_file_name("Erasmus MC", year[:6], contract) == (
        "nfu-export_Erasmus-MC_2024-01_2024-06.parquet"
    )


def test_an_unpublished_warehouse_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GroendraadError, match="no published figures"):
        export_warehouse(tmp_path, "umc-a", "UMC A", tmp_path / "out", year=2024)


def test_unpublished_months_are_named(tmp_path: Path) -> None:
    from groendraad.metrics.store import write_version

    write_version(
        tmp_path,
        MONTH,
        metrics(figure("energy.electricity_kwh", 1.0)).drop("version", "published_at"),
        1,
        datetime(2025, 4, 2, tzinfo=UTC),
    )
    with pytest.raises(GroendraadError, match="month\\(s\\) not published: 2025-04"):
        export_warehouse(
            tmp_path, "umc-a", "UMC A", tmp_path / "out", months=[MONTH, Month(2025, 4)]
        )
    result = export_warehouse(tmp_path, "umc-a", "UMC A", tmp_path / "out", year=2025)
    assert (
        result.months == [MONTH] and result.path.name == "nfu-export_umc-a_2025-03_2025-03.parquet"
    )
    assert date(2025, 3, 1) in pl.read_parquet(result.path)["period"].to_list()


def test_the_export_carries_the_quality_flags_and_reasons() -> None:
    reason = "energy 2025-03: refused by validation"
    missing = figure("co2e.total_location_kg", 0.0, unit="kg CO2e") | {
        "value": None,
        "quality": "missing",
        "quality_reason": reason,
    }
    estimated = figure("waste.total_kg", 1700.0, unit="kg") | {
        "quality": "estimated",
        "method": "same_month_last_year_trend",
        "quality_reason": "estimated (gap filling) for waste 2025-03: not delivered",
    }
    frame, _ = build_export(metrics(missing, estimated), KEY_FIGURES, "umc-a", [MONTH])
    total = frame.filter(pl.col("metric") == "co2e.total_location_kg").row(0, named=True)
    assert (total["value"], total["quality"], total["quality_reason"]) == (None, "missing", reason)
    waste = frame.filter(pl.col("metric") == "waste.total_kg").row(0, named=True)
    assert (waste["quality"], waste["method"]) == ("estimated", "same_month_last_year_trend")
    assert waste["quality_reason"].startswith("estimated (gap filling) for waste 2025-03")
