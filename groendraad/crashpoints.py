"""Named points where a test may kill the run, to prove a crash leaves a good state.

``GROENDRAAD_FAULT=after-staging-rename-1`` kills the process (SIGKILL: no cleanup,
no ``finally``) the first time it reaches that point; several names may be given,
comma separated. Unset (always, in production) a point costs one dictionary lookup.
The points are listed in docs/reliability.md; tests/reliability/test_crashes.py
kills a real run at each of them and checks the state the next run finds.
"""

from __future__ import annotations

import os
import signal

FAULT_ENV = "GROENDRAAD_FAULT"


def reached(name: str) -> None:
    """Kill this process here when ``GROENDRAAD_FAULT`` names ``name``."""
    wanted = os.environ.get(FAULT_ENV)
    if wanted and name in {w.strip() for w in wanted.split(",")}:
        os.kill(os.getpid(), signal.SIGKILL)
