"""What Prefect costs: one demo month as a Prefect flow run vs the same steps called directly.

    uv run python benchmarks/orchestration.py              # 3 repetitions each
    uv run python benchmarks/orchestration.py --repeat 5

Both paths run in this process against the loopback demo server, interleaved, each
repetition into a fresh warehouse, after one warm-up of each (the validation engine and
the Prefect API are started once per process; their start-up is printed separately):

- direct: ``runner.run_months`` for the month (what ``groendraad run`` does: gather,
  validate, record the validation, publish, write the run record, under the lock);
- flow: the ``groendraad-monthly`` flow (``refetch=True``, so nothing comes from the
  fetch cache), against Prefect's ephemeral local API (PREFECT_HOME in a temporary
  folder): one task per source fetch and stage, artifacts, run record.

A deployment run on a worker adds the worker's poll interval and a new Python process
(importing Prefect and the pipeline) on top; that is not measured here.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

MONTH = "2025-10"


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    outcome = function(*args, **kwargs)
    return time.perf_counter() - started, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="groendraad-orchestration-") as tmp:
        work = Path(tmp)
        # Prefect reads its settings when first imported: keep its database out of ~/.prefect
        os.environ["PREFECT_HOME"] = str(work / "prefect-home")
        os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
        os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        bench(work, args.repeat)


def bench(work: Path, repeat: int) -> None:
    from groendraad.config import load_config
    from groendraad.demo import DemoServer, generate
    from groendraad.expectations.engine import engine
    from groendraad.months import Month
    from groendraad.runner import run_months

    month = Month.parse(MONTH)
    generated = generate(work / "demo", month.previous(), month, seed=7, fault_rate=0.0)
    token, key = "bench-token", "bench-key"
    with DemoServer(generated, token=token, api_key=key) as server:
        os.environ.update(
            GROENDRAAD_DEMO_URL=server.url,
            GROENDRAAD_DEMO_ENERGY_TOKEN=token,
            GROENDRAAD_DEMO_FOOD_API_KEY=key,
        )
        config_path = work / "demo" / "groendraad.yaml"
        config = load_config(config_path)
        validation_start, _ = timed(engine)
        prefect_import, _ = timed(__import__, "groendraad.flows.monthly")
        from prefect.client.orchestration import get_client

        from groendraad.flows.monthly import monthly

        def api_hello() -> None:
            with get_client(sync_client=True) as client:
                client.hello()

        api_start, _ = timed(api_hello)

        def direct(i: int) -> tuple[float, float]:
            seconds, report = timed(run_months, config, work / f"direct-{i}", [month])
            if not report.ok:
                sys.exit(f"direct run failed: {[r.error for r in report.failures]}")
            return seconds, report.seconds

        def flow(i: int) -> tuple[float, float]:
            seconds, state = timed(
                monthly,
                month=MONTH,
                config=str(config_path),
                warehouse=str(work / f"flow-{i}"),
                refetch=True,
                return_state=True,
            )
            if not state.is_completed():
                sys.exit(f"flow run failed: {state.message}")
            record = json.loads(Path(state.result()["run_record"]).read_text())
            return seconds, record["seconds"]

        first_direct, first_flow = direct(-1)[0], flow(-1)[0]
        direct_s, flow_s = [], []
        for i in range(repeat):  # interleaved, so a busy moment weighs on both alike
            direct_s.append(direct(i))
            flow_s.append(flow(i))
    report(repeat, direct_s, flow_s, first_direct, first_flow)
    print("\n-- started once per process (not in the figures above) --")
    print(f"validation engine (Great Expectations)   {validation_start:6.2f} s")
    print(f"import Prefect and the flows              {prefect_import:6.2f} s")
    print(f"Prefect ephemeral API start               {api_start:6.2f} s")


def report(
    repeat: int,
    direct_runs: list[tuple[float, float]],
    flow_runs: list[tuple[float, float]],
    first_direct: float,
    first_flow: float,
) -> None:
    direct_s, flow_s = [r[0] for r in direct_runs], [r[0] for r in flow_runs]
    direct, flow = statistics.median(direct_s), statistics.median(flow_s)
    inside = statistics.median(r[1] for r in flow_runs)
    direct_inside = statistics.median(r[1] for r in direct_runs)
    print(f"\n== one demo month ({MONTH}), median of {repeat} ==")
    print(f"direct (run_months)        {direct:6.2f} s   runs {_list(direct_s)}")
    print(f"Prefect flow (monthly)     {flow:6.2f} s   runs {_list(flow_s)}")
    print(
        f"orchestration overhead     {flow - direct:6.2f} s   ratio flow/direct {flow / direct:.2f}"
    )
    print(
        f"  of which flow run start and end {flow - inside:.2f} s; the steps as tasks "
        f"{inside:.2f} s vs {direct_inside:.2f} s direct (both under the lock)"
    )
    print(f"first run of each          direct {first_direct:.2f} s, flow {first_flow:.2f} s")


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
