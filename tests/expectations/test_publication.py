"""What validation means for publication: blocked source-months publish nothing, and no
published table carries personal data."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from groendraad.expectations import assert_publishable, check_published, publishable_tables
from groendraad.expectations.published import PersonalDataError
from groendraad.warehouse import staging

from . import clean_month
from .clean_month import MONTH, Validate


def test_a_blocking_failure_publishes_nothing_of_that_source(
    validate: Validate, tmp_path: Path
) -> None:
    """Only the Totaal line is wrong, yet neither waste table may be published."""
    frames = clean_month.waste(MONTH)
    collections = frames["waste_collections"]
    frames["waste_totals"] = clean_month.waste_totals(collections, MONTH, declared=1.0)
    outcome = validate("waste", frames)
    assert outcome.blocking_failed and outcome.quality == "blocked"
    assert [r.table for r in outcome.blocking] == ["waste_totals"]
    assert outcome.describe() == (
        "waste 2025-10: waste_totals.totaal_matches_lines: 1 of 1 Totaal lines at"
        f" file_name='afval_{MONTH}.csv', source_line=42, declared_total_kg=1,"
        f" lines_total_kg={collections['weight_kg'].sum():.6g}, difference_kg="
        f"{collections['weight_kg'].sum() - 1:.6g}"
    )
    assert outcome.describe("warning") is None
    publishable = publishable_tables(outcome, frames)
    assert publishable == {}
    staging.write_source_month(tmp_path, MONTH, publishable, "0" * 64)
    assert not (tmp_path / "staging").exists() or not any((tmp_path / "staging").rglob("*.parquet"))


def test_a_warning_publishes_every_table(validate: Validate) -> None:
    frames = clean_month.waste(MONTH)
    late = pl.when(pl.col("source_line") == 2).then(MONTH.first_day.replace(month=9))
    frames["waste_collections"] = frames["waste_collections"].with_columns(
        late.otherwise(pl.col("collection_date")).alias("collection_date")
    )
    outcome = validate("waste", frames)
    assert [r.expectation for r in outcome.warnings] == ["waste_collections.date_in_month"]
    assert set(publishable_tables(outcome, frames)) == {"waste_collections", "waste_totals"}


def test_a_table_missing_from_a_delivery_blocks_the_source(validate: Validate) -> None:
    frames = clean_month.waste(MONTH)
    del frames["waste_totals"]
    outcome = validate("waste", frames)
    (check,) = outcome.blocking
    assert (check.expectation, check.observed_value) == (
        "waste_totals.schema",
        "the table is missing from the delivery",
    )


def test_a_column_of_the_wrong_type_blocks(validate: Validate) -> None:
    frames = clean_month.waste(MONTH)
    frames["waste_collections"] = frames["waste_collections"].with_columns(
        pl.col("weight_kg").cast(pl.String).str.replace(".", ",", literal=True)
    )
    check = {r.expectation: r for r in validate("waste", frames).blocking}[
        "waste_collections.schema"
    ]
    assert check.unexpected_sample[0].startswith(
        "column='weight_kg', declared='Float64', delivered='String'"
    )


def test_a_personal_staging_table_is_never_published() -> None:
    commuting = clean_month.mobility(MONTH)["commuting"]
    results = {r.expectation: r for r in check_published(commuting, "commuting")}
    assert not results["published.not_internal"].success
    assert not results["published.no_personnel_numbers"].success
    with pytest.raises(PersonalDataError, match="commuting cannot be published"):
        assert_publishable(commuting, "commuting")


def test_an_aggregate_with_small_groups_is_refused() -> None:
    per_department = pl.DataFrame(
        {
            "department": ["Cardiologie", "Apotheek"],
            "employees": [20, 3],
            "commute_km": [9.0e3, 7.0e2],
        }
    )
    (small,) = [r for r in check_published(per_department, "commuting_by_department") if r.failed]
    assert small.expectation == "published.min_group_size"
    assert small.unexpected_sample == ("department='Apotheek', employees=3",)
    assert_publishable(per_department.filter(pl.col("employees") >= 5), "commuting_by_department")


def test_personnel_number_columns_are_recognised_by_name() -> None:
    for column in ("employee_id", "Personeelsnummer", "personnel_number", "medewerker_nr"):
        refused = check_published(pl.DataFrame({column: ["x"]}), "summary")
        assert not {r.expectation: r for r in refused}["published.no_personnel_numbers"].success
    counts = pl.DataFrame({"department": ["A"], "employees": [12]})
    assert all(r.success for r in check_published(counts, "summary"))


def test_a_personnel_number_in_any_column_is_refused() -> None:
    leaked = pl.DataFrame({"who": ["P-000001", "all"], "km": [1.0, 2.0]})
    with pytest.raises(PersonalDataError, match=r"no_personnel_numbers: columns \['who'\]"):
        assert_publishable(leaked, "travel_summary", known_ids={"P-000001"})
