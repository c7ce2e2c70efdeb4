"""No telemetry: the libraries' usage reporting is switched off, for this process and
every server or worker it starts (they inherit the environment)."""

from __future__ import annotations

import os

OFF = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # the Prefect server's usage telemetry
    "GX_ANALYTICS_ENABLED": "false",  # Great Expectations' usage events
    "DO_NOT_TRACK": "1",  # the common opt-out other tools honour
}


def switch_off() -> None:
    """Set the opt-outs in this process's environment (before any server starts)."""
    os.environ.update(OFF)
