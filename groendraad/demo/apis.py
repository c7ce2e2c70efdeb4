"""The two HTTP sources of the demo hospital, as request -> response functions.

Kept apart from the HTTP plumbing (server.py) so they can be tested directly.

Energy: ``GET /api/v1/meters`` and ``GET /api/v1/meters/{id}/readings?start&end&page_token``;
readings whose interval start lies in [start, end), at most ``page_size`` a page.

Food waste: ``GET /v2/sites/{site}/waste-events?from&to&page``. ``from`` and ``to`` are
inclusive dates, compared with the UTC date of ``recorded_at``; a client that wants a
local month asks from the day before its first day to the day after its last day and
filters. Now and then a page starts with the last event of the page before (as when
new events arrive during paging).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np
import polars as pl

from groendraad.demo.common import rng
from groendraad.demo.faults import Fault, apply_energy_faults
from groendraad.demo.food import SITES
from groendraad.demo.model import DemoModel
from groendraad.months import LOCAL_TZ, Month

MAX_FOOD_RANGE_DAYS = 92
MAX_READINGS_RANGE_DAYS = 366


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, data: object, headers: dict[str, str] | None = None) -> Response:
    return Response(status, json.dumps(data, ensure_ascii=False).encode(), headers or {})


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return json_response(status, {"error": message}, headers)


def parse_instant(text: str) -> datetime:
    """ISO 8601 with offset (or ``Z``); without one it is read as Amsterdam local time.

    A ``+`` that a client forgot to percent-encode arrives as a space: read it as ``+``.
    """
    if re.search(r" \d\d:\d\d$", text):
        text = text[:-6] + "+" + text[-5:]
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)


def months_between(start: datetime, end: datetime) -> list[Month]:
    """The local months that overlap [start, end)."""
    first = Month.of(start.astimezone(LOCAL_TZ).date())
    last = Month.of((end - timedelta(microseconds=1)).astimezone(LOCAL_TZ).date())
    months = [first]
    while months[-1] < last:
        months.append(months[-1].next())
    return months


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def decode_token(token: str) -> int:
    """The offset in a page token; ValueError if it is not one of ours."""
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError(token) from exc
    if not text.startswith("offset:") or not text[7:].isdigit():
        raise ValueError(token)
    return int(text[7:])


def readings_fragments(readings: pl.DataFrame) -> pl.DataFrame:
    """epoch_s and each reading already rendered as a JSON object (for fast paging)."""
    value = pl.col("value").cast(pl.String).fill_null("null")
    return readings.select(
        "epoch_s",
        pl.concat_str(
            [
                pl.lit('{"start": "'),
                pl.col("start"),
                pl.lit('", "value": '),
                value,
                pl.lit(', "status": "'),
                pl.col("status"),
                pl.lit('"}'),
            ]
        ).alias("json"),
    )


class EnergyApi:
    """The energy-monitoring system's API for one model (and its injected faults)."""

    def __init__(self, model: DemoModel, faults: Iterable[Fault] = (), page_size: int = 2000):
        self.model, self.page_size = model, page_size
        self.faults = [x for x in faults if x.source == "energy"]
        self.meter_ids = {m.meter_id for m in model.meters()}
        self._fragments = lru_cache(maxsize=2048)(self._meter_month)

    def meters(self) -> Response:
        return json_response(200, {"meters": [m.as_json() for m in self.model.meters()]})

    def _meter_month(self, meter_id: str, month: Month) -> pl.DataFrame:
        faults = [
            x for x in self.faults if x.month == month and x.params.get("meter_id") == meter_id
        ]
        return readings_fragments(apply_energy_faults(self.model.readings(meter_id, month), faults))

    def readings(self, meter_id: str, query: dict[str, str]) -> Response:
        if meter_id not in self.meter_ids:
            return error(404, f"unknown meter {meter_id!r}")
        try:
            start, end = parse_instant(query["start"]), parse_instant(query["end"])
            offset = decode_token(query["page_token"]) if query.get("page_token") else 0
        except (KeyError, ValueError) as exc:
            return error(400, f"start and end (ISO 8601) are required; bad value: {exc}")
        if end <= start:
            return json_response(200, {"readings": [], "next_page_token": None})
        if end - start > timedelta(days=MAX_READINGS_RANGE_DAYS):
            return error(400, f"at most {MAX_READINGS_RANGE_DAYS} days per request")
        months = months_between(start, end)
        if any(x.kind == "api_down" and x.month in months for x in self.faults):
            return error(503, "service unavailable")
        low, high = int(start.timestamp()), int(end.timestamp())
        rows = pl.concat([self._fragments(meter_id, m) for m in months])
        selected = rows.filter(pl.col("epoch_s").is_between(low, high, closed="left"))["json"]
        page = selected.slice(offset, self.page_size).to_list()
        more = offset + self.page_size < len(selected)
        token = json.dumps(encode_token(offset + self.page_size)) if more else "null"
        body = '{"readings": [' + ", ".join(page) + '], "next_page_token": ' + token + "}"
        return Response(200, body.encode())


class FoodApi:
    """The smart-scale service's API: waste events per site, paged."""

    def __init__(self, model: DemoModel, page_size: int = 250, duplicate_rate: float = 0.1):
        self.model, self.page_size, self.duplicate_rate = model, page_size, duplicate_rate
        self._events = lru_cache(maxsize=256)(self._events_between)

    def _events_between(self, site: str, first: date, last: date) -> tuple[dict, ...]:
        return tuple(self.model.food_events(site, first, last))

    def _repeats_previous(self, site: str, first: date, last: date, page: int) -> bool:
        g: np.random.Generator = rng(
            self.model.seed, "food-paging", site, str(first), str(last), page
        )
        return page > 1 and g.random() < self.duplicate_rate

    def events(self, site: str, query: dict[str, str]) -> Response:
        if site not in SITES:
            return error(404, f"unknown site {site!r}")
        try:
            first, last = date.fromisoformat(query["from"]), date.fromisoformat(query["to"])
            page = int(query.get("page", "1"))
        except (KeyError, ValueError) as exc:
            return error(400, f"from and to (YYYY-MM-DD) are required; bad value: {exc}")
        if page < 1 or last < first or (last - first).days > MAX_FOOD_RANGE_DAYS:
            return error(400, f"page >= 1 and 0 <= to - from <= {MAX_FOOD_RANGE_DAYS} days")
        events = self._events(site, first, last)
        pages = max(1, math.ceil(len(events) / self.page_size))
        start = (page - 1) * self.page_size
        if self._repeats_previous(site, first, last, page) and start < len(events):
            start -= 1
        data = list(events[start : page * self.page_size])
        return json_response(200, {"data": data, "meta": {"page": page, "pages": pages}})
