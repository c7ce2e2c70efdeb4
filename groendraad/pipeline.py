"""Gather one month: fetch every source, keep the raw delivery, parse, stage.

Plain functions, no orchestration framework: the CLI calls them directly and the
Prefect flows wrap the same steps as tasks. One failing source never stops or loses
the others, and nothing of a failing source is staged.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from groendraad.config import Config
from groendraad.errors import GroendraadError, SourceError
from groendraad.expectations import (
    ValidationOutcome,
    publishable_tables,
    validate_source_month,
)
from groendraad.months import Month
from groendraad.sources import registry
from groendraad.sources.base import ParseContext, RawDelivery, Reference
from groendraad.warehouse import raw, staging

Progress = Callable[[str, str], None]  # (source, what happened)


@dataclass
class SourceResult:
    """What happened to one source in one month."""

    source: str
    month: Month
    status: str = "pending"  # ok | failed
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage: fetch, parse, write
    error: str | None = None
    delivery_sha256: str | None = None
    raw_path: str | None = None
    validation: ValidationOutcome | None = None

    @property
    def quality(self) -> str:
        """``ok``, ``warning`` (published with a flag), ``blocked`` or ``failed``."""
        if self.validation is not None:
            return self.validation.quality
        return "ok" if self.status == "ok" else "failed"

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def wall_seconds(self) -> float:
        return sum(self.seconds.values())

    def as_record(self) -> dict[str, object]:
        return {
            "source": self.source,
            "month": str(self.month),
            "status": self.status,
            "rows": self.rows,
            "seconds": {k: round(v, 4) for k, v in self.seconds.items()},
            "error": self.error,
            "delivery_sha256": self.delivery_sha256,
            "raw_path": self.raw_path,
            "quality": self.quality,
            "warnings": self.validation.describe("warning") if self.validation else None,
        }


def make_client(timeout_s: float) -> httpx.Client:
    return httpx.Client(timeout=httpx.Timeout(timeout_s), follow_redirects=False)


def fetch_source(
    config: Config, root: Path, name: str, month: Month
) -> tuple[SourceResult, RawDelivery | None]:
    """Fetch one source's delivery and keep it in the raw layer."""
    result = SourceResult(name, month)
    started = time.perf_counter()
    try:
        source_config = config.source(name)
        with make_client(float(source_config.get("timeout_s", 30))) as client:
            delivery = registry.connector(name).fetch(client, month, source_config)
        stored = raw.store(root, delivery)
        result.delivery_sha256, result.raw_path = stored.sha256, str(stored.path)
        return result, delivery
    except GroendraadError as exc:
        _fail(result, exc)
        return result, None
    finally:
        result.seconds["fetch"] = time.perf_counter() - started


def parse_and_stage(
    config: Config,
    root: Path,
    result: SourceResult,
    delivery: RawDelivery,
    reference: Reference | None,
    *,
    run_id: str = "adhoc",
) -> SourceResult:
    """Parse a kept delivery, validate it, and stage its tables (all or nothing).

    A blocking validation failure stages nothing of the source-month: the raw
    delivery stays, and the located failures become the result's error.
    """
    connector = registry.connector(result.source)
    started = time.perf_counter()
    try:
        if connector.NEEDS_REFERENCE and reference is None:
            raise SourceError(
                result.source, None, "cannot be mapped: the reference data for this month failed"
            )
        context = ParseContext(result.month, config.source(result.source), reference)
        frames = connector.parse(delivery, context)
        result.seconds["parse"] = time.perf_counter() - started
        started = time.perf_counter()
        result.validation = validate_source_month(
            result.source,
            result.month,
            frames,
            warehouse=root,
            reference_organisation=_organisation(frames, reference),
            run_id=run_id,
        )
        result.seconds["validate"] = time.perf_counter() - started
        publishable = publishable_tables(result.validation, frames)
        if not publishable:
            raise SourceError(result.source, _locations(delivery), _blocking(result.validation))
        started = time.perf_counter()
        result.rows = staging.write_source_month(root, result.month, publishable, delivery.sha256)
        result.seconds["write"] = time.perf_counter() - started
        result.status = "ok"
    except (GroendraadError, ValueError) as exc:
        result.seconds.setdefault("parse", time.perf_counter() - started)
        _fail(result, exc)
    return result


def _organisation(frames: dict, reference: Reference | None):
    """The organisation to check departments and cost centres against."""
    if "organisation" in frames:
        return frames["organisation"]
    return reference.organisation if reference is not None else None


def _locations(delivery: RawDelivery) -> str:
    """Where a delivery came from: its files, or the API it was fetched from."""
    locations = [part.location for part in delivery.parts]
    if len(locations) <= 2:
        return ", ".join(locations)
    return locations[0].split("?")[0].rsplit("/", 1)[0] + "/..."


def _blocking(outcome: ValidationOutcome) -> str:
    text = outcome.describe("blocking") or "blocked by validation"
    prefix = f"{outcome.source} {outcome.month}: "
    return "validation failed: " + text.removeprefix(prefix)


def run_month(
    config: Config,
    root: Path,
    month: Month,
    *,
    sources: list[str] | None = None,
    progress: Progress | None = None,
    run_id: str = "adhoc",
) -> list[SourceResult]:
    """Gather ``month`` from every configured source (or the named ones) into ``root``."""
    names = [
        n for n in registry.CONNECTORS if n in config.sources and (not sources or n in sources)
    ]
    notify = progress or (lambda source, what: None)
    with ThreadPoolExecutor(max_workers=max(1, len(names))) as pool:
        fetched = dict(
            zip(
                names,
                pool.map(lambda n: _fetch_noting(config, root, n, month, notify), names),
                strict=True,
            )
        )
        reference = _reference(config, root, fetched, notify, run_id)
        rest = [n for n in names if n != "reference"]
        list(
            pool.map(
                lambda n: _stage_noting(config, root, fetched[n], reference, notify, run_id), rest
            )
        )
    return [fetched[n][0] for n in names]


def _fetch_noting(config: Config, root: Path, name: str, month: Month, notify: Progress):
    notify(name, "fetching")
    outcome = fetch_source(config, root, name, month)
    notify(name, "fetched" if outcome[1] is not None else "failed")
    return outcome


def _stage_noting(config, root, outcome, reference, notify, run_id: str) -> None:
    result, delivery = outcome
    if delivery is None:
        return
    parse_and_stage(config, root, result, delivery, reference, run_id=run_id)
    notify(result.source, result.status)


def _reference(
    config: Config, root: Path, fetched, notify: Progress, run_id: str
) -> Reference | None:
    """Stage the reference source first and hand its organisation to the others."""
    if "reference" not in fetched:
        return None
    result, delivery = fetched["reference"]
    if delivery is None:
        return None
    parse_and_stage(config, root, result, delivery, None, run_id=run_id)
    notify("reference", result.status)
    if result.status != "ok":
        return None
    return Reference(organisation=staging.read_month(root, "organisation", result.month))


def _fail(result: SourceResult, exc: Exception) -> None:
    result.status = "failed"
    message = str(exc)
    result.error = (
        message if message.startswith(f"{result.source}:") else f"{result.source}: {message}"
    )
