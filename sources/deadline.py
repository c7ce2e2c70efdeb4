"""One overall deadline for a source's whole fetch, on top of the per-read timeout.

``timeout_s`` bounds each read: a server that trickles a byte every few seconds never
trips it and could hold the run (and the warehouse lock) for as long as it likes.
:func:`client` gives an httpx client whose transport checks one deadline for all the
requests of a fetch: before each request, on every chunk of a response body, and by
cutting the per-read timeout to the time that is left. Past it, the fetch fails with
:class:`DeadlineExceeded`, which ``get_json`` reports at once (no retry).
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterator
from weakref import WeakKeyDictionary

import httpx

DEFAULT_DEADLINE_S = 600.0  # a source's whole fetch: every page of every meter or site
_deadlines: WeakKeyDictionary[httpx.Client, Deadline] = WeakKeyDictionary()


class DeadlineExceeded(httpx.TimeoutException):
    """The source's fetch ran past its overall deadline."""


class Deadline:
    """A point in time, ``seconds`` from now."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.until = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.until - time.monotonic()

    def check(self, request: httpx.Request) -> None:
        if self.remaining() <= 0:
            message = f"the fetch did not finish within its deadline of {self.seconds:g} s"
            raise DeadlineExceeded(message, request=request)


class _Body(httpx.SyncByteStream):
    """A response body that checks the deadline on every chunk it hands on."""

    def __init__(self, inner: httpx.SyncByteStream, deadline: Deadline, request: httpx.Request):
        self.inner, self.deadline, self.request = inner, deadline, request

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.inner:
            self.deadline.check(self.request)
            yield chunk

    def close(self) -> None:
        self.inner.close()


class DeadlineTransport(httpx.BaseTransport):
    """An HTTP transport whose requests all end by one deadline."""

    def __init__(self, inner: httpx.BaseTransport, deadline: Deadline) -> None:
        self.inner, self.deadline = inner, deadline

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.deadline.check(request)
        left = max(self.deadline.remaining(), 0.001)
        timeouts = dict(request.extensions.get("timeout") or {})
        request.extensions["timeout"] = {
            key: left if value is None else min(value, left)
            for key, value in {
                k: timeouts.get(k) for k in ("connect", "read", "write", "pool")
            }.items()
        }
        response = self.inner.handle_request(request)
        assert isinstance(response.stream, httpx.SyncByteStream)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_Body(response.stream, self.deadline, request),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self.inner.close()


def client(
    timeout_s: float, deadline_s: float, verify: ssl.SSLContext | bool = True
) -> httpx.Client:
    """An httpx client for one source's fetch: ``timeout_s`` per read, ``deadline_s`` in all."""
    deadline = Deadline(deadline_s)
    transport = DeadlineTransport(httpx.HTTPTransport(verify=verify), deadline)
    made = httpx.Client(
        timeout=httpx.Timeout(timeout_s), follow_redirects=False, transport=transport
    )
    _deadlines[made] = deadline
    return made


def remaining(made: httpx.Client) -> float | None:
    """Seconds left before ``made``'s deadline (None: it has none)."""
    deadline = _deadlines.get(made)
    return None if deadline is None else deadline.remaining()
