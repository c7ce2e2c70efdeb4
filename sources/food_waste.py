"""Food waste: the smart-scale service's HTTP JSON API (sources.md, section 3).

``fetch`` keeps every page of every configured site byte for byte, asking for one
day either side of the month because ``recorded_at`` is UTC; ``parse`` assigns
events to the local (Europe/Amsterdam) month, drops voided events and events
repeated across pages, and converts grams to kilograms.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from functools import partial
from typing import Any
from urllib.parse import quote

import httpx
import polars as pl

from groendraad.config import SourceConfig
from groendraad.errors import ConfigError, SourceError
from groendraad.months import Month
from groendraad.sources.base import ParseContext, RawDelivery, RawPart
from groendraad.sources.http import (
    bad_timestamps,
    decode_json,
    get_json,
    id_before,
    missing_fields,
    not_one_of,
    raise_first_problem,
    records_frame,
    utc_timestamps,
)

NAME = "food_waste"
TABLES = ("food_waste_events",)
NEEDS_REFERENCE = False

MAX_PAGES = 10_000
CATEGORIES = ("overproduction", "unserved", "plate_waste", "spoilage")

_EVENT_SCHEMA = {
    "id": pl.String(),
    "recorded_at": pl.String(),
    "station": pl.String(),
    "category": pl.String(),
    "weight_grams": pl.Float64(),
    "meal": pl.String(),
    "voided": pl.Boolean(),
}
_PROBLEMS = {
    **missing_fields("id", "recorded_at", "station", "category", "weight_grams", "voided"),
    **not_one_of("category", CATEGORIES),
    **bad_timestamps("recorded_at", "recorded_utc"),
}
_CONTENT = ["site", "id", "recorded_utc", "station", "category", "weight_grams", "meal", "voided"]


def fetch(client: httpx.Client, month: Month, config: SourceConfig) -> RawDelivery:
    """All pages of waste events of each configured site around the month, as delivered."""
    get = partial(
        get_json,
        client,
        NAME,
        headers={"X-Api-Key": config.secret("api_key")},
        max_retries=int(config.get("max_retries", 5)),
        timeout_s=float(config.get("timeout_s", 30)),
        credential_hint=config.credential_env.get("api_key"),
    )
    base = str(config.require("base_url")).rstrip("/")
    parts: list[RawPart] = []
    for site in _sites(config):
        parts.extend(_fetch_site(get, base, site, month))
    return RawDelivery(NAME, month, tuple(parts))


def parse(raw: RawDelivery, context: ParseContext) -> dict[str, pl.DataFrame]:
    """The ``food_waste_events`` table: the local month's events, not voided, once each."""
    events = _deduplicate(_events(raw), raw)
    start = context.month.start_local().astimezone(UTC)
    end = context.month.end_local().astimezone(UTC)
    in_month = pl.col("recorded_utc").is_between(start, end, closed="left")
    return {
        "food_waste_events": events.filter(in_month & ~pl.col("voided")).select(
            pl.col("id").alias("event_id"),
            "site",
            pl.col("recorded_utc").alias("recorded_at"),
            "station",
            "category",
            "meal",
            (pl.col("weight_grams") / 1000).alias("weight_kg"),
        )
    }


def _sites(config: SourceConfig) -> list[str]:
    sites = config.require("sites")
    if not isinstance(sites, list) or not sites:
        raise ConfigError(f"source {NAME!r}: 'sites' must be a non-empty list of site ids")
    return [str(site) for site in sites]


def _fetch_site(get: partial[Any], base: str, site: str, month: Month) -> list[RawPart]:
    url = f"{base}/v2/sites/{quote(site, safe='')}/waste-events"
    window = {
        "from": (month.first_day - timedelta(days=1)).isoformat(),
        "to": (month.last_day + timedelta(days=1)).isoformat(),
    }
    safe_site = re.sub(r"[^A-Za-z0-9._-]", "_", site)
    parts: list[RawPart] = []
    page, pages = 1, 1
    while page <= pages:
        content, location, document = get(url, params={**window, "page": page})
        parts.append(RawPart(f"events_{safe_site}_p{page:04d}.json", location, content))
        pages = _page_count(document, location)
        page += 1
    return parts


def _page_count(document: Any, location: str) -> int:
    """meta.pages of a response (re-read on every page: events may arrive while paging)."""
    meta = document.get("meta") if isinstance(document, dict) else None
    pages = meta.get("pages") if isinstance(meta, dict) else None
    if not isinstance(pages, int) or isinstance(pages, bool) or not 0 <= pages <= MAX_PAGES:
        raise SourceError(NAME, location, f"meta.pages is missing or invalid: {pages!r}")
    return pages


def _events(raw: RawDelivery) -> pl.DataFrame:
    """Every delivered event in one frame, with its site and UTC time, checked."""
    chunks, sites = [], []
    for number, part in enumerate(raw.parts):
        try:
            sites.append(id_before(part.location, "waste-events"))
        except ValueError:
            raise SourceError(NAME, part.location, "not a waste-events URL: no site") from None
        document = decode_json(part.content, NAME, part.location)
        chunks.append((number, document.get("data") if isinstance(document, dict) else None))
    where = {"source": NAME, "locations": [part.location for part in raw.parts], "label": "data"}
    frame = records_frame(chunks, _EVENT_SCHEMA, **where)
    sites_of_parts = pl.DataFrame(
        {"part": range(len(sites)), "site": sites}, schema={"part": pl.Int32(), "site": pl.String()}
    )
    frame = frame.join(sites_of_parts, on="part", how="left", maintain_order="left")
    frame = frame.with_columns(recorded_utc=utc_timestamps("recorded_at"))
    raise_first_problem(frame, _PROBLEMS, **where)
    return frame


def _deduplicate(events: pl.DataFrame, raw: RawDelivery) -> pl.DataFrame:
    """Keep each event once; the same id with different content is an error."""
    events = events.unique(subset=_CONTENT, keep="first", maintain_order=True)
    clashes = events.filter(pl.col("id").is_duplicated())
    if not clashes.height:
        return events
    event_id = clashes["id"][0]
    first, second = clashes.filter(pl.col("id") == event_id).head(2).rows(named=True)
    differs = [column for column in _CONTENT if first[column] != second[column]]
    message = f"event {event_id!r} delivered twice with different {', '.join(differs)}"
    location = raw.parts[second["part"]].location
    raise SourceError(NAME, location, message, record=f"data[{second['index']}]")
