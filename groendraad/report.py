"""What the coordinator sees in the terminal: progress while running, a table after."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from groendraad.months import Month
from groendraad.pipeline import SourceResult
from groendraad.runner import RunReport


@dataclass
class _Tracker:
    progress: Progress
    task: int
    sources: int

    def source_event(self, source: str, what: str) -> None:
        self.progress.update(self.task, status=f"{source}: {what}")

    def month_done(self, month: Month, results: list[SourceResult]) -> None:
        failed = [r for r in results if r.status != "ok"]
        for result in failed:  # two months are in flight: name the month
            self.progress.console.print(f"  [red]failed[/] {result.source} {month}")
        mark = "[green]ok[/]" if not failed else f"[red]{len(failed)} failed[/]"
        self.progress.update(self.task, advance=1, status=f"{month} {mark}")


@contextmanager
def progress_bar(console: Console, months: list[Month], sources: int) -> Iterator[_Tracker]:
    """A progress bar over months, with the latest source event beside it."""
    progress = Progress(
        TextColumn("[bold]months"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[status]}"),
        console=console,
        transient=False,
    )
    with progress:
        task = progress.add_task("months", total=len(months), status="starting")
        yield _Tracker(progress, task, sources)


def print_summary(console: Console, report: RunReport, months: list[Month]) -> None:
    """One row per source: rows staged, status, and its wall time: of its month, or of
    its longest month (months run side by side, so a sum would outgrow the run)."""
    by_source: dict[str, list[SourceResult]] = defaultdict(list)
    for result in report.results:
        by_source[result.source].append(result)
    table = Table(title=f"Run {report.run_id} ({len(months)} month{'s' * (len(months) > 1)})")
    table.add_column("source")
    table.add_column("rows", justify="right")
    table.add_column("status")
    table.add_column("wall time" if len(months) == 1 else "longest month", justify="right")
    for source, results in by_source.items():
        failed = sum(r.status != "ok" for r in results)
        status = "[green]ok[/]" if not failed else f"[red]failed {failed} of {len(results)}[/]"
        rows = sum(r.total_rows for r in results)
        seconds = max(r.wall_seconds for r in results)
        table.add_row(source, f"{rows:,}", status, f"{seconds:.1f} s")
    console.print(table)
    console.print(f"Total wall time {report.seconds:.1f} s")


def print_failures(console: Console, report: RunReport, limit: int = 50) -> None:
    """Each failure's message: source, file or URL, line or record, what is wrong."""
    failures = report.failures
    if not failures:
        return
    console.print(
        f"[bold red]{len(failures)} source-month(s) failed[/] (nothing of them was staged):"
    )
    for result in failures[:limit]:
        console.print(f"  {result.month}  {result.error}", soft_wrap=True)
    if len(failures) > limit:
        console.print(f"  ... and {len(failures) - limit} more (see the run record)")


def print_validation(
    console: Console, outcomes: list, report_path: object, limit: int = 20
) -> None:
    """Per source: checks run, blocking failures and warnings; then each warning."""
    by_source: dict[str, list] = defaultdict(list)
    for outcome in outcomes:
        by_source[outcome.source].append(outcome)
    table = Table(title="Validation (Great Expectations)")
    for column, justify in (
        ("source", "left"),
        ("checks", "right"),
        ("blocking failed", "right"),
        ("warnings", "right"),
        ("outcome", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for source, found in by_source.items():
        checks = sum(len(o.results) for o in found)
        blocking = sum(len(o.blocking) for o in found)
        warnings = sum(len(o.warnings) for o in found)
        outcome = (
            "[red]blocked[/]"
            if blocking
            else "[yellow]published, flagged[/]"
            if warnings
            else "[green]passed[/]"
        )
        table.add_row(source, f"{checks:,}", str(blocking), str(warnings), outcome)
    console.print(table)
    flagged = [o for o in outcomes if o.warnings]
    for outcome in flagged[:limit]:
        console.print(f"  [yellow]warning[/] {outcome.describe('warning')}", soft_wrap=True)
    if len(flagged) > limit:
        console.print(f"  ... and {len(flagged) - limit} more source-months with warnings")
    console.print(f"Validation report (offline HTML): {report_path}")


def print_publication(console: Console, summary: object) -> None:
    """Which months got a new version of their metrics, and where the tables are."""
    if summary is None:
        return
    new = getattr(summary, "new_versions", {})
    unchanged = getattr(summary, "unchanged", [])
    console.print(
        f"Metrics: {len(new)} month(s) published as a new version, {len(unchanged)} unchanged"
        f" ({getattr(summary, 'figures', 0):,} figures)"
    )
    for name, path in getattr(summary, "paths", {}).items():
        console.print(f"  {name}: {path}")
