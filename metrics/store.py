"""The published metrics table: immutable versions per month, current and as-of views.

Layout::

    <warehouse>/marts/metrics/period=YYYY-MM/v0001.parquet   each publication of a month
    <warehouse>/marts/metrics_current.parquet                the highest version per month

A version file is written under a temporary name and linked into place only if that
version does not exist yet (never overwritten), so a published version stays readable
exactly as it was. A run's new versions are linked under one commit point
(warehouse/commit.py, see publish.py): all of its months change, or none.
``read_metrics(as_of=X)`` gives, per month, the latest version published at or before
X ("as published on X"); without X the current figures.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from groendraad.metrics.compute import CONTRACT_SCHEMA
from groendraad.months import Month
from groendraad.warehouse.files import temporary_sibling, write_atomic

PUBLISHED_SCHEMA = pl.Schema(
    {**CONTRACT_SCHEMA, "version": pl.Int32(), "published_at": pl.Datetime("us", "UTC")}
)
KEY = ["period", "level", "department", "division", "metric", "category"]
_VERSION_FILE = re.compile(r"^v(\d+)\.parquet$")
_META_PUBLISHED = b"groendraad.published_at"


def metrics_dir(root: Path) -> Path:
    return root / "marts" / "metrics"


def current_file(root: Path) -> Path:
    return root / "marts" / "metrics_current.parquet"


def version_path(root: Path, period: Month, version: int) -> Path:
    return metrics_dir(root) / f"period={period}" / f"v{version:04d}.parquet"


def as_month(period: Month | str | date) -> Month:
    """A Month from a Month, ``YYYY-MM`` or a date."""
    if isinstance(period, Month):
        return period
    if isinstance(period, str):
        return Month.parse(period[:7])
    return Month(period.year, period.month)


def list_versions(root: Path, period: Month | None = None) -> pl.DataFrame:
    """period, version, published_at, rows, path of every published version, in order."""
    pattern = f"period={period}/v*.parquet" if period else "period=*/v*.parquet"
    records = []
    for path in metrics_dir(root).glob(pattern):
        match = _VERSION_FILE.match(path.name)
        if not match:
            continue
        meta = pq.read_metadata(path)
        stamp = (meta.metadata or {}).get(_META_PUBLISHED, b"").decode()
        records.append(
            {
                "period": Month.parse(path.parent.name.removeprefix("period=")).first_day,
                "version": int(match.group(1)),
                "published_at": datetime.fromisoformat(stamp),
                "rows": meta.num_rows,
                "path": str(path),
            }
        )
    schema = {
        "period": pl.Date,
        "version": pl.Int32,
        "published_at": pl.Datetime("us", "UTC"),
        "rows": pl.Int64,
        "path": pl.String,
    }
    return pl.DataFrame(records, schema=schema).sort("period", "version")


def write_version(
    root: Path, period: Month, figures: pl.DataFrame, version: int, published_at: datetime
) -> Path:
    """Write ``figures`` as ``version`` of ``period``; FileExistsError if it exists."""
    tmp, final = prepare_version(root, period, figures, version, published_at)
    try:
        os.link(tmp, final)  # fails if the version exists: published files never change
    finally:
        tmp.unlink(missing_ok=True)
    return final


def prepare_version(
    root: Path, period: Month, figures: pl.DataFrame, version: int, published_at: datetime
) -> tuple[Path, Path]:
    """Write ``figures`` as ``version`` of ``period`` under a temporary name beside its
    final place; (temporary, final). The caller links it into place (see publish)."""
    final = version_path(root, period, version)
    final.parent.mkdir(parents=True, exist_ok=True)
    table = figures.with_columns(
        version=pl.lit(version, pl.Int32), published_at=pl.lit(published_at).dt.cast_time_unit("us")
    ).select(pl.col(c).cast(t) for c, t in PUBLISHED_SCHEMA.items())
    arrow = table.to_arrow()
    stamp = {_META_PUBLISHED: published_at.isoformat().encode()}
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), **stamp})
    tmp = temporary_sibling(final)
    try:
        pq.write_table(arrow, tmp, compression="zstd")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, final


def conformed(frame: pl.DataFrame) -> pl.DataFrame:
    """A version in today's columns: columns added since it was written are null."""
    missing = [pl.lit(None, t).alias(c) for c, t in PUBLISHED_SCHEMA.items() if c not in frame]
    return frame.with_columns(missing).select(PUBLISHED_SCHEMA.names()) if missing else frame


def read_version(root: Path, period: Month | str | date, version: int) -> pl.DataFrame:
    """One published version of a month, exactly as written (in today's columns)."""
    return conformed(pl.read_parquet(version_path(root, as_month(period), version)))


def _selected(root: Path, as_of: datetime | None) -> pl.DataFrame:
    versions = list_versions(root)
    if as_of is not None:
        stamp = as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)
        versions = versions.filter(pl.col("published_at") <= stamp)
    return versions.sort("version").group_by("period").last().sort("period")


def read_metrics(root: Path, as_of: datetime | None = None) -> pl.DataFrame:
    """The metrics table: per month the highest version, or the one current on ``as_of``."""
    chosen = _selected(root, as_of)
    if chosen.is_empty():
        return pl.DataFrame(schema=PUBLISHED_SCHEMA)
    return pl.concat([conformed(pl.read_parquet(p)) for p in chosen["path"]], how="vertical")


def write_current(root: Path, current: pl.DataFrame | None = None) -> Path:
    """Refresh marts/metrics_current.parquet (the current view as one file); ``current``
    is ``read_metrics(root)`` when the caller has it already."""
    current = read_metrics(root) if current is None else current
    write_atomic(current_file(root), lambda tmp: current.write_parquet(tmp, compression="zstd"))
    return current_file(root)


def latest_version(versions: pl.DataFrame, period: Month) -> int:
    """The highest version of ``period`` in a list_versions frame (0: none yet)."""
    mine = versions.filter(pl.col("period") == period.first_day)["version"]
    return int(mine.max()) if mine.len() else 0  # type: ignore[arg-type]
