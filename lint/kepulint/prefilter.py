"""Literal prefilters for rule regexes: skip (and never compile) a regex that cannot match.

Compiling a few hundred regexes costs more than linting a small file, and a pre-commit
hook pays it on every commit. For each pattern we derive, once per rule set, a set of
literal strings one of which must occur in any match (``治愈率|有效率…`` → {治愈率,
有效率, …}). The engine's single Aho-Corasick scan reports which literals a document
contains; a pattern whose literals are all absent is neither compiled nor run.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

MAX_LITERALS = 64
LITERALS_MEMO = "prefilter-literals"  # Document memo key: the LiteralIndex of doc.norm
LOWER_MEMO = "prefilter-lower"  # Document memo key: doc.norm.lower()
WINDOWS_MEMO = "prefilter-windows"  # Document memo key: literal or literal set -> search windows


class LiteralIndex:
    """Where the prefilter literals occur in one text: longer literals as found by the
    engine's automaton scan, one-character literals looked up with str methods on demand."""

    def __init__(self, text: str, found: dict[str, list[int]], chars: frozenset[str]) -> None:
        self._text = text
        self._found = found
        self._chars = chars
        self._char_positions: dict[str, list[int]] = {}
        self._counts: dict[str, int] = {}
        self.present = {*found, *(ch for ch in chars if ch in text)}  # every literal that occurs

    def any_of(self, literals: frozenset[str]) -> bool:
        """Some literal of ``literals`` occurs."""
        return not self.present.isdisjoint(literals)

    def all_of(self, gates: tuple[frozenset[str], ...]) -> bool:
        """Each set of ``gates`` has a literal that occurs."""
        present = self.present
        return all(not present.isdisjoint(gate) for gate in gates)

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

    def positions(self, literal: str) -> list[int]:
        """Start offsets of ``literal`` (empty when absent)."""
        if literal not in self._chars:
            return self._found.get(literal, [])
        out = self._char_positions.get(literal)
        if out is None:
            text, out = self._text, []
            pos = text.find(literal)
            while pos >= 0:
                out.append(pos)
                pos = text.find(literal, pos + 1)
            self._char_positions[literal] = out
        return out


def _window(doc: Any, pos: int, length: int) -> tuple[int, int]:
    """From the sentence before the one at ``pos`` to the sentence after it."""
    sentences = doc.sentences
    i = doc.sentence_index(pos)
    lo = sentences[max(i - 1, 0)][0]
    hi = sentences[min(i + 1, len(sentences) - 1)][1]
    return min(lo, pos), max(hi, pos + length)


def may_match(doc: Any, literals: frozenset[str] | None) -> bool:
    """False only when the engine's scan proved none of ``literals`` occurs in the document."""
    if literals is None:
        return True
    if isinstance(literals, CaseInsensitive):
        lower = doc._cache.get(LOWER_MEMO)
        if lower is None:
            lower = doc._cache[LOWER_MEMO] = doc.norm.lower()
        return any(lit in lower for lit in literals)
    present = doc._cache.get(LITERALS_MEMO)
    return present is None or present.any_of(literals)


def search_windows(doc: Any, literals: frozenset[str] | None) -> list[tuple[int, int]]:
    """Spans of ``doc.norm`` worth searching for a pattern with these literals.

    A rule regex matches within a claim, so it is run only over the sentences around
    each occurrence of one of its literals (the sentence before to the sentence after),
    not over the whole document; without literal positions, the whole document.
    """
    present = doc._cache.get(LITERALS_MEMO)
    if literals is None or present is None or isinstance(literals, CaseInsensitive):
        return [(0, len(doc.norm))]
    memo = doc._cache.setdefault(WINDOWS_MEMO, {})
    spans = memo.get(literals)  # patterns often share a literal set
    if spans is None:
        spans = memo[literals] = _windows_of(doc, present, literals, memo)
    return spans


def _windows_of(doc: Any, present: LiteralIndex, literals: frozenset[str],
                memo: dict[Any, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    sentences = doc.sentences
    hits = present.count(literals)
    if not sentences or hits * 3 >= len(sentences):  # windows would cover it all: one pass
        return [(0, len(doc.norm))] if hits else []
    runs: list[tuple[int, int]] = []
    for literal in literals & present.present:
        if literal not in memo:  # a literal's own sentence runs, keyed by the str
            memo[literal] = _sentence_runs(doc, present.positions(literal), len(literal))
        runs.extend(memo[literal])
    return [(sentences[a][0], sentences[b][1]) for a, b in _merged(runs, touching=True)]


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
        return may_match(doc, literals)
    norm = doc.norm
    return any(lit in norm for lit in literals)


def find_windows(doc: Any, literals: frozenset[str] | None) -> list[tuple[int, int]]:
    """Like :func:`search_windows`, for patterns outside the engine's scan (str.find)."""
    norm = doc.norm
    if literals is None:
        return [(0, len(norm))]
    if isinstance(literals, CaseInsensitive):
        return [(0, len(norm))] if may_match(doc, literals) else []
    positions = []
    for literal in literals:
        pos = norm.find(literal)
        while pos >= 0:
            positions.append((pos, len(literal)))
            pos = norm.find(literal, pos + 1)
    if len(positions) * 3 >= max(len(doc.sentences), 1):
        return [(0, len(norm))] if positions else []
    return _merged([_window(doc, pos, length) for pos, length in positions])


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


class CaseInsensitive(frozenset):  # type: ignore[type-arg]
    """Lower-cased literals of a pattern with ``(?i)``: looked for in the lower-cased text."""


_CI_FLAG = re.compile(r"\(\?[a-zA-Z]*i[a-zA-Z]*[:)]")


def required_literals(pattern: str) -> frozenset[str] | None:
    """Literals one of which every match of ``pattern`` contains; None if unknown.

    For a pattern with case-insensitive parts the literals are lower-cased and returned as
    :class:`CaseInsensitive` (a conservative gate: any match implies its literal occurs in
    the lower-cased text).
    """
    try:
        parsed = _p.parse(pattern)
    except Exception:
        return None
    if parsed.state.flags & _c.SRE_FLAG_VERBOSE:
        return None
    found = _required(list(parsed))
    if not found:
        return None
    if parsed.state.flags & _c.SRE_FLAG_IGNORECASE or _CI_FLAG.search(pattern):
        return CaseInsensitive(s.lower() for s in found)
    return frozenset(found)


def _score(literals: set[str]) -> tuple[int, int]:
    return (min(len(s) for s in literals), -len(literals))


def _required(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Best required-literal set of a sequence of parsed regex items."""
    candidates: list[set[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append({"".join(run)})
            run = []
        sub: set[str] | None = None
        if op is _c.SUBPATTERN:  # (?i:…) groups: see required_literals, which lower-cases
            sub = _required(list(av[-1]))
        elif op is _c.BRANCH:
            sub = set()
            for branch in av[1]:
                alt = _required(list(branch))
                if not alt:
                    sub = None
                    break
                sub |= alt
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            sub = _required(list(av[2]))
        elif op is _c.IN:
            chars = [chr(a) for o, a in av if o is _c.LITERAL]
            if chars and len(chars) == len(av) and len(chars) <= 8:
                sub = set(chars)
        if sub and len(sub) <= MAX_LITERALS:
            candidates.append(sub)
    if run:
        candidates.append({"".join(run)})
    candidates = [c for c in candidates if c and all(c)]
    return max(candidates, key=_score) if candidates else None


def literal_gates(pattern: str) -> tuple[frozenset[str], ...]:
    """Every literal set the pattern requires, all at once: a match contains a literal of
    each set (``(?:根据|结合)患者(?:反馈|回馈)`` → {根据, 结合}, {患者}, {反馈, 回馈}).

    A document that lacks any one set cannot match, even when it holds the others; the
    search windows still come from :func:`required_literals`. Empty for patterns with
    case-insensitive parts.
    """
    try:
        parsed = _p.parse(pattern)
    except Exception:
        return ()
    if parsed.state.flags & (_c.SRE_FLAG_IGNORECASE | _c.SRE_FLAG_VERBOSE) or _CI_FLAG.search(pattern):
        return ()
    return tuple(frozenset(s) for s in _all_required(list(parsed)) if s and all(s) and len(s) <= MAX_LITERALS)


def _all_required(items: list[tuple[Any, Any]]) -> list[set[str]]:
    """All required-literal sets of a sequence of parsed regex items (see :func:`_required`)."""
    out: list[set[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            out.append({"".join(run)})
            run = []
        if op is _c.SUBPATTERN:
            out.extend(_all_required(list(av[-1])))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            out.extend(_all_required(list(av[2])))
        elif op in (_c.BRANCH, _c.IN):
            best = _required([(op, av)])
            if best:
                out.append(best)
    if run:
        out.append({"".join(run)})
    return out


def fast_start(pattern: str) -> bool:
    """True when the regex engine can search for ``pattern`` quickly on its own: every match
    begins with the same literal (``临床(?:证据|数据)…``, ``1(?<!\\d1)[3-9]…``).

    ``re`` then looks for that literal in C and tries the pattern only where it occurs, which
    costs less than cutting the draft into search windows. A pattern that starts with a set of
    characters or with alternatives (``(?:根据|结合)…``) is tried at every position holding one
    of its first characters, which in Chinese text may be most of them: windows pay off there.
    """
    try:
        parsed = _p.parse(pattern)
    except Exception:
        return False
    if parsed.state.flags & (_c.SRE_FLAG_IGNORECASE | _c.SRE_FLAG_VERBOSE):
        return False
    return _prefix_length(list(parsed)) >= 1


def _prefix_length(items: list[tuple[Any, Any]]) -> int:
    """Length of the literal every match of these parsed items starts with."""
    length = 0
    for op, av in items:
        if op is _c.LITERAL:
            length += 1
            continue
        if op is _c.SUBPATTERN and not av[1] & _c.SRE_FLAG_IGNORECASE:
            inner = list(av[-1])
            sub = _prefix_length(inner)
            length += sub
            if sub == len(inner):  # the whole group was literal: the prefix may go on
                continue
        break
    return length
