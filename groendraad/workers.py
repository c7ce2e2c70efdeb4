"""Worker processes for the CPU-heavy half of a run: validation (and page rendering).

A month's CPU time is mostly Great Expectations validation; fetching, parsing and
writing are the rest. One interpreter runs Python on one core at a time, so a run in
one process uses one core however many threads it has. :class:`Workers` hands each
source-month's validation to worker processes while the main process goes on
fetching and parsing, so a run uses every core it is given.

Workers start with "spawn" (forking a process that runs polars threads can hang) and
import Great Expectations as soon as they start, while the main process is still
fetching: that import (seconds of CPU) then costs the main process nothing. Each
worker dies with the run that started it (groendraad.lifeline), even a killed one.

``GROENDRAAD_WORKERS`` sets how many worker processes a run starts; ``0`` validates in
the main process, as the Prefect flows do (their tasks already run side by side).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from groendraad.errors import SourceError, whole_number_setting
from groendraad.expectations import ValidationOutcome, validate_source_month
from groendraad.months import Month

WORKERS_ENV = "GROENDRAAD_WORKERS"
T = TypeVar("T")


def worker_count(months: int) -> int:
    """Worker processes for a run of ``months`` months: ``GROENDRAAD_WORKERS`` when set,
    else one per core up to two (one for a single month: a second worker would spend
    more CPU importing Great Expectations than it saves)."""
    count = whole_number_setting(WORKERS_ENV, 0, " must be 0 or more")
    if count is not None:
        return count
    return max(1, min(os.cpu_count() or 1, 2 if months > 1 else 1))


def _start_worker(parent: int) -> None:
    """Runs first in every worker: die with the run, then build the GX engine (this
    imports GX)."""
    from groendraad.expectations import engine
    from groendraad.lifeline import die_with_parent

    die_with_parent(parent)
    engine.build()


class Workers:
    """A pool of worker processes, or none (``count`` 0: everything runs in-process)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._pool: ProcessPoolExecutor | None = None
        if count > 0:
            self._pool = ProcessPoolExecutor(
                count,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
            # the pool starts processes as work arrives: one job each starts them all now
            for _ in range(count):
                self._pool.submit(os.getpid)

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Run ``fn`` in a worker (or right here when there are none)."""
        if self._pool is not None:
            return self._pool.submit(fn, *args, **kwargs)
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(exc)
        return future

    def validate(
        self,
        source: str,
        month: Month,
        frames: dict[str, pl.DataFrame],
        *,
        warehouse: Path | None,
        reference_organisation: pl.DataFrame | None,
        run_id: str,
    ) -> ValidationOutcome:
        """:func:`validate_source_month` in a worker; waits for its outcome.

        A worker that died (killed, out of memory) fails the source-month with a
        SourceError saying so, not the whole run with a traceback.
        """
        try:
            return self.submit(
                validate_source_month,
                source,
                month,
                frames,
                warehouse=warehouse,
                reference_organisation=reference_organisation,
                run_id=run_id,
            ).result()
        except BrokenProcessPool as exc:
            message = f"could not be validated: a validation worker process stopped ({exc})"
            raise SourceError(source, None, message) from exc

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


IN_PROCESS = Workers(0)
