"""text/normalize.py and text/source.py: the list-based translation table and line starts
against their plain references."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kepulint.text import normalize
from kepulint.text.source import line_starts

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _short(text: str) -> str:
    """A test id: the start of ``text``."""
    return repr(text[:12])


def _text(pieces: list[str]) -> st.SearchStrategy[str]:
    """Texts made of ``pieces`` and arbitrary characters (surrogates excluded)."""
    piece = st.one_of(st.sampled_from(pieces), st.characters(exclude_categories=("Cs",)))
    return st.lists(piece, max_size=40).map("".join)


# --- folding ----------------------------------------------------------------------------


def test_translation_list_equals_the_table() -> None:
    every = "".join(map(chr, range(0x110000)))
    assert every.translate(normalize._translation()) == every.translate(normalize._char_table())


# --- line starts ------------------------------------------------------------------------

NEWLINE_PIECES = ["\r\n", "\r", "\n", "\n\r", "a", "中", " ", "\x0b", "\u2028", "\x85"]


@FAST
@given(_text(NEWLINE_PIECES))
def test_line_starts_as_before(text: str) -> None:
    assert line_starts(text) == [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
