"""The NFU export contract (contract.yaml) as objects: columns, metadata keys, metrics.

The contract is data: contract.yaml lists every column with its Arrow type, every
metadata key and every metric with its unit, kind, levels and yearly aggregation.
This module turns it into a pyarrow schema for the writer and into the checks the
reader applies (nfu/check.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import yaml

from groendraad.errors import GroendraadError

CONTRACT_FILE = Path(__file__).with_name("contract.yaml")
_ARROW_TYPES = {
    "string": pa.string(),
    "date32": pa.date32(),
    "double": pa.float64(),
    "int64": pa.int64(),
    "int32": pa.int32(),
}
_POLARS_TYPES = {
    "string": pl.String(),
    "date32": pl.Date(),
    "double": pl.Float64(),
    "int64": pl.Int64(),
    "int32": pl.Int32(),
}
_LEVELS = {"I": "institution", "V": "division"}


class ContractError(GroendraadError):
    """An export file that does not follow the contract; names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class MetricRule:
    """What the contract allows for one metric."""

    id: str
    unit: str
    kind: str
    levels: tuple[str, ...]
    aggregate: str

    @property
    def theme(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Contract:
    """The parsed contract.yaml."""

    schema_version: str
    accepted_versions: tuple[str, ...]
    gwp_set: str
    min_group_size: int
    file_name: str
    metadata: dict[str, str]
    columns: tuple[dict[str, Any], ...]
    metrics: dict[str, MetricRule]
    qualities: tuple[str, ...]
    recompute: dict[str, list[dict[str, Any]]]
    totals: dict[str, list[str]]

    def arrow_schema(self) -> pa.Schema:
        """The exact Arrow schema of an export file (without its metadata)."""
        return pa.schema(
            [
                pa.field(c["name"], _ARROW_TYPES[c["type"]], nullable=c["nullable"])
                for c in self.columns
            ]
        )

    def polars_schema(self) -> pl.Schema:
        """The same columns as polars types (what ``pl.from_arrow`` gives back)."""
        return pl.Schema({c["name"]: _POLARS_TYPES[c["type"]] for c in self.columns})

    @property
    def column_names(self) -> list[str]:
        return [c["name"] for c in self.columns]

    def rules_frame(self) -> pl.DataFrame:
        """metric, theme, unit, kind, aggregate and the allowed levels, one row per level."""
        rows = [
            {
                "metric": r.id,
                "theme": r.theme,
                "unit": r.unit,
                "kind": r.kind,
                "aggregate": r.aggregate,
                "level": level,
            }
            for r in self.metrics.values()
            for level in r.levels
        ]
        return pl.DataFrame(rows)


@cache
def load_contract(path: Path = CONTRACT_FILE) -> Contract:
    """Read contract.yaml; raise if a metric names an unknown level or column type."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    metrics = {
        metric_id: MetricRule(
            id=metric_id,
            unit=spec["unit"],
            kind=spec["kind"],
            levels=tuple(_LEVELS[level] for level in spec["levels"]),
            aggregate=spec["aggregate"],
        )
        for metric_id, spec in raw["metrics"].items()
    }
    unknown = [c["type"] for c in raw["columns"] if c["type"] not in _ARROW_TYPES]
    if unknown:
        raise ValueError(f"{path}: unknown column types {unknown}")
    return Contract(
        schema_version=raw["schema_version"],
        accepted_versions=tuple(raw["accepted_versions"]),
        gwp_set=raw["gwp_set"],
        min_group_size=int(raw["min_group_size"]),
        file_name=raw["file_name"],
        metadata=dict(raw["metadata"]),
        columns=tuple(raw["columns"]),
        metrics=metrics,
        qualities=tuple(raw["qualities"]),
        recompute=raw["recompute"],
        totals=raw["totals"],
    )
