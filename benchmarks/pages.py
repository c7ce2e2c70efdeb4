"""The chart pages: how long render_site takes on the demo warehouse, and how heavy the site is.

    uv run python benchmarks/pages.py --warehouse demo-hospital/warehouse   # a published demo
    uv run python benchmarks/pages.py                    # builds a demo (2022-01 .. 2025-10) first

Prints the render time (wall and CPU, best of ``--repeat``), the page count, the
site's total size, the shared bundles' size, and the largest page with what a first
visit to it loads (the page plus its share of the bundles, loaded once and cached).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from groendraad.charts import SiteReport, render_site
from groendraad.demo import DemoServer, generate
from groendraad.metrics import publish
from groendraad.months import Month

CLI = str(Path(sys.executable).parent / "groendraad")
FIRST, LAST = Month(2022, 1), Month(2025, 10)


def demo_warehouse(out: Path) -> Path:
    """Generate, gather and publish the demo hospital (no faults) into ``out``."""
    generated = generate(out, FIRST, LAST, fault_rate=0.0)
    token, key = "bench-token", "bench-key"
    with DemoServer(generated, token=token, api_key=key) as server:
        env = {
            **os.environ,
            "GROENDRAAD_DEMO_URL": server.url,
            "GROENDRAAD_DEMO_ENERGY_TOKEN": token,
            "GROENDRAAD_DEMO_FOOD_API_KEY": key,
        }
        subprocess.run([CLI, "backfill", "--from", str(FIRST), "--to", str(LAST), "--config",
                        str(out / "groendraad.yaml"), "--warehouse", str(out / "wh")],
                       env=env, check=True, capture_output=True)  # fmt: skip
    publish(out / "wh", "demo-umc")
    return out / "wh"


def timed(warehouse: Path, out: Path) -> tuple[float, float, SiteReport]:
    wall, cpu = time.perf_counter(), time.process_time()
    report = render_site(warehouse, out)
    return time.perf_counter() - wall, time.process_time() - cpu, report


def show(report: SiteReport, wall: float, cpu: float) -> None:
    name, size = report.largest_page
    pages = sum(report.page_bytes.values())
    first_visit = size + report.asset_bytes
    print(f"render_site: {wall:.1f} s wall, {cpu:.1f} s CPU")
    print(f"pages: {len(report.pages)} (Dutch and English), {pages / 1e6:.1f} MB")
    print(f"shared bundles and styles (assets/): {report.asset_bytes / 1e3:.0f} kB, loaded once")
    print(f"site total: {report.total_bytes / 1e6:.1f} MB")
    print(
        f"largest page: {name} {size / 1e3:.0f} kB; a first visit loads {first_visit / 1e3:.0f}"
        f" kB, of which {report.asset_bytes / first_visit:.0%} the shared bundles"
    )
    print(f"average page: {pages / len(report.pages) / 1e3:.0f} kB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, help="a published warehouse")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        warehouse = args.warehouse
        if warehouse is None:
            print("building the demo warehouse (a minute or two) ...")
            warehouse = demo_warehouse(Path(scratch) / "demo")
        runs = [timed(warehouse, Path(scratch) / "site") for _ in range(args.repeat)]
        wall, cpu, report = min(runs, key=lambda run: run[0])
        show(report, wall, cpu)


if __name__ == "__main__":
    main()
