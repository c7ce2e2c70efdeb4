"""Waste: the waste processor's monthly CSV export (``afval_{month}.csv``).

One line per container collection; negative weights are correction lines (credit
notes) and count. The last line, ``Totaal;;;;;;<sum>``, is not a collection: a file
without it is truncated. parse() refuses only what it cannot read (no Totaal line, a
wrong header, a value that is not a date or a number); the values themselves are
checked by the expectation suites (groendraad.expectations): EURAL codes against
sources/eural.csv, processing routes, and the Totaal line against the lines above it,
which ``waste_totals`` keeps with both the declared and the computed total.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from groendraad.errors import SourceError
from groendraad.sources import dated, dutch_csv
from groendraad.sources.base import ParseContext, RawDelivery, RawPart
from groendraad.sources.dutch_csv import LINE

if TYPE_CHECKING:
    import httpx

    from groendraad.config import SourceConfig
    from groendraad.months import Month

NAME = "waste"
TABLES = ("waste_collections", "waste_totals")
MONTHLY_FILES = True  # a file per month: the same bytes in two months is a re-send
NEEDS_REFERENCE = False

COLUMNS = (
    "Datum",
    "Locatie",
    "Containernummer",
    "Euralcode",
    "Omschrijving",
    "Verwerkingsmethode",
    "Gewicht (kg)",
)
EURAL_FILE = Path(__file__).with_name("eural.csv")
_EURAL_RE = r"^\d{6}\*?$"  # after removing spaces: 180103* or 180104


@cache
def known_eural_codes() -> frozenset[str]:
    """The EURAL codes in sources/eural.csv, normalised as ``18 01 03*``."""
    with EURAL_FILE.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["eural_code"].strip() for row in csv.DictReader(handle))


def fetch(client: httpx.Client | None, month: Month, config: SourceConfig) -> RawDelivery:
    """Read ``afval_{month}.csv`` byte for byte."""
    return dutch_csv.fetch_files(NAME, month, [config.path("path", month)])


def parse(raw: RawDelivery, context: ParseContext) -> dict[str, pl.DataFrame]:
    """Collections (one row per line) and the reconciled Totaal line."""
    part = raw.parts[0]
    encoding = str(context.config.get("encoding", "auto"))
    frame = dutch_csv.read_csv(part, NAME, list(COLUMNS), encoding)
    lines, total = split_total(frame, part.location)
    collections = parse_collections(lines, part.location)
    dated.check_dated_month(
        collections.rename({"collection_date": "Datum"}), "Datum", context.month, NAME,
        part.location,
    )  # fmt: skip
    return {"waste_collections": collections, "waste_totals": reconcile(collections, total, part)}


def split_total(frame: pl.DataFrame, location: str) -> tuple[pl.DataFrame, dict[str, Any]]:
    """The collection lines and the Totaal line, which must be the last line."""
    # fill_null: a line without a date is a collection line (parse_dates refuses it),
    # never dropped by the filter below as if it were neither
    is_total = (pl.col("Datum").str.to_lowercase() == "totaal").fill_null(False)
    totals = frame.filter(is_total)
    last_line = frame[LINE].max() if frame.height else 1
    if totals.height == 0:
        message = "no Totaal line: the file looks truncated"
        raise SourceError(NAME, location, message, record=last_line)
    total = totals.row(0, named=True)
    if totals.height > 1 or total[LINE] != last_line:
        message = "the Totaal line is not the last line (file re-sent or concatenated?)"
        raise SourceError(NAME, location, message, record=total[LINE])
    amount = dutch_csv.parse_numbers(totals, ["Gewicht (kg)"], NAME, location)["Gewicht (kg)"]
    return frame.filter(~is_total), {"line": total[LINE], "kg": amount[0]}


def parse_collections(lines: pl.DataFrame, location: str) -> pl.DataFrame:
    """Typed collection lines. EURAL codes are normalised (``18 01 03*``) where they look
    like one and kept as delivered otherwise; the expectations judge them."""
    lines = dutch_csv.parse_dates(lines, "Datum", NAME, location)
    lines = dutch_csv.parse_numbers(lines, ["Gewicht (kg)"], NAME, location)
    lines = lines.with_columns(normalise_eural("Euralcode"))
    eural = pl.coalesce(pl.col("__Euralcode"), pl.col("Euralcode"))
    return lines.select(
        pl.col("Datum").alias("collection_date"),
        pl.col("Locatie").alias("location"),
        pl.col("Containernummer").alias("container_id"),
        eural.alias("eural_code"),
        eural.str.ends_with("*").alias("hazardous"),
        pl.col("Omschrijving").alias("description"),
        pl.col("Verwerkingsmethode").alias("processing_route"),
        pl.col("Gewicht (kg)").alias("weight_kg"),
        (pl.col("Gewicht (kg)") < 0).alias("is_correction"),
        pl.col(LINE),
    )


def normalise_eural(column: str) -> pl.Expr:
    """``180103*`` or ``18 01 03*`` as ``18 01 03*``; null when it is not a EURAL code."""
    compact = pl.col(column).str.replace_all(r"\s+", "")
    spaced = pl.concat_str(
        compact.str.slice(0, 2), compact.str.slice(2, 2), compact.str.slice(4), separator=" "
    )
    return pl.when(compact.str.contains(_EURAL_RE)).then(spaced).alias(f"__{column}")


def reconcile(collections: pl.DataFrame, total: dict[str, Any], part: RawPart) -> pl.DataFrame:
    """The Totaal line as a row, with the declared total and the lines' computed total
    (the expectation ``waste_totals.totaal_matches_lines`` compares them)."""
    computed = float(collections["weight_kg"].sum())
    declared = float(total["kg"])
    return pl.DataFrame(
        {
            "file_name": [part.name],
            "declared_total_kg": [declared],
            "lines_total_kg": [computed],
            "line_count": [collections.height],
            LINE: [total["line"]],
        },
        schema={
            "file_name": pl.String,
            "declared_total_kg": pl.Float64,
            "lines_total_kg": pl.Float64,
            "line_count": pl.Int32,
            LINE: pl.Int32,
        },
    )
