"""``groendraad demo``: the whole job on a generated demo hospital, offline."""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from pathlib import Path

import click

from groendraad.config import Config, load_config
from groendraad.demo_serve import serve
from groendraad.months import Month, month_range
from groendraad.runner import RunReport

FIRST_MONTH = Month(2016, 1)


@click.group(invoke_without_command=True)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-hospital"),
    show_default=True,
    help="Folder for the demo hospital's deliveries, configuration and warehouse.",
)
@click.option("--from", "first", default=str(FIRST_MONTH), show_default=True, help="First month.")
@click.option("--to", "last", default=None, help="Last month [default: the previous full month].")
@click.option("--seed", default=7, show_default=True, help="Seed of the generated hospital.")
@click.option(
    "--fault-rate",
    default=0.02,
    show_default=True,
    help="Share of source-months delivered with a realistic defect (0 for none).",
)
@click.pass_context
def demo(
    ctx: click.Context, out: Path, first: str, last: str | None, seed: int, fault_rate: float
) -> None:
    """Generate the demo hospital, serve its APIs on loopback, backfill every month.

    Everything stays on this machine. The deliveries include a few realistic bad
    ones (see injected_faults.json): each must end in a clear, located error.
    `groendraad demo serve` keeps its APIs up afterwards, for `run` and `schedule`.
    """
    if ctx.invoked_subcommand is not None:
        return
    from groendraad.cli import console, execute
    from groendraad.demo import generate
    from groendraad.demo.process import serve_in_subprocess

    try:
        months = month_range(
            Month.parse(first), Month.parse(last) if last else Month.previous_full()
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--from/--to") from None
    out = out.resolve()
    started = time.perf_counter()
    console.print(
        f"Generating the demo hospital ({months[0]} .. {months[-1]}, seed {seed}) in {out}"
    )
    generated = generate(out, months[0], months[-1], seed=seed, fault_rate=fault_rate, workers=2)
    console.print(f"  generated in {time.perf_counter() - started:.1f} s")
    token, api_key = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    os.environ["GROENDRAAD_DEMO_ENERGY_TOKEN"] = token
    os.environ["GROENDRAAD_DEMO_FOOD_API_KEY"] = api_key
    with serve_in_subprocess(generated.out_dir, token=token, api_key=api_key) as url:
        os.environ["GROENDRAAD_DEMO_URL"] = url
        console.print(f"Demo APIs serving on {url} (loopback only)")
        config = load_config(out / "groendraad.yaml")
        report = execute(config, out / "warehouse", months, None)
    unexpected = explain_failures(report, out)
    nfu = show_nfu_benchmark(config, out)
    console.print(f"\nDeliveries (raw layer): {out / 'warehouse' / 'raw'}")
    console.print(f"Staging tables (Parquet): {out / 'warehouse' / 'staging'}")
    console.print(f"Validation report: {report.validation_report}")
    console.print(f"Metrics (Parquet): {out / 'warehouse' / 'marts' / 'metrics_current.parquet'}")
    if report.publication:
        console.print(
            f"[bold]Chart pages (open in a browser): {report.publication.paths['pages']}[/]"
        )
    console.print(f"NFU export: {nfu['export']}")
    console.print(f"NFU benchmark pages: {nfu['pages']}")
    console.print(
        f"Every month by itself, with Prefect: `groendraad demo serve --out {out}` keeps the "
        f"demo's APIs up and prints how to run `groendraad schedule` against them "
        "(see docs/operations.md)"
    )
    console.print(f"Demo finished in {time.perf_counter() - started:.1f} s")
    sys.exit(1 if unexpected else 0)


def show_nfu_benchmark(config: Config, out: Path) -> dict[str, Path]:
    """Export the demo's latest year for NFU and benchmark it with two scaled copies."""
    from groendraad.nfu.showcase import demo_benchmark

    run = demo_benchmark(
        out / "warehouse", config.institution_id, config.institution_name, out / "nfu"
    )
    own = sorted((out / "nfu" / "exports").glob(f"*_{config.institution_id}_*.parquet"))
    return {"export": own[-1] if own else out / "nfu", "pages": run.out / "index.html"}


def explain_failures(report: RunReport, out: Path) -> list[str]:
    """Match failures against the injected bad deliveries; return the unexpected ones."""
    from groendraad.cli import console

    injected = json.loads((out / "injected_faults.json").read_text(encoding="utf-8"))
    planted = {(f["source"], f["month"]) for f in injected}
    unexpected = [r.error or "" for r in report.failures if (r.source, str(r.month)) not in planted]
    caught = len(report.failures) - len(unexpected)
    console.print(
        f"\n{len(injected)} bad deliveries were planted in the demo; "
        f"{caught} were refused with a located error (above)."
    )
    if unexpected:
        console.print(f"[bold red]{len(unexpected)} failure(s) were not planted:[/] a bug.")
    return unexpected


demo.add_command(serve)
