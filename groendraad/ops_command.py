"""``groendraad schedule`` and ``groendraad restate``: the monthly run with Prefect.

``schedule`` serves the flows from this machine: the monthly flow on its schedule,
backfill and restate on demand, all visible in the Prefect UI. Without
PREFECT_API_URL it starts a local Prefect server for that (SQLite in PREFECT_HOME) and
stops it on exit; with PREFECT_API_URL it serves against that (shared) server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import click
import httpx

from groendraad.cli import _load, _month, console, errors, warehouse_options
from groendraad.cli_guards import allow_future_option, refuse_future
from groendraad.errors import GroendraadError
from groendraad.months import Month

MONTHLY_CRON = "0 6 2 * *"  # 06:00 on the 2nd: the month's deliveries are in by then
TIMEZONE = "Europe/Amsterdam"
SERVER_START_TIMEOUT_S = 180
PREFECT = str(Path(sys.executable).parent / "prefect")


@click.command()
@warehouse_options
@click.option("--port", default=4200, show_default=True, help="Port of the local Prefect server.")
@click.option(
    "--cron", default=MONTHLY_CRON, show_default=True, help="When the monthly run starts."
)
@click.option("--timezone", default=TIMEZONE, show_default=True, help="Time zone of --cron.")
def schedule(
    config_path: Path, warehouse: Path | None, port: int, cron: str, timezone: str
) -> None:
    """Run the monthly flow on its schedule from this machine, with the Prefect UI.

    Serves three deployments, named after the institution's id, until stopped
    (Ctrl-C): groendraad-monthly/<id> (by default at 06:00 on the 2nd of each month,
    Amsterdam time, for the previous month), and groendraad-backfill/<id> and
    groendraad-restate/<id> to run from the UI with a range or a month.

    Without PREFECT_API_URL a local Prefect server is started on 127.0.0.1:PORT
    (its database is SQLite in PREFECT_HOME, default ~/.prefect) and stopped on exit.
    Set PREFECT_API_URL to serve against a shared Prefect server instead.
    """
    from prefect import serve
    from prefect.schedules import Cron
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from groendraad.flows.backfill import backfill
    from groendraad.flows.monthly import monthly
    from groendraad.flows.restate import restate

    config, root = _load(config_path, warehouse)
    parameters = {"config": str(config.path), "warehouse": str(root)}
    with (
        prefect_api(port, console.print) as api_url,
        temporary_settings({PREFECT_API_URL: api_url}),
    ):
        ui = api_url.removesuffix("/api")
        console.print(
            f"[bold]{config.institution_name}[/]: the monthly run starts at '{cron}' "
            f"({timezone}) and gathers the previous month into {root}.\n"
            f"Runs, sources, validation and figures: {ui}  (Ctrl-C stops)"
        )
        name = config.institution_id  # one deployment per institution on a shared server
        serve(
            monthly.to_deployment(
                name=name, schedules=[Cron(cron, timezone=timezone)], parameters=parameters
            ),
            backfill.to_deployment(name=name, parameters=parameters),
            restate.to_deployment(name=name, parameters=parameters),
        )


@click.command()
@warehouse_options
@click.option(
    "--month",
    required=True,
    callback=_month,
    help="Month to restate, YYYY-MM.",
)
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@allow_future_option
def restate(
    config_path: Path,
    warehouse: Path | None,
    month: Month,
    sources: tuple[str, ...],
    allow_future: bool,
) -> None:
    """Gather one month again from fresh deliveries, replacing it, as a Prefect run.

    The run shows in the Prefect UI (set PREFECT_API_URL to use a shared server;
    otherwise a temporary local one records it in PREFECT_HOME).
    """
    # Without PREFECT_API_URL Prefect starts a temporary local API, whose first start
    # (creating its database) can outlast Prefect's 20 s default on a small machine.
    refuse_future([month], allow_future)
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    from groendraad import steps
    from groendraad.flows.restate import restate as restate_flow
    from groendraad.report import print_failures, print_publication, print_summary
    from groendraad.runner import RunReport

    config, root = _load(config_path, warehouse)
    steps.source_names(config, list(sources) or None)  # an unknown source: a usage error
    console.print(f"[bold]{config.institution_name}[/]: restating {month} into {root}")
    state = restate_flow(
        month=str(month),
        config=str(config.path),
        warehouse=str(root),
        sources=list(sources) or None,
        return_state=True,
    )
    record = steps.find_run_record(root, str(state.state_details.flow_run_id))
    if record is None:
        errors.print(f"[bold red]restate failed:[/] {state.message}")
        sys.exit(1)
    entries = json.loads(record.read_text(encoding="utf-8"))
    report = RunReport(entries["run_id"], [steps.result_of(r) for r in entries["results"]])
    report.seconds, report.record_path = float(entries.get("seconds", 0.0)), record
    print_summary(console, report, [month])
    print_failures(console, report)
    if state.is_completed() and state.message:  # completed with warnings
        console.print(f"[yellow]{state.name}:[/] {state.message}", soft_wrap=True)
    if entries.get("validation_report"):
        console.print(f"Validation report: {entries['validation_report']}")
    if entries.get("publication"):
        print_publication(console, SimpleNamespace(**entries["publication"]))
    console.print(f"Run record: {record}\nPrefect flow run: {state.state_details.flow_run_id}")
    sys.exit(0 if state.is_completed() else 1)


@contextmanager
def prefect_api(port: int, say=print) -> Iterator[str]:
    """The Prefect API to use: PREFECT_API_URL, a server already on ``port``, or a new
    local one (see ``local_prefect_server``) for as long as the context lasts."""
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME

    configured = PREFECT_API_URL.value()
    if configured:
        yield configured
        return
    url = f"http://127.0.0.1:{port}/api"
    if _healthy(url):
        say(f"Using the Prefect server already running on {url}")
        yield url
        return
    with local_prefect_server(port, Path(PREFECT_HOME.value()), say) as url:
        yield url


@contextmanager
def local_prefect_server(
    port: int, home: Path, say=print, settings: dict[str, str] | None = None
) -> Iterator[str]:
    """``prefect server start`` on 127.0.0.1:``port``, its SQLite database in ``home``.

    ``settings`` are extra PREFECT_* environment variables for the server. It runs in a
    process group of its own, stopped (with its children) on exit.
    """
    url = f"http://127.0.0.1:{port}/api"
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / "groendraad-server.log"
    say(f"Starting a local Prefect server on {url} (log: {log_path})")
    environment = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        **(settings or {}),
    }
    environment.pop("PREFECT_API_URL", None)
    with open(log_path, "ab") as log:
        server = subprocess.Popen(
            [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=environment,
        )
    try:
        wait_healthy(url, server)
        yield url
    finally:
        stop_process_group(server)


def wait_healthy(url: str, server: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise GroendraadError(f"the Prefect server exited (code {server.returncode})")
        if _healthy(url):
            return
        time.sleep(0.5)
    raise GroendraadError(f"the Prefect server at {url} did not start in time")


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def stop_process_group(process: subprocess.Popen, grace_s: float = 15) -> None:
    """SIGTERM the process's group, then SIGKILL what is left after ``grace_s``."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue
