"""The shared HTTP helper: retries, Retry-After, clear errors, no secrets in them."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import polars as pl
import pytest

from groendraad.errors import SourceError
from groendraad.sources import http

URL = "http://api.test/v1/things"
SECRET = "s3cret-value-never-shown"  # noqa: S105 (a test value, not a credential)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the waits get_json asks for instead of waiting."""
    asked: list[float] = []
    monkeypatch.setattr(http, "sleep", asked.append)
    return asked


def client_for(*responses: httpx.Response | Exception) -> tuple[httpx.Client, list[httpx.Request]]:
    """A client answering with ``responses`` in turn (the last one forever)."""
    seen: list[httpx.Request] = []
    queue: Iterator[httpx.Response | Exception] = iter(responses)
    last: list[httpx.Response | Exception] = [responses[-1]]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = next(queue, last[0])
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.Client(transport=httpx.MockTransport(handler)), seen


def get(
    client: httpx.Client,
    *,
    max_retries: int = 3,
    params: dict[str, str | int] | None = None,
    credential_hint: str | None = None,
) -> tuple[bytes, str, object]:
    """get_json of URL with a bearer token, as the energy connector calls it."""
    return http.get_json(
        client,
        "energy",
        URL,
        headers={"Authorization": f"Bearer {SECRET}"},
        params=params,
        max_retries=max_retries,
        credential_hint=credential_hint,
    )


def test_returns_the_body_byte_for_byte_its_location_and_the_json(sleeps: list[float]) -> None:
    body = b'{"a": [1, 2],  "b": "\\u00eb"}'
    client, seen = client_for(httpx.Response(200, content=body))
    content, location, document = get(client, params={"start": "2025-10-01T00:00:00+02:00"})
    assert content == body
    assert document == {"a": [1, 2], "b": "ë"}
    assert location == f"{URL}?start=2025-10-01T00%3A00%3A00%2B02%3A00"
    assert seen[0].headers["Authorization"] == f"Bearer {SECRET}"
    assert SECRET not in location and sleeps == []


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_name_the_variable_never_the_secret(
    status: int, sleeps: list[float]
) -> None:
    client, seen = client_for(httpx.Response(status, json={"error": "bad token"}))
    with pytest.raises(SourceError) as caught:
        get(client, credential_hint="ENERGY_API_TOKEN")
    message = str(caught.value)
    assert "credentials refused" in message and "ENERGY_API_TOKEN" in message
    assert SECRET not in message and caught.value.location == URL
    assert len(seen) == 1 and sleeps == []


def test_not_found_is_not_retried(sleeps: list[float]) -> None:
    client, seen = client_for(httpx.Response(404))
    with pytest.raises(SourceError, match="not found"):
        get(client)
    assert len(seen) == 1


def test_429_waits_as_long_as_retry_after_says(sleeps: list[float]) -> None:
    client, seen = client_for(
        httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={"ok": True})
    )
    assert get(client)[2] == {"ok": True}
    assert sleeps == [7.0] and len(seen) == 2


def test_503_is_retried_with_backoff_then_succeeds(sleeps: list[float]) -> None:
    client, seen = client_for(
        httpx.Response(503), httpx.Response(502), httpx.Response(200, json={"ok": True})
    )
    assert get(client)[2] == {"ok": True}
    assert sleeps == [0.2, 0.4] and len(seen) == 3


def test_503_honours_retry_after_too(sleeps: list[float]) -> None:
    client, _ = client_for(
        httpx.Response(503, headers={"Retry-After": "3"}), httpx.Response(200, json=[])
    )
    get(client)
    assert sleeps == [3.0]


def test_503_forever_gives_up_naming_the_url(sleeps: list[float]) -> None:
    client, seen = client_for(httpx.Response(503))
    with pytest.raises(SourceError) as caught:
        get(client, max_retries=4, params={"page": 2})
    assert caught.value.location == f"{URL}?page=2"
    assert "HTTP 503" in caught.value.message and "5 attempt(s)" in caught.value.message
    assert len(seen) == 5 and len(sleeps) == 4


def test_backoff_is_capped(sleeps: list[float]) -> None:
    client, _ = client_for(httpx.Response(504))
    with pytest.raises(SourceError):
        get(client, max_retries=8)
    assert max(sleeps) == http.BACKOFF_CAP_S and sleeps[0] == http.BACKOFF_BASE_S


def test_transport_errors_and_timeouts_are_retried(sleeps: list[float]) -> None:
    client, seen = client_for(
        httpx.ConnectError("connection refused"),
        httpx.ReadTimeout("read timed out"),
        httpx.Response(200, json={"ok": 1}),
    )
    assert get(client)[2] == {"ok": 1}
    assert len(seen) == 3 and len(sleeps) == 2


def test_a_source_that_keeps_timing_out_is_a_located_error(sleeps: list[float]) -> None:
    client, _ = client_for(httpx.ConnectTimeout("timed out"))
    with pytest.raises(SourceError, match="timed out") as caught:
        get(client)
    assert caught.value.location == URL


def test_a_redirect_is_an_error_not_a_json_puzzle(sleeps: list[float]) -> None:
    client, _ = client_for(httpx.Response(301, headers={"Location": "https://elsewhere.test/"}))
    with pytest.raises(SourceError, match="redirect"):
        get(client)


def test_other_server_errors_are_not_retried(sleeps: list[float]) -> None:
    client, seen = client_for(httpx.Response(500))
    with pytest.raises(SourceError, match="HTTP 500"):
        get(client)
    assert len(seen) == 1


def test_invalid_json_is_a_located_error(sleeps: list[float]) -> None:
    client, _ = client_for(httpx.Response(200, content=b'{"readings": [1, 2'))
    with pytest.raises(SourceError, match="not valid JSON") as caught:
        get(client)
    assert caught.value.location == URL


def test_user_and_password_in_a_url_never_reach_the_location(sleeps: list[float]) -> None:
    client, _ = client_for(httpx.Response(200, json={}))
    location = http.get_json(client, "energy", f"http://user:{SECRET}@api.test/x")[1]
    assert location == "http://api.test/x"


def test_records_frame_points_at_the_first_bad_record() -> None:
    schema = {"start": pl.String(), "value": pl.Float64()}
    where = {"source": "energy", "locations": ["first.json", "second.json"], "label": "readings"}
    good = [{"start": "a", "value": 1}]
    frame = http.records_frame([(0, good), (1, good * 2)], schema, **where)
    assert frame["part"].to_list() == [0, 1, 1] and frame["index"].to_list() == [0, 0, 1]
    with pytest.raises(SourceError) as caught:
        http.records_frame([(0, good), (1, [*good, "oops"])], schema, **where)
    assert caught.value.location == "second.json" and caught.value.record == "readings[1]"
    with pytest.raises(SourceError, match="missing or null") as caught:
        bad = frame.with_columns(value=pl.when(pl.col("part") == 1).then(None).otherwise(1.0))
        http.raise_first_problem(bad, http.missing_fields("value"), **where)
    assert caught.value.record == "readings[0]" and caught.value.location == "second.json"


def test_id_before_reads_the_id_out_of_a_url() -> None:
    url = "http://x/energy/api/v1/meters/E%2F1/readings?start=a"
    assert http.id_before(url, "readings") == "E/1"
    with pytest.raises(ValueError):
        http.id_before("http://x/api/v1/meters", "readings")
