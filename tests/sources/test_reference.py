"""Reference connector: key figures (UTF-8 with BOM) and organisation (Windows-1252)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from groendraad.config import SourceConfig
from groendraad.errors import SourceError
from groendraad.months import Month
from groendraad.sources import reference
from groendraad.sources.base import ParseContext, Reference
from groendraad.warehouse.schema import conform, table

FIXTURES = Path(__file__).parent / "fixtures" / "reference"
MONTH = Month(2025, 10)

BAD_CASES = [
    (
        "duplicate_cost_centre",
        "organisatie.csv",
        6,
        "Kostenplaats 'K2320' already appears on line 3",
    ),
    (
        "renamed_header",
        "organisatie.csv",
        1,
        "missing: ['Afdeling']; unexpected: ['Afdelingsnaam']",
    ),
    ("bad_key_figure", "kerncijfers.csv", 4, "Maaltijden: not a number: 'veel'"),
]


def config(case: str) -> SourceConfig:
    settings = {"key_figures": "kerncijfers.csv", "organisation": "organisatie.csv"}
    return SourceConfig(name="reference", settings=settings, base_dir=FIXTURES / case)


def gather(case: str, month: Month = MONTH) -> dict[str, pl.DataFrame]:
    source_config = config(case)
    raw = reference.fetch(None, month, source_config)
    return reference.parse(raw, ParseContext(month, source_config))


def expected(name: str) -> pl.DataFrame:
    path = FIXTURES / "good" / "expected" / f"{name}.csv"
    return pl.read_csv(path, schema=table(name).schema)


def test_good_delivery() -> None:
    frames = gather("good")
    assert set(frames) == set(reference.TABLES)
    for name, frame in frames.items():
        assert_frame_equal(conform(name, frame), expected(name))


def test_windows_1252_department_survives() -> None:
    assert b"Pati\xebntenservice" in (FIXTURES / "good" / "organisatie.csv").read_bytes()
    assert "Patiëntenservice" in gather("good")["organisation"]["department"].to_list()


def test_fetch_delivers_both_files_in_order() -> None:
    raw = reference.fetch(None, MONTH, config("good"))
    assert [part.name for part in raw.parts] == ["kerncijfers.csv", "organisatie.csv"]


def test_no_row_for_the_month() -> None:
    with pytest.raises(SourceError) as error:
        gather("good", Month(2025, 11))
    assert "kerncijfers.csv" in str(error.value)
    assert "no row for Maand 2025-11" in str(error.value)


def test_missing_file(tmp_path: Path) -> None:
    (tmp_path / "kerncijfers.csv").write_bytes((FIXTURES / "good" / "kerncijfers.csv").read_bytes())
    source_config = SourceConfig("reference", config("good").settings, tmp_path)
    with pytest.raises(SourceError, match="organisatie.csv: file not found: the delivery for"):
        reference.fetch(None, MONTH, source_config)


@pytest.mark.parametrize(("case", "file", "line", "what"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_deliveries(case: str, file: str, line: int, what: str) -> None:
    with pytest.raises(SourceError) as error:
        gather(case)
    assert error.value.record == line
    assert f"{case}/{file} line {line}: " in str(error.value)
    assert what in str(error.value)


def test_reference_from_the_parsed_organisation() -> None:
    built = reference.reference_from(gather("good")["organisation"])
    assert isinstance(built, Reference)
    assert "Cardiologie" in built.departments()
    with pytest.raises(ValueError, match="lacks columns"):
        reference.reference_from(pl.DataFrame({"cost_centre": ["K1"]}))


def test_require_without_reference() -> None:
    context = ParseContext(MONTH, config("good"), None)
    with pytest.raises(SourceError, match="mobility: .*no organisation reference"):
        reference.require(context, "mobility")
