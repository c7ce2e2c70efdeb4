"""Mobility: HR's commuting export and the travel agency's business-travel export.

Both are personal data: personnel numbers stay in these internal staging tables, and
no value of these files appears in a log or error message: errors name the line and
the column only (``personal=True`` in every dutch_csv call, and the messages below).
Commuting km = 2 x one-way distance x travel days. A flight without a distance gets
the great-circle distance between its airports (sources/airports.csv) times the
configured uplift (``flight_uplift``, default 1.08).

parse() refuses only what it cannot read or compute (a wrong header, a value that is
not a number or a date, a flight without distance between unknown airports). Values
are judged by the expectation suites: a personnel number delivered twice, an unknown
department or mode, a negative distance (groendraad.expectations, against the
organisation reference parse() is given).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from groendraad.sources import dated, dutch_csv, reference
from groendraad.sources.base import ParseContext, RawDelivery, RawPart
from groendraad.sources.dutch_csv import LINE

if TYPE_CHECKING:
    import httpx

    from groendraad.config import SourceConfig
    from groendraad.months import Month

NAME = "mobility"
TABLES = ("commuting", "business_travel")
MONTHLY_FILES = True  # a file per month: the same bytes in two months is a re-send
NEEDS_REFERENCE = True

PARTS = ("commuting", "business_travel")  # config keys, in the order fetch() delivers them
COMMUTING = (
    "Personeelsnummer",
    "Afdeling",
    "Enkele reisafstand (km)",
    "Vervoerswijze",
    "Reisdagen",
    "FTE",
)
BUSINESS = (
    "Datum",
    "Personeelsnummer",
    "Afdeling",
    "Vervoerswijze",
    "Van",
    "Naar",
    "Afstand (km)",
    "Klasse",
)
FLIGHT = "Vliegtuig"
DEFAULT_FLIGHT_UPLIFT = 1.08
EARTH_RADIUS_KM = 6371.0
AIRPORTS_FILE = Path(__file__).with_name("airports.csv")


@cache
def airports() -> pl.DataFrame:
    """IATA code, latitude and longitude of the airports in sources/airports.csv."""
    return pl.read_csv(AIRPORTS_FILE, columns=["iata", "latitude", "longitude"])


def fetch(client: httpx.Client | None, month: Month, config: SourceConfig) -> RawDelivery:
    """Read ``woonwerk_{month}.csv`` and ``zakelijk_{month}.csv`` (in that order)."""
    return dutch_csv.fetch_files(NAME, month, [config.path(key, month) for key in PARTS])


def parse(raw: RawDelivery, context: ParseContext) -> dict[str, pl.DataFrame]:
    """One row per employee commuting and one per business trip.

    Refuses to parse without the organisation reference: the departments are checked
    against it (by the expectations), and a month is never published unchecked.
    """
    reference.require(context, NAME)
    commuting_part, business_part = raw.parts
    encoding = str(context.config.get("encoding", "auto"))
    uplift = float(context.config.get("flight_uplift", DEFAULT_FLIGHT_UPLIFT))
    return {
        "commuting": parse_commuting(commuting_part, encoding),
        "business_travel": parse_business_travel(business_part, uplift, encoding, context.month),
    }


def parse_commuting(part: RawPart, encoding: str = "auto") -> pl.DataFrame:
    """Commuting per employee, with commute_km = 2 x one-way km x travel days."""
    where = part.location
    rows = dutch_csv.read_csv(part, NAME, COMMUTING, encoding, personal=True)
    numbers = ["Enkele reisafstand (km)", "Reisdagen", "FTE"]
    rows = dutch_csv.parse_numbers(rows, numbers, NAME, where, personal=True)
    one_way, days = pl.col("Enkele reisafstand (km)"), pl.col("Reisdagen")
    return rows.select(
        pl.col("Personeelsnummer").alias("employee_id"),
        pl.col("Afdeling").alias("department"),
        one_way.alias("one_way_km"),
        pl.col("Vervoerswijze").alias("mode"),
        days.alias("travel_days"),
        pl.col("FTE").alias("fte"),
        (2 * one_way * days).alias("commute_km"),
        pl.col(LINE),
    )


def parse_business_travel(
    part: RawPart, uplift: float, encoding: str = "auto", month: Month | None = None
) -> pl.DataFrame:
    """Business trips; flights without a distance get great-circle x uplift. With
    ``month``, a file whose trips are mostly dated in another month is refused."""
    where = part.location
    rows = dutch_csv.read_csv(part, NAME, BUSINESS, encoding, personal=True)
    rows = dutch_csv.parse_dates(rows, "Datum", NAME, where, personal=True)
    if month is not None:
        dated.check_dated_month(rows, "Datum", month, NAME, where)
    rows = dutch_csv.parse_numbers(
        rows, ["Afstand (km)"], NAME, where, required=False, personal=True
    )
    rows = rows.with_columns(pl.col("Van", "Naar").str.to_uppercase())
    rows = add_flight_distances(rows, uplift, where)
    return rows.select(
        pl.col("Datum").alias("trip_date"),
        pl.col("Personeelsnummer").alias("employee_id"),
        pl.col("Afdeling").alias("department"),
        pl.col("Vervoerswijze").alias("mode"),
        pl.col("Van").alias("origin"),
        pl.col("Naar").alias("destination"),
        pl.col("__distance").alias("distance_km"),
        pl.col("__method").alias("distance_method"),
        pl.col("Klasse").alias("travel_class"),
        pl.col(LINE),
    )


def add_flight_distances(rows: pl.DataFrame, uplift: float, where: str) -> pl.DataFrame:
    """``__distance`` and ``__method``: declared, or great-circle x uplift for flights
    without one. Raises at a non-flight without distance or an unknown airport."""
    missing = pl.col("Afstand (km)").is_null()
    is_flight = pl.col("Vervoerswijze") == FLIGHT

    def no_distance(row: dict[str, Any]) -> str:
        return f"Afstand (km) is empty and Vervoerswijze is not {FLIGHT} (only flights may omit it)"

    dutch_csv.fail_on(rows, missing & ~is_flight, NAME, where, no_distance)
    to_compute = missing & is_flight
    for end in ("Van", "Naar"):
        check_airports(rows, end, to_compute, where)
    computed = uplift * great_circle_km(
        coordinate("Van", "latitude"),
        coordinate("Van", "longitude"),
        coordinate("Naar", "latitude"),
        coordinate("Naar", "longitude"),
    )
    return rows.with_columns(
        pl.when(to_compute).then(computed).otherwise(pl.col("Afstand (km)")).alias("__distance"),
        pl.when(to_compute)
        .then(pl.lit("great_circle_uplift"))
        .otherwise(pl.lit("declared"))
        .alias("__method"),
    )


def check_airports(rows: pl.DataFrame, end: str, needed: pl.Expr, where: str) -> None:
    """Raise at the first flight needing a computed distance whose airport ``end`` is unknown."""
    known = airports()["iata"].to_list()

    def message(row: dict[str, Any]) -> str:
        if row[end] is None:
            return f"{end} is empty for a flight without Afstand (km)"
        return f"{end}: unknown airport code (not in sources/airports.csv; value not shown)"

    unknown = pl.col(end).is_null() | ~pl.col(end).is_in(known)
    dutch_csv.fail_on(rows, needed & unknown, NAME, where, message)


def coordinate(column: str, axis: str) -> pl.Expr:
    """The ``latitude`` or ``longitude`` of the IATA airport in ``column`` (null if unknown)."""
    table = airports()
    return pl.col(column).replace_strict(
        table["iata"], table[axis], default=None, return_dtype=pl.Float64
    )


def great_circle_km(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    """Haversine distance in km between two points given in degrees (R = 6371 km)."""
    phi1, phi2 = lat1.radians(), lat2.radians()
    d_phi, d_lambda = (lat2 - lat1).radians(), (lon2 - lon1).radians()
    a = (d_phi / 2).sin() ** 2 + phi1.cos() * phi2.cos() * (d_lambda / 2).sin() ** 2
    return 2 * EARTH_RADIUS_KM * a.sqrt().arcsin()
