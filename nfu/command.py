"""``groendraad export nfu`` and ``groendraad benchmark``: the NFU commands."""

from __future__ import annotations

from pathlib import Path

import click

from groendraad.cli import _load, console, warehouse_options
from groendraad.months import Month, month_range


def parse_months(values: tuple[str, ...]) -> list[Month]:
    """``YYYY-MM``, ``YYYY-MM..YYYY-MM``, comma-separated or repeated, as sorted months."""
    months: set[Month] = set()
    try:
        for part in (p.strip() for value in values for p in value.split(",") if p.strip()):
            first, _, last = part.partition("..")
            months.update(month_range(Month.parse(first), Month.parse(last or first)))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--months") from None
    return sorted(months)


@click.group("export")
def export() -> None:
    """Export published figures for others to read."""


@export.command("nfu")
@warehouse_options
@click.option("--year", type=int, help="Export every published month of this year.")
@click.option(
    "--months",
    multiple=True,
    help="Months instead of (or within) a year: YYYY-MM, YYYY-MM..YYYY-MM, comma-separated.",
)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder."
)
def export_nfu(
    config_path: Path, warehouse: Path | None, year: int | None, months: tuple[str, ...], out: Path
) -> None:
    """Write the NFU benchmark export (Parquet, contract nfu/README.md) of a year or months.

    \b
    Examples:
      groendraad export nfu --year 2024 --out exports/
      groendraad export nfu --months 2025-01..2025-06 --out exports/
    """
    from groendraad.nfu.export import export_warehouse

    chosen = parse_months(months)
    if year is None and not chosen:
        raise click.UsageError("give --year or --months")
    if year is not None and chosen and any(m.year != year for m in chosen):
        raise click.BadParameter(f"months outside {year}", param_hint="--months")
    config, root = _load(config_path, warehouse)
    result = export_warehouse(
        root, config.institution_id, config.institution_name, out, year=year, months=chosen or None
    )
    span = f"{result.months[0]} .. {result.months[-1]}"
    console.print(f"NFU export of {config.institution_name} ({span}, {len(result.months)} months):")
    console.print(f"  {result.path}  ({result.rows:,} figures, {result.seconds:.2f} s)")
    if result.dropped_small_groups:
        console.print(f"  {result.dropped_small_groups} figure(s) of fewer than 5 people left out")


@click.command("benchmark")
@click.argument("exports", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder."
)
@click.option(
    "--factor-year",
    type=int,
    help="Emission factors of this year for all [default: the fixed factor year].",
)
@click.option(
    "--eric",
    "eric_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    envvar="GROENDRAAD_ERIC_FILE",
    help="NHS ERIC_Site.csv: add real English general acute hospitals as peers.",
)
def benchmark(
    exports: tuple[Path, ...], out: Path, factor_year: int | None, eric_path: Path | None
) -> None:
    """Compare institutions' NFU exports (files or folders) on one factor set.

    Every export is checked against the contract first; a bad one is refused with the
    file and the problem. Writes benchmark Parquet files and pages into --out.

    \b
    Examples:
      groendraad benchmark exports/ --out benchmark/
      groendraad benchmark a.parquet b.parquet --factor-year 2024 --eric ERIC_Site.csv --out b/
    """
    from groendraad.nfu.run import run_benchmark

    run = run_benchmark(list(exports), out, factor_year, eric_path)
    bench = run.benchmark
    console.print(
        f"Benchmark of {bench.institutions['institution'].n_unique()} institutions, CO2e on "
        f"the factors of {bench.factor_year}: {out / 'index.html'}"
    )
    if run.eric is not None:
        report = run.eric.report
        console.print(
            f"  peers: {report['general_acute_sites']} NHS general acute hospitals (ERIC)"
        )
    timings = ", ".join(f"{k} {v:.2f} s" for k, v in run.seconds.items())
    console.print(f"  {timings}")


def register(cli: click.Group) -> None:
    """Add ``export`` and ``benchmark`` to the ``groendraad`` command."""
    cli.add_command(export)
    cli.add_command(benchmark)
