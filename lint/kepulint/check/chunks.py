"""Huge files in bounded memory: lint them in paragraph-aligned chunks.

A draft of tens of megabytes (a pasted PDF, a whole archive in one file) would need many
copies of itself at once (masked, folded, line and sentence tables). Above
:data:`CHUNK_CHARS` characters the text is cut at blank lines outside code fences, each
chunk is linted on its own and its positions are shifted back to the whole file, so memory
grows with the chunk, not with the file.

What crosses a chunk boundary: line-level rules look at a sentence or a paragraph around a
claim, and chunks end at paragraph breaks, so they behave as on the whole file — except
long-range evidence (a cited study's block of sentences) cut short right after a boundary.
Document-level requirements (DSC001, META001) are met when any chunk meets them; placement
(DSC002) is judged on the first and last chunks only; inline ``kepulint-disable`` ranges
and ``disable-file`` apply within their chunk. The result's notice says so. Text with no line
break near a cut point (one long line, one huge code block) is cut at a character boundary
instead (after a sentence end or blank when there is one nearby), and the notice says that too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise
from typing import Any

from ..model import Diagnostic, FileResult

CHUNK_CHARS = 1_000_000  # a chunk's target size; files over twice this are chunked
_BLANK_LINE = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_FENCE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.M)


def needs_chunks(text: str) -> bool:
    return len(text) > 2 * CHUNK_CHARS


def _fenced_ranges(text: str) -> list[tuple[int, int]]:
    """Spans between an opening and a closing fence line (so no cut lands inside code)."""
    marks = [m.start() for m in _FENCE.finditer(text.replace("\r", "\n"))]
    return [(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)]


def boundaries(text: str, size: int | None = None) -> list[int]:
    """Cut points: after a blank line near every ``size`` characters, outside fences; where
    none keeps a chunk under twice ``size`` (one long line, one huge code block), a hard cut
    at a character boundary (see :func:`hard_cut`)."""
    return _cuts(text, size or CHUNK_CHARS)[0]


def _cuts(text: str, size: int) -> tuple[list[int], int]:
    """The cut points and how many of them are hard cuts. No chunk is long enough to need
    chunking again (over ``2 * CHUNK_CHARS``), or over ``2 * size`` when ``size`` is larger."""
    limit = 2 * max(size, CHUNK_CHARS)
    fences = _fenced_ranges(text)
    cuts = [0]
    hard = 0
    while len(text) - cuts[-1] > size + size // 2:
        target = cuts[-1] + size
        m = _BLANK_LINE.search(text, target, target + size // 2) or _NEWLINE.search(text, target)
        cut = m.end() if m else len(text)
        for a, b in fences:  # never inside code: move past the closing fence line
            if a < cut <= b:
                nl = _NEWLINE.search(text, b)
                cut = nl.end() if nl else len(text)
        if cut - cuts[-1] > limit:
            cut = hard_cut(text, target, target + size // 2)
            hard += 1
        if cut >= len(text):
            break
        cuts.append(cut)
    cuts.append(len(text))
    return cuts, hard


_SOFT_BREAK = re.compile(r"(?:[。！？!?；;…]+[”’」』)\]]*|\s+)")  # where a hard cut reads least badly


def hard_cut(text: str, lo: int, hi: int) -> int:
    """A cut in ``lo:hi`` when no line break will do: after the last sentence end or blank in
    the range, else at ``lo`` itself; never between CR and LF or inside a surrogate pair."""
    cut = lo
    for m in _SOFT_BREAK.finditer(text, lo, hi):
        cut = m.end()
    while 0 < cut < len(text) and (text[cut - 1 : cut + 1] == "\r\n" or "\udc00" <= text[cut] <= "\udfff"):
        cut += 1
    return cut


def _shift(d: Diagnostic, lines: int, column: int) -> Diagnostic:
    """Move a chunk's diagnostic to file coordinates (the chunk starts at ``lines``+1, ``column``)."""
    first = d.line == 1
    last_on_first = d.end_line == 1
    return replace(
        d,
        line=d.line + lines,
        column=d.column + (column if first else 0),
        end_line=d.end_line + lines,
        end_column=d.end_column + (column if last_on_first else 0),
    )


def genre_of_chunks(text: str, path: str, markdown: bool | None) -> Any:
    """The genre of a huge file: every chunk's evidence merged (one chunk in memory at a time)."""
    from ..reading.genre import decide, evidence
    from ..text.document import Document

    merged = None
    for start, end in pairwise(boundaries(text)):
        doc = Document.from_text(text[start:end], path, markdown=markdown)
        found = evidence(doc)
        merged = found if merged is None else merged.merged(found)
    assert merged is not None
    return decide(merged)


def lint_in_chunks(text: str, path: str, lint_one: Callable[[str, bool, bool], FileResult]) -> FileResult:
    """Lint ``text`` chunk by chunk with ``lint_one(chunk, is_first, is_last)`` and merge."""
    cuts, hard = _cuts(text, CHUNK_CHARS)
    result = FileResult(path=path)
    required: dict[tuple[str, str], int] = {}
    count = len(cuts) - 1
    lines_before = 0
    for k, (start, end) in enumerate(pairwise(cuts)):
        chunk = text[start:end]
        line_start = text.rfind("\n", 0, start) + 1 if start else 0
        column = start - max(line_start, text.rfind("\r", 0, start) + 1) if start else 0
        part = lint_one(chunk, k == 0, k == count - 1)
        if k == 0:  # the jurisdiction and genre the start of the file earned
            result.profile, result.genre = part.profile, part.genre
        for d in part.diagnostics:
            if d.document_level:  # a requirement of the whole document
                required[(d.code, d.message)] = required.get((d.code, d.message), 0) + 1
                if k == 0:
                    result.diagnostics.append(d)
                continue
            result.diagnostics.append(_shift(d, lines_before, column))
        result.suppressed.extend(_shift(d, lines_before, column) for d in part.suppressed)
        result.excerpts.update({line + lines_before: t for line, t in part.excerpts.items()})
        lines_before += sum(1 for _ in _NEWLINE.finditer(chunk))
    # a requirement is unmet only when every chunk reported it
    result.diagnostics = [d for d in result.diagnostics
                          if not d.document_level or required.get((d.code, d.message), 0) == count]
    result.diagnostics.sort(key=lambda d: d.sort_key)
    result.suppressed.sort(key=lambda d: d.sort_key)
    result.notice = (f"linted in {count} chunks of about {CHUNK_CHARS:,} characters: inline disable ranges "
                     "apply within a chunk, and DSC002 is judged on the first and last chunks")
    if hard:
        result.notice += (f"; {hard} cut{'s' if hard > 1 else ''} fell inside a line or a code block with no "
                          "break near it (hard cut at a character): a claim across such a cut is read as two "
                          "pieces, and code after one inside a code block is linted as prose")
    return result
