"""The command line as a coordinator meets it: help, clear errors, exit codes."""

import subprocess
import sys
from pathlib import Path

CLI = str(Path(sys.executable).parent / "groendraad")
DEMO_CONFIG = Path(__file__).resolve().parent.parent / "groendraad" / "demo" / "demo.yaml"


def groendraad(*args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=60)


def test_help_lists_the_commands() -> None:
    done = groendraad("--help")
    assert done.returncode == 0
    for command in ("demo", "run", "backfill"):
        assert command in done.stdout


def test_a_bad_month_is_a_usage_error() -> None:
    done = groendraad("run", "--month", "2025-13", "--config", str(DEMO_CONFIG))
    assert done.returncode == 2
    assert "month must be 1..12" in done.stderr


def test_a_missing_config_is_named() -> None:
    done = groendraad("run", "--config", "/nonexistent/groendraad.yaml")
    assert done.returncode == 2
    assert "configuration file not found: /nonexistent/groendraad.yaml" in done.stderr


def test_an_unknown_source_lists_the_configured_ones(tmp_path: Path) -> None:
    env = {"GROENDRAAD_DEMO_URL": "http://127.0.0.1:9", "PATH": "/usr/bin:/bin"}
    done = groendraad(
        "run",
        "--config",
        str(DEMO_CONFIG),
        "--warehouse",
        str(tmp_path),
        "--source",
        "wast",
        env=env,
    )
    assert done.returncode == 2
    assert "wast" in done.stderr and "waste" in done.stderr


def test_backfill_range_must_run_forwards() -> None:
    env = {"GROENDRAAD_DEMO_URL": "http://127.0.0.1:9", "PATH": "/usr/bin:/bin"}
    done = groendraad(
        "backfill", "--from", "2025-10", "--to", "2025-01", "--config", str(DEMO_CONFIG), env=env
    )
    assert done.returncode == 2
    assert "before it starts" in done.stderr
