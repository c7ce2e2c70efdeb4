"""2018 and 2025 scope 1, scope 2 (location and market) and scope 3.3, recomputed with
plain DuckDB SQL over the staged Parquet and factors.csv, not the pipeline's code.

2018 has no contract (market-based = the residual-mix row); 2025 has a configured
contract with guarantees of origin at the supplier's factor.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from groendraad.metrics import publish
from groendraad.months import Month

from . import hospital
from .factor_rows import FACTORS_CSV

CONTRACT = {
    "from": 2024,
    "supplier": "Windstroom BV",
    "factor_kg_per_kwh": 0.0,
    "guarantees_of_origin": "NL wind",
    "citation": "stroometiket Windstroom BV 2024",
}
ENERGY = """
    SELECT CAST(substr(month, 1, 4) AS INTEGER) AS year, carrier, sum(value) AS amount
    FROM read_parquet('{root}/staging/energy_readings/*/*.parquet', hive_partitioning = true)
    WHERE direction = 'consumption' AND carrier IN ('gas', 'electricity', 'heat')
    GROUP BY ALL
"""
FACTORS = """
    SELECT activity AS carrier, part, basis, CAST(value AS DOUBLE) AS f,
           CAST(valid_year AS INTEGER) AS y0, coalesce(CAST(valid_to AS INTEGER), 9999) AS y1
    FROM read_csv('{csv}', all_varchar = true) WHERE category = 'energy'
"""
PRICED = """
    SELECT e.year, sum(e.amount * f.f) AS kg FROM energy e JOIN factors f
    ON f.carrier = e.carrier AND e.year BETWEEN f.y0 AND f.y1
    WHERE f.part = ? AND f.basis = ? AND list_contains(?, e.carrier) GROUP BY e.year
"""


def independent(root: Path) -> dict[tuple[int, str], float]:
    con = duckdb.connect()
    con.execute(f"CREATE VIEW energy AS {ENERGY.format(root=root)}")
    con.execute(f"CREATE VIEW factors AS {FACTORS.format(csv=FACTORS_CSV)}")

    def total(part: str, basis: str, carriers: tuple[str, ...]) -> dict[int, float]:
        return dict(con.execute(PRICED, [part, basis, list(carriers)]).fetchall())

    s1 = total("ttw", "location", ("gas", "x"))
    s2_loc = total("ttw", "location", ("electricity", "heat"))
    heat = total("ttw", "location", ("heat", "x"))
    residual = total("ttw", "market", ("electricity", "x"))
    amounts = dict(
        con.execute("SELECT year, amount FROM energy WHERE carrier = 'electricity'").fetchall()
    )
    s2_mkt = {2018: residual[2018] + heat[2018], 2025: amounts[2025] * 0.0 + heat[2025]}
    s33 = total("wtt", "location", ("gas", "electricity", "heat"))
    out = {}
    for year in (2018, 2025):
        out[(year, "co2e.scope1_kg")] = s1[year]
        out[(year, "co2e.scope2_location_kg")] = s2_loc[year]
        out[(year, "co2e.scope2_market_kg")] = s2_mkt[year]
        out[(year, "co2e.scope3_energy_upstream_kg")] = s33[year]
    return out


def test_2018_and_2025_scopes_match_an_independent_recomputation(tmp_path: Path) -> None:
    for month in (Month(2018, 3), Month(2025, 3)):
        hospital.stage_month(tmp_path, month)
    publish(tmp_path, "tiny-umc", emissions={"market_electricity": [CONTRACT]})
    published = dict(
        ((period.year, metric), value)
        for period, metric, value in duckdb.execute(
            "SELECT period, metric, value FROM read_parquet(?) WHERE level = 'institution' "
            "AND category IS NULL AND metric LIKE 'co2e.scope%'",
            [str(tmp_path / "marts" / "metrics_current.parquet")],
        ).fetchall()
    )
    expected = independent(tmp_path)
    for key, value in expected.items():
        assert published[key] == pytest.approx(value, rel=1e-9), key
    # the grid fell between the lists, so the same use gives less scope 2 in 2025
    assert expected[(2025, "co2e.scope2_location_kg")] < expected[(2018, "co2e.scope2_location_kg")]
