"""What a run prints and how its errors read: the month of a failure, wall times that
add up, one prefix per error, a missing credential as a configuration error."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from groendraad.config import load_config
from groendraad.months import Month
from groendraad.pipeline import SourceResult, fetch_source
from groendraad.report import print_summary, progress_bar
from groendraad.runner import RunReport

CLI = str(Path(sys.executable).parent / "groendraad")
DEMO_CONFIG = Path(__file__).resolve().parent.parent / "groendraad" / "demo" / "demo.yaml"
MARCH, APRIL = Month(2025, 3), Month(2025, 4)


def recording() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=120, color_system=None), out


def test_the_progress_names_the_month_of_a_failed_source() -> None:
    console, out = recording()
    with progress_bar(console, [MARCH, APRIL], 2) as tracker:
        tracker.source_event("waste", "failed")
        tracker.month_done(MARCH, [SourceResult("waste", MARCH, "failed", error="waste: x")])
    assert "failed waste 2025-03" in out.getvalue()


def test_a_source_wall_time_never_exceeds_the_run_total() -> None:
    """Two months side by side, 6 s each, in a run of 8 s."""
    results = [
        SourceResult("energy", m, "ok", seconds={"fetch": 5.0, "parse": 1.0})
        for m in (MARCH, APRIL)
    ]
    report = RunReport("r1", results, seconds=8.0)
    console, out = recording()
    print_summary(console, report, [MARCH, APRIL])
    energy = next(line for line in out.getvalue().splitlines() if "energy" in line)
    source_seconds = float(re.search(r"([\d.]+) s", energy).group(1))
    assert source_seconds <= report.seconds


def test_a_missing_credential_reads_with_one_prefix(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GROENDRAAD_DEMO_URL", "http://127.0.0.1:9")
    monkeypatch.delenv("GROENDRAAD_DEMO_ENERGY_TOKEN", raising=False)
    result, delivery = fetch_source(load_config(DEMO_CONFIG), tmp_path, "energy", MARCH)
    assert delivery is None
    assert result.error == (
        "energy: environment variable GROENDRAAD_DEMO_ENERGY_TOKEN (credential 'token') is not set"
    )


@pytest.mark.parametrize(
    "command", [["run", "--month", "2025-03"], ["backfill", "--from", "2025-03", "--to", "2025-04"]]
)
def test_a_missing_credential_exits_2_before_anything_is_fetched(tmp_path: Path, command) -> None:
    env = {"GROENDRAAD_DEMO_URL": "http://127.0.0.1:9", "PATH": "/usr/bin:/bin"}
    args = [CLI, *command, "--config", str(DEMO_CONFIG), "--warehouse", str(tmp_path / "wh")]
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "energy: environment variable GROENDRAAD_DEMO_ENERGY_TOKEN" in done.stderr
    assert "food_waste: environment variable GROENDRAAD_DEMO_FOOD_API_KEY" in done.stderr
    assert not (tmp_path / "wh" / "raw").exists()


def test_output_to_a_pipe_is_not_wrapped_and_has_no_colour(tmp_path: Path) -> None:
    deep = tmp_path / ("a-warehouse-folder-with-a-long-name-" * 3) / "warehouse"
    env = {
        "GROENDRAAD_DEMO_URL": "http://127.0.0.1:9",
        "PATH": "/usr/bin:/bin",
        "TERM": "xterm-256color",
    }
    args = [CLI, "validate", "--month", "2025-03", "--config", str(DEMO_CONFIG)]
    done = subprocess.run(
        [*args, "--warehouse", str(deep)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 2
    assert f"{deep}: nothing is staged for 2025-03" in done.stderr  # on one line
    assert "\x1b[" not in done.stderr
