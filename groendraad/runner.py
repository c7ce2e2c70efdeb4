"""Run a list of months under the warehouse lock, with progress, and record the run."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from groendraad.config import Config
from groendraad.months import Month
from groendraad.pipeline import SourceResult, run_month
from groendraad.publication import PublicationSummary, publish_months
from groendraad.warehouse.runs import warehouse_lock, write_run_record
from groendraad.workers import Workers, worker_count

MONTHS_IN_FLIGHT = 2
MonthDone = Callable[[Month, list[SourceResult]], None]


@dataclass
class RunReport:
    run_id: str
    results: list[SourceResult] = field(default_factory=list)
    seconds: float = 0.0
    record_path: Path | None = None
    validation_report: Path | None = None
    publication: PublicationSummary | None = None

    @property
    def failures(self) -> list[SourceResult]:
        return [r for r in self.results if r.status != "ok"]

    @property
    def ok(self) -> bool:
        return not self.failures


def keep_validation(root: Path, results: list[SourceResult]) -> None:
    """Keep the validation results of ``results`` as data in the warehouse."""
    from groendraad.expectations import write_results

    write_results(root, [r.validation for r in results if r.validation is not None])


def validation_report(root: Path, report: RunReport) -> Path:
    """Write the offline HTML report of the run's validation."""
    from groendraad.expectations import render_report

    outcomes = [r.validation for r in report.results if r.validation is not None]
    return render_report(outcomes, root / "validation" / "reports" / f"{report.run_id}.html")


def record_validation(root: Path, report: RunReport) -> Path:
    """Keep the run's validation results as data and write its offline HTML report."""
    keep_validation(root, report.results)
    return validation_report(root, report)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def run_months(
    config: Config,
    root: Path,
    months: list[Month],
    *,
    sources: list[str] | None = None,
    on_month: MonthDone | None = None,
    on_source: Callable[[str, str], None] | None = None,
) -> RunReport:
    """Gather each month in turn into warehouse ``root`` and write the run record."""
    report = RunReport(new_run_id())
    started = time.perf_counter()
    # Validation runs in worker processes (they import GX as they start, while the
    # sources are fetched); two months in flight keep them fed: one month's fetching
    # waits on the network while the other's parsing uses the processor. Months touch
    # disjoint partitions.
    try:
        _gather_and_publish(config, root, months, report, sources, on_month, on_source)
    except Exception as exc:
        # the run stops, but never without its record: what it did and why it stopped
        report.seconds = time.perf_counter() - started
        report.record_path = _record(config, root, months, report, error=f"{exc}")
        raise
    report.seconds = time.perf_counter() - started
    report.record_path = _record(config, root, months, report)
    return report


def _gather_and_publish(
    config: Config,
    root: Path,
    months: list[Month],
    report: RunReport,
    sources: list[str] | None,
    on_month: MonthDone | None,
    on_source: Callable[[str, str], None] | None,
) -> None:
    with (
        warehouse_lock(root),
        Workers(worker_count(len(months))) as workers,
        ThreadPoolExecutor(max_workers=MONTHS_IN_FLIGHT) as pool,
    ):
        gather = partial(
            run_month, config, root, sources=sources, progress=on_source,
            run_id=report.run_id, workers=workers,
        )  # fmt: skip
        for month, results in zip(months, pool.map(gather, months), strict=True):
            report.results.extend(results)
            keep_validation(root, results)  # as months finish, while the workers go on
            if on_month:
                on_month(month, results)
        report.validation_report = validation_report(root, report)
        report.publication = publish_months(config, root, months, workers=workers)


def _record(
    config: Config, root: Path, months: list[Month], report: RunReport, error: str | None = None
) -> Path:
    record = {
        "run_id": report.run_id,
        "institution": config.institution_id,
        "config": str(config.path),
        "months": [str(m) for m in months],
        "seconds": round(report.seconds, 3),
        "results": [r.as_record() for r in report.results],
        "validation_report": str(report.validation_report),
        "publication": asdict(report.publication) if report.publication else None,
    }
    if error is not None:
        record["error"] = error
    return write_run_record(root, report.run_id, record)
