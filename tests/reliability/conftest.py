"""Fixtures of the reliability suite: a small demo hospital's deliveries, a warehouse
gathered from them once, and the hypothesis profiles of the parser fuzzers.

``GROENDRAAD_FUZZ=thorough`` runs each fuzzer on 10,000 inputs (the measurement in
docs/reliability.md); the default profile keeps CI fast.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from groendraad.config import load_config
from groendraad.demo import generate
from groendraad.months import Month
from groendraad.runner import RunReport, run_months
from groendraad.workers import WORKERS_ENV

from .hospital import FILES_CONFIG, Hospital

SEPTEMBER, OCTOBER = Month(2025, 9), Month(2025, 10)
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=_QUIET)
settings.register_profile(
    "thorough", max_examples=10_000, deadline=None, suppress_health_check=_QUIET
)
settings.load_profile(os.environ.get("GROENDRAAD_FUZZ", "ci"))


@pytest.fixture(autouse=True)
def _quiet_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    monkeypatch.setenv("GX_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo hospital's deliveries for September and October 2025 (no faults), with
    a configuration of its file sources only."""
    out = tmp_path_factory.mktemp("hospital")
    generate(out, SEPTEMBER, OCTOBER, seed=15, fault_rate=0.0)
    (out / "files.yaml").write_text(FILES_CONFIG, encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def gathered(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with September and October gathered and published (in-process)."""
    root = tmp_path_factory.mktemp("gathered") / "warehouse"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WORKERS_ENV, "0")
        report = run_months(load_config(generated / "files.yaml"), root, [SEPTEMBER, OCTOBER])
    assert report.ok, [r.error for r in report.failures]
    return root


@pytest.fixture
def hospital(
    generated: Path, gathered: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Hospital]:
    """A copy of the deliveries and of the gathered warehouse, for one test to break."""
    monkeypatch.setenv(WORKERS_ENV, "0")
    shutil.copytree(generated, tmp_path / "hospital")
    shutil.copytree(gathered, tmp_path / "hospital" / "warehouse")
    yield Hospital(tmp_path / "hospital")


def run(hospital: Hospital, month: Month, sources: list[str] | None = None) -> RunReport:
    """Gather ``month`` (of ``sources``) into the hospital's warehouse, in this process."""
    return run_months(hospital.config(), hospital.warehouse, [month], sources=sources)
