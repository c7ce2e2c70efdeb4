"""The NFU benchmark on the demo hospital, for ``groendraad demo`` and benchmarks/nfu.py.

One demo hospital cannot be compared with itself, so besides its own export the
showcase writes two scaled copies of it (clearly named demo copies, see scaled.py)
and benchmarks the three, with the NHS ERIC hospitals as peers when the file is there.
"""

from __future__ import annotations

from pathlib import Path

from groendraad.metrics import read_metrics
from groendraad.months import Month
from groendraad.nfu.check import read_export
from groendraad.nfu.export import ExportResult, export_warehouse
from groendraad.nfu.run import BenchmarkRun, run_benchmark
from groendraad.nfu.scaled import scaled_copy

# (id suffix, size, intensity): a smaller, less efficient and a larger, more efficient UMC
COPIES = (("small", 0.6, 1.15), ("large", 1.4, 0.9))
ERIC_BESIDE_REPO = Path(__file__).resolve().parents[2] / "shared/data/nhs-eric/ERIC_Site.csv"


def latest_year(root: Path) -> int:
    """The latest year with a published month."""
    periods = read_metrics(root)["period"]
    return Month.of(periods.max()).year  # type: ignore[arg-type]


def demo_exports(root: Path, institution: str, name: str, out: Path) -> list[Path]:
    """The demo hospital's export of its latest year plus its two scaled copies."""
    result: ExportResult = export_warehouse(root, institution, name, out, year=latest_year(root))
    export = read_export(result.path)
    copies = [
        scaled_copy(export, out, f"{institution}-{suffix}", size, intensity)
        for suffix, size, intensity in COPIES
    ]
    return [result.path, *copies]


def demo_benchmark(
    root: Path, institution: str, name: str, out: Path, eric: Path | None = None
) -> BenchmarkRun:
    """Export, copy and benchmark; ``out/exports`` and ``out/benchmark``."""
    exports = demo_exports(root, institution, name, out / "exports")
    peers = eric or (ERIC_BESIDE_REPO if ERIC_BESIDE_REPO.is_file() else None)
    return run_benchmark(exports, out / "benchmark", eric_path=peers)
