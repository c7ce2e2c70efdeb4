"""What every flow does: gather months under the warehouse lock, publish, report.

Sources of a month are fetched in parallel; the reference source is staged first and
each other source is staged as soon as its own delivery is in. Two months are in
flight at a time (one month's fetching waits on the network while the other's parsing
uses the processor), as ``groendraad backfill`` does.
"""

from __future__ import annotations

import time
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prefect import allow_failure, get_run_logger
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.states import Completed, Failed, State

from groendraad import steps
from groendraad.config import Config
from groendraad.flows import artifacts, refusals, tasks
from groendraad.months import Month
from groendraad.pipeline import SourceResult

MONTHS_IN_FLIGHT = 2
Submitted = list[tuple[str, Month, PrefectFuture[Any]]]


def gather_and_publish(
    kind: str,
    months: list[Month],
    config_path: str | None,
    warehouse: str | None,
    sources: list[str] | None = None,
    refetch: bool = False,
) -> dict[str, Any] | State:
    """The body of every flow. Failed (with each located error) if any source-month
    failed or was blocked by validation; "Completed with warnings" (listing them) if
    any was published with a quality flag; else Completed."""
    logger = get_run_logger()
    config, root = steps.load(config_path, warehouse)
    names = steps.source_names(config, sources)
    run = {
        "run_id": steps.run_id(flow_run.get_id()),
        "orchestrator": "prefect",
        "flow": kind,
        "flow_run_id": flow_run.get_id(),
        "months": [str(m) for m in months],
    }
    logger.info("%s: %s %s into %s", config.institution_name, kind, _label(months), root)
    with steps.exclusive(root, logger.warning):
        started, run["started_at"] = time.perf_counter(), datetime.now(UTC).isoformat()
        results = gather(config, root, months, names, run["run_id"], refetch)
        report = tasks.record_validation(root, run["run_id"], results)
        published = tasks.publish.submit(config, root, months).result(raise_on_failure=False)
        summary = published if isinstance(published, dict) else {}
        run["publish_error"] = None if isinstance(published, dict) else f"publish: {published}"
        run["validation_report"] = str(report) if report else None
        run["publication"] = summary.get("publication")
        run["seconds"] = round(time.perf_counter() - started, 3)
        record = steps.record_run(config, root, run, results)
    artifacts.create(config, kind, months, results, summary, record, report)
    message = "\n".join(filter(None, [steps.failure_message(results), run["publish_error"]]))
    if message:
        return Failed(message=message, data=steps.MonthFailed(message))
    outcome = {"run_record": str(record), **summary}
    flagged = steps.warning_message(results)
    if flagged:
        return Completed(name="Completed with warnings", message=flagged, data=outcome)
    return outcome


def gather(
    config: Config,
    root: Path,
    months: list[Month],
    names: list[str],
    run_id: str,
    refetch: bool,
) -> list[SourceResult]:
    """Every source of every month, as results in month and registry order."""
    settings = steps.Orchestration.of(config)
    fetch = tasks.fetch.with_options(
        retries=settings.fetch_retries,
        retry_delay_seconds=settings.fetch_retry_delay_s,
        timeout_seconds=settings.fetch_timeout_s,
        cache_expiration=timedelta(minutes=settings.fetch_cache_minutes),
        refresh_cache=refetch,
    )
    in_flight: deque[Submitted] = deque()
    results: list[SourceResult] = []
    for month in months:
        if len(in_flight) == MONTHS_IN_FLIGHT:
            results += _collect(in_flight.popleft())
        in_flight.append(_submit_month(fetch, config, root, month, names, run_id))
    while in_flight:
        results += _collect(in_flight.popleft())
    return results


def _submit_month(
    fetch: Any, config: Config, root: Path, month: Month, names: list[str], run_id: str
) -> Submitted:
    fetched = {name: fetch.submit(config, root, name, month) for name in names}
    submitted: Submitted = []
    reference = None
    if "reference" in fetched:
        reference = tasks.stage.submit(
            config, root, "reference", month, allow_failure(fetched["reference"]), None, run_id
        )
        submitted.append(("reference", month, reference))
    for name in names:
        if name != "reference":
            future = tasks.stage.submit(
                config,
                root,
                name,
                month,
                allow_failure(fetched[name]),
                allow_failure(reference) if reference is not None else None,
                run_id,
            )
            submitted.append((name, month, future))
    return submitted


def _collect(submitted: Submitted) -> list[SourceResult]:
    results = []
    for name, month, future in submitted:
        outcome = future.result(raise_on_failure=False)
        if isinstance(outcome, refusals.Refused):
            outcome = outcome.result
        if not isinstance(outcome, SourceResult):  # the step itself broke: still reported
            outcome = steps.failed(name, month, outcome)
        results.append(outcome)
    return results


def _label(months: list[Month]) -> str:
    return str(months[0]) if len(months) == 1 else f"{months[0]} .. {months[-1]}"
