"""Publishing versions: idempotent re-runs, restatement keeps history, diffs explain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from groendraad.metrics import (
    diff_versions,
    list_versions,
    progress_file,
    publish,
    read_metrics,
    read_version,
)
from groendraad.metrics.catalogue import CATALOGUE_FILE
from groendraad.metrics.factors import FACTORS_FILE
from groendraad.metrics.store import current_file, write_version
from groendraad.months import Month

from . import hospital
from .conftest import MARCH_2023, pick

FIRST = datetime(2024, 1, 10, 12, 0, tzinfo=UTC)
SECOND = FIRST + timedelta(days=30)


def test_same_inputs_publish_no_new_version(staged: Path) -> None:
    first = publish(staged, "tiny-umc", [MARCH_2023], published_at=FIRST)
    again = publish(staged, "tiny-umc", [MARCH_2023], published_at=SECOND)
    assert first.published == {MARCH_2023: 1}
    assert (again.published, again.unchanged) == ({}, [MARCH_2023])
    assert list_versions(staged)["version"].to_list() == [1]
    assert current_file(staged).exists() and progress_file(staged).exists()


def test_publishing_all_staged_months_by_default(staged: Path) -> None:
    report = publish(staged, "tiny-umc", published_at=FIRST)
    assert report.months == [MARCH_2023]
    assert read_metrics(staged)["version"].unique().to_list() == [1]


def test_a_corrected_delivery_is_a_new_version_and_the_old_stays_readable(staged: Path) -> None:
    publish(staged, "tiny-umc", [MARCH_2023], published_at=FIRST)
    corrected = [*hospital.WASTE, ("15 01 01", False, "Recycling", 250.0)]  # a late weighing
    hospital.stage(staged, MARCH_2023, "waste", hospital.waste(MARCH_2023, corrected))
    report = publish(staged, "tiny-umc", [MARCH_2023], published_at=SECOND)

    assert report.published == {MARCH_2023: 2}
    assert list_versions(staged, MARCH_2023)["version"].to_list() == [1, 2]
    assert pick(read_metrics(staged), "waste.total_kg")["value"] == pytest.approx(1950.0)
    as_published = read_metrics(staged, as_of=FIRST + timedelta(days=1))
    assert pick(as_published, "waste.total_kg")["value"] == pytest.approx(1700.0)
    assert pick(as_published, "waste.total_kg")["published_at"] == FIRST
    assert read_metrics(staged, as_of=FIRST - timedelta(days=1)).is_empty()
    assert read_version(staged, MARCH_2023, 1).equals(read_metrics(staged, as_of=FIRST))

    changes = diff_versions(staged, MARCH_2023, 1, 2)
    total = changes.filter(
        (pl.col("metric") == "waste.total_kg") & (pl.col("level") == "institution")
    ).row(0, named=True)
    assert (total["value_old"], total["value_new"]) == (1700.0, 1950.0)
    assert total["reason"] == "activity data"
    assert total["changed_sources"] == "waste"
    assert set(changes["reason"]) == {"activity data"}
    assert not changes["metric"].str.starts_with("energy.").any()


def test_a_factor_correction_is_explained_as_factors(staged: Path, tmp_path: Path) -> None:
    publish(staged, "tiny-umc", [MARCH_2023], published_at=FIRST)
    factors = tmp_path / "factors.csv"
    text = FACTORS_FILE.read_text(encoding="utf-8")
    factors.write_text(
        text.replace(
            "electricity_grid_ttw_2023,energy,electricity,location,ttw,0.27032",
            "electricity_grid_ttw_2023,energy,electricity,location,ttw,0.28",
        )
    )
    publish(staged, "tiny-umc", [MARCH_2023], published_at=SECOND, factors_path=factors)
    changes = diff_versions(staged, "2023-03", 1, 2)
    assert set(changes["reason"]) == {"factors"}
    assert set(changes["metric"]) == {
        "co2e.scope2_location_kg",
        "co2e.total_location_kg",
    }  # fmt: skip (the fixed-factor twins use the 2018 factors: unchanged)
    row = changes.filter(
        (pl.col("level") == "institution") & (pl.col("category") == "electricity")
    ).row(0, named=True)
    assert row["changed_factors"] == (
        "electricity_grid_ttw_2023=0.27032, electricity_grid_ttw_2023=0.28"
    )
    assert row["value_new"] == pytest.approx(740 * 0.28)


def test_published_versions_are_never_overwritten(staged: Path) -> None:
    publish(staged, "tiny-umc", [MARCH_2023], published_at=FIRST)
    with pytest.raises(FileExistsError):
        write_version(staged, MARCH_2023, read_metrics(staged), 1, SECOND)


def test_a_method_change_is_explained_as_method(staged: Path, tmp_path: Path) -> None:
    publish(staged, "tiny-umc", [MARCH_2023], published_at=FIRST)
    catalogue = tmp_path / "catalogue.yaml"
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    catalogue.write_text(
        text.replace('residual_eural: ["20 03 01"]', 'residual_eural: ["20 03 01", "15 01 01"]')
    )
    publish(staged, "tiny-umc", [MARCH_2023], published_at=SECOND, catalogue_path=catalogue)
    changes = diff_versions(staged, MARCH_2023, 1, 2)
    assert set(changes["metric"]) == {"waste.residual_kg", "waste.residual_share_pct"}
    assert set(changes["reason"]) == {"method"}
    assert pick(read_metrics(staged), "waste.residual_kg")["value"] == pytest.approx(1400.0)


def test_a_month_with_nothing_staged_is_skipped(staged: Path) -> None:
    report = publish(staged, "tiny-umc", [MARCH_2023, Month(2023, 4)], published_at=FIRST)
    assert (report.published, report.skipped) == ({MARCH_2023: 1}, [Month(2023, 4)])
