"""``groendraad withdraw`` and ``groendraad accept-gap``: the coordinator's decisions.

Both record the decision in the warehouse (metrics/decisions.py), then publish the
month again under the warehouse lock: a new version (the earlier ones stay readable)
and a new page set. See metrics/CONTRACT.md, "Withdrawn months and accepted gaps".
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from groendraad.months import Month


def _options(command):  # type: ignore[no-untyped-def]
    from groendraad.cli import _month, warehouse_options

    command = click.option("--month", required=True, callback=_month, help="The month, YYYY-MM.")(
        command
    )
    return warehouse_options(command)


def _republish(config_path: Path, warehouse: Path | None, month: Month, decision) -> None:  # type: ignore[no-untyped-def]
    """Record ``decision`` and publish ``month`` again; print the outcome."""
    from groendraad.cli import _load, console
    from groendraad.metrics.decisions import record
    from groendraad.publication import publish_months
    from groendraad.warehouse.runs import warehouse_lock

    config, root = _load(config_path, warehouse)
    with warehouse_lock(root):
        path = record(root, decision)
        summary = publish_months(config, root, [month])
    console.print(f"Decision recorded: {path}", soft_wrap=True)
    version = summary.new_versions.get(str(month))
    if version:
        console.print(f"{month}: published as version {version}")
    elif str(month) in summary.unchanged:
        console.print(f"{month}: figures unchanged, no new version")
    else:
        console.print(f"{month}: nothing staged or published for this month")
        sys.exit(1)
    console.print(f"Pages: {summary.paths.get('pages', '')}", soft_wrap=True)


@click.command()
@_options
@click.option("--note", default="", help="Why the month is withdrawn (kept with the decision).")
def withdraw(config_path: Path, warehouse: Path | None, month: Month, note: str) -> None:
    """Withdraw a published month: a new version whose figures are all missing
    (reason "withdrawn"); earlier versions stay readable. Gathering the month again
    later publishes it anew."""
    from groendraad.cli import _load
    from groendraad.metrics import list_versions
    from groendraad.metrics.decisions import WITHDRAW, Decision

    _, root = _load(config_path, warehouse)
    if list_versions(root, month).is_empty():
        raise click.BadParameter(
            f"nothing is published for {month} in {root}", param_hint="--month"
        )
    decision = Decision(WITHDRAW, month, datetime.now(UTC), note=note)
    _republish(config_path, warehouse, month, decision)


@click.command("accept-gap")
@_options
@click.option("--source", required=True, help="The source whose delivery is missing.")
@click.option("--note", required=True, help="Why the gap is real, e.g. 'meter outage'.")
def accept_gap(
    config_path: Path, warehouse: Path | None, month: Month, source: str, note: str
) -> None:
    """Accept a real gap (e.g. a meter outage): the figures that need SOURCE in MONTH
    are missing (or estimated, with gap filling on) with NOTE as their reason. A real
    delivery later replaces it."""
    from groendraad.metrics.decisions import ACCEPT_GAP, Decision
    from groendraad.warehouse.schema import tables

    known = sorted({t.source for t in tables().values()})
    if source not in known:
        raise click.BadParameter(f"{source!r} (sources: {', '.join(known)})", param_hint="--source")
    if not note.strip():
        raise click.BadParameter("a note is required", param_hint="--note")
    decision = Decision(ACCEPT_GAP, month, datetime.now(UTC), source=source, note=note.strip())
    _republish(config_path, warehouse, month, decision)
