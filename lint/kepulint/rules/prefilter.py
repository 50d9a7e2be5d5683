"""Literal prefilters for rule regexes: skip (and never compile) a regex that cannot match.

Compiling a few hundred regexes costs more than linting a small file, and a pre-commit
hook pays it on every commit. For each pattern :mod:`kepulint.rules.regex_literals` derives, once
per rule set, the literal strings its matches must contain (``治愈率|有效率…`` → {治愈率,
有效率, …}). The engine's single Aho-Corasick scan reports which literals a document
contains (:class:`LiteralIndex`, handed to each kind with its candidates); a pattern missing
one of its literal sets is neither compiled nor run, and the others run only in the sentences
around their literals. Each fast answer has a plain reference beside it (:func:`may_match_plain`,
:func:`search_windows_plain`) that the property tests compare it with.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any

from .regex_literals import CaseInsensitive

LOWER_MEMO = "prefilter-lower"  # Document memo key (this module's): doc.norm.lower()


class LiteralIndex:
    """Where the prefilter literals occur in one document's folded text: longer literals as found
    by the engine's automaton scan, one-character literals looked up with str methods on demand.
    It answers the prefilter's questions (:meth:`may_match`, :meth:`search_windows`) and keeps
    their answers for the document."""

    def __init__(self, doc: Any, found: dict[str, list[int]], chars: frozenset[str]) -> None:
        self.doc = doc
        self._text: str = doc.norm
        self._found = found
        self._chars = chars
        self._char_positions: dict[str, list[int]] = {}
        self._counts: dict[str, int] = {}
        self._windows: dict[Any, list[tuple[int, int]]] = {}  # literal set -> windows; literal -> sentence runs
        self.present = {*found, *(ch for ch in chars if ch in self._text)}  # every literal that occurs

    def any_of(self, literals: frozenset[str]) -> bool:
        """Some literal of ``literals`` occurs."""
        return not self.present.isdisjoint(literals)

    def may_match(self, literals: frozenset[str] | None) -> bool:
        """False only when the scan proved that none of ``literals`` (a pattern's prefilter set) occurs;
        :func:`may_match_plain` is the plain answer it must agree with."""
        if literals is None:
            return True
        if isinstance(literals, CaseInsensitive):
            return _lower_has_any(self.doc, literals)
        return self.any_of(literals)

    def search_windows(self, literals: frozenset[str] | None) -> list[tuple[int, int]]:
        """Spans of the text worth searching for a pattern with these literals.

        A rule regex matches within a claim, so it is run only over the sentences around
        each occurrence of one of its literals (the sentence before to the sentence after),
        not over the whole document; without literals, the whole document.
        """
        if literals is None or isinstance(literals, CaseInsensitive):
            return [(0, len(self._text))]
        spans = self._windows.get(literals)  # patterns often share a literal set
        if spans is None:
            spans = self._windows[literals] = self._windows_of(literals)
        return spans

    def _windows_of(self, literals: frozenset[str]) -> list[tuple[int, int]]:
        doc, memo = self.doc, self._windows
        sentences = doc.sentences
        hits = self.count(literals)
        if not sentences or hits * 3 >= len(sentences):  # windows would cover it all: one pass
            return [(0, len(self._text))] if hits else []
        runs: list[tuple[int, int]] = []
        for literal in literals & self.present:
            if literal not in memo:  # a literal's own sentence runs, keyed by the str
                memo[literal] = _sentence_runs(doc, self.positions(literal), len(literal))
            runs.extend(memo[literal])
        return [(sentences[a][0], sentences[b][1]) for a, b in _merged(runs, touching=True)]

    def near(self, gates: tuple[frozenset[str], ...], width: int) -> bool:
        """False when no occurrence of the rarest gate's literals has a literal of every other gate
        within ``width`` characters: then no match ``width`` characters wide holds one of each.
        True (no proof) when the rarest gate occurs over :data:`NEAR_CHECKS` times."""
        rare = min(gates, key=self.count)
        if self.count(rare) > NEAR_CHECKS:
            return True
        others = [gate & self.present for gate in gates if gate is not rare]
        return any(all(any(self._occurs_near(lit, at, width) for lit in gate) for gate in others)
                   for lit in rare & self.present for at in self.positions(lit))

    def _occurs_near(self, literal: str, at: int, width: int) -> bool:
        """``literal`` starts somewhere in [at - width, at + width]."""
        if literal in self._chars:  # a frequent character: looked for, not listed
            return self._text.find(literal, max(0, at - width), at + width + 1) >= 0
        return _any_between(self._found.get(literal, []), at - width, at + width)

    def count(self, literals: frozenset[str]) -> int:
        """Occurrences of all ``literals`` together."""
        counts = self._counts
        total = 0
        for lit in literals & self.present:
            n = counts.get(lit)
            if n is None:
                n = counts[lit] = self._text.count(lit) if lit in self._chars else len(self._found[lit])
            total += n
        return total

    def starts_of(self, literals: frozenset[str]) -> list[int]:
        """Sorted start offsets of all ``literals`` together, each once."""
        present = literals & self.present
        if len(present) == 1:
            return self.positions(next(iter(present)))
        return sorted({pos for lit in present for pos in self.positions(lit)})

    def positions(self, literal: str) -> list[int]:
        """Start offsets of ``literal`` (empty when absent)."""
        if literal not in self._chars:
            return self._found.get(literal, [])
        out = self._char_positions.get(literal)
        if out is None:
            out = self._char_positions[literal] = find_all(self._text, literal)
        return out


NEAR_CHECKS = 64  # occurrences of a pattern's rarest literal set tried by LiteralIndex.near


def _any_between(starts: list[int], lo: int, hi: int) -> bool:
    """Some sorted start lies in [lo, hi]."""
    i = bisect_left(starts, lo)
    return i < len(starts) and starts[i] <= hi


def may_match_plain(regex: re.Pattern[str], text: str) -> bool:
    """The reference for :meth:`LiteralIndex.may_match`: whether the regex matches at all."""
    return regex.search(text) is not None


def search_windows_plain(text: str) -> list[tuple[int, int]]:
    """The reference for :meth:`LiteralIndex.search_windows`: the whole text."""
    return [(0, len(text))]


def _lower_has_any(doc: Any, literals: frozenset[str]) -> bool:
    """Some of the (lower-case) ``literals`` occurs in the lower-cased text."""
    lower = doc.memo(LOWER_MEMO, lambda d: d.norm.lower())
    return any(lit in lower for lit in literals)


def find_all(text: str, literal: str) -> list[int]:
    """Start offsets of every occurrence of ``literal`` in ``text``, overlapping ones too."""
    out = []
    pos = text.find(literal)
    while pos >= 0:
        out.append(pos)
        pos = text.find(literal, pos + 1)
    return out


def matches_at(regex: re.Pattern[str], text: str, starts: Sequence[int], lo: int = 0,
               hi: int | None = None) -> list[re.Match[str]]:
    """What ``regex.finditer(text, lo, hi)`` finds, given sorted offsets every match starts at
    (where the literals its matches begin with occur): the regex is tried only there."""
    end = len(text) if hi is None else hi
    out: list[re.Match[str]] = []
    pos = lo
    for k in range(bisect_left(starts, lo), len(starts)):
        at = starts[k]
        if at >= end:
            break
        if at >= pos and (m := regex.match(text, at, end)):
            out.append(m)
            pos = m.end()  # a start literal is never empty: neither is the match
    return out


def _window(doc: Any, pos: int, length: int) -> tuple[int, int]:
    """From the sentence before the one at ``pos`` to the sentence after it."""
    sentences = doc.sentences
    i = doc.sentence_index(pos)
    lo = sentences[max(i - 1, 0)][0]
    hi = sentences[min(i + 1, len(sentences) - 1)][1]
    return min(lo, pos), max(hi, pos + length)


def _sentence_runs(doc: Any, positions: list[int], length: int) -> list[tuple[int, int]]:
    """For each occurrence, the sentence indexes from the one before it to the one after."""
    starts = doc._sentence_starts
    last = len(starts) - 1
    if length == 1:
        return [(max(i - 2, 0), min(i, last)) for i in [bisect_right(starts, pos) for pos in positions]]
    return [(max(bisect_right(starts, pos) - 2, 0), min(bisect_right(starts, pos + length - 1), last))
            for pos in positions]


def may_occur(doc: Any, literals: frozenset[str] | None) -> bool:
    """False when no literal of ``literals`` is in the document (str search, any pattern)."""
    if literals is None:
        return True
    if isinstance(literals, CaseInsensitive):
        return _lower_has_any(doc, literals)
    norm = doc.norm
    return any(lit in norm for lit in literals)


def find_windows(doc: Any, literals: frozenset[str] | None) -> list[tuple[int, int]]:
    """Like :func:`search_windows`, for patterns outside the engine's scan (str.find)."""
    norm = doc.norm
    if literals is None:
        return [(0, len(norm))]
    if isinstance(literals, CaseInsensitive):
        return [(0, len(norm))] if _lower_has_any(doc, literals) else []
    spans = [(pos, pos + len(literal)) for literal in literals for pos in find_all(norm, literal)]
    return windows_around(doc, spans)


def windows_around(doc: Any, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """From the sentence before each span to the sentence after it, merged; the whole text
    when the spans are many (one pass over it is cheaper), nothing when there are none."""
    if len(spans) * 3 >= max(len(doc.sentences), 1):
        return [(0, len(doc.norm))] if spans else []
    return _merged([_window(doc, start, end - start) for start, end in spans])


def _merged(spans: list[tuple[int, int]], touching: bool = False) -> list[tuple[int, int]]:
    """Overlapping spans merged (and, with ``touching``, index runs such as (1, 3), (4, 6))."""
    if not spans:
        return []
    spans.sort()
    merged = [spans[0]]
    gap = 1 if touching else 0
    for lo, hi in spans[1:]:
        if lo <= merged[-1][1] + gap:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged
