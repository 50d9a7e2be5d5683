"""Positions at the LSP edge: kepulint counts Unicode code points, LSP counts UTF-16 code units.

A character outside the Basic Multilingual Plane (𠀀 U+20000, emoji) is one code point and two
UTF-16 code units. Lines end at CR, LF or CRLF in both.
"""

from __future__ import annotations

from ..text.source import LineIndex


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_utf16(lines: LineIndex, line: int, column: int) -> tuple[int, int]:
    """kepulint's 1-based (line, code-point column) -> LSP's 0-based (line, UTF-16 character)."""
    line = max(1, min(line, lines.line_count))
    start, end = lines.line_span(line)
    prefix = lines.text[start:min(start + column - 1, end)]
    return line - 1, utf16_len(prefix)


def from_utf16(lines: LineIndex, line: int, character: int) -> int:
    """LSP's 0-based (line, UTF-16 character) -> a 0-based code-point offset into the text
    (a character inside a surrogate pair or past the line end is clamped)."""
    if line >= lines.line_count:
        return len(lines.text)
    start, end = lines.line_span(line + 1)
    units = 0
    for offset in range(start, end):
        if units >= character:
            return offset
        units += 2 if ord(lines.text[offset]) > 0xFFFF else 1
    return end
