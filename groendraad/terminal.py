"""Consoles for the command line: rich in a terminal, plain where output is kept.

Output to a pipe, a file or a log is read later and pasted: it is never wrapped (a
path broken over two lines cannot be pasted) and carries no colour codes.
"""

from __future__ import annotations

import sys

from rich.console import Console

PLAIN_WIDTH = 400  # wide enough for any path; tables take only the width they need


def console_for(stderr: bool = False) -> Console:
    """A console on stdout (or stderr): wrapped and coloured only on a terminal."""
    stream = sys.stderr if stderr else sys.stdout
    if _is_terminal(stream):
        return Console(stderr=stderr, highlight=False)
    return Console(
        stderr=stderr,
        highlight=False,
        soft_wrap=True,
        no_color=True,
        width=PLAIN_WIDTH,
        color_system=None,
    )


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False
