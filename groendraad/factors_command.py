"""``groendraad factors check``: per year and factor, what is used, its source and confidence."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from groendraad.errors import ConfigError

FIRST_YEAR = 2016


@click.group("factors")
def factors() -> None:
    """Emission factors: which list each year uses, and what is missing or assumed."""


def _years(text: str | None, root: Path | None) -> list[int]:
    """--years A-B, else the years staged in the warehouse, else 2016 to this year."""
    if text:
        first, _, last = text.partition("-")
        try:
            return list(range(int(first), int(last or first) + 1))
        except ValueError:
            raise click.BadParameter(f"{text!r}: expected YYYY or YYYY-YYYY") from None
    if root is not None and root.is_dir():
        from groendraad.metrics.inputs import all_staged_months

        staged = sorted({m.year for m in all_staged_months(root)})
        if staged:
            return staged
    return list(range(FIRST_YEAR, date.today().year + 1))


def _settings(config_path: Path, warehouse: Path | None):  # type: ignore[no-untyped-def]
    """(emission settings, warehouse root or None): the configuration is optional here."""
    from groendraad.cli import _load
    from groendraad.metrics.emission_settings import EmissionSettings, settings_from_config

    if not config_path.is_file():
        return EmissionSettings(), warehouse
    config, root = _load(config_path, warehouse)
    return settings_from_config(config.raw.get("emissions")), root


@factors.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              envvar="GROENDRAAD_CONFIG", default=Path("groendraad.yaml"),
              help="Configuration (for contracted electricity); optional.")  # fmt: skip
@click.option("--warehouse", type=click.Path(file_okay=False, path_type=Path),
              envvar="GROENDRAAD_WAREHOUSE", default=None,
              help="Warehouse (its staged years).")  # fmt: skip
@click.option("--years", default=None, help="Years to check, YYYY or YYYY-YYYY.")
@click.option("--factors-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="Another factors.csv [default: metrics/factors.csv].")  # fmt: skip
@click.option("--only-assumed", is_flag=True, help="Only factor-years carried, assumed or missing.")
def check(
    config_path: Path,
    warehouse: Path | None,
    years: str | None,
    factors_file: Path | None,
    only_assumed: bool,
) -> None:
    """Per year and factor: value, list year, status, confidence and source; exit 1 if missing."""
    from groendraad.cli import console
    from groendraad.metrics.emission_settings import with_contracts
    from groendraad.metrics.factor_check import missing, summary, usage
    from groendraad.metrics.factors import FACTORS_FILE, load_factors

    settings, root = _settings(config_path, warehouse)
    path = factors_file or FACTORS_FILE
    try:
        table = usage(with_contracts(load_factors(path), settings), _years(years, root))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    shown = table.filter(_worth_a_look()) if only_assumed else table
    console.print(
        f"Factors of {path} for {table['year'].min()}-{table['year'].max()}", soft_wrap=True
    )
    for row in shown.iter_rows(named=True):
        console.print(_line(row), soft_wrap=True, markup=False)
    counts = summary(table)
    console.print(", ".join(f"{k}: {v}" for k, v in counts.items()) + " (factor-years)")
    gaps = missing(table)
    if gaps.height:
        console.print(f"{gaps.height} factor-years have no factor and no declared fallback.")
        sys.exit(1)


def _worth_a_look():  # type: ignore[no-untyped-def]
    """Rows worth a look: carried, assumed or missing."""
    import polars as pl

    return (pl.col("status") != "as listed") | (pl.col("confidence") == "assumed")


def _line(row: dict) -> str:
    """One pasteable line: year, factor, value, list, status, confidence, source."""
    factor = f"{row['category']}/{row['activity']}/{row['basis']}/{row['part']}"
    if row["factor_id"] is None:
        return f"{row['year']}  {factor}  MISSING: no row covers this year"
    listed = row["list_year"] if row["list_year"] is not None else "-"
    return (
        f"{row['year']}  {factor}  {row['value']} {row['unit']}  [{row['factor_id']}]"
        f"  list {listed}  {row['status']}  {row['confidence']}  source: {row['source']}"
    )
