"""Medicine-waste connector: the pharmacy's registrations."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from groendraad.config import SourceConfig
from groendraad.errors import SourceError
from groendraad.months import Month
from groendraad.sources import medicine_waste, reference
from groendraad.sources.base import ParseContext, Reference
from groendraad.warehouse.schema import conform, table

FIXTURES = Path(__file__).parent / "fixtures"
CASES = FIXTURES / "medicine_waste"
MONTH = Month(2025, 10)
FILE = "geneesmiddelverspilling_2025-10.csv"

BAD_CASES = [
    ("bad_atc", 3, "ATC 'J01CR2' is not an ATC code (expected like N02BE01)"),
    ("unknown_department", 5, "unknown department 'Radiologie' in Afdeling"),
    ("bad_reason", 4, "unknown Reden 'Kapot' (expected one of: Verlopen,"),
    ("bad_unit", 6, "unknown Eenheid 'liter' (expected one of: stuk, ml, flacon, ampul)"),
]


def organisation() -> Reference:
    settings = {"key_figures": "kerncijfers.csv", "organisation": "organisatie.csv"}
    source_config = SourceConfig("reference", settings, FIXTURES / "reference" / "good")
    frames = reference.parse(
        reference.fetch(None, MONTH, source_config), ParseContext(MONTH, source_config)
    )
    return reference.reference_from(frames["organisation"])


def config(case: str) -> SourceConfig:
    settings = {"path": "geneesmiddelverspilling_{month}.csv"}
    return SourceConfig(name="medicine_waste", settings=settings, base_dir=CASES / case)


def gather(case: str) -> dict[str, pl.DataFrame]:
    source_config = config(case)
    raw = medicine_waste.fetch(None, MONTH, source_config)
    return medicine_waste.parse(raw, ParseContext(MONTH, source_config, organisation()))


def test_good_delivery() -> None:
    frame = conform("medicine_waste", gather("good")["medicine_waste"])
    path = CASES / "good" / "expected" / "medicine_waste.csv"
    assert_frame_equal(frame, pl.read_csv(path, schema=table("medicine_waste").schema))


def test_missing_file() -> None:
    with pytest.raises(SourceError) as error:
        medicine_waste.fetch(None, Month(2025, 11), config("good"))
    message = str(error.value)
    assert (
        "geneesmiddelverspilling_2025-11.csv: file not found: the delivery for 2025-11" in message
    )


@pytest.mark.parametrize(("case", "line", "what"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_deliveries(case: str, line: int, what: str) -> None:
    with pytest.raises(SourceError) as error:
        gather(case)
    assert error.value.record == line
    assert f"{case}/{FILE} line {line}: " in str(error.value)
    assert what in str(error.value)
