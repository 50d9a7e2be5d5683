"""Run rules over a document and turn findings into diagnostics.

One Aho-Corasick automaton holds every rule's lexicon, so a document is scanned once
for all candidates; kinds then judge only around their own hits.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from .context import Context
from .document import Document
from .evidence import evidence
from .kinds import kind_class
from .kinds.base import Hit, Kind
from .model import Diagnostic, Finding, Severity
from .normalize import fold_term
from .prefilter import LITERALS_MEMO
from .rules import Rule

LITERAL = "literal"
LINE_KINDS_SKIPPING_REFERENCES = {"phrase", "proximity", "cooccurrence"}


class CompiledRules:
    """Kinds built for each rule plus the shared automaton (built once per rule set)."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        import ahocorasick

        self.kinds: dict[str, Kind] = {r.code: kind_class(r.kind)(r) for r in rules}
        self.automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for code, kind in self.kinds.items():
            for role, terms in kind.lexicon().items():
                for term in terms:
                    folded = fold_term(term)
                    if folded and (code, role) not in entries[folded]:
                        entries[folded].append((code, role))
            for literal in kind.literals():  # regex prefilters (see prefilter.py)
                if ("", LITERAL) not in entries[literal]:
                    entries[literal].append(("", LITERAL))
        for term, payload in entries.items():
            self.automaton.add_word(term, (term, tuple(payload)))
        self.empty = not entries
        if not self.empty:
            self.automaton.make_automaton()

    def scan(self, text: str, codes: set[str]) -> tuple[dict[str, dict[str, list[Hit]]], dict[str, list[int]]]:
        """All lexicon hits in ``text`` for the given rule codes (code -> role -> hits), and
        where the regex prefilter literals occur in it (literal -> start offsets)."""
        hits: dict[str, dict[str, list[Hit]]] = defaultdict(lambda: defaultdict(list))
        literals: dict[str, list[int]] = defaultdict(list)
        if self.empty:
            return hits, literals
        for end, (term, payload) in self.automaton.iter(text):
            start = end - len(term) + 1
            for code, role in payload:
                if code in codes:
                    hits[code][role].append((start, end + 1, term))
                elif role == LITERAL:
                    literals[term].append(start)
        return hits, literals


def run_rules(doc: Document, rules: Sequence[Rule], compiled: CompiledRules,
              ctx: Context | None = None) -> list[Finding]:
    """Findings of ``rules`` on ``doc`` (original offsets)."""
    ctx = ctx or Context()
    codes = {r.code for r in rules}
    hits, literals = compiled.scan(doc.norm, codes)
    doc._cache[LITERALS_MEMO] = literals
    findings: list[Finding] = []
    refs_start = None
    for rule in rules:
        kind = compiled.kinds[rule.code]
        produced = list(kind.check(doc, hits.get(rule.code, {}), ctx))
        if produced and rule.kind in LINE_KINDS_SKIPPING_REFERENCES and not rule.params.get("scan_references"):
            if refs_start is None:
                folded = evidence(doc).references_start
                refs_start = doc.offsets.to_orig(folded) if folded < len(doc.norm) else len(doc.text)
            produced = [f for f in produced if f.start < refs_start]
        findings.extend(produced)
    return findings


def fingerprint(code: str, match: str, context: str) -> str:
    """Content-based fingerprint: survives edits elsewhere and moved paragraphs."""
    norm_match = "".join(fold_term(match).split())
    norm_ctx = "".join(context.split())
    return hashlib.sha256(f"{code}\x1f{norm_match}\x1f{norm_ctx}".encode()).hexdigest()[:20]


def to_diagnostics(doc: Document, findings: Iterable[Finding], rules: dict[str, Rule]) -> list[Diagnostic]:
    """Place findings in the file: lines, columns, matched text, fingerprints."""
    out: list[Diagnostic] = []
    seen: set[tuple[str, int, int, str]] = set()
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
            help=rule.help, fingerprint=fingerprint(f.code, match, f.context), notes=f.notes,
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
