"""Medicine waste: the hospital pharmacy's registrations, ``geneesmiddelverspilling_{month}.csv``.

One line per registration: date, department, ATC code, product, quantity in a unit
(``stuk``, ``ml``, ``flacon``, ``ampul``), the reason it was wasted and its value.
parse() refuses only what it cannot read (a wrong header, a value that is not a date
or a number); the department, ATC code, unit and reason are judged by the expectation
suite ``medicine_waste`` (groendraad.expectations).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from groendraad.sources import dated, dutch_csv, reference
from groendraad.sources.base import ParseContext, RawDelivery
from groendraad.sources.dutch_csv import LINE

if TYPE_CHECKING:
    import httpx

    from groendraad.config import SourceConfig
    from groendraad.months import Month

NAME = "medicine_waste"
TABLES = ("medicine_waste",)
MONTHLY_FILES = True  # a file per month: the same bytes in two months is a re-send
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


def fetch(client: httpx.Client | None, month: Month, config: SourceConfig) -> RawDelivery:
    """Read ``geneesmiddelverspilling_{month}.csv`` byte for byte."""
    return dutch_csv.fetch_files(NAME, month, [config.path("path", month)])


def parse(raw: RawDelivery, context: ParseContext) -> dict[str, pl.DataFrame]:
    """One row per registration, typed.

    Refuses to parse without the organisation reference: the departments are checked
    against it (by the expectations), and a month is never published unchecked.
    """
    reference.require(context, NAME)
    part = raw.parts[0]
    where = part.location
    rows = dutch_csv.read_csv(part, NAME, COLUMNS, str(context.config.get("encoding", "auto")))
    rows = dutch_csv.parse_dates(rows, "Datum", NAME, where)
    dated.check_dated_month(rows, "Datum", context.month, NAME, where)
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
