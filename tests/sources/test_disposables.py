"""Disposables connector: XLSX cases written by fixtures/disposables/make_fixtures.py.

parse() refuses only what it cannot read; value problems (an unknown cost centre, a
Periode of another month) are caught by the expectations (tests/expectations).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from groendraad.config import SourceConfig
from groendraad.errors import SourceError
from groendraad.months import Month
from groendraad.sources import disposables, reference
from groendraad.sources.base import ParseContext, Reference
from groendraad.warehouse.schema import conform, table

FIXTURES = Path(__file__).parent / "fixtures"
CASES = FIXTURES / "disposables"
MONTH = Month(2025, 10)
FILE = "uitgifte_2025-10.xlsx"

BAD_CASES = [
    ("unknown_unit", 5, "unknown unit 'DOOS' in Eenheid"),
]


def organisation() -> Reference:
    settings = {"key_figures": "kerncijfers.csv", "organisation": "organisatie.csv"}
    source_config = SourceConfig("reference", settings, FIXTURES / "reference" / "good")
    frames = reference.parse(
        reference.fetch(None, MONTH, source_config), ParseContext(MONTH, source_config)
    )
    return reference.reference_from(frames["organisation"])


def config(case: str) -> SourceConfig:
    settings = {"path": "uitgifte_{month}.xlsx", "sheet": "Uitgifte", "header_row": 3}
    return SourceConfig(name="disposables", settings=settings, base_dir=CASES / case)


def gather(case: str) -> dict[str, pl.DataFrame]:
    source_config = config(case)
    raw = disposables.fetch(None, MONTH, source_config)
    return disposables.parse(raw, ParseContext(MONTH, source_config, organisation()))


def test_good_delivery() -> None:
    issues = conform("disposables_issues", gather("good")["disposables_issues"])
    path = CASES / "good" / "expected" / "disposables_issues.csv"
    assert_frame_equal(issues, pl.read_csv(path, schema=table("disposables_issues").schema))


def test_packs_are_converted_to_pieces() -> None:
    issues = gather("good")["disposables_issues"].filter(pl.col("unit") == "DS100")
    assert issues.select("quantity", "pack_size", "pieces").row(0) == (12.0, 100, 1200.0)
    assert issues["mass_kg"].item() == pytest.approx(1200 * 3.2 / 1000)


def test_gtin_stored_as_a_number_is_zero_padded() -> None:
    issues = gather("good")["disposables_issues"]
    assert issues.filter(pl.col("article_number") == "100410")["gtin"].item() == "0871234500002"


def test_unknown_cost_centre_gets_no_department() -> None:
    issues = gather("unknown_cost_centre")["disposables_issues"]
    unknown = issues.filter(pl.col("cost_centre") == "K9999")
    assert unknown["source_line"].to_list() == [8]
    assert unknown.select("department", "division").row(0) == (None, None)
    assert issues.filter(pl.col("cost_centre") != "K9999")["department"].null_count() == 0


def test_wrong_period_is_kept_for_the_expectations() -> None:
    issues = gather("wrong_period")["disposables_issues"]
    assert issues.filter(pl.col("period") != "2025-10")["source_line"].to_list() == [6]


def test_truncated_workbook() -> None:
    with pytest.raises(SourceError) as error:
        gather("truncated")
    assert f"truncated/{FILE}: not a readable XLSX file" in str(error.value)


def test_missing_file() -> None:
    with pytest.raises(SourceError) as error:
        disposables.fetch(None, Month(2025, 11), config("good"))
    assert "uitgifte_2025-11.xlsx: file not found: the delivery for 2025-11" in str(error.value)


def test_missing_sheet() -> None:
    settings = {**config("good").settings, "sheet": "Blad1"}
    source_config = SourceConfig("disposables", settings, CASES / "good")
    raw = disposables.fetch(None, MONTH, source_config)
    with pytest.raises(SourceError, match=r"no sheet 'Blad1' \(found: \['Uitgifte'\]\)"):
        disposables.parse(raw, ParseContext(MONTH, source_config, organisation()))


def test_without_reference() -> None:
    raw = disposables.fetch(None, MONTH, config("good"))
    with pytest.raises(SourceError, match="no organisation reference"):
        disposables.parse(raw, ParseContext(MONTH, config("good"), None))


@pytest.mark.parametrize(("case", "row", "what"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_deliveries(case: str, row: int, what: str) -> None:
    with pytest.raises(SourceError) as error:
        gather(case)
    assert error.value.record == row
    assert f"{case}/{FILE} line {row}: " in str(error.value)
    assert what in str(error.value)


def test_committed_workbooks_match_the_script(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_fixtures", CASES / "make_fixtures.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    rebuilt = tmp_path / FILE
    script.write_workbook(rebuilt, script.GOOD_ROWS)
    assert rebuilt.read_bytes() == (CASES / "good" / FILE).read_bytes()
