"""text/segment.py: sentences and paragraphs as the plain regex code found them, in linear time."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textkit import FAST, short, texts_of

from kepulint.text import segment

# --- sentences and paragraphs -----------------------------------------------------------

_OLD_END = re.compile(
    r"(?:[。!?;]+|…{1,2}|\.{3,6})[”’」』)\]]*"
    r"(?:[ \t]?(?:\[\^?\d{1,3}(?:[-–,]\d{1,3})*\]|【\d{1,3}(?:[-–,、]\d{1,3})*】|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))*"
    r"|(?<![0-9A-Za-z])\.(?=\s|$)|\r\n|\r|\n"
)
_OLD_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_OLD_LIST_OR_HEADING = re.compile(r"[ \t]*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>)")


def _trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start] in " \t\r\n":
        start += 1
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    if end > start:
        out.append((start, end))


def _old_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _OLD_END.finditer(text):
        _trimmed(text, start, m.start() if m.group() in ("\n", "\r", "\r\n") else m.end(), spans)
        start = m.end()
    _trimmed(text, start, len(text), spans)
    return spans


def _old_paragraphs(text: str, markdown: bool) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos, cur_start, cur_end = 0, -1, -1
    for line in _OLD_LINE.findall(text):
        content = line.rstrip("\r\n")
        blank = not content.strip()
        if not markdown:
            if not blank:
                _trimmed(text, pos, pos + len(content), spans)
        elif blank:
            if cur_start >= 0:
                _trimmed(text, cur_start, cur_end, spans)
                cur_start = -1
        else:
            if cur_start >= 0 and _OLD_LIST_OR_HEADING.match(content):
                _trimmed(text, cur_start, cur_end, spans)
                cur_start = -1
            if cur_start < 0:
                cur_start = pos
            cur_end = pos + len(content)
            if content.lstrip().startswith("#"):
                _trimmed(text, cur_start, cur_end, spans)
                cur_start = -1
        pos += len(line)
    if cur_start >= 0:
        _trimmed(text, cur_start, cur_end, spans)
    return spans


TEXT_PIECES = ["。", "!", "?", ";", "…", "……", ".", "...", "....", "3.5", "a.", ". ", "”", "」", ")", "]",
               "[1]", "[^2]", "[1-3]", " [4]", "【5】", "【1、2】", "¹²", "\n", "\r", "\r\n", " ", "  ", "\t",
               "\u3000", "\x0b", "\x0c", "\u2028", "\x85", "#", "# ", "## ", "#x", "####### ", "- ", "* ",
               "+ ", "1. ", "2) ", "٣. ", "> ", ">", "x", "中文", "a b"]


@FAST
@given(texts_of(TEXT_PIECES))
def test_sentences_as_before(text: str) -> None:
    assert segment.sentences(text) == _old_sentences(text)


@FAST
@given(texts_of(TEXT_PIECES), st.booleans())
def test_paragraphs_as_before(text: str, markdown: bool) -> None:
    assert segment.paragraphs(text, markdown) == _old_paragraphs(text, markdown)


@pytest.mark.parametrize("text", ["a" + " " * 100_000 + "\n", "\n" * 100_000 + "  ", "。[1" * 30_000,
                                  "#\n" * 50_000, ("x" + " " * 1000 + "\r\n") * 100], ids=short)
def test_segmenting_stays_linear(text: str) -> None:
    """Long runs of blanks, breaks or near-terminators take no time (no backtracking blow-up)."""
    assert segment.sentences(text) == _old_sentences(text)
    assert segment.paragraphs(text, True) == _old_paragraphs(text, True)
