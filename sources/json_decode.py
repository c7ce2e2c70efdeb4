"""Decode a JSON response body, refusing numbers that are not finite.

Python's ``json`` accepts ``NaN``, ``Infinity`` and ``-Infinity`` (JSON does not) and
reads ``1e999`` as an infinite float: no figure may be built on them. They are
refused here, where the body is decoded, with the line and column of the first one.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from groendraad.errors import SourceError


class _NotFinite(ValueError):
    """A JSON number that is not finite: NaN, Infinity, or too large for a float."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def _finite_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise _NotFinite(token)
    return value


def _finite_int(token: str) -> int:
    if len(token.lstrip("-")) > 308:  # beyond any float: no figure can hold it
        raise _NotFinite(token[:20] + "...")
    return int(token)


def _not_finite(token: str) -> Any:
    raise _NotFinite(token)


def decode_json(content: bytes, source: str, location: str) -> Any:
    """Decode a JSON body; raise SourceError with the position when it is not JSON, or
    when it holds a number that is not finite (``NaN``, ``Infinity``, ``1e999``: Python
    accepts them, JSON does not, and no figure may be built on them)."""
    try:
        return json.loads(
            content,
            parse_constant=_not_finite,
            parse_float=_finite_float,
            parse_int=_finite_int,
        )
    except UnicodeDecodeError as exc:
        raise SourceError(source, location, f"response is not UTF-8 JSON: {exc.reason}") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise SourceError(
            source, location, f"response is not valid JSON ({exc.msg} at {where})"
        ) from None
    except _NotFinite as exc:
        message = f"a number that is not finite ({exc.token}){_position(content, exc.token)}"
        raise SourceError(
            source, location, message + ": only finite numbers are accepted"
        ) from None


def _position(content: bytes, token: str) -> str:
    """`` at line L column C`` of ``token``'s first occurrence as a JSON value, or ''."""
    text = content.decode("utf-8", errors="replace")
    pattern = r"(?<=[:\[,])\s*(" + re.escape(token.removesuffix("...")) + ")"
    match = re.search(pattern, text)
    if match is None:
        return ""
    start = match.start(1)
    line = text.count("\n", 0, start) + 1
    return f" at line {line} column {start - (text.rfind(chr(10), 0, start) + 1) + 1}"
