"""Helpers shared by the HTTP JSON connectors (energy, food waste).

``get_json`` fetches one URL with retries and turns every failure into a
``SourceError`` naming the URL; ``records_frame`` turns a list of JSON records into
a typed polars frame, or a ``SourceError`` naming the first bad record.

Credentials travel in headers only: they never appear in a URL, an error message or
a log line. Retries sleep through the module-level ``sleep``, which tests replace.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import numpy as np
import polars as pl

from groendraad.errors import SourceError
from groendraad.sources import deadline
from groendraad.sources.deadline import DeadlineExceeded
from groendraad.sources.json_decode import decode_json

log = logging.getLogger(__name__)

sleep: Callable[[float], None] = time.sleep
BACKOFF_BASE_S = 0.2
BACKOFF_CAP_S = 5.0
RETRY_AFTER_CAP_S = 120.0
RETRY_STATUSES = frozenset({502, 503, 504})
RETRY_AFTER_STATUSES = frozenset({429, 503})
_PYTHON_TYPES: dict[type[pl.DataType], tuple[type, ...]] = {
    pl.String: (str,),
    pl.Float64: (int, float),
    pl.Int64: (int,),
    pl.Boolean: (bool,),
}
ISO_WITH_OFFSET = "%Y-%m-%dT%H:%M:%S%.f%#z"  # ISO 8601 with Z or a UTC offset


def get_json(
    client: httpx.Client,
    source: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str | int] | None = None,
    max_retries: int = 5,
    timeout_s: float | None = None,
    credential_hint: str | None = None,
) -> tuple[bytes, str, Any]:
    """GET ``url`` and return (body bytes, location, decoded JSON).

    ``location`` is the requested URL with its query (no credentials: those are
    headers). Retries up to ``max_retries`` times on 429, 502, 503, 504 and transport
    errors, waiting ``Retry-After`` seconds when given, else an exponential backoff.
    ``credential_hint`` (an environment variable's name) is named on 401/403.
    """
    timeout = httpx.USE_CLIENT_DEFAULT if timeout_s is None else timeout_s
    request = client.build_request("GET", url, headers=headers, params=params, timeout=timeout)
    location = _location(request.url)
    for attempt in range(max_retries + 1):
        last_try = attempt == max_retries
        try:
            response = client.send(request)
        except DeadlineExceeded as exc:
            raise SourceError(
                source, location, f"{exc} (deadline_s): the server is too slow"
            ) from None
        except httpx.TransportError as exc:
            if last_try:
                message = f"request failed after {attempt + 1} attempt(s): {_describe(exc)}"
                raise SourceError(source, location, message) from None
            _wait(client, location, _backoff(attempt), f"{type(exc).__name__}")
            continue
        if _retryable(response.status_code) and not last_try:
            _wait(client, location, _delay(response, attempt), f"HTTP {response.status_code}")
            continue
        _check_status(response, source, location, attempt + 1, credential_hint)
        return response.content, location, decode_json(response.content, source, location)
    raise AssertionError("unreachable")  # pragma: no cover


def records_frame(
    chunks: Sequence[tuple[int, Any]],
    schema: Mapping[str, pl.DataType],
    *,
    source: str,
    locations: Sequence[str],
    label: str,
) -> pl.DataFrame:
    """One frame of the records of many pages, with ``schema`` plus ``part`` and ``index``.

    ``chunks`` holds (part number, list of JSON objects) per page; ``part`` and
    ``index`` say where each record came from (``locations[part]``, position in its
    list), so ``raise_first_problem`` can point at it. Built in one go because that is
    much faster than a frame per page. A page whose records are not a list, a record
    that is not an object, or a field of the wrong type raises SourceError naming it
    as ``label[index]``. Scalars polars can coerce (a number as text) pass.
    """
    records: list[Any] = []
    for part, chunk in chunks:
        if not isinstance(chunk, list):
            raise SourceError(source, locations[part], f"expected {label!r}: a list of records")
        records.extend(chunk)
    try:
        frame = pl.DataFrame(records, schema=dict(schema))
    except (TypeError, ValueError, pl.exceptions.PolarsError):
        part, index, problem = _first_bad_record(chunks, schema)
        raise SourceError(source, locations[part], problem, record=f"{label}[{index}]") from None
    lengths = np.array([len(chunk) for _, chunk in chunks], dtype=np.int64)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    frame = frame.with_columns(
        part=pl.Series(np.repeat([part for part, _ in chunks], lengths), dtype=pl.Int32),
        index=pl.Series(np.arange(len(records)) - starts, dtype=pl.UInt32),
    )
    floats = [name for name, dtype in schema.items() if dtype == pl.Float64]
    if floats:
        where = {"source": source, "locations": locations, "label": label}
        raise_first_problem(frame, not_finite(*floats), **where)
    return frame


def not_finite(*fields: str) -> dict[str, pl.Expr]:
    """Problems for ``raise_first_problem``: a number that is NaN or infinite (as text
    ``"NaN"`` polars would read it so)."""
    return {
        f"field {field!r} is not a finite number": pl.col(field).is_not_null()
        & ~pl.col(field).is_finite()
        for field in fields
    }


def missing_fields(*fields: str) -> dict[str, pl.Expr]:
    """Problems for ``raise_first_problem``: a required field missing or null."""
    return {f"field {field!r} is missing or null": pl.col(field).is_null() for field in fields}


def not_one_of(column: str, allowed: tuple[str, ...]) -> dict[str, pl.Expr]:
    """Problems for ``raise_first_problem``: a value outside ``allowed``."""
    message = f"{column} {{{column}!r}} is not one of {', '.join(allowed)}"
    return {message: pl.col(column).is_not_null() & ~pl.col(column).is_in(allowed)}


def bad_timestamps(text: str, parsed: str) -> dict[str, pl.Expr]:
    """Problems for ``raise_first_problem``: text that ``utc_timestamps`` could not read."""
    message = f"{text} {{{text}!r}} is not an ISO 8601 timestamp with Z or a UTC offset"
    return {message: pl.col(text).is_not_null() & pl.col(parsed).is_null()}


def raise_first_problem(
    frame: pl.DataFrame,
    problems: Mapping[str, pl.Expr],
    *,
    source: str,
    locations: Sequence[str],
    label: str,
) -> None:
    """Raise SourceError for the first record matching a problem, checked all at once.

    ``problems`` maps a message (a ``str.format`` template over the record's columns)
    to the condition that flags a bad record; ``locations[part]`` is the record's URL.
    """
    flags = frame.select(cond.any().alias(str(i)) for i, cond in enumerate(problems.values()))
    for (message, condition), flagged in zip(problems.items(), flags.row(0), strict=True):
        if flagged:
            row = frame.filter(condition).row(0, named=True)
            record = f"{label}[{row['index']}]"
            raise SourceError(source, locations[row["part"]], message.format(**row), record=record)


def utc_timestamps(column: str) -> pl.Expr:
    """``column`` (ISO 8601 text with Z or an offset) as Datetime(us, UTC); null if not that."""
    return pl.col(column).str.to_datetime(
        ISO_WITH_OFFSET, time_unit="us", time_zone="UTC", strict=False
    )


def id_before(location: str, last: str) -> str:
    """The id in ``.../{id}/{last}?...`` (unquoted), e.g. the meter of a readings URL."""
    segments = urlsplit(location).path.split("/")
    if len(segments) < 3 or segments[-1] != last or not segments[-2]:
        raise ValueError(f"{location} does not end in /<id>/{last}")
    return unquote(segments[-2])


def _retryable(status: int) -> bool:
    return status in RETRY_STATUSES or status == 429


def _delay(response: httpx.Response, attempt: int) -> float:
    """Retry-After (seconds) when the server sends one with 429/503, else the backoff."""
    header = response.headers.get("Retry-After")
    if response.status_code in RETRY_AFTER_STATUSES and header is not None:
        try:
            return min(max(float(header), 0.0), RETRY_AFTER_CAP_S)
        except ValueError:
            pass  # an HTTP date: rare enough to fall back to the backoff
    return _backoff(attempt)


def _backoff(attempt: int) -> float:
    return min(BACKOFF_BASE_S * 2**attempt, BACKOFF_CAP_S)


def _wait(client: httpx.Client, location: str, seconds: float, reason: str) -> None:
    """Sleep before a retry, never past the fetch's deadline (the retry then fails it)."""
    left = deadline.remaining(client)
    if left is not None:
        seconds = min(seconds, max(left, 0.0))
    log.info("%s: %s, retrying in %.1f s", location, reason, seconds)
    sleep(seconds)


def _check_status(
    response: httpx.Response, source: str, location: str, attempts: int, hint: str | None
) -> None:
    status = response.status_code
    if status < 300:
        return
    if status < 400:
        message = f"unexpected redirect (HTTP {status}): set base_url to the final address"
    elif status in (401, 403):
        check = f": check the environment variable {hint}" if hint else ""
        message = f"credentials refused (HTTP {status}){check}"
    elif status == 404:
        message = "not found (HTTP 404): check base_url and the requested id"
    else:
        message = f"HTTP {status} {response.reason_phrase} after {attempts} attempt(s)"
    raise SourceError(source, location, message)


def _location(url: httpx.URL) -> str:
    """The URL as text, without any user:password in it."""
    return str(url.copy_with(username=None, password=None) if url.userinfo else url)


def _describe(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return f"{type(exc).__name__}: {exc}"


def _first_bad_record(
    chunks: Sequence[tuple[int, list[Any]]], schema: Mapping[str, pl.DataType]
) -> tuple[int, int, str]:
    """Find (part, index, problem) of the first record polars refused (the slow path)."""
    for part, records in chunks:
        for index, record in enumerate(records):
            problem = _record_problem(record, schema)
            if problem:
                return part, index, problem
    return (chunks[0][0] if chunks else 0), 0, "records could not be read"


def _record_problem(record: Any, schema: Mapping[str, pl.DataType]) -> str | None:
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    for field, dtype in schema.items():
        kind = dtype if isinstance(dtype, type) else type(dtype)
        value, types = record.get(field), _PYTHON_TYPES.get(kind, (object,))
        wrong_bool = isinstance(value, bool) and bool not in types
        if value is not None and (wrong_bool or not isinstance(value, types)):
            return f"field {field!r} has the wrong type ({value!r})"
    return None
