"""Import the NHS ERIC site data as an external peer set (eric.yaml is the mapping).

General acute hospitals only; per site energy per m2 by carrier, waste per m2 by
route, food waste by cause and per meal, each with a flag: ``ok``, or why the site is
left out of the peer percentiles (``not_reported``, ``zero_reported``,
``no_floor_area``, ``no_meals``, ``outlier``, ``causes_inconsistent``). Flagged sites
are kept in the peer table. The rules are in eric.yaml and nfu/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from groendraad.errors import GroendraadError

MAPPING_FILE = Path(__file__).with_name("eric.yaml")
OK = "ok"


@dataclass(frozen=True)
class EricImport:
    """The peer rows (peer form), the site table and what the import did."""

    peers: pl.DataFrame
    sites: pl.DataFrame
    report: dict[str, Any]


@cache
def load_mapping(path: Path = MAPPING_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def numeric_columns(mapping: dict[str, Any]) -> list[str]:
    """Every ERIC column the import reads as a number."""
    columns = [mapping["floor_area_m2"], mapping["food_waste_total"], mapping["meals"]]
    for group in ("energy_kwh", "waste_tonnes"):
        columns += [c for names in mapping[group].values() for c in names]
    return columns + list(mapping["food_waste_causes"].values())


def read_sites(path: Path, mapping: dict[str, Any]) -> tuple[pl.DataFrame, dict[str, int]]:
    """The general acute sites with numbers parsed; counts of what was found."""
    try:
        raw = pl.read_csv(path, infer_schema=False, null_values=mapping["missing_values"])
    except (OSError, pl.exceptions.ComputeError) as exc:
        raise GroendraadError(f"{path}: cannot read as CSV ({exc})") from None
    wanted = [mapping[k] for k in ("site_type_column", "id_column", "name_column", "trust_column")]
    missing = [c for c in wanted + numeric_columns(mapping) if c not in raw.columns]
    if missing:
        raise GroendraadError(f"{path}: column(s) not found: {', '.join(missing[:5])}")
    acute = raw.filter(pl.col(mapping["site_type_column"]) == mapping["site_type"])
    cleaned = acute.with_columns(_number(c) for c in numeric_columns(mapping))
    counts = {
        "sites_in_file": raw.height,
        "general_acute_sites": acute.height,
        "missing_cells": sum(acute[c].null_count() for c in numeric_columns(mapping)),
        "unparseable_cells": sum(
            cleaned[c].null_count() - acute[c].null_count() for c in numeric_columns(mapping)
        ),
    }
    return cleaned, counts


def _number(column: str) -> pl.Expr:
    """Thousands separators, currency signs and blanks removed; unparseable: null."""
    text = pl.col(column).str.replace_all(r"[,£\s]", "")
    return text.cast(pl.Float64, strict=False).alias(column)


def _summed(columns: list[str]) -> pl.Expr:
    """Sum of the columns; null only when all of them are missing."""
    present = pl.sum_horizontal(pl.col(c).is_not_null() for c in columns)
    return pl.when(present > 0).then(pl.sum_horizontal(columns))


def site_table(sites: pl.DataFrame, mapping: dict[str, Any]) -> pl.DataFrame:
    """One row per site: floor area, kWh per carrier, tonnes per route, food waste, meals."""
    return sites.select(
        pl.col(mapping["id_column"]).alias("site"),
        pl.col(mapping["name_column"]).alias("name"),
        pl.col(mapping["trust_column"]).alias("trust"),
        pl.col(mapping["floor_area_m2"]).alias("floor_area_m2"),
        *[_summed(c).alias(f"energy:{k}") for k, c in mapping["energy_kwh"].items()],
        *[_summed(c).alias(f"waste:{k}") for k, c in mapping["waste_tonnes"].items()],
        pl.col(mapping["food_waste_total"]).alias("food_t"),
        *[pl.col(c).alias(f"cause:{k}") for k, c in mapping["food_waste_causes"].items()],
        pl.col(mapping["meals"]).alias("meals"),
    )


def modified_z(values: pl.Expr, candidates: pl.Expr) -> pl.Expr:
    """0.6745 (log10 x - median) / MAD over the candidate rows (Iglewicz and Hoaglin)."""
    logs = pl.when(candidates).then(values.log10())
    deviation = logs - logs.median()
    return 0.6745 * deviation / deviation.abs().median()


def theme_flag(total: pl.Expr, intensity: pl.Expr, threshold: float, base: pl.Expr) -> pl.Expr:
    """ok, or the first reason the theme's figure is left out of the percentiles."""
    candidate = (base == OK) & total.is_not_null() & (total > 0) & intensity.is_not_null()
    return (
        pl.when(base != OK).then(base)
        .when(total.is_null()).then(pl.lit("not_reported"))
        .when(total == 0).then(pl.lit("zero_reported"))
        .when(intensity.is_null()).then(pl.lit("no_meals"))
        .when(modified_z(intensity, candidate).abs() > threshold).then(pl.lit("outlier"))
        .otherwise(pl.lit(OK))
    )  # fmt: skip


def intensities(table: pl.DataFrame, mapping: dict[str, Any]) -> pl.DataFrame:
    """Add the theme totals and intensities: kWh and kg per m2, g food waste per meal."""
    area = pl.col("floor_area_m2")
    totals = table.with_columns(
        energy_kwh=_summed([f"energy:{k}" for k in mapping["energy_kwh"]]),
        waste_t=_summed([f"waste:{k}" for k in mapping["waste_tonnes"]]),
        causes_t=_summed([f"cause:{k}" for k in mapping["food_waste_causes"]]),
    )
    meals = pl.col("meals")
    return totals.with_columns(
        energy_kwh_per_m2=pl.col("energy_kwh") / area,
        waste_kg_per_m2=pl.col("waste_t") * 1000 / area,
        food_g_per_meal=pl.when(meals > 0).then(pl.col("food_t") * 1e6 / meals),
    )


def flag_sites(table: pl.DataFrame, mapping: dict[str, Any]) -> pl.DataFrame:
    """Add totals, intensities and a flag per theme (energy, waste, food, causes)."""
    threshold, tolerance = mapping["outliers"]["threshold"], mapping["outliers"]["cause_tolerance"]
    area = pl.col("floor_area_m2")
    base = pl.when(area.is_null() | (area <= 0)).then(pl.lit("no_floor_area")).otherwise(pl.lit(OK))
    col = pl.col
    flagged = intensities(table, mapping).with_columns(
        energy_flag=theme_flag(col("energy_kwh"), col("energy_kwh_per_m2"), threshold, base),
        waste_flag=theme_flag(col("waste_t"), col("waste_kg_per_m2"), threshold, base),
        food_flag=theme_flag(col("food_t"), col("food_g_per_meal"), threshold, pl.lit(OK)),
    )
    gap = (col("causes_t") - col("food_t")).abs() / col("food_t")
    consistent = (col("causes_t") > 0) & (gap <= tolerance)
    no_food = col("food_t").is_null() | (col("food_t") == 0)
    return flagged.with_columns(
        cause_flag=pl.when(no_food).then(col("food_flag"))
        .when(~consistent).then(pl.lit("causes_inconsistent"))
        .otherwise(pl.lit(OK))
    )  # fmt: skip


def _long(
    flagged: pl.DataFrame, indicator: str, unit: str, values: dict, flag: str
) -> pl.DataFrame:
    """Peer-form rows of one indicator: one per site and category (None: the total)."""
    parts = [
        flagged.select(
            pl.col("site").alias("institution"), "name",
            pl.lit(indicator).alias("indicator"), pl.lit(category, pl.String).alias("category"),
            expression.cast(pl.Float64).alias("value"), pl.lit(unit).alias("unit"),
            pl.col(flag).alias("flag"),
        )
        for category, expression in values.items()
    ]  # fmt: skip
    return pl.concat(parts)


def peer_form(flagged: pl.DataFrame, mapping: dict[str, Any]) -> pl.DataFrame:
    """The sites as benchmark peer rows: energy and waste per m2, food waste by cause and meal."""
    area = pl.col("floor_area_m2")
    energy = {k: pl.col(f"energy:{k}") / area for k in mapping["energy_kwh"]}
    waste = {k: pl.col(f"waste:{k}") * 1000 / area for k in mapping["waste_tonnes"]}
    causes = {
        k: pl.col(f"cause:{k}") / pl.col("causes_t") * 100 for k in mapping["food_waste_causes"]
    }
    rows = pl.concat(
        [
            _long(flagged, "energy.kwh_per_m2", "kWh/m2/yr",
                  {None: pl.col("energy_kwh_per_m2"), **energy}, "energy_flag"),
            _long(flagged, "waste.kg_per_m2", "kg/m2/yr",
                  {None: pl.col("waste_kg_per_m2"), **waste}, "waste_flag"),
            _long(flagged, "food_waste.g_per_meal", "g/meal",
                  {None: pl.col("food_g_per_meal")}, "food_flag"),
            _long(flagged, "food_waste.cause_share_pct", "%", causes, "cause_flag"),
        ]
    )  # fmt: skip
    return rows.with_columns(
        peer_set=pl.lit(mapping["peer_set"]),
        included=(pl.col("flag") == OK) & pl.col("value").is_not_null(),
    ).select("peer_set", "institution", "name", "indicator", "category", "value", "unit", "flag",
             "included")  # fmt: skip


def import_eric(path: Path, mapping: dict[str, Any] | None = None) -> EricImport:
    """Read ERIC_Site.csv into the peer form, with flags and a report of what was done."""
    mapping = mapping or load_mapping()
    sites, counts = read_sites(path, mapping)
    flagged = flag_sites(site_table(sites, mapping), mapping)
    peers = peer_form(flagged, mapping)
    report = {
        "file": str(path),
        "source": mapping["source"],
        **counts,
        **{f"{theme}_flags": _flag_counts(flagged, f"{theme}_flag")
           for theme in ("energy", "waste", "food", "cause")},
    }  # fmt: skip
    return EricImport(peers, flagged, report)


def _flag_counts(flagged: pl.DataFrame, column: str) -> dict[str, int]:
    counts = flagged[column].value_counts()
    return dict(sorted(zip(counts[column].to_list(), counts["count"].to_list(), strict=True)))
