"""The shared Dutch-CSV helpers: decoding, numbers, dates, headers, located errors."""

from __future__ import annotations

import codecs
from datetime import date

import polars as pl
import pytest

from groendraad.errors import ConfigError, SourceError
from groendraad.sources import dutch_csv
from groendraad.sources.base import RawPart

LOCATION = "/deliveries/test_2025-10.csv"

NUMBERS = [
    ("1.234,5", 1234.5),
    ("-12,0", -12.0),
    ("12", 12.0),
    ("0,25", 0.25),
    ("1.234.567,89", 1234567.89),
    ("-1.000", -1000.0),
    ("007", 7.0),
]
NOT_NUMBERS = ["12.5", "1,2,3", "1.23,4", "abc", "1 234", ",5", "12,", "--1"]


def part(text: str, encoding: str = "utf-8", bom: bool = False) -> RawPart:
    content = (codecs.BOM_UTF8 if bom else b"") + text.encode(encoding)
    return RawPart(name="test_2025-10.csv", location=LOCATION, content=content)


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_dutch_numbers(text: str, expected: float) -> None:
    value = pl.DataFrame({"x": [text]}).select(dutch_csv.dutch_number("x")).item()
    assert value == pytest.approx(expected)


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_dutch_numbers_are_null(text: str) -> None:
    assert pl.DataFrame({"x": [text]}).select(dutch_csv.dutch_number("x")).item() is None


def test_decode_bom_means_utf8() -> None:
    assert dutch_csv.decode(codecs.BOM_UTF8 + "Laboratoriumchemicaliën".encode()) == (
        "Laboratoriumchemicaliën"
    )


def test_decode_auto_falls_back_to_windows_1252() -> None:
    assert dutch_csv.decode("café ë".encode("cp1252")) == "café ë"


def test_decode_honours_explicit_encoding() -> None:
    # "ë" in UTF-8 is two bytes; read as cp1252 on purpose they stay two characters
    assert dutch_csv.decode("ë".encode(), "cp1252") == "Ã«"
    assert dutch_csv.decode(codecs.BOM_UTF8 + b"x", "utf-8") == "x"


def test_decode_unknown_encoding_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown encoding 'klingon'"):
        dutch_csv.decode(b"x", "klingon")


def test_read_csv_crlf_bom_blank_lines_and_line_numbers() -> None:
    text = "a;b\r\n x ;1,5\r\n\r\n;\r\ny;2\r\n\r\n"
    frame = dutch_csv.read_csv(part(text, bom=True), "test", ["a", "b"])
    assert frame.to_dicts() == [
        {"a": "x", "b": "1,5", "source_line": 2},
        {"a": "y", "b": "2", "source_line": 5},
    ]


def test_read_csv_wrong_encoding_names_the_line() -> None:
    content = part("a;b\r\nx;1\r\ncafé;2\r\n", encoding="cp1252")
    with pytest.raises(SourceError) as error:
        dutch_csv.read_csv(content, "test", ["a", "b"], encoding="utf-8")
    assert error.value.record == 3
    assert "test_2025-10.csv line 3" in str(error.value)
    assert "not readable as utf-8" in str(error.value)


def test_header_check_names_expected_and_found() -> None:
    with pytest.raises(SourceError) as error:
        dutch_csv.read_csv(part("Datum;Gewicht\r\n01-10-2025;1\r\n"), "test", ["Datum", "Kg"])
    message = str(error.value)
    assert "test_2025-10.csv line 1" in message
    assert "expected columns ['Datum', 'Kg']" in message
    assert "found ['Datum', 'Gewicht']" in message


def test_a_line_with_too_many_fields_is_located() -> None:
    with pytest.raises(SourceError) as error:
        dutch_csv.read_csv(part("a;b\r\n1;2\r\n3;4;5\r\n"), "test", ["a", "b"])
    assert error.value.record == 3
    assert "line 3: cannot be read as CSV: more fields than the header" in str(error.value)


def test_empty_file() -> None:
    with pytest.raises(SourceError, match="the file is empty"):
        dutch_csv.read_csv(part(""), "test", ["a"])


def test_parse_numbers_locates_the_bad_value() -> None:
    frame = dutch_csv.read_csv(part("a;b\r\n1,5;x\r\n12.5;y\r\n"), "test", ["a", "b"])
    with pytest.raises(SourceError) as error:
        dutch_csv.parse_numbers(frame, ["a"], "test", LOCATION)
    assert error.value.record == 3
    assert "a: not a number: '12.5'" in str(error.value)


def test_parse_numbers_required_and_optional() -> None:
    frame = dutch_csv.read_csv(part("a;b\r\n1;\r\n2;3,5\r\n"), "test", ["a", "b"])
    parsed = dutch_csv.parse_numbers(frame, ["b"], "test", LOCATION, required=False)
    assert parsed["b"].to_list() == [None, 3.5]
    with pytest.raises(SourceError, match="line 2: b is empty"):
        dutch_csv.parse_numbers(frame, ["b"], "test", LOCATION)


def test_parse_dates() -> None:
    frame = dutch_csv.read_csv(part("d\r\n31-10-2025\r\n2025-10-31\r\n"), "test", ["d"])
    good = dutch_csv.parse_dates(frame.head(1), "d", "test", LOCATION)
    assert good["d"].to_list() == [date(2025, 10, 31)]
    with pytest.raises(SourceError, match=r"line 3: d: not a date \(expected dd-mm-jjjj\)"):
        dutch_csv.parse_dates(frame, "d", "test", LOCATION)


def test_located_error_counts_further_offending_lines() -> None:
    frame = dutch_csv.read_csv(part("m\r\nx\r\nOV\r\ny\r\n"), "test", ["m"])
    with pytest.raises(SourceError) as error:
        dutch_csv.check_values(frame, "m", ("OV", "Fiets"), "test", LOCATION)
    assert error.value.record == 2
    assert "unknown m 'x' (expected one of: OV, Fiets) (and 1 more line)" in str(error.value)
