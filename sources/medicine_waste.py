"""Medicine waste: the hospital pharmacy's registrations, ``geneesmiddelverspilling_{month}.csv``.

One line per registration: date, department, ATC code, product, quantity in a unit
(``stuk``, ``ml``, ``flacon``, ``ampul``), the reason it was wasted and its value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from groendraad.sources import dutch_csv, reference
from groendraad.sources.base import ParseContext, RawDelivery
from groendraad.sources.dutch_csv import LINE

if TYPE_CHECKING:
    import httpx

    from groendraad.config import SourceConfig
    from groendraad.months import Month

NAME = "medicine_waste"
TABLES = ("medicine_waste",)
NEEDS_REFERENCE = True

COLUMNS = (
    "Datum",
    "Afdeling",
    "ATC",
    "Product",
    "Hoeveelheid",
    "Eenheid",
    "Reden",
    "Waarde (EUR)",
)
UNITS = ("stuk", "ml", "flacon", "ampul")
REASONS = (
    "Verlopen",
    "Retour niet herbruikbaar",
    "Bereid niet toegediend",
    "Gemorst of kapot",
    "Overig",
)
ATC_RE = r"^[A-Z]\d{2}[A-Z]{2}\d{2}$"  # level-5 ATC code, e.g. N02BE01


def fetch(client: httpx.Client | None, month: Month, config: SourceConfig) -> RawDelivery:
    """Read ``geneesmiddelverspilling_{month}.csv`` byte for byte."""
    return dutch_csv.fetch_files(NAME, month, [config.path("path", month)])


def parse(raw: RawDelivery, context: ParseContext) -> dict[str, pl.DataFrame]:
    """One row per registration, with ATC code, unit, reason and department checked."""
    organisation = reference.require(context, NAME)
    part = raw.parts[0]
    where = part.location
    rows = dutch_csv.read_csv(part, NAME, COLUMNS, str(context.config.get("encoding", "auto")))
    rows = dutch_csv.parse_dates(rows, "Datum", NAME, where)
    reference.check_departments(rows, "Afdeling", organisation, NAME, where)
    check_atc(rows, where)
    dutch_csv.check_values(rows, "Eenheid", UNITS, NAME, where)
    dutch_csv.check_values(rows, "Reden", REASONS, NAME, where)
    rows = dutch_csv.parse_numbers(rows, ["Hoeveelheid", "Waarde (EUR)"], NAME, where)
    return {
        "medicine_waste": rows.select(
            pl.col("Datum").alias("registration_date"),
            pl.col("Afdeling").alias("department"),
            pl.col("ATC").alias("atc"),
            pl.col("Product").alias("product"),
            pl.col("Hoeveelheid").alias("quantity"),
            pl.col("Eenheid").alias("unit"),
            pl.col("Reden").alias("reason"),
            pl.col("Waarde (EUR)").alias("value_eur"),
            pl.col(LINE),
        )
    }


def check_atc(rows: pl.DataFrame, where: str) -> None:
    """Raise at the first line whose ATC code is not a level-5 code like ``N02BE01``."""

    def message(row: dict[str, Any]) -> str:
        return f"ATC {row['ATC']!r} is not an ATC code (expected like N02BE01)"

    dutch_csv.require_filled(rows, ["ATC"], NAME, where)
    dutch_csv.fail_on(rows, ~pl.col("ATC").str.contains(ATC_RE), NAME, where, message)
