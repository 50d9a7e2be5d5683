"""Refuse rule-pack regexes that can backtrack catastrophically, when the pack loads.

Python's ``re`` backtracks: ``(a+)+$`` takes exponential time on ``"a" * 30 + "!"``, because
the text can be split between the inner and the outer quantifier in exponentially many ways.
A rule pack comes from a checkout a contributor controls, so such a regex would let them stall
the CI gate. Every regex of a rule (any ``pattern`` or ``*patterns`` key under ``params``) is
parsed with ``re``'s own parser and refused when a repeated part can be matched in more than
one way from one iteration to the next:

* inside a group repeated more than once (``+``, ``*``, ``{2,}``, ``{0,5}``…), a variable
  quantifier (``a+``, ``\\w*``, ``x{1,9}``) followed — after parts that may match nothing, and
  round to the start of the next iteration — by something that can begin with a character the
  quantifier also matches: ``(a+)+``, ``(.*)*``, ``(\\w+\\s?)+``, ``((a+)b?)*``;
* inside such a group, alternatives that can begin with the same character: ``(a|a)*``,
  ``(\\d|\\d\\d)+`` (which also refuses some harmless ones, such as ``(?:治愈|治疗)+``: write
  ``治(?:愈|疗)`` or put the alternation outside the repeat).

``(\\d+[,.])+`` passes: each iteration must end at a separator the quantifier cannot match.
Overlap between character sets is decided on a probe alphabet (ASCII, common CJK characters
and punctuation, and every literal and range end of the pattern). Why a check at load rather
than a bounded engine (``regex`` with ``timeout=``, RE2): the rules keep ``re`` (lookarounds,
which RE2 lacks, and the literal analysis of :mod:`kepulint.rules.regex_literals`), a refused pack
says which regex and why at once instead of timing out on some drafts, and no dependency is
added. The check is heuristic in both directions; it is not a proof of linear time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

Pred = Callable[[str], bool]
CharSet = tuple[Pred, frozenset[str]]  # a predicate and the characters worth probing it with
EMPTY: CharSet = (lambda ch: False, frozenset())
LARGE_REPEAT = 10  # a repeat allowing more iterations than this may split a text exponentially many ways

_PROBES = frozenset(
    " \t\n\r\x0b\x0c\u3000\u00a0_-.,;:!?%/()[]\"'#*+=@&0123456789"
    "abcxyzABCXYZ中文治愈根研究表明。，；：！？、“”「」《》（）０１ａＡé٣"
)
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)
_CATEGORIES: dict[Any, Pred] = {
    _c.CATEGORY_DIGIT: lambda ch: ch.isdecimal(),
    _c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdecimal(),
    _c.CATEGORY_SPACE: lambda ch: ch.isspace(),
    _c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
    _c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    _c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
}


class UnsafeRegex(ValueError):
    """A regex refused by :func:`check`; the message says what and how to fix it."""


def check(source: str) -> None:
    """Raise :class:`UnsafeRegex` when ``source`` has a repeated part that can match in more
    than one way (see the module docstring). A regex that does not parse is left to ``re``."""
    try:
        tree = _p.parse(source)
    except Exception:  # re.compile reports it with its own message
        return
    for _, hi, body in _repeats(list(tree)):
        if hi is not _c.MAXREPEAT and hi < 2:
            continue
        items = list(body)
        # a few iterations split few ways, unless what they hold is unbounded: (a{1,4}){1,3}
        # is harmless, (a+){1,3} takes cubic time, (a{1,4}){1,50} or (a|a)+ exponential time
        large = hi is _c.MAXREPEAT or hi > LARGE_REPEAT
        _check_sequence(items, _first(items)[0], source, large)


def _repeats(items: list[Any]) -> Iterator[tuple[int, Any, Any]]:
    """Every repeat node (min, max, body) in the tree, outermost first."""
    for op, av in items:
        if op in _REPEATS:
            yield av
            yield from _repeats(list(av[2]))
        for sub in _subsequences(op, av):
            yield from _repeats(sub)


def _subsequences(op: Any, av: Any) -> list[list[Any]]:
    """The sequences nested directly in a node (not a repeat's body)."""
    if op is _c.SUBPATTERN:
        return [list(av[-1])]
    if op is _c.BRANCH:
        return [list(b) for b in av[1]]
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return [list(av[1])]
    if _ATOMIC is not None and op is _ATOMIC:
        return [list(av)]
    return []


def _check_sequence(items: list[Any], tail: CharSet, source: str, large: bool) -> None:
    """Inside a repeated body: refuse a variable quantifier or an alternation whose start
    overlaps what may follow it (``tail``: what may follow the sequence); ``large``: the
    enclosing repeat may iterate many times."""
    for i, (op, av) in enumerate(items):
        rest, nullable = _first(items[i + 1 :])
        follow = _union(rest, tail) if nullable else rest
        if op in _REPEATS:
            lo, hi, body = av
            variable = hi is _c.MAXREPEAT or hi > lo
            if variable and (large or hi is _c.MAXREPEAT) and _overlap(_first(list(body))[0], follow):
                raise UnsafeRegex(
                    f"regex may backtrack catastrophically: inside a repeated group, a quantifier is followed "
                    f"by text it can also match (as in (a+)+ or (\\w+\\s?)+): {_show(source)}; make the parts "
                    "after it start with a character it cannot match, or drop the outer repeat")
        elif op is _c.BRANCH and large:
            _check_branch([(*_first(list(b)), _literal_prefix(list(b))) for b in av[1]], follow, source)
        if op not in (_c.ASSERT, _c.ASSERT_NOT):  # a lookaround is never backtracked into
            for sub in _subsequences(op, av):
                _check_sequence(sub, follow, source, large)


def _check_branch(alternatives: list[tuple[CharSet, bool, str]], follow: CharSet, source: str) -> None:
    """Refuse alternatives that can match the same text (two may be empty, two start alike),
    or that may be empty while the rest starts like what follows (``(\\d|\\d\\d)+``, which
    ``re`` reads as ``(\\d(?:|\\d))+``). Alternatives whose literal starts part ways
    (只要, 只需) never match the same text."""
    empties = sum(1 for _, nullable, _ in alternatives if nullable)
    ambiguous = empties > 1
    for j in range(len(alternatives)):
        for k in range(j + 1, len(alternatives)):
            (a, _, pa), (b, _, pb) = alternatives[j], alternatives[k]
            apart = bool(pa) and bool(pb) and not (pa.startswith(pb) or pb.startswith(pa))
            ambiguous = ambiguous or (not apart and _overlap(a, b))
    if empties and not ambiguous:
        starts = EMPTY
        for start, _, _ in alternatives:
            starts = _union(starts, start)
        ambiguous = _overlap(starts, follow)
    if ambiguous:
        raise UnsafeRegex(
            f"regex may backtrack catastrophically: inside a repeated group, alternatives can match the "
            f"same text (as in (a|a)* or (\\d|\\d\\d)+): {_show(source)}; factor the common part out of "
            "the alternation, or move it outside the repeat")


def _literal_prefix(items: list[Any]) -> str:
    """The literal characters a sequence starts with ("" if it starts otherwise)."""
    out = []
    for op, av in items:
        if op is not _c.LITERAL:
            break
        out.append(chr(av))
    return "".join(out)


def _show(source: str) -> str:
    return repr(source if len(source) <= 100 else source[:100] + "…")


def _first(items: list[Any]) -> tuple[CharSet, bool]:
    """The characters a sequence can start with, and whether it can match the empty string."""
    out = EMPTY
    for op, av in items:
        start, nullable = _node_first(op, av)
        out = _union(out, start)
        if not nullable:
            return out, False
    return out, True


def _node_first(op: Any, av: Any) -> tuple[CharSet, bool]:
    if op is _c.LITERAL:
        ch = chr(av)
        return (lambda c: c == ch, frozenset(ch)), False
    if op is _c.NOT_LITERAL:
        ch = chr(av)
        return (lambda c: c != ch, frozenset(ch)), False
    if op is _c.ANY:
        return (lambda c: c != "\n", frozenset()), False
    if op is _c.IN:
        return _char_class(av), False
    if op in _REPEATS:
        start, nullable = _first(list(av[2]))
        return start, nullable or av[0] == 0
    if op is _c.BRANCH:
        parts = [_first(list(b)) for b in av[1]]
        out = EMPTY
        for start, _ in parts:
            out = _union(out, start)
        return out, any(n for _, n in parts)
    if op is _c.SUBPATTERN or (_ATOMIC is not None and op is _ATOMIC):
        return _first(_subsequences(op, av)[0])
    if op is _c.GROUPREF or op is getattr(_c, "GROUPREF_EXISTS", None):
        return (lambda c: True, frozenset()), True
    if op is _c.CATEGORY:
        return (_CATEGORIES.get(av, lambda c: True), frozenset()), False
    return EMPTY, True  # anchors and lookarounds match no character


def _char_class(items: list[Any]) -> CharSet:
    preds: list[Pred] = []
    literals: set[str] = set()
    probes: set[str] = set()
    negate = False
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            literals.add(chr(av))
        elif op is _c.RANGE:
            lo, hi = av
            preds.append(lambda c, lo=lo, hi=hi: lo <= ord(c) <= hi)
            probes.update((chr(lo), chr(hi), chr((lo + hi) // 2)))
        elif op is _c.CATEGORY:
            preds.append(_CATEGORIES.get(av, lambda c: True))
        else:  # CHARSET, BIGCHARSET: only from compiled code, never from the parser
            preds.append(lambda c: True)

    def member(c: str) -> bool:
        return (c in literals or any(p(c) for p in preds)) != negate

    return member, frozenset(literals | probes)


def _union(a: CharSet, b: CharSet) -> CharSet:
    if a is EMPTY:
        return b
    if b is EMPTY:
        return a
    pa, pb = a[0], b[0]
    return (lambda c: pa(c) or pb(c)), a[1] | b[1]


def _overlap(a: CharSet, b: CharSet) -> bool:
    if a is EMPTY or b is EMPTY:
        return False
    return any(a[0](ch) and b[0](ch) for ch in _PROBES | a[1] | b[1])
