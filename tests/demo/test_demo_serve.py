"""`groendraad demo serve`: the demo's APIs stay up on a fixed loopback port, with
printed credentials and a configuration that `groendraad run` (and `schedule`) use."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from groendraad.demo import generate
from groendraad.months import Month
from groendraad.ops_command import stop_process_group

BIN = Path(sys.executable).parent
MONTH = Month(2025, 10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, int, str]]:
    """A one-month demo served by `groendraad demo serve`; yields (out, port, printed)."""
    out = tmp_path / "demo-hospital"
    generate(out, MONTH, MONTH, seed=5, fault_rate=0.0)
    port = free_port()
    command = [str(BIN / "groendraad"), "demo", "serve", "--out", str(out), "--port", str(port)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        printed = ""
        while "groendraad schedule --config" not in printed:
            line = process.stdout.readline()
            assert line, f"demo serve ended: {printed}"
            printed += line
        yield out, port, printed
    finally:
        stop_process_group(process)
        process.stdout.close()


def test_run_gathers_from_the_served_demo_with_the_printed_credentials(
    served: tuple[Path, int, str], tmp_path: Path
) -> None:
    out, port, printed = served
    assert f"Demo APIs serving on http://127.0.0.1:{port}" in printed
    credentials = dict(re.findall(r"export (GROENDRAAD_DEMO_\w+)=(\S+)", printed))
    assert set(credentials) == {"GROENDRAAD_DEMO_ENERGY_TOKEN", "GROENDRAAD_DEMO_FOOD_API_KEY"}
    env_file = out / "demo.env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert all(value in env_file.read_text() for value in credentials.values())
    config = out / "served.yaml"
    assert f"http://127.0.0.1:{port}/energy" in config.read_text()
    assert not any(value in config.read_text() for value in credentials.values())

    env = {k: v for k, v in os.environ.items() if not k.startswith("GROENDRAAD_")}
    command = [str(BIN / "groendraad"), "run", "--month", str(MONTH), "--config", str(config)]
    command += ["--warehouse", str(tmp_path / "wh")]
    for source in ("reference", "energy", "food_waste"):
        command += ["--source", source]
    done = subprocess.run(
        command, env={**env, **credentials}, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert (tmp_path / "wh" / "staging" / "energy_readings").is_dir()


def test_the_demo_closing_hint_points_at_demo_serve() -> None:
    from groendraad import demo_command

    source = Path(demo_command.__file__).read_text(encoding="utf-8")
    assert "groendraad demo serve --out" in source
