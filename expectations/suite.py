"""The expectation suites as data: ``expectations/suites/<table>.yaml`` plus tables.yaml.

One suite per staging table. Its schema checks are derived from the table's
declaration in warehouse/tables.yaml (columns and types, required columns, the unique
key, value sets); its domain checks are listed in the suite's YAML file. Every check
is an :class:`ExpectationSpec`: an id, a severity, a plain-language meaning for the
coordinator and the Great Expectations expectation (by its snake-case name, with its
keyword arguments) that decides it, run either on the table itself or on a small
frame derived from it (``frame``, built by :mod:`groendraad.expectations.frames`).

Nothing here imports Great Expectations: loading the suites is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from groendraad.warehouse.schema import TableSpec, tables

SUITES_DIR = Path(__file__).with_name("suites")
SEVERITIES = ("blocking", "warning")
SCHEMA_FRAME = "schema"
REQUIRED_FRAME = "required"


@dataclass(frozen=True)
class ExpectationSpec:
    """One check of one staging table."""

    id: str
    table: str
    severity: str  # blocking | warning
    meaning: str
    expect: str  # GX expectation, snake case: expect_column_values_to_be_in_set
    kwargs: dict[str, Any] = field(default_factory=dict)
    frame: str | None = None  # None: the table itself; else a derived frame's name
    frame_params: dict[str, Any] = field(default_factory=dict)
    value_set: str | None = None  # named value set filled in at run time (eural_codes, ...)

    @property
    def frame_key(self) -> tuple[str, str]:
        """Which frame the check runs on; checks with the same key share one GX batch."""
        params = repr(sorted(self.frame_params.items()))
        return (self.frame or "", params)


@dataclass(frozen=True)
class Suite:
    """All checks of one staging table, and how its rows are pointed at."""

    table: str
    source: str
    locate: tuple[str, ...]  # columns naming a row in samples: source_line, meter_id, ...
    redact: tuple[str, ...]  # columns whose values never appear in results (personal)
    expectations: tuple[ExpectationSpec, ...]

    def ids(self) -> list[str]:
        return [spec.id for spec in self.expectations]


@cache
def suites() -> dict[str, Suite]:
    """Every suite, by table name, in the order of warehouse/tables.yaml."""
    declared = tables()
    found = {path.stem for path in SUITES_DIR.glob("*.yaml")}
    if found != set(declared):
        raise ValueError(
            "expectations/suites must hold one YAML file per staging table"
            f" (missing: {sorted(set(declared) - found) or 'none'};"
            f" unknown: {sorted(found - set(declared)) or 'none'})"
        )
    return {name: load_suite(declared[name]) for name in declared}


def suites_of_source(source: str) -> list[Suite]:
    """The suites of the staging tables a source produces."""
    return [suite for suite in suites().values() if suite.source == source]


def load_suite(table: TableSpec) -> Suite:
    """The suite of ``table``: schema checks from tables.yaml, then the YAML's checks."""
    path = SUITES_DIR / f"{table.name}.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if document.get("table") != table.name:
        raise ValueError(f"{path.name}: `table` must be {table.name!r}")
    schema_severity = document.get("schema", {}).get("severity", "blocking")
    specs = schema_expectations(table, schema_severity)
    specs += [
        domain_expectation(table.name, entry, path.name) for entry in document["expectations"]
    ]
    ids = [spec.id for spec in specs]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"{path.name}: expectation ids used twice: {repeated}")
    return Suite(
        table=table.name,
        source=table.source,
        locate=tuple(document.get("locate", ())),
        redact=tuple(document.get("redact", ())),
        expectations=tuple(specs),
    )


def domain_expectation(table: str, entry: dict[str, Any], file_name: str) -> ExpectationSpec:
    """One entry of a suite's ``expectations:`` list, checked."""
    missing = {"id", "severity", "meaning", "expect"} - set(entry)
    if missing:
        raise ValueError(f"{file_name}: expectation {entry.get('id')!r} lacks {sorted(missing)}")
    if entry["severity"] not in SEVERITIES:
        raise ValueError(f"{file_name}: {entry['id']}: severity must be one of {SEVERITIES}")
    if not str(entry["id"]).startswith(f"{table}."):
        raise ValueError(f"{file_name}: expectation id {entry['id']!r} must start with {table}.")
    frame = dict(entry.get("frame") or {})
    return ExpectationSpec(
        id=entry["id"],
        table=table,
        severity=entry["severity"],
        meaning=" ".join(str(entry["meaning"]).split()),
        expect=entry["expect"],
        kwargs=dict(entry.get("kwargs") or {}),
        frame=frame.pop("name", None),
        frame_params=frame,
        value_set=entry.get("value_set"),
    )


def schema_expectations(table: TableSpec, severity: str) -> list[ExpectationSpec]:
    """The checks tables.yaml implies: columns and types, required values, value sets, key.

    Required values are one check per table (on a frame naming each row's empty
    required columns), not one per column: GX's cost is per expectation, not per row.
    """
    if severity not in SEVERITIES:
        raise ValueError(f"{table.name}: schema severity must be one of {SEVERITIES}")
    name = table.name
    specs = [
        ExpectationSpec(
            f"{name}.schema",
            name,
            severity,
            "The table has exactly the columns declared in warehouse/tables.yaml, each"
            " readable as its declared type.",
            "expect_column_values_to_be_null",
            {"column": "problem"},
            frame=SCHEMA_FRAME,
        )
    ]
    if table.required():
        specs.append(
            ExpectationSpec(
                f"{name}.required",
                name,
                severity,
                f"Every row has a value in each required column ({', '.join(table.required())};"
                " tables.yaml): an empty one cannot be counted or assigned.",
                "expect_column_values_to_be_null",
                {"column": "empty_required"},
                frame=REQUIRED_FRAME,
            )
        )
    specs += [_value_set(table, column, severity) for column in _columns_with_values(table)]
    if table.key:
        specs.append(_unique_key(table, severity))
    return specs


def _columns_with_values(table: TableSpec) -> list[str]:
    return [column for column, spec in table.columns.items() if spec.get("values")]


def _value_set(table: TableSpec, column: str, severity: str) -> ExpectationSpec:
    values = list(table.columns[column]["values"])
    return ExpectationSpec(
        f"{table.name}.values.{column}",
        table.name,
        severity,
        f"{column} is one of: {', '.join(map(str, values))}.",
        "expect_column_values_to_be_in_set",
        {"column": column, "value_set": values},
    )


def _unique_key(table: TableSpec, severity: str) -> ExpectationSpec:
    key = list(table.key)
    meaning = (
        f"Each {' + '.join(key)} appears once: a repeated key is the same record delivered"
        " twice, which would count it double."
    )
    if len(key) == 1:
        return ExpectationSpec(
            f"{table.name}.unique_key",
            table.name,
            severity,
            meaning,
            "expect_column_values_to_be_unique",
            {"column": key[0]},
        )
    return ExpectationSpec(
        f"{table.name}.unique_key",
        table.name,
        severity,
        meaning,
        "expect_compound_columns_to_be_unique",
        {"column_list": key},
    )
