"""The demo hospital's deliveries as the reliability tests break them."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from groendraad.config import Config, load_config
from groendraad.months import Month

FILES_CONFIG = """\
institution: {id: demo-umc, name: Demo UMC}
sources:
  reference: {key_figures: referentie/kerncijfers.csv, organisation: referentie/organisatie.csv}
  waste: {path: "afval/afval_{month}.csv", encoding: auto}
  disposables: {path: "logistiek/uitgifte_{month}.xlsx", sheet: Uitgifte, header_row: 3}
  mobility:
    commuting: "hr/woonwerk_{month}.csv"
    business_travel: "reizen/zakelijk_{month}.csv"
  medicine_waste: {path: "apotheek/geneesmiddelverspilling_{month}.csv"}
"""
FILES = {
    "waste": "afval/afval_{month}.csv",
    "disposables": "logistiek/uitgifte_{month}.xlsx",
    "commuting": "hr/woonwerk_{month}.csv",
    "business_travel": "reizen/zakelijk_{month}.csv",
    "medicine_waste": "apotheek/geneesmiddelverspilling_{month}.csv",
}


@dataclass(frozen=True)
class Hospital:
    """A folder of deliveries with ``files.yaml`` and a ``warehouse/``."""

    folder: Path

    @property
    def warehouse(self) -> Path:
        return self.folder / "warehouse"

    def config(self) -> Config:
        return load_config(self.folder / "files.yaml")

    def file(self, what: str, month: Month) -> Path:
        return self.folder / FILES[what].format(month=month)

    def lines(self, what: str, month: Month) -> list[str]:
        return text(self.file(what, month).read_bytes()).splitlines()

    def write_lines(self, what: str, month: Month, lines: list[str]) -> None:
        self.file(what, month).write_bytes("\r\n".join(lines).encode("utf-8"))


def text(content: bytes) -> str:
    """A delivered CSV's text (UTF-8 with or without BOM, else Windows-1252)."""
    if content.startswith(codecs.BOM_UTF8):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252")


def set_field(lines: list[str], line: int, column: int, value: str) -> list[str]:
    """``lines`` with field ``column`` (0-based) of line ``line`` (1 = header) replaced."""
    fields = lines[line - 1].split(";")
    fields[column] = value
    return [*lines[: line - 1], ";".join(fields), *lines[line:]]
