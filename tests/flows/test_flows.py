"""The flows against a real (temporary) Prefect API: outcome, artifacts, retries, cache.

Each test gathers the demo hospital's month into its own warehouse. The flows must
stage exactly what ``run_month`` stages, end Failed with the located message when a
source fails, and leave artifacts a person reads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from groendraad import steps
from groendraad.config import load_config
from groendraad.flows.backfill import backfill
from groendraad.flows.monthly import monthly
from groendraad.flows.restate import restate
from groendraad.pipeline import run_month
from groendraad.warehouse import staging
from groendraad.warehouse.schema import tables

from .conftest import MONTH, TOKEN, Demo
from .prefect_reads import artifacts, task_runs
from .receivers import webhook_receiver

pytestmark = pytest.mark.usefixtures("prefect_api")


def staged_tables(root: Path, month=MONTH) -> set[str]:
    return {t for t in tables() if staging.month_file(root, t, month).is_file()}


def test_monthly_flow_stages_what_run_month_stages_and_leaves_artifacts(
    demo: Demo, tmp_path: Path
) -> None:
    wh = tmp_path / "wh"
    state = monthly(month=str(MONTH), config=demo.config, warehouse=str(wh), return_state=True)

    assert state.is_completed(), state.message
    assert staged_tables(wh) == set(tables())
    direct = tmp_path / "direct"
    assert all(r.status == "ok" for r in run_month(load_config(demo.config), direct, MONTH))
    for table in tables():
        flow_table = pq.read_table(staging.month_file(wh, table, MONTH))
        assert flow_table.equals(pq.read_table(staging.month_file(direct, table, MONTH))), table

    outcome = state.result()
    assert outcome["tables"]["energy_readings"] == {str(MONTH): flow_table_rows(wh)}
    flow_run_id = state.state_details.flow_run_id
    record = json.loads(Path(outcome["run_record"]).read_text())
    assert record["flow_run_id"] == str(flow_run_id) and record["months"] == [str(MONTH)]
    assert [r["status"] for r in record["results"]] == ["ok"] * 7

    found = artifacts(flow_run_id)
    site = wh / "site" / "index.html"
    pages = {"groendraad-demo-umc-pages"} if site.is_file() else set()  # once published
    assert set(found) == {"groendraad-demo-umc-sources", "groendraad-demo-umc-summary", *pages}
    rows = found["groendraad-demo-umc-sources"].data
    rows = json.loads(rows) if isinstance(rows, str) else rows
    assert {(r["source"], r["status"]) for r in rows} == {
        (s, "ok") for s in steps.source_names(load_config(demo.config))
    }
    assert all(r["rows"] > 0 and r["seconds"] >= 0 and r["month"] == str(MONTH) for r in rows)
    summary = found["groendraad-demo-umc-summary"].data
    assert "7 of 7 source-months staged" in summary
    assert "checks on 7 source-months: 0 blocked" in summary  # Great Expectations ran
    assert Path(record["validation_report"]).is_file()
    assert f"`{record['validation_report']}`" in summary
    assert f"a new version for 1 month ({MONTH})" in summary  # metrics published
    assert "## Pages" in summary and str(site) in summary
    assert "file://" not in summary  # a browser refuses file:// links from the http UI
    if site.is_file():
        assert f"The pages: `{site}`" in summary


def flow_table_rows(root: Path) -> int:
    return pq.ParquetFile(staging.month_file(root, "energy_readings", MONTH)).metadata.num_rows


def test_a_source_down_fails_the_run_with_its_located_message_and_notifies(
    demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with webhook_receiver() as (url, received):
        monkeypatch.setenv("GROENDRAAD_TEST_WEBHOOK", url)
        config = demo.energy_down(
            "energy-down-notify", notifications={"webhook_url_env": "GROENDRAAD_TEST_WEBHOOK"}
        )
        wh = tmp_path / "wh"
        state = monthly(month=str(MONTH), config=config, warehouse=str(wh), return_state=True)

    assert state.is_failed()
    assert "1 of 7 source-month(s) failed" in state.message
    assert f"{MONTH} energy: http://127.0.0.1:9/energy" in state.message
    assert staged_tables(wh) == set(tables()) - {"energy_meters", "energy_readings"}

    runs = task_runs(state.state_details.flow_run_id, settled=15)
    assert runs[f"fetch energy {MONTH}"].run_count == 2  # retried once, as configured
    assert runs[f"fetch energy {MONTH}"].state.is_failed()
    assert runs[f"stage energy {MONTH}"].state.message.startswith("energy: http://127.0.0.1:9")
    assert runs[f"stage waste {MONTH}"].state.is_completed()

    (table,) = [a for k, a in artifacts(state.state_details.flow_run_id).items() if "sources" in k]
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    (energy,) = [r for r in rows if r["source"] == "energy"]
    assert energy["status"] == "failed" and "127.0.0.1:9/energy" in energy["error"]

    (message,) = received
    assert "run monthly 2025-10 failed" in message["text"]
    assert "http://127.0.0.1:9/energy" in message["text"]
    assert TOKEN not in message["text"] and "secret-key-123" not in message["text"]


def test_a_repeated_run_reuses_fetched_deliveries_and_restate_fetches_anew(
    demo: Demo, tmp_path: Path
) -> None:
    run = {"month": str(MONTH), "config": demo.config, "warehouse": str(tmp_path / "wh")}
    run["sources"] = ["reference", "waste", "medicine_waste"]
    first = monthly(**run, return_state=True)
    again = monthly(**run, return_state=True)
    fresh = restate(**run, return_state=True)
    assert first.is_completed() and again.is_completed() and fresh.is_completed()

    def fetch_states(state) -> set[str]:
        runs = task_runs(state.state_details.flow_run_id, settled=7)
        return {r.state.name for name, r in runs.items() if name.startswith("fetch ")}

    assert fetch_states(first) == {"Completed"}
    assert fetch_states(again) == {"Cached"}
    assert fetch_states(fresh) == {"Completed"}
    assert "medicine_waste" in staged_tables(tmp_path / "wh")


def test_backfill_gathers_each_month_of_the_range(demo: Demo, tmp_path: Path) -> None:
    wh = tmp_path / "wh"
    state = backfill(
        first=str(MONTH.previous()),
        last=str(MONTH),
        config=demo.config,
        warehouse=str(wh),
        sources=["reference", "waste", "energy"],
        return_state=True,
    )
    assert state.is_completed(), state.message
    for month in (MONTH.previous(), MONTH):
        assert staged_tables(wh, month) == {
            "key_figures",
            "organisation",
            "waste_collections",
            "waste_totals",
            "energy_meters",
            "energy_readings",
        }
    assert sorted(state.result()["months"]) == [str(MONTH.previous()), str(MONTH)]


def test_an_unknown_source_or_setting_fails_the_run_with_a_clear_message(
    demo: Demo, tmp_path: Path
) -> None:
    state = monthly(
        month=str(MONTH),
        config=demo.config,
        warehouse=str(tmp_path / "wh"),
        sources=["energie"],
        return_state=True,
    )
    assert state.is_failed() and "unknown source(s) energie (configured: reference" in state.message
    config = demo.variant("typo", orchestration={"fetch_retires": 3})
    state = monthly(
        month=str(MONTH), config=config, warehouse=str(tmp_path / "wh"), return_state=True
    )
    assert state.is_failed() and "unknown setting 'fetch_retires'" in state.message
    assert "(did you mean 'fetch_retries'?)" in state.message


def test_a_delivery_blocked_by_validation_fails_the_run_and_notifies(
    demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = (demo.out / "afval" / f"afval_{MONTH}.csv").read_bytes().split(b"\r\n")
    fields = lines[1].split(b";")
    fields[3] = b"99 99 99"  # an EURAL code that does not exist
    lines[1] = b";".join(fields)
    broken = tmp_path / "afval_{month}.csv"
    Path(str(broken).replace("{month}", str(MONTH))).write_bytes(b"\r\n".join(lines))
    with webhook_receiver() as (url, received):
        monkeypatch.setenv("GROENDRAAD_TEST_WEBHOOK", url)
        config = demo.variant(
            "waste-blocked",
            waste={"path": str(broken)},
            notifications={"webhook_url_env": "GROENDRAAD_TEST_WEBHOOK"},
        )
        state = monthly(
            month=str(MONTH),
            config=config,
            warehouse=str(tmp_path / "wh"),
            sources=["reference", "waste"],
            return_state=True,
        )
    assert state.is_failed()
    assert "eural_code_known" in state.message and "99 99 99" in state.message
    assert f"afval_{MONTH}.csv" in state.message
    assert staged_tables(tmp_path / "wh") == {"key_figures", "organisation"}
    (message,) = received
    assert "eural_code_known" in message["text"]


def test_a_delivery_with_a_warning_completes_with_warnings(demo: Demo, tmp_path: Path) -> None:
    name = f"geneesmiddelverspilling_{MONTH}.csv"
    text = (demo.out / "apotheek" / name).read_text(encoding="utf-8")
    first_date = text.splitlines()[1].split(";")[0]
    (tmp_path / name).write_text(text.replace(first_date, "30-09-2025", 1), encoding="utf-8")
    config = demo.variant(
        "medicine-flagged",
        medicine_waste={"path": str(tmp_path / "geneesmiddelverspilling_{month}.csv")},
    )
    state = monthly(
        month=str(MONTH),
        config=config,
        warehouse=str(tmp_path / "wh"),
        sources=["reference", "medicine_waste"],
        return_state=True,
    )
    assert state.is_completed() and state.name == "Completed with warnings", state
    assert "1 of 2 source-month(s) published with a quality flag" in state.message
    assert "medicine_waste 2025-10" in state.message and "date_in_month" in state.message
    assert "medicine_waste" in staged_tables(tmp_path / "wh")
