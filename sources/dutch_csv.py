"""Shared helpers for the file connectors: Dutch CSVs as departments really deliver them.

Semicolon separated, CRLF, UTF-8 with BOM or Windows-1252, decimal comma with ``.``
thousands separators (``1.234,5``) and dates as ``dd-mm-jjjj``. Every value is read as
a string first and converted with vectorised expressions, so a bad value ends in a
SourceError naming the file, the line (header = line 1) and the column.

A personal table's file (``personal=True``: HR and travel exports) is reported by line
number and column name only: no value of it ever appears in a message.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from groendraad.errors import ConfigError, SourceError
from groendraad.months import Month
from groendraad.sources import encodings
from groendraad.sources.base import RawDelivery, RawPart

LINE = "source_line"  # line number in the delivered file (header = line 1)
_NUMBER_RE = r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$"  # 12 | -12,0 | 1.234,5
_DATE_FORMAT = "%d-%m-%Y"

Message = Callable[[dict[str, Any]], str]


def fetch_files(source: str, month: Month, paths: Iterable[Path]) -> RawDelivery:
    """Read delivered files byte for byte; a missing file means the delivery has not arrived."""
    parts = []
    for path in paths:
        location = str(path.absolute())
        if not path.is_file():
            message = f"file not found: the delivery for {month} has not arrived"
            raise SourceError(source, location, message)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise SourceError(source, location, f"cannot read the file: {exc}") from None
        parts.append(RawPart(name=path.name, location=location, content=content))
    return RawDelivery(source=source, month=month, parts=tuple(parts))


def decode(content: bytes, encoding: str = "auto") -> str:
    """Bytes to text. ``auto``: a BOM means UTF-8, else UTF-8 falling back to Windows-1252.

    An explicit encoding is honoured; a leading BOM is dropped either way. Raises
    UnicodeDecodeError (a ValueError) when the bytes do not fit the encoding.
    """
    if encoding.lower() == "auto":
        if content.startswith(codecs.BOM_UTF8):
            return content.decode("utf-8-sig")
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            return content.decode("cp1252")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ConfigError(f"unknown encoding {encoding!r}") from None
    return content.decode(encoding).removeprefix("\ufeff")


def read_csv(
    part: RawPart,
    source: str,
    columns: Sequence[str],
    encoding: str = "auto",
    *,
    personal: bool = False,
) -> pl.DataFrame:
    """One delivered CSV as strings: header checked, values stripped (empty -> null),
    blank lines dropped, plus ``source_line``."""
    text = text_of(part, source, encoding).replace("\r\n", "\n")
    if not text.strip():
        raise SourceError(source, part.location, "the file is empty")
    try:
        frame = pl.read_csv(io.BytesIO(text.encode()), separator=";", infer_schema=False)
    except pl.exceptions.ComputeError as exc:
        line = _ragged_line(text)
        reason = "more fields than the header" if line else str(exc).splitlines()[0]
        if personal and not line:
            reason = "the lines do not split into the header's columns"
        raise SourceError(source, part.location, f"cannot be read as CSV: {reason}", line) from None
    check_header(frame.columns, columns, source, part.location, personal=personal)
    frame = frame.rename(lambda name: name.strip()).select(columns)
    frame = frame.with_row_index(LINE, offset=2).with_columns(pl.col(LINE).cast(pl.Int32))
    return drop_blank_rows(clean_strings(frame, columns), columns)


def text_of(part: RawPart, source: str, encoding: str = "auto") -> str:
    """The part's bytes as text; a located SourceError naming the encoding when they are
    not text in ``encoding`` (UTF-16 or UTF-32 is named as such, not read as garbage)."""
    found = encodings.sniff(part.content)
    if found is not None:
        message = f"the file is {found}; expected {encodings.expected(encoding)}"
        raise SourceError(source, part.location, message)
    try:
        return decode(part.content, encoding)
    except UnicodeDecodeError as exc:
        line = part.content[: exc.start].count(b"\n") + 1
        byte = part.content[exc.start : exc.start + 1].hex()
        message = (
            f"not readable as {encodings.expected(encoding)}: byte 0x{byte} at offset "
            f"{exc.start} ({exc.reason}); save the file as UTF-8"
        )
        raise SourceError(source, part.location, message, record=line) from None


def _ragged_line(text: str) -> int | None:
    """The first line with more fields than the header (quotes ignored: a best guess)."""
    lines = text.split("\n")
    fields = lines[0].count(";")
    return next((n for n, line in enumerate(lines, 1) if line.count(";") > fields), None)


def check_header(
    found: Sequence[str],
    expected: Sequence[str],
    source: str,
    location: str,
    row: int = 1,
    *,
    personal: bool = False,
) -> None:
    """Raise when expected columns are missing (renamed) or unexpected ones appear.

    ``personal``: the unexpected names are not repeated (a file without its header
    has a person's record there), only counted."""
    names = [name.strip() for name in found]
    missing = [c for c in expected if c not in names]
    unexpected = [c for c in names if c not in expected]
    if not (missing or unexpected):
        return
    if personal:
        message = (
            f"unexpected header: expected columns {list(expected)}; missing: "
            f"{missing or 'none'}; {len(unexpected)} unexpected column(s), not shown "
            "because this file holds personal data (is the header line missing?)"
        )
    else:
        message = (
            f"unexpected header: expected columns {list(expected)}, found {names}"
            f" (missing: {missing or 'none'}; unexpected: {unexpected or 'none'})"
        )
    raise SourceError(source, location, message, record=row)


def clean_strings(frame: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
    """Strip whitespace from ``columns``; empty values become null."""
    stripped = [pl.col(c).cast(pl.String).str.strip_chars() for c in columns]
    return frame.with_columns(
        pl.when(s.str.len_chars() > 0).then(s).otherwise(None).alias(c)
        for s, c in zip(stripped, columns, strict=True)
    )


def drop_blank_rows(frame: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
    """Drop rows whose ``columns`` are all empty (blank lines or rows)."""
    return frame.filter(~pl.all_horizontal(pl.col(c).is_null() for c in columns))


def fail_on(
    frame: pl.DataFrame, bad: pl.Expr, source: str, location: str, message: Message
) -> None:
    """Raise a SourceError at the first row where ``bad`` holds, worded by ``message(row)``."""
    offending = frame.filter(bad)
    if offending.height:
        row = offending.row(0, named=True)
        others = offending.height - 1
        more = f" (and {others} more line{'s' if others > 1 else ''})" if others else ""
        raise SourceError(source, location, message(row) + more, record=row[LINE])


def require_filled(frame: pl.DataFrame, columns: Sequence[str], source: str, location: str) -> None:
    """Raise at the first row where one of ``columns`` is empty."""
    for column in columns:
        fail_on(frame, pl.col(column).is_null(), source, location, _empty(column))


def _empty(column: str) -> Message:
    return lambda _: f"{column} is empty"


def finite_only(column: str, convert: Callable[[str], pl.Expr]) -> pl.Expr:
    """``convert(column)``, null where it gives NaN or an infinity (e.g. 400 digits)."""
    value = convert(column)
    return pl.when(value.is_finite()).then(value)


def dutch_number(column: str) -> pl.Expr:
    """A Dutch number string (``1.234,5``, ``-12,0``, ``12``) as Float64; null if it is not one."""
    text = pl.col(column)
    plain = text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    return pl.when(text.str.contains(_NUMBER_RE)).then(plain.cast(pl.Float64, strict=False))


def parse_numbers(
    frame: pl.DataFrame,
    columns: Sequence[str],
    source: str,
    location: str,
    *,
    required: bool = True,
    convert: Callable[[str], pl.Expr] = dutch_number,
    personal: bool = False,
) -> pl.DataFrame:
    """Convert ``columns`` to Float64; raise at the first value that is not a finite
    number (or is empty, when ``required``): NaN and infinities are refused here."""
    if required:
        require_filled(frame, columns, source, location)
    converted = frame.with_columns(finite_only(c, convert).alias(f"__{c}") for c in columns)
    for c in columns:
        bad = pl.col(c).is_not_null() & pl.col(f"__{c}").is_null()
        fail_on(converted, bad, source, location, _not_a_number(c, personal))
    return converted.with_columns(pl.col(f"__{c}").alias(c) for c in columns).drop(
        f"__{c}" for c in columns
    )


def _not_a_number(column: str, personal: bool = False) -> Message:
    if personal:
        return lambda _: f"{column}: not a number (value not shown: personal data)"
    return lambda row: f"{column}: not a number: {row[column]!r}"


def parse_dates(
    frame: pl.DataFrame, column: str, source: str, location: str, *, personal: bool = False
) -> pl.DataFrame:
    """Convert a required ``dd-mm-jjjj`` column to Date; raise at the first bad value."""
    require_filled(frame, [column], source, location)
    parsed = pl.col(column).str.strptime(pl.Date, _DATE_FORMAT, strict=False)
    converted = frame.with_columns(parsed.alias("__date"))

    def message(row: dict[str, Any]) -> str:
        shown = "value not shown: personal data" if personal else repr(row[column])
        return f"{column}: not a date (expected dd-mm-jjjj): {shown}"

    fail_on(converted, pl.col("__date").is_null(), source, location, message)
    return converted.with_columns(pl.col("__date").alias(column)).drop("__date")


def check_values(
    frame: pl.DataFrame, column: str, allowed: Sequence[str], source: str, location: str
) -> None:
    """Raise at the first row whose ``column`` is empty or not one of ``allowed``."""
    require_filled(frame, [column], source, location)
    expected = ", ".join(allowed)

    def message(row: dict[str, Any]) -> str:
        return f"unknown {column} {row[column]!r} (expected one of: {expected})"

    fail_on(frame, ~pl.col(column).is_in(list(allowed)), source, location, message)
