"""Property-based fuzzing of every parser (hypothesis).

Each parser gets the demo hospital's real deliveries, mutated (a field replaced by a
hostile value, lines dropped or repeated, bytes cut, flipped or re-encoded), or
generated records. Whatever it gets, parsing as a run parses (parse, then the finite
guard) ends in one of two ways:

- a SourceError naming the file or URL (never any other exception: no crash), and for
  the personal HR and travel files with no value of the file in its message;
- tables whose figures are all finite and, where the mutation allows an independent
  answer (one field replaced), exactly the figures that answer gives.

``GROENDRAAD_FUZZ=thorough`` runs 10,000 inputs per parser (conftest.py).
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from groendraad.errors import SourceError
from groendraad.sources import (
    disposables,
    energy,
    food_waste,
    medicine_waste,
    mobility,
    reference,
    waste,
)
from groendraad.sources.base import ParseContext, RawDelivery, RawPart
from groendraad.sources.finite import check_finite

from .deliveries import METERS, OCTOBER, csv_lines, food_delivery, source_config
from .test_parsers import organisation

# Hypothesis warns when the global `random` state changes while a strategy draws. Ours
# never touch it, but in the whole suite other tests leave Prefect's background threads
# (log and event workers, retry jitter) running in this process, and they do: a
# spurious warning that -W error would turn into a random CI failure.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies"
    ":hypothesis.errors.HypothesisDeprecationWarning"
)

HOSTILE = st.one_of(
    st.sampled_from([
        "NaN", "nan", "Infinity", "-inf", "inf", "1e999", "9" * 400, "", " ", "1.234,5",
        "-0", "0,0", "12,5e3", "<script>x</script>", ";", '"', "\x00", "31-02-2025",
        "2025-10-01", "Totaal", "\u221e", "0x10", "1_000", "١٢", "1.2.3", ",5", "5,",
    ]),
    st.text(max_size=12),
    st.from_regex(r"-?\d{1,6}(,\d{1,3})?", fullmatch=True),
    st.from_regex(r"\d{1,3}(\.\d{3}){1,3},\d", fullmatch=True),
)  # fmt: skip
_DUTCH = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_SAMPLE_LINES = 40


@pytest.fixture(scope="module")
def folder(generated: Path) -> Path:
    return generated


@pytest.fixture(scope="module")
def reference_of(folder: Path):
    return organisation(folder)


def dutch(value: str) -> float | None:
    """An independent reading of a Dutch number (None: the parser must refuse it)."""
    value = value.strip()
    if not _DUTCH.match(value):
        return None
    number = float(value.replace(".", "").replace(",", "."))
    return number if abs(number) < 1e308 else None


def sample(folder: Path, what: str) -> list[str]:
    """The header and the first data lines of a real delivery."""
    lines = [line for line in csv_lines(folder, what) if line]
    return lines[: _SAMPLE_LINES + 1]


def with_total(lines: list[str]) -> list[str]:
    """Waste lines with a Totaal line that matches them."""
    total = sum(dutch(line.split(";")[6]) or 0.0 for line in lines[1:])
    return [*lines, "Totaal;;;;;;" + f"{total:.1f}".replace(".", ",")]


@st.composite
def mutated(draw, lines: list[str]) -> tuple[bytes, tuple[int, int, str] | None]:
    """(file bytes, the one field replaced or None) from a valid CSV's ``lines``."""
    kind = draw(st.sampled_from(["field", "field", "field", "lines", "bytes", "encoding"]))
    if kind == "field":
        line = draw(st.integers(1, len(lines) - 1))
        fields = lines[line].split(";")
        column = draw(st.integers(0, len(fields) - 1))
        value = draw(HOSTILE)
        fields[column] = value
        changed = [*lines[:line], ";".join(fields), *lines[line + 1 :]]
        clean = not any(c in value for c in ';"\r\n') and value == value.strip()
        return "\r\n".join(changed).encode("utf-8"), (line, column, value) if clean else None
    text = "\r\n".join(lines).encode("utf-8")
    if kind == "lines":
        order = draw(st.lists(st.integers(0, len(lines) - 1), max_size=len(lines) + 3))
        return "\r\n".join(lines[i] for i in order).encode("utf-8"), None
    if kind == "bytes":
        cut = draw(st.integers(0, len(text)))
        noise = draw(st.binary(max_size=16))
        return text[:cut] + noise + text[cut + draw(st.integers(0, 8)) :], None
    encoding = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1"]))
    return "\r\n".join(lines).encode(encoding, errors="replace"), None


def run_parse(connector, delivery: RawDelivery, folder: Path, reference_of=None):
    """Parse as a run does; a SourceError must name where it is."""
    context = ParseContext(OCTOBER, source_config(connector, folder), reference_of)
    try:
        frames = connector.parse(delivery, context)
        check_finite(connector.NAME, "delivery", frames)
    except SourceError as error:
        assert error.message and str(error).startswith(f"{connector.NAME}: ")
        where = [p.location for p in delivery.parts]
        assert (
            error.location is None
            or any(loc in error.location for loc in where)
            or (error.location == "delivery")
        ), error
        return None, error
    for frame in frames.values():
        for column, dtype in frame.schema.items():
            if dtype in (pl.Float32, pl.Float64):
                assert frame[column].is_finite().all() or frame[column].null_count() > 0
                assert frame[column].drop_nulls().is_finite().all()
    return frames, None


def files(source: str, *named: tuple[str, bytes]) -> RawDelivery:
    parts = tuple(RawPart(name, f"/fuzz/{name}", content) for name, content in named)
    return RawDelivery(source, OCTOBER, parts)


@given(data=st.data())
def test_fuzz_waste(folder: Path, data) -> None:
    lines = with_total(sample(folder, "waste"))
    content, field = data.draw(mutated(lines[:-1]) if data.draw(st.booleans()) else mutated(lines))
    frames, _ = run_parse(waste, files("waste", ("afval_2025-10.csv", content)), folder)
    if frames is None or field is None or field[0] >= len(lines) - 1:
        return
    line, column, value = field
    weights = [dutch(x.split(";")[6]) for x in lines[1:-1]]
    if column == 6:
        weights[line - 1] = dutch(value)
    assert None not in weights  # else the parser had to refuse it
    assert frames["waste_collections"]["weight_kg"].sum() == pytest.approx(sum(weights))


@given(data=st.data())
def test_fuzz_medicine_waste(folder: Path, reference_of, data) -> None:
    lines = sample(folder, "medicine_waste")
    content, field = data.draw(mutated(lines))
    name = "geneesmiddelverspilling_2025-10.csv"
    frames, _ = run_parse(
        medicine_waste, files("medicine_waste", (name, content)), folder, reference_of
    )
    if frames is None or field is None:
        return
    line, column, value = field
    values = [dutch(x.split(";")[7]) for x in lines[1:]]
    if column == 7:
        values[line - 1] = dutch(value)
    assert None not in values
    assert frames["medicine_waste"]["value_eur"].sum() == pytest.approx(sum(values))


def _secrets(content: bytes) -> set[str]:
    """Every value of an HR or travel file long enough to recognise (and not a column
    name or a word the messages use)."""
    words = {"Vliegtuig", "Afstand", "Datum", "Naar"}
    text = content.decode("utf-8", errors="ignore")
    header = set(mobility.COMMUTING) | set(mobility.BUSINESS)
    found = {v.strip() for line in text.splitlines()[1:] for v in line.split(";")}
    return {v for v in found if len(v) >= 5 and v not in header and v not in words}


@given(data=st.data())
def test_fuzz_mobility(folder: Path, reference_of, data) -> None:
    commuting, trips = sample(folder, "commuting"), sample(folder, "business_travel")
    which = data.draw(st.sampled_from(["commuting", "business_travel"]))
    content, field = data.draw(mutated(commuting if which == "commuting" else trips))
    other = "\r\n".join(trips if which == "commuting" else commuting).encode()
    pair = (content, other) if which == "commuting" else (other, content)
    delivery = files(
        "mobility", ("woonwerk_2025-10.csv", pair[0]), ("zakelijk_2025-10.csv", pair[1])
    )
    frames, error = run_parse(mobility, delivery, folder, reference_of)
    if error is not None:
        message = error.message  # the columns it names may be anywhere in the file
        for column in sorted({*mobility.COMMUTING, *mobility.BUSINESS}, key=len, reverse=True):
            message = message.replace(column, "")
        people = "\r\n".join(commuting).encode(), "\r\n".join(trips).encode()
        for value in _secrets(people[0]) | _secrets(people[1]):  # the real people's values
            assert value not in message, f"personal value {value!r} in {message!r}"
        return
    if field is None or which != "commuting":
        return
    line, column, value = field
    rows = [x.split(";") for x in commuting[1:]]
    rows[line - 1][column] = value
    km = [(dutch(r[2]), dutch(r[4])) for r in rows]
    assert all(a is not None and b is not None for a, b in km)
    expected = sum(2 * a * b for a, b in km)  # type: ignore[operator]
    assert frames["commuting"]["commute_km"].sum() == pytest.approx(expected)


@given(data=st.data())
def test_fuzz_reference(folder: Path, data) -> None:
    which = data.draw(st.sampled_from(["kerncijfers.csv", "organisatie.csv"]))
    lines = [x for x in (folder / "referentie" / which).read_text("utf-8-sig").splitlines() if x]
    if which == "kerncijfers.csv":
        keep = [i for i, x in enumerate(lines) if i == 0 or x.startswith(str(OCTOBER))]
        lines = [lines[i] for i in keep] + lines[1:6]
    content, _ = data.draw(mutated(lines[: _SAMPLE_LINES + 1]))
    other = "kerncijfers.csv" if which == "organisatie.csv" else "organisatie.csv"
    good = (folder / "referentie" / other).read_bytes()
    pair = {which: content, other: good}
    delivery = files(
        "reference",
        ("kerncijfers.csv", pair["kerncijfers.csv"]),
        ("organisatie.csv", pair["organisatie.csv"]),
    )
    run_parse(reference, delivery, folder)


CELLS = st.one_of(
    HOSTILE,
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(10**15), 10**15),
)


@st.composite
def workbook(draw) -> bytes:
    """An issue export with hostile cells, or a valid one with flipped bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties({"created": datetime(2025, 11, 1)})  # same bytes for the same draws
    sheet = book.add_worksheet(draw(st.sampled_from(["Uitgifte", "Uitgifte", "Blad1"])))
    sheet.write_string(0, 0, "Uitgifte")
    header = list(disposables.COLUMNS)
    if draw(st.integers(0, 9)) == 0:
        header[draw(st.integers(0, 9))] = draw(HOSTILE)
    sheet.write_row(2, 0, header)
    good = ["2025-10", "K1000", "A1", "8712345678906", "Handschoen", "Handschoenen", 2,
            "DS100", 4.5, "N"]  # fmt: skip
    for row in range(draw(st.integers(0, 6))):
        values = list(good)
        for column in draw(st.lists(st.integers(0, 9), max_size=3)):
            values[column] = draw(CELLS)
        for column, value in enumerate(values):
            if isinstance(value, str):
                sheet.write_string(row + 3, column, value)
            else:
                sheet.write_number(row + 3, column, value)
    book.close()
    content = buffer.getvalue()
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(content) - 1))
        content = content[:at] + draw(st.binary(min_size=1, max_size=8)) + content[at + 1 :]
    return content


@given(content=workbook())
def test_fuzz_disposables(folder: Path, reference_of, content: bytes) -> None:
    delivery = files("disposables", ("uitgifte_2025-10.xlsx", content))
    frames, _ = run_parse(disposables, delivery, folder, reference_of)
    if frames is not None:
        assert frames["disposables_issues"]["pieces"].drop_nulls().is_finite().all()


JSON_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20),
    st.floats(), st.text(max_size=8),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "2025-10-01T00:00:00",
                     "2025-10-01T00:00:00+02:00", "2025-10-15T12:00:00Z", "measured",
                     "missing", "estimated", "spoilage"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)  # fmt: skip


@st.composite
def readings(draw) -> bytes:
    good = {"start": "2025-10-01T00:00:00+02:00", "value": 1.5, "status": "measured"}
    records = []
    for _ in range(draw(st.integers(0, 5))):
        record = dict(good)
        for key in draw(
            st.lists(st.sampled_from(["start", "value", "status", "extra"]), max_size=2)
        ):
            record[key] = draw(JSON_VALUES)
        records.append(record)
    body = json.dumps({"readings": records}, allow_nan=True).encode()
    if draw(st.integers(0, 5)) == 0:
        at = draw(st.integers(0, len(body)))
        body = body[:at] + draw(st.binary(max_size=6)) + body[at:]
    return body


@given(body=readings())
def test_fuzz_energy(folder: Path, body: bytes) -> None:
    meters = RawPart("meters.json", "http://api.test/api/v1/meters", json.dumps(METERS).encode())
    page = RawPart("readings_E1_p0001.json", "http://api.test/api/v1/meters/E1/readings?x", body)
    frames, _ = run_parse(energy, RawDelivery("energy", OCTOBER, (meters, page)), folder)
    if frames is not None:
        assert frames["energy_readings"]["value"].drop_nulls().is_finite().all()


@st.composite
def events(draw) -> bytes:
    good = {"id": "e", "recorded_at": "2025-10-14T11:02:13Z", "station": "K",
            "category": "spoilage", "weight_grams": 800, "meal": None, "voided": False}  # fmt: skip
    records = []
    for number in range(draw(st.integers(0, 5))):
        record = {**good, "id": f"e{number}"}
        for key in draw(st.lists(st.sampled_from(sorted(good)), max_size=2)):
            record[key] = draw(JSON_VALUES)
        records.append(record)
    meta = {"pages": draw(st.one_of(st.just(1), JSON_VALUES))}
    body = json.dumps({"data": records, "meta": meta}, allow_nan=True).encode()
    if draw(st.integers(0, 5)) == 0:
        at = draw(st.integers(0, len(body)))
        body = body[:at] + draw(st.binary(max_size=6)) + body[at:]
    return body


@given(body=events())
def test_fuzz_food_waste(folder: Path, body: bytes) -> None:
    frames, _ = run_parse(food_waste, food_delivery(body), folder)
    if frames is not None:
        assert frames["food_waste_events"]["weight_kg"].drop_nulls().is_finite().all()
