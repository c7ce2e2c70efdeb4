"""Validate one source's month: every staging table against its suite.

:func:`validate_source_month` takes the frames a connector's ``parse()`` returned (or
the staged tables, see :func:`validate_staged_month`), checks each table's schema
first, then every other check of its suite on the conformed table or on a frame
derived from it, and returns a :class:`ValidationOutcome`: a blocking failure keeps
the source's month out of publication; a failed warning publishes it with a flag.
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import polars as pl

from groendraad.expectations import engine
from groendraad.expectations import frames as derive
from groendraad.expectations.results import CheckResult, ValidationOutcome
from groendraad.expectations.suite import (
    REQUIRED_FRAME,
    SCHEMA_FRAME,
    ExpectationSpec,
    Suite,
    suites_of_source,
)
from groendraad.metrics.disclosure import redacted_columns
from groendraad.months import Month
from groendraad.warehouse import staging
from groendraad.warehouse.schema import table as table_spec

_BUILD_ERRORS = (pl.exceptions.PolarsError, KeyError, ValueError, TypeError)


def validate_source_month(
    source: str,
    month: Month,
    frames: dict[str, pl.DataFrame],
    *,
    warehouse: Path | None = None,
    reference_organisation: pl.DataFrame | None = None,
    run_id: str,
) -> ValidationOutcome:
    """Check every staging table of ``source`` for ``month`` against its suite.

    ``frames`` are the source's staging tables by name (as parse() returns them);
    ``warehouse`` holds the staged trailing months for month-over-month checks (None:
    those checks find no history and pass); ``reference_organisation`` is the month's
    ``organisation`` table, for department and cost-centre checks.
    """
    suites = suites_of_source(source)
    if not suites:
        raise ValueError(f"no staging tables are declared for source {source!r}")
    setup = _engine_setup()
    started = time.perf_counter()
    checker = _Checker(source, month, run_id, value_sets(month, reference_organisation))
    conformed: dict[str, pl.DataFrame] = {}
    for suite in suites:
        frame = checker.check_schema(suite, frames.get(suite.table))
        if frame is not None:
            conformed[suite.table] = frame
    for suite in suites:
        if suite.table in conformed:
            context = derive.FrameContext(suite.table, month, conformed, warehouse, suite.locate)
            checker.check_suite(suite, context)
    outcome = ValidationOutcome(run_id, source, str(month), checker.ordered(suites))
    outcome.seconds = {**setup, **checker.seconds, "total": time.perf_counter() - started}
    return outcome


def publishable_tables(
    outcome: ValidationOutcome, frames: dict[str, pl.DataFrame]
) -> dict[str, pl.DataFrame]:
    """The tables of a validated source-month that may be published: all of them, or
    none when a blocking check failed (nothing of a source's month is published half)."""
    return {} if outcome.blocking_failed else dict(frames)


def validate_staged_month(
    warehouse: Path, month: Month, *, run_id: str, sources: list[str] | None = None
) -> list[ValidationOutcome]:
    """Validate again what is staged for ``month`` (``groendraad validate --month``)."""
    from groendraad.sources.registry import CONNECTORS

    organisation = _staged(warehouse, "organisation", month)
    outcomes = []
    for source in CONNECTORS:
        if sources and source not in sources:
            continue
        staged = {
            s.table: frame
            for s in suites_of_source(source)
            if (frame := _staged(warehouse, s.table, month)) is not None
        }
        if staged:
            outcomes.append(
                validate_source_month(
                    source, month, staged, warehouse=warehouse,
                    reference_organisation=organisation, run_id=run_id,
                )
            )  # fmt: skip
    return outcomes


def value_sets(month: Month, organisation: pl.DataFrame | None) -> dict[str, list[Any]]:
    """The value sets suites refer to by name (``value_set: departments``)."""
    from groendraad.sources.waste import known_eural_codes

    named: dict[str, list[Any]] = {
        "eural_codes": sorted(known_eural_codes()),
        "month": [str(month)],
    }
    if organisation is not None:
        named["departments"] = sorted(organisation["department"].drop_nulls().unique())
        named["cost_centres"] = sorted(organisation["cost_centre"].drop_nulls().unique())
    return named


def _staged(warehouse: Path, table: str, month: Month) -> pl.DataFrame | None:
    try:
        return staging.read_month(warehouse, table, month)
    except FileNotFoundError:
        return None


def _engine_setup() -> dict[str, float]:
    """Build the GX engine now if needed; its setup time when this call built it."""
    seconds = engine.build()
    return {} if seconds is None else {"gx_setup": seconds}


class _Checker:
    """Runs a source-month's checks and collects their results."""

    def __init__(self, source: str, month: Month, run_id: str, named: dict[str, list[Any]]):
        self.source, self.month, self.run_id, self.named = source, month, run_id, named
        self.results: dict[str, CheckResult] = {}
        self.seconds = {"frames": 0.0, "gx": 0.0}

    def check_schema(self, suite: Suite, frame: pl.DataFrame | None) -> pl.DataFrame | None:
        """The schema check of one table; the conformed table, or None when it fails."""
        spec = next(s for s in suite.expectations if s.frame == SCHEMA_FRAME)
        if frame is None:
            self.record(spec, False, "the table is missing from the delivery", 0, 0, ())
            return None
        started = time.perf_counter()
        derived, conformed = derive.schema_frame(table_spec(suite.table), frame)
        self.seconds["frames"] += time.perf_counter() - started
        self.run(derived, [spec], suite)
        return conformed

    def check_suite(self, suite: Suite, context: derive.FrameContext) -> None:
        """Every check of ``suite`` but the schema, grouped by the frame it runs on."""
        groups: dict[tuple[str, str], list[ExpectationSpec]] = defaultdict(list)
        for spec in suite.expectations:
            if spec.frame != SCHEMA_FRAME:
                groups[spec.frame_key].append(spec)
        built: list[tuple[derive.Derived, list[ExpectationSpec]]] = []
        for specs in groups.values():
            started = time.perf_counter()
            try:
                built.append((derive.build(context, specs[0].frame, specs[0].frame_params), specs))
            except _BUILD_ERRORS as exc:
                for spec in specs:
                    self.record(spec, False, f"could not be checked: {exc}", 0, 0, ())
            finally:
                self.seconds["frames"] += time.perf_counter() - started
        for derived, specs, locate in _beside_the_table(built):
            self.run(derived, specs, suite, locate)

    def run(
        self,
        derived: derive.Derived,
        specs: list[ExpectationSpec],
        suite: Suite,
        locate: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        """Run ``specs`` on one frame with GX and record their results (``locate``: the
        columns naming a row per check, where they differ from the frame's)."""
        runnable = []
        for spec in specs:
            kwargs = dict(spec.kwargs)
            if spec.value_set is not None:
                if spec.value_set not in self.named:
                    message = f"could not be checked: no {spec.value_set} for {self.month}"
                    self.record(spec, False, message, 0, 0, ())
                    continue
                kwargs["value_set"] = self.named[spec.value_set]
            runnable.append((spec, kwargs))
        if not runnable:
            return
        started = time.perf_counter()
        located = locate or derived.locate
        redact = redacted_columns(suite.table, suite.redact, derived.frame.columns, located)
        found = engine.run(
            derived.frame, runnable, locate=located, redact=redact,
            noun=derived.noun, unchecked=derived.unchecked,
        )  # fmt: skip
        self.seconds["gx"] += time.perf_counter() - started
        for spec, _ in runnable:
            f = found[spec.id]
            self.record(spec, f.success, f.observed_value, f.rows_affected, f.rows_checked,
                        f.unexpected_sample)  # fmt: skip

    def record(
        self, spec: ExpectationSpec, success: bool, observed: str, affected: int, checked: int,
        sample: tuple[str, ...],
    ) -> None:  # fmt: skip
        self.results[spec.id] = CheckResult(
            self.run_id, self.source, str(self.month), spec.table, spec.id, spec.severity,
            success, observed, affected, checked, sample, spec.meaning,
        )  # fmt: skip

    def ordered(self, suites: list[Suite]) -> list[CheckResult]:
        """The results in suite order (checks of a table that failed its schema are absent)."""
        ids = [spec.id for suite in suites for spec in suite.expectations]
        return [self.results[i] for i in ids if i in self.results]


# Derived frames with one row per table row, in the table's order: their columns are
# checked in the table's own GX batch (one batch fewer per frame, month after month).
ROW_WISE_FRAMES = frozenset({REQUIRED_FRAME, "dates_in_month"})


def _beside_the_table(
    built: list[tuple[derive.Derived, list[ExpectationSpec]]],
) -> list[tuple[derive.Derived, list[ExpectationSpec], dict[str, tuple[str, ...]] | None]]:
    """The frames to check, with the row-wise derived frames' columns added to the
    table's frame and their checks to its batch, each check keeping its own locate."""
    table = next((i for i, (_, specs) in enumerate(built) if specs[0].frame is None), None)
    if table is None:
        return [(derived, specs, None) for derived, specs in built]
    base, base_specs = built[table]
    frame, specs, locate = base.frame, list(base_specs), {s.id: base.locate for s in base_specs}
    separate = []
    for i, (derived, group) in enumerate(built):
        if i == table:
            continue
        fits = (
            group[0].frame in ROW_WISE_FRAMES
            and derived.frame.height == frame.height
            and (derived.noun, derived.unchecked) == (base.noun, base.unchecked)
        )
        if not fits:
            separate.append((derived, group, None))
            continue
        added = [c for c in derived.frame.columns if c not in frame.columns]
        frame = frame.with_columns(derived.frame.select(added))
        specs += group
        locate.update({s.id: derived.locate for s in group})
    merged = derive.Derived(frame, base.locate, base.noun, base.unchecked)
    return [(merged, specs, locate), *separate]
