"""Plain readers for the generated deliveries (stdlib csv, hand-written number parsing)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def decode(content: bytes) -> str:
    """UTF-8 with or without BOM, else Windows-1252 (as the waste processor delivers)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252")


def csv_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a ``;``-separated delivery."""
    text = decode(path.read_bytes())
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def dutch_number(text: str) -> float:
    """``1.234,5`` -> 1234.5"""
    return float(text.replace(".", "").replace(",", "."))


def reference_codes(name: str, column: str) -> set[str]:
    """A column of one of the project's reference lists (sources/eural.csv, airports.csv)."""
    with (REPO / "sources" / name).open(encoding="utf-8", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle)}
