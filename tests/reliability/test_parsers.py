"""Hostile deliveries at the parsers: each refused with a clear, located error.

The cases are data (deliveries.BUILDERS, listed in cases.py); each is parsed the way
a run parses it, with the organisation reference of the demo hospital.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from groendraad.errors import SourceError
from groendraad.sources import disposables, reference, sandbox
from groendraad.sources.base import ParseContext, RawPart
from groendraad.sources.finite import check_finite

from . import cases
from .deliveries import BUILDERS, OCTOBER, good, source_config
from .hospital import FILES

HOSTILE = cases.ids("test_parsers.py::test_hostile_delivery")


def organisation(folder: Path):
    """The demo hospital's reference, parsed as a run parses it."""
    part = RawPart("organisatie.csv", "o", (folder / "referentie/organisatie.csv").read_bytes())
    return reference.reference_from(reference.parse_organisation(part))


def parse(connector, delivery, folder: Path):
    context = ParseContext(OCTOBER, source_config(connector, folder), organisation(folder))
    frames = connector.parse(delivery, context)
    check_finite(connector.NAME, "delivery", frames)
    return frames


def test_every_case_has_a_delivery() -> None:
    assert sorted(HOSTILE) == sorted(BUILDERS)


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_delivery(case: str, generated: Path) -> None:
    hostile = BUILDERS[case](generated)
    with pytest.raises(SourceError) as refused:
        parse(hostile.connector, hostile.delivery, generated)
    error = refused.value
    assert hostile.says in str(error)
    assert error.location and error.location in str(error)  # names the file or URL
    if hostile.record is not None:
        assert error.record == hostile.record
    for value in hostile.secret:
        assert value not in str(error), f"personal value {value!r} in: {error}"


def test_the_good_deliveries_parse(generated: Path) -> None:
    """The deliveries the cases start from are good: each case breaks one thing."""
    from .deliveries import csv_lines, delivery, mobility_with

    for connector, what in ((disposables, "disposables"),):
        name = Path(FILES[what]).name.format(month=OCTOBER)
        assert parse(connector, delivery(connector.NAME, (name, good(generated, what))), generated)
    commuting = csv_lines(generated, "commuting")
    frames = parse(
        __import__("groendraad.sources.mobility").sources.mobility,
        mobility_with(commuting, generated),
        generated,
    )
    assert frames["commuting"].height == len([c for c in commuting[1:] if c])


def test_the_reader_process_dying_fails_only_that_file(generated: Path) -> None:
    """Past the used-range bound (here: lifted), the reader process aborts; the file
    fails with a located error and the next workbook is read by a new reader."""
    hostile = BUILDERS["xlsx-xfd1048576"](generated)
    part = hostile.delivery.parts[0]
    with pytest.raises(SourceError) as refused:
        disposables.read_sheet(part, "Uitgifte", 3, max_cells=10**12)
    assert "the spreadsheet reader stopped while reading this workbook" in str(refused.value)
    assert part.location in str(refused.value)
    content = good(generated, "disposables")
    again = disposables.read_sheet(RawPart("u.xlsx", "u.xlsx", content), "Uitgifte", 3)
    assert again.height > 100
    sandbox.shutdown()
