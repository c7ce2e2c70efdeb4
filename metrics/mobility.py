"""Mobility: commuting and business travel, aggregated so that no person can be traced.

Personal data rule (sources.md; metrics/disclosure.yaml): every figure is computed on
full data (department and division totals and shares include every group, however
small), then released through ``metrics.disclosure``, which suppresses the cells of
fewer than 5 people and as many further cells as it takes so that no suppressed cell
can be derived by addition or subtraction. Every mobility row carries ``people``, the
number of distinct people behind it, and rows under the minimum are dropped as a last
guard. Personnel numbers never leave here.
"""

from __future__ import annotations

import polars as pl

from groendraad.metrics import disclosure
from groendraad.metrics.factors import apply_factors, factor_table
from groendraad.metrics.shape import (
    DEPARTMENT,
    DIVISION,
    INSTITUTION,
    MEASURED,
    MISSING,
    conform_long,
    period_of_month,
)

_FLAGS = {
    "green_people": "green",
    "near_people": "near",
    "near_green_people": "near_green",
}
_COUNTS = list(_FLAGS)
_LEVEL_KEYS = {
    DEPARTMENT: ["period", "department", "division"],
    DIVISION: ["period", "division"],
    INSTITUTION: ["period"],
}


def _people_rows(frame: pl.LazyFrame, organisation: pl.LazyFrame) -> pl.LazyFrame:
    """Person (or trip) rows with period and the department's division."""
    divisions = organisation.select("month", "department", "division").unique(
        ["month", "department"]
    )
    return frame.join(divisions, on=["month", "department"], how="left").with_columns(
        period_of_month(pl.col("month"))
    )


def _aggregate(rows: pl.LazyFrame, sums: list[str], *, people: pl.Expr) -> pl.LazyFrame:
    """people, counts and sums per level, with and without the mode split (category).

    Every level sums every row (full data); ``disclosure`` decides what is published.
    """
    rows = rows.collect().lazy()
    aggregates = [
        people.alias("people"),
        *[pl.col(c).sum() for c in [*_COUNTS, *sums]],
        pl.col("factor_ref").drop_nulls().unique().sort().alias("factors"),
        pl.col("unfactored").any(),
    ]
    parts = []
    for level, keys in _LEVEL_KEYS.items():
        selected = rows
        # a department without a division counts for itself and the institution only
        required = {DEPARTMENT: "department", DIVISION: "division"}.get(level)
        if required:
            selected = selected.filter(pl.col(required).is_not_null())
        for split in ([], ["mode"]):
            grouped = selected.group_by(*keys, *split).agg(aggregates)
            parts.append(
                grouped.with_columns(
                    level=pl.lit(level),
                    method=pl.lit("sum"),
                    category=pl.col("mode") if split else pl.lit(None, pl.String),
                )
            )
    # small once aggregated: collect so the metrics below do not recompute it each
    return pl.concat(parts, how="diagonal").collect().lazy()


def _per_group(persons: pl.LazyFrame, sums: list[str]) -> pl.LazyFrame:
    """Commuters (one row each) counted per department x mode: counts add up exactly."""
    return persons.group_by("period", "department", "division", "mode").agg(
        pl.len().alias("people"),
        *[pl.col(flag).sum().alias(count) for count, flag in _FLAGS.items()],
        *[pl.col(c).sum() for c in sums],
        pl.col("factor_ref").first(),
        pl.col("factor").is_null().any().alias("unfactored"),
    )


def _long(wide: pl.LazyFrame, metric: str, value: pl.Expr, people: str, totals_only: bool):
    """Long rows of one metric from the aggregated frame.

    Emission figures of a group with a mode that has no factor are marked incomplete.
    """
    rows = wide.filter(pl.col("category").is_null()) if totals_only else wide
    unfactored = pl.col("unfactored") & pl.lit("co2e" in metric)
    return conform_long(
        rows.with_columns(
            metric=pl.lit(metric),
            value=value.cast(pl.Float64),
            people=pl.col(people).cast(pl.Int64),
            qbits=pl.when(unfactored).then(MEASURED | MISSING).otherwise(MEASURED),
        )
    )


def _commuting_groups(
    commuting: pl.LazyFrame,
    organisation: pl.LazyFrame,
    factors: pl.DataFrame,
    parameters: dict,
    years: list[int],
) -> pl.LazyFrame:
    """Commuters with CO2e and green / near-home flags, aggregated to every level."""
    persons = apply_factors(
        _people_rows(commuting, organisation),
        factor_table(factors, "commuting_mode", years),
        activity_column="mode",
    ).with_columns(
        co2e_kg=pl.col("commute_km") * pl.col("factor"),
        green=pl.col("mode").is_in(parameters["green_modes"]),
        near=pl.col("one_way_km") <= parameters["near_home_km"],
    )
    persons = persons.with_columns(near_green=pl.col("near") & pl.col("green"))
    sums = ["commute_km", "co2e_kg"]
    return _aggregate(_per_group(persons, sums), sums, people=pl.col("people").sum())


def commuting_metrics(
    commuting: pl.LazyFrame,
    organisation: pl.LazyFrame,
    factors: pl.DataFrame,
    parameters: dict,
    years: list[int],
) -> pl.LazyFrame:
    """Commuting km and CO2e by mode, green shares, and scope 3 category 7."""
    wide = _commuting_groups(commuting, organisation, factors, parameters, years)
    share = pl.when(pl.col("people") > 0).then(pl.col("green_people") / pl.col("people") * 100)
    near, near_green = pl.col("near_people"), pl.col("near_green_people")
    near_share = pl.when(near > 0).then(near_green / near * 100)
    institution = wide.filter(pl.col("level") == INSTITUTION)
    parts = [
        _long(wide, "mobility.commuting_km", pl.col("commute_km"), "people", False),
        _long(wide, "mobility.commuting_co2e_kg", pl.col("co2e_kg"), "people", False),
        _long(wide, "co2e.scope3_commuting_kg", pl.col("co2e_kg"), "people", True),
        _long(wide, "mobility.green_share_pct", share, "people", True),
        _long(wide, "mobility.green_share_near_home_pct", near_share, "near_people", True),
        _long(institution, "mobility.commuters_near_home", near, "near_people", True),
        _long(
            institution,
            "mobility.green_commuters_near_home",
            near_green,
            "near_green_people",
            True,
        ),  # fmt: skip
    ]
    cells = disclosure.commuting_cells(wide.collect(), parameters["green_modes"])
    return _released(pl.concat(parts, how="vertical"), "commuting", cells)


def _travel_activity(parameters: dict) -> pl.Expr:
    """The factor activity of a trip: flight band and cabin class, train country, or mode."""
    bands = parameters["flight_bands"]
    km = pl.col("distance_km")
    band = (
        pl.when(km <= bands["domestic_max_km"])
        .then(pl.lit("domestic"))
        .when(km <= bands["short_haul_max_km"])
        .then(pl.lit("short haul"))
        .otherwise(pl.lit("long haul"))
    )
    cabin = _cabin_class(parameters, band)
    flight = pl.format("Vliegtuig ({})", band)
    flight = (
        pl.when(cabin.is_null())
        .then(flight)
        .otherwise(pl.format("Vliegtuig ({}, {})", band, cabin))
    )
    abroad = pl.col("destination").is_in(parameters["rail_abroad_destinations"])
    train = pl.when(abroad).then(pl.lit("Trein (buitenland)")).otherwise(pl.lit("Trein (NL)"))
    mode = pl.col("mode")
    return (
        pl.when(mode == "Vliegtuig").then(flight).when(mode == "Trein").then(train).otherwise(mode)
    )


def _cabin_class(parameters: dict, band: pl.Expr) -> pl.Expr:
    """The DESNZ cabin class of a flight (null: average passenger), by band."""
    delivered = pl.col("travel_class").fill_null("").str.to_lowercase()
    cabin = pl.lit(None, pl.String)
    for prefix, name in reversed(parameters["flight_classes"].items()):
        cabin = pl.when(delivered.str.starts_with(prefix)).then(pl.lit(name)).otherwise(cabin)
    short = cabin.replace(parameters["flight_classes_short_haul"])
    return (
        pl.when(band == "domestic")
        .then(pl.lit(None, pl.String))
        .when(band == "short haul")
        .then(short)
        .otherwise(cabin)
    )


def business_travel_metrics(
    trips: pl.LazyFrame,
    organisation: pl.LazyFrame,
    factors: pl.DataFrame,
    parameters: dict,
    years: list[int],
) -> pl.LazyFrame:
    """Business travel km and CO2e by mode, and scope 3 category 6."""
    rows = _people_rows(trips, organisation).with_columns(
        factor_activity=_travel_activity(parameters)
    )
    persons = apply_factors(
        rows,
        factor_table(factors, "business_travel_mode", years),
        activity_column="factor_activity",
    ).with_columns(
        co2e_kg=pl.col("distance_km") * pl.col("factor"),
        unfactored=pl.col("factor").is_null(),
        **{count: pl.lit(0, pl.Int64) for count in _COUNTS},
    )
    ids = pl.col("employee_id")
    wide = _aggregate(persons, ["distance_km", "co2e_kg"], people=ids.n_unique())
    parts = [
        _long(wide, "mobility.business_travel_km", pl.col("distance_km"), "people", False),
        _long(wide, "mobility.business_travel_co2e_kg", pl.col("co2e_kg"), "people", False),
        _long(wide, "co2e.scope3_business_travel_kg", pl.col("co2e_kg"), "people", True),
    ]
    cells = disclosure.travel_cells(wide.collect())
    return _released(pl.concat(parts, how="vertical"), "business_travel", cells)


def _released(
    rows: pl.LazyFrame, source: str, cells: tuple[pl.DataFrame, disclosure.Layout]
) -> pl.LazyFrame:
    """The rows disclosure control lets out; any row under the threshold dropped as a guard."""
    policy = disclosure.load_policy()
    hidden = disclosure.protect(*cells, policy.threshold)
    released = disclosure.release(rows, hidden, source, policy)
    return released.filter(pl.col("people") >= policy.threshold)
