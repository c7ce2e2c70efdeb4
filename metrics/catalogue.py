"""The metric catalogue (catalogue.yaml): what each published metric is, as data.

Code reads ids, units, sources and the method parameters from here; adding a metric
to a theme's computation and to the catalogue is all a new figure needs. The method
version (a hash of the catalogue, the disclosure policy and ``METHOD_VERSION``) is stored with every
figure, so a change of method can be told apart from new deliveries or factors.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from groendraad.metrics.disclosure import POLICY_FILE
from groendraad.warehouse.schema import tables

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")
FIXED_SUFFIX = "_fixed_kg"  # co2e.<x>_kg on the fixed factor year: co2e.<x>_fixed_kg
# Bump when the computation changes in a way the catalogue does not show.
METHOD_VERSION = "2"


@dataclass(frozen=True)
class MetricSpec:
    """One metric of the catalogue."""

    id: str
    theme: str
    unit: str
    definition: str
    direction: str
    sources: tuple[str, ...]
    levels: tuple[str, ...]
    scope: str | None = None
    breakdown: str | None = None

    @property
    def source_names(self) -> tuple[str, ...]:
        """The sources (connectors) behind the staging tables this metric reads."""
        return tuple(sorted({tables()[t].source for t in self.sources}))


@dataclass(frozen=True)
class Catalogue:
    """All metrics by id, the method parameters and the method version."""

    metrics: dict[str, MetricSpec]
    parameters: dict[str, Any] = field(default_factory=dict)
    method_version: str = ""

    def frame(self) -> pl.DataFrame:
        """metric, theme, unit, levels and sources: one row per metric."""
        specs = list(self.metrics.values())
        return pl.DataFrame(
            {
                "metric": [m.id for m in specs],
                "theme": [m.theme for m in specs],
                "unit": [m.unit for m in specs],
                "levels": [list(m.levels) for m in specs],
                "sources": [list(m.source_names) for m in specs],
            }
        )


@cache
def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    """Read and check catalogue.yaml (unknown staging tables or duplicate ids raise)."""
    content = path.read_bytes()
    document = yaml.safe_load(content)
    metrics: dict[str, MetricSpec] = {}
    for entry in document["metrics"]:
        spec = _spec(entry)
        if spec.id in metrics:
            raise ValueError(f"{path}: metric {spec.id} is declared twice")
        metrics[spec.id] = spec
    metrics.update({twin.id: twin for twin in map(fixed_twin, list(metrics.values())) if twin})
    # the disclosure policy decides which figures are published: part of the method
    digest = hashlib.sha256(content + POLICY_FILE.read_bytes()).hexdigest()[:10]
    return Catalogue(metrics, dict(document.get("parameters", {})), f"m{METHOD_VERSION}-{digest}")


def fixed_twin(spec: MetricSpec) -> MetricSpec | None:
    """The same CO2e figure on the fixed factor year (None for a metric not in kg CO2e)."""
    if spec.theme != "co2e" or not spec.id.endswith("_kg") or spec.id.endswith(FIXED_SUFFIX):
        return None
    return replace(
        spec,
        id=spec.id.removesuffix("_kg") + FIXED_SUFFIX,
        definition=f"{spec.definition} On the factors of one fixed factor year "
        "(emissions.fixed_factor_year; default the CO2 target's baseline year) for every "
        "period, so its change over time is the hospital's activity alone.",
    )


def _spec(entry: dict[str, Any]) -> MetricSpec:
    unknown = [t for t in entry["sources"] if t not in tables()]
    if unknown:
        raise ValueError(f"metric {entry['id']}: unknown staging tables {unknown}")
    return MetricSpec(
        id=entry["id"],
        theme=entry["theme"],
        unit=entry["unit"],
        definition=" ".join(str(entry["definition"]).split()),
        direction=entry["direction"],
        sources=tuple(entry["sources"]),
        levels=tuple(entry["levels"]),
        scope=entry.get("scope"),
        breakdown=entry.get("breakdown"),
    )
