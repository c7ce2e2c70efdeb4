"""The one interface every connector follows, and the data it hands over.

A connector is a module with:

    NAME: str                       # the source's name in the configuration
    TABLES: tuple[str, ...]         # staging tables it produces (warehouse/tables.yaml)
    NEEDS_REFERENCE: bool           # parse() needs the organisation reference
    MONTHLY_FILES: bool             # optional: one file set per month, so the same bytes
                                    # delivered for two months is a re-send (refused)
    def fetch(client: httpx.Client, month: Month, config: SourceConfig) -> RawDelivery
    def parse(raw: RawDelivery, context: ParseContext) -> dict[str, pl.DataFrame]

``fetch`` only gets bytes (raising SourceError when it cannot); ``parse`` only reads
bytes it is given (no I/O), so it is a pure function that tests call directly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

import polars as pl

if TYPE_CHECKING:
    import httpx

    from groendraad.config import SourceConfig
    from groendraad.months import Month


@dataclass(frozen=True)
class RawPart:
    """One delivered file or HTTP response body, byte for byte."""

    name: str  # file name in the raw store, e.g. "afval_2025-10.csv" or "readings-E1-p0001.json"
    location: str  # file path or URL (never with credentials in it)
    content: bytes
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class RawDelivery:
    """Everything one source delivered for one month, in the order it was fetched."""

    source: str
    month: Month
    parts: tuple[RawPart, ...]

    @property
    def sha256(self) -> str:
        """One hash for the whole delivery: over the parts' names and hashes, in order."""
        digest = hashlib.sha256()
        for part in self.parts:
            digest.update(f"{part.name}\0{part.sha256}\n".encode())
        return digest.hexdigest()

    def part(self, name: str) -> RawPart:
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)


@dataclass(frozen=True)
class Reference:
    """The organisation reference other sources map against."""

    organisation: pl.DataFrame  # columns of the `organisation` staging table

    def departments(self) -> set[str]:
        return set(self.organisation["department"].to_list())


@dataclass(frozen=True)
class ParseContext:
    month: Month
    config: SourceConfig
    reference: Reference | None = None


class Connector(Protocol):
    NAME: str
    TABLES: tuple[str, ...]
    NEEDS_REFERENCE: bool

    def fetch(self, client: httpx.Client, month: Month, config: SourceConfig) -> RawDelivery: ...

    def parse(self, raw: RawDelivery, context: ParseContext) -> dict[str, pl.DataFrame]: ...
