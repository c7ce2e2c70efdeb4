"""Fixtures: the tiny hospital staged for a month, and its computed metrics."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from groendraad.metrics.catalogue import load_catalogue
from groendraad.metrics.compute import compute_metrics
from groendraad.metrics.emission_settings import EmissionSettings
from groendraad.metrics.factors import factor_set_version, load_factors
from groendraad.metrics.inputs import load_inputs
from groendraad.months import Month

from . import hospital

MARCH_2023 = Month(2023, 3)


def compute(root: Path, months: list[Month], **options) -> pl.DataFrame:
    """The metrics table of ``months`` of a staged warehouse."""
    return compute_metrics(
        load_inputs(root, months),
        "tiny-umc",
        catalogue=load_catalogue(),
        factors=options.pop("factors", load_factors()),
        factor_set=factor_set_version(),
        fixed_year=options.pop("fixed_year", EmissionSettings().fixed_year),
        **options,
    )


@pytest.fixture
def staged(tmp_path: Path) -> Path:
    """A warehouse with every source of the tiny hospital staged for March 2023."""
    hospital.stage_month(tmp_path, MARCH_2023)
    return tmp_path


@pytest.fixture
def figures(staged: Path) -> pl.DataFrame:
    return compute(staged, [MARCH_2023])


def pick(
    frame: pl.DataFrame,
    metric: str,
    *,
    level: str = "institution",
    department: str | None = None,
    division: str | None = None,
    category: str | None = None,
) -> dict:
    """The one row of a figure (asserts it is there exactly once)."""
    rows = frame.filter(
        (pl.col("metric") == metric)
        & (pl.col("level") == level)
        & pl.col("department").eq_missing(pl.lit(department, pl.String))
        & pl.col("division").eq_missing(pl.lit(division, pl.String))
        & pl.col("category").eq_missing(pl.lit(category, pl.String))
    )
    assert rows.height == 1, f"{metric} {level} {department} {division} {category}: {rows}"
    return rows.row(0, named=True)


def value(frame: pl.DataFrame, metric: str, **where) -> float:
    return pick(frame, metric, **where)["value"]
