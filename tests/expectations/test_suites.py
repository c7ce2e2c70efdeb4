"""The suites as data: one per staging table, well-formed, and no check lost silently."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from groendraad.expectations import frames
from groendraad.expectations.suite import SCHEMA_FRAME, suites
from groendraad.warehouse.schema import tables

SNAPSHOT = Path(__file__).parent / "suites_snapshot.txt"
NAMED_VALUE_SETS = {"eural_codes", "departments", "cost_centres", "month"}


def test_one_suite_per_staging_table() -> None:
    assert list(suites()) == list(tables())
    for name, suite in suites().items():
        assert suite.source == tables()[name].source
        assert suite.expectations[0].frame == SCHEMA_FRAME


def test_every_check_is_well_formed() -> None:
    for suite in suites().values():
        for spec in suite.expectations:
            assert spec.id.startswith(f"{suite.table}."), spec.id
            assert spec.severity in ("blocking", "warning"), spec.id
            assert len(spec.meaning) > 20, spec.id
            assert spec.frame in (None, SCHEMA_FRAME, *frames.BUILDERS), spec.id
            assert spec.value_set in (None, *NAMED_VALUE_SETS), spec.id


def test_every_expectation_exists_in_great_expectations(engine: object) -> None:
    for suite in suites().values():
        for spec in suite.expectations:
            kwargs = dict(spec.kwargs)
            if spec.value_set:
                kwargs["value_set"] = ["x"]
            assert engine.expectation(spec, kwargs) is not None  # type: ignore[attr-defined]


def test_suites_match_the_committed_snapshot() -> None:
    """Removing or weakening a check must be a visible change of this file."""
    current = [
        f"{spec.id} {spec.severity} {spec.expect}"
        for suite in suites().values()
        for spec in suite.expectations
    ]
    assert current == SNAPSHOT.read_text(encoding="utf-8").splitlines()


def test_personal_tables_redact_personnel_numbers() -> None:
    for name, table in tables().items():
        if table.personal:
            assert "employee_id" in suites()[name].redact
            assert "employee_id" not in suites()[name].locate


@pytest.mark.parametrize("module", ["groendraad.expectations", "groendraad.cli"])
def test_importing_does_not_import_great_expectations(module: str) -> None:
    script = f"import sys, {module}; assert 'great_expectations' not in sys.modules"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
