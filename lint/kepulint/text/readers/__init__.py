"""Drafts that are not plain text: HTML and Word, turned into the text a reader sees.

A reader turns a file into plain text for the rules, which lint it as a plain-text draft
(one paragraph a line); positions are then given in the file's own terms:

* HTML (``.html``, ``.htm``, :mod:`.html`): the visible text, each character mapped to its
  span in the source; diagnostics are moved back to the source's line:column
  (:func:`remap`), ``match`` stays the visible text, and ``crosses_markup`` says whether a
  tag or comment lies inside the span.
* Word (``.docx``, :mod:`.docx`): one line per paragraph, so ``line`` is the paragraph
  number (document order, table cells included) and ``column`` the code point within it;
  nothing needs moving.

This module is imported for every file, so it imports neither reader until one is needed.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ...model import Diagnostic, FileResult
from ..source import LineIndex

HTML_SUFFIXES = (".html", ".htm")
WORD_SUFFIXES = (".docx",)
SUFFIXES = HTML_SUFFIXES + WORD_SUFFIXES


def is_html(path: object) -> bool:
    return str(path).lower().endswith(HTML_SUFFIXES)


def is_word(path: object) -> bool:
    """Whether ``path`` names a Word document, read from its bytes (not decoded as text)."""
    return str(path).lower().endswith(WORD_SUFFIXES)


def word_text(data: bytes) -> str:
    """The paragraphs of the Word document ``data``, one a line (raises ``InputError``)."""
    from .docx import read_docx

    return read_docx(data)


@dataclass(frozen=True)
class Visible:
    """Text as a reader sees it, and for each of its characters the span it came from in ``source``."""

    text: str
    starts: Sequence[int] | array[int]  # source offset where each character of ``text`` starts
    ends: Sequence[int] | array[int]  # ... and ends
    source: str
    markup_starts: tuple[int, ...] = ()  # sorted offsets in ``source`` where a tag or comment starts

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``source`` that the visible ``text[start:end]`` came from."""
        if start >= end:
            if start == 0 and end == 0:
                return 0, 0  # a document-level finding: 1:1, as in every other file
            here = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return here, here
        return self.starts[start], self.ends[end - 1]

    def crosses_markup(self, start: int, end: int) -> bool:
        """Whether a tag or comment starts inside the source span of ``text[start:end]``."""
        if start >= end:
            return False
        lo, hi = self.span(start, end)
        i = bisect_left(self.markup_starts, lo)
        return i < len(self.markup_starts) and self.markup_starts[i] < hi


def remap(result: FileResult, visible: Visible) -> FileResult:
    """``result`` (of linting ``visible.text``) with positions in ``visible.source``."""
    shown = LineIndex(visible.text)
    source = LineIndex(visible.source)

    def offset(line: int, column: int) -> int:
        return shown.starts[line - 1] + column - 1

    def place(d: Diagnostic) -> Diagnostic:
        start, end = offset(d.line, d.column), offset(d.end_line, d.end_column)
        lo, hi = visible.span(start, end)
        line, column = source.position(lo)
        end_line, end_column = source.position(hi)
        sup = d.suppression
        if sup is not None and 0 < sup.line <= shown.line_count:
            sup = replace(sup, line=source.position(visible.span(offset(sup.line, 1), offset(sup.line, 1))[0])[0])
        return replace(d, line=line, column=column, end_line=end_line, end_column=end_column, suppression=sup,
                       crosses_markup=visible.crosses_markup(start, end))

    diagnostics = sorted(map(place, result.diagnostics), key=lambda d: d.sort_key)
    suppressed = sorted(map(place, result.suppressed), key=lambda d: d.sort_key)
    excerpts = {d.line: source.line_text(d.line) for d in diagnostics if d.match}
    return replace(result, diagnostics=diagnostics, suppressed=suppressed, excerpts=excerpts)


__all__ = ["SUFFIXES", "Visible", "is_html", "is_word", "remap", "word_text"]
