"""Sentences and paragraphs of the folded prose view, as (start, end) spans."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

# a sentence ends after 。!?; (folded from ！？；), an ellipsis, or a line break (CR, LF or
# CRLF, as in :mod:`kepulint.text.source`); closing quotes and brackets that follow the
# terminator stay with the sentence, and so does a citation marker right after it (。[1], 。【2】, 。¹)
_TERMINATOR = (
    r"(?:[。!?;]+|…{1,2}|\.{3,6})[”’」』)\]]*"
    r"(?:[ \t]?(?:\[\^?\d{1,3}(?:[-–,]\d{1,3})*\]|【\d{1,3}(?:[-–,、]\d{1,3})*】|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))*"
    r"|(?<![0-9A-Za-z])\.(?=\s|$)"
)
_TERMINATOR_FIRST = "。!?;…."  # every terminator other than a line break starts with one of these
# One trimmed sentence per match, in group 1: skip blanks and line breaks, then take runs of
# text that cannot start a terminator (not ending in a blank), blanks that more text follows
# on the line, and terminator characters that start no terminator; then the terminator, if any.
# (The group always matches, so the engine never backtracks into it.)
_SENTENCE = re.compile(
    rf"[ \t\r\n]*((?:[^{_TERMINATOR_FIRST}\r\n]+(?<![ \t])|[ \t]+(?=[^ \t\r\n])"
    rf"|(?!{_TERMINATOR})[{_TERMINATOR_FIRST}])*(?:{_TERMINATOR})?)"
)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, trimmed of surrounding whitespace; empty sentences are dropped."""
    return [span for m in _SENTENCE.finditer(text) if (span := m.span(1))[0] < span[1]]


def paragraphs(text: str, markdown: bool) -> list[tuple[int, int]]:
    """Paragraph spans.

    Plain text: each non-blank line is a paragraph (drafts pasted from editors put one
    paragraph on a line). Markdown: runs of non-blank lines, where a heading, list item
    or block quote line starts a new paragraph, and a line starting with "#" ends one.
    """
    pattern = _paragraph_pattern(markdown, "\r" in text)
    return [span for m in pattern.finditer(text) if (span := m.span(1))[0] >= 0]


@cache
def _paragraph_pattern(markdown: bool, cr: bool) -> re.Pattern[str]:
    """A pattern matching blank lines and the paragraph after them (group 1; none at the end).

    Lines end at LF, and if ``cr`` also at CR and CRLF (slower: the engine checks a class of
    two characters more slowly than one); VT, FF, U+2028… do not end a line, unlike
    :meth:`str.splitlines`. A line is blank if it holds only whitespace; spans are trimmed
    of spaces and tabs. In Markdown a paragraph is a "#" line, or lines up to a blank one,
    up to one that starts a paragraph, or up to and including a "#" line. Each part of the
    pattern matches on its first try (no backtracking), so matching takes linear time.
    """
    breaks, eol = (r"\r\n", r"(?:\r\n|\r|\n)") if cr else (r"\n", r"\n")
    ws = rf"[^\S{breaks}]"  # whitespace within a line
    rest = rf"[^{breaks}]*[^ \t{breaks}]"  # the rest of a non-blank line, to its last non-blank
    paragraph = rest
    if markdown:
        starts = rf"[ \t]*(?:#{{1,6}}{ws}|[-*+]{ws}|\d+[.)]{ws}|>)"  # a heading, list item or quote
        hashed = rf"(?={ws}*#)"
        more = rf"[ \t]*{eol}(?!{ws}*(?:{eol}|\Z)|{starts})"  # a line end, then a line of the paragraph
        paragraph = rf"{hashed}{rest}|{rest}(?:{more}(?!{hashed}){rest})*(?:{more}{rest})?"
    return re.compile(rf"(?:{ws}*{eol})*(?:{ws}*\Z|[ \t]*({paragraph}))")


@dataclass(frozen=True)
class Boundaries:
    """Sentence and clause boundaries of one text, found once, for ``bisect`` per query.

    Built by :meth:`of` from the text's sentence spans (:func:`sentences`) and the characters
    that end a clause (``clause_breaks`` in ``data/context.yaml``): one regex pass for the
    break positions. :meth:`clause_start` and :meth:`clause_end` answer what walking the
    characters from a position to the nearest break (within its sentence) answers, in
    logarithmic time, so a sentence of thousands of triggers is not walked once per trigger.
    Context checks (:mod:`kepulint.reading.context`) get it from ``Context.boundaries(doc)``; anything
    scoped to a clause or a sentence should use it rather than scan the text.
    """

    length: int
    sentences: list[tuple[int, int]]
    starts: list[int]  # sentence starts
    breaks: list[int]  # offsets of the clause-break characters, sorted

    @classmethod
    def of(cls, text: str, spans: list[tuple[int, int]], clause_breaks: str) -> Boundaries:
        breaks = [m.start() for m in re.finditer(f"[{re.escape(clause_breaks)}]", text)] if clause_breaks else []
        return cls(len(text), spans, [s for s, _ in spans], breaks)

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """The sentence holding ``pos`` (or the nearest before it; the whole text if none)."""
        if not self.sentences:
            return (0, self.length)
        return self.sentences[max(bisect_right(self.starts, pos) - 1, 0)]

    def clause_start(self, pos: int) -> int:
        """Just after the last clause break before ``pos`` in its sentence; the sentence start if
        there is none, and ``pos`` itself when it lies before its sentence's start."""
        sent_start = self.sentence_at(pos)[0]
        if pos <= sent_start:
            return pos
        k = bisect_left(self.breaks, pos) - 1
        return self.breaks[k] + 1 if k >= 0 and self.breaks[k] >= sent_start else sent_start

    def clause_end(self, end: int) -> int:
        """The first clause break at or after ``end`` in the sentence holding ``end - 1``, else
        that sentence's end (``end`` itself when it lies past the sentence)."""
        sent_end = self.sentence_at(max(end - 1, 0))[1]
        if end >= sent_end:
            return end
        k = bisect_left(self.breaks, end)
        return min(self.breaks[k], sent_end) if k < len(self.breaks) else sent_end
