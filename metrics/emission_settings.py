"""The institution's emission choices: its contracted electricity and the fixed factor year.

From the configuration's ``emissions`` section (all optional)::

    emissions:
      fixed_factor_year: 2018          # default: the CO2 target's baseline year
      market_electricity:              # GHG Protocol scope 2, market-based
        - {from: 2019, to: 2025, supplier: Eneco, product: HollandseWind,
           factor_kg_per_kwh: 0.0, guarantees_of_origin: NL wind,
           citation: "Eneco stroometiket 2019-2025 (https://...)"}

A declared contract prices the market-based electricity of its years with the
supplier's factor (GvO-backed supply); years without one use the residual-mix row of
factors.csv (``basis: market``). Contract rows join the factor table with ``basis:
contract`` so their trace reads ``contract_<supplier>_<from>=<value>``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from groendraad.errors import ConfigError
from groendraad.metrics.factors import CONTRACT, TTW, WTT, WTW, check_rows, load_factors
from groendraad.metrics.targets import load_targets

CO2_TARGET = "co2_2030"


@dataclass(frozen=True)
class EmissionSettings:
    """Contracts (validated config entries) and the fixed factor year."""

    contracts: tuple[dict[str, Any], ...] = ()
    fixed_factor_year: int | None = None

    @property
    def fixed_year(self) -> int:
        """The fixed factor year: configured, else the CO2 target's baseline year."""
        if self.fixed_factor_year is not None:
            return self.fixed_factor_year
        return co2_baseline_year()

    def version_suffix(self) -> str:
        """A short hash of the contracts ('' without), appended to the factor-set version."""
        if not self.contracts:
            return ""
        text = json.dumps(self.contracts, sort_keys=True, default=str)
        return "+c" + hashlib.sha256(text.encode()).hexdigest()[:8]


def co2_baseline_year() -> int:
    """The baseline year of the CO2 target (targets.yaml)."""
    target = {t.id: t for t in load_targets()}[CO2_TARGET]
    return int(target.baseline_year or target.target_year)


def settings_from_config(section: Mapping[str, Any] | None) -> EmissionSettings:
    """Read and check the ``emissions`` section; a ConfigError names the bad entry."""
    section = dict(section or {})
    year = section.get("fixed_factor_year")
    if year is not None and not isinstance(year, int):
        raise ConfigError(f"emissions.fixed_factor_year: expected a year, got {year!r}")
    entries = section.get("market_electricity") or []
    return EmissionSettings(tuple(_contract(e, i) for i, e in enumerate(entries)), year)


def _contract(entry: Any, index: int) -> dict[str, Any]:
    where = f"emissions.market_electricity[{index}]"
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{where}: expected a mapping")
    for key in ("from", "factor_kg_per_kwh", "supplier", "citation"):
        if entry.get(key) in (None, ""):
            raise ConfigError(f"{where}: {key} is missing")
    factor = entry["factor_kg_per_kwh"]
    if not isinstance(factor, int | float) or factor < 0:
        raise ConfigError(f"{where}.factor_kg_per_kwh: expected a number >= 0, got {factor!r}")
    return dict(entry)


def contract_rows(settings: EmissionSettings) -> pl.DataFrame:
    """factors.csv rows (basis contract) for the declared supply contracts."""
    rows = []
    for c in settings.contracts:
        fid = f"contract_{str(c['supplier']).lower().replace(' ', '_')}_{c['from']}"
        source = f"{c['citation']} (configuration: {c['supplier']} {c.get('product', '')})"
        for part, value in (
            (TTW, c["factor_kg_per_kwh"]),
            (WTW, c["factor_kg_per_kwh"]),
            (WTT, 0.0),
        ):
            rows.append(
                {"factor_id": fid if part == TTW else f"{fid}_{part}", "category": "energy",
                 "activity": "electricity", "basis": CONTRACT, "part": part, "value": float(value),
                 "unit": "kg CO2e/kWh", "valid_year": int(c["from"]), "valid_to": c.get("to"),
                 "list_year": int(c["from"]), "gwp": "-", "source": source,
                 "confidence": c.get("confidence", "secondary"),
                 "note": f"guarantees of origin: {c.get('guarantees_of_origin', 'not stated')}"}
            )  # fmt: skip
    return pl.DataFrame(rows, schema=load_factors().schema)


def with_contracts(factors: pl.DataFrame, settings: EmissionSettings) -> pl.DataFrame:
    """The factor table plus the configured contract rows (checked for overlaps)."""
    if not settings.contracts:
        return factors
    try:
        return check_rows(
            pl.concat([factors, contract_rows(settings)]), "emissions.market_electricity"
        )
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
