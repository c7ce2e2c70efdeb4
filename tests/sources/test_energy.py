"""The energy connector: fetch through a mock API, parse the fixture months."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import polars as pl
import pytest

from groendraad.config import SourceConfig
from groendraad.errors import SourceError
from groendraad.months import LOCAL_TZ, Month
from groendraad.sources import energy, http
from groendraad.sources.base import ParseContext, RawDelivery, RawPart
from groendraad.warehouse.schema import conform

FIXTURES = Path(__file__).parent / "fixtures" / "energy"
BASE = "http://monitor.test/energy"
ENV_NAME = "GD_TEST_ENERGY_TOKEN"
TOKEN = "tok-0123456789-never-shown"  # noqa: S105 (a test value, not a credential)
OCT, MAR = Month(2025, 10), Month(2025, 3)
METERS = ("E-G1-HOOFD", "G-G1-HOOFD")


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The token in the environment, and waits recorded instead of slept."""
    monkeypatch.setenv(ENV_NAME, TOKEN)
    asked: list[float] = []
    monkeypatch.setattr(http, "sleep", asked.append)
    return asked


def config() -> SourceConfig:
    settings = {"base_url": BASE, "timeout_s": 5, "max_retries": 3}
    return SourceConfig("energy", settings, FIXTURES, {"token": ENV_NAME})


def fixture_api(month: Month, seen: list[httpx.Request]) -> httpx.Client:
    """A client of the energy API serving the fixture files of ``month``."""
    return httpx.Client(transport=httpx.MockTransport(fixture_handler(month, seen)))


def fixture_handler(
    month: Month, seen: list[httpx.Request]
) -> Callable[[httpx.Request], httpx.Response]:
    """The energy API serving the fixture files of ``month``."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return httpx.Response(401, json={"error": "unauthorized"})
        path = request.url.path.removeprefix("/energy/api/v1/meters")
        if not path:
            return httpx.Response(200, content=(FIXTURES / "meters.json").read_bytes())
        meter_id = path.split("/")[1]
        page = request.url.params.get("page_token", "p1")
        file = FIXTURES / str(month) / f"{meter_id}_{page}.json"
        return httpx.Response(200, content=file.read_bytes())

    return handler


def fetched(month: Month) -> RawDelivery:
    return energy.fetch(fixture_api(month, []), month, config())


def parsed(raw: RawDelivery) -> dict[str, pl.DataFrame]:
    frames = energy.parse(raw, ParseContext(raw.month, config()))
    return {name: conform(name, frame) for name, frame in frames.items()}


def delivery(month: Month, *pages: tuple[str, object]) -> RawDelivery:
    """A delivery of the fixture meter list plus the given (meter, readings page) bodies."""
    meters = RawPart(
        "meters.json", f"{BASE}/api/v1/meters", (FIXTURES / "meters.json").read_bytes()
    )
    parts = [meters] + [
        RawPart(
            f"readings_{meter}_p{n:04d}.json",
            f"{BASE}/api/v1/meters/{meter}/readings?start=x&page={n}",
            body if isinstance(body, bytes) else json.dumps(body).encode(),
        )
        for n, (meter, body) in enumerate(pages, start=1)
    ]
    return RawDelivery("energy", month, tuple(parts))


def local_day(readings: pl.DataFrame, meter_id: str, day: date) -> pl.DataFrame:
    local = pl.col("interval_start").dt.convert_time_zone("Europe/Amsterdam").dt.date()
    return readings.filter((pl.col("meter_id") == meter_id) & (local == day))


def test_fetch_sends_the_token_and_follows_the_pages() -> None:
    seen: list[httpx.Request] = []
    raw = energy.fetch(fixture_api(OCT, seen), OCT, config())
    assert [part.name for part in raw.parts] == [
        "meters.json",
        "readings_E-G1-HOOFD_p0001.json",
        "readings_E-G1-HOOFD_p0002.json",
        "readings_G-G1-HOOFD_p0001.json",
    ]
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in seen)
    # meters are fetched a few at a time: follow one meter's requests in their order
    main_meter = [r for r in seen if "/E-G1-HOOFD/" in r.url.path]
    readings = main_meter[0].url.params
    assert readings["start"] == "2025-10-01T00:00:00+02:00"
    assert readings["end"] == "2025-11-01T00:00:00+01:00"
    assert "page_token" not in readings
    assert main_meter[1].url.params["page_token"] == "p2"  # noqa: S105 (a page token)


def test_fetch_keeps_every_body_byte_for_byte_without_the_token() -> None:
    raw = fetched(OCT)
    assert (
        raw.part("readings_E-G1-HOOFD_p0002.json").content
        == (FIXTURES / "2025-10" / "E-G1-HOOFD_p2.json").read_bytes()
    )
    assert raw.part("meters.json").location == f"{BASE}/api/v1/meters"
    assert "page_token=p2" in raw.part("readings_E-G1-HOOFD_p0002.json").location
    assert not any(TOKEN in part.location for part in raw.parts)


def test_a_refused_token_names_the_variable_not_the_token() -> None:
    other = SourceConfig("energy", {"base_url": BASE}, FIXTURES, {"token": "GD_TEST_WRONG"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GD_TEST_WRONG", "wrong-token")
        with pytest.raises(SourceError, match="GD_TEST_WRONG") as caught:
            energy.fetch(fixture_api(OCT, []), OCT, other)
    assert "wrong-token" not in str(caught.value) and TOKEN not in str(caught.value)
    assert caught.value.location == f"{BASE}/api/v1/meters"


def test_a_rate_limit_is_waited_out(environment: list[float]) -> None:
    seen: list[httpx.Request] = []
    api = fixture_handler(OCT, seen)

    def handler(request: httpx.Request) -> httpx.Response:
        if len(seen) == 2 and not request.extensions.get("limited"):
            request.extensions["limited"] = True
            return httpx.Response(429, headers={"Retry-After": "2"})
        return api(request)

    raw = energy.fetch(httpx.Client(transport=httpx.MockTransport(handler)), OCT, config())
    assert len(raw.parts) == 4 and environment == [2.0]


def test_october_switch_day_has_100_quarter_hours_and_25_hours() -> None:
    readings = parsed(fetched(OCT))["energy_readings"]
    assert local_day(readings, "E-G1-HOOFD", date(2025, 10, 26)).height == 100
    assert local_day(readings, "G-G1-HOOFD", date(2025, 10, 26)).height == 25
    switch = local_day(readings, "E-G1-HOOFD", date(2025, 10, 26))["interval_start"]
    assert switch.diff().drop_nulls().dt.total_minutes().unique().to_list() == [15]
    assert switch.is_unique().all()


def test_march_switch_day_has_92_quarter_hours_and_23_hours() -> None:
    readings = parsed(fetched(MAR))["energy_readings"]
    assert local_day(readings, "E-G1-HOOFD", date(2025, 3, 30)).height == 92
    assert local_day(readings, "G-G1-HOOFD", date(2025, 3, 30)).height == 23
    first = readings.filter(pl.col("meter_id") == "E-G1-HOOFD")["interval_start"][0]
    assert first == datetime(2025, 3, 29, 23, 0, tzinfo=UTC)


def test_only_the_local_month_is_kept_in_utc() -> None:
    electricity = parsed(fetched(OCT))["energy_readings"].filter(pl.col("meter_id") == "E-G1-HOOFD")
    starts = electricity["interval_start"]
    assert starts.min() == datetime(2025, 9, 30, 22, 0, tzinfo=UTC)
    assert starts.max() == datetime(2025, 10, 31, 22, 45, tzinfo=UTC)
    assert electricity.height == 1 + 100 + 1  # repeated page-boundary reading kept once
    assert starts.dtype == pl.Datetime("us", "UTC")


def test_frames_match_the_staging_tables() -> None:
    frames = energy.parse(fetched(OCT), ParseContext(OCT, config()))
    assert set(frames) == set(energy.TABLES)
    meters = conform("energy_meters", frames["energy_meters"])
    assert meters.columns == frames["energy_meters"].columns
    assert meters.row(0, named=True) == {
        "meter_id": "E-G1-HOOFD",
        "ean": "871687400000000017",
        "building": "Gebouw 1",
        "carrier": "electricity",
        "unit": "kWh",
        "interval_minutes": 15,
        "direction": "consumption",
    }
    readings = frames["energy_readings"]
    assert conform("energy_readings", readings).columns == readings.columns
    gas = readings.filter(pl.col("meter_id") == "G-G1-HOOFD").row(0, named=True)
    assert (gas["unit"], gas["interval_minutes"], gas["carrier"]) == ("m3", 60, "gas")


def test_a_missing_reading_has_no_value() -> None:
    readings = parsed(fetched(OCT))["energy_readings"]
    switch_0230 = datetime(2025, 10, 26, 2, 30, tzinfo=LOCAL_TZ).astimezone(UTC)  # first 02:30
    row = readings.filter(
        (pl.col("meter_id") == "E-G1-HOOFD") & (pl.col("interval_start") == switch_0230)
    ).row(0, named=True)
    assert (row["status"], row["value"]) == ("missing", None)
    assert readings.filter(pl.col("status") == "estimated").height == 2


def test_a_value_sent_with_status_missing_is_dropped() -> None:
    page = {"readings": [{"start": "2025-10-02T00:00:00+02:00", "value": 0, "status": "missing"}]}
    readings = parsed(delivery(OCT, ("E-G1-HOOFD", page)))["energy_readings"]
    assert readings["value"].to_list() == [None]


def test_two_values_for_one_interval_are_an_error_naming_meter_and_interval() -> None:
    start = "2025-10-02T10:00:00+02:00"
    first = {"readings": [{"start": start, "value": 1.5, "status": "measured"}]}
    second = {"readings": [{"start": start, "value": 1.75, "status": "measured"}]}
    with pytest.raises(SourceError) as caught:
        parsed(delivery(OCT, ("E-G1-HOOFD", first), ("E-G1-HOOFD", second)))
    message = caught.value.message
    assert "E-G1-HOOFD" in message and "2025-10-02T08:00:00Z" in message
    assert "1.5" in message and "1.75" in message
    assert caught.value.location.endswith("page=2") and caught.value.record == "readings[0]"


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"value": 1.0, "status": "measured"}, "'start' is missing"),
        ({"start": "2025-10-02T10:00:00", "value": 1.0, "status": "measured"}, "UTC offset"),
        ({"start": "2025-10-02T10:00:00+02:00", "value": 1.0}, "'status' is missing"),
        ({"start": "2025-10-02T10:00:00+02:00", "value": 1.0, "status": "guessed"}, "guessed"),
        ({"start": "2025-10-02T10:00:00+02:00", "value": None, "status": "measured"}, "no value"),
        ({"start": "2025-10-02T10:00:00+02:00", "value": "1,5", "status": "measured"}, "'value'"),
        ("2025-10-02T10:00:00+02:00", "expected a JSON object"),
    ],
)
def test_a_malformed_reading_is_a_located_error(record: object, problem: str) -> None:
    good = {"start": "2025-10-02T09:45:00+02:00", "value": 1.0, "status": "measured"}
    page = {"readings": [good, good | {"start": "2025-10-02T09:30:00+02:00"}, record]}
    with pytest.raises(SourceError, match=problem) as caught:
        parsed(delivery(OCT, ("G-G1-HOOFD", {"readings": [good]}), ("E-G1-HOOFD", page)))
    assert caught.value.location == f"{BASE}/api/v1/meters/E-G1-HOOFD/readings?start=x&page=2"
    assert caught.value.record == "readings[2]"
    assert str(caught.value).startswith(f"energy: {caught.value.location} record readings[2]: ")


def test_a_page_that_is_not_json_is_a_located_error() -> None:
    raw = delivery(OCT, ("E-G1-HOOFD", b'{"readings": [{"start": "2025-10-0'))
    with pytest.raises(SourceError, match="not valid JSON") as caught:
        parsed(raw)
    assert caught.value.location.endswith("/E-G1-HOOFD/readings?start=x&page=1")


def test_a_page_without_readings_is_a_located_error() -> None:
    with pytest.raises(SourceError, match="'readings'") as caught:
        parsed(delivery(OCT, ("E-G1-HOOFD", {"data": []})))
    assert "E-G1-HOOFD" in (caught.value.location or "")


def test_a_meter_without_a_unit_is_a_located_error() -> None:
    document = json.loads((FIXTURES / "meters.json").read_bytes())
    del document["meters"][1]["unit"]
    raw = RawDelivery("energy", OCT, (RawPart("meters.json", "m", json.dumps(document).encode()),))
    with pytest.raises(SourceError, match="'unit' is missing") as caught:
        parsed(raw)
    assert caught.value.record == "meters[1]"


def test_a_meter_reporting_mwh_is_stored_in_kwh() -> None:
    document = json.loads((FIXTURES / "meters.json").read_bytes())
    document["meters"][0]["unit"] = "MWh"
    page = {
        "readings": [{"start": "2025-10-02T00:00:00+02:00", "value": 1.5, "status": "measured"}]
    }
    raw = delivery(OCT, ("E-G1-HOOFD", page))
    meters = RawPart("meters.json", "m", json.dumps(document).encode())
    frames = parsed(RawDelivery("energy", OCT, (meters, *raw.parts[1:])))
    assert frames["energy_readings"].select("unit", "value").row(0) == ("kWh", 1500.0)
    assert frames["energy_meters"]["unit"][0] == "kWh"


def test_a_delivery_without_readings_gives_empty_typed_frames() -> None:
    frames = parsed(delivery(OCT))
    assert frames["energy_readings"].height == 0 and frames["energy_meters"].height == 2
