"""No small group can be derived from the published figures, and shares are true.

The generated hospital has the demo's structure (four divisions and a support division,
~50 departments of every size, a project office outside the organisation). Before
disclosure control, institution minus its divisions gave groups of 1-4 commuters, and
department green shares left small groups out of their denominators.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from groendraad.metrics.catalogue import load_catalogue
from groendraad.metrics.disclosure import load_policy
from groendraad.warehouse import staging

from . import attack, generated
from .conftest import compute


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    generated.stage(root)
    return root


@pytest.fixture(scope="module")
def published(staged: Path) -> pl.DataFrame:
    return compute(staged, list(generated.MONTHS))


def test_the_subtraction_attack_finds_no_small_group(published: pl.DataFrame) -> None:
    leaks = attack.attack(published, load_policy().threshold)
    assert leaks == []


def test_the_attack_finds_small_groups_behind_primary_suppression_alone(staged: Path) -> None:
    # the attack has teeth: every department x mode cell of 5 or more people and the true
    # department totals (primary suppression only, computed here from staging) reveal
    # small groups by subtraction
    cells = _full_cells(staged)
    totals = cells.group_by("period", "level", "division", "department", "metric").agg(
        pl.col("value").sum(), pl.col("people").sum()
    )
    shown = pl.concat([cells.filter(pl.col("people") >= 5), totals], how="diagonal_relaxed")
    leaks = attack.attack(shown)
    assert len(leaks) > 10
    assert {leak.relation for leak in leaks} == {"total-modes"}


def _full_cells(staged: Path) -> pl.DataFrame:
    """Every department x mode commuting cell, small ones too (what must never be out)."""
    frame = (
        _internal(staged)
        .group_by("period", "department", "division", "mode")
        .agg(pl.col("commute_km").sum().alias("value"), pl.len().alias("people"))
    )
    return frame.select(
        "period", pl.lit("department").alias("level"), "division", "department",
        pl.lit("mobility.commuting_km").alias("metric"), pl.col("mode").alias("category"),
        "value", pl.col("people").cast(pl.Int64),
    )  # fmt: skip


def _internal(staged: Path) -> pl.DataFrame:
    """Commuters with their division, read back from staging Parquet by DuckDB."""
    con = duckdb.connect()
    con.register("commuting", staging.scan(staged, "commuting").collect().to_arrow())
    con.register("organisation", staging.scan(staged, "organisation").collect().to_arrow())
    sql = """
        select c.*, o.division, cast(c.month || '-01' as date) as period
        from commuting c
        left join (select distinct month, department, division from organisation) o
          on o.month = c.month and o.department = c.department
    """
    try:
        return con.sql(sql).pl()
    finally:
        con.close()


@pytest.mark.parametrize("level", ["institution", "division", "department"])
def test_green_shares_equal_the_full_data(
    published: pl.DataFrame, staged: Path, level: str
) -> None:
    green = load_catalogue().parameters["green_modes"]
    keys = {"institution": [], "division": ["division"], "department": ["department"]}[level]
    people = _internal(staged).filter(*[pl.col(k).is_not_null() for k in keys] or [True])
    truth = people.group_by("period", *keys).agg(
        (pl.col("mode").is_in(green).mean() * 100).alias("truth"), pl.len().alias("n")
    )
    shares = published.filter(
        (pl.col("metric") == "mobility.green_share_pct") & (pl.col("level") == level)
    ).select("period", *keys, "value", "people")
    assert shares.height > 0
    joined = shares.join(truth, on=["period", *keys], how="left")
    assert joined["truth"].null_count() == 0
    assert (joined["value"] - joined["truth"]).abs().max() < 1e-9
    assert (joined["people"] == joined["n"]).all()
    assert joined["people"].min() >= load_policy().threshold
