"""Energy meters of the demo hospital and their interval readings.

Electricity follows a day/night and weekday/weekend profile, gas and heat follow
heating degrees, cold follows cooling degrees, PV follows the sun. All consumption
carriers share the ``energy`` trend (-1.5% in 2024 vs 2019).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from groendraad.demo.common import (
    LATITUDE,
    LONGITUDE,
    daily_temperature,
    interval_calendar,
    level,
    rng,
)
from groendraad.demo.organisation import BUILDINGS
from groendraad.months import Month

UNITS = {"electricity": "kWh", "gas": "m3", "heat": "GJ", "cold": "GJ", "pv": "kWh"}
INTERVALS = {"electricity": 15, "gas": 60, "heat": 60, "cold": 60, "pv": 15}
DECIMALS = {"kWh": 3, "m3": 3, "GJ": 4}
_HOURS_PER_YEAR = 8766.0
_MEAN_HEATING_DEGREES = 5.85  # mean of max(0, 16 - T) over a year
_MEAN_COOLING_DEGREES = 1.17  # mean of max(0, T - 14) over a year

# electricity intensity per building (kWh/m2/year)
_ELECTRICITY_KWH_M2 = [260, 170, 180, 230, 120, 200, 90, 110, 90, 80, 80, 150]
# (building number, annual amount in the meter's unit, share not driven by weather)
_GAS = [
    (1, 1_100_000, 0.45),
    (2, 350_000, 0.25),
    (3, 300_000, 0.3),
    (8, 120_000, 0.35),
    (9, 90_000, 0.2),
]
_HEAT = [
    (4, 5_500, 0.2),
    (5, 4_500, 0.15),
    (6, 3_750, 0.2),
    (7, 3_000, 0.15),
    (10, 1_600, 0.15),
    (11, 1_250, 0.15),
]
_COLD = [
    (1, 30_000, 0.6),
    (2, 6_000, 0.4),
    (3, 5_000, 0.4),
    (4, 7_000, 0.55),
    (6, 3_000, 0.6),
    (8, 1_500, 0.3),
]
_PV_KWP = [(2, 250), (5, 180), (8, 120), (12, 80)]


@dataclass(frozen=True)
class Meter:
    meter_id: str
    ean: str
    building: str
    carrier: str
    annual: float  # consumption per year at trend level 1 (or kWp for PV)
    base_share: float = 1.0

    @property
    def unit(self) -> str:
        return UNITS[self.carrier]

    @property
    def interval_minutes(self) -> int:
        return INTERVALS[self.carrier]

    @property
    def direction(self) -> str:
        return "generation" if self.carrier == "pv" else "consumption"

    def as_json(self) -> dict[str, object]:
        """The meter as the energy API lists it."""
        return {
            "meter_id": self.meter_id,
            "ean": self.ean,
            "building": self.building,
            "carrier": self.carrier,
            "unit": self.unit,
            "interval_minutes": self.interval_minutes,
            "direction": self.direction,
        }


def ean18(serial: int) -> str:
    """An 18-digit Dutch connection EAN (GS1 prefix 871687) with its check digit."""
    body = f"871687400{serial:08d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


@cache
def meters() -> tuple[Meter, ...]:
    """All meters: electricity main meter per building, gas, heat, cold and PV."""
    result = [
        Meter(f"E-G{n}-HOOFD", "", b, "electricity", area * _ELECTRICITY_KWH_M2[n - 1])
        for n, (b, area) in enumerate(BUILDINGS.items(), start=1)
    ]
    for carrier, prefix, rows in (("gas", "G", _GAS), ("heat", "W", _HEAT), ("cold", "C", _COLD)):
        result += [
            Meter(f"{prefix}-G{n}-HOOFD", "", f"Gebouw {n}", carrier, amount, base)
            for n, amount, base in rows
        ]
    result += [Meter(f"PV-G{n}-DAK", "", f"Gebouw {n}", "pv", kwp) for n, kwp in _PV_KWP]
    return tuple(
        Meter(m.meter_id, ean18(i + 1), m.building, m.carrier, m.annual, m.base_share)
        for i, m in enumerate(result)
    )


def meter(meter_id: str) -> Meter:
    """The meter with this id; KeyError if there is none."""
    for candidate in meters():
        if candidate.meter_id == meter_id:
            return candidate
    raise KeyError(meter_id)


def _daytime(hour: np.ndarray) -> np.ndarray:
    """0 at night, rising to 1 around 13:00 local, between 06:30 and 19:30."""
    return np.clip(np.sin(np.pi * (hour - 6.5) / 13.0), 0.0, 1.0)


def _electricity_shape(cal: pl.DataFrame, temperature: np.ndarray) -> np.ndarray:
    hour, weekday = cal["hour"].to_numpy(), cal["weekday"].to_numpy()
    busy = np.where(weekday <= 5, 0.45, 0.15)
    cooling = 0.05 * np.clip(temperature - 18.0, 0.0, None) / 8.0
    return (0.78 + busy * _daytime(hour)) / 0.9 + cooling


def _solar_elevation_sine(cal: pl.DataFrame) -> np.ndarray:
    """sin(solar elevation) at the middle of each interval, by a textbook approximation."""
    day = cal["day_of_year"].to_numpy()
    utc_hour = cal["utc_hour"].to_numpy() + 0.125
    declination = np.radians(23.44) * np.sin(2 * np.pi * (284 + day) / 365.0)
    hour_angle = np.radians(15.0 * (utc_hour + LONGITUDE / 15.0 - 12.0))
    lat = np.radians(LATITUDE)
    return np.sin(lat) * np.sin(declination) + np.cos(lat) * np.cos(declination) * np.cos(
        hour_angle
    )


def _model_values(seed: int, m: Meter, month: Month, cal: pl.DataFrame) -> np.ndarray:
    """Noise-free-ish expected value per interval, in the meter's unit."""
    g = rng(seed, "energy", m.meter_id, month.year, month.month)
    daily = daily_temperature(seed, month)
    hour = cal["hour"].to_numpy()
    temperature = daily[cal["day"].to_numpy()] + 3.0 * np.sin(2 * np.pi * (hour - 9.0) / 24.0)
    per_interval = m.annual * m.interval_minutes / 60.0 / _HOURS_PER_YEAR
    noise = 1.0 + 0.03 * g.normal(size=len(cal))
    if m.carrier == "pv":
        clearness = g.beta(2.0, 1.6, size=len(daily))[cal["day"].to_numpy()]
        sun = np.clip(_solar_elevation_sine(cal), 0.0, None) ** 1.1
        return m.annual * 0.25 * 0.95 * sun * clearness * np.clip(noise, 0.5, None)
    trend = level("energy", month)
    if m.carrier == "electricity":
        shape = _electricity_shape(cal, temperature)
    elif m.carrier == "cold":
        shape = (
            m.base_share
            + (1 - m.base_share) * np.clip(temperature - 14.0, 0, None) / _MEAN_COOLING_DEGREES
        )
    else:
        heating = np.clip(16.0 - temperature, 0, None) / _MEAN_HEATING_DEGREES
        shape = (m.base_share + (1 - m.base_share) * heating) * (0.9 + 0.2 * _daytime(hour))
    return per_interval * shape * trend * np.clip(noise, 0.5, None)


def _estimated_mask(seed: int, m: Meter, month: Month, n: int) -> np.ndarray:
    """A few short runs of estimated intervals (the system filled a gap)."""
    g = rng(seed, "energy-status", m.meter_id, month.year, month.month)
    mask = np.zeros(n, dtype=bool)
    for _ in range(g.poisson(0.8)):
        start = int(g.integers(0, n))
        mask[start : start + int(g.integers(1, 9))] = True
    return mask


def meter_readings(seed: int, meter_id: str, month: Month) -> pl.DataFrame:
    """One month of readings: epoch_s (UTC interval start), start (ISO), value, status."""
    m = meter(meter_id)
    cal = interval_calendar(month, m.interval_minutes)
    values = np.round(_model_values(seed, m, month, cal), DECIMALS[m.unit])
    estimated = _estimated_mask(seed, m, month, len(cal))
    return pl.DataFrame(
        {
            "epoch_s": cal["epoch_s"],
            "start": cal["start"],
            "value": values,
            "status": np.where(estimated, "estimated", "measured"),
        }
    )
