"""Reading back what a flow run left in Prefect: its task runs and artifacts."""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    FlowRunFilter,
    FlowRunFilterId,
)


def task_runs(flow_run_id: UUID, settled: int, timeout_s: float = 20) -> dict[str, Any]:
    """The flow run's task runs by name, once ``settled`` of them have a final state.

    Task run states reach the API as events, shortly after the flow run returns.
    """
    deadline = time.monotonic() + timeout_s
    with get_client(sync_client=True) as client:
        while True:
            runs = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
            )
            final = [r for r in runs if r.state and r.state.is_final()]
            if len(final) >= settled or time.monotonic() > deadline:
                return {r.name: r for r in runs}
            time.sleep(0.3)


def artifacts(flow_run_id: UUID) -> dict[str, Any]:
    """The flow run's artifacts by key."""
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {a.key: a for a in found}
