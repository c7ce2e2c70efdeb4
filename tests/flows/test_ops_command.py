"""`groendraad restate` and `groendraad schedule` as the coordinator types them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from groendraad.warehouse import staging
from groendraad.warehouse.schema import tables

from .conftest import MONTH, Demo

CLI = str(Path(sys.executable).parent / "groendraad")


def groendraad(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=180)


def test_restate_gathers_the_month_again_as_a_prefect_run(
    demo: Demo, tmp_path: Path, child_env: dict[str, str]
) -> None:
    wh = tmp_path / "wh"
    done = groendraad(
        "restate",
        "--month",
        str(MONTH),
        "--config",
        demo.config,
        "--warehouse",
        str(wh),
        env=child_env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert all(staging.month_file(wh, t, MONTH).is_file() for t in tables())
    flat = " ".join(done.stdout.split())
    assert "restating 2025-10" in flat and "energy" in flat and "Prefect flow run:" in flat
    assert "Run record:" in flat and str(wh / "runs") in flat


def test_restate_with_a_source_down_exits_1_and_names_its_url(
    demo: Demo, tmp_path: Path, child_env: dict[str, str]
) -> None:
    config = demo.energy_down("restate-energy-down")
    done = groendraad(
        "restate",
        "--month",
        str(MONTH),
        "--config",
        config,
        "--warehouse",
        str(tmp_path / "w"),
        "--source",
        "energy",
        env=child_env,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    flat = " ".join(done.stdout.split())
    assert "1 source-month(s) failed" in flat and "http://127.0.0.1:9/energy" in flat


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--month", "2025-13"), "month must be 1..12"),
        (("--month", "2025-10", "--source", "energie"), "unknown source(s) energie"),
    ],
)
def test_restate_usage_errors_exit_2(
    demo: Demo, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    done = groendraad(
        "restate",
        *args,
        "--config",
        demo.config,
        "--warehouse",
        str(tmp_path),
        env={"PATH": "/usr/bin:/bin", "GROENDRAAD_DEMO_URL": demo.url},
    )
    assert done.returncode == 2 and message in done.stderr, done.stderr


def test_schedule_is_listed_with_its_default_schedule() -> None:
    done = groendraad("schedule", "--help", env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0
    flat = " ".join(done.stdout.split())
    assert "0 6 2 * *" in flat and "Europe/Amsterdam" in flat and "PREFECT_API_URL" in flat
