"""Every bad delivery of sources.md that reaches the frames is caught by the check meant
for it, with its rows located. (A missing, truncated or unreadable file never gets this
far: the connectors refuse it, see tests/sources.)

Deliveries are either the connectors' fixture files (tests/sources/fixtures), parsed by
the connector as the pipeline does, or a clean month (clean_month.py) with one thing
broken.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import polars as pl
import pytest

from groendraad.config import SourceConfig
from groendraad.expectations import ValidationOutcome
from groendraad.sources import disposables, medicine_waste, mobility, reference, waste
from groendraad.sources.base import ParseContext, Reference

from . import clean_month
from .clean_month import MONTH, Validate, failures

FIXTURES = Path(__file__).parents[1] / "sources" / "fixtures"


def organisation() -> Reference:
    settings = {"key_figures": "kerncijfers.csv", "organisation": "organisatie.csv"}
    source_config = SourceConfig("reference", settings, FIXTURES / "reference" / "good")
    raw = reference.fetch(None, MONTH, source_config)
    return reference.reference_from(
        reference.parse(raw, ParseContext(MONTH, source_config))["organisation"]
    )


def delivered(connector: ModuleType, case: str, **settings: str) -> dict[str, pl.DataFrame]:
    """The frames a connector parses from one fixture folder, as in the pipeline."""
    source_config = SourceConfig(connector.NAME, settings, FIXTURES / connector.NAME / case)
    raw = connector.fetch(None, MONTH, source_config)
    return connector.parse(raw, ParseContext(MONTH, source_config, organisation()))


def check_fixture(
    validate: Validate, connector: ModuleType, case: str, **settings: str
) -> ValidationOutcome:
    frames = delivered(connector, case, **settings)
    return validate(
        connector.NAME, frames, organisation=organisation().organisation, warehouse=None
    )


WASTE = {"path": "afval_{month}.csv"}
DISPOSABLES = {"path": "uitgifte_{month}.xlsx"}
MOBILITY = {"commuting": "woonwerk_{month}.csv", "business_travel": "zakelijk_{month}.csv"}
MEDICINE = {"path": "geneesmiddelverspilling_{month}.csv"}


def test_the_good_fixtures_pass_their_blocking_checks(validate: Validate) -> None:
    cases = [
        (waste, "utf8_bom", WASTE),
        (waste, "cp1252", WASTE),
        (disposables, "good", DISPOSABLES),
        (mobility, "good", MOBILITY),
        (medicine_waste, "good", MEDICINE),
    ]
    for connector, case, settings in cases:
        assert check_fixture(validate, connector, case, **settings).blocking == []


# -- units off by 1,000 -------------------------------------------------------------


def test_waste_in_tonnes_instead_of_kg(validate: Validate) -> None:
    frames = clean_month.waste(MONTH)
    tonnes = frames["waste_collections"].with_columns(pl.col("weight_kg") / 1000)
    frames = {"waste_collections": tonnes, "waste_totals": clean_month.waste_totals(tonnes, MONTH)}
    outcome = validate("waste", frames)
    assert set(failures(outcome)) == {"waste_collections.month_over_month"}
    check = failures(outcome)["waste_collections.month_over_month"]
    assert check.severity == "blocking" and outcome.blocking_failed
    assert "ratio_to_trailing_median=0.00097" in check.unexpected_sample[0]


@pytest.mark.parametrize("factor", [1 / 1000, 1000], ids=["MWh as kWh", "Wh as kWh"])
def test_one_meter_a_thousand_times_off(validate: Validate, factor: float) -> None:
    frames = clean_month.energy(MONTH)
    one_meter = pl.col("meter_id") == "E-G1"
    value = pl.when(one_meter).then(pl.col("value") * factor).otherwise(pl.col("value"))
    frames["energy_readings"] = frames["energy_readings"].with_columns(value.alias("value"))
    outcome = validate("energy", frames)
    assert set(failures(outcome)) == {"energy_readings.month_over_month"}
    check = failures(outcome)["energy_readings.month_over_month"]
    assert (check.rows_affected, check.rows_checked) == (1, 3)
    assert check.unexpected_sample[0].startswith("meter_id='E-G1', measure='value'")


# -- duplicate lines ----------------------------------------------------------------


def repeat_line(frame: pl.DataFrame, index: int) -> pl.DataFrame:
    """The row at ``index`` delivered twice: the copy right after it, lines renumbered."""
    rows = pl.concat([frame.head(index + 1), frame.slice(index, None)])
    first = frame["source_line"].min()
    return rows.with_columns(
        pl.int_range(first, first + rows.height).cast(pl.Int32).alias("source_line")
    )


@pytest.mark.parametrize(
    ("source", "table", "expectation"),
    [
        ("waste", "waste_collections", "waste_collections.duplicate_lines"),
        ("disposables", "disposables_issues", "disposables_issues.duplicate_lines"),
        ("mobility", "business_travel", "business_travel.duplicate_lines"),
        ("mobility", "commuting", "commuting.unique_key"),
    ],
)
def test_duplicate_lines(validate: Validate, source: str, table: str, expectation: str) -> None:
    frames = clean_month.month_of(source, MONTH)
    frames[table] = repeat_line(frames[table], 4)
    check = failures(validate(source, frames))[expectation]
    assert (check.severity, check.rows_affected) == ("blocking", 2)
    first_line = int(frames[table]["source_line"][4])
    assert [s.split(",")[0] for s in check.unexpected_sample] == [
        f"source_line={first_line}",
        f"source_line={first_line + 1}",
    ]


def test_a_repeated_waste_line_also_breaks_the_totaal(validate: Validate) -> None:
    frames = clean_month.waste(MONTH)
    frames["waste_collections"] = repeat_line(frames["waste_collections"], 0)
    assert {"waste_collections.duplicate_lines", "waste_totals.totaal_matches_lines"} <= set(
        failures(validate("waste", frames))
    )


def test_a_meter_interval_delivered_twice(validate: Validate) -> None:
    frames = clean_month.energy(MONTH)
    frames["energy_readings"] = pl.concat(
        [frames["energy_readings"], frames["energy_readings"].head(1)]
    )
    check = failures(validate("energy", frames))["energy_readings.unique_key"]
    assert check.rows_affected == 2
    assert check.unexpected_sample[0].startswith("meter_id='E-G1', interval_start=2025-09-30T22:00")


def test_a_personnel_number_twice_never_names_it(validate: Validate) -> None:
    outcome = check_fixture(validate, mobility, "duplicate_employee", **MOBILITY)
    check = failures(outcome)["commuting.unique_key"]
    assert check.unexpected_sample == ("source_line=3", "source_line=5")
    everything = repr(outcome.results)
    assert "P-0c21d4" not in everything and "employee_id=" not in everything


# -- unknown codes, cost centres, departments -----------------------------------------


def test_unknown_eural_code(validate: Validate) -> None:
    check = failures(check_fixture(validate, waste, "unknown_eural", **WASTE))[
        "waste_collections.eural_code_known"
    ]
    assert (check.severity, check.rows_affected) == ("blocking", 1)
    assert check.unexpected_sample == ("source_line=4, eural_code='20 03 99'",)


def test_eural_code_without_its_asterisk(validate: Validate) -> None:
    frames = clean_month.waste(MONTH)
    code = pl.col("eural_code").str.strip_chars_end("*")
    frames["waste_collections"] = frames["waste_collections"].with_columns(code)
    check = failures(validate("waste", frames))["waste_collections.eural_code_known"]
    assert check.unexpected_sample[0] == "source_line=2, eural_code='18 01 03'"


def test_unknown_processing_route(validate: Validate) -> None:
    check = failures(check_fixture(validate, waste, "unknown_route", **WASTE))[
        "waste_collections.values.processing_route"
    ]
    assert check.unexpected_sample == ("source_line=6, processing_route='Hergebruiken'",)


def test_unknown_cost_centre(validate: Validate) -> None:
    outcome = check_fixture(validate, disposables, "unknown_cost_centre", **DISPOSABLES)
    check = failures(outcome)["disposables_issues.cost_centre_known"]
    assert (check.severity, check.unexpected_sample) == (
        "blocking",
        ("source_line=8, cost_centre='K9999'",),
    )


def test_an_export_of_another_month(validate: Validate) -> None:
    outcome = check_fixture(validate, disposables, "wrong_period", **DISPOSABLES)
    check = failures(outcome)["disposables_issues.period_is_month"]
    assert check.unexpected_sample == ("source_line=6, period='2025-09'",)


@pytest.mark.parametrize(
    ("connector", "settings", "expectation", "line"),
    [
        (mobility, MOBILITY, "commuting.department_known", 4),
        (medicine_waste, MEDICINE, "medicine_waste.department_known", 5),
    ],
    ids=["commuting", "medicine_waste"],
)
def test_unknown_department(
    validate: Validate, connector: ModuleType, settings: dict, expectation: str, line: int
) -> None:
    outcome = check_fixture(validate, connector, "unknown_department", **settings)
    check = failures(outcome)[expectation]
    shown = "column department" if connector is mobility else "department='Radiologie'"
    located = f"source_line={line}, {shown}"  # a personal table's values are never shown
    assert (check.severity, check.unexpected_sample) == ("blocking", (located,))


@pytest.mark.parametrize(
    ("case", "expectation", "located"),
    [
        ("bad_atc", "medicine_waste.atc_format", "source_line=3, atc='J01CR2'"),
        ("bad_reason", "medicine_waste.values.reason", "source_line=4, reason='Kapot'"),
        ("bad_unit", "medicine_waste.values.unit", "source_line=6, unit='liter'"),
    ],
)
def test_bad_medicine_codes(validate: Validate, case: str, expectation: str, located: str) -> None:
    outcome = check_fixture(validate, medicine_waste, case, **MEDICINE)
    assert failures(outcome)[expectation].unexpected_sample == (located,)
    assert outcome.blocking_failed


# -- a Totaal line that does not match ------------------------------------------------


def test_totaal_mismatch(validate: Validate) -> None:
    outcome = check_fixture(validate, waste, "total_mismatch", **WASTE)
    check = failures(outcome)["waste_totals.totaal_matches_lines"]
    assert (check.severity, check.rows_affected) == ("blocking", 1)
    assert check.unexpected_sample == (
        "file_name='afval_2025-10.csv', source_line=10, declared_total_kg=7609.55,"
        " lines_total_kg=7489.55, difference_kg=-120",
    )


# -- missing meter intervals ----------------------------------------------------------


@pytest.mark.parametrize("style", ["left out", "status missing"])
def test_missing_meter_intervals(validate: Validate, style: str) -> None:
    frames = clean_month.energy(MONTH)
    readings = frames["energy_readings"]
    local = pl.col("interval_start").dt.convert_time_zone("Europe/Amsterdam")
    gap = (pl.col("meter_id") == "E-G1") & (local.dt.day() == 14) & local.dt.hour().is_between(3, 4)
    if style == "left out":
        readings = readings.filter(~gap)
    else:
        value = pl.when(gap).then(None).otherwise(pl.col("value"))
        status = pl.when(gap).then(pl.lit("missing")).otherwise(pl.col("status"))
        readings = readings.with_columns(value.alias("value"), status.alias("status"))
    frames["energy_readings"] = readings
    outcome = validate("energy", frames)
    assert set(failures(outcome)) == {"energy_readings.intervals_complete"}
    check = failures(outcome)["energy_readings.intervals_complete"]
    assert check.unexpected_sample == (
        "meter_id='E-G1', day=2025-10-14, first_missing='03:00 CEST', expected_intervals=96,"
        " missing_intervals=8",
    )


def test_the_extra_hour_of_the_october_switch_day_is_required(validate: Validate) -> None:
    """2025-10-26 has 100 quarter-hours; a delivery that forgets the repeated hour
    (02:00-03:00 happens twice) misses 4 of them."""
    frames = clean_month.energy(MONTH)
    starts = frames["energy_readings"]["interval_start"]
    repeated = starts.dt.convert_time_zone("Europe/Amsterdam").dt.strftime("%Y-%m-%d %H %z")
    second = pl.Series(repeated == "2025-10-26 02 +0100")
    frames["energy_readings"] = frames["energy_readings"].filter(
        ~(second & (pl.col("meter_id") == "E-G1"))
    )
    check = failures(validate("energy", frames))["energy_readings.intervals_complete"]
    assert check.unexpected_sample == (
        "meter_id='E-G1', day=2025-10-26, first_missing='02:00 CET', expected_intervals=100,"
        " missing_intervals=4",
    )


def test_a_meter_without_readings(validate: Validate) -> None:
    frames = clean_month.energy(MONTH)
    frames["energy_readings"] = frames["energy_readings"].filter(pl.col("meter_id") != "G-G1")
    check = failures(validate("energy", frames))["energy_readings.intervals_complete"]
    assert check.rows_affected == 31
    assert check.unexpected_sample[0].startswith("meter_id='G-G1', day=2025-10-01")


# -- severities: a warning publishes with a flag, a blocking failure publishes nothing ---


def test_many_estimates_are_a_warning(validate: Validate) -> None:
    """An hourly meter's October has 745 hours (the 26th has 25)."""
    frames = clean_month.energy(MONTH)
    estimated = pl.when(pl.col("meter_id") == "G-G1").then(pl.lit("estimated"))
    frames["energy_readings"] = frames["energy_readings"].with_columns(
        estimated.otherwise(pl.col("status")).alias("status")
    )
    outcome = validate("energy", frames)
    assert [r.expectation for r in outcome.warnings] == ["energy_readings.estimated_share"]
    assert (outcome.blocking_failed, outcome.quality) == (False, "warning")
    assert outcome.warnings[0].unexpected_sample == (
        "meter_id='G-G1', estimated=745, intervals=745, estimated_share=1",
    )
