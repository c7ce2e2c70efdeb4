"""Session fixtures: three demo hospitals (seeds 11, 12, 13) through the real pipeline.

Two months each keep the session short. Their exports are written once; sizes are
given by scaling (see demo.py): seed 11 as it is, seed 12 at 0.6, seed 13 at 1.5.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from groendraad.months import Month
from groendraad.nfu.check import read_export
from groendraad.nfu.export import ExportResult, export_warehouse
from groendraad.nfu.scaled import scaled_copy

from .demo import DemoInstitution, build

FIRST, LAST = Month(2025, 9), Month(2025, 10)
SEEDS = (11, 12, 13)
SIZES = {11: 1.0, 12: 0.6, 13: 1.5}
ERIC_FILE = Path(__file__).resolve().parents[3] / "shared" / "data" / "nhs-eric" / "ERIC_Site.csv"


@pytest.fixture(scope="session")
def demos(tmp_path_factory: pytest.TempPathFactory) -> dict[int, DemoInstitution]:
    """The three demo hospitals, gathered and published one after the other."""
    base = tmp_path_factory.mktemp("nfu-demos")
    return {seed: build(base / f"seed-{seed}", seed, FIRST, LAST) for seed in SEEDS}


@pytest.fixture(scope="session")
def exports(
    demos: dict[int, DemoInstitution], tmp_path_factory: pytest.TempPathFactory
) -> dict[int, ExportResult]:
    """Each demo hospital's NFU export of its two months."""
    out = tmp_path_factory.mktemp("nfu-exports")
    return {
        seed: export_warehouse(
            demo.warehouse, demo.institution, f"Demo UMC {seed}", out, months=list(demo.months)
        )
        for seed, demo in demos.items()
    }


@pytest.fixture(scope="session")
def sized_exports(
    exports: dict[int, ExportResult], tmp_path_factory: pytest.TempPathFactory
) -> list[Path]:
    """Three institutions of different seeds and sizes (sizes by scaling, see demo.py)."""
    out = tmp_path_factory.mktemp("nfu-sized")
    paths = []
    for seed, result in exports.items():
        export = read_export(result.path)
        name = f"umc-{seed}-x{SIZES[seed]:g}"
        paths.append(scaled_copy(export, out, name, SIZES[seed]))
    return paths


@pytest.fixture(scope="session")
def eric_file() -> Path:
    if not ERIC_FILE.is_file():
        # CI runs with shared/ beside the checkout: there a missing file is a failure
        if os.environ.get("CI"):
            pytest.fail(f"the NHS ERIC file is not here: {ERIC_FILE}")
        pytest.skip(f"the NHS ERIC file is not here: {ERIC_FILE}")
    return ERIC_FILE
