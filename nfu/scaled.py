"""Scaled copies of an export: more institutions for demos, tests and timing.

The demo hospital has one (LUMC-like) size. ``scaled_copy`` turns one real export into
another institution of ``size`` times the size: every absolute figure (activity data,
CO2e, denominators, people counts) times ``size``; shares stay. ``intensity``
multiplies activity data and CO2e only, so normalised figures differ too. The copy
says so in its name; it is never a real institution's figure.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from groendraad.nfu.check import ExportFile
from groendraad.nfu.contract import Contract, load_contract
from groendraad.nfu.export import write_export


def scaled_frame(
    frame: pl.DataFrame, institution: str, size: float, intensity: float = 1.0
) -> pl.DataFrame:
    """The rows of another institution ``size`` times as large (``intensity`` on activity)."""
    factor = (
        pl.when(pl.col("kind").is_in(["activity", "co2e"])).then(size * intensity)
        .when(pl.col("kind").is_in(["denominator", "count"])).then(size)
        .otherwise(1.0)
    )  # fmt: skip
    people = (pl.col("people").cast(pl.Float64) * size).round().cast(pl.Int64)
    return frame.with_columns(
        institution=pl.lit(institution),
        value=pl.col("value") * factor,
        people=pl.max_horizontal(people, pl.lit(5, pl.Int64)).fill_null(pl.col("people")),
    )


def scaled_copy(
    export: ExportFile,
    out_dir: Path,
    institution: str,
    size: float,
    intensity: float = 1.0,
    contract: Contract | None = None,
) -> Path:
    """Write a scaled copy of ``export`` as ``institution`` into ``out_dir``."""
    contract = contract or load_contract()
    frame = scaled_frame(export.frame, institution, size, intensity)
    metadata = {
        **export.metadata,
        "nfu.institution": institution,
        "nfu.institution_name": f"{institution} (demo copy x{size:g})",
        "nfu.generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    name = export.path.name.replace(export.institution, institution, 1)
    return write_export(frame, metadata, out_dir / name, contract)
