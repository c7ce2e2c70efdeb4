"""Benchmark indicators (indicators.yaml): per FTE, per m2, per bed-day, shares.

Every indicator is computed from the monthly institution rows of the exports: first
per month (numerator, denominator), then over the months where the numerator has a
value. Flows per stock are annualised (x 12 / months used), so a half-year export
compares with a whole year; the monthly values (x 12 where annualised) are the trends.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl
import yaml

from groendraad.nfu.contract import Contract, load_contract

INDICATORS_FILE = Path(__file__).with_name("indicators.yaml")
RECOMPUTED = "recomputed:"
KEYS = ["institution", "period"]


def _names(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Indicator:
    """One indicator: numerator metric(s) over denominator metric(s), scaled."""

    id: str
    theme: str
    title: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    per: str | None
    scale: float
    unit: str
    direction: str
    annualise: bool


@dataclass(frozen=True)
class IndicatorSet:
    """All indicators, in file order, and the ones drawn as trends."""

    indicators: tuple[Indicator, ...]
    trends: tuple[str, ...]

    def frame(self) -> pl.DataFrame:
        """indicator, theme, title, per, unit, direction: one row per indicator."""
        return pl.DataFrame(
            [
                {
                    "indicator": i.id,
                    "theme": i.theme,
                    "title": i.title,
                    "per": i.per,
                    "unit": i.unit,
                    "direction": i.direction,
                }
                for i in self.indicators
            ],
            schema={
                c: pl.String for c in ("indicator", "theme", "title", "per", "unit", "direction")
            },
        )


@cache
def load_indicators(path: Path = INDICATORS_FILE) -> IndicatorSet:
    """Read indicators.yaml, resolving denominators and the annualising rule."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    contract = load_contract()
    items = tuple(_indicator(spec, raw["denominators"], contract) for spec in raw["indicators"])
    unknown = set(raw["trends"]) - {i.id for i in items}
    if unknown:
        raise ValueError(f"{path}: trends name unknown indicators {sorted(unknown)}")
    return IndicatorSet(items, tuple(raw["trends"]))


def _indicator(spec: dict, denominators: dict[str, str], contract: Contract) -> Indicator:
    numerator = _names(spec["numerator"])
    per = spec.get("per")
    denominator = (denominators[per],) if per else _names(spec.get("of"))
    flow = contract.metrics[numerator[0]].aggregate == "sum"
    per_stock = (
        per is None
        and not denominator
        or (per is not None and contract.metrics[denominators[per]].aggregate == "mean")
    )
    prefix = RECOMPUTED if spec.get("recomputed") else ""
    return Indicator(
        id=spec["id"], theme=spec["theme"], title=spec["title"],
        numerator=tuple(prefix + n for n in numerator), denominator=denominator, per=per,
        scale=float(spec["scale"]), unit=spec["unit"], direction=spec["direction"],
        annualise=flow and per_stock,
    )  # fmt: skip


def monthly_values(rows: pl.DataFrame, recomputed: pl.DataFrame) -> pl.DataFrame:
    """institution, period, metric, value, quality: institution totals plus recomputed CO2e."""
    totals = rows.filter((pl.col("level") == "institution") & pl.col("category").is_null())
    swapped = recomputed.select(
        *KEYS, (RECOMPUTED + pl.col("metric")).alias("metric"),
        pl.col("recomputed_kg").alias("value"), "quality",
    )  # fmt: skip
    return pl.concat([totals.select(*KEYS, "metric", "value", "quality"), swapped])


def _summed(values: pl.DataFrame, metrics: tuple[str, ...], name: str) -> pl.DataFrame:
    """Per institution and month the sum of ``metrics`` (null if none has a value)."""
    picked = values.filter(pl.col("metric").is_in(list(metrics)))
    return picked.group_by(KEYS).agg(
        pl.when(pl.col("value").count() == len(metrics)).then(pl.col("value").sum()).alias(name),
        (pl.col("quality") != "measured").any().alias(f"{name}_unsure"),
    )


def indicator_months(values: pl.DataFrame, indicator: Indicator) -> pl.DataFrame:
    """institution, period, num, den, unsure: the months where the numerator has a value."""
    months = _summed(values, indicator.numerator, "num").filter(pl.col("num").is_not_null())
    if not indicator.denominator:
        return months.with_columns(den=pl.lit(None, pl.Float64), unsure=pl.col("num_unsure"))
    den = _summed(values, indicator.denominator, "den")
    joined = months.join(den, on=KEYS, how="left")
    return joined.with_columns(unsure=pl.col("num_unsure") | pl.col("den_unsure").fill_null(True))


def _ratio(num: pl.Expr, den: pl.Expr | None, indicator: Indicator, months: pl.Expr) -> pl.Expr:
    value = num if den is None else pl.when(den > 0).then(num / den)
    factor = pl.lit(12.0) / months if indicator.annualise else pl.lit(1.0)
    return value * indicator.scale * factor


def period_values(values: pl.DataFrame, indicator: Indicator, contract: Contract) -> pl.DataFrame:
    """institution, indicator, value, months_used, quality over the whole exported period."""
    months = indicator_months(values, indicator)
    first = indicator.numerator[0].removeprefix(RECOMPUTED)
    num = (
        pl.col("num").sum() if contract.metrics[first].aggregate == "sum" else pl.col("num").mean()
    )
    stock = (
        indicator.per is not None and contract.metrics[indicator.denominator[0]].aggregate == "mean"
    )
    den = (
        None
        if not indicator.denominator
        else (pl.col("den").mean() if stock else pl.col("den").sum())
    )
    grouped = months.group_by("institution").agg(
        _ratio(num, den, indicator, pl.len().cast(pl.Float64)).alias("value"),
        pl.len().cast(pl.Int32).alias("months_used"),
        pl.col("unsure").any().alias("unsure"),
    )
    return grouped.select(
        "institution", pl.lit(indicator.id).alias("indicator"), "value", "months_used", _quality()
    )


def trend_values(values: pl.DataFrame, indicator: Indicator) -> pl.DataFrame:
    """institution, period, indicator, value, quality: one (annualised) value a month."""
    months = indicator_months(values, indicator)
    den = pl.col("den") if indicator.denominator else None
    valued = months.with_columns(value=_ratio(pl.col("num"), den, indicator, pl.lit(1.0)))
    return valued.select(*KEYS, pl.lit(indicator.id).alias("indicator"), "value", _quality())


def _quality() -> pl.Expr:
    return (
        pl.when(pl.col("value").is_null()).then(pl.lit("missing"))
        .when(pl.col("unsure")).then(pl.lit("mixed"))
        .otherwise(pl.lit("measured")).alias("quality")
    )  # fmt: skip
