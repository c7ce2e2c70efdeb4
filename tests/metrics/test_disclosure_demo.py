"""The subtraction attack on everything the demo hospital publishes for its months.

The real pipeline (generate, serve, gather, validate, stage, publish, pages, NFU
export) on two months of the demo hospital; the attacker gets the metrics mart, the
monthly data embedded in the mobility page and the NFU export, alone and together.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from groendraad.charts import render_site
from groendraad.config import load_config
from groendraad.demo import DemoServer, generate
from groendraad.metrics import read_metrics
from groendraad.metrics.disclosure import load_policy
from groendraad.months import Month, month_range
from groendraad.nfu.check import read_export
from groendraad.nfu.export import export_warehouse
from groendraad.runner import run_months

from . import attack

pytestmark = pytest.mark.slow
MONTHS = month_range(Month(2026, 10), Month(2026, 11))
TOKEN, API_KEY = "disclosure-test-token", "disclosure-test-key"
COLUMNS = ["period", "level", "division", "department", "metric", "category", "value", "people"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo hospital's warehouse after a run of MONTHS (pages written by the run)."""
    out = tmp_path_factory.mktemp("demo-disclosure")
    generated = generate(out, MONTHS[0], MONTHS[-1], seed=7, fault_rate=0.0)
    names = ("GROENDRAAD_DEMO_URL", "GROENDRAAD_DEMO_ENERGY_TOKEN", "GROENDRAAD_DEMO_FOOD_API_KEY")
    saved = {name: os.environ.get(name) for name in names}
    with DemoServer(generated, token=TOKEN, api_key=API_KEY) as server:
        os.environ.update(dict(zip(names, (server.url, TOKEN, API_KEY), strict=True)))
        try:
            report = run_months(load_config(out / "groendraad.yaml"), out / "warehouse", MONTHS)
        finally:
            for name, value in saved.items():
                os.environ.pop(name) if value is None else os.environ.update({name: value})
    assert report.ok, [r.error for r in report.failures]
    if not (out / "warehouse" / "site" / "theme" / "mobility.html").is_file():
        render_site(out / "warehouse")
    return out / "warehouse"


@pytest.fixture(scope="module")
def artifacts(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, pl.DataFrame]:
    mart = read_metrics(demo).select(COLUMNS)
    out = tmp_path_factory.mktemp("demo-nfu")
    export = export_warehouse(demo, "demo-umc", "Demo UMC", out, months=list(MONTHS))
    nfu = read_export(export.path).frame.with_columns(department=pl.lit(None, pl.String))
    return {
        "mart": mart,
        "pages": attack.site_rows(demo / "site"),
        "nfu": nfu.select(COLUMNS).with_columns(pl.col("people").cast(pl.Int64)),
    }


@pytest.mark.parametrize("names", [("mart",), ("nfu",), ("pages",), ("mart", "pages", "nfu")])
def test_no_output_alone_or_together_reveals_a_small_group(artifacts, names) -> None:
    rows = pl.concat([artifacts[n] for n in names], how="diagonal_relaxed")
    assert attack.attack(rows, load_policy().threshold) == []


def test_the_attacked_outputs_hold_mobility_figures(artifacts) -> None:
    for name, rows in artifacts.items():
        mobility = rows.filter(pl.col("metric").str.starts_with("mobility."))
        assert mobility.height > 10, name
    departments = artifacts["mart"].filter(
        (pl.col("level") == "department") & (pl.col("metric") == "mobility.commuting_km")
    )
    assert departments["category"].drop_nulls().n_unique() >= 5
