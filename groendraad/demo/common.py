"""Building blocks the demo model shares: seeded randomness, trends, weather, calendars.

Every random draw comes from a generator seeded by ``(seed, what, year, month, ...)``,
so any month of any source can be computed on its own and always gives the same
result. Nothing here keeps global state other than pure caches.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date
from functools import lru_cache

import numpy as np
import polars as pl

from groendraad.months import Month

LOCAL_TZ_NAME = "Europe/Amsterdam"
LATITUDE, LONGITUDE = 52.166, 4.478  # Leiden

# Relative levels (1.0 = base) at decimal years; linear in between, flat outside.
# Anchors sit mid-year so a calendar year's mean equals its anchor.
TRENDS: dict[str, dict[float, float]] = {
    # annual report 2024: unsorted residual waste -9% vs 2018
    "residual_waste": {2016.5: 1.03, 2018.5: 1.00, 2024.5: 0.91, 2026.5: 0.88},
    "recycled_waste": {2016.5: 0.92, 2018.5: 1.00, 2024.5: 1.10, 2026.5: 1.12},
    # annual report 2024: energy in real estate -1.5% vs 2019
    # (2024.5 sits at 0.982 because the leap day of 2024 adds 0.3% to the year)
    "energy": {2016.5: 1.02, 2019.5: 1.00, 2024.5: 0.982, 2026.5: 0.972},
    "electric_car_share": {2016.5: 0.01, 2020.5: 0.05, 2024.5: 0.14, 2026.5: 0.20},
    "medicine_waste": {2016.5: 1.05, 2023.5: 1.00, 2024.5: 0.95, 2026.5: 0.85},
    "incontinence": {2016.5: 1.00, 2023.5: 1.00, 2026.5: 0.95},
    "reusable_instruments": {2016.5: 0.40, 2021.5: 0.50, 2024.5: 1.00, 2026.5: 1.10},
    "disposable_instruments": {2016.5: 1.00, 2021.5: 1.00, 2024.5: 0.75, 2026.5: 0.70},
    "headcount": {2016.5: 0.96, 2026.5: 1.03},
    "activity": {2016.5: 1.02, 2026.5: 0.98},
}


def rng(seed: int, *key: object) -> np.random.Generator:
    """A generator seeded from ``seed`` and a key such as ``("waste", 2019, 3)``."""
    digest = hashlib.blake2b(repr(key).encode(), digest_size=16).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *words])))


def decimal_year(month: Month) -> float:
    """The middle of the month as a decimal year (2024-07 -> ~2024.54)."""
    return month.year + (month.month - 0.5) / 12


def level(trend: str, month: Month) -> float:
    """The relative level of ``trend`` (a key of TRENDS) in ``month``."""
    anchors = TRENDS[trend]
    return float(np.interp(decimal_year(month), list(anchors), list(anchors.values())))


def ramp(month: Month, start: Month, end: Month) -> float:
    """0 before ``start``, 1 from ``end`` on, linear in between (by month index)."""
    index = month.year * 12 + month.month
    first, last = start.year * 12 + start.month, end.year * 12 + end.month
    return float(np.clip((index - first) / max(last - first, 1), 0.0, 1.0))


def covid_factor(month: Month, strength: float = 1.0) -> float:
    """Activity multiplier during COVID-19 (1.0 outside 2020-03..2021-12)."""
    dips = {
        Month(2020, 3): 0.75,
        Month(2020, 4): 0.55,
        Month(2020, 5): 0.7,
        Month(2020, 6): 0.85,
        Month(2020, 11): 0.85,
        Month(2020, 12): 0.8,
        Month(2021, 1): 0.8,
        Month(2021, 2): 0.85,
        Month(2021, 3): 0.9,
    }
    dip = dips.get(month, 0.95 if Month(2020, 3) <= month <= Month(2021, 12) else 1.0)
    return 1.0 - strength * (1.0 - dip)


def working_days(month: Month) -> int:
    """Monday-Friday days in the month (public holidays ignored)."""
    return int(np.busday_count(month.first_day, month.next().first_day))


def days_of(month: Month) -> list[date]:
    return [date(month.year, month.month, d) for d in range(1, month.days + 1)]


def daily_temperature(seed: int, month: Month) -> np.ndarray:
    """Mean outdoor temperature (degC) per local day of the month, Leiden-like.

    The anomaly is zero-mean within each month, so the month's mean is climatological
    and year-on-year energy trends are not blurred by random weather.
    """
    day_of_year = np.array([d.timetuple().tm_yday for d in days_of(month)])
    climate = 10.6 - 7.4 * np.cos(2 * np.pi * (day_of_year - 20) / 365.25)
    anomaly = rng(seed, "weather", month.year, month.month).normal(0.0, 2.5, len(day_of_year))
    return climate + anomaly - anomaly.mean()


@lru_cache(maxsize=512)
def interval_calendar(month: Month, minutes: int) -> pl.DataFrame:
    """Every interval of the local month, stepping in UTC so DST days have 92/100 quarters.

    Columns: epoch_s (UTC seconds), start (ISO 8601 with local offset), hour (local,
    fractional), weekday (1=Mon), day (0-based local day of month), utc_hour.
    """
    start = month.start_local().astimezone(UTC)
    end = month.end_local().astimezone(UTC)
    utc = pl.datetime_range(start, end, f"{minutes}m", closed="left", eager=True, time_zone="UTC")
    local = utc.dt.convert_time_zone(LOCAL_TZ_NAME)
    return pl.DataFrame(
        {
            "epoch_s": utc.dt.epoch("s"),
            "start": local.dt.to_string("%Y-%m-%dT%H:%M:%S%:z"),
            "hour": local.dt.hour() + local.dt.minute() / 60,
            "weekday": local.dt.weekday(),
            "day": local.dt.day() - 1,
            "utc_hour": utc.dt.hour() + utc.dt.minute() / 60,
            "day_of_year": local.dt.ordinal_day(),
        }
    )
