"""``groendraad metrics``: published versions of a month and what changed between them."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.table import Table

from groendraad.months import Month


@click.group("metrics")
def metrics() -> None:
    """Published Green Deal figures: versions and restatements."""


def _common(command):  # type: ignore[no-untyped-def]
    from groendraad.cli import _month, warehouse_options

    command = click.option("--month", required=True, callback=_month, help="The month, YYYY-MM.")(
        command
    )
    return warehouse_options(command)


@metrics.command()
@_common
def versions(config_path: Path, warehouse: Path | None, month: Month) -> None:
    """Every published version of a month, with when it was published."""
    from groendraad.cli import _load, console
    from groendraad.metrics import list_versions

    _, root = _load(config_path, warehouse)
    found = list_versions(root, month)
    if found.is_empty():
        console.print(f"No metrics published for {month} in {root}")
        sys.exit(1)
    table = Table(title=f"Published versions of {month}")
    for column in ("version", "published_at", "rows"):
        table.add_column(column)
    for row in found.iter_rows(named=True):
        table.add_row(str(row["version"]), str(row["published_at"]), f"{row['rows']:,}")
    console.print(table)


@metrics.command()
@_common
@click.option(
    "--old", "v_old", type=int, default=None, help="Old version [default: the one before --new]."
)
@click.option("--new", "v_new", type=int, default=None, help="New version [default: the latest].")
@click.option("--limit", default=40, show_default=True, help="Rows to show.")
def diff(
    config_path: Path,
    warehouse: Path | None,
    month: Month,
    v_old: int | None,
    v_new: int | None,
    limit: int,
) -> None:
    """What changed between two versions of a month, and why (activity data, factors, method)."""
    from groendraad.cli import _load, console
    from groendraad.metrics import diff_versions, list_versions

    _, root = _load(config_path, warehouse)
    known = list_versions(root, month)["version"].to_list()
    if len(known) < 2 and (v_old is None or v_new is None):
        console.print(f"{month} has {len(known)} published version(s): nothing to compare")
        sys.exit(1)
    v_new = v_new or max(known)
    v_old = v_old or max(v for v in known if v < v_new)
    changes = diff_versions(root, month, v_old, v_new)
    console.print(f"{month}: version {v_old} -> {v_new}: {changes.height} figure(s) changed")
    if changes.is_empty():
        return
    reasons = changes.group_by("reason").len().sort("len", descending=True)
    console.print("  " + ", ".join(f"{r}: {n}" for r, n in reasons.iter_rows()))
    table = Table()
    shown = [
        c
        for c in (
            "metric",
            "level",
            "department",
            "category",
            "value_old",
            "value_new",
            "unit",
            "reason",
            "changed_sources",
        )
        if c in changes.columns
    ]
    for column in shown:
        table.add_column(column)
    for row in changes.head(limit).iter_rows(named=True):
        table.add_row(*[_cell(row[c]) for c in shown])
    console.print(table)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)
