"""Render the model's data exactly in the delivery formats of sources.md.

A delivery is first built as a *table* (a polars frame with the delivered column
names, numbers already written the Dutch way) so faults can be injected into it, and
then rendered to bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

import polars as pl
import xlsxwriter

from groendraad.demo.travel import Trip
from groendraad.demo.waste import WasteLine
from groendraad.months import Month

WASTE_HEADER = (
    "Datum",
    "Locatie",
    "Containernummer",
    "Euralcode",
    "Omschrijving",
    "Verwerkingsmethode",
    "Gewicht (kg)",
)
TENTHS = "_tenths"  # hidden column of the waste table: weight in 0.1 kg, for the Totaal line


def decimal_comma(column: str, decimals: int) -> pl.Expr:
    """A numeric column written with a decimal comma and no thousands separator."""
    scaled = (pl.col(column) * 10**decimals).round(0).cast(pl.Int64)
    whole = (scaled.abs() // 10**decimals).cast(pl.String)
    sign = pl.when(scaled < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    if decimals == 0:
        return pl.concat_str([sign, whole]).alias(column)
    fraction = (scaled.abs() % 10**decimals).cast(pl.String).str.zfill(decimals)
    return pl.concat_str([sign, whole, pl.lit(","), fraction]).alias(column)


def dutch_thousands(value: float, decimals: int) -> str:
    """``1234.5`` -> ``1.234,5``: '.' groups thousands, ',' marks decimals."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def render_csv(
    table: pl.DataFrame,
    *,
    encoding: str = "utf-8",
    line_end: str = "\n",
    trailer: str | None = None,
) -> bytes:
    """``;``-separated text with a header line; ``encoding`` may be ``utf-8-sig`` or cp1252."""
    visible = table.select([c for c in table.columns if not c.startswith("_")])
    text = visible.write_csv(separator=";", line_terminator=line_end, quote_style="necessary")
    if trailer is not None:
        text += trailer + line_end
    return text.encode(encoding)


def waste_table(lines: Sequence[WasteLine], tonnes: bool = False) -> pl.DataFrame:
    """The waste report's lines; weights in kg (1 decimal) or, wrongly, in tonnes."""

    def weight(line: WasteLine) -> str:
        return (
            dutch_thousands(line.tenths_kg / 10_000, 4)
            if tonnes
            else dutch_thousands(line.tenths_kg / 10, 1)
        )

    def code(line: WasteLine) -> str:
        return line.code.replace(" ", "") if line.compact_code else line.code

    return pl.DataFrame(
        [
            (
                f"{x.day:%d-%m-%Y}",
                x.location,
                x.container,
                code(x),
                x.description,
                x.route,
                weight(x),
                x.tenths_kg,
            )
            for x in lines
        ],
        schema=[*WASTE_HEADER, TENTHS],
        orient="row",
    )


def waste_total_line(table: pl.DataFrame, tonnes: bool = False, offset_tenths: int = 0) -> str:
    """``Totaal;;;;;;<sum>`` over the hidden tenths column (plus a deliberate offset)."""
    tenths = int(table[TENTHS].sum()) + offset_tenths
    total = dutch_thousands(tenths / 10_000, 4) if tonnes else dutch_thousands(tenths / 10, 1)
    return "Totaal;;;;;;" + total


def commuting_table(frame: pl.DataFrame) -> pl.DataFrame:
    """woonwerk_{month}.csv columns from the model's commuting frame."""
    return frame.select(
        pl.col("employee_id").alias("Personeelsnummer"),
        pl.col("department").alias("Afdeling"),
        decimal_comma("one_way_km", 1).alias("Enkele reisafstand (km)"),
        pl.col("mode").alias("Vervoerswijze"),
        pl.col("travel_days").cast(pl.String).alias("Reisdagen"),
        decimal_comma("fte", 2).alias("FTE"),
    )


def trips_table(trips: Sequence[Trip]) -> pl.DataFrame:
    """zakelijk_{month}.csv columns; flight distances are often empty."""
    return pl.DataFrame(
        [
            (
                f"{t.day:%d-%m-%Y}",
                t.employee_id,
                t.department,
                t.mode,
                t.origin,
                t.destination,
                None if t.distance_km is None else f"{t.distance_km:.0f}",
                t.travel_class or None,
            )
            for t in trips
        ],
        schema=[
            "Datum",
            "Personeelsnummer",
            "Afdeling",
            "Vervoerswijze",
            "Van",
            "Naar",
            "Afstand (km)",
            "Klasse",
        ],
        orient="row",
    )


def medicine_table(frame: pl.DataFrame) -> pl.DataFrame:
    """geneesmiddelverspilling_{month}.csv: whole quantities without decimals."""
    whole = pl.col("Hoeveelheid") == pl.col("Hoeveelheid").round(0)
    return frame.with_columns(
        pl.col("Datum").dt.strftime("%d-%m-%Y"),
        pl.when(whole)
        .then(decimal_comma("Hoeveelheid", 0))
        .otherwise(decimal_comma("Hoeveelheid", 1))
        .alias("Hoeveelheid"),
        decimal_comma("Waarde (EUR)", 2),
    )


def key_figures_csv(table: pl.DataFrame) -> bytes:
    return render_csv(table.with_columns(decimal_comma("FTE", 1)))


def disposables_xlsx(table: pl.DataFrame, month: Month) -> bytes:
    """uitgifte_{month}.xlsx: title, export timestamp, header on row 3, GTIN as text."""
    exported = datetime(month.next().year, month.next().month, 3, 6, 15)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {"title": f"Uitgifte {month}", "author": "ERP Logistiek", "created": exported}
    )
    sheet = workbook.add_worksheet("Uitgifte")
    sheet.write_string(0, 0, f"Uitgifte artikelen per kostenplaats - periode {month}")
    sheet.write_string(1, 0, f"Geëxporteerd op: {exported:%d-%m-%Y %H:%M}")
    sheet.write_row(2, 0, table.columns)
    writers = [
        sheet.write_number if dtype.is_numeric() else sheet.write_string for dtype in table.dtypes
    ]
    for r, row in enumerate(table.iter_rows(), start=3):
        for c, (write, value) in enumerate(zip(writers, row, strict=True)):
            if value is not None:
                write(r, c, value)
    workbook.close()
    return buffer.getvalue()
