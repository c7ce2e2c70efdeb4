"""``groendraad metrics diff`` output: text that reads at 80 columns, CSV and JSON.

The text form gives each changed figure two short lines (what, then old -> new and
why) instead of a nine-column table that an 80-column terminal folds into pieces.
CSV and JSON carry every column of the comparison for scripts and spreadsheets.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import polars as pl

FORMATS = ("text", "csv", "json")


def render(changes: pl.DataFrame, fmt: str, title: str, limit: int) -> str:
    """The comparison in ``fmt`` (text, csv or json)."""
    if fmt == "csv":
        return to_csv(changes)
    if fmt == "json":
        return json.dumps([_plain(row) for row in changes.iter_rows(named=True)], indent=1) + "\n"
    return to_text(changes, title, limit)


def to_text(changes: pl.DataFrame, title: str, limit: int) -> str:
    """A heading with the count by reason, then two lines per changed figure."""
    lines = [f"{title}: {changes.height} figure(s) changed"]
    if not changes.is_empty():
        reasons = changes.group_by("reason").len().sort(["len", "reason"], descending=[True, False])
        lines.append("  " + ", ".join(f"{r}: {n}" for r, n in reasons.iter_rows()))
    for row in changes.head(limit).iter_rows(named=True):
        lines += ["", _what(row), "  " + _how(row)]
    if changes.height > limit:
        lines += ["", f"... and {changes.height - limit} more (--limit, or --format csv)"]
    return "\n".join(lines) + "\n"


def to_csv(changes: pl.DataFrame) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(changes.columns)
    for row in changes.iter_rows():
        writer.writerow(["" if v is None else _plain_value(v) for v in row])
    return out.getvalue()


def _what(row: dict) -> str:
    parts = [str(row["metric"]), str(row["level"])]
    for key in ("division", "department", "category"):
        if row.get(key) is not None:
            parts.append(f"{key} {row[key]}")
    return " | ".join(parts)


def _how(row: dict) -> str:
    unit = row.get("unit") or ""
    old, new = _number(row.get("value_old")), _number(row.get("value_new"))
    text = f"{old} -> {new} {unit}".rstrip()
    if row.get("change") is not None:
        pct = row.get("change_pct")
        text += f" ({row['change']:+,.2f}" + (f", {pct:+.1f}%)" if pct is not None else ")")
    text += f"; {row.get('reason')}"
    if row.get("changed_sources"):
        text += f"; sources: {_plain_value(row['changed_sources'])}"
    return text


def _number(value: object) -> str:
    return "(none)" if value is None else f"{value:,.2f}"


def _plain(row: dict) -> dict:
    return {k: _plain_value(v, join=False) for k, v in row.items()}


def _plain_value(value: object, join: bool = True) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list) and join:
        return ";".join(map(str, value))
    return value
