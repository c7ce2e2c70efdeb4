"""Flow-state hooks: tell the coordinator when a run fails (see groendraad.notify)."""

from __future__ import annotations

from typing import Any

from prefect.logging.loggers import flow_run_logger
from prefect.settings import PREFECT_UI_URL

from groendraad import notify, steps
from groendraad.errors import GroendraadError


def notify_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """on_failure hook: send the failure's message to the configured channels."""
    logger = flow_run_logger(flow_run, flow)
    parameters = flow_run.parameters or {}
    try:
        config, _root = steps.load(parameters.get("config"), parameters.get("warehouse"))
    except GroendraadError as exc:
        logger.warning("No failure notification sent: the configuration fails to load (%s)", exc)
        return
    subject = f"Groene Draad, {config.institution_name}: run {flow_run.name} failed"
    body = state.message or "The run failed."
    ui = PREFECT_UI_URL.value()
    if ui:
        body += f"\n\nIn Prefect: {ui.rstrip('/')}/runs/flow-run/{flow_run.id}"
    for outcome in notify.send_failure(config, subject, body):
        logger.info("Failure notification: %s", outcome)
