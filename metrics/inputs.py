"""The staging tables a computation reads, lazily, and the deliveries behind them.

``load_inputs(root, months)`` gives one LazyFrame per staging table restricted to the
months asked for (an empty frame of the declared schema when nothing is staged), which
months each table has, and the sha256 of the raw delivery behind every staged
table-month (read from the Parquet file metadata ``groendraad.delivery_sha256``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from groendraad.months import Month
from groendraad.warehouse import staging
from groendraad.warehouse.schema import table, tables

SHA_KEY = "groendraad.delivery_sha256"


@dataclass(frozen=True)
class Inputs:
    """Staging tables (lazy, months filtered) and the deliveries they came from."""

    months: tuple[Month, ...]
    frames: dict[str, pl.LazyFrame]
    deliveries: pl.DataFrame  # table, source, month (YYYY-MM), sha256

    def __getitem__(self, name: str) -> pl.LazyFrame:
        return self.frames[name]

    def staged(self) -> pl.DataFrame:
        """table, source, month of every staged table-month in range."""
        return self.deliveries.select("table", "source", "month")


def all_staged_months(root: Path) -> list[Month]:
    """Every month any staging table holds."""
    found: set[Month] = set()
    for name in tables():
        found.update(staging.staged_months(root, name))
    return sorted(found)


def scan_table(root: Path, name: str, months: list[Month]) -> pl.LazyFrame:
    """A staging table for ``months`` with its ``month`` column; empty if never staged."""
    wanted = [str(m) for m in months]
    if not any(staging.month_file(root, name, m).exists() for m in months):
        schema = {**dict(table(name).schema), "month": pl.String()}
        return pl.LazyFrame(schema=schema)
    return staging.scan(root, name).filter(pl.col("month").is_in(wanted))


def delivery_hashes(root: Path, months: list[Month]) -> pl.DataFrame:
    """table, source, month, sha256 for every staged table-month among ``months``."""
    wanted = [(name, m) for name in tables() for m in months]
    present = [(n, m) for n, m in wanted if staging.month_file(root, n, m).exists()]

    def read(item: tuple[str, Month]) -> str:
        meta = staging.file_metadata(staging.month_file(root, item[0], item[1]))
        return meta.get(SHA_KEY, "")

    with ThreadPoolExecutor(max_workers=8) as pool:
        hashes = list(pool.map(read, present))
    return pl.DataFrame(
        {
            "table": [n for n, _ in present],
            "source": [table(n).source for n, _ in present],
            "month": [str(m) for _, m in present],
            "sha256": hashes,
        },
        schema={"table": pl.String, "source": pl.String, "month": pl.String, "sha256": pl.String},
    )


def load_inputs(root: Path, months: list[Month]) -> Inputs:
    """Everything the metrics of ``months`` are computed from."""
    frames = {name: scan_table(root, name, months) for name in tables()}
    return Inputs(tuple(sorted(months)), frames, delivery_hashes(root, months))
