"""Reference data from the control department: key figures and the organisation.

``kerncijfers.csv`` holds one row a month (the denominators for normalised figures);
this connector keeps the row of the requested month. ``organisatie.csv`` maps cost
centres to departments, divisions and buildings; other sources map against it through
``Reference`` (see ``reference_from``, ``require`` and ``check_departments``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from groendraad.errors import SourceError
from groendraad.sources import dutch_csv
from groendraad.sources.base import ParseContext, RawDelivery, RawPart, Reference
from groendraad.sources.dutch_csv import LINE

if TYPE_CHECKING:
    import httpx

    from groendraad.config import SourceConfig
    from groendraad.months import Month

NAME = "reference"
TABLES = ("key_figures", "organisation")
NEEDS_REFERENCE = False

PARTS = ("key_figures", "organisation")  # config keys, in the order fetch() delivers them
KEY_FIGURES = {
    "FTE": "fte",
    "Verpleegdagen": "bed_days",
    "Opnames": "admissions",
    "Operaties": "operations",
    "Polibezoeken": "outpatient_visits",
    "Maaltijden": "meals",
    "Vloeroppervlak (m2)": "floor_area_m2",
}
ORGANISATION = {
    "Kostenplaats": "cost_centre",
    "Afdeling": "department",
    "Divisie": "division",
    "Gebouw": "building",
    "Vloeroppervlak (m2)": "floor_area_m2",
}


def fetch(client: httpx.Client | None, month: Month, config: SourceConfig) -> RawDelivery:
    """Read ``kerncijfers.csv`` and ``organisatie.csv`` (in that order) byte for byte."""
    return dutch_csv.fetch_files(NAME, month, [config.path(key) for key in PARTS])


def parse(raw: RawDelivery, context: ParseContext) -> dict[str, pl.DataFrame]:
    """The month's key figures row and the whole organisation table."""
    key_figures_part, organisation_part = raw.parts
    encoding = str(context.config.get("encoding", "auto"))
    return {
        "key_figures": parse_key_figures(key_figures_part, context.month, encoding),
        "organisation": parse_organisation(organisation_part, encoding),
    }


def parse_key_figures(part: RawPart, month: Month, encoding: str = "auto") -> pl.DataFrame:
    """The row of ``month`` (``Maand`` = ``YYYY-MM``) with its figures as floats."""
    frame = dutch_csv.read_csv(part, NAME, ["Maand", *KEY_FIGURES], encoding)
    rows = frame.filter(pl.col("Maand") == str(month))
    if rows.height == 0:
        message = f"no row for Maand {month}: the key figures for this month are missing"
        raise SourceError(NAME, part.location, message)
    dutch_csv.fail_on(
        rows,
        pl.col(LINE) > pl.col(LINE).min(),
        NAME,
        part.location,
        lambda row: f"Maand {month} appears on more than one line",
    )
    rows = dutch_csv.parse_numbers(rows, list(KEY_FIGURES), NAME, part.location)
    period = pl.lit(month.first_day, dtype=pl.Date).alias("period")
    return rows.select(period, *(pl.col(c).alias(n) for c, n in KEY_FIGURES.items()))


def parse_organisation(part: RawPart, encoding: str = "auto") -> pl.DataFrame:
    """Every cost centre with its department, division, building and floor area."""
    frame = dutch_csv.read_csv(part, NAME, list(ORGANISATION), encoding)
    dutch_csv.require_filled(frame, ["Kostenplaats", "Afdeling", "Divisie"], NAME, part.location)
    first = pl.col(LINE).min().over("Kostenplaats")
    frame = frame.with_columns(first.alias("__first"))
    dutch_csv.fail_on(
        frame,
        pl.col(LINE) != pl.col("__first"),
        NAME,
        part.location,
        lambda r: f"Kostenplaats {r['Kostenplaats']!r} already appears on line {r['__first']}",
    )
    frame = dutch_csv.parse_numbers(
        frame, ["Vloeroppervlak (m2)"], NAME, part.location, required=False
    )
    return frame.select(pl.col(c).alias(n) for c, n in ORGANISATION.items())


def reference_from(organisation: pl.DataFrame) -> Reference:
    """The Reference other sources map against, from the parsed ``organisation`` frame."""
    missing = {"cost_centre", "department", "division"} - set(organisation.columns)
    if missing:
        raise ValueError(f"organisation frame lacks columns {sorted(missing)}")
    return Reference(organisation=organisation)


def require(context: ParseContext, source: str) -> Reference:
    """The context's reference, or a SourceError when there is none to map against."""
    if context.reference is None:
        message = "cannot be mapped: no organisation reference for this month"
        raise SourceError(source, None, message)
    return context.reference


def check_departments(
    frame: pl.DataFrame, column: str, reference: Reference, source: str, location: str
) -> None:
    """Raise at the first row whose department ``column`` is not in the reference."""
    dutch_csv.require_filled(frame, [column], source, location)
    known = sorted(reference.departments())

    def message(row: dict[str, Any]) -> str:
        return f"unknown department {row[column]!r} in {column} (not in the organisation reference)"

    dutch_csv.fail_on(frame, ~pl.col(column).is_in(known), source, location, message)
