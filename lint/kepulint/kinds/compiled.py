"""Every rule's kind built once, and the one Aho-Corasick automaton over all their lexicons.

:class:`CompiledRules` is what a rule set compiles to (kept in the rule cache beside the
rules): ``scan`` finds every rule's candidates in one pass, and the engine
(:mod:`kepulint.check.engine`) hands each kind its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from ..rules.prefilter import LiteralIndex
from ..rules.ruleset import Rule
from ..text.normalize import fold_term
from . import kind_class
from .base import Hit, Kind


class CompiledRules:
    """Kinds built for each rule plus the shared automaton (built once per rule set)."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.kinds: dict[str, Kind] = {r.code: kind_class(r.kind)(r) for r in rules}
        entries: dict[str, list[tuple[str, str]]] = defaultdict(list)
        literals: set[str] = set()
        for code, kind in self.kinds.items():
            for role, terms in kind.lexicon().items():
                for term in terms:
                    folded = fold_term(term)
                    if folded and (code, role) not in entries[folded]:
                        entries[folded].append((code, role))
            literals.update(kind.literals())  # regex prefilters (see prefilter.py)
        # one-character literals (digits, 人, 期…) are frequent: str.count/find answer for
        # them faster than reporting every occurrence from the automaton
        self.char_literals = frozenset(lit for lit in literals if len(lit) == 1)
        for literal in literals - self.char_literals:
            entries.setdefault(literal, [])
        # the automaton reports indexes into self.terms: (term, (code, role) pairs, is literal)
        self.terms = [(term, tuple(payload), term in literals) for term, payload in entries.items()]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("automaton", None)  # a Rust object, not picklable; rebuilt in ~2 ms
        return state

    @cached_property
    def automaton(self) -> Any:
        import ahocorasick_rs

        return ahocorasick_rs.AhoCorasick([t[0] for t in self.terms], matchkind=ahocorasick_rs.MatchKind.Standard)

    def scan(self, text: str, codes: set[str]) -> tuple[dict[str, dict[str, list[Hit]]], LiteralIndex]:
        """All lexicon hits in ``text`` for the given rule codes (code -> role -> hits, in
        the order of their ends, longest first), and where the regex prefilter literals occur."""
        hits: dict[str, dict[str, list[Hit]]] = defaultdict(lambda: defaultdict(list))
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        if self.terms:
            for index, start, end in self.automaton.find_matches_as_indexes(text, overlapping=True):
                spans[index].append((start, end))
        found: dict[str, list[int]] = {}
        touched: set[tuple[str, str]] = set()
        for index, term_spans in spans.items():
            term, payload, is_literal = self.terms[index]
            if is_literal:
                found[term] = [start for start, _ in term_spans]
            for code, role in payload:
                if code in codes:
                    hits[code][role].extend((start, end, term) for start, end in term_spans)
                    touched.add((code, role))
        for code, role in touched:
            hits[code][role].sort(key=_automaton_order)
        return hits, LiteralIndex(text, found, self.char_literals)


def _automaton_order(hit: Hit) -> tuple[int, int]:
    return hit[1], hit[0]
