"""Gather one month: fetch every source, keep the raw delivery, parse, stage.

Plain functions, no orchestration framework: the CLI calls them directly and the
Prefect flows wrap the same steps as tasks. One failing source never stops or loses
the others, and nothing of a failing source is staged.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import httpx
import polars as pl

from groendraad.config import Config
from groendraad.errors import GroendraadError, SourceError
from groendraad.expectations import ValidationOutcome, publishable_tables
from groendraad.months import Month
from groendraad.sources import deadline, registry
from groendraad.sources.base import ParseContext, RawDelivery, Reference
from groendraad.sources.deadline import DEFAULT_DEADLINE_S
from groendraad.sources.finite import check_finite
from groendraad.sources.reference import reference_from
from groendraad.warehouse import raw, staging
from groendraad.workers import IN_PROCESS, Workers

Progress = Callable[[str, str], None]  # (source, what happened)
NO_REFERENCE = "cannot be mapped: the reference data for this month failed"
NOT_STAGED = (
    "cannot be mapped: no reference staged for this month (gather it with --source reference)"
)


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
    # where this fetch found each part: an identical delivery kept earlier may name
    # another server or path in its manifest, and errors must name the current one
    locations: tuple[str, ...] = ()
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


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client: loading the CA bundle costs ~45 ms of CPU,
    which a backfill would otherwise pay for every source in every month."""
    return httpx.create_ssl_context()


def make_client(timeout_s: float, deadline_s: float = DEFAULT_DEADLINE_S) -> httpx.Client:
    """A client for one source's fetch: ``timeout_s`` per read, ``deadline_s`` in all."""
    return deadline.client(timeout_s, deadline_s, verify=_tls())


def fetch_source(
    config: Config, root: Path, name: str, month: Month
) -> tuple[SourceResult, RawDelivery | None]:
    """Fetch one source's delivery and keep it in the raw layer."""
    result = SourceResult(name, month)
    started = time.perf_counter()
    try:
        source_config = config.source(name)
        timeout_s = float(source_config.get("timeout_s", 30))
        deadline_s = float(source_config.get("deadline_s", DEFAULT_DEADLINE_S))
        with make_client(timeout_s, deadline_s) as client:
            delivery = registry.connector(name).fetch(client, month, source_config)
        stored = raw.store(root, delivery)
        result.delivery_sha256, result.raw_path = stored.sha256, str(stored.path)
        result.locations = tuple(part.location for part in delivery.parts)
        refuse_resent(root, delivery, stored.path)
        return result, delivery
    except GroendraadError as exc:
        _fail(result, exc)
        return result, None
    finally:
        result.seconds["fetch"] = time.perf_counter() - started


def refuse_resent(root: Path, delivery: RawDelivery, stored: Path) -> None:
    """Refuse a monthly file delivery byte-identical to one kept earlier for another
    month (the raw layer knows every delivery's sha256)."""
    if not getattr(registry.connector(delivery.source), "MONTHLY_FILES", False):
        return
    other = raw.kept_earlier_elsewhere(root, stored)
    if other is not None:
        month = other.parent.name.removeprefix("month=")
        message = (
            f"byte for byte the delivery of {month} (kept in {other}): "
            f"{month}'s file sent again as {delivery.month}? Nothing is staged"
        )
        raise SourceError(delivery.source, _locations(delivery), message)


def parse_and_stage(
    config: Config,
    root: Path,
    result: SourceResult,
    delivery: RawDelivery,
    reference: Reference | None,
    *,
    run_id: str = "adhoc",
    workers: Workers = IN_PROCESS,
    on_parsed: Callable[[dict[str, pl.DataFrame]], None] | None = None,
    reference_staged: Future[SourceResult] | None = None,
) -> SourceResult:
    """Parse a kept delivery, validate it (in one of ``workers``), and stage its tables
    (all or nothing).

    A blocking validation failure stages nothing of the source-month: the raw
    delivery stays, and the located failures become the result's error.
    ``on_parsed`` is handed the parsed frames before validation. With
    ``reference_staged``, ``reference`` is the reference source's parsed (not yet
    staged) organisation, and nothing is staged unless that source was staged.
    """
    connector = registry.connector(result.source)
    started = time.perf_counter()
    try:
        if connector.NEEDS_REFERENCE and reference is None:
            missing = NO_REFERENCE if reference_staged is not None else NOT_STAGED
            raise SourceError(result.source, None, missing)
        context = ParseContext(result.month, config.source(result.source), reference)
        frames = connector.parse(delivery, context)
        check_finite(result.source, _locations(delivery), frames)
        result.seconds["parse"] = time.perf_counter() - started
        if on_parsed is not None:
            on_parsed(frames)
        started = time.perf_counter()
        result.validation = workers.validate(
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
        if reference_staged is not None and reference_staged.result().status != "ok":
            result.validation = None  # mapped against a reference that was not staged
            raise SourceError(result.source, None, NO_REFERENCE)
        started = time.perf_counter()
        result.rows = staging.write_source_month(
            root, result.month, publishable, delivery.sha256, run_id
        )
        result.seconds["write"] = time.perf_counter() - started
        result.status = "ok"
    except (GroendraadError, ValueError) as exc:
        result.seconds.setdefault("parse", time.perf_counter() - started)
        _fail(result, exc)
    return result


def staged_reference(root: Path, month: Month) -> Reference | None:
    """The organisation staged for ``month`` (a run of some sources without the
    reference maps against it), or None when none is staged."""
    try:
        return reference_from(staging.read_month(root, "organisation", month))
    except FileNotFoundError:
        return None


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
    workers: Workers = IN_PROCESS,
) -> list[SourceResult]:
    """Gather ``month`` from every configured source (or the named ones) into ``root``,
    validating each source-month in one of ``workers``.

    Each source goes fetch, parse, validate, stage on its own thread. Sources mapped
    against the organisation parse as soon as the reference source has been parsed,
    and stage only once it has been staged: a reference that fails stages none of them.
    """
    names = [
        n for n in registry.CONNECTORS if n in config.sources and (not sources or n in sources)
    ]
    notify = progress or (lambda source, what: None)
    gather = _Gathering(config, root, month, notify, run_id, workers, "reference" in names)
    with ThreadPoolExecutor(max_workers=max(1, len(names))) as pool:
        return list(pool.map(gather.source, names))


class _Gathering:
    """One month's sources, each on its own thread, and the reference they wait for."""

    def __init__(self, config, root, month, notify, run_id, workers, with_reference) -> None:
        self.config, self.root, self.month, self.notify = config, root, month, notify
        self.run_id, self.workers = run_id, workers
        # the parsed organisation (None when the reference cannot be parsed), and the
        # reference source's result once it is staged or has failed
        self.parsed: Future[Reference | None] | None = Future() if with_reference else None
        self.staged: Future[SourceResult] | None = Future() if with_reference else None

    def source(self, name: str) -> SourceResult:
        if name == "reference":
            return self._reference()
        result, delivery = self._fetch(name)
        if delivery is not None:
            if registry.connector(name).NEEDS_REFERENCE and self.parsed is not None:
                reference = self.parsed.result()
                self._stage(result, delivery, reference, reference_staged=self.staged)
            elif registry.connector(name).NEEDS_REFERENCE:
                self._stage(result, delivery, staged_reference(self.root, self.month))
            else:
                self._stage(result, delivery, None)
        return result

    def _reference(self) -> SourceResult:
        assert self.parsed is not None and self.staged is not None
        result = SourceResult("reference", self.month)
        try:
            result, delivery = self._fetch("reference")
            if delivery is not None:
                self._stage(result, delivery, None, on_parsed=self._parsed)
        finally:
            if not self.parsed.done():
                self.parsed.set_result(None)
            self.staged.set_result(result)
        return result

    def _parsed(self, frames: dict[str, pl.DataFrame]) -> None:
        """The reference as it will be staged, for the sources mapped against it."""
        assert self.parsed is not None
        organisation = staging.as_staged("organisation", frames["organisation"])
        self.parsed.set_result(reference_from(organisation))

    def _fetch(self, name: str) -> tuple[SourceResult, RawDelivery | None]:
        self.notify(name, "fetching")
        outcome = fetch_source(self.config, self.root, name, self.month)
        self.notify(name, "fetched" if outcome[1] is not None else "failed")
        return outcome

    def _stage(self, result: SourceResult, delivery: RawDelivery, reference, **gate) -> None:
        parse_and_stage(
            self.config, self.root, result, delivery, reference,
            run_id=self.run_id, workers=self.workers, **gate,
        )  # fmt: skip
        self.notify(result.source, result.status)


def _fail(result: SourceResult, exc: Exception) -> None:
    result.status = "failed"
    message = str(exc)
    result.error = (
        message if message.startswith(f"{result.source}:") else f"{result.source}: {message}"
    )
