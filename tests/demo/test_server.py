"""The loopback demo server: both HTTP sources, faithfully and with their misbehaviour."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from groendraad.demo import DEMO_ENERGY_TOKEN, DEMO_FOOD_API_KEY, DemoModel, DemoServer, Fault
from groendraad.demo.faults import energy_fault
from groendraad.demo.generate import GeneratedDemo
from groendraad.months import LOCAL_TZ, Month

MODEL = DemoModel(7)
CALM = {"fault_rate_503": 0.0, "fault_rate_429": 0.0, "rate_limit_per_s": None}


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(MODEL, **CALM) as running:
        yield running


@pytest.fixture
def energy(server: DemoServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {DEMO_ENERGY_TOKEN}"}
    with httpx.Client(base_url=server.url + "/energy", headers=headers, timeout=10) as client:
        yield client


@pytest.fixture
def food(server: DemoServer) -> Iterator[httpx.Client]:
    headers = {"X-Api-Key": DEMO_FOOD_API_KEY}
    with httpx.Client(base_url=server.url + "/foodwaste", headers=headers, timeout=10) as client:
        yield client


def month_readings(client: httpx.Client, meter_id: str, month: Month) -> tuple[list[dict], int]:
    """All readings of a local month, following next_page_token; also the number of pages."""
    params = {"start": month.start_local().isoformat(), "end": month.end_local().isoformat()}
    readings, pages = [], 0
    while True:
        response = client.get(f"/api/v1/meters/{meter_id}/readings", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        readings += body["readings"]
        pages += 1
        if body["next_page_token"] is None:
            return readings, pages
        params["page_token"] = body["next_page_token"]


def food_events(client: httpx.Client, first: str, last: str) -> list[list[dict]]:
    pages, page, count = [], 1, 1
    while page <= count:
        body = client.get(
            "/v2/sites/centrale-keuken/waste-events",
            params={"from": first, "to": last, "page": page},
        ).json()
        assert body["meta"]["page"] == page
        pages.append(body["data"])
        count, page = body["meta"]["pages"], page + 1
    return pages


def test_meters_are_listed(energy: httpx.Client) -> None:
    meters = energy.get("/api/v1/meters").json()["meters"]
    assert 25 <= len(meters) <= 40
    carriers = Counter(m["carrier"] for m in meters)
    assert set(carriers) == {"electricity", "gas", "heat", "cold", "pv"}
    for meter in meters:
        assert set(meter) == {
            "meter_id",
            "ean",
            "building",
            "carrier",
            "unit",
            "interval_minutes",
            "direction",
        }
        assert len(meter["ean"]) == 18 and meter["ean"].isdigit()
        expected = {
            "electricity": ("kWh", 15),
            "pv": ("kWh", 15),
            "gas": ("m3", 60),
            "heat": ("GJ", 60),
            "cold": ("GJ", 60),
        }[meter["carrier"]]
        assert (meter["unit"], meter["interval_minutes"]) == expected


def test_both_apis_refuse_bad_credentials(server: DemoServer) -> None:
    month = {"start": "2025-10-01T00:00:00+02:00", "end": "2025-10-02T00:00:00+02:00"}
    with httpx.Client(base_url=server.url, timeout=10) as client:
        assert client.get("/energy/api/v1/meters").status_code == 401
        bad = {"Authorization": "Bearer wrong"}
        assert client.get("/energy/api/v1/meters", headers=bad).status_code == 401
        url = "/energy/api/v1/meters/E-G1-HOOFD/readings"
        assert client.get(url, params=month, headers=bad).status_code == 401
        events = "/foodwaste/v2/sites/centrale-keuken/waste-events"
        params = {"from": "2025-10-01", "to": "2025-10-02"}
        assert client.get(events, params=params).status_code == 401
        assert client.get(events, params=params, headers={"X-Api-Key": "nope"}).status_code == 401


@pytest.mark.parametrize(
    ("month", "switch_day", "meter_id", "expected"),
    [
        (Month(2025, 10), "2025-10-26", "E-G1-HOOFD", 100),
        (Month(2025, 3), "2025-03-30", "E-G1-HOOFD", 92),
        (Month(2025, 10), "2025-10-26", "G-G1-HOOFD", 25),
        (Month(2025, 3), "2025-03-30", "G-G1-HOOFD", 23),
    ],
)
def test_dst_days_have_92_or_100_quarter_hours(
    energy: httpx.Client, month: Month, switch_day: str, meter_id: str, expected: int
) -> None:
    readings, _ = month_readings(energy, meter_id, month)
    starts = [r["start"] for r in readings]
    assert len(starts) == len(set(starts))
    assert sum(s.startswith(switch_day) for s in starts) == expected
    assert {s[-6:] for s in starts} == {"+01:00", "+02:00"}
    assert readings[0]["start"] == f"{month.first_day}T00:00:00+0{2 if month.month == 10 else 1}:00"


def test_readings_page_through_the_month_and_match_the_model(energy: httpx.Client) -> None:
    readings, pages = month_readings(energy, "E-G2-HOOFD", Month(2025, 1))
    assert len(readings) == 31 * 96 and pages == 2
    model = MODEL.readings("E-G2-HOOFD", Month(2025, 1))
    assert [r["value"] for r in readings] == model["value"].to_list()
    assert {r["status"] for r in readings} <= {"measured", "estimated"}


def test_start_is_inclusive_and_end_exclusive(energy: httpx.Client) -> None:
    params = {"start": "2025-10-26T01:00:00+02:00", "end": "2025-10-26T02:00:00Z"}
    readings = energy.get("/api/v1/meters/E-G1-HOOFD/readings", params=params).json()["readings"]
    assert [r["start"] for r in readings][0] == "2025-10-26T01:00:00+02:00"
    assert readings[-1]["start"] == "2025-10-26T02:45:00+01:00" and len(readings) == 12


def test_small_pages_and_bad_requests() -> None:
    with DemoServer(MODEL, energy_page_size=500, **CALM) as small:
        headers = {"Authorization": f"Bearer {DEMO_ENERGY_TOKEN}"}
        with httpx.Client(base_url=small.url + "/energy", headers=headers, timeout=10) as client:
            readings, pages = month_readings(client, "E-G1-HOOFD", Month(2025, 2))
            assert pages == 6 and len(readings) == 28 * 96
            url = "/api/v1/meters/E-G1-HOOFD/readings"
            assert client.get(url, params={"start": "2025-02-01"}).status_code == 400
            params = {"start": "2025-02-01T00:00:00+01:00", "end": "2025-03-01T00:00:00+01:00"}
            assert client.get(url, params={**params, "page_token": "x!"}).status_code == 400
            assert client.get("/api/v1/meters/NOPE/readings", params=params).status_code == 404


def test_food_events_from_to_are_inclusive_utc_dates(food: httpx.Client) -> None:
    events = [e for page in food_events(food, "2025-10-31", "2025-11-30") for e in page]
    dates = {e["recorded_at"][:10] for e in events}
    assert min(dates) == "2025-10-31" and max(dates) == "2025-11-30"
    # events just after local midnight on 1 November are recorded on 31 October (UTC)
    early = [
        e
        for e in events
        if e["recorded_at"] >= "2025-10-31T23:00:00Z" and e["recorded_at"] < "2025-11-01T00:00:00Z"
    ]
    assert early
    local = datetime.fromisoformat(early[0]["recorded_at"].replace("Z", "+00:00")).astimezone(
        LOCAL_TZ
    )
    assert (local.month, local.day) == (11, 1)
    event = events[0]
    assert event["id"].startswith("evt_01") and len(event["id"]) == 30
    assert set(event) == {
        "id",
        "recorded_at",
        "station",
        "category",
        "weight_grams",
        "meal",
        "voided",
    }
    assert {e["category"] for e in events} == {
        "overproduction",
        "unserved",
        "plate_waste",
        "spoilage",
    }
    assert any(e["voided"] for e in events) and any(e["meal"] is None for e in events)
    assert "Centrale keuken" in {e["station"] for e in events}


def test_food_pages_sometimes_repeat_the_last_event_of_the_page_before() -> None:
    with DemoServer(MODEL, duplicate_rate=1.0, food_page_size=100, **CALM) as repeating:
        headers = {"X-Api-Key": DEMO_FOOD_API_KEY}
        with httpx.Client(base_url=repeating.url + "/foodwaste", headers=headers) as client:
            pages = food_events(client, "2025-10-01", "2025-10-07")
    assert len(pages) > 2
    for before, page in zip(pages, pages[1:], strict=False):
        assert page[0] == before[-1]
    ids = [e["id"] for page in pages for e in page]
    assert len(ids) - len(set(ids)) == len(pages) - 1


def test_too_fast_gets_429_with_retry_after() -> None:
    with DemoServer(
        MODEL, fault_rate_503=0.0, fault_rate_429=0.0, rate_limit_per_s=0.5, burst=2
    ) as slow:
        headers = {"Authorization": f"Bearer {DEMO_ENERGY_TOKEN}"}
        with httpx.Client(base_url=slow.url, headers=headers) as client:
            statuses = [client.get("/energy/api/v1/meters") for _ in range(4)]
    assert [r.status_code for r in statuses[:2]] == [200, 200]
    assert statuses[3].status_code == 429 and statuses[3].headers["Retry-After"] == "1"


def test_random_429_and_503() -> None:
    headers = {"Authorization": f"Bearer {DEMO_ENERGY_TOKEN}"}
    with DemoServer(MODEL, fault_rate_429=1.0, rate_limit_per_s=None) as throttled:
        response = httpx.get(throttled.url + "/energy/api/v1/meters", headers=headers)
        assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    with DemoServer(MODEL, fault_rate_503=1.0, fault_rate_429=0.0, rate_limit_per_s=None) as flaky:
        assert httpx.get(flaky.url + "/energy/api/v1/meters", headers=headers).status_code == 503


def test_injected_energy_faults_are_served(tmp_path: Path) -> None:
    down, gap_month = Month(2019, 3), Month(2019, 4)
    gap = energy_fault(7, Fault("energy", gap_month, "missing_intervals"))
    faults = (energy_fault(7, Fault("energy", down, "api_down")), gap)
    demo = GeneratedDemo(tmp_path, down, gap_month, faults=faults)
    with DemoServer(demo, **CALM) as faulty:
        headers = {"Authorization": f"Bearer {DEMO_ENERGY_TOKEN}"}
        with httpx.Client(base_url=faulty.url + "/energy", headers=headers) as client:
            params = {"start": down.start_local().isoformat(), "end": down.end_local().isoformat()}
            response = client.get("/api/v1/meters/E-G1-HOOFD/readings", params=params)
            assert response.status_code == 503
            readings, _ = month_readings(client, gap.params["meter_id"], gap_month)
    full = MODEL.readings(gap.params["meter_id"], gap_month)
    if gap.params["style"] == "absent":
        assert len(readings) < full.height
    else:
        assert any(r["status"] == "missing" and r["value"] is None for r in readings)


def test_requests_are_not_logged(capfd: pytest.CaptureFixture[str], server: DemoServer) -> None:
    httpx.get(server.url + "/energy/api/v1/meters")
    assert capfd.readouterr().err == ""


def test_timestamps_are_utc_ordered(energy: httpx.Client) -> None:
    readings, _ = month_readings(energy, "PV-G2-DAK", Month(2025, 10))
    instants = [datetime.fromisoformat(r["start"]).astimezone(UTC) for r in readings]
    assert instants == sorted(instants)
    assert all((b - a).total_seconds() == 900 for a, b in zip(instants, instants[1:], strict=False))
