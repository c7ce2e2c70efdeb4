"""The long form every theme produces, and the helpers that build and roll it up.

Inside the computation a figure is one row of the *long* frame (``LONG_SCHEMA``):
period, level, department, division, metric, category, value, plus how good it is
(``qbits``: measured / estimated / missing / warning as bit flags, OR-ed when figures
are added up), how it was made (``method``), the people behind it (mobility only) and
the emission factors it used (``factors``). Sums keep ``qbits`` and ``factors`` of
every part, so a total is only "measured" when all its parts are.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

MEASURED, ESTIMATED, MISSING, WARNING = 1, 2, 4, 8
FILLED = 16  # estimated by gap filling (gapfill.py): a needed source-month is absent
QUALITY_BY_BITS = {MEASURED: "measured", ESTIMATED: "estimated", MISSING: "missing"}

INSTITUTION, DIVISION, DEPARTMENT = "institution", "division", "department"
LEVELS = (INSTITUTION, DIVISION, DEPARTMENT)

LONG_SCHEMA = pl.Schema(
    {
        "period": pl.Date(),
        "level": pl.String(),
        "department": pl.String(),
        "division": pl.String(),
        "metric": pl.String(),
        "category": pl.String(),
        "value": pl.Float64(),
        "qbits": pl.Int64(),
        "method": pl.String(),
        "people": pl.Int64(),
        "factors": pl.List(pl.String()),
    }
)
ROW_KEY = ["period", "level", "department", "division", "metric", "category"]
_GROUPS = {
    DEPARTMENT: ["period", "department", "division"],
    DIVISION: ["period", "division"],
    INSTITUTION: ["period"],
}


def period_of_month(month: pl.Expr) -> pl.Expr:
    """The first day of a ``YYYY-MM`` partition month, as a Date."""
    return (month + "-01").str.to_date("%Y-%m-%d").alias("period")


def conform_long(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Add the long columns a theme left out (as nulls) and order them as LONG_SCHEMA."""
    present = frame.collect_schema().names()
    return frame.select(
        pl.col(name).cast(dtype) if name in present else pl.lit(None, dtype).alias(name)
        for name, dtype in LONG_SCHEMA.items()
    )


def value_sum(column: str = "value") -> pl.Expr:
    """Sum that stays null when every part is null (a missing figure is not zero)."""
    return pl.when(pl.col(column).count() > 0).then(pl.col(column).sum()).alias(column)


def union_factors() -> pl.Expr:
    """The distinct factor references of all parts, sorted."""
    exploded = pl.col("factors").list.explode(keep_nulls=False, empty_as_null=False)
    return exploded.drop_nulls().unique().sort().alias("factors")


def _sum_to(frame: pl.LazyFrame, keys: list[str]) -> pl.LazyFrame:
    """Sum values, OR quality bits, unite factor references, per ``keys``.

    Factor references are united only over rows that have some (most themes have
    none), which keeps the list work off the large frames.
    """
    sums = frame.group_by(keys).agg(
        value_sum(), pl.col("qbits").bitwise_or(), pl.col("method").first()
    )
    with_refs = frame.filter(pl.col("factors").is_not_null())
    refs = with_refs.group_by(keys).agg(union_factors())
    return sums.join(refs, on=keys, how="left", nulls_equal=True)


def rollup(
    base: pl.LazyFrame, levels: Sequence[str] = LEVELS, method: str | None = None
) -> pl.LazyFrame:
    """Sum finest-grain rows (department, division may be null) up to each level.

    Rows without a department count only for the division and the institution; rows
    without a division only for the institution: they are not guessed.
    """
    present = base.collect_schema().names()
    finest = [k for k in ["period", "department", "division", "metric", "category"] if k in present]
    # sum to the finest grain once (few rows), then every level from there
    grain = _sum_to(base, finest).collect().lazy()
    parts = []
    for level in levels:
        keys = [*_GROUPS[level], "metric", "category"]
        known = [pl.col(k).is_not_null() for k in _GROUPS[level] if k != "period"]
        rows = grain.filter(*known) if known else grain
        parts.append(conform_long(_sum_to(rows, keys).with_columns(level=pl.lit(level))))
    frame = pl.concat(parts, how="vertical")
    return frame.with_columns(method=pl.lit(method)) if method else frame


def long_metrics(
    frame: pl.LazyFrame, metrics: dict[str, pl.Expr], keep: Sequence[str]
) -> pl.LazyFrame:
    """One long row per input row and metric: ``value`` = the metric's expression."""
    parts = [
        frame.select(*keep, pl.lit(metric_id).alias("metric"), expr.cast(pl.Float64).alias("value"))
        for metric_id, expr in metrics.items()
    ]
    return pl.concat(parts, how="vertical")


_RATIO_KEYS = ["period", "level", "department", "division"]


def _denominators(rows: pl.LazyFrame, denominator: str) -> pl.LazyFrame:
    """The total rows (category null) of ``denominator``, renamed for the ratio join."""
    totals = rows.filter((pl.col("metric") == denominator) & pl.col("category").is_null())
    return totals.select(
        *_RATIO_KEYS,
        pl.col("value").alias("den"),
        pl.col("qbits").alias("den_bits"),
        pl.col("factors").alias("den_factors"),
        pl.col("people").alias("den_people"),
    )


def ratio(
    rows: pl.LazyFrame,
    numerator: str,
    denominator: str,
    metric: str,
    *,
    scale: float = 1.0,
    per_category: bool = False,
) -> pl.LazyFrame:
    """``numerator / denominator x scale`` per period, level, department and division.

    The denominator's total row (category null) is used; the numerator's total row too,
    or each of its category rows when ``per_category``. A missing or zero denominator
    gives a null value, which is published as missing.
    """
    top = rows.filter(pl.col("metric") == numerator)
    if not per_category:
        top = top.filter(pl.col("category").is_null())
    joined = top.join(
        _denominators(rows, denominator), on=_RATIO_KEYS, how="left", nulls_equal=True
    )
    none = pl.lit([], pl.List(pl.String))
    factors = pl.concat_list(
        pl.col("factors").fill_null(none), pl.col("den_factors").fill_null(none)
    )
    return conform_long(
        joined.with_columns(
            metric=pl.lit(metric),
            value=pl.when(pl.col("den") != 0).then(pl.col("value") / pl.col("den") * scale),
            qbits=pl.col("qbits") | pl.col("den_bits").fill_null(MISSING),
            factors=factors.list.unique().list.sort(),
            people=pl.coalesce("den_people", "people"),
            method=pl.lit("ratio"),
        )
    )


def quality_label(bits: pl.Expr, value: pl.Expr) -> pl.Expr:
    """measured / estimated / missing, or mixed when the parts differ (or carry a warning).

    A figure with a gap-filled part is ``estimated``, whatever its other parts are.
    """
    label = pl.lit("mixed")
    for flag, name in QUALITY_BY_BITS.items():
        label = pl.when(bits == flag).then(pl.lit(name)).otherwise(label)
    label = pl.when((bits & FILLED) > 0).then(pl.lit("estimated")).otherwise(label)
    return pl.when(value.is_null()).then(pl.lit("missing")).otherwise(label).alias("quality")
