"""Candidates: one scan of a document for every rule's lexicon and the regex prefilter literals.

The engine scans a document once (:meth:`CompiledRules.candidates`); each kind gets its rule's
share (:class:`RuleHits`: its hits by role, and the :class:`~kepulint.rules.prefilter.LiteralIndex`
its regexes are prefiltered with). A kind run on its own, in a unit test, gets the very same
input from :meth:`Candidates.build`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..rules.prefilter import LiteralIndex
from ..text.normalize import fold_term
from .hits import Hit, RuleHits

if TYPE_CHECKING:  # pragma: no cover
    from ..rules.ruleset import Rule
    from ..text.document import Document
    from .base import Kind, RulePattern

@dataclass(frozen=True)
class Candidates:
    """What one scan of a document found: lexicon hits (code -> role -> hits, in the order of
    their ends, longest first) and where the prefilter literals occur."""

    hits: Mapping[str, Mapping[str, list[Hit]]]
    literals: LiteralIndex
    pattern_hits: dict[str, list[Hit]] = field(default_factory=dict, repr=False)  # rules share regexes

    def for_rule(self, code: str) -> RuleHits:
        """The candidates of rule ``code``."""
        return RuleHits(self.hits.get(code, {}), self.literals, self.pattern_hits)

    @classmethod
    def build(cls, doc: Document, rules: Sequence[Rule]) -> Candidates:
        """The candidates of ``rules`` in ``doc``, as the engine would find them (for a kind run
        outside the engine)."""
        return CompiledRules(rules).candidates(doc, {r.code for r in rules})


class CompiledRules:
    """Kinds built for each rule plus the shared automaton (built once per rule set)."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        from . import kind_class

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

    def patterns(self) -> list[RulePattern]:
        """Every rule regex of the rule set, once per source, sorted by source."""
        found = {p.source: p for kind in self.kinds.values() for p in kind.rule_patterns()}
        return [found[k] for k in sorted(found)]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("automaton", None)  # a Rust object, not picklable; rebuilt in ~2 ms
        return state

    @cached_property
    def automaton(self) -> Any:
        import ahocorasick_rs

        return ahocorasick_rs.AhoCorasick([t[0] for t in self.terms], matchkind=ahocorasick_rs.MatchKind.Standard)

    def candidates(self, doc: Document, codes: set[str]) -> Candidates:
        """All lexicon hits in ``doc.norm`` for the rule ``codes``, and where the regex prefilter
        literals occur (one automaton pass)."""
        text = doc.norm
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
        plain = {code: dict(roles) for code, roles in hits.items()}  # a missing role is absent, not created
        return Candidates(plain, LiteralIndex(doc, found, self.char_literals))


def _automaton_order(hit: Hit) -> tuple[int, int]:
    return hit[1], hit[0]
