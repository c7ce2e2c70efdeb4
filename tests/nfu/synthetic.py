"""A small, hand-made NFU export that follows the contract (for the quick tests).

Figures of a UMC of ``size`` (1.0: 1,000 FTE, 100,000 m2) for months of 2024, with the
CO2e computed by hand from the activity and the 2024 factors of metrics/factors.csv
(read with the csv module): scopes 1 and 2 the TTW part, scope 3.3 the WTT part.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import polars as pl

from groendraad.nfu.contract import load_contract
from groendraad.nfu.export import write_export

FACTORS_CSV = Path(__file__).resolve().parents[2] / "metrics" / "factors.csv"


def csv_factor(activity: str, year: int, part: str = "all", category: str = "") -> float:
    """The factors.csv value of ``activity``/``part`` (location) covering ``year``."""
    with FACTORS_CSV.open(encoding="utf-8", newline="") as handle:
        found = [
            float(r["value"])
            for r in csv.DictReader(handle)
            if (r["activity"], r["part"], r["basis"]) == (activity, part, "location")
            and r["category"].startswith(category)
            and int(r["valid_year"]) <= year <= int(r["valid_to"] or 9999)
        ]
    assert len(found) == 1, (activity, part, year, found)
    return found[0]


CARRIERS = ("electricity", "gas", "heat")
FACTORS_2024 = {
    **{c: csv_factor(c, 2024, "ttw") for c in CARRIERS},
    **{f"{c} wtt": csv_factor(c, 2024, "wtt") for c in CARRIERS},
    "Recycling": csv_factor("Recycling", 2024),
    "Verbranding met energieterugwinning": csv_factor("Verbranding met energieterugwinning", 2024),
    "Auto": csv_factor("Auto", 2024, category="commuting"),
    "OV": csv_factor("OV", 2024),
}


def _row(metric: str, value: float, category: str | None = None, people: int | None = None) -> dict:
    return {"metric": metric, "category": category, "value": value, "people": people}


def month_rows(size: float) -> list[dict]:
    """One month's institution figures."""
    kwh, m3, gj = 1_000_000 * size, 100_000 * size, 1_000 * size
    f = FACTORS_2024
    route = {"Recycling": 10_000 * size, "Verbranding met energieterugwinning": 20_000 * size}
    route_co2e = {r: kg / 1000 * f[r] for r, kg in route.items()}
    km = {"Auto": 50_000 * size, "OV": 30_000 * size}
    people = {"Auto": round(40 * size), "OV": round(30 * size)}
    km_co2e = {m: v * f[m] for m, v in km.items()}
    scope1, scope2 = m3 * f["gas"], {"electricity": kwh * f["electricity"], "heat": gj * f["heat"]}
    amounts = {"electricity": kwh, "gas": m3, "heat": gj}
    upstream = {c: amounts[c] * f[f"{c} wtt"] for c in CARRIERS}
    waste, commuting, flights = sum(route_co2e.values()), sum(km_co2e.values()), 2_000 * size
    scope3 = sum(upstream.values()) + waste + commuting + flights
    location = scope1 + sum(scope2.values()) + scope3
    rows = [
        _row("energy.electricity_kwh", kwh),
        _row("energy.gas_m3", m3),
        _row("energy.heat_gj", gj),
        _row("energy.pv_generation_kwh", 10_000 * size),
        _row("energy.total_gj", kwh * 0.0036 + m3 * 0.03165 + gj + 10_000 * size * 0.0036),
        _row("co2e.scope1_kg", scope1),
        _row("co2e.scope2_location_kg", sum(scope2.values())),
        _row("co2e.scope2_market_kg", scope2["heat"]),
        _row("co2e.scope2_market_kg", 0.0, "electricity"),
        _row("co2e.scope2_market_kg", scope2["heat"], "heat"),
        *[_row("co2e.scope2_location_kg", v, c) for c, v in scope2.items()],
        _row("waste.total_kg", sum(route.values())),
        _row("waste.residual_kg", 15_000 * size),
        _row("waste.recycled_kg", route["Recycling"]),
        *[_row("waste.route_kg", v, c) for c, v in route.items()],
        _row("co2e.scope3_energy_upstream_kg", sum(upstream.values())),
        *[_row("co2e.scope3_energy_upstream_kg", v, c) for c, v in upstream.items()],
        _row("co2e.scope3_waste_kg", waste),
        *[_row("co2e.scope3_waste_kg", v, c) for c, v in route_co2e.items()],
        _row("mobility.commuting_km", sum(km.values()), None, sum(people.values())),
        *[_row("mobility.commuting_km", v, m, people[m]) for m, v in km.items()],
        *[_row("mobility.commuting_co2e_kg", v, m, people[m]) for m, v in km_co2e.items()],
        _row("co2e.scope3_commuting_kg", commuting, None, sum(people.values())),
        _row("mobility.business_travel_km", 10_000 * size, "Vliegtuig", 6),
        _row("mobility.business_travel_co2e_kg", flights, "Vliegtuig", 6),
        _row("co2e.scope3_business_travel_kg", flights, None, 6),
        _row("co2e.total_location_kg", location),
        _row("co2e.total_market_kg", location - sum(scope2.values()) + scope2["heat"]),
        _row("food_waste.total_kg", 3_000 * size),
        _row("food_waste.cause_kg", 2_000 * size, "plate_waste"),
        _row("food_waste.cause_kg", 1_000 * size, "overproduction"),
        _row("mobility.green_share_pct", 40.0, None, sum(people.values())),
        _row("context.fte", 1_000 * size),
        _row("context.bed_days", 10_000 * size),
        _row("context.floor_area_m2", 100_000 * size),
        _row("context.meals", 20_000 * size),
        _row("context.operations", 1_000 * size),
    ]
    return rows


def export_frame(institution: str, months: list[int], size: float = 1.0) -> pl.DataFrame:
    """The export rows of ``institution`` for the months (numbers) of 2024."""
    contract = load_contract()
    rows = [{**row, "period": date(2024, month, 1)} for month in months for row in month_rows(size)]
    frame = pl.DataFrame(rows, schema_overrides={"people": pl.Int64})
    rules = contract.rules_frame().filter(pl.col("level") == "institution").drop("aggregate")
    return frame.join(rules, on="metric").select(
        pl.lit(institution).alias("institution"),
        "period",
        "level",
        pl.lit(None, pl.String).alias("division"),
        "theme",
        "metric",
        "kind",
        "category",
        "value",
        "unit",
        pl.lit("measured").alias("quality"),
        pl.lit(None, pl.String).alias("quality_reason"),
        pl.lit("sum").alias("method"),
        "people",
        pl.lit(None, pl.String).alias("factors"),
        pl.lit(1, pl.Int32).alias("metrics_version"),
    )


def metadata(institution: str, months: list[int]) -> dict[str, str]:
    contract = load_contract()
    return {
        "nfu.schema_version": contract.schema_version,
        "nfu.institution": institution,
        "nfu.institution_name": f"Synthetic {institution}",
        "nfu.period_first": f"2024-{months[0]:02d}",
        "nfu.period_last": f"2024-{months[-1]:02d}",
        "nfu.months": ",".join(f"2024-{m:02d}" for m in months),
        "nfu.factor_set": "fs-test",
        "nfu.gwp_set": contract.gwp_set,
        "nfu.method_version": "m-test",
        "nfu.min_group_size": str(contract.min_group_size),
        "nfu.generated_at": "2025-01-01T00:00:00+00:00",
        "nfu.generator": "tests",
    }


def write_synthetic(out: Path, institution: str, months: list[int], size: float = 1.0) -> Path:
    """Write a valid export file of the synthetic UMC; returns its path."""
    path = out / f"nfu-export_{institution}_2024.parquet"
    frame = export_frame(institution, months, size)
    return write_export(frame, metadata(institution, months), path, load_contract())
