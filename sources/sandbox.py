"""Read untrusted spreadsheets in a child process with a memory limit.

The second line of defence behind xlsx_bounds: whatever a workbook makes the native
reader do (allocate without end, abort), it happens in a separate process whose
address space is capped (``RLIMIT_AS``). A reader that dies becomes a located
SourceError for that one file; the run, its other sources and its record go on.

One reader process is kept per parent process (started on first use, with "spawn",
dying with its parent) and reads one file at a time, so when it dies the file it was
reading is the one to blame. ``GROENDRAAD_READER_MEMORY_MB`` sets the cap (default
3072 MB).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from groendraad.errors import whole_number_setting

MEMORY_ENV = "GROENDRAAD_READER_MEMORY_MB"
DEFAULT_MEMORY_MB = 3072
T = TypeVar("T")

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


class ReaderDied(Exception):
    """The reader process died (out of memory, aborted) while reading a file."""


def memory_limit_mb() -> int:
    """The reader's address-space cap in MB (``GROENDRAAD_READER_MEMORY_MB``)."""
    value = whole_number_setting(MEMORY_ENV, 256, ": at least 256 (MB) is needed")
    return DEFAULT_MEMORY_MB if value is None else value


def _start_reader(parent: int, limit_mb: int) -> None:
    """Runs first in the reader: cap its address space and tie it to its parent."""
    import resource

    from groendraad.lifeline import die_with_parent

    die_with_parent(parent)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)  # a native reader's abort prints a backtrace: the SourceError says it
    limit = limit_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _reader() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_reader,
            initargs=(os.getpid(), memory_limit_mb()),
        )
    return _pool


def run(fn: Callable[..., T], /, *args: Any) -> T:
    """``fn(*args)`` in the reader process; ReaderDied when the process died doing it.

    ``fn`` must be importable (a module-level function) and its result picklable.
    """
    global _pool
    with _lock:
        pool = _reader()
        try:
            return pool.submit(fn, *args).result()
        except BrokenProcessPool as exc:
            pool.shutdown(wait=True, cancel_futures=True)
            _pool = None
            raise ReaderDied(str(exc)) from None


def shutdown() -> None:
    """Stop the reader process (a new one starts on the next use)."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None
