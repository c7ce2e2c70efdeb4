"""The two yearly reports of the demo hospital for 2024 against an independent
computation from its metrics mart (DuckDB): every figure with a metric behind it."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow
CLI = str(Path(sys.executable).parent / "groendraad")
RANK = ["measured", "mixed", "estimated", "missing"]


def to_form_unit(metric: str, unit: str) -> float:
    """The conversion a form's unit implies, derived here from the two units."""
    if unit == "MWh":
        return 1 / 3.6 if metric.endswith("_gj") else 1 / 1000
    if unit in {"t", "t CO2e"}:
        return 1 / 1000
    if unit in {"FTE", "m2"}:
        return 1 / 12  # a yearly average of a monthly stock
    return 1.0


@pytest.fixture(scope="module")
def demo_2024(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo-2024") / "hospital"
    command = [CLI, "demo", "--out", str(out), "--from", "2024-01", "--to", "2024-12"]
    done = subprocess.run(
        [*command, "--fault-rate", "0"], capture_output=True, text=True, timeout=900,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.mark.parametrize("form", ["esrs", "milieubarometer"])
def test_the_demo_reports_for_2024_match_the_mart(demo_2024: Path, form: str) -> None:
    config, warehouse = demo_2024 / "groendraad.yaml", demo_2024 / "warehouse"
    command = [CLI, "report", form, "--year", "2024", "--config", str(config)]
    done = subprocess.run([*command, "--warehouse", str(warehouse)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    mart = str(warehouse / "marts" / "metrics_current.parquet")
    path = warehouse / "reports" / f"{form}_demo-umc_2024.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    measured = [r for r in rows if r["metric"] and ":" not in r["metric"]]
    assert len(measured) > 10
    for row in measured:
        total, months, qualities = independent(mart, row["metric"], row["category"] or None)
        if months < 12:  # not delivered, or not every month: missing, never 0
            assert (row["value"], row["quality"]) == ("", "missing"), row
            continue
        expected = total * to_form_unit(row["metric"], row["unit"])
        assert float(row["value"]) == pytest.approx(expected), row
        assert row["quality"] == max(qualities, key=RANK.index), row
    assert sum(r["quality"] != "missing" for r in measured) > 10


def independent(mart: str, metric: str, category: str | None) -> tuple:
    with duckdb.connect() as db:
        return db.execute(
            "select coalesce(sum(value), 0), count(distinct period) filter (value is not null),"
            " list(distinct quality) from read_parquet(?) where level = 'institution'"
            " and metric = ? and category is not distinct from ? and year(period) = 2024",
            [mart, metric, category],
        ).fetchone()
