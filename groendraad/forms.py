"""The yearly forms (Milieubarometer, ESRS and the VSME care table) from the metrics mart.

A form line is the sum of a published metric over the year's twelve months, at the
institution level. A line whose months are not all published is **missing** (with
the months it lacks), never a partial sum and never 0. Its quality is the weakest of
its months' (measured < mixed < estimated < missing), and its lineage lists the
metric, the deliveries (``source=sha256`` prefixes) and the factor sets behind it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import polars as pl

from groendraad.forms_lines import FORMS, Line
from groendraad.months import Month

RANK = {"measured": 0, "mixed": 1, "estimated": 2, "missing": 3}
SHA = 12  # characters of a delivery's sha256 in the lineage (its raw folder's suffix)
COLUMNS = [
    "form", "section", "code", "label_nl", "label_en", "year", "value", "unit", "quality",
    "months", "note_nl", "note_en", "metric", "category", "deliveries", "factor_set", "factors",
]  # fmt: skip


def build(metrics: pl.DataFrame, form: str, year: int) -> list[dict[str, Any]]:
    """Every line of ``form`` for ``year``, from the published ``metrics``."""
    institution = metrics.filter(
        (pl.col("level") == "institution") & (pl.col("period").dt.year() == year)
    )
    rows: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for section, lines in FORMS[form].items():
        for line in lines:
            for row in _line_rows(institution, line, year, by_code):
                row.update(form=form, section=section, year=year)
                rows.append(row)
                by_code[row["code"]] = row
    return [{column: row.get(column) for column in COLUMNS} for row in rows]


def _line_rows(
    frame: pl.DataFrame, line: Line, year: int, done: dict[str, dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    if line.op is not None:
        yield _derived(line, done[str(line.a)], done[str(line.b)])
        return
    chosen = frame.filter(pl.col("metric") == line.metric)
    if line.category != "*":
        yield _summed(chosen.filter(pl.col("category").is_null()), line, year, None)
        return
    categories = sorted(chosen["category"].drop_nulls().unique().to_list())
    if not categories:
        yield _summed(chosen.clear(), line, year, None)
    for category in categories:
        yield _summed(chosen.filter(pl.col("category") == category), line, year, category)


def _summed(months: pl.DataFrame, line: Line, year: int, category: str | None) -> dict[str, Any]:
    """The year's sum of one figure, or missing with the months it lacks."""
    present = months.filter(pl.col("value").is_not_null())
    have = {Month.of(d) for d in present["period"].to_list()}
    lacking = [str(Month(year, m)) for m in range(1, 13) if Month(year, m) not in have]
    row = _labels(line, category) | _lineage(present)
    row.update(metric=line.metric, category=category, months=len(have))
    if lacking:
        shown = ", ".join(lacking) if len(lacking) < 12 else f"{year}-01 .. {year}-12"
        return row | _missing(f"ontbreekt: {shown}", f"missing: {shown}")
    qualities = present["quality"].to_list()
    return row | {
        "value": sum(present["value"].to_list()) * line.scale,
        "quality": _weakest(qualities),
    }


def _derived(line: Line, a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """``a`` minus ``b`` or ``a`` per ``b``; missing when either is (or ``b`` is 0)."""
    row = _labels(line, None) | {
        "metric": f"{line.code}: {a['code']} {line.op} {b['code']}",
        "months": min(a["months"] or 0, b["months"] or 0),
        **{k: _union(a[k], b[k]) for k in ("deliveries", "factor_set", "factors")},
    }
    if a["value"] is None or b["value"] is None or (line.op == "per" and b["value"] == 0):
        return row | _missing(
            f"nodig: {a['code']} en {b['code']}", f"needs {a['code']} and {b['code']}"
        )
    value = a["value"] - b["value"] if line.op == "minus" else a["value"] / b["value"]
    return row | {"value": value * line.scale, "quality": _weakest([a["quality"], b["quality"]])}


def _labels(line: Line, category: str | None) -> dict[str, Any]:
    suffix = f": {category}" if category is not None else ""
    code = f"{line.code}.{category}" if category is not None else line.code
    return {
        "code": code,
        "label_nl": line.label_nl + suffix,
        "label_en": line.label_en + suffix,
        "unit": line.unit,
        "note_nl": None,
        "note_en": None,
    }


def _missing(note_nl: str, note_en: str) -> dict[str, Any]:
    return {"value": None, "quality": "missing", "note_nl": note_nl, "note_en": note_en}


def _weakest(qualities: list[str]) -> str:
    return max(qualities, key=lambda q: RANK.get(q, RANK["estimated"]))


def _lineage(months: pl.DataFrame) -> dict[str, str | None]:
    deliveries = {
        entry.split("=")[0] + "=" + entry.split("=", 1)[-1][:SHA]
        for text in months["deliveries"].drop_nulls().to_list()
        for entry in text.split(";")
        if entry
    }
    factors = {f for text in months["factors"].drop_nulls().to_list() for f in text.split(";") if f}
    sets = set(months["factor_set"].drop_nulls().to_list())
    return {
        "deliveries": ";".join(sorted(deliveries)) or None,
        "factor_set": ";".join(sorted(sets)) or None,
        "factors": ";".join(sorted(factors)) or None,
    }


def _union(a: str | None, b: str | None) -> str | None:
    parts = {p for text in (a, b) if text for p in text.split(";")}
    return ";".join(sorted(parts)) or None
