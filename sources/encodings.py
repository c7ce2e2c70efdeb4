"""Recognise text that is not in an expected encoding before it is read as garbage.

A spreadsheet "saved as Unicode text" is UTF-16: read as Windows-1252 every other
character is ``\\x00`` and the header looks wrong. :func:`sniff` names such an
encoding (from a byte-order mark, or from the NUL bytes UTF-16/32 text is full of) so
the error can say what the file is instead of what its first line looks like.
"""

from __future__ import annotations

import codecs

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "UTF-32 (little-endian, with a byte-order mark)"),
    (codecs.BOM_UTF32_BE, "UTF-32 (big-endian, with a byte-order mark)"),
    (codecs.BOM_UTF16_LE, "UTF-16 (little-endian, with a byte-order mark)"),
    (codecs.BOM_UTF16_BE, "UTF-16 (big-endian, with a byte-order mark)"),
)
_SAMPLE = 4096


def sniff(content: bytes) -> str | None:
    """The encoding of ``content`` when it is UTF-16/UTF-32 or binary, else None
    (plain UTF-8 or single-byte text, which the caller decodes)."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return name
    sample = content[:_SAMPLE]
    if b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) / 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "UTF-16 (little-endian, no byte-order mark)"
    if even > 0.3 * half and odd < 0.05 * half:
        return "UTF-16 (big-endian, no byte-order mark)"
    return "binary, not text (it contains NUL bytes)"


def expected(encoding: str) -> str:
    """What a file read with the configured ``encoding`` must be, in words."""
    if encoding.lower() == "auto":
        return "UTF-8 or Windows-1252"
    return encoding
