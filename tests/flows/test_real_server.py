"""The real thing: a Prefect server, the deployments of prefect.yaml and a process worker.

One `prefect server start` (its own SQLite database in a temporary PREFECT_HOME) for the
module. The work pool is created, `prefect deploy --all` deploys prefect.yaml, and a
`prefect worker start` subprocess runs what is triggered, in processes of its own,
against the loopback demo hospital. Then `groendraad schedule` serves the same flows
from one process, as on a single machine. Every subprocess runs in a process group
of its own and is stopped when the module ends.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound
from prefect.settings import PREFECT_API_URL, temporary_settings

from groendraad.ops_command import stop_process_group
from groendraad.warehouse import staging
from groendraad.warehouse.schema import tables

from .conftest import MONTH, Demo, RealServer

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MONTHLY = "groendraad-monthly/groendraad-monthly"  # prefect.yaml's, run by the worker
SERVED = "groendraad-monthly/demo-umc"  # served by `groendraad schedule` for the demo


def start(command: list[str], env: dict[str, str], log: Path, cwd: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


@pytest.fixture(scope="module")
def server(real_server_starting: Callable[[], RealServer]) -> RealServer:
    """The session's real Prefect server (see conftest), once it answers."""
    return real_server_starting()


@pytest.fixture(scope="module")
def worker(
    server: RealServer, demo: Demo, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """prefect.yaml deployed, a worker on its pool; yields the worker's warehouse."""
    warehouse = tmp_path_factory.mktemp("worker-warehouse")
    with temporary_settings({PREFECT_API_URL: server.url}), get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="groendraad-pool", type="process"))
    env = {**server.env, "GROENDRAAD_CONFIG": demo.config, "GROENDRAAD_WAREHOUSE": str(warehouse)}
    process = start(
        [str(BIN / "prefect"), "worker", "start", "--pool", "groendraad-pool"],
        env,
        server.home / "worker.log",
        warehouse,
    )
    try:
        deployed = subprocess.run(
            [str(BIN / "prefect"), "--no-prompt", "deploy", "--all"],
            env=server.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        yield warehouse
    finally:
        stop_process_group(process)


def trigger(server: RealServer, deployment: str, **parameters):
    with temporary_settings({PREFECT_API_URL: server.url}):
        flow_run = run_deployment(deployment, parameters=parameters, timeout=240, poll_interval=1)
        with get_client(sync_client=True) as client:  # the state as the UI shows it
            return client.read_flow_run(flow_run.id)


def test_the_worker_runs_the_monthly_deployment_for_a_month(
    server: RealServer, worker: Path
) -> None:
    flow_run = trigger(server, MONTHLY, month=str(MONTH))

    assert flow_run.state.is_completed(), (flow_run.state, worker_log(server))
    assert flow_run.name == f"monthly {MONTH}"
    assert all(staging.month_file(worker, t, MONTH).is_file() for t in tables())
    with temporary_settings({PREFECT_API_URL: server.url}), get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(MONTHLY)
    (schedule,) = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 6 2 * *", "Europe/Amsterdam")
    assert deployment.work_pool_name == "groendraad-pool"


def test_a_run_with_the_energy_source_down_ends_failed_with_the_message(
    server: RealServer, worker: Path, demo: Demo
) -> None:
    config = demo.energy_down("worker-energy-down")
    flow_run = trigger(server, MONTHLY, month=str(MONTH), config=config, sources=["energy"])

    assert flow_run.state.is_failed(), (flow_run.state, worker_log(server))
    assert "1 of 1 source-month(s) failed" in flow_run.state.message
    assert f"{MONTH} energy: http://127.0.0.1:9/energy" in flow_run.state.message


def test_groendraad_schedule_serves_the_flows_from_one_process(
    server: RealServer, demo: Demo, tmp_path: Path
) -> None:
    """Served with its schedule, and a run executed by the command's own runner (the
    deployment has no work pool). The run fails fast on purpose (energy down, only
    energy): that a run completes is what the worker test shows.
    """
    warehouse = tmp_path / "wh"
    command = [str(BIN / "groendraad"), "schedule", "--config", demo.config]
    command += ["--warehouse", str(warehouse)]
    process = start(command, server.env, tmp_path / "log", tmp_path)
    try:
        wait_until_served(server, SERVED)
        config = demo.energy_down("served-energy-down")
        flow_run = trigger(server, SERVED, month=str(MONTH), config=config, sources=["energy"])
        log = (tmp_path / "log").read_text(errors="replace")
        assert flow_run.state.is_failed(), log[-3000:]
        assert f"{MONTH} energy: http://127.0.0.1:9/energy" in flow_run.state.message
    finally:
        stop_process_group(process)


def wait_until_served(server: RealServer, name: str, timeout_s: float = 120) -> None:
    """Until `groendraad schedule` has created the deployment ``name``."""
    deadline = time.monotonic() + timeout_s
    with temporary_settings({PREFECT_API_URL: server.url}), get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            try:
                deployment = client.read_deployment_by_name(name)
            except ObjectNotFound:
                time.sleep(0.5)
                continue
            (schedule,) = deployment.schedules
            assert (schedule.schedule.cron, schedule.schedule.timezone) == (
                "0 6 2 * *",
                "Europe/Amsterdam",
            )
            assert deployment.work_pool_name is None  # served by the command's own runner
            return
    raise AssertionError(f"groendraad schedule did not serve {name}")


def worker_log(server: RealServer) -> str:
    return (server.home / "worker.log").read_text(errors="replace")[-4000:]
