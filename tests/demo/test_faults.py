"""Injected bad deliveries: listed, located, and looking like the real thing."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import polars as pl
import pytest

from groendraad.demo import FAULT_KINDS, DemoModel, Fault, generate, load_demo
from groendraad.demo.deliveries import table_delivery, waste_delivery
from groendraad.demo.faults import (
    UNKNOWN_COST_CENTRE,
    UNKNOWN_DEPARTMENTS,
    UNKNOWN_EURAL,
    apply_energy_faults,
    energy_fault,
    plan_faults,
)
from groendraad.months import Month

from .files import decode, dutch_number

MODEL = DemoModel(7)
MONTH = Month(2019, 3)


def waste_lines(content: bytes) -> list[str]:
    return decode(content).split("\r\n")


def lines_named(detail: str) -> list[int]:
    return [int(n) for n in re.findall(r"(?:line|row) (\d+)", detail)]


def test_faults_are_listed_and_clean_months_are_spared(tmp_path: Path) -> None:
    first, clean, last = Month(2016, 1), Month(2016, 2), Month(2016, 3)
    demo = generate(tmp_path, first, last, fault_rate=1.0, clean_months={clean})
    listed = json.loads((tmp_path / "injected_faults.json").read_text(encoding="utf-8"))
    assert listed == [f.as_json() for f in demo.faults]
    assert {(f["source"], f["month"]) for f in listed} == {
        (source, str(m)) for source in FAULT_KINDS for m in (first, last)
    }
    for fault in listed:
        assert {"source", "month", "kind", "location", "detail"} <= set(fault)
        assert fault["kind"] in FAULT_KINDS[fault["source"]] and fault["detail"]
        if fault["source"] != "energy":
            assert (tmp_path / fault["location"]).exists() == (fault["kind"] != "missing_file")
    assert load_demo(tmp_path).faults == demo.faults


def test_the_plan_depends_on_the_month_only() -> None:
    months = [Month(2019, 12)] + [Month(2020, m) for m in range(1, 13)]
    wide = plan_faults(7, months, 0.3)
    narrow = plan_faults(7, [Month(2020, 5)], 0.3)
    assert [f for f in wide if f.month == Month(2020, 5)] == narrow
    assert plan_faults(7, months, 0.0) == []


def test_waste_missing_and_truncated() -> None:
    assert waste_delivery(MODEL, MONTH, "missing_file") == (None, "file not delivered")
    clean, _ = waste_delivery(MODEL, MONTH, None)
    cut, detail = waste_delivery(MODEL, MONTH, "truncated_file")
    assert clean.startswith(cut) and len(cut) < len(clean)
    assert b"Totaal" not in cut and not cut.endswith(b"\n")
    assert "inside line" in detail


def test_waste_in_tonnes_keeps_its_total_consistent() -> None:
    clean, _ = waste_delivery(MODEL, MONTH, None)
    tonnes, _ = waste_delivery(MODEL, MONTH, "unit_tonnes")
    kg_rows, t_rows = waste_lines(clean)[1:-1], waste_lines(tonnes)[1:-1]
    for kg, t in zip(kg_rows, t_rows, strict=True):
        assert dutch_number(t.split(";")[-1]) == pytest.approx(
            dutch_number(kg.split(";")[-1]) / 1000
        )
    total = sum(dutch_number(r.split(";")[-1]) for r in t_rows[:-1])
    assert dutch_number(t_rows[-1].split(";")[-1]) == pytest.approx(total, abs=1e-6)


def test_waste_duplicate_lines_are_named_and_not_in_the_total() -> None:
    clean, _ = waste_delivery(MODEL, MONTH, None)
    content, detail = waste_delivery(MODEL, MONTH, "duplicate_lines")
    lines = waste_lines(content)
    named = lines_named(detail)
    for copy, original in zip(named[::2], named[1::2], strict=True):
        assert lines[copy - 1] == lines[original - 1]
    assert lines[-2] == waste_lines(clean)[-2]  # Totaal as the processor's system counts it


def test_waste_unknown_eural_and_total_mismatch() -> None:
    content, detail = waste_delivery(MODEL, MONTH, "unknown_eural")
    line = lines_named(detail)[0]
    assert waste_lines(content)[line - 1].split(";")[3] == UNKNOWN_EURAL
    content, detail = waste_delivery(MODEL, MONTH, "total_mismatch")
    lines = waste_lines(content)[:-1]
    declared = dutch_number(lines[-1].split(";")[-1])
    assert declared != pytest.approx(sum(dutch_number(r.split(";")[-1]) for r in lines[1:-1]))
    assert f"line {len(lines)}" in detail


def test_disposables_unknown_cost_centre_and_truncation() -> None:
    content, detail = table_delivery("disposables", MODEL, MONTH, "unknown_cost_centre")
    issues = pl.read_excel(
        io.BytesIO(content), sheet_name="Uitgifte", read_options={"header_row": 2}
    )
    for row in lines_named(detail):
        assert issues["Kostenplaats"][row - 4] == UNKNOWN_COST_CENTRE
    cut, _ = table_delivery("disposables", MODEL, MONTH, "truncated_file")
    with pytest.raises(Exception):  # noqa: B017 (whatever the xlsx reader raises on a cut zip)
        pl.read_excel(io.BytesIO(cut), sheet_name="Uitgifte")


@pytest.mark.parametrize("name", ["commuting", "business_travel", "medicine_waste"])
def test_unknown_departments(name: str) -> None:
    content, detail = table_delivery(name, MODEL, MONTH, "unknown_department")
    lines = content.decode("utf-8").split("\n")
    for row in lines_named(detail):
        column = 2 if name == "business_travel" else 1  # the Afdeling column
        assert lines[row - 1].split(";")[column] in UNKNOWN_DEPARTMENTS


def test_commuting_duplicate_employee() -> None:
    content, detail = table_delivery("commuting", MODEL, MONTH, "duplicate_lines")
    ids = [line.split(";")[0] for line in content.decode("utf-8").splitlines()[1:]]
    assert len(ids) > len(set(ids)) and "repeats line" in detail


def test_energy_faults_change_what_is_served() -> None:
    readings = MODEL.readings("E-G3-HOOFD", MONTH)
    mwh = energy_fault(7, Fault("energy", MONTH, "unit_mwh"))
    assert mwh.params["meter_id"] and MODEL.readings(mwh.params["meter_id"], MONTH).height
    scaled = apply_energy_faults(readings, [mwh])
    assert scaled["value"].sum() == pytest.approx(readings["value"].sum() / 1000)
    gap = energy_fault(7, Fault("energy", MONTH, "missing_intervals"))
    hit = apply_energy_faults(MODEL.readings(gap.params["meter_id"], MONTH), [gap])
    full = MODEL.readings(gap.params["meter_id"], MONTH)
    if gap.params["style"] == "absent":
        assert hit.height < full.height
    else:
        missing = hit.filter(pl.col("status") == "missing")
        assert missing.height > 0 and missing["value"].null_count() == missing.height
    assert energy_fault(7, Fault("energy", MONTH, "api_down")).kind == "api_down"
