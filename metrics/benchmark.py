"""Time ``publish`` over every staged month of a warehouse (e.g. the demo hospital).

    uv run python -m groendraad.metrics.benchmark --warehouse demo-hospital/warehouse

Publishes into a copy of the warehouse's staging layer (the original is not touched):
first from scratch (every month a new version), then again with nothing changed (the
idempotent re-run: every month compared, none written). Prints the wall time of each
and of its stages (compute, write, progress).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from groendraad.metrics.publish import PublishReport, publish


def timed_publish(root: Path, institution_id: str) -> tuple[float, PublishReport]:
    started = time.perf_counter()
    report = publish(root, institution_id)
    return time.perf_counter() - started, report


def bench(warehouse: Path, institution_id: str = "demo-umc") -> dict[str, float]:
    """Seconds for a first publish and an unchanged re-publish of every staged month."""
    with tempfile.TemporaryDirectory(prefix="groendraad-metrics-bench-") as tmp:
        root = Path(tmp)
        shutil.copytree(warehouse / "staging", root / "staging")
        first, report = timed_publish(root, institution_id)
        again, unchanged = timed_publish(root, institution_id)
    print(f"months {len(report.months)}, figures {report.rows:,}")
    print(f"first publish   {first:6.2f} s  " + _stages(report))
    print(f"re-publish      {again:6.2f} s  " + _stages(unchanged))
    print(f"new versions: {len(report.published)} then {len(unchanged.published)}")
    return {"first_s": first, "again_s": again, "months": len(report.months)}


def _stages(report: PublishReport) -> str:
    return "  ".join(f"{k} {v:.2f} s" for k, v in report.seconds.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--institution", default="demo-umc")
    args = parser.parse_args()
    bench(args.warehouse, args.institution)


if __name__ == "__main__":
    main()
