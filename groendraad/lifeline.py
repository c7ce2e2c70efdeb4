"""Child processes that die with their parent: no orphan survives a killed run.

A worker started by a run (validation, page rendering, the spreadsheet reader) calls
:func:`die_with_parent` first: a daemon thread polls the parent process id and ends
the worker as soon as it changes (the parent died, even by SIGKILL, and the worker was
re-parented), so a killed run leaves no worker behind for more than ``POLL_S``.

Not ``PR_SET_PDEATHSIG``: the kernel sends that when the *thread* that started the
child ends, and a pool may start its processes from a short-lived thread.
"""

from __future__ import annotations

import os
import threading
import time

POLL_S = 0.5


def die_with_parent(parent: int | None = None) -> None:
    """End this process when ``parent`` (default: the current parent) is gone."""
    parent = parent or os.getppid()
    if os.getppid() != parent:  # the parent died before we got here
        os._exit(1)
    thread = threading.Thread(target=_watch, args=(parent,), name="lifeline", daemon=True)
    thread.start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_S)
    os._exit(1)
