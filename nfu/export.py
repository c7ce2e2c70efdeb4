"""``groendraad export nfu``: one institution's months as a contract-bound Parquet file.

What goes in (decided here, documented in nfu/README.md):

- the current version of every month's published figures (``read_metrics``), for the
  metrics the contract lists, at institution level and at division level where the
  contract allows it. Department rows stay home: they are the institution's internal
  breakdown, their names differ per UMC and small departments come close to persons.
- activity data beside every CO2e figure (the contract's recompute section names the
  pairs), so a reader can recompute CO2e on other factors.
- the denominators (FTE, m2, bed-days, meals, operations, ...) from the key_figures
  staging table, one row per month.
- no personal data: only the contract's columns are written (no personnel numbers,
  no department), and a people-based figure under ``min_group_size`` people is dropped
  here even though the metrics layer never publishes one.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from groendraad.errors import GroendraadError
from groendraad.metrics import read_metrics
from groendraad.metrics.disclosure import (
    guard_personal_data,
    personnel_numbers,
    small_group_filter,
)
from groendraad.months import Month
from groendraad.nfu.contract import Contract, load_contract
from groendraad.warehouse import staging
from groendraad.warehouse.files import write_atomic

KEY_FIGURES = {
    "fte": "context.fte",
    "bed_days": "context.bed_days",
    "admissions": "context.admissions",
    "operations": "context.operations",
    "outpatient_visits": "context.outpatient_visits",
    "meals": "context.meals",
    "floor_area_m2": "context.floor_area_m2",
}


@dataclass(frozen=True)
class ExportResult:
    """Where the export went, what it holds and how long it took."""

    path: Path
    rows: int
    months: list[Month]
    dropped_small_groups: int
    seconds: float


def published_rows(metrics: pl.DataFrame, months: list[Month], contract: Contract) -> pl.DataFrame:
    """The contract's metrics and levels of ``months``, in contract columns."""
    rules = contract.rules_frame().select("metric", "level", "kind", pl.col("unit").alias("c_unit"))
    periods = [m.first_day for m in months]
    picked = metrics.filter(
        pl.col("period").is_in(periods)
        & ~((pl.col("theme") == "context") & (pl.col("level") == "institution"))
    ).join(rules, on=["metric", "level"], how="inner")
    drift = picked.filter(pl.col("unit") != pl.col("c_unit"))
    if drift.height:
        row = drift.row(0, named=True)
        raise GroendraadError(
            f"metric {row['metric']} is published in {row['unit']!r}, the NFU "
            f"contract says {row['c_unit']!r}: update nfu/contract.yaml first"
        )
    return picked.with_columns(metrics_version=pl.col("version"))


def denominator_rows(
    key_figures: pl.DataFrame, institution: str, months: list[Month]
) -> pl.DataFrame:
    """Long rows of the key figures, one per denominator and month (missing: null)."""
    wanted = pl.DataFrame({"period": [m.first_day for m in months]}, schema={"period": pl.Date})
    present = wanted.join(key_figures.select("period", *KEY_FIGURES), on="period", how="left")
    long = present.unpivot(index="period", variable_name="column", value_name="value")
    return long.select(
        pl.lit(institution).alias("institution"),
        "period",
        pl.lit("institution").alias("level"),
        pl.lit(None, pl.String).alias("division"),
        pl.col("column").replace_strict(KEY_FIGURES).alias("metric"),
        pl.col("value").cast(pl.Float64),
        pl.when(pl.col("value").is_null())
        .then(pl.lit("missing"))
        .otherwise(pl.lit("measured"))
        .alias("quality"),
        pl.when(pl.col("value").is_null())
        .then(pl.format("reference {}: not delivered", pl.col("period").dt.strftime("%Y-%m")))
        .alias("quality_reason"),
        pl.lit("delivered").alias("method"),
    )


def build_export(
    metrics: pl.DataFrame,
    key_figures: pl.DataFrame,
    institution: str,
    months: list[Month],
    contract: Contract | None = None,
) -> tuple[pl.DataFrame, int]:
    """The export rows (contract columns and types) and the number of small groups dropped."""
    contract = contract or load_contract()
    rules = contract.rules_frame().select("metric", "level", "theme", "unit", "kind")
    figures = published_rows(metrics, months, contract).drop("theme", "unit", "kind")
    denominators = denominator_rows(key_figures, institution, months)
    both = pl.concat(
        [
            figures.join(rules, on=["metric", "level"]),
            denominators.join(rules, on=["metric", "level"]),
        ],
        how="diagonal_relaxed",
    ).with_columns(institution=pl.lit(institution))
    small = small_group_filter(contract.min_group_size)
    dropped = both.filter(small).height
    kept = both.filter(~small).select(
        pl.col(name).cast(dtype) for name, dtype in contract.polars_schema().items()
    )
    return kept.sort("period", "level", "division", "metric", "category", nulls_last=False), dropped


def export_metadata(
    frame: pl.DataFrame, metrics: pl.DataFrame, name: str, contract: Contract
) -> dict[str, str]:
    """The file metadata the contract requires."""
    periods = sorted(set(frame["period"].to_list()))
    used = metrics.filter(pl.col("period").is_in(periods))
    return {
        "nfu.schema_version": contract.schema_version,
        "nfu.institution": frame["institution"][0],
        "nfu.institution_name": name,
        "nfu.period_first": str(Month.of(periods[0])),
        "nfu.period_last": str(Month.of(periods[-1])),
        "nfu.months": ",".join(str(Month.of(p)) for p in periods),
        "nfu.factor_set": ";".join(sorted(used["factor_set"].drop_nulls().unique())),
        "nfu.gwp_set": contract.gwp_set,
        "nfu.method_version": ";".join(sorted(used["method_version"].drop_nulls().unique())),
        "nfu.min_group_size": str(contract.min_group_size),
        "nfu.generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "nfu.generator": f"groendraad {version('groendraad')}",
    }


def write_export(
    frame: pl.DataFrame, metadata: dict[str, str], path: Path, contract: Contract
) -> Path:
    """Write atomically with the contract's exact Arrow schema and the metadata."""
    table = frame.to_arrow().cast(contract.arrow_schema())
    table = table.replace_schema_metadata(metadata)
    write_atomic(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))
    return path


def export_file_name(institution: str, months: list[Month], contract: Contract) -> str:
    """``nfu-export_<institution>_<YYYY>`` for a calendar year, else ``..._<first>_<last>``."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", institution)
    whole_year = [m.month for m in months] == list(range(1, 13))
    period = str(months[0].year) if whole_year else f"{months[0]}_{months[-1]}"
    return contract.file_name.format(institution=safe, period=period)


def select_months(
    metrics: pl.DataFrame, root: Path, year: int | None, months: list[Month] | None
) -> list[Month]:
    """The asked months, all of which must be published; or the published months of ``year``."""
    published = {Month.of(p) for p in metrics["period"].unique().to_list()}
    if months:
        missing = sorted(set(months) - published)
        if missing:
            raise GroendraadError(
                f"{root}: month(s) not published: "
                f"{', '.join(map(str, missing))} (run and publish them first)"
            )
        return sorted(set(months))
    chosen = sorted(m for m in published if m.year == year)
    if not chosen:
        raise GroendraadError(f"{root}: no published month in {year}")
    return chosen


def export_warehouse(
    root: Path,
    institution: str,
    name: str,
    out_dir: Path,
    *,
    year: int | None = None,
    months: list[Month] | None = None,
    contract: Contract | None = None,
) -> ExportResult:
    """Export the published figures of ``year`` (or ``months``) of the warehouse at ``root``."""
    started = time.perf_counter()
    contract = contract or load_contract()
    metrics = read_metrics(root)
    if metrics.is_empty():
        raise GroendraadError(f"{root}: no published figures in marts/metrics (publish first)")
    others = sorted(set(metrics["institution"].unique()) - {institution})
    if others:
        raise GroendraadError(
            f"{root}: holds figures of {', '.join(others)}, not of {institution!r}"
        )
    chosen = select_months(metrics, root, year, months)
    frame, dropped = build_export(metrics, _key_figures(root), institution, chosen, contract)
    guard_personal_data(
        frame, personnel_numbers(root, chosen), "nfu_export", contract.min_group_size
    )
    metadata = export_metadata(frame, metrics, name, contract)
    path = write_export(
        frame, metadata, out_dir / export_file_name(institution, chosen, contract), contract
    )
    return ExportResult(path, frame.height, chosen, dropped, time.perf_counter() - started)


def _key_figures(root: Path) -> pl.DataFrame:
    if not staging.staged_months(root, "key_figures"):
        return pl.DataFrame(schema={"period": pl.Date, **dict.fromkeys(KEY_FIGURES, pl.Float64)})
    return staging.scan(root, "key_figures").select("period", *KEY_FIGURES).collect()
