"""Each file delivery of one month, built from the model, with its injected fault.

A delivery is built as a table, the fault (if any) is applied to the table or to the
rendered bytes, and the result is returned with a description of what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from groendraad.demo import faults as f
from groendraad.demo import formats
from groendraad.demo.common import rng
from groendraad.demo.model import DemoModel
from groendraad.months import Month


@dataclass(frozen=True)
class _TableFile:
    """A table-shaped file source: how to build, render and mislabel it."""

    source: str
    build: Callable[[DemoModel, Month], pl.DataFrame]
    render: Callable[[pl.DataFrame, Month], bytes]
    first_line: int  # line (or sheet row) of the first data row
    label: str  # how the file's positions are called: "line" or (a sheet's) "row"
    unknown_column: str
    unknown_values: tuple[str, ...]


def _csv(table: pl.DataFrame, month: Month) -> bytes:
    return formats.render_csv(table)


_TABLE_FILES: dict[str, _TableFile] = {
    "disposables": _TableFile(
        source="disposables",
        build=lambda model, month: model.disposable_issues(month),
        render=formats.disposables_xlsx,
        first_line=4,
        label="row",
        unknown_column="Kostenplaats",
        unknown_values=(f.UNKNOWN_COST_CENTRE,),
    ),
    "commuting": _TableFile(
        source="mobility",
        build=lambda model, month: formats.commuting_table(model.commuting(month)),
        render=_csv,
        first_line=2,
        label="line",
        unknown_column="Afdeling",
        unknown_values=f.UNKNOWN_DEPARTMENTS,
    ),
    "business_travel": _TableFile(
        source="mobility",
        build=lambda model, month: formats.trips_table(model.business_trips(month)),
        render=_csv,
        first_line=2,
        label="line",
        unknown_column="Afdeling",
        unknown_values=f.UNKNOWN_DEPARTMENTS,
    ),
    "medicine_waste": _TableFile(
        source="medicine_waste",
        build=lambda model, month: formats.medicine_table(model.medicine_waste(month)),
        render=_csv,
        first_line=2,
        label="line",
        unknown_column="Afdeling",
        unknown_values=f.UNKNOWN_DEPARTMENTS,
    ),
}


def waste_delivery(model: DemoModel, month: Month, kind: str | None) -> tuple[bytes | None, str]:
    """The month's waste CSV (or None when missing) and what is wrong with it."""
    g = rng(model.seed, "fault-apply", "waste", month.year, month.month)
    tonnes = kind == "unit_tonnes"
    table = formats.waste_table(model.waste_lines(month), tonnes)
    trailer, detail = formats.waste_total_line(table, tonnes), ""
    if tonnes:
        detail = "every weight and the Totaal line in tonnes instead of kg"
    elif kind == "duplicate_lines":  # the export repeats lines; the system's Totaal does not
        table, detail = f.duplicate_rows(table, g, 2)
        detail += " (Totaal counts each only once)"
    elif kind == "unknown_eural":
        table, detail = f.replace_values(table, "Euralcode", (f.UNKNOWN_EURAL,), g, 2)
    elif kind == "total_mismatch":
        offset = int(g.integers(5_000, 200_000)) * int(g.choice([-1, 1]))
        trailer = formats.waste_total_line(table, tonnes, offset)
        detail = (
            f"Totaal line (line {table.height + 2}) is {offset / 10:+.1f} kg off the lines' sum"
        )
    utf8 = rng(model.seed, "waste-encoding", month.year, month.month).random() < 0.5
    content = formats.render_csv(
        table, encoding="utf-8-sig" if utf8 else "cp1252", line_end="\r\n", trailer=trailer
    )
    return _file_level_fault(content, kind, g, detail)


def table_delivery(
    name: str, model: DemoModel, month: Month, kind: str | None
) -> tuple[bytes | None, str]:
    """One of the table-shaped deliveries (or None when missing) and what is wrong with it."""
    spec = _TABLE_FILES[name]
    g = rng(model.seed, "fault-apply", name, month.year, month.month)
    table, detail = spec.build(model, month), ""
    if kind == "duplicate_lines":
        table, detail = f.duplicate_rows(table, g, spec.first_line, spec.label)
    elif kind in ("unknown_cost_centre", "unknown_department"):
        table, detail = f.replace_values(
            table, spec.unknown_column, spec.unknown_values, g, spec.first_line, spec.label
        )
    return _file_level_fault(spec.render(table, month), kind, g, detail)


def _file_level_fault(
    content: bytes, kind: str | None, g: np.random.Generator, detail: str
) -> tuple[bytes | None, str]:
    if kind == "missing_file":
        return None, "file not delivered"
    if kind == "truncated_file":
        return f.truncate(content, g)
    return content, detail


def month_files(
    model: DemoModel, month: Month, paths: dict[str, str], planned: dict[str, f.Fault]
) -> tuple[dict[str, bytes | None], list[f.Fault]]:
    """Every file of one month, by relative path, and the file faults with their details."""
    files: dict[str, bytes | None] = {}
    injected = []
    mobility_pick = (
        "business_travel"
        if rng(model.seed, "fault-file", month.year, month.month).random() < 0.3
        else "commuting"
    )
    for name in ("waste", *_TABLE_FILES):
        source = "waste" if name == "waste" else _TABLE_FILES[name].source
        fault = planned.get(source)
        if source == "mobility" and name != mobility_pick:
            fault = None
        kind = fault.kind if fault else None
        content, detail = (
            waste_delivery(model, month, kind)
            if name == "waste"
            else table_delivery(name, model, month, kind)
        )
        path = paths[name].replace("{month}", str(month))
        files[path] = content
        if fault:
            injected.append(f.Fault(source, month, fault.kind, path, detail))
    return files, injected
