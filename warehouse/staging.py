"""The staging layer: typed tables, one per source entity, partitioned by month.

Layout::

    staging/<table>/month=YYYY-MM/part-0.parquet

Each file carries in its Parquet metadata the source, month and the sha256 of the raw
delivery it was parsed from (and the run that staged it). Re-running a month replaces
that month's file (never appends). A source's tables are all written to temporary
files first and then moved into place under one commit point (warehouse/commit.py),
so a source that fails or is killed while being written changes none or all of its
tables.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from groendraad.months import Month
from groendraad.warehouse.commit import commit
from groendraad.warehouse.files import temporary_sibling
from groendraad.warehouse.schema import conform, table

PART = "part-0.parquet"


def as_staged(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` as table ``name`` is staged: conformed to tables.yaml and sorted on its
    key, so the same delivery always gives the same table content."""
    key = list(table(name).key)
    conformed = conform(name, frame)
    return conformed.sort(key, nulls_last=True) if key else conformed


def table_dir(root: Path, name: str) -> Path:
    return root / "staging" / name


def month_file(root: Path, name: str, month: Month) -> Path:
    return table_dir(root, name) / f"month={month}" / PART


def write_source_month(
    root: Path,
    month: Month,
    frames: dict[str, pl.DataFrame],
    delivery_sha256: str,
    run_id: str | None = None,
) -> dict[str, int]:
    """Write all tables of one source-month as one publication; return rows per table.

    Frames are conformed to tables.yaml and sorted on their key first, so the same
    delivery always gives the same table content. Every table is written to a
    temporary file, then all are renamed into place under one commit point
    (warehouse/commit.py): a crash leaves all the old tables or all the new ones.
    """
    metadata = {
        "groendraad.month": str(month),
        "groendraad.delivery_sha256": delivery_sha256,
        "groendraad.written_at": datetime.now(UTC).isoformat(),
        **({"groendraad.run_id": run_id} if run_id else {}),
    }
    prepared: list[tuple[Path, Path]] = []
    rows: dict[str, int] = {}
    try:
        for name, frame in frames.items():
            spec = table(name)
            conformed = as_staged(name, frame)
            final = month_file(root, name, month)
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = temporary_sibling(final)
            prepared.append((tmp, final))
            _write_parquet(conformed, tmp, {**metadata, "groendraad.source": spec.source})
            rows[name] = conformed.height
        commit(root, "staging", prepared)
    finally:
        for tmp, _ in prepared:
            tmp.unlink(missing_ok=True)
    return rows


def _write_parquet(frame: pl.DataFrame, path: Path, metadata: dict[str, str]) -> None:
    arrow = frame.to_arrow()
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), **metadata})
    pq.write_table(arrow, path, compression="zstd")
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def read_month(root: Path, name: str, month: Month) -> pl.DataFrame:
    """One month of a staging table (raises FileNotFoundError if it was never staged)."""
    return pl.read_parquet(month_file(root, name, month))


def scan(root: Path, name: str) -> pl.LazyFrame:
    """All staged months of a table, with the ``month`` partition as a column."""
    pattern = str(table_dir(root, name) / "month=*" / PART)
    return pl.scan_parquet(pattern, hive_partitioning=True)


def staged_months(root: Path, name: str) -> list[Month]:
    base = table_dir(root, name)
    found = [p.parent.name.removeprefix("month=") for p in base.glob(f"month=*/{PART}")]
    return sorted(Month.parse(m) for m in found)


def file_metadata(path: Path) -> dict[str, str]:
    raw = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in raw.items() if k.startswith(b"groendraad.")}
