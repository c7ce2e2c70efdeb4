"""Safe HTML building: every string is escaped unless it is already ``Html``.

Pages are built from Python strings, not a template engine, so escaping is the
default here: ``esc`` and ``tag`` escape text and attribute values (department
names, categories, anything from the data); only ``Html`` values (made by these
functions) pass through. Chart specs go into ``<script type="application/json">``
via ``json_script``, which escapes ``<``, ``>`` and ``&`` so that a name containing
``</script>`` cannot end the element.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

_UNSAFE_JSON = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_VOID = {"meta", "link", "br", "img", "input", "hr"}


class Html(str):
    """A string of markup that is already safe: not escaped again."""

    __slots__ = ()


def esc(value: Any) -> Html:
    """``value`` as safe HTML text (``Html`` passes through, ``None`` becomes empty)."""
    if isinstance(value, Html):
        return value
    return Html(html.escape("" if value is None else str(value), quote=True))


def join(parts: Iterable[Any], separator: str = "") -> Html:
    """Concatenate parts, escaping each one that is not ``Html``."""
    return Html(esc(separator).join(esc(part) for part in parts))


def attributes(attrs: Mapping[str, Any]) -> str:
    """`` name="value"`` pairs; ``None``/``False`` leave the attribute out."""
    out = []
    for name, value in attrs.items():
        name = name.rstrip("_").replace("_", "-")
        if not _ATTRIBUTE_NAME.match(name):
            raise ValueError(f"not an attribute name: {name!r}")
        if value is None or value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{esc(value)}"')
    return "".join(out)


def tag(element: str, /, *children: Any, **attrs: Any) -> Html:
    """``<element attrs>children</element>`` with every child and attribute escaped.

    Attribute names use ``_`` for ``-`` and a trailing ``_`` for reserved words
    (``class_="x"``, ``aria_label="..."``).
    """
    opening = f"<{element}{attributes(attrs)}>"
    if element in _VOID:
        return Html(opening)
    return Html(f"{opening}{join(children)}</{element}>")


def json_script(element_id: str, data: Any) -> Html:
    """``<script type="application/json">`` holding ``data``, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for unsafe, escaped in _UNSAFE_JSON.items():
        text = text.replace(unsafe, escaped)
    return Html(f'<script type="application/json" id="{esc(element_id)}">{text}</script>')


def table(
    headers: list[Any], rows: Iterable[list[Any]], *, caption: Any = None, numeric_from: int = 1
) -> Html:
    """A plain table; columns from ``numeric_from`` on are right-aligned numbers.

    Built with plain string joins (tables are most of a page's markup), escaping each
    cell as ``tag`` would.
    """
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = [f'<th scope="row">{esc(row[0])}</th>']
        cells += [
            f'<td class="num">{esc(c)}</td>' if i >= numeric_from else f"<td>{esc(c)}</td>"
            for i, c in enumerate(row[1:], start=1)
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    top = f"<caption>{esc(caption)}</caption>" if caption is not None else ""
    return Html(f"<table>{top}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
