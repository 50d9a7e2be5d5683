"""Sentences and paragraphs of the folded prose view, as (start, end) spans."""

from __future__ import annotations

import re

# a sentence ends after 。!?; (folded from ！？；), an ellipsis, or a line break (CR, LF or
# CRLF, as in :mod:`kepulint.source`); closing quotes and brackets that follow the
# terminator stay with the sentence, and so does a citation marker right after it (。[1], 。【2】, 。¹)
_SENTENCE_END = re.compile(
    r"(?:[。!?;]+|…{1,2}|\.{3,6})[”’」』)\]]*"
    r"(?:[ \t]?(?:\[\^?\d{1,3}(?:[-–,]\d{1,3})*\]|【\d{1,3}(?:[-–,、]\d{1,3})*】|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))*"
    r"|(?<![0-9A-Za-z])\.(?=\s|$)|\r\n|\r|\n"
)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_LIST_OR_HEADING = re.compile(r"[ \t]*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>)")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, trimmed of surrounding whitespace; empty sentences are dropped."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() if m.group() in ("\n", "\r", "\r\n") else m.end()
        _add_trimmed(text, start, end, spans)
        start = m.end()
    _add_trimmed(text, start, len(text), spans)
    return spans


def _add_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start] in " \t\r\n":
        start += 1
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    if end > start:
        out.append((start, end))


def paragraphs(text: str, markdown: bool) -> list[tuple[int, int]]:
    """Paragraph spans.

    Plain text: each non-blank line is a paragraph (drafts pasted from editors put one
    paragraph on a line). Markdown: runs of non-blank lines, where a heading, list item
    or block quote line starts a new paragraph.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    cur_start = -1
    cur_end = -1
    for line in _LINE.findall(text):  # not str.splitlines: VT, FF, U+2028… do not end a line
        content = line.rstrip("\r\n")
        blank = not content.strip()
        if not markdown:
            if not blank:
                _add_trimmed(text, pos, pos + len(content), spans)
        elif blank:
            if cur_start >= 0:
                _add_trimmed(text, cur_start, cur_end, spans)
                cur_start = -1
        else:
            if cur_start >= 0 and _LIST_OR_HEADING.match(content):
                _add_trimmed(text, cur_start, cur_end, spans)
                cur_start = -1
            if cur_start < 0:
                cur_start = pos
            cur_end = pos + len(content)
            if content.lstrip().startswith("#"):
                _add_trimmed(text, cur_start, cur_end, spans)
                cur_start = -1
        pos += len(line)
    if cur_start >= 0:
        _add_trimmed(text, cur_start, cur_end, spans)
    return spans
