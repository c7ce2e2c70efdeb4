"""Shared fixtures of the flow tests: one Prefect API for the session, the demo hospital.

``prefect_api`` runs Prefect's own test harness (a temporary SQLite database behind a
local API server, started once: ~10-20 s) while the validation engine (Great
Expectations) is built; fetch results cached by the flows go to a temporary folder.
``demo`` generates two months of the demo hospital and serves its APIs on loopback for
the whole session, with the environment its configuration reads. When the real-server
tests are selected, their `prefect server start` begins with the session, so its slow
start overlaps the other tests.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from groendraad.demo import DemoServer, generate
from groendraad.expectations.engine import engine as validation_engine
from groendraad.months import Month
from groendraad.ops_command import local_prefect_server

MONTH = Month(2025, 10)
TOKEN, API_KEY = "flows-token-7f3a9c", "flows-key-2b8e41"


@dataclass
class Demo:
    out: Path
    url: str

    @property
    def config(self) -> str:
        return str(self.out / "groendraad.yaml")

    def variant(self, name: str, **changes: Any) -> str:
        """A copy of the configuration beside it, with top-level sections updated.

        ``energy={...}`` updates the energy source's settings; anything else (e.g.
        ``orchestration``, ``notifications``) replaces that top-level section.
        """
        document = yaml.safe_load((self.out / "groendraad.yaml").read_text(encoding="utf-8"))
        for key, value in changes.items():
            if key in document["sources"]:
                document["sources"][key].update(value)
            else:
                document[key] = value
        path = self.out / f"{name}.yaml"
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        return str(path)

    def energy_down(self, name: str, **changes: Any) -> str:
        """A configuration whose energy API is a closed loopback port; quick retries."""
        return self.variant(
            name,
            energy={"base_url": "http://127.0.0.1:9/energy", "max_retries": 0},
            orchestration={"fetch_retries": 1, "fetch_retry_delay_s": 0},
            **changes,
        )


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    out = tmp_path_factory.mktemp("demo")
    generated = generate(out, MONTH.previous(), MONTH, seed=11, fault_rate=0.0)
    with (
        DemoServer(generated, token=TOKEN, api_key=API_KEY) as server,
        pytest.MonkeyPatch.context() as env,
    ):
        env.setenv("GROENDRAAD_DEMO_URL", server.url)
        env.setenv("GROENDRAAD_DEMO_ENERGY_TOKEN", TOKEN)
        env.setenv("GROENDRAAD_DEMO_FOOD_API_KEY", API_KEY)
        yield Demo(out, server.url)


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a temporary Prefect API that flows called in this process report to."""
    from prefect.settings import PREFECT_API_URL, PREFECT_LOCAL_STORAGE_PATH, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    storage = tmp_path_factory.mktemp("prefect-storage")
    # Importing Great Expectations takes 10-20 s; let it overlap the server's start.
    warming = threading.Thread(target=validation_engine, daemon=True)
    warming.start()
    with (
        prefect_test_harness(server_startup_timeout=180),
        temporary_settings({PREFECT_LOCAL_STORAGE_PATH: storage}),
    ):
        warming.join()
        yield str(PREFECT_API_URL.value())


@pytest.fixture
def child_env(prefect_api: str, tmp_path: Path) -> dict[str, str]:
    """The environment of a subprocess that reports to the session's Prefect API."""
    return {
        **os.environ,
        "PREFECT_API_URL": prefect_api,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "COLUMNS": "200",
    }


@dataclass
class RealServer:
    url: str
    env: dict[str, str]  # for a subprocess that talks to this server
    home: Path  # its PREFECT_HOME: database, logs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session", autouse=True)
def real_server_starting(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[], RealServer] | None]:
    """Start a real Prefect server now if a test will need it; yield how to wait for it."""
    if not any(item.path.name == "test_real_server.py" for item in request.session.items):
        yield None
        return
    home = tmp_path_factory.mktemp("prefect-home")
    settings = {"PREFECT_UI_ENABLED": "false"}
    started: dict[str, object] = {}
    stack = ExitStack()

    def start() -> None:
        try:
            server = local_prefect_server(free_port(), home, lambda _: None, settings)
            started["url"] = stack.enter_context(server)
        except BaseException as exc:  # handed to the test that waits for the server
            started["error"] = exc

    thread = threading.Thread(target=start, daemon=True)
    thread.start()

    def ready() -> RealServer:
        thread.join()
        if "error" in started:
            raise started["error"]  # type: ignore[misc]
        url = str(started["url"])
        env = {
            **os.environ,
            "PREFECT_API_URL": url,
            "PREFECT_HOME": str(home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_WORKER_QUERY_SECONDS": "1",
            "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        }
        return RealServer(url, env, home)

    try:
        yield ready
    finally:
        thread.join()
        stack.close()
