"""`groendraad metrics diff`: readable at 80 columns, and as CSV and JSON for scripts."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groendraad.metrics import diff_versions, publish

from . import hospital
from .conftest import MARCH_2023

CLI = str(Path(sys.executable).parent / "groendraad")
FIRST = datetime(2024, 1, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def restated(staged: Path) -> Path:
    """March 2023 published twice: a late weighing of 250 kg paper in the second."""
    publish(staged, "tiny-umc", [MARCH_2023], published_at=FIRST)
    corrected = [*hospital.WASTE, ("15 01 01", False, "Recycling", 250.0)]
    hospital.stage(staged, MARCH_2023, "waste", hospital.waste(MARCH_2023, corrected))
    publish(staged, "tiny-umc", [MARCH_2023], published_at=FIRST + timedelta(days=30))
    (staged / "groendraad.yaml").write_text("institution: {id: tiny-umc}\n", encoding="utf-8")
    return staged


def diff(root: Path, *args: str) -> str:
    command = [CLI, "metrics", "diff", "--month", str(MARCH_2023), "--warehouse", str(root)]
    command += ["--config", str(root / "groendraad.yaml"), *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_text_form_fits_80_columns_and_names_old_new_and_why(restated: Path) -> None:
    text = diff(restated)
    assert max(len(line) for line in text.splitlines()) <= 80, text
    assert text.startswith("2023-03: version 1 -> 2: ")
    assert "waste.total_kg | institution\n  1,700.00 -> 1,950.00 kg (+250.00, +14.7%)" in text
    assert "activity data; sources: waste" in text


def test_csv_and_json_hold_every_changed_figure_with_every_column(restated: Path) -> None:
    expected = diff_versions(restated, MARCH_2023, 1, 2)
    rows = list(csv.DictReader(io.StringIO(diff(restated, "--format", "csv"))))
    records = json.loads(diff(restated, "--format", "json", "--limit", "1"))
    assert len(rows) == len(records) == expected.height > 1
    assert set(rows[0]) == set(records[0]) == set(expected.columns)
    total = next(
        r for r in records if r["metric"] == "waste.total_kg" and r["level"] == "institution"
    )
    assert (total["value_old"], total["value_new"], total["reason"]) == (
        1700.0,
        1950.0,
        "activity data",
    )
    by_csv = next(
        r for r in rows if r["metric"] == "waste.total_kg" and r["level"] == "institution"
    )
    assert float(by_csv["value_new"]) == 1950.0 and by_csv["period"] == "2023-03-01"
