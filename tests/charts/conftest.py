"""Fixtures: a small synthetic publication and the site rendered from it (once per run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from groendraad.charts import SiteReport, render_site

from . import synthetic


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("warehouse")
    return synthetic.publish(root)


@pytest.fixture(scope="session")
def site(warehouse: Path) -> SiteReport:
    return render_site(warehouse, institution_name="Synthetisch UMC")
