"""A loopback HTTP server that plays the demo hospital's two HTTP sources.

    with DemoServer(demo) as server:       # demo: GeneratedDemo or DemoModel
        server.url                          # e.g. "http://127.0.0.1:43125"

serves the energy API under ``/energy`` (Bearer token) and the food-waste API under
``/foodwaste`` (``X-Api-Key``), computed on the fly from the same model as the files.
It misbehaves like real services: 429 with ``Retry-After: 1`` when called faster than
``rate_limit_per_s`` (token bucket) and at random, occasional 503, and the injected
"energy API down" months.
"""

from __future__ import annotations

import random
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, unquote, urlsplit

from groendraad.demo.apis import EnergyApi, FoodApi, Response, error
from groendraad.demo.generate import GeneratedDemo
from groendraad.demo.model import DemoModel

# Credentials of the demo services only; they guard nothing real.
DEMO_ENERGY_TOKEN = "demo-energy-token"  # noqa: S105
DEMO_FOOD_API_KEY = "demo-food-key"


class TokenBucket:
    """``rate`` requests a second on average, bursts up to ``capacity``."""

    def __init__(self, rate: float, capacity: float):
        self.rate, self.capacity = rate, capacity
        self.tokens, self.updated = capacity, time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens < 1.0:
                return False
            self.tokens -= 1.0
            return True


class DemoServer:
    """The energy and food-waste APIs on 127.0.0.1, in a daemon thread."""

    def __init__(
        self,
        demo: GeneratedDemo | DemoModel,
        *,
        token: str = DEMO_ENERGY_TOKEN,
        api_key: str = DEMO_FOOD_API_KEY,
        fault_rate_503: float = 0.01,
        fault_rate_429: float = 0.005,
        rate_limit_per_s: float | None = 200.0,
        burst: int = 400,
        energy_page_size: int = 2000,
        food_page_size: int = 250,
        duplicate_rate: float = 0.1,
        random_seed: int | None = None,
        port: int = 0,
    ):
        model = demo.model if isinstance(demo, GeneratedDemo) else demo
        faults = demo.faults if isinstance(demo, GeneratedDemo) else ()
        self.energy = EnergyApi(model, faults, energy_page_size)
        self.food = FoodApi(model, food_page_size, duplicate_rate)
        self.token, self.api_key = token, api_key
        self.fault_rate_503, self.fault_rate_429 = fault_rate_503, fault_rate_429
        self.bucket = TokenBucket(rate_limit_per_s, burst) if rate_limit_per_s else None
        self.random = random.Random(random_seed)
        self.lock = threading.Lock()
        self.stats: Counter[int] = Counter()  # responses by status code
        self.routes: list[
            tuple[re.Pattern[str], Callable[[re.Match[str], dict[str, str]], Response], str]
        ] = [
            (re.compile(r"/energy/api/v1/meters/?"), lambda m, q: self.energy.meters(), "bearer"),
            (
                re.compile(r"/energy/api/v1/meters/([^/]+)/readings/?"),
                lambda m, q: self.energy.readings(unquote(m.group(1)), q),
                "bearer",
            ),
            (
                re.compile(r"/foodwaste/v2/sites/([^/]+)/waste-events/?"),
                lambda m, q: self.food.events(unquote(m.group(1)), q),
                "api_key",
            ),
        ]
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> DemoServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="demo-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def handle(self, target: str, headers: dict[str, str]) -> Response:
        """Answer one GET request (path with query string, lower-cased header names)."""
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query))
        for pattern, endpoint, auth in self.routes:
            match = pattern.fullmatch(parts.path)
            if match:
                response = self._refuse(auth, headers) or self._answer(endpoint, match, query)
                break
        else:
            response = error(404, f"no such resource: {parts.path}")
        with self.lock:
            self.stats[response.status] += 1
        return response

    @staticmethod
    def _answer(
        endpoint: Callable[[re.Match[str], dict[str, str]], Response],
        match: re.Match[str],
        query: dict[str, str],
    ) -> Response:
        """The endpoint's response; a bug in the demo becomes a 500, not a dropped connection."""
        try:
            return endpoint(match, query)
        except Exception as exc:
            return error(500, f"demo server error: {type(exc).__name__}: {exc}")

    def _refuse(self, auth: str, headers: dict[str, str]) -> Response | None:
        """401, 429 or 503 before the endpoint runs, or None to let it answer."""
        if auth == "bearer" and headers.get("authorization") != f"Bearer {self.token}":
            return error(401, "invalid or missing bearer token", {"WWW-Authenticate": "Bearer"})
        if auth == "api_key" and headers.get("x-api-key") != self.api_key:
            return error(401, "invalid or missing X-Api-Key")
        with self.lock:
            draw_429, draw_503 = self.random.random(), self.random.random()
        if (self.bucket and not self.bucket.take()) or draw_429 < self.fault_rate_429:
            return error(429, "too many requests", {"Retry-After": "1"})
        if draw_503 < self.fault_rate_503:
            return error(503, "service temporarily unavailable")
        return None


def _handler_for(server: DemoServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30

        def setup(self) -> None:
            super().setup()
            # headers and body go out in separate writes: without this, Nagle's algorithm
            # and the client's delayed ACK add ~40 ms to every response
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            headers = {k.lower(): v for k, v in self.headers.items()}
            response = server.handle(self.path, headers)
            self.send_response(response.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: no request log on stderr."""

    return Handler
