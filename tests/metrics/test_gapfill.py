"""Gap filling on and off, estimates as their own layer, restatement by a real delivery."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from groendraad.metrics import publish, read_metrics
from groendraad.metrics.gapfill import estimates_file, read_estimates
from groendraad.metrics.store import list_versions
from groendraad.months import Month, month_range
from groendraad.warehouse import staging

from . import hospital

MONTHS = month_range(Month(2021, 1), Month(2023, 3))
GAP = Month(2023, 3)
WASTE_KG = sum(w[3] for w in hospital.WASTE)  # 1,700 kg a month before scaling


def growth(month: Month) -> float:
    """Waste grows 1% a month, so the 12-month trend is not 1."""
    return 1.01 ** ((month.year - 2021) * 12 + month.month - 1)


def waste_lines(month: Month) -> list:
    return [(e, h, r, kg * growth(month)) for e, h, r, kg in hospital.WASTE]


def stage_history(root: Path, skip: Month | None = GAP) -> None:
    for month in MONTHS:
        hospital.stage_month(root, month, skip=("waste",))
        if month != skip:
            hospital.stage(root, month, "waste", hospital.waste(month, waste_lines(month)))


def _row(figures: pl.DataFrame, metric: str, month: Month) -> dict:
    rows = figures.filter(
        (pl.col("metric") == metric)
        & (pl.col("level") == "institution")
        & pl.col("category").is_null()
        & (pl.col("period") == month.first_day)
    )
    assert rows.height == 1
    return rows.row(0, named=True)


def expected_estimate() -> float:
    """Same month last year x (12 months before the gap / the 12 before those)."""
    last = sum(WASTE_KG * growth(m) for m in month_range(Month(2022, 3), Month(2023, 2)))
    before = sum(WASTE_KG * growth(m) for m in month_range(Month(2021, 3), Month(2022, 2)))
    return WASTE_KG * growth(Month(2022, 3)) * last / before


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gapfill")
    stage_history(root)
    return root


def _copy(source: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(source / "staging", target / "staging")
    return target


def test_without_filling_the_gap_is_missing_and_says_why(history: Path, tmp_path: Path) -> None:
    root = _copy(history, tmp_path)
    publish(root, "tiny-umc", gap_filling="none")
    figures = read_metrics(root)
    waste = _row(figures, "waste.total_kg", GAP)
    assert (waste["value"], waste["quality"]) == (None, "missing")
    assert waste["quality_reason"] == "waste 2023-03: not delivered"
    total = _row(figures, "co2e.total_location_kg", GAP)
    assert total["value"] is None and total["quality"] == "missing"
    assert not estimates_file(root, GAP).exists()


def test_filling_estimates_the_same_month_last_year_times_the_trend(
    history: Path, tmp_path: Path
) -> None:
    root = _copy(history, tmp_path)
    publish(root, "tiny-umc", gap_filling="same_month_last_year_trend")
    figures = read_metrics(root)
    waste = _row(figures, "waste.total_kg", GAP)
    assert waste["value"] == pytest.approx(expected_estimate())
    assert (waste["quality"], waste["method"]) == ("estimated", "same_month_last_year_trend")
    assert waste["quality_reason"] == "estimated (gap filling) for waste 2023-03: not delivered"
    # the totals over an estimated scope are estimated, never measured or mixed
    total = _row(figures, "co2e.total_location_kg", GAP)
    assert total["quality"] == "estimated" and total["value"] is not None
    ratio = _row(figures, "waste.kg_per_bed_day", GAP)
    assert ratio["quality"] == "estimated"
    assert ratio["value"] == pytest.approx(expected_estimate() / 2000.0)
    # the estimates are their own layer, with method and inputs, never in staging
    kept = pl.read_parquet(estimates_file(root, GAP))
    row = kept.filter(
        (pl.col("metric") == "waste.total_kg") & (pl.col("level") == "institution")
    ).row(0, named=True)
    assert row["base_period"] == Month(2022, 3).first_day
    assert row["base_value"] == pytest.approx(WASTE_KG * growth(Month(2022, 3)))
    assert row["trend"] == pytest.approx(expected_estimate() / row["base_value"])
    assert "2022-03..2023-02" in row["trend_basis"]
    assert GAP not in staging.staged_months(root, "waste_collections")
    # months with their delivery are untouched
    assert _row(figures, "waste.total_kg", Month(2023, 2))["quality"] == "measured"


def test_a_real_delivery_restates_an_estimated_month(history: Path, tmp_path: Path) -> None:
    root = _copy(history, tmp_path)
    publish(
        root,
        "tiny-umc",
        gap_filling="same_month_last_year_trend",
        published_at=datetime(2023, 4, 5, tzinfo=UTC),
    )
    hospital.stage(root, GAP, "waste", hospital.waste(GAP, waste_lines(GAP)))
    report = publish(root, "tiny-umc", [GAP], gap_filling="same_month_last_year_trend")
    assert report.published == {GAP: 2}
    waste = _row(read_metrics(root), "waste.total_kg", GAP)
    assert waste["value"] == pytest.approx(WASTE_KG * growth(GAP))
    assert waste["quality"] == "measured"
    assert not estimates_file(root, GAP).exists()
    assert read_estimates(root).is_empty()
    # the estimated version stays readable
    as_estimated = read_metrics(root, as_of=datetime(2023, 4, 6, tzinfo=UTC))
    assert _row(as_estimated, "waste.total_kg", GAP)["quality"] == "estimated"
    assert list_versions(root, GAP)["version"].to_list() == [1, 2]


TARGETS = (
    "targets:\n"
    "  - {id: waste, title: Waste, citation: test, measure: {metric: waste.total_kg},\n"
    "     kind: relative, direction: lower, baseline_year: 2022, target_year: 2030,\n"
    "     change_pct: -10}\n"
)


@pytest.mark.parametrize("method", ["none", "same_month_last_year_trend"])
def test_target_windows_over_gaps(history: Path, tmp_path: Path, method: str) -> None:
    from groendraad.metrics import progress

    root = _copy(history, tmp_path)
    second_gap = Month(2022, 6)
    staging.month_file(root, "waste_collections", second_gap).unlink()
    staging.month_file(root, "waste_totals", second_gap).unlink()
    publish(root, "tiny-umc", gap_filling=method)
    targets = tmp_path / "targets.yaml"
    targets.write_text(TARGETS)
    table = progress(root, targets_path=targets)
    at = {r["period"]: r for r in table.iter_rows(named=True)}
    last, dec = at[GAP.first_day], at[Month(2022, 12).first_day]
    if method == "none":
        assert last["actual"] is None and last["verdict"] == "no data"
        assert (
            "no actual: 2022-06, 2023-03 missing (waste 2022-06: not delivered)" in last["reason"]
        )
        assert "no baseline: 2022-06 missing" in last["reason"]
        assert dec["actual"] is None and "2022-06 missing" in dec["reason"]
        return
    # independent: the real months, the estimate of 2023-03, and 2022-06 from 2021-06 (trend
    # 1: fewer than 24 months before it)
    estimate_june = WASTE_KG * growth(Month(2021, 6))
    real = [m for m in month_range(Month(2022, 4), Month(2023, 2)) if m != second_gap]
    expected = sum(WASTE_KG * growth(m) for m in real) + estimate_june
    figures = read_metrics(root)
    estimate_march = _row(figures, "waste.total_kg", GAP)["value"]
    assert last["actual"] == pytest.approx(expected + estimate_march)
    assert last["months_estimated"] == 2
    assert last["estimated_months"] == "2022-06, 2023-03"
    assert "2 of 12 months estimated (2022-06, 2023-03)" in last["reason"]
    assert last["baseline_estimated_months"] == "2022-06"
    assert "baseline 1 of 12 months estimated (2022-06)" in last["reason"]
    assert last["verdict"] != "no data"
    # every 12-month actual is the sum of its 12 published months: nothing more moves it
    monthly = {
        r["period"]: r["value"]
        for r in figures.filter(
            (pl.col("metric") == "waste.total_kg")
            & (pl.col("level") == "institution")
            & pl.col("category").is_null()
        ).iter_rows(named=True)
    }
    for month in month_range(Month(2021, 12), GAP):
        window = month_range(Month(month.year - 1, month.month).next(), month)
        assert at[month.first_day]["actual"] == pytest.approx(
            sum(monthly[m.first_day] for m in window)
        )


def test_the_method_is_configured_and_checked() -> None:
    from groendraad.errors import ConfigError
    from groendraad.metrics.gapfill import configured_method

    assert configured_method({}) == "none"
    assert configured_method({"gap_filling": {"method": "same_month_last_year_trend"}}) == (
        "same_month_last_year_trend"
    )
    with pytest.raises(ConfigError, match="gap_filling.method: 'last_year' is not one of"):
        configured_method({"gap_filling": {"method": "last_year"}})


def test_the_demo_runs_with_gap_filling_on() -> None:
    import yaml

    from groendraad.metrics.gapfill import configured_method

    demo = Path(__file__).resolve().parents[2] / "groendraad" / "demo" / "demo.yaml"
    assert configured_method(yaml.safe_load(demo.read_text())) == "same_month_last_year_trend"
