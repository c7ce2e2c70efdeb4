"""The words beside a chart: what the figure is now, how it moved, how reliable it is.

Every chart has a text description (also read out by screen readers) built here from
the same monthly frame the chart draws, so the text and the picture never disagree.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import polars as pl

from groendraad.charts.data import months_back, window_value
from groendraad.charts.text import Lang


def window_rule(unit: str) -> str:
    """How 12 months of a figure add up: ``mean`` for shares and ratios, else ``sum``."""
    return "mean" if "%" in unit or "/" in unit else "sum"


def change(now: float | None, before: float | None) -> float | None:
    """Relative change in percent (None when it cannot be told)."""
    if now is None or before is None or before == 0:
        return None
    return (now - before) / abs(before) * 100


def quality_summary(qualities: list[str | None], lang: Lang) -> str:
    """``Alle 46 maanden gemeten.`` or ``3 van 46 maanden deels geschat; 1 ontbreekt.``"""
    counts = Counter(q or "missing" for q in qualities)
    total = sum(counts.values())
    if not total:
        return ""
    if counts["measured"] == total:
        return lang.ui("all_measured", count=total)
    parts = [
        lang.ui("quality_count", count=counts[q], total=total, quality=lang.quality(q))
        for q in ("mixed", "estimated", "missing")
        if counts[q]
    ]
    return "; ".join(parts) + "."


def window_sentence(frame: pl.DataFrame, end: date, unit_shown: str, rule: str, lang: Lang) -> str:
    """The last 12 months against the 12 before (``frame``: month, value)."""
    now = window_value(frame, end, rule)
    before = window_value(frame, months_back(end, 12), rule)
    if now is None:
        return ""
    key = "window_mean" if rule == "mean" else "window_sum"
    text = lang.ui(key, value=lang.number(now), unit=unit_shown, month=lang.month(end, True))
    moved = change(now, before)
    if moved is not None:
        text += " " + lang.ui("versus_before", change=lang.percent(moved))
    return text + "."


def trend_description(
    frame: pl.DataFrame, name: str, unit_shown: str, rule: str, lang: Lang
) -> str:
    """Last month's value, the 12-month figure and its change, and the quality."""
    known = [(m, v) for m, v in zip(frame["month"], frame["value"], strict=True) if v is not None]
    if not known:
        return lang.ui("no_figures")
    last_month, last_value = max(known)
    parts = [
        lang.ui(
            "last_month_value",
            name=name,
            month=lang.month(last_month),
            value=lang.number(last_value),
            unit=unit_shown,
        )
    ]
    parts.append(window_sentence(frame, last_month, unit_shown, rule, lang))
    parts.append(quality_summary(frame["quality"].to_list(), lang))
    return " ".join(p for p in parts if p)


def parts_description(
    totals: list[tuple[str, float]], unit_shown: str, end: date, lang: Lang, top: int = 3
) -> str:
    """The largest parts over the last 12 months, with their share of the whole."""
    whole = sum(v for _, v in totals if v > 0)
    if not totals or whole <= 0:
        return lang.ui("no_figures")
    named = [
        lang.ui(
            "part_share",
            name=n,
            value=lang.number(v),
            unit=unit_shown,
            share=lang.number(v / whole * 100, 0),
        )
        for n, v in totals[:top]
    ]
    return lang.ui("largest_parts", month=lang.month(end, True), parts="; ".join(named)) + "."
