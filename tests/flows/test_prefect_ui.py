"""What the Prefect UI shows of an expected data failure: one short located ERROR
line, no result dump or traceback; artifacts without file:// links; a summary that
counts its months."""

from __future__ import annotations

import time
from pathlib import Path
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

from groendraad.flows.monthly import monthly

from .conftest import MONTH, Demo
from .prefect_reads import artifacts

pytestmark = pytest.mark.usefixtures("prefect_api")


def logs(flow_run_id: UUID, containing: str, timeout_s: float = 20) -> list:
    """The flow run's logs (its tasks' too), once one contains ``containing``."""
    deadline = time.monotonic() + timeout_s
    with get_client(sync_client=True) as client:
        while True:
            found = client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id]))
            )
            if any(containing in log.message for log in found) or time.monotonic() > deadline:
                return found
            time.sleep(0.3)


def test_a_blocked_delivery_logs_one_short_located_error(demo: Demo, tmp_path: Path) -> None:
    lines = (demo.out / "afval" / f"afval_{MONTH}.csv").read_bytes().split(b"\r\n")
    fields = lines[1].split(b";")
    fields[3] = b"99 99 99"  # an EURAL code that does not exist: blocking
    lines[1] = b";".join(fields)
    broken = tmp_path / f"afval_{MONTH}.csv"
    broken.write_bytes(b"\r\n".join(lines))
    config = demo.variant("ui-blocked", waste={"path": str(tmp_path / "afval_{month}.csv")})
    state = monthly(
        month=str(MONTH),
        config=config,
        warehouse=str(tmp_path / "wh"),
        sources=["reference", "waste"],
        return_state=True,
    )
    assert state.is_failed()

    flow_run_id = state.state_details.flow_run_id
    errors = [log for log in logs(flow_run_id, "eural_code_known") if log.level >= 40]
    located = [e.message for e in errors if "eural_code_known" in e.message]
    assert located and f"afval_{MONTH}.csv" in located[0] and "source_line=2" in located[0]
    for error in errors:
        assert len(error.message) < 1000, error.message[:300]
        assert "Traceback" not in error.message and "NoneType: None" not in error.message
        assert "SourceResult(" not in error.message
    for artifact in artifacts(flow_run_id).values():
        assert "file://" not in str(artifact.data)


def test_the_summary_counts_new_versions_in_words() -> None:
    from groendraad.flows.artifacts import new_versions

    assert new_versions([]) == "no new version"
    assert new_versions(["2025-10"]) == "a new version for 1 month (2025-10)"
    assert new_versions(["2025-09", "2025-10"]) == "a new version for 2 months (2025-09, 2025-10)"
