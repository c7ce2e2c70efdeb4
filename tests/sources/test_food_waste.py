"""The food-waste connector: fetch through a mock API, parse the fixture month."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import polars as pl
import pytest

from groendraad.config import SourceConfig
from groendraad.errors import SourceError
from groendraad.months import Month
from groendraad.sources import food_waste, http
from groendraad.sources.base import ParseContext, RawDelivery, RawPart
from groendraad.warehouse.schema import conform

FIXTURES = Path(__file__).parent / "fixtures" / "food_waste"
BASE = "http://scales.test/foodwaste"
ENV_NAME = "GD_TEST_FOOD_KEY"
API_KEY = "key-0123456789-never-shown"
OCT, NOV = Month(2025, 10), Month(2025, 11)
SITES = ["centrale-keuken", "restaurant"]

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The API key in the environment, and waits recorded instead of slept."""
    monkeypatch.setenv(ENV_NAME, API_KEY)
    asked: list[float] = []
    monkeypatch.setattr(http, "sleep", asked.append)
    return asked


def config(sites: list[str] = SITES) -> SourceConfig:
    settings = {"base_url": BASE, "sites": sites, "timeout_s": 5, "max_retries": 3}
    return SourceConfig("food_waste", settings, FIXTURES, {"api_key": ENV_NAME})


def fixture_handler(seen: list[httpx.Request]) -> Handler:
    """The smart-scale API serving the October fixture pages."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("X-Api-Key") != API_KEY:
            return httpx.Response(401, json={"error": "invalid api key"})
        site = request.url.path.split("/")[-2]
        file = FIXTURES / "2025-10" / f"{site}_p{request.url.params['page']}.json"
        return httpx.Response(200, content=file.read_bytes())

    return handler


def fetched(seen: list[httpx.Request] | None = None) -> RawDelivery:
    client = httpx.Client(
        transport=httpx.MockTransport(fixture_handler([] if seen is None else seen))
    )
    return food_waste.fetch(client, OCT, config())


def events(raw: RawDelivery, month: Month = OCT) -> pl.DataFrame:
    frames = food_waste.parse(raw, ParseContext(month, config()))
    assert set(frames) == set(food_waste.TABLES)
    return conform("food_waste_events", frames["food_waste_events"])


def page(site: str, number: int, data: object, pages: int = 1) -> RawPart:
    """A delivered page with these events (``data`` as JSON, or raw bytes)."""
    document = {"data": data, "meta": {"pages": pages}}
    body = data if isinstance(data, bytes) else json.dumps(document).encode()
    location = f"{BASE}/v2/sites/{site}/waste-events?from=2025-09-30&to=2025-11-01&page={number}"
    return RawPart(f"events_{site}_p{number:04d}.json", location, body)


def event(event_id: str, **changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": event_id,
        "recorded_at": "2025-10-10T12:00:00Z",
        "station": "Centrale keuken",
        "category": "overproduction",
        "weight_grams": 1000,
        "meal": "lunch",
        "voided": False,
    }
    return base | changes


def test_fetch_sends_the_key_and_asks_a_day_either_side_of_the_month() -> None:
    seen: list[httpx.Request] = []
    raw = fetched(seen)
    assert [part.name for part in raw.parts] == [
        "events_centrale-keuken_p0001.json",
        "events_centrale-keuken_p0002.json",
        "events_centrale-keuken_p0003.json",
        "events_restaurant_p0001.json",
    ]
    assert all(request.headers["X-Api-Key"] == API_KEY for request in seen)
    assert [dict(request.url.params) for request in seen[:2]] == [
        {"from": "2025-09-30", "to": "2025-11-01", "page": "1"},
        {"from": "2025-09-30", "to": "2025-11-01", "page": "2"},
    ]
    assert raw.parts[2].content == (FIXTURES / "2025-10" / "centrale-keuken_p3.json").read_bytes()
    assert not any(API_KEY in part.location for part in raw.parts)


def test_a_refused_key_names_the_variable_not_the_key() -> None:
    other = SourceConfig(
        "food_waste", {"base_url": BASE, "sites": SITES}, FIXTURES, {"api_key": "GD_TEST_OTHER"}
    )
    client = httpx.Client(transport=httpx.MockTransport(fixture_handler([])))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GD_TEST_OTHER", "wrong-key-value")
        with pytest.raises(SourceError, match="credentials refused.*GD_TEST_OTHER") as caught:
            food_waste.fetch(client, OCT, other)
    assert "wrong-key-value" not in str(caught.value)
    assert "/v2/sites/centrale-keuken/waste-events?" in (caught.value.location or "")


def test_pages_that_grow_while_paging_are_all_fetched() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        return httpx.Response(
            200, json={"data": [], "meta": {"page": number, "pages": number + (number < 3)}}
        )

    client = httpx.Client(transport=httpx.MockTransport(handler))
    raw = food_waste.fetch(client, OCT, config(["centrale-keuken"]))
    assert len(raw.parts) == 3


def test_a_page_without_a_page_count_is_an_error() -> None:
    client = httpx.Client(
        transport=httpx.MockTransport(lambda r: httpx.Response(200, json={"data": []}))
    )
    with pytest.raises(SourceError, match="meta.pages"):
        food_waste.fetch(client, OCT, config(["centrale-keuken"]))


def test_a_site_that_stays_unavailable_is_a_located_error(environment: list[float]) -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(503)))
    with pytest.raises(SourceError, match="HTTP 503") as caught:
        food_waste.fetch(client, OCT, config(["centrale-keuken"]))
    assert (caught.value.location or "").endswith(
        "/centrale-keuken/waste-events?from=2025-09-30&to=2025-11-01&page=1"
    )
    assert len(environment) == 3


def test_events_are_assigned_to_the_local_month() -> None:
    october = events(fetched())
    ids = october["event_id"].to_list()
    assert "evt_01JA0000000000000000000001" not in ids  # 30 Sep 23:59:59 local
    assert "evt_01JA0000000000000000000002" in ids  # 1 Oct 00:00 local
    assert "evt_01JA0000000000000000000006" in ids  # 31 Oct 23:59:59 local
    assert "evt_01JA0000000000000000000007" not in ids  # 2025-10-31T23:30:05Z: 1 Nov local
    november = events(fetched(), NOV)
    assert november["event_id"].to_list() == ["evt_01JA0000000000000000000007"]
    assert november["recorded_at"][0] == datetime(2025, 10, 31, 23, 30, 5, tzinfo=UTC)


def test_voided_events_are_dropped_and_repeats_kept_once() -> None:
    october = events(fetched())
    ids = october["event_id"].to_list()
    assert "evt_01JA0000000000000000000003" not in ids
    assert ids.count("evt_01JA0000000000000000000004") == 1
    assert october.height == 5


def test_the_staging_frame_matches_the_table() -> None:
    october = events(fetched())
    assert october.schema == pl.Schema(
        {
            "event_id": pl.String(),
            "site": pl.String(),
            "recorded_at": pl.Datetime("us", "UTC"),
            "station": pl.String(),
            "category": pl.String(),
            "meal": pl.String(),
            "weight_kg": pl.Float64(),
        }
    )
    first = october.row(0, named=True)
    assert first["event_id"] == "evt_01JA0000000000000000000002"
    assert (first["site"], first["weight_kg"], first["meal"]) == (
        "centrale-keuken",
        5.23,
        "breakfast",
    )
    restaurant = october.filter(pl.col("site") == "restaurant").row(0, named=True)
    assert restaurant["meal"] is None and restaurant["station"] == "Restaurant"
    assert october["recorded_at"].dt.millisecond().max() == 250


def test_the_same_id_with_different_content_is_an_error_naming_it() -> None:
    raw = RawDelivery(
        "food_waste",
        OCT,
        (
            page("centrale-keuken", 1, [event("evt_X", weight_grams=1000)], pages=2),
            page(
                "centrale-keuken", 2, [event("evt_Y"), event("evt_X", weight_grams=1200)], pages=2
            ),
        ),
    )
    with pytest.raises(SourceError, match="evt_X.*weight_grams") as caught:
        events(raw)
    assert (caught.value.location or "").endswith("page=2") and caught.value.record == "data[1]"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"weight_grams": None}, "'weight_grams' is missing"),
        ({"station": None}, "'station' is missing"),
        ({"category": "leftovers"}, "category 'leftovers' is not one of"),
        ({"recorded_at": "31-10-2025 23:30"}, "not an ISO 8601 timestamp"),
        ({"weight_grams": "5 kg"}, "'weight_grams' has the wrong type"),
    ],
)
def test_a_malformed_event_is_a_located_error(changes: dict[str, object], problem: str) -> None:
    raw = RawDelivery(
        "food_waste", OCT, (page("restaurant", 1, [event("evt_A"), event("evt_B", **changes)]),)
    )
    with pytest.raises(SourceError, match=problem) as caught:
        events(raw)
    assert caught.value.location == raw.parts[0].location and caught.value.record == "data[1]"


def test_a_page_that_is_not_json_is_a_located_error() -> None:
    raw = RawDelivery("food_waste", OCT, (page("restaurant", 1, b'{"data": [{"id": "evt'),))
    with pytest.raises(SourceError, match="not valid JSON") as caught:
        events(raw)
    assert caught.value.location == raw.parts[0].location


def test_no_events_give_an_empty_typed_frame() -> None:
    raw = RawDelivery("food_waste", OCT, (page("restaurant", 1, []),))
    assert events(raw).height == 0
    assert events(RawDelivery("food_waste", OCT, ())).height == 0
