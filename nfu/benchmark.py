"""``groendraad benchmark``: a fair comparison of several institutions' NFU exports.

1. read every export and check it against the contract (nfu/check.py);
2. merge them: one institution may come in several files, but a month only once;
3. recompute CO2e on one factor year (nfu/recompute.py);
4. compute the indicators (nfu/indicators.py): per FTE, per m2, per bed-day, shares;
5. rank: per indicator rank 1 is the best (by its direction) and the percentile says
   which share of the others an institution does better than (100: best of all);
   per theme, the mean percentile over the theme's indicators is its position.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from groendraad.errors import GroendraadError
from groendraad.metrics.emission_settings import EmissionSettings
from groendraad.nfu.check import ExportFile, read_export
from groendraad.nfu.contract import Contract, load_contract
from groendraad.nfu.indicators import (
    IndicatorSet,
    load_indicators,
    monthly_values,
    period_values,
    trend_values,
)
from groendraad.nfu.recompute import recompute_co2e


@dataclass(frozen=True)
class Benchmark:
    """The benchmark's tables, before they are written."""

    indicators: pl.DataFrame
    positions: pl.DataFrame
    trends: pl.DataFrame
    co2e: pl.DataFrame
    institutions: pl.DataFrame
    factor_year: int
    rows: pl.DataFrame


def export_paths(paths: list[Path]) -> list[Path]:
    """The files named, and the ``*.parquet`` files in the folders named, sorted."""
    found: list[Path] = []
    for path in paths:
        found += sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    if not found:
        raise GroendraadError(f"no export files in {', '.join(map(str, paths))}")
    return found


def merge_exports(files: list[ExportFile]) -> pl.DataFrame:
    """All rows; refuses the same institution-month in two files, naming both."""
    seen: dict[tuple[str, object], Path] = {}
    for export in files:
        for period in export.frame["period"].unique().to_list():
            key = (export.institution, period)
            if key in seen:
                raise GroendraadError(f"{export.path}: {export.institution} {period:%Y-%m} is "
                                      f"also in {seen[key]}: give each month once")  # fmt: skip
            seen[key] = export.path
    return pl.concat([export.frame for export in files], how="vertical")


def institutions_frame(files: list[ExportFile]) -> pl.DataFrame:
    """institution, name, factor_set, schema_version, file: one row per file."""
    return pl.DataFrame(
        [
            {"institution": f.institution, "name": f.metadata["nfu.institution_name"],
             "factor_set": f.metadata["nfu.factor_set"],
             "schema_version": f.metadata["nfu.schema_version"], "file": str(f.path)}
            for f in files
        ]
    )  # fmt: skip


def rank(values: pl.DataFrame, indicators: IndicatorSet) -> pl.DataFrame:
    """Add rank (1 = best), n and percentile (100 = better than all others) per indicator."""
    meta = indicators.frame()
    joined = values.join(meta, on="indicator", how="left")
    sign = pl.when(pl.col("direction") == "lower").then(-1.0).otherwise(1.0)
    # six significant digits: equal figures must tie, not rank on floating-point noise
    score = pl.col("value").round_sig_figs(6) * sign
    n = score.count().over("indicator")
    better_than = score.rank("average").over("indicator") - 1
    return joined.with_columns(
        rank=(-score).rank("min").over("indicator").cast(pl.Int32),
        n=n.cast(pl.Int32),
        percentile=pl.when(n > 1).then(better_than / (n - 1) * 100.0),
    )


def positions(ranked: pl.DataFrame) -> pl.DataFrame:
    """institution, theme, indicators, mean_percentile, rank: the position per theme."""
    judged = ranked.filter((pl.col("direction") != "none") & pl.col("percentile").is_not_null())
    grouped = judged.group_by("institution", "theme").agg(
        pl.len().cast(pl.Int32).alias("indicators"),
        pl.col("percentile").mean().alias("mean_percentile"),
    )
    return grouped.with_columns(
        rank=(-pl.col("mean_percentile")).rank("min").over("theme").cast(pl.Int32)
    ).sort("theme", "rank", "institution")


def compute_benchmark(
    files: list[ExportFile], factor_year: int | None = None, contract: Contract | None = None
) -> Benchmark:
    """Everything the benchmark writes, from checked exports."""
    contract = contract or load_contract()
    indicators = load_indicators()
    rows = merge_exports(files)
    year = factor_year or EmissionSettings().fixed_year  # the fixed factor year
    co2e = recompute_co2e(rows, year, contract)
    values = monthly_values(rows, co2e)
    per_period = pl.concat([period_values(values, i, contract) for i in indicators.indicators])
    institutions = institutions_frame(files)
    names = institutions.select("institution", "name").unique("institution")
    ranked = rank(per_period, indicators).join(names, on="institution", how="left")
    trends = pl.concat(
        [trend_values(values, i) for i in indicators.indicators if i.id in indicators.trends]
    ).join(names, on="institution", how="left")
    return Benchmark(
        ranked.sort("theme", "indicator", "rank", "institution"),
        positions(ranked).join(names, on="institution", how="left"),
        trends.sort("indicator", "institution", "period"),
        co2e, institutions, year, rows,
    )  # fmt: skip


def read_exports(paths: list[Path], contract: Contract | None = None) -> list[ExportFile]:
    """Read and check every export file (ContractError names the first bad one)."""
    contract = contract or load_contract()
    return [read_export(path, contract) for path in export_paths(paths)]
