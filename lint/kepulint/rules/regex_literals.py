"""What a regex's matches must contain: literal analysis of patterns, done once per rule set.

Parsed with ``re``'s own parser. Two uses:

* prefilters (:mod:`kepulint.rules.prefilter`): literals one of which every match contains
  (:func:`required_literals`), every such set (:func:`literal_gates`), and whether ``re`` can
  search the pattern fast by itself (:func:`fast_start`, :func:`has_prefix`);
* anchors (:mod:`kepulint.reading.evidence`): literals every match starts or ends with
  (:func:`start_literals`, :func:`end_literals`), so a pattern is tried only where one occurs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as _c
from re import _parser as _p
from typing import Any

MAX_LITERALS = 64


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


_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None))


def _literal_sets(items: list[tuple[Any, Any]], flatten: bool) -> list[set[str]]:
    """The literal sets a sequence of parsed regex items requires, one per item (a run of
    literal characters is one): a group or a repeat gives its best set, or, with ``flatten``,
    every set of its own; alternatives give the union of their best sets."""
    out: list[set[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            out.append({"".join(run)})
            run = []
        sub: set[str] | None = None
        inner = None
        if op is _c.SUBPATTERN:
            inner = list(av[-1])
        elif op in _REPEATS and av[0] >= 1:
            inner = list(av[2])
        if inner is not None:  # (?i:…) groups: see required_literals, which lower-cases
            if flatten:
                out.extend(_literal_sets(inner, True))
                continue
            sub = _required(inner)
        elif op is _c.BRANCH:
            sub = set()
            for branch in av[1]:
                alt = _required(list(branch))
                if not alt:
                    sub = None
                    break
                sub |= alt
        elif op is _c.IN:
            chars = [chr(a) for o, a in av if o is _c.LITERAL]
            if chars and len(chars) == len(av) and len(chars) <= 8:
                sub = set(chars)
        if sub and len(sub) <= MAX_LITERALS:
            out.append(sub)
    if run:
        out.append({"".join(run)})
    return out


def _required(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Best required-literal set of a sequence of parsed regex items."""
    candidates = [c for c in _literal_sets(items, flatten=False) if c and all(c)]
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
    sets = _literal_sets(list(parsed), flatten=True)
    return tuple(frozenset(s) for s in sets if s and all(s) and len(s) <= MAX_LITERALS)


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


# -- start and end literals -------------------------------------------------------------

_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
EDGE_MAX_LITERALS = 128
_LONG_ENOUGH = 3  # a literal this long is not extended by a character with several spellings
_OTHER_CASES = {"i": "İı", "k": "\u212a", "s": "ſ"}  # what (?i) matches beyond an ASCII letter's two cases


def start_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Literals one of which every match of ``pattern`` starts with (zero-width assertions
    aside), or None when unknown; a ``(?i)`` letter is spelled in every case it matches."""
    return _edge_literals(pattern.pattern, pattern.flags, backwards=False)


def end_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Literals one of which every match of ``pattern`` ends with, or None when unknown."""
    return _edge_literals(pattern.pattern, pattern.flags, backwards=True)


@lru_cache(maxsize=256)
def _parsed(source: str, flags: int) -> Any:
    """``source`` as the regex parser reads it (not to be modified)."""
    return _p.parse(source, flags)


def source_start_literals(source: str) -> frozenset[str] | None:
    """:func:`start_literals` of a regex source (None when it does not parse)."""
    try:
        return _edge_literals(source, 0, backwards=False)  # parsed, not compiled
    except re.error:
        return None


def _edge_literals(source: str, flags: int, backwards: bool) -> frozenset[str] | None:
    parsed = _parsed(source, flags)
    found, _ = _edges(list(parsed), bool(parsed.state.flags & re.IGNORECASE), backwards)
    return frozenset(found) if all(found) else None


def _edges(items: list[tuple[Any, Any]], ci: bool, backwards: bool) -> tuple[set[str], bool]:
    """The literals a sequence of parsed items starts (ends) with, and whether they are all
    it matches."""
    out = {""}
    for op, av in reversed(items) if backwards else items:
        if op in _ZERO_WIDTH:
            continue
        item = _item_edges(op, av, ci, backwards)
        if item and len(item[0]) > 1 and min(map(len, out)) >= _LONG_ENOUGH:
            return out, False
        joined = _joined(out, item[0], backwards) if item else None
        if item is None or joined is None:
            return out, False
        out = joined[0]
        if not (item[1] and joined[1]):
            return out, False
    return out, True


def _item_edges(op: Any, av: Any, ci: bool, backwards: bool) -> tuple[set[str], bool] | None:
    """The literals one parsed item starts (ends) with, and whether they are all it matches."""
    if op is _c.LITERAL:
        chars = _spellings(chr(av), ci)
        return (chars, True) if chars else None
    if op is _c.IN and all(o is _c.LITERAL for o, _ in av):
        chars: set[str] = set()
        for _, code in av:
            spelled = _spellings(chr(code), ci)
            if spelled is None:
                return None
            chars |= spelled
        return chars, True
    if op is _c.SUBPATTERN:
        _, add, drop, sub = av
        return _edges(list(sub), (ci or bool(add & re.IGNORECASE)) and not drop & re.IGNORECASE, backwards)
    if op is _c.BRANCH:
        branches = [_edges(list(b), ci, backwards) for b in av[1]]
        return set().union(*(b[0] for b in branches)), all(b[1] for b in branches)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
        return _edges(list(av[2]), ci, backwards)[0], False
    return None


def _joined(heads: set[str], more: set[str], backwards: bool) -> tuple[set[str], bool] | None:
    """Each head extended by each of ``more`` (cut short if there would be too many
    literals), and whether ``more`` was kept whole."""
    longest = max(map(len, more))
    for n in range(longest, 0, -1):
        out = {b[-n:] + a if backwards else a + b[:n] for a in heads for b in more}
        if len(out) <= EDGE_MAX_LITERALS:
            return out, n == longest
    return None


def _spellings(char: str, ci: bool) -> set[str] | None:
    """What a literal character matches (None: unknown, a non-ASCII (?i) character)."""
    if not ci or (not char.isalpha() and char.isascii()):
        return {char}
    if not char.isascii():
        return None
    return {char.lower(), char.upper(), *_OTHER_CASES.get(char.lower(), "")}


def has_prefix(pattern: re.Pattern[str]) -> bool:
    """Whether ``re`` searches ``pattern`` for a prefix (a literal, or a set of first
    characters) rather than trying it at every position; as its compiler decides."""
    parsed = _parsed(pattern.pattern, pattern.flags)
    ci = bool(parsed.state.flags & re.IGNORECASE)
    items = list(parsed)
    while items and items[0][0] is _c.SUBPATTERN:
        _, add, drop, sub = items[0][1]
        ci = (ci or bool(add & re.IGNORECASE)) and not drop & re.IGNORECASE
        items = list(sub)

    def cased(code: int) -> bool:
        return ci and chr(code).lower() != chr(code).upper()

    op, av = items[0] if items else (None, None)
    if op is _c.LITERAL:
        return not cased(av)
    if op is _c.IN:
        return not ci or all(o is _c.LITERAL and not cased(a) for o, a in av)
    return op is _c.BRANCH and all(b and b[0][0] is _c.LITERAL and not cased(b[0][1]) for b in av[1])


def context_free(pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` holds no assertion or back reference: whether it matches at a
    position depends only on the text it spans."""

    def free(items: Any) -> bool:
        for op, av in items:
            if op is _c.BRANCH:
                subs = av[1]
            elif op in (_c.SUBPATTERN, _c.MAX_REPEAT, _c.MIN_REPEAT):
                subs = [av[-1]]
            elif op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY):
                subs = []
            else:  # assertions, back references, and what is not known here
                return False
            if not all(free(sub) for sub in subs):
                return False
        return True

    return free(_parsed(pattern.pattern, pattern.flags))


def max_width(pattern: str) -> int:
    """The greatest number of characters a match of ``pattern`` can span."""
    return int(_p.parse(pattern).getwidth()[1])
