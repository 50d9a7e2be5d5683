"""Fold text for matching while keeping an exact map back to original offsets.

Folding: Traditional→Simplified (one character for one, a table generated from
OpenCC), Taiwan/Hong Kong wording→mainland wording of the same length (收案→招募,
憂鬱症→抑郁症; ``data/regional.tsv``), full-width ASCII→ASCII (％→%, ，→,), ideographic and no-break spaces→space,
Roman numerals Ⅰ–Ⅻ→I…XII, and zero-width characters removed. Only the last two
change lengths; :class:`OffsetMap` records those places.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from ..data import read_text
from .source import lf_view

_ROMAN = {
    "Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV", "Ⅴ": "V", "Ⅵ": "VI",
    "Ⅶ": "VII", "Ⅷ": "VIII", "Ⅸ": "IX", "Ⅹ": "X", "Ⅺ": "XI", "Ⅻ": "XII",
    "ⅰ": "I", "ⅱ": "II", "ⅲ": "III", "ⅳ": "IV", "ⅴ": "V",
}
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_RESIZE = re.compile("[" + "".join(_ROMAN) + _ZERO_WIDTH + "]")


@lru_cache(maxsize=1)
def _char_table() -> dict[int, str]:
    table: dict[int, str] = {}
    data = read_text("t2s.tsv")
    for line in data.splitlines():
        if line and not line.startswith("#"):
            trad, simp = line.split("\t")
            table[ord(trad)] = simp
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[cp] = chr(cp - 0xFEE0)
    table.update({0x3000: " ", 0xA0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0xFE6A: "%", 0x2215: "/"})
    for cp in range(0xD800, 0xE000):  # a lone surrogate (only from an API caller's str) is no text
        table[cp] = "\ufffd"  # to match; the Aho-Corasick matcher needs valid UTF-8
    return table


@lru_cache(maxsize=1)
def _translation() -> list[int | str]:
    """:func:`_char_table` as a list indexed by code point, for :meth:`str.translate`.

    With a dict, ``translate`` raises and clears a KeyError for each character it keeps;
    a list (every code point up to the last one changed, about 7 MB) makes it twice as fast.
    Code points beyond the list raise IndexError, which ``translate`` reads as "keep".
    """
    table = _char_table()
    out: list[int | str] = list(range(max(table) + 1))
    for cp, repl in table.items():
        out[cp] = repl
    return out


class OffsetMap:
    """Maps offsets in folded text back to the original text.

    Stored as pieces ``(norm_start, norm_len, orig_start, orig_len)``; a piece whose two
    lengths differ is one replaced character (or a deletion), all others are identity.
    """

    __slots__ = ("_norm_starts", "_pieces")

    def __init__(self, pieces: list[tuple[int, int, int, int]]) -> None:
        self._pieces = pieces
        self._norm_starts = [p[0] for p in pieces]

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls([(0, length, 0, length)])

    def _piece(self, i: int) -> tuple[int, int, int, int]:
        k = bisect_right(self._norm_starts, i) - 1
        return self._pieces[max(k, 0)]

    def to_orig(self, i: int) -> int:
        """Original offset of the character at folded offset ``i`` (a start)."""
        ns, nl, os_, ol = self._piece(i)
        if nl == ol:
            return os_ + (i - ns)
        return os_

    def to_orig_end(self, j: int) -> int:
        """Original offset just after the character ending at folded offset ``j`` (an end)."""
        if j <= 0:
            return self.to_orig(0) if j == 0 else 0
        ns, nl, os_, ol = self._piece(j - 1)
        if nl == ol:
            return os_ + (j - ns)
        return os_ + ol


@lru_cache(maxsize=1)
def _regional() -> tuple[re.Pattern[str], dict[str, str]]:
    pairs: dict[str, str] = {}
    data = read_text("regional.tsv")
    for line in data.splitlines():
        if line and not line.startswith("#"):
            regional, mainland = line.split("\t")
            if len(regional) != len(mainland):
                raise ValueError(f"regional.tsv: {regional!r} and {mainland!r} differ in length")
            pairs[regional] = mainland
    keys = sorted(pairs, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys)), pairs


def fold(text: str) -> tuple[str, OffsetMap]:
    """Return the folded text and the map from its offsets to ``text``'s."""
    folded = text.translate(_translation())
    pattern, pairs = _regional()
    folded = pattern.sub(lambda m: pairs[m.group()], folded)
    folded = lf_view(folded)  # CR and CRLF line ends become LF (CRLF as " \n"): same length
    if not _RESIZE.search(folded):
        return folded, OffsetMap.identity(len(text))
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    norm = orig = 0
    for m in _RESIZE.finditer(folded):
        if m.start() > orig:
            chunk = folded[orig : m.start()]
            pieces.append((norm, len(chunk), orig, len(chunk)))
            out.append(chunk)
            norm += len(chunk)
        repl = _ROMAN.get(m.group(), "")
        pieces.append((norm, len(repl), m.start(), 1))
        out.append(repl)
        norm += len(repl)
        orig = m.end()
    if orig < len(folded):
        chunk = folded[orig:]
        pieces.append((norm, len(chunk), orig, len(chunk)))
        out.append(chunk)
    # drop zero-length pieces from the bisect keys by keeping them: a deletion piece has
    # norm_len 0 and shares its norm_start with the next piece, which bisect_right prefers.
    return "".join(out), OffsetMap(pieces)


def fold_chars(text: str) -> str:
    """Fold script, width and regional wording only: always the same length as ``text`` (no line
    ends, Roman numerals or zero-width characters touched), so its offsets are ``text``'s."""
    pattern, pairs = _regional()
    return pattern.sub(lambda m: pairs[m.group()], text.translate(_translation()))


def fold_term(term: str) -> str:
    """Fold a lexicon term the way document text is folded."""
    return fold(term)[0]
