"""Guards of the command line shared by the commands that gather months."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import click

from groendraad.months import LOCAL_TZ, Month


def allow_future_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--allow-future``: gather a month that is not over yet (see ``refuse_future``)."""
    return click.option(
        "--allow-future",
        is_flag=True,
        help="Gather a month after the last full month (its deliveries are incomplete).",
    )(command)


def refuse_future(months: Sequence[Month], allow: bool, today: date | None = None) -> None:
    """A usage error (exit 2) when a month is after the last full month, unless allowed.

    A month that is not over has incomplete deliveries; published, it would move the
    pages' "data up to" date past today and turn every target to "no data".
    """
    today = today or datetime.now(LOCAL_TZ).date()
    last_full = Month.previous_full(today)
    future = [m for m in months if m > last_full]
    if future and not allow:
        shown = ", ".join(str(m) for m in future[:3]) + (" ..." if len(future) > 3 else "")
        raise click.UsageError(
            f"{shown}: not a full month yet (today is {today}; the last full month is "
            f"{last_full}). Its deliveries are incomplete, so it is not gathered; "
            "--allow-future gathers it anyway."
        )
