"""Employees of the demo hospital and how they commute.

One pool of (pseudonymised) employees per seed, with hire and leave months, so the
same people appear month after month with some turnover. Mode choice depends on
the one-way distance; since October 2024 some drivers living 7 km or more away
switch to public transport (paid by the employer).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np
import polars as pl

from groendraad.demo.common import covid_factor, level, ramp, rng, working_days
from groendraad.demo.organisation import departments
from groendraad.months import Month

POOL_START, POOL_END = Month(2010, 1), Month(2039, 12)
HEADCOUNT = 10_000
MEAN_TENURE_MONTHS = 150.0
_FTE_VALUES = np.array([0.44, 0.56, 0.67, 0.78, 0.89, 1.0])
_FTE_P = [0.14, 0.20, 0.18, 0.15, 0.11, 0.22]
_OFFICE_KINDS = ("onderzoek", "ondersteuning", "lab")

MODES = ("Lopen", "Fiets", "E-bike", "OV", "Auto", "Carpool", "Motor")
_BAND_EDGES = [2.0, 7.0, 15.0, 30.0]
_MODE_P = np.array(
    [  # one row per distance band, columns as MODES
        [0.40, 0.48, 0.02, 0.04, 0.05, 0.00, 0.01],
        [0.03, 0.52, 0.12, 0.12, 0.18, 0.02, 0.01],
        [0.00, 0.15, 0.20, 0.22, 0.38, 0.03, 0.02],
        [0.00, 0.02, 0.08, 0.35, 0.48, 0.05, 0.02],
        [0.00, 0.00, 0.01, 0.45, 0.47, 0.05, 0.02],
    ]
)
POLICY_START = Month(2024, 10)  # public transport paid for everyone living >= 7 km away
_POLICY_SWITCH_SHARE = 0.3


def month_index(month: Month) -> int:
    return month.year * 12 + month.month - 1


def pseudonym(seed: int, number: int) -> str:
    """A stable pseudonymised personnel number (10 hex digits)."""
    return hashlib.blake2b(f"{seed}:employee:{number}".encode(), digest_size=5).hexdigest()


def _hires(g: np.random.Generator) -> np.ndarray:
    """Hire month index of everyone: a starting cohort plus monthly hires."""
    first = month_index(POOL_START)
    cohort = np.full(round(HEADCOUNT * level("headcount", POOL_START)), first - 1)
    months = [POOL_START]
    while months[-1] < POOL_END:
        months.append(months[-1].next())
    target = np.array([HEADCOUNT * level("headcount", m) for m in months])
    growth = np.diff(target, prepend=target[0])
    counts = g.poisson(np.clip(target / MEAN_TENURE_MONTHS + growth, 0, None))
    return np.concatenate([cohort, np.repeat(first + np.arange(len(months)), counts)])


@lru_cache(maxsize=8)
def employees(seed: int) -> pl.DataFrame:
    """Everyone who ever works at the demo hospital, with stable personal attributes."""
    g = rng(seed, "employees")
    start = _hires(g)
    n = len(start)
    depts = departments()
    weights = np.array([d.staff_weight for d in depts], dtype=float)
    dept_index = g.choice(len(depts), size=n, p=weights / weights.sum())
    return pl.DataFrame(
        {
            "employee_id": [pseudonym(seed, i) for i in range(n)],
            "department": [depts[i].name for i in dept_index],
            "kind": [depts[i].kind for i in dept_index],
            "start": start,
            "end": start + 1 + g.exponential(MEAN_TENURE_MONTHS, n).astype(np.int64),
            "one_way_km": np.round(np.clip(g.lognormal(np.log(9.0), 0.9, n), 0.3, 150.0), 1),
            "fte": g.choice(_FTE_VALUES, size=n, p=_FTE_P),
            "u_mode": g.random(n),
            "u_ev": g.random(n),
            "u_policy": g.random(n),
        }
    )


def active_employees(seed: int, month: Month) -> pl.DataFrame:
    """The employees on the payroll in ``month``."""
    index = month_index(month)
    pool = employees(seed)
    return pool.filter((pl.col("start") <= index) & (pl.col("end") > index))


def commute_modes(
    km: np.ndarray, u_mode: np.ndarray, u_ev: np.ndarray, u_policy: np.ndarray, month: Month
) -> np.ndarray:
    """Each employee's mode this month from distance and their stable preferences."""
    band = np.digitize(km, _BAND_EDGES)
    cumulative = np.cumsum(_MODE_P, axis=1)[band]
    index = np.minimum((u_mode[:, None] > cumulative).sum(axis=1), len(MODES) - 1)
    modes = np.array(MODES, dtype=object)[index]
    car = np.isin(modes, ["Auto", "Carpool", "Motor"])
    modes = np.where(
        (modes == "Auto") & (u_ev < level("electric_car_share", month)), "Auto elektrisch", modes
    )
    switched = (
        car
        & (km >= 7.0)
        & (u_policy < _POLICY_SWITCH_SHARE * ramp(month, POLICY_START, Month(2025, 1)))
    )
    return np.where(switched, "OV", modes)


def _presence(kinds: np.ndarray, month: Month) -> np.ndarray:
    """Share of contract days actually travelled (leave, illness, home working)."""
    office = np.isin(kinds, _OFFICE_KINDS)
    if month < Month(2020, 3):
        home = 1.0
    elif month <= Month(2021, 12):
        home = max(covid_factor(month, 2.0), 0.15)
    else:
        home = 0.8
    return 0.88 * np.where(office, home, 1.0)


def commuting(seed: int, month: Month) -> pl.DataFrame:
    """One row per active employee: department, distance, mode, travel days, FTE."""
    people = active_employees(seed, month)
    g = rng(seed, "commuting", month.year, month.month)
    km = people["one_way_km"].to_numpy()
    p = np.clip(people["fte"].to_numpy() * _presence(people["kind"].to_numpy(), month), 0, 0.98)
    modes = commute_modes(
        km,
        people["u_mode"].to_numpy(),
        people["u_ev"].to_numpy(),
        people["u_policy"].to_numpy(),
        month,
    )
    return pl.DataFrame(
        {
            "employee_id": people["employee_id"],
            "department": people["department"],
            "one_way_km": km,
            "mode": modes.astype(str),
            "travel_days": g.binomial(working_days(month), p),
            "fte": people["fte"],
        }
    )


def total_fte(seed: int, month: Month) -> float:
    """Sum of contract FTE of everyone on the payroll (the kerncijfers FTE)."""
    return float(active_employees(seed, month)["fte"].sum())
