"""The charts' data for a refused month: a gap, never a low value (issue 14)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from groendraad.charts.data import INSTITUTION, Place, load, series
from groendraad.charts.figures import metrics_stack_figure, trend_figure
from groendraad.charts.text import Lang
from groendraad.metrics import publish
from groendraad.months import Month, month_range

from . import hospital

GAP = Month(2022, 10)
SCOPES = ["co2e.scope1_kg", "co2e.scope2_location_kg", "co2e.scope3_waste_kg"]
SCOPES += ["co2e.scope3_business_travel_kg", "co2e.scope3_commuting_kg"]
NL, EN = Lang("nl"), Lang("en")


@pytest.fixture(scope="module", params=["none", "same_month_last_year_trend"])
def site_data(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("gaps")
    for month in month_range(Month(2021, 1), Month(2023, 3)):
        hospital.stage_month(root, month, skip=("energy",) if month == GAP else ())
    publish(root, "tiny-umc", gap_filling=request.param)
    return request.param, load(root)


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _month_cells(html: str, label: str) -> list[str]:
    """The cells of the table row of month ``label`` (e.g. ``okt 2022``)."""
    row = re.search(rf"<tr><th[^>]*>{label}</th>(.*?)</tr>", html)
    assert row, f"no table row for {label}"
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))


def test_a_refused_month_is_a_gap_in_the_line(site_data) -> None:  # type: ignore[no-untyped-def]
    method, data = site_data
    figure = trend_figure(data, "energy.electricity_kwh", INSTITUTION, NL)
    rows = {r["month"]: r["value"] for r in rows_of(figure.chart.datasets["rows"])}
    gaps = [g["month"] for g in rows_of(figure.chart.datasets["gaps"])]
    marks = {m["month"]: m["quality_label"] for m in rows_of(figure.chart.datasets["marks"])}
    cells = _month_cells(str(figure.table), "okt 2022")
    if method == "none":
        assert rows["2022-10-01"] == ""  # no value: the line breaks
        assert gaps == ["2022-10-01"]
        assert marks["2022-10-01"] == "ontbreekt"
        assert cells[-1] == "ontbreekt: energy 2022-10: niet geleverd"
        assert "2022-10 ontbreekt (energy 2022-10: niet geleverd)" in figure.description
    else:
        assert float(rows["2022-10-01"]) == pytest.approx(740.0)  # a year earlier, trend 1
        assert gaps == []
        assert marks["2022-10-01"] == "geschat"
        assert cells[-1] == "geschat: geschat (gat opgevuld) voor energy 2022-10: niet geleverd"
        assert "1 van 12 maanden geschat (2022-10)" in figure.description


def test_the_scope_stack_is_empty_for_a_refused_month(site_data) -> None:  # type: ignore[no-untyped-def]
    method, data = site_data
    figure = metrics_stack_figure(data, SCOPES, INSTITUTION, EN, title="CO2")
    drawn = {r["month"] for r in rows_of(figure.chart.datasets["rows"])}
    gaps = [g["month"] for g in rows_of(figure.chart.datasets["gaps"])]
    if method == "none":
        assert "2022-10-01" not in drawn  # not a lower stack of scope 3 only
        assert gaps == ["2022-10-01"]
    else:
        assert "2022-10-01" in drawn and gaps == []
        marks = {m["month"]: m["quality_label"] for m in rows_of(figure.chart.datasets["marks"])}
        assert marks["2022-10-01"] == "estimated"


def test_a_department_month_carries_the_institutions_reason(site_data) -> None:  # type: ignore[no-untyped-def]
    method, data = site_data
    cardio = Place("department", hospital.DIV_A, hospital.CARDIO)
    frame = series(data, "energy.electricity_kwh", cardio)
    row = frame.filter(frame["period"] == GAP.first_day).row(0, named=True)
    if method == "none":
        assert (row["value"], row["quality"]) == (None, "missing")
        assert row["quality_reason"] == "energy 2022-10: not delivered"
    else:
        assert row["quality"] == "estimated"
        assert row["value"] == pytest.approx(
            series(data, "energy.electricity_kwh", cardio)
            .filter(frame["period"] == Month(2021, 10).first_day)["value"]
            .item()
        )


def test_pages_load_the_windows_mart(site_data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, data = site_data
    assert data.windows.height > 0
    assert data.window("energy.total_gj", INSTITUTION, Month(2023, 3).first_day) is not None


def test_rankings_use_complete_or_flagged_windows_only(site_data) -> None:  # type: ignore[no-untyped-def]
    from groendraad.charts.ranking import peers_figure

    method, data = site_data
    departments = data.places("department")
    figure = peers_figure(
        data, "energy.electricity_kwh", INSTITUTION, departments, NL, links={}, root=""
    )
    if method == "none":  # the last 12 months hold the refused month: no ranking, and why
        assert figure.chart is None
        assert "2022-10 ontbreekt (energy 2022-10: niet geleverd)" in figure.description
    else:
        ranked = {r["name"] for r in rows_of(figure.chart.datasets["rows"])}
        assert ranked == {hospital.CARDIO, hospital.LAB}
        assert "1 van 12 maanden geschat (2022-10)" in figure.description
