"""The hostile cases that already held, kept as cases so that they keep holding."""

from __future__ import annotations

import importlib.util
import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl
import pytest
import xlsxwriter

from groendraad.config import load_config
from groendraad.expectations import validate_source_month
from groendraad.metrics import publish
from groendraad.pipeline import fetch_source
from groendraad.sources import disposables, http, waste
from groendraad.sources.base import ParseContext
from groendraad.warehouse import staging
from groendraad.warehouse.runs import WarehouseBusy, warehouse_lock
from groendraad.warehouse.schema import tables

from . import cases
from .conftest import OCTOBER
from .deliveries import csv_lines, delivery, source_config
from .hospital import Hospital

TESTS = Path(__file__).parents[1]


def _clean_month() -> ModuleType:
    """tests/expectations/clean_month.py: a clean month of every source as frames."""
    spec = importlib.util.spec_from_file_location(
        "reliability_clean_month", TESTS / "expectations" / "clean_month.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


clean = _clean_month()


def _tonnes(frames):
    return {**frames, "waste_collections": frames["waste_collections"].with_columns(
        pl.col("weight_kg") / 1000)}  # fmt: skip


def _mwh(frames):
    return {**frames, "energy_readings": frames["energy_readings"].with_columns(
        pl.col("value") / 1000)}  # fmt: skip


def _duplicates(frames):
    lines = frames["waste_collections"]
    return {**frames, "waste_collections": pl.concat([lines, lines.head(3)])}


def _unknown_code(frames):
    lines = frames["waste_collections"].with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("18 01 99")).otherwise("eural_code")
        .alias("eural_code"))  # fmt: skip
    return {**frames, "waste_collections": lines}


def _totaal(frames):
    return {**frames, "waste_totals": frames["waste_totals"].with_columns(
        pl.col("declared_total_kg") + 500.0)}  # fmt: skip


VALIDATION = {
    "tonnes": ("waste", _tonnes, "waste_collections.month_over_month"),
    "mwh": ("energy", _mwh, "energy_readings.month_over_month"),
    "duplicates": ("waste", _duplicates, "waste_collections.duplicate_lines"),
    "unknown-codes": ("waste", _unknown_code, "waste_collections.eural_code_known"),
    "totaal-mismatch": ("waste", _totaal, "waste_totals.totaal_matches_lines"),
}


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("history")
    clean.stage_history(root, clean.MONTH)
    return root


@pytest.mark.parametrize("case", cases.ids("test_held.py::test_held_validation_case"))
def test_held_validation_case(case: str, history: Path) -> None:
    source, breaks, expectation = VALIDATION[case]
    frames = breaks(clean.month_of(source, clean.MONTH))
    outcome = validate_source_month(
        source, clean.MONTH, frames, warehouse=history,
        reference_organisation=clean.ORGANISATION, run_id="held",
    )  # fmt: skip
    failed = {r.expectation: r for r in outcome.results if not r.success}
    assert expectation in failed and failed[expectation].severity == "blocking"
    assert outcome.blocking_failed


def _big_waste(folder: Path, lines: int) -> tuple[bytes, float]:
    body = [line for line in csv_lines(folder, "waste")[1:-1] if line]
    rows = [body[i % len(body)] for i in range(lines)]
    total = sum(float(r.split(";")[6].replace(".", "").replace(",", ".")) for r in rows)
    text = [csv_lines(folder, "waste")[0], *rows, "Totaal;;;;;;" + f"{total:.1f}".replace(".", ",")]
    return "\r\n".join(text).encode("utf-8"), total


def _big_workbook(rows: int) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("Uitgifte")
    sheet.write_string(0, 0, "Uitgifte artikelen")
    sheet.write_row(2, 0, disposables.COLUMNS)
    for row in range(rows):  # fmt: skip
        sheet.write_row(
            row + 3,
            0,
            [
                "2025-10",
                "K1000",
                f"A{row}",
                "8712345678906",
                "Handschoen",
                "Handschoenen",
                2,
                "DS100",
                4.5,
                "N",
            ],
        )
    book.close()
    return buffer.getvalue()


@pytest.mark.parametrize("case", cases.ids("test_held.py::test_big_deliveries_are_read_whole"))
def test_big_deliveries_are_read_whole(case: str, generated: Path) -> None:
    from .test_parsers import organisation

    if case == "big-csv":
        content, total = _big_waste(generated, 200_000)
        frames = waste.parse(delivery("waste", ("afval_2025-10.csv", content)),
                             ParseContext(OCTOBER, source_config(waste, generated)))  # fmt: skip
        assert frames["waste_collections"].height == 200_000
        assert frames["waste_collections"]["weight_kg"].sum() == pytest.approx(total)
    else:
        context = ParseContext(
            OCTOBER, source_config(disposables, generated), organisation(generated)
        )
        content = _big_workbook(50_000)
        frames = disposables.parse(delivery("disposables", ("u.xlsx", content)), context)
        issues = frames["disposables_issues"]
        assert issues.height == 50_000 and issues["pieces"].sum() == 50_000 * 200


class _Storm(BaseHTTPRequestHandler):
    """429 and 503 (Retry-After 0) for the first ``storm`` requests, then the meters;
    401 for a wrong token."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        server: Any = self.server
        server.requests += 1
        if self.headers.get("Authorization") != "Bearer right-token":
            self._send(401, b'{"error": "unauthorized"}')
        elif server.requests <= server.storm:
            self._send(429 if server.requests % 2 else 503, b"{}", {"Retry-After": "0"})
        elif self.path.startswith("/api/v1/meters?") or self.path == "/api/v1/meters":
            self._send(200, b'{"meters": []}')
        else:
            self._send(404, b"{}")

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def storm(requests: int) -> Iterator[str]:
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), _Storm)
    server.requests, server.storm = 0, requests
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("case", cases.ids("test_held.py::test_storms_and_wrong_tokens"))
def test_storms_and_wrong_tokens(case: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(http, "sleep", lambda seconds: None)
    token = "right-token" if case == "http-429-503-storm" else "wrong-token-SECRET"
    monkeypatch.setenv("GD_HELD_TOKEN", token)
    outcomes = []
    for requests in (4, 100):  # a storm that passes, and one that does not
        with storm(requests) as url:
            config = tmp_path / f"c{requests}.yaml"
            config.write_text(
                f"institution: {{id: x, name: X}}\nsources:\n  energy: {{base_url: '{url}', "
                "credentials: {token: GD_HELD_TOKEN}, max_retries: 5}\n"
            )
            outcomes.append(fetch_source(load_config(config), tmp_path / "wh", "energy", OCTOBER))
    (passed, _), (failed, _) = outcomes
    if case == "wrong-token":
        assert "credentials refused (HTTP 401): check the environment variable GD_HELD_TOKEN" in (
            failed.error or ""
        )
        assert token not in json.dumps([passed.as_record(), failed.as_record()])
    else:
        assert passed.error is None and passed.raw_path  # fetched and kept
        assert "HTTP 503" in (failed.error or "") and "after 6 attempt(s)" in (failed.error or "")
        assert "/api/v1/meters" in (failed.error or "")


def test_markup_in_names_is_escaped(hospital: Hospital) -> None:
    from groendraad.charts.site import render_site

    root, markup = hospital.warehouse, "<img src=x onerror=alert(1)>"
    for name in tables():
        path = staging.month_file(root, name, OCTOBER)
        frame = pl.read_parquet(path) if path.is_file() else None
        if frame is not None and "department" in frame.columns:
            renamed = frame.with_columns(pl.col("department").str.replace("^Radiologie$", markup))
            staging.write_source_month(root, OCTOBER, {name: renamed}, "e" * 64)
    publish(root, "demo-umc", [OCTOBER])
    site = render_site(root)
    shown = 0
    for page in site.pages:
        html = (site.out / page).read_text(encoding="utf-8")
        assert markup not in html and "<img src=x" not in html, page
        shown += "&lt;img src=x onerror=alert(1)&gt;" in html
    assert shown  # the name is on the pages, escaped


def test_a_second_run_is_refused_while_one_holds_the_lock(tmp_path: Path) -> None:
    busy = pytest.raises(WarehouseBusy, match="another run is writing")
    with warehouse_lock(tmp_path), busy, warehouse_lock(tmp_path, wait=False):
        pass  # pragma: no cover - never reached
