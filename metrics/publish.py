"""Publish: recompute months and write a new version only where a figure changed.

Re-running a month with the same deliveries, factors and method gives the same figures,
so nothing is written and re-runs are idempotent. A corrected delivery (or factor, or
method) that changes any published figure - its value, unit, quality, method or people
- writes the next version of that month; earlier versions stay as they were. A change
in lineage alone (e.g. an identical re-delivery) does not make a new version.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from groendraad.metrics import decomposition, gapfill, progress, store, windows
from groendraad.metrics.catalogue import CATALOGUE_FILE, load_catalogue
from groendraad.metrics.completeness import WITHDRAWN, absent_tables, gap_reasons
from groendraad.metrics.compute import base_metrics, compute_with_estimates
from groendraad.metrics.decisions import withdrawn
from groendraad.metrics.emission_settings import settings_from_config, with_contracts
from groendraad.metrics.factors import FACTORS_FILE, factor_set_version, load_factors
from groendraad.metrics.inputs import all_staged_months, load_inputs
from groendraad.months import Month
from groendraad.warehouse.commit import commit

# what a figure is, besides its value
FIGURE_COLUMNS = ["unit", "quality", "quality_reason", "method", "people"]
_RELATIVE_TOLERANCE = 1e-9


@dataclass
class PublishReport:
    """What a publish did: new versions per month, months left as they were."""

    published_at: datetime
    published: dict[Month, int] = field(default_factory=dict)  # month -> new version
    unchanged: list[Month] = field(default_factory=list)
    skipped: list[Month] = field(default_factory=list)  # nothing staged: not published
    rows: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # compute, write, progress

    @property
    def months(self) -> list[Month]:
        return sorted([*self.published, *self.unchanged])


def values_differ(old: pl.Expr, new: pl.Expr) -> pl.Expr:
    """True where two float columns differ beyond rounding noise (nulls compare equal)."""
    scale = pl.max_horizontal(old.abs(), new.abs(), pl.lit(1.0))
    apart = (old - new).abs() > scale * _RELATIVE_TOLERANCE
    return (
        pl.when(old.is_null() | new.is_null()).then(old.is_null() != new.is_null()).otherwise(apart)
    )


def figures_changed(old: pl.DataFrame, new: pl.DataFrame) -> bool:
    """Whether two versions of a month publish different figures (lineage aside)."""
    if old.height != new.height:
        return True
    compared = ["institution", *FIGURE_COLUMNS]
    columns = [*store.KEY, "value", *compared]
    joined = old.select(columns).join(
        new.select(columns), on=store.KEY, how="full", nulls_equal=True, suffix="_new"
    )
    if joined.height != new.height or joined["metric"].null_count():
        return True
    differs = values_differ(pl.col("value"), pl.col("value_new"))
    for column in compared:
        differs = differs | ~pl.col(column).eq_missing(pl.col(f"{column}_new"))
    return bool(joined.select(differs.any()).item())


def _write_changed(
    root: Path, figures: pl.DataFrame, report: PublishReport, months: list[Month]
) -> list[tuple[Path, Path]]:
    """Write each changed month's next version aside; (temporary, final) of each."""
    versions = store.list_versions(root)
    by_period = figures.partition_by("period", as_dict=True)
    prepared: list[tuple[Path, Path]] = []
    try:
        for month in months:
            new = by_period.get((month.first_day,))
            if new is None:
                continue
            latest = store.latest_version(versions, month)
            if latest and not figures_changed(store.read_version(root, month, latest), new):
                report.unchanged.append(month)
                continue
            version = latest + 1
            prepared.append(store.prepare_version(root, month, new, version, report.published_at))
            report.published[month] = version
    except BaseException:
        for tmp, _ in prepared:
            tmp.unlink(missing_ok=True)
        raise
    return prepared


def refresh_views(root: Path) -> None:
    """Rewrite the views derived from the versions: metrics_current, progress, windows
    (from one read of the versions)."""
    current = store.read_metrics(root)
    store.write_current(root, current)
    progress.write_progress(root, metrics=current)
    windows.write_windows(root, metrics=current)


def refresh_current(root: Path) -> None:
    """Rewrite marts/metrics_current.parquet from the versions."""
    store.write_current(root)


def _staged_only(root: Path, months: list[Month] | None) -> tuple[list[Month], list[Month]]:
    """(months with anything staged, months asked for with nothing staged)."""
    staged = set(all_staged_months(root))
    wanted = sorted(set(months)) if months is not None else sorted(staged)
    return [m for m in wanted if m in staged], [m for m in wanted if m not in staged]


def publish(
    root: Path,
    institution_id: str,
    months: list[Month] | None = None,
    *,
    warnings: Collection[tuple[str, Month]] = frozenset(),
    published_at: datetime | None = None,
    catalogue_path: Path = CATALOGUE_FILE,
    factors_path: Path = FACTORS_FILE,
    write_progress: bool = True,
    gap_filling: str = gapfill.NONE,
    emissions: Mapping[str, Any] | None = None,
) -> PublishReport:
    """Recompute ``months`` (None: every staged month) and publish what changed.

    ``warnings`` lists (source, month) pairs whose deliveries passed validation with
    warnings: their figures are published as ``mixed`` rather than ``measured``. A month
    with nothing staged at all is skipped (never published as all-missing). Also
    refreshes marts/metrics_current.parquet and (``write_progress``) the progress table
    and the CO2e decomposition. ``gap_filling`` estimates figures whose inputs are absent
    (gapfill.py); a withdrawn month (decisions.py) is published with every figure missing.
    ``emissions`` is the configuration's ``emissions`` section (contracted electricity,
    fixed factor year: emission_settings.py).
    The caller holds the warehouse lock.
    """
    report = PublishReport((published_at or datetime.now(UTC)).astimezone(UTC))
    wanted, report.skipped = _staged_only(root, months)
    if not wanted:
        return report
    started = time.perf_counter()
    settings = settings_from_config(emissions)
    pulled = withdrawn(root)
    computed = [m for m in wanted if m not in pulled]
    catalogue = load_catalogue(catalogue_path)
    inputs = load_inputs(root, computed) if computed else None
    figures, estimates = (
        compute_with_estimates(
            inputs,
            institution_id,
            catalogue=catalogue,
            factors=with_contracts(load_factors(factors_path), settings),
            factor_set=factor_set_version(factors_path) + settings.version_suffix(),
            warnings=warnings,
            absent=absent_tables(inputs.staged(), computed, gap_reasons(root, computed)),
            history=_history(root, computed, base_metrics(catalogue)),
            gap_filling=gap_filling,
            fixed_year=settings.fixed_year,
        )
        if inputs is not None
        else (pl.DataFrame(schema=store.CONTRACT_SCHEMA), None)
    )
    figures = pl.concat([figures, *_withdrawals(root, pulled, wanted)], how="vertical")
    report.rows, report.seconds["compute"] = figures.height, time.perf_counter() - started
    started = time.perf_counter()
    if estimates is not None:
        gapfill.write_estimates(root, wanted, estimates)
    moves = _write_changed(root, figures, report, wanted)
    # One commit point for every month of the run, then the derived views (the
    # finisher, redone after a crash): readers see all the new versions or none.
    commit(root, "metrics" if write_progress else "metrics-current", moves, link=True)
    report.seconds["write"] = time.perf_counter() - started
    if write_progress:
        decomposition.write_decomposition(root, settings)
    return report


def _history(root: Path, computed: list[Month], metrics: set[str]) -> pl.DataFrame:
    """Published base figures of the other months (the base of gap-filling estimates)."""
    current = store.read_metrics(root)
    periods = [m.first_day for m in computed]
    return current.filter(
        ~pl.col("period").is_in(periods)
        & pl.col("metric").is_in(list(metrics))
        & pl.col("value").is_not_null()
    ).select(*gapfill.KEYS, "value")


def _withdrawals(root: Path, pulled: dict[Month, str], wanted: list[Month]) -> list[pl.DataFrame]:
    """For each withdrawn month published before: its figures, every value missing."""
    versions = store.list_versions(root)
    frames = []
    for month in wanted:
        latest = store.latest_version(versions, month) if month in pulled else 0
        if not latest:
            continue
        note = f"{WITHDRAWN}: {pulled[month]}" if pulled[month] else WITHDRAWN
        last = store.read_version(root, month, latest).select(store.CONTRACT_SCHEMA.names())
        frames.append(
            last.with_columns(
                value=pl.lit(None, pl.Float64),
                quality=pl.lit("missing"),
                quality_reason=pl.lit(note),
                people=pl.lit(None, pl.Int64),
            )
        )
    return frames
