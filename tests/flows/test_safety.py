"""Safety: runs of one warehouse never interleave; a killed run leaves the last good state.

The warehouse lock is held for a whole flow run. A run killed mid-way (here: SIGKILL
while staging, in a subprocess) leaves every staged file whole and the lock free, and
the next run completes the month.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from groendraad.flows.monthly import monthly
from groendraad.warehouse import staging
from groendraad.warehouse.runs import warehouse_lock
from groendraad.warehouse.schema import tables

from .conftest import MONTH, Demo

pytestmark = pytest.mark.usefixtures("prefect_api")
SOME = ["reference", "waste", "medicine_waste"]  # enough for what is tested, and quick


def run_in_thread(**parameters) -> tuple[threading.Thread, list]:
    states: list = []
    thread = threading.Thread(
        target=lambda: states.append(monthly(**parameters, return_state=True)), daemon=True
    )
    thread.start()
    return thread, states


def test_a_run_waits_while_another_holds_the_warehouse(demo: Demo, tmp_path: Path) -> None:
    wh = tmp_path / "wh"
    with warehouse_lock(wh):
        thread, states = run_in_thread(
            month=str(MONTH), config=demo.config, warehouse=str(wh), sources=SOME
        )
        time.sleep(3)  # the flow run has long started; it must be waiting for the lock
        assert thread.is_alive()
        assert not (wh / "raw").exists() and not (wh / "staging").exists()
    thread.join(120)
    assert states and states[0].is_completed(), states


def test_two_runs_of_one_month_at_once_are_serialised(demo: Demo, tmp_path: Path) -> None:
    wh = tmp_path / "wh"
    runs = [
        run_in_thread(
            month=str(MONTH), config=demo.config, warehouse=str(wh), sources=SOME, refetch=True
        )
        for _ in range(2)
    ]
    for thread, _ in runs:
        thread.join(120)
    assert all(states and states[0].is_completed() for _, states in runs)

    records = [json.loads(p.read_text()) for p in sorted((wh / "runs").glob("*.json"))]
    spans = sorted(
        (datetime.fromisoformat(r["started_at"]), datetime.fromisoformat(r["finished_at"]))
        for r in records
    )
    assert len(spans) == 2 and spans[0][1] <= spans[1][0], spans  # one after the other
    for table in ("key_figures", "organisation", "waste_collections", "medicine_waste"):
        (part,) = (wh / "staging" / table).rglob("*.parquet")  # one file per table-month
        assert staging.file_metadata(part)["groendraad.month"] == str(MONTH)


KILL_WHILE_STAGING = """
import os, signal, sys, threading
from groendraad.warehouse import staging

written, lock = [0], threading.Lock()
real_write = staging._write_parquet

def write_then_die(frame, path, metadata):
    real_write(frame, path, metadata)  # a temporary file, not yet renamed into place
    with lock:
        written[0] += 1
        if written[0] == int(sys.argv[4]):
            os.kill(os.getpid(), signal.SIGKILL)

staging._write_parquet = write_then_die
from groendraad.flows.monthly import monthly
monthly(month=sys.argv[1], config=sys.argv[2], warehouse=sys.argv[3])
"""


def test_a_run_killed_while_staging_leaves_whole_files_and_the_next_run_completes(
    demo: Demo, tmp_path: Path, child_env: dict[str, str]
) -> None:
    wh = tmp_path / "wh"
    killed = subprocess.run(
        [sys.executable, "-c", KILL_WHILE_STAGING, str(MONTH), demo.config, str(wh), "5"],
        env=child_env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert killed.returncode == -9, killed.stderr[-3000:]

    staged = [t for t in tables() if staging.month_file(wh, t, MONTH).is_file()]
    assert 0 < len(staged) < len(tables())  # killed half-way
    for table in staged:  # what is there is whole and readable
        pattern = str(wh / "staging" / table / "*" / "*.parquet")
        assert duckdb.execute("select count(*) from read_parquet(?)", [pattern]).fetchone()[0] > 0
    assert list((wh / "staging").rglob(".*.tmp-*"))  # the unfinished write, hidden from readers
    assert not (wh / "runs").exists()  # no run record claims the month was gathered
    with warehouse_lock(wh, wait=False):  # the kernel released the dead run's lock
        pass

    state = monthly(month=str(MONTH), config=demo.config, warehouse=str(wh), return_state=True)
    assert state.is_completed(), state.message
    assert all(staging.month_file(wh, t, MONTH).is_file() for t in tables())
