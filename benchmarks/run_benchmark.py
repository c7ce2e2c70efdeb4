"""Where the time goes: `groendraad run` for one month, and `groendraad demo` from scratch.

    uv run python benchmarks/run_benchmark.py            # one month, 3 repetitions
    uv run python benchmarks/run_benchmark.py --demo     # also the full demo (minutes)

Prints figures and ratios against baselines on the same data: the CLI's fixed
start-up (`groendraad --help`), the same month with the sources run one after the
other instead of side by side, and the budgets of the Foundation issue (20 s for a
month, 3 minutes for the demo).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from groendraad.config import load_config
from groendraad.demo import DemoServer, generate
from groendraad.metrics.benchmark import bench as metrics_bench
from groendraad.months import Month
from groendraad.pipeline import fetch_source, parse_and_stage
from groendraad.sources.base import Reference
from groendraad.warehouse import staging

CLI = str(Path(sys.executable).parent / "groendraad")
MONTH = Month(2025, 10)
MONTH_BUDGET_S, DEMO_BUDGET_S = 20.0, 180.0
STAGES = ("fetch", "parse", "validate", "write")


def timed(command: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, done


def serial_month(config_path: Path, root: Path) -> float:
    """Baseline: the same steps, one source after the other, in-process."""
    config = load_config(config_path)
    started = time.perf_counter()
    reference = None
    for name in config.sources:
        result, delivery = fetch_source(config, root, name, MONTH)
        if delivery is not None:
            parse_and_stage(config, root, result, delivery, reference)
        if name == "reference" and result.status == "ok":
            reference = Reference(staging.read_month(root, "organisation", MONTH))
    return time.perf_counter() - started


def stage_table(record: dict) -> list[tuple[str, dict[str, float]]]:
    stages: dict[str, dict[str, float]] = defaultdict(dict)
    for result in record["results"]:
        stages[result["source"]] = result["seconds"] | {"rows": sum(result["rows"].values())}
    return sorted(stages.items(), key=lambda kv: -sum(v for k, v in kv[1].items() if k != "rows"))


def bench_month(work: Path, repeat: int) -> None:
    generated = generate(work / "demo", MONTH.previous(), MONTH, seed=7, fault_rate=0.0)
    token, key = "bench-token", "bench-key"
    env = {**os.environ, "GROENDRAAD_DEMO_ENERGY_TOKEN": token, "GROENDRAAD_DEMO_FOOD_API_KEY": key}
    with DemoServer(generated, token=token, api_key=key) as server:
        env["GROENDRAAD_DEMO_URL"] = server.url
        os.environ.update(env)
        config = str(work / "demo" / "groendraad.yaml")
        startup = statistics.median(timed([CLI, "--help"], env)[0] for _ in range(3))
        runs, record = [], {}
        for i in range(repeat):
            wh = work / f"wh{i}"
            seconds, done = timed(
                [CLI, "run", "--month", str(MONTH), "--config", config, "--warehouse", str(wh)], env
            )
            if done.returncode != 0:
                sys.exit(f"run failed:\n{done.stdout}\n{done.stderr}")
            runs.append(seconds)
            record = json.loads(next((wh / "runs").glob("*.json")).read_text())
        serial = serial_month(Path(config), work / "serial")
    month = statistics.median(runs)
    print(f"\n== groendraad run --month {MONTH} (median of {repeat}) ==")
    print(
        f"wall time                 {month:6.2f} s   budget {MONTH_BUDGET_S:.0f} s"
        f"  ratio {month / MONTH_BUDGET_S:.2f}"
    )
    print(f"CLI start-up (--help)     {startup:6.2f} s   share of run {startup / month:.0%}")
    print(f"pipeline inside the run   {record['seconds']:6.2f} s")
    publication = record.get("publication") or {}
    published = publication.get("seconds") or {}
    gathering = record["seconds"] - sum(published.values())
    print(f"of which gathering        {gathering:6.2f} s   (validation in a worker process)")
    print(
        f"baseline: in-process, one source after the other {serial:6.2f} s"
        f"   ratio {gathering / serial:.2f}"
    )
    for step, seconds in published.items():
        print(f"publication: {step:<12} {seconds:6.2f} s")
    print(f"\n{'source':<15}{'rows':>10}" + "".join(f"{s:>10}" for s in STAGES))
    for source, s in stage_table(record):
        print(
            f"{source:<15}{int(s['rows']):>10,}" + "".join(f"{s.get(k, 0):>10.2f}" for k in STAGES)
        )
    print(
        "(validation runs in worker processes that import Great Expectations as the run"
        " starts; a source's 'validate' includes waiting for them)"
    )


def bench_demo(work: Path) -> None:
    seconds, done = timed([CLI, "demo", "--out", str(work / "full")], dict(os.environ))
    print(f"\n== groendraad demo from scratch ==\nexit code {done.returncode}")
    tail = [line for line in done.stdout.splitlines() if "generated in" in line]
    print(
        f"wall time                 {seconds:6.1f} s   budget {DEMO_BUDGET_S:.0f} s"
        f"  ratio {seconds / DEMO_BUDGET_S:.2f}"
    )
    if tail:
        print(f"of which generation      {tail[0].split('generated in')[1].strip()}")
    record = json.loads(max((work / "full" / "warehouse" / "runs").glob("*.json")).read_text())
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for result in record["results"]:
        for stage, value in result["seconds"].items():
            totals[result["source"]][stage] += value
    print(f"pipeline (130 months)     {record['seconds']:6.1f} s; summed per source and stage:")
    for source, stages in sorted(totals.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"  {source:<15}" + "".join(f"{k} {v:6.1f} s  " for k, v in stages.items()))
    print("\n== metrics: publish every demo month (from scratch, then unchanged) ==")
    metrics_bench(work / "full" / "warehouse")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="also time `groendraad demo` (minutes)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="groendraad-bench-") as tmp:
        bench_month(Path(tmp), args.repeat)
        if args.demo:
            bench_demo(Path(tmp))


if __name__ == "__main__":
    main()
