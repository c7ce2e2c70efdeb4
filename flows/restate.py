"""The restate flow: gather one month again, from fresh deliveries.

A restatement always fetches anew (never from the fetch cache): the new delivery is
kept beside the old ones in the raw layer and replaces the month's staging; publishing
then makes a new version of that month's figures.
"""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.states import State

from groendraad.flows.gathering import gather_and_publish
from groendraad.flows.hooks import notify_failure
from groendraad.months import Month


@flow(
    name="groendraad-restate",
    flow_run_name="restate {month}",
    on_failure=[notify_failure],
)
def restate(
    month: str,
    config: str | None = None,
    warehouse: str | None = None,
    sources: list[str] | None = None,
) -> dict[str, Any] | State:
    """Fetch, stage and publish ``month`` (YYYY-MM) again, replacing what it was."""
    return gather_and_publish(
        "restate", [Month.parse(month)], config, warehouse, sources, refetch=True
    )
