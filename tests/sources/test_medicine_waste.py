"""Medicine-waste connector: the pharmacy's registrations.

parse() refuses only what it cannot read; the department, ATC code, unit and reason
are judged by the expectations (tests/expectations: the fixtures bad_atc,
unknown_department, bad_reason and bad_unit are caught there).
"""

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

VALUE_CASES = [
    ("bad_atc", 3, "atc", "J01CR2"),
    ("unknown_department", 5, "department", "Radiologie"),
    ("bad_reason", 4, "reason", "Kapot"),
    ("bad_unit", 6, "unit", "liter"),
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


@pytest.mark.parametrize(("case", "line", "column", "value"), VALUE_CASES)
def test_values_are_kept_as_delivered(case: str, line: int, column: str, value: str) -> None:
    rows = gather(case)["medicine_waste"]
    assert rows.filter(pl.col("source_line") == line)[column].item() == value


def test_a_value_that_is_not_a_number_is_a_located_error(tmp_path: Path) -> None:
    good = (CASES / "good" / FILE).read_text(encoding="utf-8")
    (tmp_path / FILE).write_text(good.replace(";4,80", ";4.80"), encoding="utf-8")
    source_config = SourceConfig("medicine_waste", {"path": FILE}, tmp_path)
    raw = medicine_waste.fetch(None, MONTH, source_config)
    with pytest.raises(SourceError) as error:
        medicine_waste.parse(raw, ParseContext(MONTH, source_config, organisation()))
    assert error.value.record == 2
    assert "Waarde (EUR): not a number: '4.80'" in str(error.value)
