"""The monthly schedule fires: a real Prefect server's scheduler creates the runs.

Manual runs of a deployment work even when the server's scheduler service is broken
(as it was with prefect 3.8 and SQLAlchemy 2.1: "Can't evaluate bulk DML statement"
in ``_insert_scheduled_flow_runs``, so ``groendraad-monthly`` never got a run). This
module starts its own `prefect server start` (temporary PREFECT_HOME, ephemeral port,
analytics off, the scheduler's loop shortened to 2 s), deploys prefect.yaml's monthly
deployment with its cron schedule, and checks that

- the scheduler creates the scheduled runs, at 06:00 on the 2nd in Amsterdam;
- a process worker picks up one of those runs, moved to now, and runs it to
  completion: it gathers the month before the run's scheduled date from a small demo
  hospital served on loopback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from prefect.client.schemas.objects import FlowRun
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.states import Scheduled

from groendraad.demo import DemoServer, generate
from groendraad.months import LOCAL_TZ, Month
from groendraad.ops_command import local_prefect_server, stop_process_group
from groendraad.warehouse import staging
from groendraad.warehouse.schema import tables

from .conftest import API_KEY, TOKEN, free_port

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MONTHLY = "groendraad-monthly/groendraad-monthly"
SCHEDULER = {
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
}


def test_the_cron_schedule_creates_runs_and_a_worker_runs_one(tmp_path: Path) -> None:
    home = tmp_path / "prefect-home"
    with local_prefect_server(free_port(), home, lambda _: None, SCHEDULER) as url:
        env = server_env(url, home)
        with temporary_settings({PREFECT_API_URL: url}), get_client(sync_client=True) as client:
            client.create_work_pool(WorkPoolCreate(name="groendraad-pool", type="process"))
            deploy_monthly(env)
            deployment = client.read_deployment_by_name(MONTHLY)
            runs = wait_for_scheduled_runs(client, deployment.id, home)

            starts = [run.expected_start_time.astimezone(LOCAL_TZ) for run in runs]
            assert all((s.day, s.hour, s.minute) == (2, 6, 0) for s in starts), starts
            assert min(starts) > datetime.now(UTC)
            assert len({(s.year, s.month) for s in starts}) == len(starts) >= 3

            first = min(runs, key=lambda run: run.expected_start_time)
            month = Month.previous_full(first.expected_start_time.astimezone(LOCAL_TZ).date())
            with demo_hospital(tmp_path / "demo", month) as demo_env:
                warehouse = tmp_path / "warehouse"
                worker_env = {**env, **demo_env, "GROENDRAAD_WAREHOUSE": str(warehouse)}
                with worker(worker_env, home / "worker.log"):
                    client.set_flow_run_state(
                        first.id, Scheduled(scheduled_time=datetime.now(UTC)), force=True
                    )
                    finished = wait_until_final(client, first.id, home)

    assert finished.state.is_completed(), (finished.state, log_tail(home))
    assert finished.name == f"monthly {month}"
    assert all(staging.month_file(warehouse, t, month).is_file() for t in tables())


def server_env(url: str, home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PREFECT_API_URL": url,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "COLUMNS": "200",
    }


def deploy_monthly(env: dict[str, str]) -> None:
    """prefect.yaml's monthly deployment, as an operator deploys it."""
    deployed = subprocess.run(
        [str(BIN / "prefect"), "--no-prompt", "deploy", "--name", "groendraad-monthly"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr


def wait_for_scheduled_runs(
    client: SyncPrefectClient, deployment_id, home: Path, timeout_s: float = 60
) -> list[FlowRun]:
    """The runs the server's scheduler service created for the deployment."""
    only = DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id]))
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        runs = client.read_flow_runs(deployment_filter=only)
        if runs and all(run.state.is_scheduled() for run in runs):
            return runs
        time.sleep(1)
    raise AssertionError(f"the scheduler created no run in {timeout_s} s:\n{log_tail(home)}")


def wait_until_final(
    client: SyncPrefectClient, flow_run_id, home: Path, timeout_s: float = 150
) -> FlowRun:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        flow_run = client.read_flow_run(flow_run_id)
        if flow_run.state.is_final():
            return flow_run
        time.sleep(1)
    raise AssertionError(f"the worker did not finish the run:\n{log_tail(home)}")


@contextmanager
def demo_hospital(out: Path, month: Month) -> Iterator[dict[str, str]]:
    """One month of the demo hospital on disk and its APIs on loopback; yields the
    environment its configuration reads."""
    generated = generate(out, month, month, seed=11, fault_rate=0.0)
    served = DemoServer(generated, token=TOKEN, api_key=API_KEY, fault_rate_503=0, fault_rate_429=0)
    with served as server:
        yield {
            "GROENDRAAD_CONFIG": str(generated.out_dir / "groendraad.yaml"),
            "GROENDRAAD_DEMO_URL": server.url,
            "GROENDRAAD_DEMO_ENERGY_TOKEN": TOKEN,
            "GROENDRAAD_DEMO_FOOD_API_KEY": API_KEY,
        }


@contextmanager
def worker(env: dict[str, str], log: Path) -> Iterator[None]:
    """`prefect worker start` on the pool, in a process group of its own."""
    command = [str(BIN / "prefect"), "worker", "start", "--pool", "groendraad-pool"]
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=log.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield
    finally:
        stop_process_group(process)


def log_tail(home: Path) -> str:
    logs = [home / "groendraad-server.log", home / "worker.log"]
    return "\n".join(p.read_text(errors="replace")[-3000:] for p in logs if p.exists())
