"""All metrics of a set of months, from staging frames to the published long table.

``compute_metrics`` wires the themes (one function per theme, each frames -> frame),
adds the ratios, placeholders for what is missing, the CO2e totals, quality labels and
lineage, and returns the metrics table of CONTRACT.md without ``version`` and
``published_at`` (store.py adds those when it publishes).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import polars as pl

from groendraad.metrics import context, emissions, energy, gapfill, mobility, supplies, waste
from groendraad.metrics.allocation import floor_area_shares
from groendraad.metrics.catalogue import FIXED_SUFFIX, Catalogue
from groendraad.metrics.completeness import absent_tables, enforce, figure_gaps, other_reasons
from groendraad.metrics.factors import freeze
from groendraad.metrics.inputs import Inputs
from groendraad.metrics.lineage import delivery_lineage, flag_warnings, placeholders
from groendraad.metrics.shape import LEVELS, LONG_SCHEMA, conform_long, quality_label, ratio
from groendraad.months import Month

# (metric, numerator, denominator, scale)
RATIOS = [
    ("energy.total_mj_per_m2", "energy.total_gj", "context.floor_area_m2", 1000.0),
    ("energy.electricity_kwh_per_fte", "energy.electricity_kwh", "context.fte", 1.0),
    ("waste.residual_share_pct", "waste.residual_kg", "waste.total_kg", 100.0),
    ("waste.recycled_share_pct", "waste.recycled_kg", "waste.total_kg", 100.0),
    ("waste.kg_per_bed_day", "waste.total_kg", "context.bed_days", 1.0),
    ("food_waste.g_per_meal", "food_waste.total_kg", "context.meals", 1000.0),
    ("disposables.reusable_share_pct", "disposables.reusable_pieces", "disposables.pieces", 100.0),
    ("medicine_waste.eur_per_1000_bed_days", "medicine_waste.eur", "context.bed_days", 1000.0),
    ("medicine_waste.units_per_1000_bed_days", "medicine_waste.units", "context.bed_days", 1000.0),
]

CONTRACT_SCHEMA = pl.Schema(
    {
        "institution": pl.String(),
        "period": pl.Date(),
        "metric": pl.String(),
        "theme": pl.String(),
        "level": pl.String(),
        "department": pl.String(),
        "division": pl.String(),
        "category": pl.String(),
        "value": pl.Float64(),
        "unit": pl.String(),
        "quality": pl.String(),
        "quality_reason": pl.String(),
        "method": pl.String(),
        "people": pl.Int64(),
        "deliveries": pl.String(),
        "factor_set": pl.String(),
        "factors": pl.String(),
        "method_version": pl.String(),
    }
)
SORT_KEY = ["period", "metric", "level_order", "division", "department", "category"]


def theme_rows(
    inputs: Inputs, catalogue: Catalogue, factors: pl.DataFrame, fixed_year: int | None = None
) -> pl.DataFrame:
    """The long rows of every theme (before ratios, placeholders and totals).

    With ``fixed_year`` the CO2e rows are computed a second time on that year's
    factors (factors.freeze) and published as the ``co2e.*_fixed_kg`` twins.
    """
    params, years = catalogue.parameters, sorted({m.year for m in inputs.months})
    organisation = inputs["organisation"]
    shares = floor_area_shares(organisation).collect().lazy()
    building = energy.building_energy(
        inputs["energy_readings"], inputs["energy_meters"], params["estimated_interval_share"]
    )
    building = building.collect().lazy()
    parts = [
        context.context_metrics(inputs["key_figures"], organisation),
        energy.energy_metrics(building, shares, factors, params["total_energy_carriers"], years),
        waste.waste_metrics(inputs["waste_collections"], params),
        waste.food_waste_metrics(inputs["food_waste_events"]),
        supplies.disposables_metrics(inputs["disposables_issues"]),
        supplies.medicine_metrics(inputs["medicine_waste"], organisation, params),
        *_emission_parts(inputs, building, shares, factors, params, years),
    ]
    if fixed_year is not None:
        frozen = _emission_parts(
            inputs, building, shares, freeze(factors, fixed_year), params, years
        )
        parts += [_as_fixed(part) for part in frozen]
    return pl.concat(pl.collect_all(parts), how="vertical")


def _emission_parts(
    inputs: Inputs,
    building: pl.LazyFrame,
    shares: pl.LazyFrame,
    factors: pl.DataFrame,
    params: dict,
    years: list[int],
) -> list[pl.LazyFrame]:
    """Every part whose figures depend on emission factors."""
    organisation = inputs["organisation"]
    return [
        emissions.energy_emissions(building, shares, factors, params, years),
        emissions.waste_emissions(inputs["waste_collections"], factors, years),
        mobility.commuting_metrics(inputs["commuting"], organisation, factors, params, years),
        mobility.business_travel_metrics(
            inputs["business_travel"], organisation, factors, params, years
        ),
    ]


def _as_fixed(part: pl.LazyFrame) -> pl.LazyFrame:
    """The CO2e rows of ``part`` renamed to their fixed-factor twins."""
    co2e = part.filter(pl.col("metric").str.starts_with("co2e."))
    return co2e.with_columns(pl.col("metric").str.strip_suffix("_kg") + pl.lit(FIXED_SUFFIX))


def with_derived(
    rows: pl.DataFrame, catalogue: Catalogue, months: Collection[Month], staged: pl.DataFrame
) -> pl.DataFrame:
    """Add ratios, null rows for what is missing, and the CO2e totals."""
    lazy = rows.lazy()
    ratios = [ratio(lazy, n, d, m, scale=s) for m, n, d, s in RATIOS]
    rows = pl.concat([lazy, *ratios], how="vertical").collect()
    absent = placeholders(rows, catalogue, months, staged, skip=list(emissions.TOTALS))
    rows = pl.concat([rows, absent], how="vertical")
    totals = conform_long(emissions.co2e_totals(rows.lazy())).collect()
    return pl.concat([rows, totals], how="vertical")


def compute_metrics(
    inputs: Inputs,
    institution_id: str,
    *,
    catalogue: Catalogue,
    factors: pl.DataFrame,
    factor_set: str,
    warnings: Collection[tuple[str, Month]] = frozenset(),
    **completeness: Any,
) -> pl.DataFrame:
    """The metrics table (CONTRACT.md) for ``inputs.months``, without version columns.

    ``completeness``: see :func:`compute_with_estimates`.
    """
    figures, _ = compute_with_estimates(
        inputs,
        institution_id,
        catalogue=catalogue,
        factors=factors,
        factor_set=factor_set,
        warnings=warnings,
        **completeness,
    )
    return figures


def base_metrics(catalogue: Catalogue) -> set[str]:
    """Metrics computed from staging directly (not ratios or totals of other metrics)."""
    derived = {m for m, *_ in RATIOS} | set(emissions.TOTALS)
    return set(catalogue.metrics) - derived


def compute_with_estimates(
    inputs: Inputs,
    institution_id: str,
    *,
    catalogue: Catalogue,
    factors: pl.DataFrame,
    factor_set: str,
    warnings: Collection[tuple[str, Month]] = frozenset(),
    absent: pl.DataFrame | None = None,
    history: pl.DataFrame | None = None,
    gap_filling: str = gapfill.NONE,
    fixed_year: int | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(metrics table, gap-filling estimates) for ``inputs.months``.

    ``absent``: table, source, month, why of the inputs not staged (default: every
    table-month not staged, ``not delivered``); ``history``: published figures of
    other months (gap filling's base); ``gap_filling``: the method (gapfill.py);
    ``fixed_year`` adds the fixed-factor CO2e twins (``co2e.*_fixed_kg``).
    """
    rows = theme_rows(inputs, catalogue, factors, fixed_year)
    unknown = set(rows["metric"].unique()) - set(catalogue.metrics)
    if unknown:
        raise ValueError(f"metrics computed but not in the catalogue: {sorted(unknown)}")
    if absent is None:
        absent = absent_tables(inputs.staged(), inputs.months)
    gaps = figure_gaps(catalogue, absent)
    past = history if history is not None else pl.DataFrame(schema=LONG_SCHEMA)
    estimates = gapfill.estimate(rows, past, gaps, base_metrics(catalogue), gap_filling)
    rows = pl.concat([rows, gapfill.as_long(estimates)], how="vertical")
    rows = with_derived(rows, catalogue, inputs.months, inputs.staged())
    rows = enforce(flag_warnings(rows, catalogue, warnings), gaps)
    return publishable(rows, inputs, institution_id, catalogue, factor_set), estimates


def publishable(
    rows: pl.DataFrame,
    inputs: Inputs,
    institution_id: str,
    catalogue: Catalogue,
    factor_set: str,
) -> pl.DataFrame:
    """Keep each metric's catalogue levels; add unit, theme, quality and lineage."""
    specs = catalogue.frame()
    lineage = delivery_lineage(inputs.deliveries, catalogue)
    factor_text = pl.col("factors").list.join(";")
    table = (
        rows.join(specs, on="metric", how="inner")
        .filter(pl.col("levels").list.contains(pl.col("level")))
        .join(lineage, on=["metric", "period"], how="left")
        .with_columns(
            institution=pl.lit(institution_id),
            quality=quality_label(pl.col("qbits"), pl.col("value")),
        )
        .with_columns(
            quality_reason=pl.coalesce(
                "quality_reason",
                other_reasons(pl.col("qbits"), pl.col("quality"), pl.col("method")),
            ),
            factor_set=pl.lit(factor_set),
            factors=pl.when(pl.col("factors").list.len() > 0).then(factor_text),
            method_version=pl.lit(catalogue.method_version),
            level_order=pl.col("level").replace_strict(
                {lvl: i for i, lvl in enumerate(LEVELS)}, return_dtype=pl.Int8
            ),
        )
    )
    ordered = table.sort(SORT_KEY, nulls_last=False)
    return ordered.select(pl.col(c).cast(t) for c, t in CONTRACT_SCHEMA.items())


__all__ = ["CONTRACT_SCHEMA", "LONG_SCHEMA", "compute_metrics"]
