"""text/normalize.py and text/source.py: the list-based translation table and line starts
against their plain references."""

from __future__ import annotations

import re

from hypothesis import given
from textkit import FAST, texts_of

from kepulint.text import normalize
from kepulint.text.source import line_starts

# --- folding ----------------------------------------------------------------------------


def test_translation_list_equals_the_table() -> None:
    every = "".join(map(chr, range(0x110000)))
    assert every.translate(normalize._translation()) == every.translate(normalize._char_table())


# --- line starts ------------------------------------------------------------------------

NEWLINE_PIECES = ["\r\n", "\r", "\n", "\n\r", "a", "中", " ", "\x0b", "\u2028", "\x85"]


@FAST
@given(texts_of(NEWLINE_PIECES))
def test_line_starts_as_before(text: str) -> None:
    assert line_starts(text) == [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
