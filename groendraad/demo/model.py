"""The demo hospital as one seeded, deterministic model.

``DemoModel(seed)`` is a thin handle over pure functions: every figure of every
source and month is computed from ``(seed, source, year, month)`` alone, identically
every time, and consistently between the generated files and the demo server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from groendraad.demo import energy, food, medicine, reference, staff, supplies, travel, waste
from groendraad.months import Month

DEFAULT_SEED = 7


@dataclass(frozen=True)
class DemoModel:
    """The demo hospital for one seed."""

    seed: int = DEFAULT_SEED

    def meters(self) -> tuple[energy.Meter, ...]:
        return energy.meters()

    def readings(self, meter_id: str, month: Month) -> pl.DataFrame:
        """A meter's readings for a local month: epoch_s, start (ISO), value, status."""
        return energy.meter_readings(self.seed, meter_id, month)

    def food_events(self, site: str, first: date, last: date) -> list[dict]:
        """Food-waste events whose UTC date lies in [first, last]."""
        return food.events_between(self.seed, site, first, last)

    def waste_lines(self, month: Month) -> list[waste.WasteLine]:
        return waste.waste_lines(self.seed, month)

    def commuting(self, month: Month) -> pl.DataFrame:
        return staff.commuting(self.seed, month)

    def business_trips(self, month: Month) -> list[travel.Trip]:
        return travel.business_trips(self.seed, month)

    def disposable_issues(self, month: Month) -> pl.DataFrame:
        return supplies.issues(self.seed, month)

    def medicine_waste(self, month: Month) -> pl.DataFrame:
        return medicine.registrations(self.seed, month)

    def key_figures(self, months: list[Month]) -> pl.DataFrame:
        return reference.key_figures_table(self.seed, months)

    def organisation(self) -> pl.DataFrame:
        return reference.organisation_table()
