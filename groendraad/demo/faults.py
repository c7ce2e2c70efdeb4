"""Bad deliveries, injected on purpose: seeded, one at most per source and month.

Each source-month gets a fault with probability ``fault_rate``. The plan depends only
on (seed, source, month), so generating a longer range never changes a month's fault.
File faults are applied to the delivery's table or bytes; energy faults are applied
by the demo server to the readings it serves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from groendraad.demo.common import interval_calendar, rng
from groendraad.demo.energy import meters
from groendraad.months import Month

FAULT_KINDS: dict[str, tuple[str, ...]] = {
    "waste": (
        "missing_file",
        "truncated_file",
        "unit_tonnes",
        "duplicate_lines",
        "unknown_eural",
        "total_mismatch",
    ),
    "energy": ("unit_mwh", "missing_intervals", "api_down"),
    "disposables": ("missing_file", "truncated_file", "duplicate_lines", "unknown_cost_centre"),
    "mobility": ("missing_file", "truncated_file", "duplicate_lines", "unknown_department"),
    "medicine_waste": ("missing_file", "truncated_file", "duplicate_lines", "unknown_department"),
}
UNKNOWN_EURAL = "18 01 99"  # not on the European List of Waste
UNKNOWN_COST_CENTRE = "K7310"
UNKNOWN_DEPARTMENTS = ("Cardiologie", "Kindergeneeskunde", "Afdeling onbekend")
ENERGY_READINGS_PATH = "/energy/api/v1/meters/{meter_id}/readings"


@dataclass(frozen=True)
class Fault:
    """One injected fault, as listed in injected_faults.json."""

    source: str
    month: Month
    kind: str
    location: str = ""
    detail: str = ""
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    def as_json(self) -> dict[str, Any]:
        record = {
            "source": self.source,
            "month": str(self.month),
            "kind": self.kind,
            "location": self.location,
            "detail": self.detail,
        }
        return record | ({"params": self.params} if self.params else {})

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> Fault:
        return cls(
            record["source"],
            Month.parse(record["month"]),
            record["kind"],
            record.get("location", ""),
            record.get("detail", ""),
            record.get("params", {}),
        )


def plan_faults(
    seed: int, months: Iterable[Month], fault_rate: float, clean_months: Iterable[Month] = ()
) -> list[Fault]:
    """Which source-months get which fault (details of file faults are filled in later)."""
    clean = set(clean_months)
    planned = []
    for month in months:
        for source, kinds in FAULT_KINDS.items():
            g = rng(seed, "faults", source, month.year, month.month)
            draw, choice = g.random(), int(g.integers(0, len(kinds)))
            if month in clean or draw >= fault_rate:
                continue
            fault = Fault(source, month, kinds[choice])
            planned.append(energy_fault(seed, fault) if source == "energy" else fault)
    return planned


def energy_fault(seed: int, fault: Fault) -> Fault:
    """Fill in which meter and which intervals an energy fault touches."""
    g = rng(seed, "fault-energy", fault.month.year, fault.month.month)
    month = fault.month
    if fault.kind == "api_down":
        return Fault(
            "energy",
            month,
            "api_down",
            "/energy/api/v1/meters/*/readings",
            f"every readings request overlapping {month} answers 503",
        )
    pool = [m for m in meters() if fault.kind != "unit_mwh" or m.unit == "kWh"]
    chosen = pool[int(g.integers(0, len(pool)))]
    location = ENERGY_READINGS_PATH.format(meter_id=chosen.meter_id)
    if fault.kind == "unit_mwh":
        return Fault(
            "energy",
            month,
            "unit_mwh",
            location,
            f"{chosen.meter_id} {month}: every value divided by 1000 (MWh, unit says kWh)",
            {"meter_id": chosen.meter_id},
        )
    cal = interval_calendar(month, chosen.interval_minutes)
    count = int(g.integers(4, 49)) * 60 // chosen.interval_minutes
    first = int(g.integers(0, cal.height - count))
    style = "absent" if g.random() < 0.5 else "null"
    starts = cal["start"]
    how = "left out" if style == "absent" else "status missing, value null"
    return Fault(
        "energy",
        month,
        "missing_intervals",
        location,
        f"{chosen.meter_id}: {count} intervals {starts[first]} .. "
        f"{starts[first + count - 1]} {how}",
        {
            "meter_id": chosen.meter_id,
            "first_epoch_s": int(cal["epoch_s"][first]),
            "last_epoch_s": int(cal["epoch_s"][first + count - 1]),
            "style": style,
        },
    )


def apply_energy_faults(readings: pl.DataFrame, faults: Iterable[Fault]) -> pl.DataFrame:
    """Readings of one meter-month as the faulty system serves them."""
    for fault in faults:
        if fault.kind == "unit_mwh":
            readings = readings.with_columns(pl.col("value") / 1000)
        elif fault.kind == "missing_intervals":
            hit = pl.col("epoch_s").is_between(
                fault.params["first_epoch_s"], fault.params["last_epoch_s"]
            )
            if fault.params["style"] == "absent":
                readings = readings.filter(~hit)
            else:
                readings = readings.with_columns(
                    pl.when(hit).then(None).otherwise(pl.col("value")).alias("value"),
                    pl.when(hit)
                    .then(pl.lit("missing"))
                    .otherwise(pl.col("status"))
                    .alias("status"),
                )
    return readings


def duplicate_rows(
    table: pl.DataFrame, g: np.random.Generator, first_line: int, label: str = "line"
) -> tuple[pl.DataFrame, str]:
    """Repeat a few rows right after themselves; say where (``first_line`` = first data line)."""
    picks = sorted(set(g.integers(0, table.height, size=int(g.integers(1, 5))).tolist()))
    order = sorted(list(range(table.height)) + picks)
    # the copy of row p follows the original, shifted by the copies inserted before it
    copies = [(first_line + p + k, first_line + p + k + 1) for k, p in enumerate(picks)]
    detail = "; ".join(f"{label} {copy} repeats {label} {original}" for original, copy in copies)
    return table[order], detail


def replace_values(
    table: pl.DataFrame,
    column: str,
    values: tuple[str, ...],
    g: np.random.Generator,
    first_line: int,
    label: str = "line",
) -> tuple[pl.DataFrame, str]:
    """Put an unknown value in ``column`` of one to three rows."""
    rows = sorted(set(g.integers(0, table.height, size=int(g.integers(1, 4))).tolist()))
    new = [values[int(g.integers(0, len(values)))] for _ in rows]
    column_values = table[column].to_list()
    for row, value in zip(rows, new, strict=True):
        column_values[row] = value
    detail = "; ".join(
        f"{label} {first_line + r}: {column} {v!r}" for r, v in zip(rows, new, strict=True)
    )
    return table.with_columns(pl.Series(column, column_values, dtype=table[column].dtype)), detail


def truncate(content: bytes, g: np.random.Generator) -> tuple[bytes, str]:
    """Cut the file somewhere in its middle, inside a line."""
    cut = int(len(content) * g.uniform(0.3, 0.8))
    while cut < len(content) - 1 and content[cut - 1 : cut] in (b"\n", b"\r"):
        cut += 1
    line = content[:cut].count(b"\n") + 1
    return content[:cut], f"file ends after {cut} of {len(content)} bytes, inside line {line}"
