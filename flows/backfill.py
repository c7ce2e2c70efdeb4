"""The backfill flow: gather a range of months, oldest first."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.runtime import flow_run
from prefect.states import State

from groendraad.flows.gathering import gather_and_publish
from groendraad.flows.hooks import notify_failure
from groendraad.months import Month, month_range


def months_between(first: str, last: str | None) -> list[Month]:
    """``first`` .. ``last`` (default: the previous full month), inclusive."""
    return month_range(Month.parse(first), Month.parse(last) if last else Month.previous_full())


def _run_name() -> str:
    parameters = flow_run.get_parameters()
    months = months_between(parameters["first"], parameters.get("last"))
    return f"backfill {months[0]} .. {months[-1]}"


@flow(name="groendraad-backfill", flow_run_name=_run_name, on_failure=[notify_failure])
def backfill(
    first: str,
    last: str | None = None,
    config: str | None = None,
    warehouse: str | None = None,
    sources: list[str] | None = None,
    refetch: bool = False,
) -> dict[str, Any] | State:
    """Gather every month from ``first`` to ``last`` (YYYY-MM; default the previous full
    month), two at a time, then publish once. Re-gathering a month replaces it."""
    months = months_between(first, last)
    return gather_and_publish("backfill", months, config, warehouse, sources, refetch)
