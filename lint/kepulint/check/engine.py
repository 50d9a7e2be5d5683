"""Run rules over a document and turn findings into diagnostics.

One Aho-Corasick automaton holds every rule's lexicon, so a document is scanned once for all
candidates (:class:`~kepulint.kinds.candidates.Candidates`); each kind then judges only around its
own hits, and says itself what the engine must know of it (``skips_references``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from ..kinds.candidates import CompiledRules
from ..model import Diagnostic, Finding, Severity
from ..reading.context import Context
from ..reading.evidence import evidence
from ..rules.ruleset import Rule
from ..text.document import Document
from ..text.normalize import fold_term
from .advice import advise
from .fixes import fixes_for

__all__ = ["CompiledRules", "apply_overrides", "fingerprint", "run_rules", "to_diagnostics"]


def run_rules(doc: Document, rules: Sequence[Rule], compiled: CompiledRules,
              ctx: Context | None = None) -> list[Finding]:
    """Findings of ``rules`` on ``doc`` (original offsets)."""
    ctx = ctx or Context()
    candidates = compiled.candidates(doc, {r.code for r in rules})
    findings: list[Finding] = []
    refs: tuple[int, int] | None = None
    for rule in rules:
        kind = compiled.kinds[rule.code]
        produced = list(kind.check(doc, candidates.for_rule(rule.code), ctx))
        if produced and kind.skips_references:
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
            fingerprint=fingerprint(f.code, match, f.context), notes=f.notes,
            advice=advise(rule, doc.lines, f.start, f.end, doc.profile, f.context, doc.norm, advice_memo),
            fixes=fixes_for(rule, doc.lines, f.start, f.end, doc.profile, fixes_memo),
            document_level=f.document_level,
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
