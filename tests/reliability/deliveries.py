# ruff: noqa: E501 - a table of cases reads best one case to a line
"""Hostile deliveries, built from the demo hospital's good ones: one thing broken each.

Each builder returns a :class:`Hostile`: the connector, the delivery as it would be
fetched, and what the error must say (and at which line or record). Personal cases
also name the values that must never appear in the message.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from groendraad.config import SourceConfig
from groendraad.months import Month
from groendraad.sources import disposables, energy, food_waste, medicine_waste, mobility, waste
from groendraad.sources.base import RawDelivery, RawPart

from .hospital import FILES, set_field, text

OCTOBER = Month(2025, 10)
SEPTEMBER = Month(2025, 9)
PLANTED = "PN-LEAK-4711"  # a personnel number nobody else has: it must never show up
API = "http://api.test"


@dataclass(frozen=True)
class Hostile:
    connector: ModuleType
    delivery: RawDelivery
    says: str  # a phrase the error message must contain
    record: str | int | None = None  # the line (int) or record the error must name
    secret: tuple[str, ...] = field(default=())  # values that must not be in the message


def delivery(source: str, *files: tuple[str, bytes], month: Month = OCTOBER) -> RawDelivery:
    parts = tuple(RawPart(name, f"/deliveries/{name}", content) for name, content in files)
    return RawDelivery(source, month, parts)


def good(folder: Path, what: str, month: Month = OCTOBER) -> bytes:
    return (folder / FILES[what].format(month=month)).read_bytes()


def csv_lines(folder: Path, what: str, month: Month = OCTOBER) -> list[str]:
    return text(good(folder, what, month)).splitlines()


def encode(lines: list[str]) -> bytes:
    return "\r\n".join(lines).encode("utf-8")


def waste_with(folder: Path, line: int, column: int, value: str) -> RawDelivery:
    lines = set_field(csv_lines(folder, "waste"), line, column, value)
    return delivery("waste", ("afval_2025-10.csv", encode(lines)))


def mobility_with(commuting: list[str], folder: Path, trips: list[str] | None = None):
    trips = trips if trips is not None else csv_lines(folder, "business_travel")
    return delivery(
        "mobility", ("woonwerk_2025-10.csv", encode(commuting)),
        ("zakelijk_2025-10.csv", encode(trips)),
    )  # fmt: skip


def planted_commuting(folder: Path) -> list[str]:
    """The HR export with PLANTED as the first employee's personnel number."""
    return set_field(csv_lines(folder, "commuting"), 2, 0, PLANTED)


def first_employee(lines: list[str]) -> tuple[str, ...]:
    """Values of the first employee's record long enough to recognise in a message."""
    return tuple(v for v in lines[1].split(";") if len(v) >= 4)


def xlsx_with_cell(content: bytes, cell: str, value: str, row: int) -> bytes:
    """A copy of a workbook with ``value`` (inline text) at ``cell`` of sheet1."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = _put_cell(data, cell, value, row)
            target.writestr(item, data)
    return out.getvalue()


def _put_cell(sheet: bytes, cell: str, value: str, row: int) -> bytes:
    new = f'<c r="{cell}" t="inlineStr"><is><t>{value}</t></is></c>'.encode()
    marker = f'<c r="{cell}"'.encode()
    if marker in sheet:  # replace the existing cell
        start = sheet.index(marker)
        end = sheet.index(b"</c>", start) + 4
        return sheet[:start] + new + sheet[end:]
    return sheet.replace(b"</sheetData>", f'<row r="{row}">'.encode() + new + b"</row></sheetData>")


def xlsx(folder: Path, cell: str, value: str, row: int) -> RawDelivery:
    content = xlsx_with_cell(good(folder, "disposables"), cell, value, row)
    return delivery("disposables", ("uitgifte_2025-10.xlsx", content))


METERS = {
    "meters": [
        {"meter_id": "E1", "ean": "1", "building": "Gebouw 1", "carrier": "electricity",
         "unit": "kWh", "interval_minutes": 15, "direction": "consumption"},
    ]
}  # fmt: skip


def energy_delivery(readings: bytes) -> RawDelivery:
    meters = RawPart("meters.json", f"{API}/api/v1/meters", json.dumps(METERS).encode())
    page = RawPart("readings_E1_p0001.json", f"{API}/api/v1/meters/E1/readings?start=x", readings)
    return RawDelivery("energy", OCTOBER, (meters, page))


def food_delivery(body: bytes) -> RawDelivery:
    part = RawPart("events_k_p0001.json", f"{API}/v2/sites/keuken/waste-events?page=1", body)
    return RawDelivery("food_waste", OCTOBER, (part,))


def food_event(weight: str) -> bytes:
    return (
        '{"data": [{"id": "e1", "recorded_at": "2025-10-14T11:02:13Z", "station": "K", '
        f'"category": "spoilage", "weight_grams": {weight}, "meal": null, "voided": false}}], '
        '"meta": {"pages": 1}}'
    ).encode()


def _redated_waste(folder: Path) -> RawDelivery:
    lines = csv_lines(folder, "waste")
    moved = [line.replace("31-10-2025;", "30-10-2025;", 1) for line in lines]
    moved = [line.replace("-10-2025;", "-09-2025;", 1) for line in moved]
    return delivery("waste", ("afval_2025-10.csv", encode(moved)))


def _redated_medicine(folder: Path) -> RawDelivery:
    return delivery(
        "medicine_waste",
        ("geneesmiddelverspilling_2025-10.csv", good(folder, "medicine_waste", SEPTEMBER)),
    )


def _hr_without_header(folder: Path) -> Hostile:
    lines = planted_commuting(folder)[1:]
    return Hostile(mobility, mobility_with(lines, folder), "unexpected header", 1,
                   first_employee(planted_commuting(folder)))  # fmt: skip


def _hr_shifted(folder: Path) -> Hostile:
    lines = planted_commuting(folder)
    fields = lines[1].split(";")
    lines[1] = ";".join([fields[0], fields[2], fields[1], *fields[3:]])
    return Hostile(mobility, mobility_with(lines, folder), "Enkele reisafstand (km): not a number",
                   2, first_employee(lines))  # fmt: skip


def _hr_nan(folder: Path) -> Hostile:
    lines = set_field(planted_commuting(folder), 2, 5, "NaN")
    return Hostile(mobility, mobility_with(lines, folder), "FTE: not a number", 2,
                   first_employee(lines))  # fmt: skip


def _travel(folder: Path, column: int, value: str, says: str) -> Hostile:
    trips = set_field(csv_lines(folder, "business_travel"), 2, 1, PLANTED)
    trips = set_field(trips, 2, column, value)
    if column in (4, 5):  # an airport: the trip must be a flight without distance
        trips = set_field(set_field(trips, 2, 3, "Vliegtuig"), 2, 6, "")
        trips = set_field(trips, 2, 9 - column, "AMS")  # the other end is known
    return Hostile(mobility, mobility_with(planted_commuting(folder), folder, trips), says, 2,
                   (PLANTED, value))  # fmt: skip


def _utf16_waste(folder: Path) -> RawDelivery:
    content = text(good(folder, "waste")).encode("utf-16")  # with a byte-order mark
    return delivery("waste", ("afval_2025-10.csv", content))


def _utf16_hr(folder: Path) -> RawDelivery:
    content = text(good(folder, "commuting")).encode("utf-16-le")
    trips = good(folder, "business_travel")
    return delivery("mobility", ("woonwerk_2025-10.csv", content), ("zakelijk_2025-10.csv", trips))


def _damaged_deflate(folder: Path) -> RawDelivery:
    """The workbook with bytes of its sheet's compressed data overwritten."""
    content = bytearray(good(folder, "disposables"))
    info = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo("xl/worksheets/sheet1.xml")
    name_and_extra = int.from_bytes(
        content[info.header_offset + 26 : info.header_offset + 30], "little"
    )
    start = info.header_offset + 30 + name_and_extra + 200
    content[start : start + 16] = bytes(range(16))
    return delivery("disposables", ("uitgifte_2025-10.xlsx", bytes(content)))


def _random(n: int) -> bytes:
    import random

    return random.Random(n).randbytes(n)  # noqa: S311 - test data


BUILDERS: dict[str, Callable[[Path], Hostile]] = {
    "xlsx-xfd1048576": lambda f: Hostile(
        disposables, xlsx(f, "XFD1048576", "x", 1048576), "spans 1,048,576 rows x 16,384 columns",
        "cell XFD1048576"),
    "nan-waste-weight": lambda f: Hostile(
        waste, waste_with(f, 3, 6, "NaN"), "Gewicht (kg): not a number: 'NaN'", 3),
    "waste-line-without-date": lambda f: Hostile(
        waste, waste_with(f, 2, 0, ""), "Datum is empty", 2),
    "huge-number-csv": lambda f: Hostile(
        waste, waste_with(f, 4, 6, "9" * 400), "Gewicht (kg): not a number", 4),
    "nan-xlsx-text": lambda f: Hostile(
        disposables, xlsx(f, "G5", "NaN", 5), "Aantal: not a number: 'NaN'", 5),
    "inf-xlsx-text": lambda f: Hostile(
        disposables, xlsx(f, "I6", "inf", 6), "Gewicht per stuk (g): not a number: 'inf'", 6),
    "nan-energy-json": lambda f: Hostile(energy, energy_delivery(
        b'{"readings": [{"start": "2025-10-01T00:00:00+02:00", "value": NaN, "status": "measured"}]}'
    ), "not finite (NaN) at line 1 column"),
    "nan-energy-text": lambda f: Hostile(energy, energy_delivery(
        b'{"readings": [{"start": "2025-10-01T00:00:00+02:00", "value": "NaN", "status": "measured"}]}'
    ), "readings[0]", "readings[0]"),
    "infinity-food-json": lambda f: Hostile(
        food_waste, food_delivery(food_event("Infinity")), "not finite (Infinity) at line 1"),
    "overflow-food-json": lambda f: Hostile(
        food_waste, food_delivery(food_event("1e999")), "not finite (1e999) at line 1"),
    "nan-commuting-fte": _hr_nan,
    "hr-without-header": _hr_without_header,
    "hr-shifted-column": _hr_shifted,
    "travel-bad-date": lambda f: _travel(f, 0, "31-02-2025", "Datum: not a date"),
    "travel-unknown-airport": lambda f: _travel(f, 5, "QQX", "Naar: unknown airport code"),
    "waste-dated-other-month": lambda f: Hostile(
        waste, _redated_waste(f), "are dated in 2025-09 and 0 in 2025-10", 2),
    "medicine-dated-other-month": lambda f: Hostile(
        medicine_waste, _redated_medicine(f), "dated in 2025-09", 2),
    "utf16-waste": lambda f: Hostile(
        waste, _utf16_waste(f),
        "the file is UTF-16 (little-endian, with a byte-order mark); expected UTF-8 or Windows-1252"),
    "utf16-hr": lambda f: Hostile(
        mobility, _utf16_hr(f), "the file is UTF-16 (little-endian, no byte-order mark)"),
    "truncated-csv": lambda f: Hostile(waste, delivery(
        "waste", ("afval_2025-10.csv", good(f, "waste")[:5000])), "no Totaal line"),
    "empty-file": lambda f: Hostile(
        waste, delivery("waste", ("afval_2025-10.csv", b"")), "the file is empty"),
    "random-bytes-csv": lambda f: Hostile(
        waste, delivery("waste", ("afval_2025-10.csv", _random(3000))), "binary, not text"),
    "random-bytes-xlsx": lambda f: Hostile(disposables, delivery(
        "disposables", ("uitgifte_2025-10.xlsx", _random(3000))), "not a readable XLSX file"),
    "xlsx-damaged-deflate": lambda f: Hostile(
        disposables, _damaged_deflate(f), "uitgifte_2025-10.xlsx"),
    "truncated-xlsx": lambda f: Hostile(disposables, delivery(
        "disposables", ("uitgifte_2025-10.xlsx", good(f, "disposables")[:20000])),
        "not a readable XLSX file"),
    "timestamp-without-offset": lambda f: Hostile(energy, energy_delivery(
        b'{"readings": [{"start": "2025-10-01T00:00:00", "value": 1.0, "status": "measured"}]}'
    ), "is not an ISO 8601 timestamp with Z or a UTC offset", "readings[0]"),
}  # fmt: skip


def source_config(connector: ModuleType, folder: Path) -> SourceConfig:
    settings = {"sheet": "Uitgifte", "header_row": 3} if connector is disposables else {}
    return SourceConfig(connector.NAME, settings, folder)
