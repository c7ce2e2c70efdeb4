"""A clean month passes every check, without warnings, including the DST months."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from groendraad.expectations import validate_staged_month
from groendraad.months import Month
from groendraad.warehouse import staging

from . import clean_month
from .clean_month import MONTH, RUN, Validate, failures


@pytest.mark.parametrize("source", list(clean_month.SOURCES))
def test_a_clean_month_passes_without_warnings(validate: Validate, source: str) -> None:
    outcome = validate(source, clean_month.month_of(source, MONTH))
    assert failures(outcome) == {}
    assert (outcome.quality, outcome.blocking_failed, outcome.warnings) == ("ok", False, [])
    assert {r.table for r in outcome.results} == set(clean_month.month_of(source, MONTH))


def test_month_over_month_compares_with_the_staged_history(validate: Validate) -> None:
    outcome = validate("waste", clean_month.waste(MONTH))
    (check,) = [r for r in outcome.results if r.expectation == "waste_collections.month_over_month"]
    assert (check.success, check.observed_value) == (True, "0 of 1 month totals")


@pytest.mark.parametrize("month", [Month(2025, 3), Month(2025, 10), Month(2024, 3)])
def test_a_complete_dst_month_passes(validate: Validate, month: Month) -> None:
    """March has a day of 92 quarter-hours (23 hours), October one of 100 (25 hours)."""
    frames = clean_month.energy(month)
    readings = frames["energy_readings"]
    local = readings["interval_start"].dt.convert_time_zone("Europe/Amsterdam").dt.date()
    per_day = readings.with_columns(local.alias("day")).group_by("meter_id", "day").len()
    assert (
        set(per_day.filter(pl.col("meter_id") == "E-G1")["len"])
        == {
            Month(2025, 3): {96, 92},
            Month(2025, 10): {96, 100},
            Month(2024, 3): {96, 92},
        }[month]
    )
    outcome = validate("energy", frames, month=month, warehouse=None)
    assert failures(outcome) == {}


def test_without_history_month_over_month_is_not_checked(validate: Validate) -> None:
    outcome = validate("energy", clean_month.energy(MONTH), warehouse=None)
    (check,) = [r for r in outcome.results if r.expectation == "energy_readings.month_over_month"]
    assert check.success
    assert "3 not checked (fewer than 3 staged months of history" in check.observed_value


def test_staged_data_is_validated_again(engine: object, tmp_path: Path) -> None:
    for source in clean_month.SOURCES:
        staging.write_source_month(tmp_path, MONTH, clean_month.month_of(source, MONTH), "0" * 64)
    outcomes = validate_staged_month(tmp_path, MONTH, run_id=RUN)
    assert [o.source for o in outcomes] == list(clean_month.SOURCES)
    assert all(o.quality == "ok" for o in outcomes)
    only = validate_staged_month(tmp_path, MONTH, run_id=RUN, sources=["waste"])
    assert [o.source for o in only] == ["waste"]
