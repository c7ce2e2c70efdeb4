"""Reference data from the control department: monthly key figures and the organisation.

The key figures are the denominators for normalised figures: ~115,000 bed-days,
~25,000 admissions and ~15,000 operations a year, FTE from the payroll.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from groendraad.demo.common import covid_factor, level, rng, working_days
from groendraad.demo.organisation import cost_centres, total_floor_area_m2
from groendraad.demo.staff import total_fte
from groendraad.months import Month

BED_DAYS_PER_YEAR = 115_000
ADMISSIONS_PER_YEAR = 25_000
OPERATIONS_PER_YEAR = 15_000
OUTPATIENT_VISITS_PER_YEAR = 420_000
MEALS_PER_BED_DAY = 2.8
# seasonal occupancy, January..December (summer and Christmas are quieter)
_SEASON = (1.04, 1.04, 1.03, 1.0, 1.0, 0.99, 0.94, 0.93, 1.0, 1.02, 1.02, 0.96)


def key_figures(seed: int, month: Month) -> dict[str, float]:
    """The month's kerncijfers: FTE, bed-days, admissions, operations, visits, meals, m2."""
    g = rng(seed, "key_figures", month.year, month.month)
    base = level("activity", month) * _SEASON[month.month - 1]
    per_day = month.days / 365.25 * base
    per_working_day = working_days(month) / 261.0 * base
    bed_days = round(BED_DAYS_PER_YEAR * per_day * covid_factor(month, 0.5) * g.normal(1, 0.01))
    return {
        "Maand": str(month),
        "FTE": round(total_fte(seed, month), 1),
        "Verpleegdagen": bed_days,
        "Opnames": round(
            ADMISSIONS_PER_YEAR * per_day * covid_factor(month, 0.6) * g.normal(1, 0.015)
        ),
        "Operaties": round(
            OPERATIONS_PER_YEAR * per_working_day * covid_factor(month) * g.normal(1, 0.02)
        ),
        "Polibezoeken": round(
            OUTPATIENT_VISITS_PER_YEAR
            * per_working_day
            * covid_factor(month, 0.8)
            * g.normal(1, 0.01)
        ),
        "Maaltijden": round(
            bed_days * MEALS_PER_BED_DAY * float(np.clip(g.normal(1, 0.01), 0.9, 1.1))
        ),
        "Vloeroppervlak (m2)": total_floor_area_m2(),
    }


def key_figures_table(seed: int, months: list[Month]) -> pl.DataFrame:
    """One row per month, columns as in kerncijfers.csv."""
    return pl.DataFrame([key_figures(seed, m) for m in months])


def organisation_table() -> pl.DataFrame:
    """organisatie.csv: cost centre, department, division, building, floor area."""
    centres = cost_centres()
    return pl.DataFrame(
        {
            "Kostenplaats": [c.code for c in centres],
            "Afdeling": [c.department for c in centres],
            "Divisie": [c.division for c in centres],
            "Gebouw": [c.building for c in centres],
            "Vloeroppervlak (m2)": [c.floor_area_m2 for c in centres],
        }
    )
