"""Run records and the warehouse lock.

``runs/<run id>.json`` records, per run, each source-month's status, rows, timings and
error. The lock keeps two runs from writing the same warehouse at once.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from groendraad.errors import GroendraadError
from groendraad.warehouse.files import write_bytes_atomic
from groendraad.warehouse.sweep import recover_and_sweep


class WarehouseBusy(GroendraadError):
    """Another run holds the warehouse lock."""


@contextmanager
def warehouse_lock(root: Path, *, wait: bool = True) -> Iterator[None]:
    """Hold an exclusive lock on the warehouse for the duration of a run.

    Whoever takes it first completes what a killed run left half published and sweeps
    its stale temporary files (warehouse/sweep.py): no writer is running then."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+", encoding="utf-8") as handle:
        flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(handle.fileno(), flags)
        except BlockingIOError:
            raise WarehouseBusy(f"{root}: another run is writing this warehouse") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            recover_and_sweep(root)
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def write_run_record(root: Path, run_id: str, record: dict[str, Any]) -> Path:
    path = root / "runs" / f"{run_id}.json"
    write_bytes_atomic(path, json.dumps(record, indent=2, default=str).encode("utf-8"))
    return path
