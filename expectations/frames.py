"""Small frames derived from a source-month, for the checks that need computing first.

Great Expectations checks columns of one frame. Checks such as "every meter has every
interval of every day" or "the month is within a factor 10 of the trailing 12 months"
first need a computation; each builder here does it in polars and returns a small
frame (one row per meter-day, per meter, per Totaal line ...) on which an ordinary GX
expectation then runs, so every result looks alike and locates its rows.

A suite's YAML names the builder (``frame: {name: meter_days}``) and its parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import polars as pl

from groendraad.expectations import history
from groendraad.months import LOCAL_TZ, Month
from groendraad.warehouse.schema import TableSpec, conform, table

LOCAL = str(LOCAL_TZ)


@dataclass(frozen=True)
class FrameContext:
    """What a builder may look at: the source-month's (conformed) tables and the warehouse."""

    table: str
    month: Month
    frames: dict[str, pl.DataFrame]
    warehouse: Path | None
    locate: tuple[str, ...]


@dataclass(frozen=True)
class Derived:
    """A frame to check, the columns that say where a row is, and what one row is."""

    frame: pl.DataFrame
    locate: tuple[str, ...]
    noun: str
    unchecked: str = "without a value"  # why a row with a null in the checked column is skipped


def schema_frame(spec: TableSpec, frame: pl.DataFrame) -> tuple[Derived, pl.DataFrame | None]:
    """One row per declared or delivered column with its problem (null when fine),
    and the frame conformed to tables.yaml (None when it cannot be)."""
    rows = []
    for column, dtype in spec.schema.items():
        delivered = frame.schema.get(column)
        problem = "missing" if delivered is None else _cast_problem(frame[column], dtype)
        rows.append((column, str(dtype), None if delivered is None else str(delivered), problem))
    for column in frame.columns:
        if column not in spec.schema:
            rows.append((column, None, str(frame.schema[column]), "not declared in tables.yaml"))
    checked = pl.DataFrame(
        rows, schema=["column", "declared", "delivered", "problem"], orient="row"
    ).cast(pl.String)
    fine = checked["problem"].null_count() == checked.height
    conformed = conform(spec.name, frame) if fine else None
    return Derived(checked, ("column", "declared", "delivered"), "columns"), conformed


def _cast_problem(series: pl.Series, dtype: pl.DataType) -> str | None:
    try:
        series.cast(dtype, strict=True)
    except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError) as exc:
        return f"cannot be read as {dtype}: {str(exc).splitlines()[0]}"
    return None


def meter_days(context: FrameContext) -> Derived:
    """Per meter and local day: intervals expected (DST-aware), with a value, missing."""
    readings = context.frames["energy_readings"]
    grid = _interval_grid(_meters(context), context.month)
    present = readings.filter(pl.col("value").is_not_null()).select("meter_id", "interval_start")
    present = present.unique().with_columns(pl.lit(True).alias("has_value"))
    grid = grid.join(present, on=["meter_id", "interval_start"], how="left")
    local = pl.col("interval_start").dt.convert_time_zone(LOCAL)
    gap = pl.col("has_value").is_null()
    days = grid.group_by("meter_id", local.dt.date().alias("day")).agg(
        pl.len().alias("expected_intervals"),
        pl.col("has_value").sum().alias("intervals_with_value"),
        local.filter(gap).min().dt.strftime("%H:%M %Z").alias("first_missing"),
    )
    days = days.with_columns(
        (pl.col("expected_intervals") - pl.col("intervals_with_value")).alias("missing_intervals")
    ).sort("meter_id", "day")
    locate = ("meter_id", "day", "first_missing", "expected_intervals")
    return Derived(days, locate, "meter-days")


def _meters(context: FrameContext) -> pl.DataFrame:
    """Every meter of the month with its interval: the meter list plus meters with readings."""
    columns = ["meter_id", "interval_minutes"]
    found = [context.frames["energy_readings"].select(columns)]
    if "energy_meters" in context.frames:
        found.insert(0, context.frames["energy_meters"].select(columns))
    return pl.concat(found).unique("meter_id", keep="first", maintain_order=True)


def _interval_grid(meters: pl.DataFrame, month: Month) -> pl.DataFrame:
    """Every interval start (UTC) of the local month, for every meter at its interval."""
    start, end = month.start_local().astimezone(UTC), month.end_local().astimezone(UTC)
    grids = []
    for minutes in meters["interval_minutes"].unique().drop_nulls().to_list():
        starts = pl.datetime_range(
            start, end, f"{minutes}m", closed="left", time_unit="us", time_zone="UTC", eager=True
        )
        these = meters.filter(pl.col("interval_minutes") == minutes).select("meter_id")
        grids.append(these.join(starts.alias("interval_start").to_frame(), how="cross"))
    empty = pl.DataFrame(schema={"meter_id": pl.String, "interval_start": pl.Datetime("us", "UTC")})
    return pl.concat(grids) if grids else empty


def meter_status(context: FrameContext) -> Derived:
    """Per meter: intervals delivered, how many estimated, and the estimated share."""
    readings = context.frames["energy_readings"]
    status = readings.group_by("meter_id").agg(
        pl.len().alias("intervals"), (pl.col("status") == "estimated").sum().alias("estimated")
    )
    status = status.with_columns(
        (pl.col("estimated") / pl.col("intervals")).alias("estimated_share")
    )
    return Derived(status.sort("meter_id"), ("meter_id", "estimated", "intervals"), "meters")


def month_over_month(
    context: FrameContext,
    measure: str | list[str],
    by: list[str] | None = None,
    min_history: int = 3,
) -> Derived:
    """The month's total of ``measure`` (per ``by``) against its median over the trailing
    12 staged months; the ratio is null when there are fewer than ``min_history`` months."""
    measures, keys = ([measure] if isinstance(measure, str) else list(measure)), list(by or [])
    current = history.totals(context.frames[context.table].lazy(), measures, keys).collect()
    past = history.trailing_totals(context.warehouse, context.table, context.month, measures, keys)
    joined = current.join(past, on=[*keys, "measure"], how="left", nulls_equal=True)
    months = pl.col("months_of_history").fill_null(0)
    usable = (months >= min_history) & (pl.col("trailing_median") != 0)
    frame = joined.with_columns(months.alias("months_of_history")).with_columns(
        pl.when(usable)
        .then(pl.col("total") / pl.col("trailing_median"))
        .alias("ratio_to_trailing_median")
    )
    frame = frame.rename({"total": "month_total"}).sort([*keys, "measure"])
    locate = (*keys, "measure", "month_total", "trailing_median", "months_of_history")
    why = f"fewer than {min_history} staged months of history, or a median of 0"
    return Derived(frame, locate, "month totals", why)


def waste_reconciliation(context: FrameContext) -> Derived:
    """The Totaal line against the sum of the collection lines (recomputed here)."""
    totals = context.frames["waste_totals"]
    lines = context.frames.get("waste_collections")
    computed = pl.col("lines_total_kg")
    if lines is not None:
        computed = pl.lit(float(lines["weight_kg"].sum()), dtype=pl.Float64)
        totals = totals.with_columns(pl.lit(lines.height, dtype=pl.Int32).alias("line_count"))
    frame = totals.with_columns(computed.alias("lines_total_kg")).with_columns(
        (pl.col("lines_total_kg") - pl.col("declared_total_kg")).round(2).alias("difference_kg")
    )
    locate = ("file_name", "source_line", "declared_total_kg", "lines_total_kg")
    return Derived(frame, locate, "Totaal lines")


def dates_in_month(context: FrameContext, column: str) -> Derived:
    """Per row: its date and whether it falls in the month being checked."""
    month = context.month
    date = pl.col(column)
    in_month = (date.dt.year() == month.year) & (date.dt.month() == month.month)
    frame = context.frames[context.table].select(
        *[c for c in context.locate if c != column], date, in_month.alias("in_month")
    )
    return Derived(frame, (*context.locate, column), _rows(context.locate))


def group_sizes(context: FrameContext, by: str, people: str) -> Derived:
    """Per group (department): the number of distinct people in it."""
    frame = (
        context.frames[context.table].group_by(by).agg(pl.col(people).n_unique().alias("people"))
    )
    return Derived(frame.sort(by), (by,), "groups")


def figures(context: FrameContext, columns: list[str]) -> Derived:
    """The named columns of the table, one row per figure: ``figure`` and ``value``."""
    frame = context.frames[context.table].select(columns)
    long = frame.unpivot(on=columns, variable_name="figure", value_name="value")
    return Derived(long, ("figure",), "figures")


def required(context: FrameContext) -> Derived:
    """Per row: the names of its empty required columns (null when all are filled)."""
    frame = context.frames[context.table]
    names = [pl.when(pl.col(c).is_null()).then(pl.lit(c)) for c in table(context.table).required()]
    empty = pl.concat_str(names, separator=", ", ignore_nulls=True)
    frame = frame.select(*context.locate, pl.when(empty != "").then(empty).alias("empty_required"))
    return Derived(frame, context.locate, _rows(context.locate))


def table_frame(context: FrameContext) -> Derived:
    """The table itself."""
    return Derived(context.frames[context.table], context.locate, _rows(context.locate))


def _rows(locate: tuple[str, ...]) -> str:
    return "lines" if "source_line" in locate else "rows"


BUILDERS: dict[str, Callable[..., Derived]] = {
    "required": required,
    "meter_days": meter_days,
    "meter_status": meter_status,
    "month_over_month": month_over_month,
    "waste_reconciliation": waste_reconciliation,
    "dates_in_month": dates_in_month,
    "group_sizes": group_sizes,
    "figures": figures,
}


def build(context: FrameContext, name: str | None, params: dict[str, Any]) -> Derived:
    """The frame a check runs on: the table (``name`` None) or a derived one."""
    if name is None:
        return table_frame(context)
    try:
        builder = BUILDERS[name]
    except KeyError:
        raise ValueError(f"unknown derived frame {name!r} (known: {sorted(BUILDERS)})") from None
    return builder(context, **params)
