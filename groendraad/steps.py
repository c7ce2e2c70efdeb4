"""The pipeline's steps as the Prefect flows call them: small functions, no Prefect.

``groendraad.flows`` wraps each of these in a task (retries, timeouts, caching,
logging) and only wires them together; whatever a step decides lives here, testable
without an orchestrator. The plain CLI (``groendraad run``) calls
``pipeline.run_month`` instead, which does the same per source.

``publish`` is the single entry point for everything after gathering and validation
(metrics, pages, export): the flows call it once per run with the months they gathered.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from groendraad.config import Config, load_config
from groendraad.errors import GroendraadError
from groendraad.months import Month
from groendraad.pipeline import SourceResult, fetch_source, parse_and_stage, staged_reference
from groendraad.sources import registry
from groendraad.sources.base import RawDelivery, Reference
from groendraad.warehouse import raw, staging
from groendraad.warehouse.runs import WarehouseBusy, warehouse_lock, write_run_record
from groendraad.warehouse.schema import tables

SITE_INDEX = Path("site") / "index.html"


class FetchFailed(GroendraadError):
    """A source could not be fetched; the message is the located error."""

    def __init__(self, message: str, seconds: float = 0.0) -> None:
        super().__init__(message, seconds)  # both in args, so it pickles
        self.message, self.seconds = message, seconds

    def __str__(self) -> str:
        return self.message


class MonthFailed(GroendraadError):
    """One or more source-months failed; the message lists each located error."""


@dataclass(frozen=True)
class Orchestration:
    """How the flows run the steps: the ``orchestration:`` section of the config."""

    fetch_retries: int = 2
    fetch_retry_delay_s: float = 30.0
    fetch_timeout_s: float = 900.0
    fetch_cache_minutes: float = 15.0

    @classmethod
    def of(cls, config: Config) -> Orchestration:
        section = config.raw.get("orchestration") or {}
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise GroendraadError(
                f"{config.path}: orchestration: unknown setting(s) {', '.join(unknown)} "
                f"(known: {', '.join(sorted(known))})"
            )
        try:
            return cls(**{k: type(getattr(cls, k))(v) for k, v in section.items()})
        except (TypeError, ValueError) as exc:
            raise GroendraadError(f"{config.path}: orchestration: {exc}") from None


def load(config_path: str | None, warehouse: str | None) -> tuple[Config, Path]:
    """The configuration and warehouse folder, resolved as the CLI does.

    ``None`` (or empty) falls back to GROENDRAAD_CONFIG / GROENDRAAD_WAREHOUSE, then to
    ``groendraad.yaml`` and ``warehouse-data/`` beside the configuration.
    """
    path = config_path or os.environ.get("GROENDRAAD_CONFIG") or "groendraad.yaml"
    config = load_config(path)
    folder = warehouse or os.environ.get("GROENDRAAD_WAREHOUSE")
    root = Path(folder) if folder else config.path.parent / "warehouse-data"
    return config, root.resolve()


def source_names(config: Config, only: list[str] | None = None) -> list[str]:
    """The configured sources to gather, in registry order (reference first)."""
    unknown = sorted(set(only or ()) - set(config.sources))
    if unknown:
        raise GroendraadError(
            f"unknown source(s) {', '.join(unknown)} (configured: {', '.join(config.sources)})"
        )
    return [n for n in registry.CONNECTORS if n in config.sources and (not only or n in only)]


def fetch(config: Config, root: Path, source: str, month: Month) -> SourceResult:
    """Fetch one source-month into the raw layer; raise FetchFailed so it can be retried.

    The result names the kept delivery (``raw_path``): ``stage`` reads it back from
    there, so a cached fetch needs only this small record, never the bytes.
    """
    result, delivery = fetch_source(config, root, source, month)
    if delivery is None:
        raise FetchFailed(result.error or f"{source}: fetch failed", result.seconds["fetch"])
    return result


def stage(
    config: Config,
    root: Path,
    source: str,
    month: Month,
    fetched: SourceResult | BaseException,
    reference: SourceResult | BaseException | None,
    run_id: str,
) -> SourceResult:
    """Parse, validate and stage a fetched delivery (a failed fetch gives its failed
    result). Validation results are kept under ``run_id``."""
    if isinstance(fetched, BaseException):
        return failed(source, month, fetched)
    result = dataclasses.replace(fetched, rows={}, seconds=dict(fetched.seconds))
    try:
        delivery = raw.load(Path(result.raw_path or ""))
    except (OSError, ValueError, KeyError) as exc:
        return failed(
            source,
            month,
            GroendraadError(f"the kept delivery {result.raw_path} cannot be read ({exc})"),
            seconds=result.seconds,
        )
    delivery = located_now(delivery, result.locations)
    reference_data = reference_of(root, month, reference)
    return parse_and_stage(config, root, result, delivery, reference_data, run_id=run_id)


def located_now(delivery: RawDelivery, locations: tuple[str, ...]) -> RawDelivery:
    """The kept delivery with the locations of the fetch that found it (a re-fetched
    identical delivery is kept once, under the location it was first fetched from)."""
    if len(locations) != len(delivery.parts):
        return delivery
    parts = tuple(
        dataclasses.replace(part, location=where)
        for part, where in zip(delivery.parts, locations, strict=True)
    )
    return dataclasses.replace(delivery, parts=parts)


def reference_of(
    root: Path, month: Month, reference: SourceResult | BaseException | None
) -> Reference | None:
    """The month's staged organisation, if the reference source was staged in this run
    (or, when this run does not gather the reference, if it was staged before)."""
    if reference is None:
        return staged_reference(root, month)
    if not isinstance(reference, SourceResult) or reference.status != "ok":
        return None
    return Reference(organisation=staging.read_month(root, "organisation", month))


def failed(
    source: str, month: Month, error: object, seconds: dict[str, float] | None = None
) -> SourceResult:
    """A failed result whose message starts with the source, as run_month's do.

    ``error`` is what the step raised (or, from a broken task, whatever it left).
    """
    if isinstance(error, FetchFailed):
        seconds = {"fetch": error.seconds}
    message = str(error) if isinstance(error, GroendraadError) else f"{error!r}"
    if not message.startswith(f"{source}:"):
        message = f"{source}: {message}"
    return SourceResult(source, month, "failed", seconds=seconds or {}, error=message)


def failure_message(results: list[SourceResult]) -> str | None:
    """One message listing every failed source-month's located error, or None."""
    failures = [r for r in results if r.status != "ok"]
    if not failures:
        return None
    lines = [f"{len(failures)} of {len(results)} source-month(s) failed:"]
    lines += [f"- {r.month} {r.error}" for r in failures]
    return "\n".join(lines)


def warning_message(results: list[SourceResult]) -> str | None:
    """One message listing the source-months published with a quality flag, or None."""
    flagged = [r.validation.describe("warning") for r in results if r.quality == "warning"]
    if not flagged:
        return None
    lines = [f"{len(flagged)} of {len(results)} source-month(s) published with a quality flag:"]
    return "\n".join(lines + [f"- {line}" for line in flagged if line])


@contextmanager
def exclusive(root: Path, on_wait: Callable[[str], None]) -> Iterator[None]:
    """Hold the warehouse lock; say so (``on_wait``) when another run holds it."""
    with ExitStack() as stack:
        try:
            stack.enter_context(warehouse_lock(root, wait=False))
        except WarehouseBusy as busy:
            on_wait(f"{busy}; waiting until it is done")
            stack.enter_context(warehouse_lock(root))
        yield


def record_validation(root: Path, run_id: str, results: list[SourceResult]) -> Path | None:
    """Keep the run's validation results and write its HTML report, as the CLI does."""
    from groendraad.runner import RunReport, record_validation

    if not any(r.validation is not None for r in results):
        return None
    return record_validation(root, RunReport(run_id, results))


def publish(config: Config, root: Path, months: list[Month]) -> dict[str, Any]:
    """Everything after gathering and validation, for ``months``: the one entry point.

    Publishes what passed validation (``publication.publish_months``: metrics now,
    pages and export as they land) and summarises what the warehouse holds.

    Returns a JSON-able dict the flows show as artifacts:
      ``months``       the months, ``YYYY-MM``
      ``tables``       {table: {month: rows}} of the staging tables for those months
      ``publication``  what was published (new metric versions, figures, paths)
      ``pages``        path of the pages' index.html, or None while there are none
    """
    from groendraad.publication import publish_months

    publication = publish_months(config, root, months)
    staged: dict[str, dict[str, int]] = {}
    for table in tables():
        for month in months:
            path = staging.month_file(root, table, month)
            if path.is_file():
                staged.setdefault(table, {})[str(month)] = pq.ParquetFile(path).metadata.num_rows
    site = root / SITE_INDEX
    return {
        "months": [str(m) for m in months],
        "tables": staged,
        "publication": dataclasses.asdict(publication),
        "pages": str(site) if site.is_file() else None,
    }


def record_run(
    config: Config,
    root: Path,
    run: dict[str, Any],
    results: list[SourceResult],
) -> Path:
    """Write the run record (runs/<run id>.json), as ``groendraad run`` does."""
    record = {
        **run,
        "institution": config.institution_id,
        "config": str(config.path),
        "finished_at": datetime.now(UTC).isoformat(),
        "results": [r.as_record() for r in results],
    }
    return write_run_record(root, str(run["run_id"]), record)


def run_id(flow_run_id: str | None) -> str:
    """A sortable run id ending in the Prefect flow run's first 8 characters."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{(flow_run_id or os.urandom(4).hex())[:8]}"


def find_run_record(root: Path, flow_run_id: str) -> Path | None:
    """The run record a flow run wrote (see ``run_id``)."""
    found = sorted((root / "runs").glob(f"*-{flow_run_id[:8]}.json"))
    return found[-1] if found else None


def result_of(record: dict[str, Any]) -> SourceResult:
    """A SourceResult back from its run-record entry."""
    return SourceResult(
        source=record["source"],
        month=Month.parse(record["month"]),
        status=record["status"],
        rows=dict(record["rows"]),
        seconds=dict(record["seconds"]),
        error=record["error"],
        delivery_sha256=record["delivery_sha256"],
        raw_path=record["raw_path"],
    )
