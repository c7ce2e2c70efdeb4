"""Expected data failures in the Prefect UI: one short located line, no dump.

A source-month that is refused (unreadable delivery) or blocked by validation is an
expected outcome, not a crash. Its stage task ends Failed with a short message (the
located reason's first line); the full reason is in the run record and the summary.
The task's result travels as ``Refused``, whose repr is one line: Prefect logs a
failed state's repr, which for a bare ``SourceResult`` ran to 8,000 characters.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from groendraad.pipeline import SourceResult

SHORT = 300  # characters of the located reason in a log line or state message


@dataclass(frozen=True)
class Refused:
    """A failed stage's result, carried in its Failed state."""

    result: SourceResult

    def __repr__(self) -> str:
        return f"Refused({self.result.source} {self.result.month})"


def short_reason(error: str | None) -> str:
    """The located reason's first line, cut to ``SHORT`` characters."""
    first = (error or "failed").strip().splitlines()[0]
    return first if len(first) <= SHORT else first[: SHORT - 1] + "…"


class NoEmptyTraceback(logging.Filter):
    """Prefect logs a task's Failed *state* with ``exc_info=True`` outside any
    exception, which prints a bare ``NoneType: None`` under the line: drop it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is None:
            record.exc_info = None
        return True


def install() -> None:
    """Add the filter to Prefect's task-run logger (once)."""
    logger = logging.getLogger("prefect.task_runs")
    if not any(isinstance(f, NoEmptyTraceback) for f in logger.filters):
        logger.addFilter(NoEmptyTraceback())
