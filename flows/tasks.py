"""The steps as Prefect tasks: retries, a timeout and caching for fetching; no logic.

Fetching runs in a daemon thread awaited by an async task, so the task's timeout
really ends it (a sync task in Prefect's thread pool cannot be interrupted while it
waits on the network). A fetch that timed out may still finish in the background:
it only adds an immutable, content-addressed delivery to the raw layer, which is safe.
Staging is never abandoned half-way like that, so it has no timeout.

A fetch is cached on (institution, configuration, warehouse, source, month) for a
short while: a retried or repeated run within that time reads the kept delivery back
from the raw layer instead of fetching it again. The cache holds only the small fetch
record (``SourceResult`` with ``raw_path``), never the delivered bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import threading
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

from prefect import get_run_logger, task
from prefect.context import TaskRunContext
from prefect.states import Failed, State

from groendraad import steps
from groendraad.config import Config
from groendraad.flows import refusals
from groendraad.months import Month
from groendraad.pipeline import SourceResult

T = TypeVar("T")
refusals.install()


def fetch_cache_key(_context: TaskRunContext, parameters: dict[str, Any]) -> str:
    config: Config = parameters["config"]
    parts = (
        version("groendraad"),  # a new version never reads an older version's record
        config.institution_id,
        str(config.path),
        str(parameters["root"]),
        parameters["source"],
        str(parameters["month"]),
    )
    return "groendraad-fetch-" + hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


async def in_daemon_thread(function: Callable[..., T], *args: Any) -> T:
    """Run ``function(*args)`` in a daemon thread; cancelling the await abandons it."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Any, failed: bool) -> None:
        if not done.done():
            done.set_exception(outcome) if failed else done.set_result(outcome)

    def work() -> None:
        try:
            outcome, failed = function(*args), False
        except BaseException as exc:  # handed to the awaiting task
            outcome, failed = exc, True
        with contextlib.suppress(RuntimeError):  # the task timed out: its loop is closed
            loop.call_soon_threadsafe(settle, outcome, failed)

    threading.Thread(target=work, name="groendraad-fetch", daemon=True).start()
    return await done


@task(
    name="fetch",
    task_run_name="fetch {source} {month}",
    retries=2,
    retry_delay_seconds=30,
    timeout_seconds=900,
    cache_key_fn=fetch_cache_key,
)
async def fetch(config: Config, root: Path, source: str, month: Month) -> SourceResult:
    """Fetch one source-month into the raw layer (raises the located error to retry)."""
    result = await in_daemon_thread(steps.fetch, config, root, source, month)
    get_run_logger().info(
        "%s %s: fetched in %.1f s, kept as %s", source, month, result.wall_seconds, result.raw_path
    )
    return result


@task(name="stage", task_run_name="stage {source} {month}")
def stage(
    config: Config,
    root: Path,
    source: str,
    month: Month,
    fetched: SourceResult | BaseException,
    reference: SourceResult | BaseException | None,
    run_id: str,
) -> SourceResult | State:
    """Parse, validate and stage one source-month; a failed (or blocked) source ends
    Failed with its located message."""
    result = steps.stage(config, root, source, month, fetched, reference, run_id)
    if result.status != "ok":  # expected: one short located line, no dump (see refusals)
        reason = refusals.short_reason(result.error)
        get_run_logger().error("%s", reason)
        return Failed(message=reason, data=refusals.Refused(result))
    rows = ", ".join(f"{table} {n:,}" for table, n in result.rows.items())
    get_run_logger().info("%s %s: staged %s", source, month, rows)
    return result


@task(name="record validation", task_run_name="record validation")
def record_validation(root: Path, run_id: str, results: list[SourceResult]) -> Path | None:
    """Keep the validation results and write the report: ``steps.record_validation``."""
    return steps.record_validation(root, run_id, results)


@task(name="publish", task_run_name="publish")
def publish(config: Config, root: Path, months: list[Month]) -> dict[str, Any]:
    """Everything after gathering (metrics, pages, export): ``steps.publish``."""
    return steps.publish(config, root, months)
