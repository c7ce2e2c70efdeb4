"""The coordinator's month at the command line: future months refused, typos in the
configuration are usage errors (exit 2)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import click
import pytest

from groendraad.cli_guards import refuse_future
from groendraad.months import Month

CLI = str(Path(sys.executable).parent / "groendraad")
DEMO_CONFIG = Path(__file__).resolve().parent.parent / "groendraad" / "demo" / "demo.yaml"
ENV = {"GROENDRAAD_DEMO_URL": "http://127.0.0.1:9", "PATH": "/usr/bin:/bin"}


def groendraad(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=ENV, timeout=60)


def test_a_month_that_is_not_over_is_refused_as_of_the_day() -> None:
    with pytest.raises(click.UsageError, match="2027-01: not a full month yet") as caught:
        refuse_future([Month(2027, 1)], allow=False, today=date(2026, 12, 7))
    assert "the last full month is 2026-11" in str(caught.value)
    with pytest.raises(click.UsageError, match="2026-12"):
        refuse_future([Month(2026, 12)], allow=False, today=date(2026, 12, 31))
    refuse_future([Month(2026, 11)], allow=False, today=date(2026, 12, 1))
    refuse_future([Month(2027, 1)], allow=True, today=date(2026, 12, 7))


@pytest.mark.parametrize("command", ["run --month", "backfill --from 2025-01 --to"])
def test_run_and_backfill_refuse_next_month_with_exit_2(tmp_path: Path, command: str) -> None:
    future = str(Month.previous_full().next().next())
    done = groendraad(*command.split(), future, "--config", str(DEMO_CONFIG))
    assert done.returncode == 2, done.stderr
    assert f"{future}: not a full month yet" in done.stderr
    assert "--allow-future" in done.stderr
    assert not (DEMO_CONFIG.parent / "warehouse-data").exists()


def test_allow_future_lets_the_month_through_to_the_next_check(tmp_path: Path) -> None:
    future = str(Month.previous_full().next())
    args = ["--config", str(DEMO_CONFIG), "--warehouse", str(tmp_path), "--source", "wast"]
    done = groendraad("run", "--month", future, "--allow-future", *args)
    assert done.returncode == 2
    assert "not a full month" not in done.stderr and "wast" in done.stderr


def test_a_typo_in_the_configuration_exits_2_with_its_line(tmp_path: Path) -> None:
    config = tmp_path / "groendraad.yaml"
    config.write_text("institution: {id: x}\nsources:\n  wast: {path: a.csv}\n", encoding="utf-8")
    done = groendraad("run", "--month", "2025-01", "--config", str(config))
    assert done.returncode == 2
    assert f"{config}:3: sources.wast: unknown source 'wast' (did you mean 'waste'?)" in done.stderr
