"""What the pages read: the published metrics and progress tables, shaped for charts.

Reads only the contract files (metrics/CONTRACT.md): ``marts/metrics_current.parquet``
(or the published versions through ``read_metrics``) and ``marts/progress.parquet``.
Everything is aggregated to months, so each page carries a few kB of data.

A *place* is where a figure belongs: ``Place("institution")``, ``Place("division",
division="Divisie 1")`` or ``Place("department", "Divisie 1", "KNO")``. What stays the
same for all places of a level - the unit shown, the number format, the order (and
so the colours) of a breakdown's categories - is decided once per metric and level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from groendraad.charts.common import number_format
from groendraad.charts.text import scaled_unit
from groendraad.metrics import load_catalogue, read_metrics
from groendraad.metrics.catalogue import Catalogue
from groendraad.metrics.progress import PROGRESS_SCHEMA, progress_file
from groendraad.metrics.windows import WINDOW_SCHEMA, windows, windows_file

COLUMNS = [
    "period",
    "metric",
    "level",
    "division",
    "department",
    "category",
    "value",
    "unit",
    "quality",
    "quality_reason",
]
MONTHS_IN_WINDOW = 12
MAX_PARTS = 8  # Okabe-Ito has eight colours; more parts are folded into "Other"


@dataclass(frozen=True)
class Place:
    """The institution, a division or a department."""

    level: str
    division: str | None = None
    department: str | None = None

    @property
    def name(self) -> str | None:
        return self.department or self.division


INSTITUTION = Place("institution")


@dataclass(frozen=True)
class Scale:
    """How a metric is shown at a level: unit (as published, maybe t for kg), divisor, format."""

    unit: str
    divisor: float
    fmt: str


@dataclass
class SiteData:
    """The metrics and progress tables, the catalogue, and the months they cover."""

    metrics: pl.DataFrame
    progress: pl.DataFrame
    catalogue: Catalogue
    institution: str
    published_at: datetime | None
    windows: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=WINDOW_SCHEMA))
    _places: dict[Place, pl.DataFrame] = field(default_factory=dict, repr=False)
    _windows: dict[Place, pl.DataFrame] = field(default_factory=dict, repr=False)
    _series: dict[tuple[str, Place], pl.DataFrame] = field(default_factory=dict, repr=False)
    _scales: dict[tuple[str, str], Scale] = field(default_factory=dict, repr=False)
    _parts: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict, repr=False)
    _memo: dict[tuple, Any] = field(default_factory=dict, repr=False)
    fixed_factor_year: int | None = None  # of the co2e.*_fixed_kg twins (decomposition mart)

    def memo(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per key: pages in both languages share their selections."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def months(self) -> list[date]:
        """Every month from the first to the last published one."""

        def compute() -> list[date]:
            periods = self.metrics["period"]
            if periods.is_empty():
                return []
            return pl.date_range(periods.min(), periods.max(), "1mo", eager=True).to_list()

        return list(self.memo(("months",), compute))

    @property
    def data_until(self) -> date | None:
        """The last month with any figure that is not missing."""

        def compute() -> date | None:
            known = self.metrics.filter(pl.col("value").is_not_null())["period"]
            return known.max() if not known.is_empty() else None  # type: ignore[return-value]

        return self.memo(("data_until",), compute)

    @property
    def end(self) -> date:
        """The month pages count back from (the last month with data)."""
        return self.data_until or (self.months[-1] if self.months else date.today())

    def places(self, level: str) -> list[Place]:
        """Every division or department with figures, sorted by division and name."""

        def compute() -> list[Place]:
            rows = self.metrics.filter(pl.col("level") == level)
            rows = rows.select("division", "department").unique()
            rows = rows.sort("division", "department", nulls_last=True)
            return [Place(level, d, p) for d, p in rows.iter_rows()]

        return list(self.memo(("places", level), compute))

    def at(self, place: Place) -> pl.DataFrame:
        """The rows of one place (partitioned once, so pages select from small frames)."""
        if not self._places and self.metrics.height:
            parts = self.metrics.partition_by(["level", "division", "department"], as_dict=True)
            self._places.update({Place(*key): frame for key, frame in parts.items()})  # type: ignore[misc]
        return self._places.get(place, self.metrics.clear())

    def window(self, metric: str, place: Place, end: date) -> dict[str, Any] | None:
        """The windows mart's row of ``metric`` at ``place`` for the 12 months to ``end``:
        last_12, previous_12, change_pct, estimated and missing months, reason."""
        if not self._windows and self.windows.height:
            parts = self.windows.partition_by(["level", "division", "department"], as_dict=True)
            self._windows.update({Place(*key): frame for key, frame in parts.items()})  # type: ignore[misc]
        frame = self._windows.get(place)
        if frame is None:
            return None
        rows = frame.filter((pl.col("metric") == metric) & (pl.col("period") == end))
        return rows.row(0, named=True) if rows.height else None

    def unit(self, metric: str) -> str:
        spec = self.catalogue.metrics.get(metric)
        return spec.unit if spec else ""

    def scale(self, metric: str, level: str) -> Scale:
        """The unit, divisor and format of ``metric`` on every page of ``level``."""
        key = (metric, level)
        if key not in self._scales:
            values = (
                self.metrics.filter((pl.col("metric") == metric) & (pl.col("level") == level))[
                    "value"
                ]
                .drop_nulls()
                .abs()
            )
            largest = values.max() if values.len() else None
            unit, divisor = scaled_unit(self.unit(metric), largest)  # type: ignore[arg-type]
            typical = values.filter(values > 0).median() if values.len() else None
            fmt = number_format(typical / divisor if typical is not None else None)  # type: ignore[operator]
            self._scales[key] = Scale(unit, divisor, fmt)
        return self._scales[key]

    def parts(self, metric: str, level: str) -> tuple[str, ...]:
        """A breakdown's categories at ``level``, largest first over the last 12 months;
        beyond ``MAX_PARTS - 1`` the rest is folded into Other (not listed here).
        """
        key = (metric, level)
        if key not in self._parts:
            start = months_back(self.end, MONTHS_IN_WINDOW - 1)
            rows = (
                self.metrics.filter(
                    (pl.col("metric") == metric)
                    & (pl.col("level") == level)
                    & pl.col("category").is_not_null()
                    & (pl.col("period") >= start)
                )
                .group_by("category")
                .agg(pl.col("value").abs().sum())
            )
            ranked = rows.sort(["value", "category"], descending=[True, False])["category"]
            keep = MAX_PARTS if ranked.len() <= MAX_PARTS else MAX_PARTS - 1
            self._parts[key] = tuple(ranked.head(keep).to_list())
        return self._parts[key]


def load(warehouse: Path) -> SiteData:
    """Read the published tables of ``warehouse`` (empty frames if nothing is published)."""
    current = warehouse / "marts" / "metrics_current.parquet"
    full = pl.read_parquet(current) if current.is_file() else read_metrics(warehouse)
    published = full["published_at"].max() if full.height else None
    institution = full["institution"][0] if full.height else ""
    path = progress_file(warehouse)
    progress = pl.read_parquet(path) if path.is_file() else pl.DataFrame(schema=PROGRESS_SCHEMA)
    path = windows_file(warehouse)
    marts = pl.read_parquet(path) if path.is_file() else windows(full)
    data = SiteData(
        full.select(COLUMNS),
        progress,
        load_catalogue(),
        institution,
        published,
        marts,  # type: ignore[arg-type]
    )
    data.fixed_factor_year = _fixed_factor_year(warehouse)
    return data


def _fixed_factor_year(warehouse: Path) -> int | None:
    """The fixed factor year the last publication used (marts/co2e_decomposition.parquet)."""
    path = warehouse / "marts" / "co2e_decomposition.parquet"
    if not path.is_file():
        return None
    years = pl.read_parquet(path, columns=["fixed_factor_year"])["fixed_factor_year"]
    return int(years.max()) if years.len() and years.max() is not None else None


def series(data: SiteData, metric: str, place: Place) -> pl.DataFrame:
    """period, value, quality, quality_reason of a metric's total at ``place``, every month.

    A month without a row is ``missing`` (value null), so gaps show as gaps; below the
    institution it carries the institution's reason when the institution's figure of
    that month is missing too (a refused delivery leaves no department rows).
    """
    key = (metric, place)
    if key not in data._series:
        rows = data.at(place).filter((pl.col("metric") == metric) & pl.col("category").is_null())
        calendar = pl.DataFrame({"period": data.months}, schema={"period": pl.Date})
        joined = calendar.join(
            rows.select("period", "value", "quality", "quality_reason"), on="period", how="left"
        )
        if place.level != "institution":
            top = data.at(INSTITUTION).filter(
                (pl.col("metric") == metric)
                & pl.col("category").is_null()
                & (pl.col("quality") == "missing")
            )
            top = top.select("period", pl.col("quality_reason").alias("top_reason"))
            joined = joined.join(top, on="period", how="left").with_columns(
                quality_reason=pl.coalesce("quality_reason", "top_reason")
            )
        quality = pl.when(pl.col("value").is_null()).then(pl.lit("missing"))
        data._series[key] = joined.with_columns(
            quality.otherwise(pl.col("quality")).alias("quality")
        ).select("period", "value", "quality", "quality_reason")
    return data._series[key]


def breakdown(data: SiteData, metric: str, place: Place) -> pl.DataFrame:
    """period, category, value, quality of a metric's breakdown rows at ``place``, every
    month present; categories beyond ``data.parts`` are folded into ``None`` (Other).
    """
    return data.memo(("breakdown", metric, place), lambda: _breakdown(data, metric, place))


def _breakdown(data: SiteData, metric: str, place: Place) -> pl.DataFrame:
    kept = list(data.parts(metric, place.level))
    rows = data.at(place).filter((pl.col("metric") == metric) & pl.col("category").is_not_null())
    rows = (
        rows.with_columns(
            pl.when(pl.col("category").is_in(kept)).then(pl.col("category")).alias("category")
        )
        .group_by("period", "category")
        .agg(pl.col("value").sum(), pl.col("quality").first())
    )
    calendar = pl.DataFrame({"period": data.months}, schema={"period": pl.Date})
    joined = calendar.join(rows, on="period", how="left")
    return joined.with_columns(pl.col("quality").fill_null("missing")).sort("period", "category")


def window_value(
    frame: pl.DataFrame, end: date, how: str, months: int = MONTHS_IN_WINDOW
) -> float | None:
    """The sum (or mean) of ``value`` over the ``months`` months ending in ``end``
    (``frame``: ``period`` or ``month``, and ``value``; small, so plain Python).
    """
    start = months_back(end, months - 1)
    column = "period" if "period" in frame.columns else "month"
    values = [
        v
        for m, v in zip(frame[column], frame["value"], strict=True)
        if v is not None and start <= m <= end
    ]
    if not values:
        return None
    return sum(values) / len(values) if how == "mean" else float(sum(values))


def months_back(day: date, count: int) -> date:
    """The first day of the month ``count`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)
