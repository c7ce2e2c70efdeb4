"""The monthly flow: gather the previous full month (scheduled on the 2nd, 06:00)."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.runtime import flow_run
from prefect.states import State

from groendraad.flows.gathering import gather_and_publish
from groendraad.flows.hooks import notify_failure
from groendraad.months import LOCAL_TZ, Month


def month_to_gather(month: str | None) -> Month:
    """``month``, or the last full month before the run's scheduled start (Amsterdam).

    A scheduled run that starts late still gathers the month it was scheduled for.
    """
    if month:
        return Month.parse(month)
    scheduled = flow_run.get_scheduled_start_time()
    return Month.previous_full(scheduled.astimezone(LOCAL_TZ).date())


def _run_name() -> str:
    return f"monthly {month_to_gather(flow_run.get_parameters().get('month'))}"


@flow(name="groendraad-monthly", flow_run_name=_run_name, on_failure=[notify_failure])
def monthly(
    month: str | None = None,
    config: str | None = None,
    warehouse: str | None = None,
    sources: list[str] | None = None,
    refetch: bool = False,
) -> dict[str, Any] | State:
    """Gather one month from every source into the warehouse, then publish.

    month: YYYY-MM; default the previous full month (as of the scheduled start).
    config, warehouse: default GROENDRAAD_CONFIG / GROENDRAAD_WAREHOUSE, as the CLI.
    sources: only these sources (default all configured).
    refetch: fetch again even when a delivery was fetched in the last minutes.
    """
    return gather_and_publish(
        "monthly", [month_to_gather(month)], config, warehouse, sources, refetch
    )
