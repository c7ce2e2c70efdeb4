"""Fault injection: kill the real code at named points (GROENDRAAD_FAULT, see
groendraad/crashpoints.py) in a separate process, then check what the next command
that takes the warehouse lock finds: the last good state, or the new one whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import polars as pl
import pytest

from groendraad.charts.swap import MARKER
from groendraad.crashpoints import FAULT_ENV
from groendraad.metrics import store
from groendraad.warehouse import staging
from groendraad.warehouse.commit import COMMITS
from groendraad.warehouse.runs import warehouse_lock

from .conftest import OCTOBER, SEPTEMBER, run
from .hospital import Hospital

NEW_SHA = "f" * 64
CLI = str(Path(sys.executable).parent / "groendraad")


def killed_at(point: str, script: str, *args: str, **env: str) -> None:
    """Run ``script`` in a new interpreter and check it was killed at ``point``."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env={**os.environ, FAULT_ENV: point, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr


def delivery_sha(root: Path, table: str, month=OCTOBER) -> str:
    return staging.file_metadata(staging.month_file(root, table, month))[
        "groendraad.delivery_sha256"
    ]


def temporaries(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if ".tmp-" in p.name or ".old-" in p.name]


_RESTAGE = """
import sys
from pathlib import Path
import polars as pl
from groendraad.months import Month
from groendraad.warehouse import staging
root, month = Path(sys.argv[1]), Month.parse(sys.argv[2])
frames = {t: staging.read_month(root, t, month).drop("month", strict=False)
          for t in ("commuting", "business_travel")}
frames["commuting"] = frames["commuting"].with_columns(pl.col("travel_days") + 1)
staging.write_source_month(root, month, frames, sys.argv[3])
"""


@pytest.mark.parametrize(
    ("point", "then"),
    [
        ("before-staging-intent", "old"),
        ("after-staging-intent", "new"),
        ("after-staging-rename-1", "new"),
        ("after-staging-rename-2", "new"),
    ],
)
def test_staging_changes_all_at_once(hospital: Hospital, point: str, then: str) -> None:
    root = hospital.warehouse
    old = delivery_sha(root, "commuting")
    killed_at(point, _RESTAGE, str(root), str(OCTOBER), NEW_SHA)
    with warehouse_lock(root):  # the next command: completes or discards, and sweeps
        shas = {delivery_sha(root, t) for t in ("commuting", "business_travel")}
    assert shas == {NEW_SHA if then == "new" else old}
    assert temporaries(root) == [] and list((root / COMMITS).glob("*.json")) == []


_PUBLISH = """
import sys
from pathlib import Path
from groendraad.metrics import publish
from groendraad.months import Month
publish(Path(sys.argv[1]), "demo-umc", [Month(2025, 9), Month(2025, 10)])
"""


def test_a_runs_months_are_published_all_at_once(hospital: Hospital) -> None:
    root = hospital.warehouse
    for month in (SEPTEMBER, OCTOBER):  # a correction of both months, staged
        frames = {"waste_collections": staging.read_month(root, "waste_collections", month)}
        frames["waste_collections"] = frames["waste_collections"].with_columns(
            pl.col("weight_kg") * 1.5
        )
        frames["waste_totals"] = staging.read_month(root, "waste_totals", month)
        staging.write_source_month(root, month, frames, NEW_SHA)
    before = {m: store.latest_version(store.list_versions(root), m) for m in (SEPTEMBER, OCTOBER)}
    killed_at("after-metrics-rename-1", _PUBLISH, str(root))
    half = store.list_versions(root)
    assert store.latest_version(half, SEPTEMBER) == before[SEPTEMBER] + 1  # the crash window
    assert store.latest_version(half, OCTOBER) == before[OCTOBER]
    with warehouse_lock(root):
        pass
    after = store.list_versions(root)
    assert {m: store.latest_version(after, m) for m in before} == {
        m: v + 1 for m, v in before.items()
    }
    current = pl.read_parquet(store.current_file(root))
    assert current.group_by("period").agg(pl.col("version").max()).sort("period")[
        "version"
    ].to_list()[-2:] == [before[SEPTEMBER] + 1, before[OCTOBER] + 1]
    assert temporaries(root) == []


_PAGES = """
import sys
from pathlib import Path
from groendraad.charts.site import render_site
render_site(Path(sys.argv[1]))
"""


@pytest.mark.parametrize(
    ("point", "env"),
    [("after-site-exchange", {}), ("after-site-rename-1", {"GROENDRAAD_NO_EXCHANGE": "1"})],
    ids=["exchange", "two-renames"],
)
def test_the_site_is_never_missing_or_half(hospital: Hospital, point: str, env: dict) -> None:
    root = hospital.warehouse
    site = root / "site"
    old_index = (site / "index.html").stat().st_mtime_ns
    killed_at(point, _PAGES, str(root), **env)
    if not env:  # one exchange: the new site is there at once, whole
        assert (site / MARKER).is_file() and (site / "index.html").stat().st_mtime_ns > old_index
    else:  # killed between the two renames: the commit is pending, the next command ends it
        assert not site.exists() and list((root / COMMITS).glob("site-*.json"))
    with warehouse_lock(root):
        pass
    assert (site / MARKER).is_file() and (site / "en" / "index.html").is_file()
    assert (site / "index.html").stat().st_mtime_ns > old_index
    assert temporaries(root) == []


def test_stale_temporaries_are_swept_and_nothing_else(hospital: Hospital) -> None:
    root = hospital.warehouse
    ours = [
        root / "raw" / "waste" / "month=2025-10" / f".tmp-{uuid.uuid4().hex}",
        root / "staging" / "waste_totals" / "month=2025-10" / ".part-0.parquet.tmp-0a1b2c3d",
        root / "marts" / "metrics" / "period=2025-10" / ".v0009.parquet.tmp-deadbeef",
        root / ".site.tmp-12345678",
        root / ".site.old-87654321",
        root / "runs" / ".x.json.tmp-00ff00ff",
    ]
    theirs = [
        root / "staging" / "waste_totals" / "month=2025-10" / "notes.tmp-12345678",
        root / ".tmp-not-ours",
        root / "site" / ".hidden.tmp-xyz",
        root / "raw" / "waste" / "month=2025-10" / ".tmp-1234",
    ]
    for path in ours + theirs:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir() if "raw" in path.parts or "site" in path.name else path.write_text("x")
    with warehouse_lock(root):
        pass
    assert [p for p in ours if p.exists()] == []
    assert [p for p in theirs if not p.exists()] == []


def _tagged(tag: str) -> list[int]:
    """Processes whose environment carries ``tag`` (the run and everything it started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if tag.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_no_worker_survives_a_killed_run(hospital: Hospital) -> None:
    tag = f"GD_RELIABILITY_TAG={uuid.uuid4().hex}"
    env = {**os.environ, "GROENDRAAD_WORKERS": "1", tag.split("=")[0]: tag.split("=")[1]}
    command = [CLI, "run", "--month", str(OCTOBER), "--source", "waste"]
    command += ["--source", "disposables", "--config", str(hospital.folder / "files.yaml")]
    command += ["--warehouse", str(hospital.warehouse)]
    with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL) as running:
        deadline = time.monotonic() + 120
        while len(_tagged(tag)) < 3 and time.monotonic() < deadline:  # run, worker, reader
            assert running.poll() is None, "the run ended before it was killed"
            time.sleep(0.2)
        children = [p for p in _tagged(tag) if p != running.pid]
        assert len(children) >= 2
        running.send_signal(signal.SIGKILL)
        running.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _tagged(tag) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _tagged(tag) == []
    report = run(hospital, OCTOBER, ["waste", "disposables"])  # and the next run recovers
    assert report.ok, [r.error for r in report.failures]
