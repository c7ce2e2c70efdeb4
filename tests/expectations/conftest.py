"""Shared fixtures of the expectation tests: one GX engine, a staged clean history.

Importing Great Expectations 1.24 on Python 3.11 imports the deprecated ``sre_constants``
and ``sre_parse`` modules (great_expectations/datasource/fluent/data_connector/
file_path_data_connector.py), which warn with a DeprecationWarning. The suite runs with
``filterwarnings = error``; these two messages, and only these, are ignored in
pyproject.toml (validation runs in the pipeline's tests too).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from groendraad.expectations import ValidationOutcome, validate_source_month
from groendraad.expectations import engine as gx_engine
from groendraad.months import Month

from . import clean_month
from .clean_month import MONTH, RUN, Validate


@pytest.fixture(scope="session")
def engine() -> object:
    """The process's GX engine, built once for the whole session."""
    return gx_engine.engine()


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with 12 clean staged months of every source before MONTH."""
    root = tmp_path_factory.mktemp("warehouse")
    clean_month.stage_history(root, MONTH)
    return root


@pytest.fixture
def validate(engine: object, history: Path) -> Validate:
    """Validate frames of a source for MONTH (default) against the staged history."""

    def run(
        source: str,
        frames: dict[str, pl.DataFrame],
        month: Month = MONTH,
        organisation: pl.DataFrame | None = clean_month.ORGANISATION,
        warehouse: Path | None = history,
    ) -> ValidationOutcome:
        return validate_source_month(
            source, month, frames, warehouse=warehouse,
            reference_organisation=organisation, run_id=RUN,
        )  # fmt: skip

    return run
