"""The ``groendraad`` command: gather, check and publish a hospital's monthly figures."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from groendraad import telemetry
from groendraad.cli_guards import allow_future_option, refuse_future
from groendraad.config import Config, load_config
from groendraad.errors import GroendraadError
from groendraad.months import Month, month_range
from groendraad.report import (
    print_failures,
    print_publication,
    print_summary,
    print_validation,
    progress_bar,
)
from groendraad.runner import RunReport, run_months
from groendraad.terminal import console_for

console = console_for(stderr=False)
errors = console_for(stderr=True)


def _month(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Month | None:
    if value is None:
        return None
    try:
        return Month.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def warehouse_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--config and --warehouse, shared by every command that runs the pipeline."""
    command = click.option(
        "--warehouse",
        "warehouse",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="GROENDRAAD_WAREHOUSE",
        default=None,
        help="Warehouse folder [env GROENDRAAD_WAREHOUSE; default: warehouse-data/ by the config].",
    )(command)
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="GROENDRAAD_CONFIG",
        default=Path("groendraad.yaml"),
        show_default=True,
        help="The institution's configuration file [env GROENDRAAD_CONFIG].",
    )(command)


def _load(config_path: Path, warehouse: Path | None) -> tuple[Config, Path]:
    config = load_config(config_path)
    return config, (warehouse or config.path.parent / "warehouse-data").resolve()


def execute(
    config: Config, root: Path, months: list[Month], sources: list[str] | None
) -> RunReport:
    """Run months with a progress bar, then print the summary table."""
    unknown = sorted(set(sources or ()) - set(config.sources))
    if unknown:
        configured = ", ".join(config.sources)
        raise click.BadParameter(
            f"{', '.join(unknown)} (configured: {configured})", param_hint="--source"
        )
    config.check_credentials(sources)  # a missing secret is a configuration error: exit 2
    label = f"{months[0]}" if len(months) == 1 else f"{months[0]} .. {months[-1]}"
    console.print(f"[bold]{config.institution_name}[/]: gathering {label} into {root}")
    with progress_bar(console, months, len(config.sources)) as tracker:
        report = run_months(
            config,
            root,
            months,
            sources=sources,
            on_month=tracker.month_done,
            on_source=tracker.source_event,
        )
    print_summary(console, report, months)
    outcomes = [r.validation for r in report.results if r.validation is not None]
    print_validation(console, outcomes, report.validation_report)
    print_failures(console, report)
    print_publication(console, report.publication)
    console.print(f"Run record: {report.record_path}")
    return report


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="groendraad")
def cli() -> None:
    """Groene Draad: a hospital's sustainability figures, gathered monthly from its
    departmental sources into a Parquet warehouse.

    Start with `groendraad demo` to see it work on a generated demo hospital.

    \b
    Examples:
      groendraad demo
      groendraad run --month 2025-10 --config groendraad.yaml
      groendraad backfill --from 2016-01 --to 2025-10
      groendraad run --month 2025-10 --source waste    (re-run one source)
    """


@cli.command()
@warehouse_options
@click.option(
    "--month", callback=_month, help="Month to gather, YYYY-MM [default: the previous full month]."
)
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@allow_future_option
def run(
    config_path: Path,
    warehouse: Path | None,
    month: Month | None,
    sources: tuple[str, ...],
    allow_future: bool,
) -> None:
    """Gather one month from every source. Re-running a month replaces it."""
    refuse_future([month] if month else [], allow_future)
    config, root = _load(config_path, warehouse)
    report = execute(config, root, [month or Month.previous_full()], list(sources) or None)
    sys.exit(0 if report.ok else 1)


@cli.command()
@warehouse_options
@click.option("--from", "first", required=True, callback=_month, help="First month, YYYY-MM.")
@click.option(
    "--to", "last", callback=_month, help="Last month, YYYY-MM [default: the previous full month]."
)
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@allow_future_option
def backfill(
    config_path: Path,
    warehouse: Path | None,
    first: Month,
    last: Month | None,
    sources: tuple[str, ...],
    allow_future: bool,
) -> None:
    """Gather a range of months, oldest first."""
    refuse_future([first, last] if last else [first], allow_future)
    config, root = _load(config_path, warehouse)
    try:
        months = month_range(first, last or Month.previous_full())
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--from/--to") from None
    report = execute(config, root, months, list(sources) or None)
    sys.exit(0 if report.ok else 1)


@cli.command()
@warehouse_options
@click.option("--month", required=True, callback=_month, help="Month to re-validate, YYYY-MM.")
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
def validate(
    config_path: Path, warehouse: Path | None, month: Month, sources: tuple[str, ...]
) -> None:
    """Validate again what is staged for a month (e.g. after the suites changed)."""
    from groendraad.expectations import render_report, validate_staged_month, write_results
    from groendraad.runner import new_run_id

    config, root = _load(config_path, warehouse)
    run_id = new_run_id()
    outcomes = validate_staged_month(root, month, run_id=run_id, sources=list(sources) or None)
    if not outcomes:
        raise GroendraadError(f"{root}: nothing is staged for {month}")
    write_results(root, outcomes)
    path = render_report(outcomes, root / "validation" / "reports" / f"{run_id}.html")
    print_validation(console, outcomes, path)
    for outcome in outcomes:
        if outcome.blocking_failed:
            console.print(f"  [red]blocking[/] {outcome.describe('blocking')}", soft_wrap=True)
    sys.exit(1 if any(o.blocking_failed for o in outcomes) else 0)


def main() -> None:
    """Entry point: shows errors meant for people as one clear line, exit code 2."""
    telemetry.switch_off()  # before the commands import Prefect or start a server
    from groendraad.charts.command import pages
    from groendraad.coordinator_command import accept_gap, withdraw
    from groendraad.demo_command import demo
    from groendraad.factors_command import factors
    from groendraad.forms_command import report
    from groendraad.metrics_command import metrics
    from groendraad.nfu.command import register as register_nfu
    from groendraad.ops_command import restate, schedule

    for command in (demo, pages, metrics, schedule, restate, report, withdraw, accept_gap, factors):
        cli.add_command(command)
    register_nfu(cli)
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        errors.print("Aborted.")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except GroendraadError as exc:
        errors.print(f"[bold red]error:[/] {escape(str(exc))}")
        sys.exit(2)
