"""Shared fixture for the demo hospital's tests: one clean generated range."""

from __future__ import annotations

import pytest

from groendraad.demo import GeneratedDemo, generate
from groendraad.months import Month

FIRST, LAST = Month(2024, 10), Month(2025, 3)


@pytest.fixture(scope="session")
def clean_demo(tmp_path_factory: pytest.TempPathFactory) -> GeneratedDemo:
    """Six months of deliveries without injected faults (both waste encodings occur)."""
    return generate(tmp_path_factory.mktemp("demo"), FIRST, LAST, fault_rate=0.0)
