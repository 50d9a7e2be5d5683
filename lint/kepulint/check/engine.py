"""Run rules over a document and turn findings into diagnostics.

One Aho-Corasick automaton holds every rule's lexicon, so a document is scanned once
for all candidates; kinds then judge only around their own hits.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cached_property, lru_cache
from typing import Any

from ..kinds import kind_class
from ..kinds.base import Hit, Kind
from ..model import Diagnostic, Finding, Severity
from ..reading.context import Context
from ..reading.evidence import evidence
from ..rules.prefilter import LITERALS_MEMO, LiteralIndex
from ..rules.ruleset import Rule
from ..text.document import Document
from ..text.normalize import fold_term
from .advice import advise, help_for
from .fixes import fixes_for

LINE_KINDS_SKIPPING_REFERENCES = {"phrase", "proximity", "cooccurrence"}


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


def run_rules(doc: Document, rules: Sequence[Rule], compiled: CompiledRules,
              ctx: Context | None = None) -> list[Finding]:
    """Findings of ``rules`` on ``doc`` (original offsets)."""
    ctx = ctx or Context()
    codes = {r.code for r in rules}
    hits, literals = compiled.scan(doc.norm, codes)
    doc._cache[LITERALS_MEMO] = literals
    findings: list[Finding] = []
    refs: tuple[int, int] | None = None
    for rule in rules:
        kind = compiled.kinds[rule.code]
        produced = list(kind.check(doc, hits.get(rule.code, {}), ctx))
        if produced and rule.kind in LINE_KINDS_SKIPPING_REFERENCES and not rule.params.get("scan_references"):
            if refs is None:
                refs = _references_span(doc)
            produced = [f for f in produced if not refs[0] <= f.start < refs[1]]
        findings.extend(produced)
    return findings


def _references_span(doc: Document) -> tuple[int, int]:
    """Original offsets of the references list (empty when there is none): a claim, disclaimer
    or booking hook after the list is prose again (structure.py)."""
    from ..reading.structure import references_end

    folded = evidence(doc).references_start
    if folded >= len(doc.norm):
        return (len(doc.text), len(doc.text))
    end = references_end(doc, folded)
    return doc.offsets.to_orig(folded), doc.offsets.to_orig(end) if end < len(doc.norm) else len(doc.text)


@lru_cache(maxsize=1024)  # findings of one claim in one sentence share it (thousands on a hostile line)
def fingerprint(code: str, match: str, context: str) -> str:
    """Content-based fingerprint: survives edits elsewhere and moved paragraphs."""
    norm_match = "".join(fold_term(match).split())
    norm_ctx = "".join(context.split())
    return hashlib.sha256(f"{code}\x1f{norm_match}\x1f{norm_ctx}".encode()).hexdigest()[:20]


def to_diagnostics(doc: Document, findings: Iterable[Finding], rules: dict[str, Rule]) -> list[Diagnostic]:
    """Place findings in the file: lines, columns, matched text, fingerprints."""
    out: list[Diagnostic] = []
    seen: set[tuple[str, int, int, str]] = set()
    advice_memo: dict[tuple[object, ...], str] = {}  # findings of one claim share advice and fixes
    fixes_memo: dict[tuple[str, str, str], tuple[str, int, str] | None] = {}
    for f in findings:
        key = (f.code, f.start, f.end, f.message)
        if key in seen:
            continue
        seen.add(key)
        rule = rules[f.code]
        line, col = doc.lines.position(f.start)
        end_line, end_col = doc.lines.position(f.end)
        match = doc.text[f.start : f.end]
        message = f.message.replace("{match}", match)
        if f.notes:
            message += "（" + "；".join(f.notes) + "）"
        out.append(Diagnostic(
            path=doc.path, code=f.code, name=rule.name, severity=f.severity, message=message,
            line=line, column=col, end_line=end_line, end_column=end_col, match=match,
            help=help_for(rule, doc.profile), fingerprint=fingerprint(f.code, match, f.context), notes=f.notes,
            advice=advise(rule, doc.lines, f.start, f.end, doc.profile, f.context, doc.norm, advice_memo),
            fixes=fixes_for(rule, doc.lines, f.start, f.end, doc.profile, fixes_memo),
        ))
    out.sort(key=lambda d: d.sort_key)
    return out


def apply_overrides(diagnostics: list[Diagnostic], rules: dict[str, Rule],
                    overrides: dict[str, Severity]) -> list[Diagnostic]:
    """Configured severities: an override moves the rule's base level, and a context
    adjustment (a hedge lowering a finding one level) keeps its direction."""
    if not overrides:
        return diagnostics
    out = []
    for d in diagnostics:
        if d.code in overrides:
            shift = d.severity - rules[d.code].severity
            d = replace(d, severity=Severity(max(1, min(3, overrides[d.code] + shift))))
        out.append(d)
    return out
