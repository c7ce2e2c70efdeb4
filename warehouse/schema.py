"""Staging table declarations (tables.yaml) and conforming frames to them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

TABLES_FILE = Path(__file__).with_name("tables.yaml")

_DTYPES: dict[str, pl.DataType] = {
    "String": pl.String(),
    "Float64": pl.Float64(),
    "Int16": pl.Int16(),
    "Int32": pl.Int32(),
    "Int64": pl.Int64(),
    "Boolean": pl.Boolean(),
    "Date": pl.Date(),
    "Datetime(us, UTC)": pl.Datetime("us", "UTC"),
}


@dataclass(frozen=True)
class TableSpec:
    name: str
    source: str
    key: tuple[str, ...]
    columns: dict[str, dict[str, Any]]
    personal: bool = False

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema({c: _DTYPES[spec["dtype"]] for c, spec in self.columns.items()})

    def required(self) -> list[str]:
        return [c for c, spec in self.columns.items() if spec.get("nullable", True) is False]


@cache
def tables() -> dict[str, TableSpec]:
    """All declared staging tables, by name."""
    document = yaml.safe_load(TABLES_FILE.read_text(encoding="utf-8"))
    return {
        name: TableSpec(
            name=name,
            source=spec["source"],
            key=tuple(spec.get("key", ())),
            columns=spec["columns"],
            personal=bool(spec.get("personal", False)),
        )
        for name, spec in document.items()
    }


def table(name: str) -> TableSpec:
    return tables()[name]


def conform(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Select and cast ``frame`` to the declared columns of table ``name``.

    Raises ValueError naming the table and the missing or unexpected columns.
    """
    spec = table(name)
    schema = spec.schema
    missing = [c for c in schema if c not in frame.columns]
    extra = [c for c in frame.columns if c not in schema]
    if missing or extra:
        raise ValueError(
            f"table {name}: columns do not match tables.yaml"
            f" (missing: {missing or 'none'}; unexpected: {extra or 'none'})"
        )
    return frame.select([pl.col(c).cast(dtype, strict=True) for c, dtype in schema.items()])
