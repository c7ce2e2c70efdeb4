"""Waste connector: data-driven cases, each a folder with afval_2025-10.csv.

Good cases hold ``expected/<table>.csv``; deliveries that cannot be read must end in a
SourceError naming the file, the line and what is wrong. Deliveries that can be read
but hold wrong values (an unknown EURAL code or route, a Totaal that does not match)
are parsed as delivered and caught by the expectations (tests/expectations).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from groendraad.config import SourceConfig
from groendraad.errors import SourceError
from groendraad.months import Month
from groendraad.sources import waste
from groendraad.sources.base import ParseContext, RawDelivery, RawPart
from groendraad.warehouse.schema import conform, table

FIXTURES = Path(__file__).parent / "fixtures" / "waste"
MONTH = Month(2025, 10)
FILE = "afval_2025-10.csv"

BAD_CASES = [
    ("truncated", 8, "no Totaal line: the file looks truncated"),
    ("bad_number", 3, "Gewicht (kg): not a number: '856.25'"),
    ("renamed_header", 1, "missing: ['Gewicht (kg)']; unexpected: ['Gewicht (ton)']"),
]


def config(case: str) -> SourceConfig:
    settings = {"path": "afval_{month}.csv", "encoding": "auto"}
    return SourceConfig(name="waste", settings=settings, base_dir=FIXTURES / case)


def gather(case: str, month: Month = MONTH) -> dict[str, pl.DataFrame]:
    source_config = config(case)
    raw = waste.fetch(None, month, source_config)
    return waste.parse(raw, ParseContext(month, source_config))


def expected(case: str, name: str) -> pl.DataFrame:
    return pl.read_csv(FIXTURES / case / "expected" / f"{name}.csv", schema=table(name).schema)


@pytest.mark.parametrize("case", ["utf8_bom", "cp1252"])
def test_good_deliveries(case: str) -> None:
    frames = gather(case)
    assert set(frames) == set(waste.TABLES)
    for name, frame in frames.items():
        assert_frame_equal(conform(name, frame), expected(case, name))


def test_fixtures_hold_the_imperfections() -> None:
    utf8 = (FIXTURES / "utf8_bom" / FILE).read_bytes()
    assert utf8.startswith(codecs.BOM_UTF8)
    assert b"\r\n" in utf8 and b"1.234,5" in utf8 and b"-120,0" in utf8
    assert b";18 01 03*;" in utf8 and b";180103*;" in utf8
    windows = (FIXTURES / "cp1252" / FILE).read_bytes()
    assert b"\xeb" in windows and b"\r\n" in windows  # ë in Windows-1252
    with pytest.raises(UnicodeDecodeError):
        windows.decode("utf-8")


def test_fetch_reads_the_file_byte_for_byte() -> None:
    raw = waste.fetch(None, MONTH, config("utf8_bom"))
    (part,) = raw.parts
    path = FIXTURES / "utf8_bom" / FILE
    assert (part.name, part.location) == (FILE, str(path.absolute()))
    assert part.content == path.read_bytes()


def test_missing_file() -> None:
    with pytest.raises(SourceError) as error:
        waste.fetch(None, Month(2025, 11), config("utf8_bom"))
    assert error.value.source == "waste"
    assert "afval_2025-11.csv" in str(error.value)
    assert "file not found: the delivery for 2025-11 has not arrived" in str(error.value)


@pytest.mark.parametrize(("case", "line", "what"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_deliveries(case: str, line: int, what: str) -> None:
    with pytest.raises(SourceError) as error:
        gather(case)
    message = str(error.value)
    assert error.value.record == line
    assert f"{case}/{FILE} line {line}: " in message
    assert what in message


def test_totaal_must_be_the_last_line() -> None:
    text = (
        "Datum;Locatie;Containernummer;Euralcode;Omschrijving;Verwerkingsmethode;Gewicht (kg)\r\n"
        "01-10-2025;G1;C1;200301;Rest;Storten;10\r\n"
        "Totaal;;;;;;10\r\n"
        "02-10-2025;G1;C1;200301;Rest;Storten;10\r\n"
    )
    raw = RawDelivery("waste", MONTH, (RawPart(FILE, f"/in/{FILE}", text.encode()),))
    with pytest.raises(SourceError, match="line 3: the Totaal line is not the last line"):
        waste.parse(raw, ParseContext(MONTH, config("utf8_bom")))


def test_a_totaal_that_does_not_match_is_kept_with_both_totals() -> None:
    (totals,) = gather("total_mismatch")["waste_totals"].iter_rows(named=True)
    assert totals["declared_total_kg"] == pytest.approx(7609.55)
    assert totals["lines_total_kg"] == pytest.approx(7489.55)
    assert (totals["source_line"], totals["line_count"]) == (10, 8)


@pytest.mark.parametrize(
    ("case", "line", "column", "value"),
    [
        ("unknown_eural", 4, "eural_code", "20 03 99"),
        ("unknown_route", 6, "processing_route", "Hergebruiken"),
    ],
)
def test_unknown_values_are_kept_as_delivered(
    case: str, line: int, column: str, value: str
) -> None:
    collections = gather(case)["waste_collections"]
    assert collections.filter(pl.col("source_line") == line)[column].item() == value


def test_a_malformed_eural_code_is_kept_as_delivered() -> None:
    text = (
        "Datum;Locatie;Containernummer;Euralcode;Omschrijving;Verwerkingsmethode;Gewicht (kg)\r\n"
        "01-10-2025;G1;C1;SZA;SZA;Verbranding ZAVIN;10\r\n"
        "02-10-2025;G1;C2;180103*;SZA;Verbranding ZAVIN;5\r\n"
        "Totaal;;;;;;15\r\n"
    )
    raw = RawDelivery("waste", MONTH, (RawPart(FILE, f"/in/{FILE}", text.encode()),))
    collections = waste.parse(raw, ParseContext(MONTH, config("utf8_bom")))["waste_collections"]
    assert collections.select("eural_code", "hazardous").rows() == [
        ("SZA", False),
        ("18 01 03*", True),
    ]


@pytest.mark.parametrize(
    ("delivered", "normalised"),
    [
        ("18 01 03*", "18 01 03*"),
        ("180103*", "18 01 03*"),
        ("200301", "20 03 01"),
        ("20  03 01", "20 03 01"),
        ("18 01 3", None),
        ("SZA", None),
    ],
)
def test_normalise_eural(delivered: str, normalised: str | None) -> None:
    frame = pl.DataFrame({"Euralcode": [delivered]})
    assert frame.select(waste.normalise_eural("Euralcode")).item() == normalised
