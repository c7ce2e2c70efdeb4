"""Bound a worksheet's used range before a spreadsheet reader allocates it.

The Excel reader (calamine, through fastexcel) allocates the whole used range of a
sheet, rows x columns, however few cells are filled: one stray cell at XFD1048576
asks for ~17 billion cells and aborts the process. :func:`check_used_range` reads the
sheet's XML from the zip as a stream (memory stays bounded whatever the file holds),
finds the furthest cell (the ``<dimension ref>`` the file declares, every cell's column
and every row's number), and refuses a sheet larger than ``max_cells`` with an error
that names the stray cell, before anything is read for real.
"""

from __future__ import annotations

import io
import re
import string
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

from groendraad.errors import SourceError

MAX_CELLS = 20_000_000  # ~1 million rows of 20 columns; a sheet read uses ~32 bytes a cell
MAX_XML_BYTES = 2 << 30  # a sheet whose XML unpacks to more is refused (zip bomb)
_UNREADABLE = (  # a damaged zip or XML, found by the fuzzer: never a crash here
    zipfile.BadZipFile, zlib.error, ElementTree.ParseError, OSError, EOFError, RuntimeError,
    ValueError, KeyError, NotImplementedError, UnicodeDecodeError,
)  # fmt: skip
_CHUNK = 1 << 20
_OVERLAP = 64  # bytes kept between chunks so a reference split by a chunk is seen whole
_MAX_SMALL_XML = 16 << 20  # workbook.xml and its relationships
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_WIDE = re.compile(rb' r="([A-Z]{2,})[0-9]')  # cells past column Z (rare: checked one by one)
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*? r="([0-9]+)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*? ref="(?:[A-Z]+[0-9]+:)?([A-Z]+)([0-9]+)"')


@dataclass(frozen=True)
class UsedRange:
    """The furthest row and column of a sheet, and the cell that reaches them."""

    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    @property
    def corner(self) -> str:
        return f"{column_name(self.columns)}{self.rows}"


def column_number(letters: bytes | str) -> int:
    """``A`` -> 1, ``Z`` -> 26, ``AA`` -> 27, ``XFD`` -> 16384."""
    text = letters.decode() if isinstance(letters, bytes) else letters
    number = 0
    for letter in text:
        number = number * 26 + ord(letter) - 64
    return number


def column_name(number: int) -> str:
    """1 -> ``A``, 16384 -> ``XFD``."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "A"


def check_used_range(
    content: bytes, sheet: str, source: str, location: str, max_cells: int = MAX_CELLS
) -> UsedRange | None:
    """Raise a located SourceError when ``sheet`` spans more than ``max_cells`` cells.

    None when the file is not a zip with that sheet: the reader then says what is wrong.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            path = sheet_path(archive, sheet)
            if path is None:
                return None
            used = _scan(archive, path, source, location)
    except _UNREADABLE:
        return None  # not a workbook we can look into: the reader will say what is wrong
    if used.cells > max_cells:
        message = (
            f"sheet {sheet!r} spans {used.rows:,} rows x {used.columns:,} columns up to cell "
            f"{used.corner} ({used.cells:,} cells, more than the {max_cells:,} a delivery may "
            "have): remove the stray cells far outside the table (Ctrl+End shows the last one)"
        )
        raise SourceError(source, location, message, record=f"cell {used.corner}")
    return used


def sheet_path(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding ``sheet`` (workbook.xml's sheet -> its relationship)."""
    workbook = _small_xml(archive, "xl/workbook.xml")
    rels = _small_xml(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        return None
    ids = [s.get(_REL_NS) for s in workbook.iter() if s.tag.endswith("sheet")]
    names = [s.get("name") for s in workbook.iter() if s.tag.endswith("sheet")]
    if sheet not in names:
        return None
    wanted = ids[names.index(sheet)]
    for rel in rels.iter():
        if rel.get("Id") == wanted and rel.get("Target"):
            target = str(rel.get("Target"))
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    with archive.open(info) as handle:
        data = handle.read(_MAX_SMALL_XML + 1)
    if len(data) > _MAX_SMALL_XML:
        return None
    return ElementTree.fromstring(data)  # noqa: S314 - stdlib parser expands no external entities


def _scan(archive: zipfile.ZipFile, path: str, source: str, location: str) -> UsedRange:
    """The furthest row and column of the sheet XML at ``path``, read chunk by chunk."""
    rows = columns = 0
    seen = tail = 0
    with archive.open(path) as handle:
        previous = b""
        while chunk := handle.read(_CHUNK):
            seen += len(chunk)
            if seen > MAX_XML_BYTES:
                message = f"sheet XML unpacks to more than {MAX_XML_BYTES >> 20:,} MB"
                raise SourceError(source, location, message)
            window = previous + chunk
            rows, columns = _furthest(window, rows, columns)
            tail = min(_OVERLAP, len(window))
            previous = window[-tail:]
    return UsedRange(max(rows, 1), max(columns, 1))


def _furthest(window: bytes, rows: int, columns: int) -> tuple[int, int]:
    """Fold one window of sheet XML into the furthest (row, column) seen so far."""
    for match in _DIMENSION.finditer(window):
        columns = max(columns, column_number(match.group(1)))
        rows = max(rows, int(match.group(2)))
    wide = [column_number(m) for m in _WIDE.findall(window)]
    if wide:
        columns = max(columns, *wide)
    elif columns < 26:
        columns = max(columns, _last_single_letter(window))
    row_numbers = _ROW.findall(window)
    if row_numbers:
        rows = max(rows, max(int(r) for r in row_numbers))
    longer = re.findall(rb' r="[A-Z]{1,3}([0-9]{%d,})"' % (len(str(rows)) + 1), window)
    if longer:
        rows = max(rows, *(int(r) for r in longer))
    return rows, columns


def _last_single_letter(window: bytes) -> int:
    """The furthest single-letter column referenced in ``window`` (0 if none)."""
    for letter in reversed(string.ascii_uppercase):
        if re.search(rb' r="%s[0-9]' % letter.encode(), window):
            return column_number(letter)
    return 0
