"""The one Great Expectations engine of a process, and its results in plain terms.

``import great_expectations`` takes seconds, so it happens here, inside :func:`engine`,
the first time a frame is validated, never when a module is imported. One ephemeral
GX context with one pandas datasource and one whole-dataframe batch definition is
built per process and reused for every frame (building one costs more than checking a
month). GX is not thread-safe, so frames are checked one at a time under a lock.

Polars frames cross to pandas at one boundary (``to_pandas()`` in :func:`run`): GX has
no polars engine. Results ask GX for a summary with the positions of the first five
failing rows, which this module turns into located samples from the polars frame;
asking GX for index columns instead costs seconds when many rows fail.
"""

from __future__ import annotations

import hashlib
import operator
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl

from groendraad.expectations.suite import ExpectationSpec
from groendraad.metrics.disclosure import shown_columns

SAMPLE_SIZE = 5
LINE = "source_line"  # the line number column of file deliveries
_GX_SEVERITY = {"blocking": "critical", "warning": "warning"}
# Counts and observed values for every check; row positions (several times slower to
# compute) are asked for only in a second pass over the checks that failed.
_COUNTS_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": SAMPLE_SIZE}
_RESULT_FORMAT = {
    "result_format": "SUMMARY",
    "partial_unexpected_count": SAMPLE_SIZE,
    "return_unexpected_index_query": False,
}
_lock = threading.Lock()
_engine: _Engine | None = None


@dataclass(frozen=True)
class Finding:
    """What one expectation found, before it is tied to a source-month and run."""

    success: bool
    observed_value: str
    rows_affected: int
    rows_checked: int
    unexpected_sample: tuple[str, ...]


class _Engine:
    """The GX context, datasource and batch definition every frame is validated with."""

    def __init__(self) -> None:
        started = time.perf_counter()
        # GX sends usage statistics unless told not to; the pipeline runs offline
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.gx = gx
        _keep_configurations(gx.expectations.Expectation)
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        source = context.data_sources.add_pandas("groendraad")
        asset = source.add_dataframe_asset("frame")
        self.batch_definition = asset.add_batch_definition_whole_dataframe("whole frame")
        self.setup_seconds = time.perf_counter() - started

    def expectation(self, spec: ExpectationSpec, kwargs: dict[str, Any]) -> Any:
        name = "".join(part.capitalize() for part in spec.expect.split("_"))
        cls = getattr(self.gx.expectations, name, None)
        if cls is None:
            raise ValueError(f"{spec.id}: GX has no expectation {spec.expect!r}")
        return cls(**kwargs, severity=_GX_SEVERITY[spec.severity], meta={"id": spec.id})

    def validate(self, frame: Any, specs: Sequence[tuple[ExpectationSpec, dict[str, Any]]]) -> dict:
        """Results by spec id: counts for all, failing rows' positions for the failed."""
        batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
        results = self._run(batch, specs, _COUNTS_FORMAT)
        failed = [(s, k) for s, k in specs if not results[s.id].success]
        if failed:
            results.update(self._run(batch, failed, _RESULT_FORMAT))
        return results

    def _run(
        self,
        batch: Any,
        specs: Sequence[tuple[ExpectationSpec, dict[str, Any]]],
        result_format: dict[str, Any],
    ) -> dict:
        global _kept
        suite = self.gx.ExpectationSuite(
            name="groendraad", expectations=[self.expectation(s, k) for s, k in specs]
        )
        _kept = {}
        try:
            validation = batch.validate(suite, result_format=result_format)
        finally:
            _kept = None
        return {r.expectation_config.meta["id"]: r for r in validation.results}


# An expectation's configuration, built once per validation run (see below); None
# outside a run. Runs are serialised by _lock.
_kept: dict[int, tuple[Any, Any]] | None = None


def _keep_configurations(expectation_class: type) -> None:
    """Build each expectation's ``configuration`` once per validation run.

    GX 1.x rebuilds it (a pydantic round trip that copies every keyword argument,
    value sets included) each time one of the expectation's methods reads it, some 50
    times for one check; that was a third of the validation time. Expectations are not
    changed while a suite runs, so during our runs the first one built is kept (keyed
    by object identity, dropped when the run ends); outside them GX is untouched.
    """
    prop = expectation_class.__dict__["configuration"]
    if getattr(prop.fget, "_groendraad_kept", False):
        return
    build = prop.fget

    def configuration(self: Any) -> Any:
        kept = _kept
        if kept is None:
            return build(self)
        hit = kept.get(id(self))
        if hit is None or hit[0] is not self:
            hit = kept[id(self)] = (self, build(self))
        return hit[1]

    configuration._groendraad_kept = True  # type: ignore[attr-defined]
    expectation_class.configuration = property(configuration, doc=prop.__doc__)  # type: ignore[attr-defined]


def engine() -> _Engine:
    """The process's GX engine, built on first use (this is where GX is imported)."""
    build()
    assert _engine is not None
    return _engine


def build() -> float | None:
    """Build the GX engine if needed; its setup time when this call built it, else None."""
    global _engine
    with _lock:
        if _engine is not None:
            return None
        _engine = _Engine()
        return _engine.setup_seconds


def setup_seconds() -> float | None:
    """How long building the GX engine took (None when it has not been built)."""
    return None if _engine is None else _engine.setup_seconds


def run(
    frame: pl.DataFrame,
    specs: Sequence[tuple[ExpectationSpec, dict[str, Any]]],
    *,
    locate: Sequence[str] | Mapping[str, Sequence[str]],
    redact: Sequence[str],
    noun: str,
    unchecked: str = "without a value",
) -> dict[str, Finding]:
    """Check ``frame`` with every (spec, GX keyword arguments); findings by spec id.

    ``locate`` names the columns that say where a row is (or, by spec id, per check).

    ``noun`` says what a row is (lines, meter-days ...); ``unchecked`` why a row with
    a null in the checked column was not checked. A small frame identical to one
    already checked in this process with the same checks gets GX's findings of then.
    """
    located = dict(locate) if isinstance(locate, Mapping) else {s.id: locate for s, _ in specs}
    key = _memo_key(frame, specs, sorted(located.items()), redact, noun, unchecked)
    with _lock:
        found = _findings.get(key) if key is not None else None
    if found is not None:
        return dict(found)
    gx_engine = engine()
    pandas_frame = frame.to_pandas()
    with _lock:
        raw = gx_engine.validate(pandas_frame, specs)
    found = {
        spec.id: finding(raw[spec.id], kwargs, frame, located[spec.id], redact, (noun, unchecked))
        for spec, kwargs in specs
    }
    if key is not None:
        with _lock:
            _findings[key] = found
            while len(_findings) > MEMO_ENTRIES:
                _findings.popitem(last=False)
    return dict(found)


# Findings on small frames, by content and checks. Month after month most schema
# frames (one row per column), meter lists and organisation tables are identical:
# GX's findings on the same bytes with the same checks are the same findings.
MEMO_ROWS, MEMO_ENTRIES = 2_000, 256
_findings: OrderedDict[tuple, dict[str, Finding]] = OrderedDict()


def _memo_key(
    frame: pl.DataFrame,
    specs: Sequence[tuple[ExpectationSpec, dict[str, Any]]],
    *context: Any,
) -> tuple | None:
    """The frame's content (sha256 of its Arrow IPC bytes) with the checks, or None for
    a frame too large to remember."""
    if frame.height > MEMO_ROWS:
        return None
    content = frame.rechunk().write_ipc(None, compression="uncompressed").getvalue()
    checks = tuple((s.id, s.expect, s.severity, repr(sorted(k.items()))) for s, k in specs)
    return hashlib.sha256(content).hexdigest(), checks, repr(context)


def finding(
    result: Any,
    kwargs: dict[str, Any],
    frame: pl.DataFrame,
    locate: Sequence[str],
    redact: Sequence[str],
    words: tuple[str, str],
) -> Finding:
    """A GX validation result as a Finding: observed value, rows affected, sample."""
    info = result.exception_info or {}
    if info.get("raised_exception"):
        message = str(info.get("exception_message") or "error").splitlines()[0]
        return Finding(False, f"could not be checked: {message}", frame.height, frame.height, ())
    details = result.result or {}
    if "unexpected_count" not in details:
        observed = details.get("observed_value")
        affected = 0 if result.success else frame.height
        return Finding(
            bool(result.success), f"observed {_text(observed)}", affected, frame.height, ()
        )
    unexpected = int(details.get("unexpected_count") or 0)
    checked = int(details.get("element_count") or 0) - int(details.get("missing_count") or 0)
    noun, unchecked = words
    observed = f"{unexpected} of {checked} {noun}"
    not_checked = int(details.get("missing_count") or 0)
    if not_checked:
        observed += f"; {not_checked} not checked ({unchecked})"
    positions = details.get("partial_unexpected_index_list") or []
    sample = located_sample(frame, positions, [*locate, *_columns(kwargs)], redact)
    return Finding(bool(result.success), observed, unexpected, checked, sample)


def _columns(kwargs: dict[str, Any]) -> list[str]:
    """The columns an expectation looks at, from its keyword arguments."""
    columns = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
    return columns + list(kwargs.get("column_list", []))


def located_sample(
    frame: pl.DataFrame, positions: Sequence[Any], columns: Sequence[str], redact: Sequence[str]
) -> tuple[str, ...]:
    """``column=value`` texts of the rows at ``positions`` (personal columns left out,
    never a group's people count: disclosure control).

    In a personal table (a suite with ``redact`` columns) no value is shown but the
    line number: ``source_line=14, column mode``; in its derived frames (people per
    department) not even the group, which would name a department of one person:
    ``row 3, column department, column people``."""
    wanted = [c for c in dict.fromkeys(columns) if c in frame.columns and c not in redact]
    shown = shown_columns(wanted)
    if redact:
        return _lines_only(frame, positions, shown)
    sample = []
    for position in positions[:SAMPLE_SIZE]:
        try:
            index = operator.index(position)
        except TypeError:  # GX gave a label, not a position
            continue
        if not 0 <= index < frame.height:
            continue
        row = frame.row(index, named=True)
        sample.append(", ".join(f"{c}={_text(row[c])}" for c in shown))
    return tuple(sample)


def _lines_only(
    frame: pl.DataFrame, positions: Sequence[Any], shown: Sequence[str]
) -> tuple[str, ...]:
    """Located samples of a personal table: the line number and the column names only."""
    columns = "".join(f", column {c}" for c in shown if c != LINE)
    sample = []
    for position in positions[:SAMPLE_SIZE]:
        try:
            index = operator.index(position)
        except TypeError:
            continue
        if 0 <= index < frame.height:
            where = f"{LINE}={frame[LINE][index]}" if LINE in frame.columns else f"row {index + 1}"
            sample.append(where + columns)
    return tuple(sample)


def _text(value: Any) -> str:
    """A value as the coordinator reads it: dates ISO, floats short, strings quoted."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, str):
        return repr(value)
    return str(value)
