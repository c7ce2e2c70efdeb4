"""Figures computed from the generated deliveries without the pipeline's code.

Deliberately plain: the stdlib csv module, hand-written decimal-comma conversion,
httpx with its own paging loop. If the pipeline and these agree, both are right.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

AMS = ZoneInfo("Europe/Amsterdam")


def dutch_number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252")


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(decode(path.read_bytes()), newline=""), delimiter=";"))


def waste_total_kg(path: Path) -> tuple[float, int]:
    rows = [r for r in csv_rows(path) if r["Datum"] != "Totaal"]
    return sum(dutch_number(r["Gewicht (kg)"]) for r in rows), len(rows)


def commuting_km(path: Path) -> float:
    return sum(
        2 * dutch_number(r["Enkele reisafstand (km)"]) * dutch_number(r["Reisdagen"])
        for r in csv_rows(path)
    )


def medicine_eur(path: Path) -> float:
    return sum(dutch_number(r["Waarde (EUR)"]) for r in csv_rows(path))


def energy_by_carrier(base: str, token: str, month_start: datetime, month_end: datetime) -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    totals: dict[str, float] = {}
    with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
        meters = _get(client, "/api/v1/meters")["meters"]
        for meter in meters:
            token_ = None
            while True:
                params = {"start": month_start.isoformat(), "end": month_end.isoformat()}
                if token_:
                    params["page_token"] = token_
                page = _get(client, f"/api/v1/meters/{meter['meter_id']}/readings", params)
                for reading in page["readings"]:
                    if reading["value"] is not None:
                        key = meter["carrier"]
                        totals[key] = totals.get(key, 0.0) + reading["value"]
                token_ = page["next_page_token"]
                if not token_:
                    break
    return totals


def food_waste_kg(base: str, api_key: str, site: str, year: int, month: int) -> float:
    seen: dict[str, dict] = {}
    with httpx.Client(base_url=base, headers={"X-Api-Key": api_key}, timeout=10) as client:
        page, pages = 1, 1
        while page <= pages:
            params = {
                "from": _shift(year, month, -1),
                "to": _shift(year, month + 1, 0),
                "page": page,
            }
            body = _get(client, f"/v2/sites/{site}/waste-events", params)
            for event in body["data"]:
                seen[event["id"]] = event
            pages = body["meta"]["pages"]
            page += 1
    total = 0.0
    for event in seen.values():
        local = datetime.fromisoformat(event["recorded_at"].replace("Z", "+00:00")).astimezone(AMS)
        if (local.year, local.month) == (year, month) and not event["voided"]:
            total += event["weight_grams"] / 1000
    return total


def _shift(year: int, month: int, days: int) -> str:
    from datetime import date, timedelta

    while month > 12:
        year, month = year + 1, month - 12
    return (date(year, month, 1) + timedelta(days=days)).isoformat()


def _get(client: httpx.Client, url: str, params: dict | None = None) -> dict:
    """GET with patience for the demo server's 429 and 503."""
    import time

    for _ in range(20):
        response = client.get(url, params=params)
        if response.status_code in (429, 502, 503):
            time.sleep(float(response.headers.get("Retry-After", "0.1")))
            continue
        response.raise_for_status()
        return response.json()
    raise AssertionError(f"{url} kept failing")
