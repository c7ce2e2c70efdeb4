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
@click.option("--limit", default=40, show_default=True, help="Figures to show (text).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    show_default=True,
    help="text to read; csv or json (every column, every figure) for scripts.",
)
def diff(
    config_path: Path,
    warehouse: Path | None,
    month: Month,
    v_old: int | None,
    v_new: int | None,
    limit: int,
    fmt: str,
) -> None:
    """What changed between two versions of a month, and why (activity data, factors, method)."""
    from groendraad.cli import _load
    from groendraad.diff_output import render
    from groendraad.metrics import diff_versions, list_versions

    _, root = _load(config_path, warehouse)
    known = list_versions(root, month)["version"].to_list()
    if len(known) < 2 and (v_old is None or v_new is None):
        click.echo(f"{month} has {len(known)} published version(s): nothing to compare", err=True)
        sys.exit(1)
    v_new = v_new or max(known)
    v_old = v_old or max(v for v in known if v < v_new)
    changes = diff_versions(root, month, v_old, v_new)
    title = f"{month}: version {v_old} -> {v_new}"
    click.echo(render(changes, fmt, title, limit if fmt == "text" else changes.height), nl=False)
