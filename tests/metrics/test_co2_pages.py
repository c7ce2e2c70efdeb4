"""The CO2 page and the overview show both series and say, in Dutch and English, how
much of the reduction the hospital did and how much the factors (the grid) did."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from groendraad.charts import render_site
from groendraad.metrics import publish
from groendraad.metrics.decomposition import decomposition_file
from groendraad.months import Month

from . import hospital


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("co2-pages")
    for year in (2018, 2025):
        for month in range(1, 13):
            hospital.stage_month(root, Month(year, month))
    publish(root, "tiny-umc")
    render_site(root, institution_name="Tiny UMC")
    return root


def test_the_decomposition_mart_adds_up(published: Path) -> None:
    table = pl.read_parquet(decomposition_file(published))
    since = table.filter(
        (pl.col("metric") == "co2e.total_location_kg")
        & (pl.col("window") == "2025")
        & (pl.col("base") == "2018")
    ).row(0, named=True)
    # the same use in both years: all of the change is the factors', none the hospital's
    assert since["activity_effect_kg"] == pytest.approx(0.0, abs=1e-6)
    assert since["factor_effect_kg"] == pytest.approx(since["change_kg"])
    assert since["change_kg"] < 0
    assert since["fixed_factor_year"] == 2018


@pytest.mark.parametrize(
    ("page", "words"),
    [
        ("theme/co2e.html", ["door het eigen energiegebruik", "schonere Nederlandse stroommix"]),
        ("en/theme/co2e.html", ["own energy use, waste and travel", "cleaner Dutch grid"]),
        ("index.html", ["Wat deed het ziekenhuis, wat deed de stroommix?"]),
        ("en/index.html", ["What did the hospital do, what did the grid do?"]),
    ],
)
def test_pages_say_who_did_the_reduction(published: Path, page: str, words: list[str]) -> None:
    html = (published / "site" / page).read_text(encoding="utf-8")
    for word in words:
        assert word in html, word
    split = re.search(r'<p class="factor-split">(.*?)</p>', html)
    assert split is not None
    assert "2018" in split.group(1)


def test_the_co2_page_shows_both_series(published: Path) -> None:
    html = (published / "site" / "en" / "theme" / "co2e.html").read_text(encoding="utf-8")
    assert "Total CO₂ (location-based), fixed factors" in html
    assert "each year&#x27;s own factors" in html or "each year's own factors" in html
    assert "not repeat" in html or "is not extrapolated" in html
