"""Energy: the energy-monitoring system's HTTP JSON API (sources.md, section 1).

``fetch`` keeps the meter list and every readings page byte for byte; ``parse``
turns them into the ``energy_meters`` and ``energy_readings`` staging tables, with
interval starts in UTC, only the intervals of the local month, repeated identical
readings dropped, and values in kWh, m3 or GJ.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from functools import partial
from typing import Any
from urllib.parse import quote

import httpx
import polars as pl

from groendraad.config import SourceConfig
from groendraad.errors import SourceError
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

NAME = "energy"
TABLES = ("energy_meters", "energy_readings")
NEEDS_REFERENCE = False

METERS_PART = "meters.json"
MAX_PAGES = 1000
CARRIERS = ("electricity", "gas", "heat", "cold", "pv")
DIRECTIONS = ("consumption", "generation")
STATUSES = ("measured", "estimated", "missing")
# Delivered unit -> (staging unit, factor): a meter reporting MWh is stored in kWh.
UNITS = {
    "kWh": ("kWh", 1.0),
    "MWh": ("kWh", 1000.0),
    "Wh": ("kWh", 0.001),
    "m3": ("m3", 1.0),
    "GJ": ("GJ", 1.0),
    "MJ": ("GJ", 0.001),
}

_METER_SCHEMA = {
    "meter_id": pl.String(),
    "ean": pl.String(),
    "building": pl.String(),
    "carrier": pl.String(),
    "unit": pl.String(),
    "interval_minutes": pl.Int64(),
    "direction": pl.String(),
}
_METER_REQUIRED = ("meter_id", "building", "carrier", "unit", "interval_minutes", "direction")
_READING_SCHEMA = {"start": pl.String(), "value": pl.Float64(), "status": pl.String()}
_READING_PROBLEMS = {
    **missing_fields("start", "status"),
    **not_one_of("status", STATUSES),
    **bad_timestamps("start", "interval_start"),
    "reading starting {start!r} has no value but status {status!r}": pl.col("value").is_null()
    & (pl.col("status") != "missing"),
}
_READING_COLUMNS = (
    "meter_id", "carrier", "direction", "interval_start", "interval_minutes", "value", "unit",
    "status",
)  # fmt: skip
_VALUE_IN_STAGING_UNIT = pl.when(pl.col("status") != "missing").then(
    pl.col("value") * pl.col("factor")
)


def fetch(client: httpx.Client, month: Month, config: SourceConfig) -> RawDelivery:
    """The meter list and, per meter, all pages of the month's readings, as delivered."""
    get = partial(
        get_json,
        client,
        NAME,
        headers={"Authorization": f"Bearer {config.secret('token')}"},
        max_retries=int(config.get("max_retries", 5)),
        timeout_s=float(config.get("timeout_s", 30)),
        credential_hint=config.credential_env.get("token"),
    )
    base = str(config.require("base_url")).rstrip("/")
    content, location, document = get(f"{base}/api/v1/meters")
    parts = [RawPart(METERS_PART, location, content)]
    # A few meters in flight at once hide the round trips; the order stays the meter list's.
    with ThreadPoolExecutor(max_workers=int(config.get("concurrency", 4))) as pool:
        pages = pool.map(
            lambda meter: _fetch_readings(get, base, meter, month), _meter_ids(document)
        )
        for meter_parts in pages:
            parts.extend(meter_parts)
    return RawDelivery(NAME, month, tuple(parts))


def parse(raw: RawDelivery, context: ParseContext) -> dict[str, pl.DataFrame]:
    """The ``energy_meters`` and ``energy_readings`` tables of one delivered month."""
    meters = _meters(raw)
    readings = _readings(raw, meters, context.month)
    return {
        "energy_meters": meters.drop("index", "factor"),
        "energy_readings": readings,
    }


def _meter_ids(document: Any) -> list[str]:
    """Meter ids to fetch readings for; a malformed list is left for parse to report."""
    meters = document.get("meters") if isinstance(document, dict) else None
    return [
        meter["meter_id"]
        for meter in (meters if isinstance(meters, list) else [])
        if isinstance(meter, dict) and isinstance(meter.get("meter_id"), str)
    ]


def _fetch_readings(get: partial[Any], base: str, meter_id: str, month: Month) -> list[RawPart]:
    url = f"{base}/api/v1/meters/{quote(meter_id, safe='')}/readings"
    params = {"start": month.start_local().isoformat(), "end": month.end_local().isoformat()}
    safe_id = re.sub(r"[^A-Za-z0-9._-]", "_", meter_id)
    parts: list[RawPart] = []
    seen: set[str] = set()
    for page in range(1, MAX_PAGES + 1):
        content, location, document = get(url, params=params)
        parts.append(RawPart(f"readings_{safe_id}_p{page:04d}.json", location, content))
        token = document.get("next_page_token") if isinstance(document, dict) else None
        if token is None:
            return parts
        if str(token) in seen:
            raise SourceError(NAME, location, f"next_page_token {token!r} repeats: paging loops")
        seen.add(str(token))
        params = {**params, "page_token": str(token)}
    raise SourceError(NAME, url, f"meter {meter_id}: more than {MAX_PAGES} pages of readings")


def _meters(raw: RawDelivery) -> pl.DataFrame:
    """The meter list, checked, with units normalised and a ``factor`` for the readings."""
    names = [part.name for part in raw.parts]
    if METERS_PART not in names:
        raise SourceError(NAME, None, f"delivery has no {METERS_PART}")
    number = names.index(METERS_PART)
    location = raw.parts[number].location
    document = decode_json(raw.parts[number].content, NAME, location)
    records = document.get("meters") if isinstance(document, dict) else None
    locations = [part.location for part in raw.parts]
    where = {"source": NAME, "locations": locations, "label": "meters"}
    frame = records_frame([(number, records)], _METER_SCHEMA, **where)
    listed_twice = pl.col("meter_id").is_duplicated() & ~pl.col("meter_id").is_first_distinct()
    problems = {
        **missing_fields(*_METER_REQUIRED),
        **not_one_of("carrier", CARRIERS),
        **not_one_of("direction", DIRECTIONS),
        **not_one_of("unit", tuple(UNITS)),
        "meter {meter_id!r} is listed twice": listed_twice,
    }
    raise_first_problem(frame, problems, **where)
    return _normalise_units(frame)


def _normalise_units(meters: pl.DataFrame) -> pl.DataFrame:
    units = pl.DataFrame(
        [(unit, target, factor) for unit, (target, factor) in UNITS.items()],
        schema=["unit", "target", "factor"],
        orient="row",
    )
    return (
        meters.join(units, on="unit", how="left", maintain_order="left")
        .with_columns(
            unit=pl.col("target"), interval_minutes=pl.col("interval_minutes").cast(pl.Int16)
        )
        .drop("target", "part")
    )


def _readings(raw: RawDelivery, meters: pl.DataFrame, month: Month) -> pl.DataFrame:
    """All readings of the local month, one row per meter interval, in staging columns."""
    frame = _reading_pages(raw, set(meters["meter_id"].to_list()))
    locations = [part.location for part in raw.parts]
    raise_first_problem(
        frame, _READING_PROBLEMS, source=NAME, locations=locations, label="readings"
    )
    start, end = month.start_local().astimezone(UTC), month.end_local().astimezone(UTC)
    frame = frame.filter(pl.col("interval_start").is_between(start, end, closed="left"))
    frame = _deduplicate(frame, raw)
    frame = frame.join(meters, on="meter_id", how="left", maintain_order="left")
    return frame.with_columns(value=_VALUE_IN_STAGING_UNIT).select(_READING_COLUMNS)


def _reading_pages(raw: RawDelivery, known: set[str]) -> pl.DataFrame:
    """Every readings page in one frame, with meter_id and interval_start (not yet checked)."""
    chunks, meter_ids = [], []
    for number, part in enumerate(raw.parts):
        if part.name == METERS_PART:
            continue
        meter_id = _meter_of(part, known)
        document = decode_json(part.content, NAME, part.location)
        chunks.append((number, document.get("readings") if isinstance(document, dict) else None))
        meter_ids.append(meter_id)
    locations = [part.location for part in raw.parts]
    frame = records_frame(
        chunks, _READING_SCHEMA, source=NAME, locations=locations, label="readings"
    )
    meters_of_parts = pl.DataFrame(
        {"part": [number for number, _ in chunks], "meter_id": meter_ids},
        schema={"part": pl.Int32(), "meter_id": pl.String()},
    )
    return frame.join(meters_of_parts, on="part", how="left", maintain_order="left").with_columns(
        interval_start=utc_timestamps("start")
    )


def _meter_of(part: RawPart, known: set[str]) -> str:
    """The meter a readings page belongs to, read from its URL; it must be in the list."""
    try:
        meter_id = id_before(part.location, "readings")
    except ValueError:
        message = "not a readings URL: cannot tell the meter"
        raise SourceError(NAME, part.location, message) from None
    if meter_id not in known:
        message = f"readings for meter {meter_id!r}, which is not in the meter list"
        raise SourceError(NAME, part.location, message)
    return meter_id


def _deduplicate(frame: pl.DataFrame, raw: RawDelivery) -> pl.DataFrame:
    """Drop readings repeated with the same value; refuse two values for one interval."""
    frame = frame.unique(
        subset=["meter_id", "interval_start", "value", "status"], keep="first", maintain_order=True
    )
    clashes = frame.filter(pl.struct("meter_id", "interval_start").is_duplicated())
    if not clashes.height:
        return frame.drop("part", "index", "start")
    first = clashes.row(0, named=True)
    same = (pl.col("meter_id") == first["meter_id"]) & (
        pl.col("interval_start") == first["interval_start"]
    )
    second = clashes.filter(same).row(1, named=True)
    message = (
        f"meter {first['meter_id']} interval {first['interval_start']:%Y-%m-%dT%H:%M:%SZ} "
        f"delivered twice with different values: {first['value']} ({first['status']}) "
        f"and {second['value']} ({second['status']})"
    )
    location = raw.parts[second["part"]].location
    raise SourceError(NAME, location, message, record=f"readings[{second['index']}]")
