"""The yearly forms (`groendraad report milieubarometer|esrs`) against an independent
computation from the published metrics mart with DuckDB.

The tiny hospital is staged for every month of 2023 and for 2024 up to November:
2023 is complete, 2024 lacks December, so its figures must read missing, never 0
and never a partial sum.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from groendraad.metrics import publish
from groendraad.months import Month, month_range

from . import hospital

CLI = str(Path(sys.executable).parent / "groendraad")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("forms")
    months = month_range(Month(2023, 1), Month(2024, 11))
    for month in months:
        hospital.stage_month(root, month)
    publish(root, "tiny-umc", months)
    (root / "groendraad.yaml").write_text("institution: {id: tiny-umc}\n", encoding="utf-8")
    return root


def report(root: Path, form: str, year: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The form's CSV and XLSX, written by the command, read back."""
    command = [CLI, "report", form, "--year", str(year), "--config", str(root / "groendraad.yaml")]
    done = subprocess.run([*command, "--warehouse", str(root)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    base = root / "reports" / f"{form}_tiny-umc_{year}"
    assert str(base.with_suffix(".xlsx")) in done.stdout
    with duckdb.connect() as db:
        from_csv = db.read_csv(str(base.with_suffix(".csv")), all_varchar=True).pl()
    from_xlsx = pl.read_excel(base.with_suffix(".xlsx"), read_options={"header_row": 1})
    return from_csv, from_xlsx


def mart(root: Path, metric: str, year: int, category: str | None = None) -> tuple:
    """Independently: the year's sum, months published and qualities of a figure."""
    return sql(
        "select sum(value), count(distinct period), list(distinct quality order by quality)"
        " from read_parquet(?) where level = 'institution' and metric = ?"
        " and year(period) = ? and category is not distinct from ?",
        [str(root / "marts" / "metrics_current.parquet"), metric, year, category],
    )[0]


def sql(query: str, parameters: list) -> list[tuple]:
    with duckdb.connect() as db:
        return db.execute(query, parameters).fetchall()


def line(frame: pl.DataFrame, code: str) -> dict:
    (row,) = frame.filter(pl.col("code") == code).to_dicts()
    return row


def test_the_esrs_report_matches_the_mart(warehouse: Path) -> None:
    rows, book = report(warehouse, "esrs", 2023)
    energy_gj, months, _ = mart(warehouse, "energy.total_gj", 2023)
    assert months == 12
    assert float(line(rows, "E1-5.total")["value"]) == pytest.approx(energy_gj / 3.6)
    scope1, _, qualities = mart(warehouse, "co2e.scope1_kg", 2023)
    assert float(line(rows, "E1-6.scope1")["value"]) == pytest.approx(scope1 / 1000)
    assert line(rows, "E1-6.scope1")["quality"] == "measured" and qualities == ["measured"]
    total, _, _ = mart(warehouse, "waste.total_kg", 2023)
    hazardous, _, _ = mart(warehouse, "waste.hazardous_kg", 2023)
    assert float(line(rows, "E5-5.non_hazardous")["value"]) == pytest.approx(
        (total - hazardous) / 1000
    )
    bed_days, _, _ = mart(warehouse, "context.bed_days", 2023)
    assert float(line(rows, "care.waste_per_bed_day")["value"]) == pytest.approx(total / bed_days)
    location = line(rows, "E1-6.scope2_location")
    assert location["quality"] == "mixed"  # one estimated meter reading in every month
    assert location["metric"] == "co2e.scope2_location_kg" and location["months"] == "12"
    assert location["deliveries"].startswith("energy=") and location["factor_set"]
    assert location["factors"] and "electricity_grid_ttw_2023" in location["factors"]
    assert book.height == rows.height
    assert line(book, "E1-5.total")["waarde / value"] == pytest.approx(energy_gj / 3.6)
    assert line(book, "E1-5.total")["description"] == "Total energy consumption"
    assert line(book, "E1-5.total")["omschrijving"] == "Totaal energieverbruik"


def test_the_milieubarometer_report_matches_the_mart(warehouse: Path) -> None:
    rows, _ = report(warehouse, "milieubarometer", 2023)
    kwh, _, _ = mart(warehouse, "energy.electricity_kwh", 2023)
    assert float(line(rows, "MB-E1")["value"]) == pytest.approx(kwh)
    streams = sql(
        "select distinct category from read_parquet(?) where metric = 'waste.stream_kg'"
        " and level = 'institution' and category is not null",
        [str(warehouse / "marts" / "metrics_current.parquet")],
    )
    assert streams
    for (code,) in streams:
        expected, _, _ = mart(warehouse, "waste.stream_kg", 2023, code)
        assert float(line(rows, f"MB-A2.{code}")["value"]) == pytest.approx(expected)
    # commuting by mode: the modes that disclosure control lets through for the whole
    # year match the mart; a mode suppressed in any month is missing, never a part-sum
    for code in [c for c in rows["code"].to_list() if c.startswith("MB-M2.")]:
        km, months, _ = mart(warehouse, "mobility.commuting_km", 2023, code.split(".", 1)[1])
        value = line(rows, code)["value"]
        if value is not None:
            assert months == 12 and float(value) == pytest.approx(km)
    water = line(rows, "MB-W1")  # the tiny hospital delivers no water
    assert water["value"] is None and water["quality"] == "missing"
    assert water["note_en"] == "missing: 2023-01 .. 2023-12"


def test_a_year_with_a_month_missing_is_missing_never_zero_or_partial(warehouse: Path) -> None:
    rows, book = report(warehouse, "esrs", 2024)
    _, months, _ = mart(warehouse, "energy.total_gj", 2024)
    assert months == 11
    total = line(rows, "E1-5.total")
    assert total["value"] is None and total["quality"] == "missing"
    assert total["note_nl"] == "ontbreekt: 2024-12" and total["months"] == "11"
    derived = line(rows, "care.energy_per_m2")
    assert derived["value"] is None and derived["quality"] == "missing"
    assert line(book, "E1-5.total")["waarde / value"] is None
    assert set(rows["quality"]) == {"missing"}
