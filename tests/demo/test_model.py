"""The demo model: deterministic, LUMC-shaped, with the reported trends."""

from __future__ import annotations

import re

import numpy as np
import polars as pl
import pytest

from groendraad.demo import DemoModel
from groendraad.demo.common import interval_calendar
from groendraad.demo.food import events_between
from groendraad.demo.organisation import BUILDINGS, cost_centres, departments
from groendraad.demo.travel import AIRPORTS
from groendraad.demo.waste import STREAMS
from groendraad.months import Month, month_range

from .files import reference_codes

MODEL = DemoModel(7)


def year_sum(months: list[Month], monthly: callable) -> float:
    return float(sum(monthly(m) for m in months))


def year(y: int) -> list[Month]:
    return month_range(Month(y, 1), Month(y, 12))


def test_same_seed_gives_the_same_figures_and_another_seed_does_not() -> None:
    month = Month(2025, 10)
    again, other = DemoModel(7), DemoModel(8)
    assert MODEL.readings("E-G1-HOOFD", month).equals(again.readings("E-G1-HOOFD", month))
    assert MODEL.commuting(month).equals(again.commuting(month))
    assert MODEL.waste_lines(month) == again.waste_lines(month)
    assert MODEL.waste_lines(month) != other.waste_lines(month)
    assert not MODEL.readings("E-G1-HOOFD", month).equals(other.readings("E-G1-HOOFD", month))


def test_organisation_is_shaped_like_lumc() -> None:
    divisions = {d.division for d in departments()}
    assert divisions == {"Divisie 1", "Divisie 2", "Divisie 3", "Divisie 4", "Bedrijfsvoering"}
    names = {d.name for d in departments()}
    assert {"OK-centrum", "Klinische Farmacie en Toxicologie", "Facilitair Bedrijf"} <= names
    codes = [c.code for c in cost_centres()]
    assert len(codes) == len(set(codes)) and all(re.fullmatch(r"K\d{4}", c) for c in codes)
    assert {c.building for c in cost_centres()} == set(BUILDINGS)
    assert sum(c.floor_area_m2 for c in cost_centres()) == sum(BUILDINGS.values())
    assert 250_000 <= sum(BUILDINGS.values()) <= 300_000


@pytest.mark.parametrize(
    ("month", "day", "minutes", "expected"),
    [
        (Month(2025, 3), 29, 15, 92),
        (Month(2025, 10), 25, 15, 100),
        (Month(2025, 10), 25, 60, 25),
        (Month(2025, 3), 29, 60, 23),
        (Month(2025, 6), 9, 15, 96),
    ],
)
def test_intervals_follow_local_days_across_dst(
    month: Month, day: int, minutes: int, expected: int
) -> None:
    calendar = interval_calendar(month, minutes)
    assert calendar.filter(pl.col("day") == day).height == expected


def test_pv_generates_only_in_daylight_and_mostly_in_summer() -> None:
    june, december = (
        MODEL.readings("PV-G2-DAK", Month(2025, 6)),
        MODEL.readings("PV-G2-DAK", Month(2025, 12)),
    )
    midnight = june.filter(pl.col("start").str.slice(11, 2) == "00")
    assert midnight["value"].sum() == 0
    assert june["value"].sum() > 4 * december["value"].sum()


def test_gas_follows_the_heating_season() -> None:
    assert (
        MODEL.readings("G-G1-HOOFD", Month(2025, 1))["value"].sum()
        > 2 * MODEL.readings("G-G1-HOOFD", Month(2025, 7))["value"].sum()
    )


def test_electricity_is_higher_on_weekday_afternoons_than_at_night() -> None:
    readings = MODEL.readings("E-G1-HOOFD", Month(2025, 10))
    hour = readings["start"].str.slice(11, 2).cast(pl.Int32)
    assert (
        readings.filter(hour == 14)["value"].mean()
        > 1.2 * readings.filter(hour == 3)["value"].mean()
    )


def test_waste_streams_are_eural_codes_and_residual_waste_is_largest() -> None:
    assert {s.code for s in STREAMS} <= reference_codes("eural.csv", "eural_code")
    by_code: dict[str, float] = {}
    for line in (x for m in year(2019) for x in MODEL.waste_lines(m)):
        by_code[line.code] = by_code.get(line.code, 0) + line.tenths_kg / 10
    assert max(by_code, key=by_code.__getitem__) == "20 03 01"
    assert 2_000_000 < sum(by_code.values()) < 4_000_000


def test_residual_waste_falls_nine_percent_from_2018_to_2024() -> None:
    def residual(month: Month) -> float:
        return sum(x.tenths_kg for x in MODEL.waste_lines(month) if x.code == "20 03 01")

    ratio = year_sum(year(2024), residual) / year_sum(year(2018), residual)
    assert ratio == pytest.approx(0.91, abs=0.01)


def test_energy_falls_one_and_a_half_percent_from_2019_to_2024() -> None:
    to_gj = {"kWh": 0.0036, "m3": 0.03517, "GJ": 1.0}
    consumers = [m for m in MODEL.meters() if m.direction == "consumption"]

    def energy_gj(month: Month) -> float:
        return sum(
            MODEL.readings(m.meter_id, month)["value"].sum() * to_gj[m.unit] for m in consumers
        )

    ratio = year_sum(year(2024), energy_gj) / year_sum(year(2019), energy_gj)
    assert ratio == pytest.approx(0.985, abs=0.004)


def test_central_kitchen_food_waste_drops_about_16000_kg_a_year() -> None:
    def kitchen_kg(y: int) -> float:
        events = events_between(7, "centrale-keuken", Month(y, 1).first_day, Month(y, 12).last_day)
        return (
            sum(
                e["weight_grams"]
                for e in events
                if e["station"] == "Centrale keuken" and not e["voided"]
            )
            / 1000
        )

    assert 14_000 < kitchen_kg(2022) - kitchen_kg(2024) < 18_000


def test_operating_room_gloves_drop_ten_percent() -> None:
    or_centres = [c.code for c in cost_centres() if c.kind == "ok"]

    def gloves(month: Month) -> float:
        issues = MODEL.disposable_issues(month).filter(
            pl.col("Categorie") == "Handschoenen niet-steriel",
            pl.col("Kostenplaats").is_in(or_centres),
        )
        return float((issues["Aantal"] * 100).sum())

    before, after = year_sum(year(2022), gloves), year_sum(year(2024), gloves)
    assert 4_500_000 < before < 5_300_000
    assert after / before == pytest.approx(0.90, abs=0.015)


def test_employees_stay_from_month_to_month_with_some_turnover() -> None:
    march, april = MODEL.commuting(Month(2025, 3)), MODEL.commuting(Month(2025, 4))
    shared = set(march["employee_id"]) & set(april["employee_id"])
    assert 9_000 < march.height < 11_000
    assert 0.97 * march.height < len(shared) < march.height


def test_more_public_transport_for_seven_km_and_more_since_october_2024() -> None:
    def ov_share(month: Month) -> float:
        far = MODEL.commuting(month).filter(pl.col("one_way_km") >= 7)
        return float(np.mean(far["mode"].to_numpy() == "OV"))

    assert ov_share(Month(2025, 3)) > ov_share(Month(2024, 3)) + 0.1


def test_business_travel_uses_known_airports_only() -> None:
    assert set(AIRPORTS) <= reference_codes("airports.csv", "iata")
