"""Mobility connector: commuting and business travel, both personal data.

parse() refuses only what it cannot read or compute; value problems (an unknown
department, a personnel number twice) are caught by the expectations
(tests/expectations), which also never name a personnel number.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from groendraad.config import SourceConfig
from groendraad.errors import SourceError
from groendraad.months import Month
from groendraad.sources import mobility, reference
from groendraad.sources.base import ParseContext, Reference
from groendraad.warehouse.schema import conform, table

FIXTURES = Path(__file__).parent / "fixtures"
CASES = FIXTURES / "mobility"
MONTH = Month(2025, 10)

BAD_CASES = [
    ("unknown_airport", "zakelijk", 3, "Naar: unknown airport code (not in sources/airports.csv"),
    (
        "train_without_distance",
        "zakelijk",
        4,
        "Afstand (km) is empty and Vervoerswijze is not Vliegtuig (only flights may omit it)",
    ),
]


def organisation() -> Reference:
    settings = {"key_figures": "kerncijfers.csv", "organisation": "organisatie.csv"}
    source_config = SourceConfig("reference", settings, FIXTURES / "reference" / "good")
    frames = reference.parse(
        reference.fetch(None, MONTH, source_config), ParseContext(MONTH, source_config)
    )
    return reference.reference_from(frames["organisation"])


def config(case: str, **extra: object) -> SourceConfig:
    settings = {
        "commuting": "woonwerk_{month}.csv",
        "business_travel": "zakelijk_{month}.csv",
        **extra,
    }
    return SourceConfig(name="mobility", settings=settings, base_dir=CASES / case)


def gather(case: str, **extra: object) -> dict[str, pl.DataFrame]:
    source_config = config(case, **extra)
    raw = mobility.fetch(None, MONTH, source_config)
    return mobility.parse(raw, ParseContext(MONTH, source_config, organisation()))


@pytest.mark.parametrize("name", mobility.TABLES)
def test_good_delivery(name: str) -> None:
    frame = conform(name, gather("good")[name])
    path = CASES / "good" / "expected" / f"{name}.csv"
    assert_frame_equal(frame, pl.read_csv(path, schema=table(name).schema))


def test_commute_km_is_twice_one_way_times_days() -> None:
    commuting = gather("good")["commuting"]
    assert commuting["commute_km"].to_list() == pytest.approx(
        (2 * commuting["one_way_km"] * commuting["travel_days"]).to_list()
    )


def test_flight_without_distance_is_great_circle_times_uplift() -> None:
    trips = gather("good")["business_travel"]
    flight = trips.filter((pl.col("origin") == "AMS") & (pl.col("destination") == "LHR"))
    great_circle = flight["distance_km"].item() / 1.08
    assert great_circle == pytest.approx(370, abs=3)
    assert flight["distance_method"].item() == "great_circle_uplift"


def test_uplift_comes_from_config() -> None:
    trips = gather("good", flight_uplift=1.0)["business_travel"]
    assert trips.filter(pl.col("origin") == "AMS")["distance_km"][0] == pytest.approx(
        369.96, abs=0.01
    )


def test_great_circle_is_symmetric_and_zero_at_home() -> None:
    coords = pl.DataFrame({"a": [52.3086, 51.47], "b": [4.7639, -0.4543]})
    there = coords.select(
        mobility.great_circle_km(
            pl.col("a"), pl.col("b"), pl.col("a").reverse(), pl.col("b").reverse()
        )
    )
    assert there.to_series().to_list() == pytest.approx([369.96, 369.96], abs=0.01)
    here = coords.select(
        mobility.great_circle_km(pl.col("a"), pl.col("b"), pl.col("a"), pl.col("b"))
    )
    assert here.to_series().to_list() == [0.0, 0.0]


def test_missing_file() -> None:
    with pytest.raises(SourceError) as error:
        mobility.fetch(None, MONTH, config("missing_business_travel"))
    assert "zakelijk_2025-10.csv: file not found: the delivery for 2025-10" in str(error.value)


@pytest.mark.parametrize(("case", "file", "line", "what"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_deliveries(case: str, file: str, line: int, what: str) -> None:
    with pytest.raises(SourceError) as error:
        gather(case)
    assert error.value.record == line
    assert f"{case}/{file}_2025-10.csv line {line}: " in str(error.value)
    assert what in str(error.value)


def test_value_problems_are_kept_for_the_expectations() -> None:
    commuting = gather("duplicate_employee")["commuting"]
    assert commuting.filter(pl.col("employee_id").is_duplicated())["source_line"].to_list() == [
        3,
        5,
    ]
    unknown = gather("unknown_department")["commuting"].filter(pl.col("source_line") == 4)
    assert unknown["department"].item() == "Radiologie"


def test_parse_needs_the_reference() -> None:
    raw = mobility.fetch(None, MONTH, config("good"))
    with pytest.raises(SourceError, match="no organisation reference"):
        mobility.parse(raw, ParseContext(MONTH, config("good"), None))
