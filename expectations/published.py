"""Nothing personal in any published table: the guard marts and exports call.

A published table must not be one of the internal personal staging tables (tables.yaml
``personal: true``), must not carry a personnel-number column, must not contain any of
the pseudonymised personnel numbers it is given, and every group it reports must hold
at least 5 people, so no figure can be traced back to a person.

These checks run in polars, not Great Expectations: they guard every export, and
importing GX there would cost seconds. Their results have the same shape as the
validation results (:class:`CheckResult`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import polars as pl

from groendraad.expectations.results import CheckResult
from groendraad.warehouse.schema import tables

MIN_GROUP_SIZE = 5
PERSONNEL_COLUMN = re.compile(  # employee_id, personnel_number, Personeelsnummer, medewerker_nr
    r"(employee|personnel|personeels?|medewerker)_?(id|nr|no|number|nummer)", re.IGNORECASE
)
GROUP_COUNT_COLUMN = re.compile(
    r"^(n_)?(people|employees|persons|headcount|travellers)$"
    r"|_(people|employees|persons|headcount|travellers)$",
    re.IGNORECASE,
)


class PersonalDataError(ValueError):
    """A table about to be published would reveal personal data."""


def check_published(
    frame: pl.DataFrame,
    table_name: str,
    *,
    run_id: str = "publication",
    group_columns: Sequence[str] | None = None,
    known_ids: Collection[str] = (),
    min_group_size: int = MIN_GROUP_SIZE,
) -> list[CheckResult]:
    """The publication checks of ``frame``; every result is blocking.

    ``group_columns`` are the columns counting people per row (default: columns named
    like ``people``, ``employees``, ``n_people``, ``commuters_people``);
    ``known_ids`` are personnel numbers that must not appear in any text column.
    """
    counts = list(group_columns) if group_columns is not None else group_count_columns(frame)
    return [
        _not_internal(frame, table_name, run_id),
        _no_personnel_numbers(frame, table_name, run_id, known_ids),
        _min_group_size(frame, table_name, run_id, counts, min_group_size),
    ]


def assert_publishable(
    frame: pl.DataFrame,
    table_name: str,
    *,
    group_columns: Sequence[str] | None = None,
    known_ids: Collection[str] = (),
    min_group_size: int = MIN_GROUP_SIZE,
) -> None:
    """Raise PersonalDataError naming every failed publication check of ``frame``."""
    results = check_published(
        frame, table_name, group_columns=group_columns, known_ids=known_ids,
        min_group_size=min_group_size,
    )  # fmt: skip
    failed = [r for r in results if r.failed]
    if failed:
        problems = "; ".join(f"{r.expectation}: {r.observed_value}" for r in failed)
        raise PersonalDataError(f"{table_name} cannot be published: {problems}")


def group_count_columns(frame: pl.DataFrame) -> list[str]:
    """Numeric columns whose name says they count people."""
    numeric = [c for c, dtype in frame.schema.items() if dtype.is_numeric()]
    return [c for c in numeric if GROUP_COUNT_COLUMN.search(c)]


def _columns_holding(frame: pl.DataFrame, known_ids: Collection[str]) -> list[str]:
    """Text columns holding any of ``known_ids``."""
    if not known_ids:
        return []
    ids = pl.Series(list(known_ids), dtype=pl.String)
    text = [c for c, dtype in frame.schema.items() if dtype == pl.String]
    return [c for c in text if frame[c].is_in(ids).any()]


def _not_internal(frame: pl.DataFrame, table_name: str, run_id: str) -> CheckResult:
    declared = tables().get(table_name)
    internal = declared is not None and declared.personal
    return _result(
        run_id, table_name, "published.not_internal", not internal,
        "an internal personal table" if internal else "not a personal staging table",
        frame.height if internal else 0, frame.height, (),
        "Internal tables with personal data (commuting, business travel) are never published"
        " as they are: only aggregates of them.",
    )  # fmt: skip


def _no_personnel_numbers(
    frame: pl.DataFrame, table_name: str, run_id: str, known_ids: Collection[str]
) -> CheckResult:
    named = [c for c in frame.columns if PERSONNEL_COLUMN.search(c)]
    found = named + [c for c in _columns_holding(frame, known_ids) if c not in named]
    return _result(
        run_id, table_name, "published.no_personnel_numbers", not found,
        f"columns {found}" if found else "none found", frame.height if found else 0,
        frame.height, tuple(found), "No column holds personnel numbers, pseudonymised or not.",
    )  # fmt: skip


def _min_group_size(
    frame: pl.DataFrame, table_name: str, run_id: str, counts: list[str], minimum: int
) -> CheckResult:
    small, sample = _small_groups(frame, counts, minimum)
    observed = f"{small} of {frame.height} rows under {minimum} people"
    return _result(
        run_id, table_name, "published.min_group_size", small == 0,
        observed if counts else "no group-count columns", small, frame.height, sample,
        f"Every group reported has at least {minimum} people (or none), so no figure can be"
        " traced back to a person.",
    )  # fmt: skip


def _small_groups(
    frame: pl.DataFrame, counts: list[str], minimum: int
) -> tuple[int, tuple[str, ...]]:
    """How many rows have a group of 1..minimum-1 people, and up to 5 of them (labels only)."""
    if not counts:
        return 0, ()
    small = pl.any_horizontal([(pl.col(c) > 0) & (pl.col(c) < minimum) for c in counts])
    rows = frame.filter(small.fill_null(False))
    labels = [c for c, dtype in frame.schema.items() if dtype == pl.String][:3]
    shown = [*labels, *counts]
    sample = tuple(
        ", ".join(f"{c}={row[c]!r}" for c in shown) for row in rows.head(5).iter_rows(named=True)
    )
    return rows.height, sample


def _result(
    run_id: str, table_name: str, expectation: str, success: bool, observed: str,
    affected: int, checked: int, sample: tuple[str, ...], meaning: str,
) -> CheckResult:  # fmt: skip
    return CheckResult(
        run_id, "publication", "", table_name, expectation, "blocking", bool(success),
        observed, int(affected), int(checked), sample, meaning,
    )  # fmt: skip
