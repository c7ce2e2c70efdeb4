"""Targets: trajectory, projection, the verdict rule and the progress table."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from groendraad.metrics import load_targets, progress
from groendraad.metrics.compute import CONTRACT_SCHEMA
from groendraad.metrics.store import write_version
from groendraad.metrics.targets import (
    AT_RISK,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    Target,
    december,
    projection,
    trajectory,
    verdict,
)
from groendraad.months import Month, month_range

CO2 = Target(
    id="co2", title="CO2", citation="test", measure={"metric": "co2e.total_location_kg"},
    kind="relative", direction="lower", target_year=2030, baseline_year=2018, change_pct=-55,
    milestones=((2026, -30.0),),
)  # fmt: skip
SHARE = Target(
    id="share", title="share", citation="test", measure={"metric": "x"}, kind="level",
    direction="higher", target_year=2026, target_value=50.0,
)  # fmt: skip


def test_trajectory_runs_from_baseline_through_milestones_to_target() -> None:
    assert trajectory(CO2, 100.0, december(2018)) == pytest.approx(100.0)
    assert trajectory(CO2, 100.0, december(2022)) == pytest.approx(85.0)  # halfway to -30%
    assert trajectory(CO2, 100.0, december(2026)) == pytest.approx(70.0)
    assert trajectory(CO2, 100.0, december(2028)) == pytest.approx(57.5)
    assert trajectory(CO2, 100.0, december(2031)) == pytest.approx(45.0)
    assert trajectory(CO2, 100.0, december(2017)) is None
    assert trajectory(CO2, None, december(2020)) is None
    assert trajectory(SHARE, None, december(2020)) == 50.0


def test_annual_rate_compounds_from_the_baseline() -> None:
    energy = replace(CO2, kind="annual_rate", baseline_year=2019, rate_pct=-2.0, milestones=())
    assert trajectory(energy, 100.0, december(2021)) == pytest.approx(100 * 0.98**2)
    assert energy.goal(100.0) == pytest.approx(100 * 0.98**11)


def test_projection_is_a_linear_trend_of_the_last_months() -> None:
    indices = list(range(2400, 2430))
    actuals = [1000.0 - 2 * (i - 2400) for i in indices]
    assert projection(indices, actuals, 2450) == pytest.approx(1000.0 - 2 * 50)
    assert projection(indices[:23], actuals[:23], 2450) is None  # under 24 months
    gappy = [None if i % 2 else a for i, a in enumerate(actuals)]
    assert projection(indices, gappy, 2450) is None  # only 15 months with a value


@pytest.mark.parametrize(
    ("actual", "path", "projected", "expected"),
    [
        (80.0, 80.0, 45.0, ON_TRACK),  # projection meets 45, actual on the path
        (80.0, 78.0, 44.0, ON_TRACK),  # 2 behind = 3.6% of the gap of 55
        (80.0, 70.0, 44.0, AT_RISK),  # projection meets, but 10 behind = 18% of the gap
        (80.0, 80.0, 55.0, AT_RISK),  # misses by 10 = 18% of the gap
        (80.0, 80.0, 60.0, OFF_TRACK),  # misses by 15 = 27% of the gap
        (80.0, 75.0, None, AT_RISK),  # no trend: 5 behind the path = 9% of the gap
        (80.0, 80.0, None, ON_TRACK),
        (None, 80.0, 45.0, NO_DATA),
    ],
)
def test_verdict_rule(actual, path, projected, expected) -> None:
    assert verdict(CO2, actual, 100.0, path, projected)[0] == expected


def test_verdict_needs_the_baseline_and_its_year() -> None:
    assert verdict(CO2, 80.0, None, None, 40.0)[0] == NO_DATA
    assert verdict(CO2, 80.0, 100.0, None, 40.0) == (NO_DATA, "before the end of the baseline year")
    assert verdict(SHARE, 55.0, None, 50.0, 60.0)[0] == ON_TRACK


def _publish_series(root: Path, metric: str, values: dict[Month, float]) -> None:
    """Publish one institution figure per month directly (as publish would store it)."""
    for month, amount in values.items():
        row = {c: None for c in CONTRACT_SCHEMA}
        row |= {"institution": "t", "period": month.first_day, "metric": metric, "value": amount,
                "level": "institution", "quality": "measured"}  # fmt: skip
        frame = pl.DataFrame([row], schema=CONTRACT_SCHEMA)
        write_version(root, month, frame, 1, datetime(2030, 1, 1, tzinfo=UTC))


def test_progress_table_from_published_figures(tmp_path: Path) -> None:
    months = month_range(Month(2018, 1), Month(2021, 12))
    # 1000 a month in 2018, then 10 less every month
    series = {m: 1000.0 - 10 * max(0, (m.year - 2018) * 12 + m.month - 12) for m in months}
    _publish_series(tmp_path, "co2e.total_location_kg", series)
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        "targets:\n"
        "  - {id: co2, title: CO2, citation: test, measure: {metric: co2e.total_location_kg},\n"
        "     kind: relative, direction: lower, baseline_year: 2018, target_year: 2030,\n"
        "     change_pct: -55, milestones: [{year: 2026, change_pct: -30}]}\n"
    )
    table = progress(tmp_path, targets_path=targets)
    by_month = {r["period"]: r for r in table.iter_rows(named=True)}
    first = by_month[Month(2018, 12).first_day]
    assert first["actual"] == pytest.approx(12_000.0)
    assert first["baseline"] == pytest.approx(12_000.0)
    assert first["target_value"] == pytest.approx(12_000 * 0.45)
    assert by_month[Month(2018, 11).first_day]["actual"] is None  # needs 12 months
    last = by_month[Month(2021, 12).first_day]
    assert last["actual"] == pytest.approx(sum(series[m] for m in months[-12:]))
    assert last["trajectory"] == pytest.approx(12_000 - 3 / 8 * (12_000 * 0.30))
    # -120 a month on the 12-month sum: 12,000 - 120 x 36 = 7,680 by December 2021,
    # and by 2030 the trend is far below the target of 5,400
    assert last["projected"] < 5_400
    assert last["verdict"] == ON_TRACK
    assert set(table["verdict"]) <= {ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA}
    rebased = progress(tmp_path, targets_path=targets, base_years={"co2": 2019})
    assert rebased["baseline_year"].unique().to_list() == [2019]


def test_the_shipped_targets_cover_the_issue() -> None:
    ids = {t.id for t in load_targets()}
    assert {"co2_2030", "primary_materials_2030", "medicine_waste_minus_20", "recycled_share",
            "residual_waste_2026", "green_commuting_near_home", "energy_efficiency",
            "plant_protein_50"} <= ids  # fmt: skip
    co2 = next(t for t in load_targets() if t.id == "co2_2030")
    assert (co2.baseline_year, co2.target_year, co2.change_pct) == (2018, 2030, -55)
    assert co2.milestones == ((2026, -30.0),)
    assert all(t.citation for t in load_targets())
