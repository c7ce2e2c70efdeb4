"""NFU benchmarking speed: export a demo year, benchmark ten institutions.

    uv run python benchmarks/nfu.py                          # builds a demo year first (minutes)
    uv run python benchmarks/nfu.py --warehouse demo-hospital/warehouse --institution demo-umc

The demo year (2024, seed 7) is gathered and published by the real pipeline, unless
``--warehouse`` names one that is. The ten institutions are scaled copies of its
export (groendraad.nfu.scaled: sizes 0.5 to 1.85, intensities 0.8 to 1.25) with their
own ids. Prints the seconds of each step; the issue's budget is "seconds" for both.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from groendraad.config import load_config
from groendraad.demo import DemoServer, generate
from groendraad.metrics import publish
from groendraad.months import Month, month_range
from groendraad.nfu.check import read_export
from groendraad.nfu.export import export_warehouse
from groendraad.nfu.run import run_benchmark
from groendraad.nfu.scaled import scaled_copy
from groendraad.nfu.showcase import ERIC_BESIDE_REPO
from groendraad.runner import run_months

YEAR, SEED, INSTITUTIONS, REPEAT = 2024, 7, 10, 3
DEMO_SECRET = secrets.token_urlsafe(16)  # the loopback demo server's token and key


def build_demo_year(out: Path) -> tuple[Path, str]:
    """Generate, gather and publish the demo hospital's year; (warehouse, institution)."""
    months = month_range(Month(YEAR, 1), Month(YEAR, 12))
    generated = generate(out, months[0], months[-1], seed=SEED, fault_rate=0.0)
    with DemoServer(generated, token=DEMO_SECRET, api_key=DEMO_SECRET) as server:
        os.environ.update({"GROENDRAAD_DEMO_URL": server.url,
                           "GROENDRAAD_DEMO_ENERGY_TOKEN": DEMO_SECRET,
                           "GROENDRAAD_DEMO_FOOD_API_KEY": DEMO_SECRET})  # fmt: skip
        config = load_config(out / "groendraad.yaml")
        report = run_months(config, out / "warehouse", months)
    if not report.ok:
        raise SystemExit(f"the demo year failed: {[r.error for r in report.failures]}")
    publish(out / "warehouse", config.institution_id)
    return out / "warehouse", config.institution_id


def timed(step: Callable[[], Any], repeat: int = REPEAT) -> tuple[list[float], Any]:
    """Seconds of each of ``repeat`` runs of ``step``, and its last result."""
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        seconds.append(time.perf_counter() - started)
    return seconds, result


def show(label: str, seconds: list[float]) -> None:
    runs = " ".join(f"{s:.2f}" for s in seconds)
    print(f"{label:<44} median {statistics.median(seconds):6.2f} s   (runs: {runs})")


def bench(warehouse: Path, institution: str, work: Path, year: int) -> dict[str, float]:
    """Time the export of ``year`` and a benchmark of ten institutions (with and without ERIC)."""
    seconds, result = timed(lambda: export_warehouse(warehouse, institution, "Demo UMC", work / "x",
                                                     year=year))  # fmt: skip
    size = result.path.stat().st_size
    print(f"export: {len(result.months)} months, {result.rows:,} figures, {size:,} bytes")
    show("export nfu --year (one institution)", seconds)
    base = read_export(result.path)
    ten = [scaled_copy(base, work / "ten", f"umc-{i:02d}", 0.5 + 0.15 * i, 0.8 + 0.05 * i)
           for i in range(INSTITUTIONS)]  # fmt: skip
    plain, run = timed(lambda: run_benchmark(ten, work / "bench"))
    show(f"benchmark of {INSTITUTIONS} institutions", plain)
    print("  steps of the last run: " + ", ".join(f"{k} {v:.2f} s" for k, v in run.seconds.items()))
    figures = {"export_s": statistics.median(seconds), "benchmark_s": statistics.median(plain)}
    if ERIC_BESIDE_REPO.is_file():
        eric, run = timed(
            lambda: run_benchmark(ten, work / "bench-eric", eric_path=ERIC_BESIDE_REPO)
        )
        show(f"benchmark of {INSTITUTIONS} institutions + NHS ERIC peers", eric)
        print(
            "  steps of the last run: "
            + ", ".join(f"{k} {v:.2f} s" for k, v in run.seconds.items())
        )
        figures["benchmark_eric_s"] = statistics.median(eric)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, help="a warehouse with published months")
    parser.add_argument("--institution", default="demo-umc")
    parser.add_argument("--year", type=int, default=YEAR)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="groendraad-nfu-bench-") as tmp:
        work = Path(tmp)
        warehouse, institution = args.warehouse, args.institution
        if warehouse is None:
            started = time.perf_counter()
            warehouse, institution = build_demo_year(work / "demo")
            print(
                f"demo year {YEAR} gathered and published in {time.perf_counter() - started:.1f} s"
            )
        bench(warehouse, institution, work, args.year)


if __name__ == "__main__":
    main()
