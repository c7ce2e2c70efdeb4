"""Disposables: the logistics (ERP) issue export, ``uitgifte_{month}.xlsx``.

Sheet ``Uitgifte``: a title and the export time on rows 1-2, the header on row 3.
Quantities come in pieces (``ST``) or packs (``DS100`` = box of 100): pieces =
``Aantal`` x pack size. Cost centres are mapped to departments through the
organisation reference; an unknown cost centre gets no department or division, and the
expectation ``disposables_issues.cost_centre_known`` refuses it (as it judges the other
values). parse() refuses only what it cannot read: a broken workbook, a wrong header, a
value that is not a number, a unit whose pack size cannot be read. ``source_line`` is
the row number in the sheet.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import fastexcel
import polars as pl

from groendraad.errors import SourceError
from groendraad.sources import dutch_csv, reference, sandbox
from groendraad.sources.base import ParseContext, RawDelivery, RawPart, Reference
from groendraad.sources.dutch_csv import LINE
from groendraad.sources.xlsx_bounds import MAX_CELLS, check_used_range

if TYPE_CHECKING:
    import httpx

    from groendraad.config import SourceConfig
    from groendraad.months import Month

NAME = "disposables"
TABLES = ("disposables_issues",)
MONTHLY_FILES = True  # a file per month: the same bytes in two months is a re-send
NEEDS_REFERENCE = True

COLUMNS = (
    "Periode",
    "Kostenplaats",
    "Artikelnummer",
    "GTIN",
    "Omschrijving",
    "Categorie",
    "Aantal",
    "Eenheid",
    "Gewicht per stuk (g)",
    "Herbruikbaar",
)
REQUIRED = ("Eenheid", "Herbruikbaar")  # needed to compute pieces and the reusable flag
_UNIT_RE = r"^(ST|[A-Z]{2,4}[1-9]\d*)$"  # ST, or a pack: letters + pack size (DS100, PAK10)
_DECIMAL_RE = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"  # 12 | -1.5 | 1e-05, never NaN/inf


def fetch(client: httpx.Client | None, month: Month, config: SourceConfig) -> RawDelivery:
    """Read ``uitgifte_{month}.xlsx`` byte for byte."""
    return dutch_csv.fetch_files(NAME, month, [config.path("path", month)])


def parse(raw: RawDelivery, context: ParseContext) -> dict[str, pl.DataFrame]:
    """One row per issue line, in pieces and kg, mapped to department and division."""
    organisation = reference.require(context, NAME)
    part = raw.parts[0]
    sheet = str(context.config.get("sheet", "Uitgifte"))
    header_row = int(context.config.get("header_row", 3))
    where = part.location
    max_cells = int(context.config.get("max_cells", MAX_CELLS))
    rows = read_sheet(part, sheet, header_row, max_cells)
    rows = rows.with_columns(pl.col("Eenheid", "Herbruikbaar").str.to_uppercase())
    dutch_csv.require_filled(rows, REQUIRED, NAME, where)
    rows = dutch_csv.parse_numbers(rows, ["Aantal"], NAME, where, convert=excel_number)
    rows = dutch_csv.parse_numbers(
        rows, ["Gewicht per stuk (g)"], NAME, where, required=False, convert=excel_number
    )
    rows = rows.with_columns(normalise_gtin("GTIN"), pack_size("Eenheid"), reusable(rows, where))
    check_units(rows, where)
    rows = map_cost_centres(rows, organisation)
    return {"disposables_issues": to_issues(rows)}


def read_sheet(
    part: RawPart, sheet: str, header_row: int, max_cells: int = MAX_CELLS
) -> pl.DataFrame:
    """The sheet as strings, header checked, with the sheet row number as ``source_line``.

    The sheet's used range is bounded first (xlsx_bounds), and the workbook is read in
    the sandboxed reader process: a workbook that makes the reader die fails this file.
    """
    check_used_range(part.content, sheet, NAME, part.location, max_cells)
    try:
        outcome, value = sandbox.run(read_in_reader, part.content, sheet, header_row)
    except sandbox.ReaderDied:
        message = (
            "the spreadsheet reader stopped while reading this workbook (out of memory or "
            f"aborted, limit {sandbox.memory_limit_mb()} MB): it is damaged or far too large"
        )
        raise SourceError(NAME, part.location, message) from None
    if outcome != "ok":
        raise SourceError(NAME, part.location, value)
    frame: pl.DataFrame = value
    dutch_csv.check_header(frame.columns, COLUMNS, NAME, part.location, row=header_row)
    frame = frame.select(COLUMNS).with_row_index(LINE, offset=header_row + 1)
    frame = frame.with_columns(pl.col(LINE).cast(pl.Int32))
    return dutch_csv.drop_blank_rows(dutch_csv.clean_strings(frame, COLUMNS), COLUMNS)


def read_in_reader(content: bytes, sheet: str, header_row: int) -> tuple[str, Any]:
    """(``ok``, the sheet as strings) or (``error``, what is wrong); runs in the reader."""
    try:
        sheets = fastexcel.read_excel(content).sheet_names
    except Exception as exc:  # noqa: BLE001 - fastexcel raises its own CalamineError family
        message = f"not a readable XLSX file (truncated or not Excel?): {exc}".splitlines()[0]
        return "error", message
    if sheet not in sheets:
        return "error", f"no sheet {sheet!r} (found: {sheets})"
    try:
        frame = pl.read_excel(
            io.BytesIO(content),
            sheet_name=sheet,
            read_options={"header_row": header_row - 1, "dtypes": "string"},
            drop_empty_rows=False,
        )
    except Exception as exc:  # noqa: BLE001 - a damaged sheet, in the reader's words
        return "error", f"sheet {sheet!r} cannot be read: {exc}".splitlines()[0]
    return "ok", frame


def excel_number(column: str) -> pl.Expr:
    """An Excel cell read as text (``12``, ``1.5``, ``1e-05``) as Float64; null if it is not
    a number (``NaN``, ``inf`` and other text included)."""
    text = pl.col(column).str.strip_chars()
    return pl.when(text.str.contains(_DECIMAL_RE)).then(text.cast(pl.Float64, strict=False))


def normalise_gtin(column: str) -> pl.Expr:
    """GTIN as 13 digits: a number Excel stored (``871234567890``) is zero-padded; any
    other value is kept as delivered (the expectations judge it)."""
    digits = pl.col(column).str.replace(r"\.0+$", "")
    valid = digits.str.contains(r"^\d{1,13}$")
    return pl.when(valid).then(digits.str.zfill(13)).otherwise(pl.col(column)).alias(f"__{column}")


def pack_size(column: str) -> pl.Expr:
    """Pieces per unit: 1 for ``ST``, the trailing digits of a pack (``DS100`` -> 100)."""
    unit = pl.col(column)
    size = unit.str.extract(r"(\d+)$").cast(pl.Int32, strict=False)
    packed = pl.when(unit == "ST").then(pl.lit(1, dtype=pl.Int32)).otherwise(size)
    return pl.when(unit.str.contains(_UNIT_RE)).then(packed).alias("__pack_size")


def reusable(rows: pl.DataFrame, where: str) -> pl.Expr:
    """``Herbruikbaar`` J/N as a boolean (raises at the first other value)."""
    dutch_csv.check_values(rows, "Herbruikbaar", ("J", "N"), NAME, where)
    return (pl.col("Herbruikbaar") == "J").alias("__reusable")


def check_units(rows: pl.DataFrame, where: str) -> None:
    """Raise at the first row whose unit has no readable pack size (pieces unknowable)."""

    def bad_unit(row: dict[str, Any]) -> str:
        return f"unknown unit {row['Eenheid']!r} in Eenheid (expected ST or a pack like DS100)"

    dutch_csv.fail_on(rows, pl.col("__pack_size").is_null(), NAME, where, bad_unit)


def map_cost_centres(rows: pl.DataFrame, organisation: Reference) -> pl.DataFrame:
    """Add department and division from the reference (null for an unknown cost centre)."""
    org = organisation.organisation
    centre = pl.col("Kostenplaats")
    return rows.with_columns(
        centre.replace_strict(
            org["cost_centre"], org["department"], default=None, return_dtype=pl.String
        ).alias("__department"),
        centre.replace_strict(
            org["cost_centre"], org["division"], default=None, return_dtype=pl.String
        ).alias("__division"),
    )


def to_issues(rows: pl.DataFrame) -> pl.DataFrame:
    """The checked rows in the columns of the ``disposables_issues`` table."""
    pieces = pl.col("Aantal") * pl.col("__pack_size")
    return rows.select(
        pl.col("Periode").alias("period"),
        pl.col("Kostenplaats").alias("cost_centre"),
        pl.col("__department").alias("department"),
        pl.col("__division").alias("division"),
        pl.col("Artikelnummer").alias("article_number"),
        pl.col("__GTIN").alias("gtin"),
        pl.col("Omschrijving").alias("description"),
        pl.col("Categorie").alias("category"),
        pl.col("Aantal").alias("quantity"),
        pl.col("Eenheid").alias("unit"),
        pl.col("__pack_size").alias("pack_size"),
        pieces.alias("pieces"),
        pl.col("Gewicht per stuk (g)").alias("weight_per_piece_g"),
        (pieces * pl.col("Gewicht per stuk (g)") / 1000).alias("mass_kg"),
        pl.col("__reusable").alias("reusable"),
        pl.col(LINE),
    )
