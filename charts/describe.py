"""The words beside a chart: what the figure is now, how it moved, how reliable it is.

Every chart has a text description (also read out by screen readers) built here from
the same monthly frame the chart draws, so the text and the picture never disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl

from groendraad.charts.text import Lang
from groendraad.metrics.windows import window_rule

__all__ = ["window_rule"]
# the reasons of metrics/CONTRACT.md, in Dutch
_REASONS_NL = {
    "estimated (gap filling) for": "geschat (gat opgevuld) voor",
    "refused by validation": "afgewezen door de validatie",
    "delivered but not readable": "geleverd maar onleesbaar",
    "not delivered": "niet geleverd",
    "accepted gap": "geaccepteerd gat",
    "withdrawn": "ingetrokken",
    "fewer than 12 months published": "nog geen 12 maanden gepubliceerd",
    "estimated by the source": "geschat door de bron",
    "some parts missing (intervals or factors)": "delen ontbreken (intervallen of factoren)",
    "delivery passed validation with warnings": "levering had validatiewaarschuwingen",
    "nothing delivered to count": "niets geleverd om te tellen",
    "denominator missing or zero": "noemer ontbreekt of is nul",
    "no actual: ": "geen 12 volledige maanden: ",
    "no baseline: ": "geen basisjaar: ",
    " missing (": " ontbreekt (",
    " months estimated": " maanden geschat",
    " of 12 ": " van 12 ",
}


def reason_text(reason: str | None, lang: Lang) -> str:
    """A quality reason (CONTRACT.md vocabulary) in the page's language."""
    if not reason:
        return ""
    if lang.code == "nl":
        for english, dutch in _REASONS_NL.items():
            reason = reason.replace(english, dutch)
    return reason


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


def window_sentence(
    window: dict[str, Any] | None, end: date, unit_shown: str, divisor: float, lang: Lang
) -> str:
    """The last 12 months against the 12 before, from the windows mart's row ``window``
    (values divided by ``divisor`` to the unit shown); says which months are estimated,
    or which is missing and why when there is no complete window."""
    if window is None:
        return ""
    if window["last_12"] is None:
        return lang.ui(
            "window_incomplete",
            month=lang.month(end, True),
            months=window["missing_months"] or "",
            reason=reason_text(window["reason"], lang),
        )
    key = "window_mean" if window["rule"] == "mean" else "window_sum"
    now = window["last_12"] / divisor
    text = lang.ui(key, value=lang.number(now), unit=unit_shown, month=lang.month(end, True))
    if window["change_pct"] is not None:
        text += " " + lang.ui("versus_before", change=lang.percent(window["change_pct"]))
    else:
        text += " " + lang.ui("no_comparison")
    if window["months_estimated"]:
        text += "; " + lang.ui(
            "window_estimated", count=window["months_estimated"], months=window["estimated_months"]
        )
    if window["change_pct"] is not None and window["previous_months_estimated"]:
        text += "; " + lang.ui("before_estimated", count=window["previous_months_estimated"])
    return text + "."


def trend_description(
    frame: pl.DataFrame,
    name: str,
    unit_shown: str,
    lang: Lang,
    windows: Callable[[date], dict[str, Any] | None],
    divisor: float = 1.0,
) -> str:
    """Last month's value, the 12-month figure and its change (``windows(end)``: the
    windows mart's row), and the quality."""
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
    parts.append(window_sentence(windows(last_month), last_month, unit_shown, divisor, lang))
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
