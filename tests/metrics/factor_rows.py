"""Factors read straight from metrics/factors.csv with the csv module (not the pipeline's
loader), so tests compute expected figures independently of metrics/factors.py."""

from __future__ import annotations

import csv
from pathlib import Path

FACTORS_CSV = Path(__file__).resolve().parents[2] / "metrics" / "factors.csv"


def rows(path: Path = FACTORS_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def factor(
    activity: str, year: int, part: str = "all", basis: str = "location", category: str = ""
) -> float:
    """The value of the one row of ``activity``/``part``/``basis`` covering ``year``."""
    found = [
        r
        for r in rows()
        if r["activity"] == activity
        and r["category"].startswith(category)
        and r["part"] == part
        and r["basis"] == basis
        and int(r["valid_year"]) <= year <= int(r["valid_to"] or 9999)
    ]
    assert len(found) == 1, f"{activity} {part} {basis} {year}: {found}"
    return float(found[0]["value"])


def row_id(activity: str, year: int, part: str = "all", basis: str = "location") -> str:
    """factor_id=value of that row, as a figure's ``factors`` column names it."""
    value = factor(activity, year, part, basis)
    for r in rows():
        if (
            (r["activity"], r["part"], r["basis"]) == (activity, part, basis)
            and float(r["value"]) == value
            and int(r["valid_year"]) <= year <= int(r["valid_to"] or 9999)
        ):
            return f"{r['factor_id']}={r['value']}"
    raise AssertionError(activity)
