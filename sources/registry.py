"""The registry of connectors: data, not a chain of if/else.

Order matters: ``reference`` comes first because other sources map against it.
"""

from __future__ import annotations

import importlib
from typing import cast

from groendraad.sources.base import Connector

CONNECTORS: dict[str, str] = {
    "reference": "groendraad.sources.reference",
    "energy": "groendraad.sources.energy",
    "waste": "groendraad.sources.waste",
    "food_waste": "groendraad.sources.food_waste",
    "disposables": "groendraad.sources.disposables",
    "mobility": "groendraad.sources.mobility",
    "medicine_waste": "groendraad.sources.medicine_waste",
}


def connector(name: str) -> Connector:
    """The connector module for source ``name``."""
    try:
        module_name = CONNECTORS[name]
    except KeyError:
        known = ", ".join(CONNECTORS)
        raise KeyError(f"unknown source {name!r} (known: {known})") from None
    return cast(Connector, importlib.import_module(module_name))
