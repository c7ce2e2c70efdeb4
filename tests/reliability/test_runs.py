"""Hostile deliveries through whole runs (in this process, the CLI where its exit code
or output is the point), on a copy of a warehouse that already holds Sept and Oct."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner

from groendraad import cli as cli_module
from groendraad.charts.swap import MARKER
from groendraad.cli import cli
from groendraad.metrics import store
from groendraad.notify import send_failure
from groendraad.steps import failure_message, warning_message
from groendraad.warehouse import staging
from groendraad.warehouse.runs import warehouse_lock

from .conftest import OCTOBER, SEPTEMBER, run
from .deliveries import PLANTED, xlsx_with_cell
from .hospital import Hospital, set_field

FIRST_EMPLOYEE_LINE = 2


def cli_run(hospital: Hospital, *args: str) -> Any:
    """The CLI as a coordinator runs it (output unwrapped, as pasted from a file)."""
    config = ["--config", str(hospital.folder / "files.yaml")]
    warehouse = ["--warehouse", str(hospital.warehouse)]
    from groendraad.charts.command import pages

    cli.add_command(pages)  # as main() does
    with pytest.MonkeyPatch.context() as patch:
        for console in (cli_module.console, cli_module.errors):
            patch.setattr(console, "width", 400)
        return CliRunner().invoke(cli, [*args, *config, *warehouse], catch_exceptions=False)


def versions(hospital: Hospital, month) -> list[int]:
    return store.list_versions(hospital.warehouse, month)["version"].to_list()


def test_a_workbook_that_would_abort_fails_only_its_source(hospital: Hospital) -> None:
    path = hospital.file("disposables", OCTOBER)
    path.write_bytes(xlsx_with_cell(path.read_bytes(), "XFD1048576", "x", 1048576))
    report = run(hospital, OCTOBER)
    failed = {r.source: r.error for r in report.failures}
    assert list(failed) == ["disposables"]
    assert f"{path}" in failed["disposables"] and "cell XFD1048576" in failed["disposables"]
    record = json.loads(report.record_path.read_text())
    assert {r["source"]: r["status"] for r in record["results"]} == {
        "reference": "ok", "waste": "ok", "disposables": "failed", "mobility": "ok",
        "medicine_waste": "ok",
    }  # fmt: skip


def _leaky_runs(hospital: Hospital) -> list[Any]:
    """Two runs of mobility alone: an HR file without its header, then one that parses
    but fails validation, both with PLANTED as a personnel number."""
    lines = hospital.lines("commuting", OCTOBER)
    planted = set_field(lines, FIRST_EMPLOYEE_LINE, 0, PLANTED)
    hospital.write_lines("commuting", OCTOBER, planted[1:])
    first = cli_run(hospital, "run", "--month", str(OCTOBER), "--source", "mobility")
    invalid = set_field(planted, 3, 0, PLANTED)  # the number twice: a blocking duplicate
    invalid = set_field(invalid, FIRST_EMPLOYEE_LINE, 1, "Afdeling-Geheim-9")
    invalid = set_field(invalid, FIRST_EMPLOYEE_LINE, 2, "412,5")  # a warning: > 300 km
    hospital.write_lines("commuting", OCTOBER, invalid)
    second = cli_run(hospital, "run", "--month", str(OCTOBER), "--source", "mobility")
    return [first, second]


def _everything_written(hospital: Hospital) -> str:
    """Every text the runs left in the warehouse's records, results and reports."""
    texts = [p.read_text() for p in (hospital.warehouse / "runs").glob("*.json")]
    texts += [p.read_text() for p in (hospital.warehouse / "validation").rglob("*.html")]
    for path in (hospital.warehouse / "validation" / "results").rglob("*.parquet"):
        texts.append(pl.read_parquet(path).write_json())
    return "\n".join(texts)


def test_no_personal_value_reaches_any_output(hospital: Hospital, monkeypatch) -> None:
    runs = _leaky_runs(hospital)
    assert [r.exit_code for r in runs] == [1, 1]
    assert "unexpected header" in runs[0].output
    assert "commuting.unique_key: 2 of 10278 lines at source_line=2" in runs[1].output
    records = sorted((hospital.warehouse / "runs").glob("*.json"))[-2:]
    from groendraad.steps import result_of

    results = [result_of(r) for p in records for r in json.loads(p.read_text())["results"]]
    messages = [failure_message(results) or "", warning_message(results) or ""]
    with webhook() as (url, received):
        monkeypatch.setenv("GD_RELIABILITY_WEBHOOK", url)
        config = hospital.config()
        config.raw["notifications"] = {"webhook_url_env": "GD_RELIABILITY_WEBHOOK"}
        assert send_failure(config, "run failed", messages[0]) == [
            "webhook GD_RELIABILITY_WEBHOOK: sent"
        ]
    outputs = [r.output for r in runs] + messages + [json.dumps(received)]
    everything = "\n".join(outputs) + _everything_written(hospital)
    assert "woonwerk_2025-10.csv line 1: unexpected header" in outputs[0]  # located
    for secret in (PLANTED, "Afdeling-Geheim-9", "412,5", "412.5"):
        assert secret not in everything, secret


class _Webhook(BaseHTTPRequestHandler):
    received: list[Any] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(json.loads(body))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


class webhook:  # noqa: N801 - used as a context manager
    def __enter__(self) -> tuple[str, list[Any]]:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Webhook)
        self.server.received = []  # type: ignore[attr-defined]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook", self.server.received  # type: ignore[attr-defined]

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_last_months_file_sent_again_is_refused(hospital: Hospital) -> None:
    shutil.copy(hospital.file("waste", SEPTEMBER), hospital.file("waste", OCTOBER))
    before = versions(hospital, OCTOBER)
    done = cli_run(hospital, "run", "--month", str(OCTOBER), "--source", "waste")
    assert done.exit_code == 1
    assert "byte for byte the delivery of 2025-09" in done.output
    assert str(hospital.file("waste", OCTOBER)) in done.output
    assert versions(hospital, OCTOBER) == before
    staged = staging.read_month(hospital.warehouse, "waste_collections", OCTOBER)
    assert staged["collection_date"].dt.month().unique().to_list() == [10]


def test_a_refused_delivery_publishes_no_new_version(hospital: Hospital) -> None:
    lines = hospital.lines("waste", OCTOBER)
    lines = set_field(lines, 2, 3, "18 01 99")  # not a EURAL code: blocking
    lines = set_field(lines, 3, 6, "60.000,0")  # a 60 t line: a warning
    hospital.write_lines("waste", OCTOBER, lines)
    before = versions(hospital, OCTOBER)
    report = run(hospital, OCTOBER, ["waste"])
    assert [r.source for r in report.failures] == ["waste"]
    assert report.failures[0].validation.warnings  # the refused delivery had warnings
    assert versions(hospital, OCTOBER) == before
    assert report.publication.new_versions == {}


def test_a_restatement_adds_a_version(hospital: Hospital) -> None:
    lines = hospital.lines("waste", OCTOBER)
    total = lines[-1].split(";")[-1]
    fields = lines[1].split(";")
    lines[1] = ";".join([*fields[:6], "1.000,0"])
    old_first = float(fields[6].replace(".", "").replace(",", "."))
    declared = float(total.replace(".", "").replace(",", ".")) - old_first + 1000.0
    lines[-1] = "Totaal;;;;;;" + f"{declared:.1f}".replace(".", ",")
    hospital.write_lines("waste", OCTOBER, lines)
    before = versions(hospital, OCTOBER)
    report = run(hospital, OCTOBER, ["waste"])
    assert report.ok, [r.error for r in report.failures]
    assert versions(hospital, OCTOBER) == [*before, before[-1] + 1]
    old = store.read_version(hospital.warehouse, OCTOBER, before[-1])
    assert old.height > 0  # the earlier version stays readable as it was


def test_a_source_alone_uses_the_staged_reference(hospital: Hospital) -> None:
    sources = ["mobility", "disposables", "medicine_waste"]
    report = run(hospital, OCTOBER, sources)
    assert report.ok, [r.error for r in report.failures]
    assert sorted(r.source for r in report.results) == sorted(sources)


def main(hospital: Hospital, capsys, *args: str) -> tuple[int, str]:
    """``groendraad <args>`` through the real entry point: (exit code, output)."""
    argv = ["groendraad", *args, "--config", str(hospital.folder / "files.yaml")]
    argv += ["--warehouse", str(hospital.warehouse)]
    with pytest.MonkeyPatch.context() as patch, pytest.raises(SystemExit) as exited:
        patch.setattr(sys, "argv", argv)
        cli_module.main()
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out + captured.err


def test_pages_never_deletes_a_folder_that_is_not_its_site(hospital: Hospital, capsys) -> None:
    mine = hospital.folder / "my-documents"
    mine.mkdir()
    (mine / "thesis.docx").write_text("years of work")
    code, output = main(hospital, capsys, "pages", "--out", str(mine))
    assert code == 2
    assert "not empty and holds no site written by groendraad" in " ".join(output.split())
    assert [p.name for p in mine.iterdir()] == ["thesis.docx"]
    ours = hospital.folder / "site-share"
    assert cli_run(hospital, "pages", "--out", str(ours)).exit_code == 0
    (ours / "left-over.html").write_text("from an older site")
    assert cli_run(hospital, "pages", "--out", str(ours)).exit_code == 0
    assert (ours / MARKER).is_file() and (ours / "index.html").is_file()
    assert not (ours / "left-over.html").exists()
    assert sorted(p.name for p in hospital.folder.iterdir() if p.name.startswith(".site")) == []


def test_pages_takes_the_warehouse_lock(hospital: Hospital) -> None:
    index = hospital.warehouse / "site" / "index.html"
    written_before = index.stat().st_mtime
    with subprocess.Popen(  # another run holding the warehouse for 3 s
        [sys.executable, "-c", _HOLD_LOCK, str(hospital.warehouse)], stdout=subprocess.PIPE
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
        started = time.monotonic()
        done = cli_run(hospital, "pages")
        waited = time.monotonic() - started
        holder.wait(timeout=30)
    assert done.exit_code == 0
    assert "another run is writing this warehouse; waiting until it is done" in done.output
    assert waited >= 2.0 and index.stat().st_mtime > written_before
    with warehouse_lock(hospital.warehouse, wait=False):
        pass  # released


_HOLD_LOCK = """
import sys, time
from pathlib import Path
from groendraad.warehouse.runs import warehouse_lock
with warehouse_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(3)
"""


class _Trickle(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            for _ in range(100000):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.3)
        except OSError:
            pass

    def log_message(self, *args: Any) -> None:
        pass


def test_a_trickling_server_fails_its_source_at_the_deadline(
    hospital: Hospital, monkeypatch
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("GD_RELIABILITY_TOKEN", "t")
    url = f"http://127.0.0.1:{server.server_address[1]}"
    config = hospital.folder / "files.yaml"
    config.write_text(
        config.read_text().split("  waste:")[0]
        + f"  energy: {{base_url: '{url}', credentials: {{token: GD_RELIABILITY_TOKEN}},"
        " timeout_s: 5, deadline_s: 2}\n"
    )
    started = time.monotonic()
    try:
        report = run(hospital, OCTOBER, ["energy"])
    finally:
        server.shutdown()
        server.server_close()
    assert time.monotonic() - started < 60
    (failed,) = report.failures
    assert "did not finish within its deadline of 2 s (deadline_s)" in failed.error
    assert f"{url}/api/v1/meters" in failed.error
    assert failed.seconds["fetch"] < 10
    with warehouse_lock(hospital.warehouse, wait=False):
        pass  # the lock was released
