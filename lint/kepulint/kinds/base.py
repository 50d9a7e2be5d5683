"""What every kind shares: term groups, rule regexes and the context judgement.

A kind reads its params as ``schemas/params-<kind>.schema.json`` says they are: the rule
loader has validated them (:mod:`kepulint.rules.validation`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from ..model import Finding, Severity
from ..reading.context import Context
from ..reading.genre import genre_of
from ..reading.voice import Offer, silenced
from ..rules.prefilter import LiteralIndex, matches_at
from ..rules.regex_literals import (
    CaseInsensitive,
    fast_start,
    literal_gates,
    max_width,
    required_literals,
    source_start_literals,
)
from ..rules.ruleset import Rule
from ..text.document import Document
from .hits import Hit, RuleHits

Hits = RuleHits  # a rule's candidates: role -> hits, with the document's literal index

CONTEXT_DEFAULTS = {
    "negation": "suppress",
    "question": "suppress",
    "debunk": "suppress",
    "hedge": "ignore",
    "booster": "ignore",
    "citation": "ignore",
    "publisher_ignores_hedge": False,
    "publisher_ignores_citation": False,
    "ad_label": "ignore",
    "preclinical": "ignore",
    "reported": "suppress",  # genre and voice (voice.py): a claim a news report, notice or fact-check reports
    "furniture": "suppress",  # page furniture (view counters, bylines, share prompts) is not prose
}


_COMPILED: dict[str, re.Pattern[str]] = {}  # a cache: each rule regex compiled once per process


def compiled(pattern: str) -> re.Pattern[str]:
    """``re.compile`` once per process (rules share patterns; nothing is compiled unneeded)."""
    found = _COMPILED.get(pattern)
    if found is None:
        found = _COMPILED[pattern] = re.compile(pattern)
    return found


def is_compiled(pattern: str) -> bool:
    """True when :func:`compiled` has already paid for ``pattern`` in this process."""
    return pattern in _COMPILED


def compile_patterns(patterns: list[str], where: str) -> list[re.Pattern[str]]:
    """Compile regexes from a rule file; a bad one raises ValueError naming ``where``."""
    out = []
    for i, p in enumerate(patterns):
        try:
            out.append(re.compile(p))
        except re.error as exc:
            raise ValueError(f"/{where}/{i}: regex does not compile: {exc}") from None
    return out


@dataclass
class Verdict:
    """The outcome of judging a candidate in context."""

    severity: Severity | None  # None: suppressed
    notes: tuple[str, ...] = ()
    reason: str = ""  # why it was suppressed (for debugging and tests)


class Kind:
    """Base class: subclasses implement :meth:`check` and, when they have terms, :meth:`lexicon`."""

    #: Findings in the references list are dropped unless the rule says ``scan_references: true``:
    #: a kind that judges sentences (a claim, a source) sets this; one that judges the whole
    #: document (a required disclaimer) does not.
    reads_sentences: ClassVar[bool] = False

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.params = rule.params
        self.context_opts = {**CONTEXT_DEFAULTS, **self.params.get("context", {})}

    def lexicon(self) -> dict[str, list[str]]:
        """Terms to find with the shared automaton, by role (none by default)."""
        return {}

    def literals(self) -> set[str]:
        """Prefilter literals of every term group this kind built (see :mod:`kepulint.rules.prefilter`).

        Called after :meth:`lexicon`, which builds the groups.
        """
        return {lit for group in _term_groups(vars(self)) for lit in group.literals()}

    def rule_patterns(self) -> list[RulePattern]:
        """Every rule regex this kind built (after :meth:`lexicon`), its term groups' included."""
        found = {id(p): p for p in _reachable(vars(self), RulePattern, limit=6)}
        for group in _term_groups(vars(self)):
            found.update((id(p), p) for p in (*group.patterns, *group.exception_patterns))
        return list(found.values())

    def check(self, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
        """The rule's findings in ``doc``, from its candidates ``hits`` (the engine's, or
        ``Candidates.build(doc, [rule]).for_rule(code)``) and the shared context judgement."""
        raise NotImplementedError

    @property
    def skips_references(self) -> bool:
        """Whether the engine drops this rule's findings inside the references list."""
        return self.reads_sentences and not self.params.get("scan_references")

    @property
    def chunk_edges_only(self) -> bool:
        """Whether the rule is judged only on the first and last chunks of a file too big to lint
        at once (where a document opens and closes); see :mod:`kepulint.check.chunks`."""
        return False

    @cached_property
    def offer(self) -> Offer | None:
        """The rule's commerce words (``offer_only``), which count only when offered (voice.py)."""
        return Offer.of(self.params.get("offer_only"))

    # -- helpers for subclasses -------------------------------------------------
    def finding(self, doc: Document, start: int, end: int, severity: Severity, *,
                notes: tuple[str, ...] = (), message: str | None = None) -> Finding:
        """A finding at folded span [start, end), mapped to original offsets."""
        o_start, o_end = doc.to_orig_span(start, end)
        return Finding(
            code=self.rule.code,
            start=o_start,
            end=o_end,
            severity=severity,
            message=message or self.rule.message_for(doc.profile),
            notes=notes,
            context=fingerprint_context(doc, start),
        )

    def judge(self, doc: Document, start: int, end: int, ctx: Context, *,
              cited: bool | Callable[[], bool] = False) -> Verdict:
        """Apply negation, question, debunk, hedge, booster and citation handling.

        ``cited`` may be a callable, asked only when the other checks leave a finding.
        """
        o = self.context_opts
        sev = self.rule.severity
        notes: list[str] = []
        if o["negation"] == "suppress":
            cue = ctx.negation(doc, start, end)
            if cue:
                return Verdict(None, reason=f"negated by {cue}")
        if o["question"] == "suppress" and ctx.question(doc, start, end):
            return Verdict(None, reason="question")
        if o["debunk"] == "suppress":
            cue = ctx.debunk(doc, start, end)
            if cue:
                return Verdict(None, reason=f"debunked by {cue}")
        # genre, voice and page furniture (voice.py)
        why = silenced(doc, start, end, o, self.offer, self.rule.code, genre_of)
        if why:
            return Verdict(None, reason=why)
        if o["preclinical"] == "suppress":
            cue = ctx.preclinical(doc, start, end)
            if cue:
                return Verdict(None, reason=f"about a preclinical model ({cue})")
        if o["ad_label"] == "suppress" and ctx.ad_labelled(doc):
            return Verdict(None, reason="labelled as advertisement")
        publisher = None
        if o["hedge"] != "ignore":
            hedge = ctx.hedge(doc, start, end)
            if hedge:
                publisher = ctx.publisher(doc) if o["publisher_ignores_hedge"] else False
                if publisher:
                    notes.append(f"“{hedge}”不降级：本文推广发布者自身服务")
                elif o["hedge"] == "suppress":
                    return Verdict(None, reason=f"hedged by {hedge}")
                else:
                    sev = sev.lowered()
                    notes.append(f"含保留语“{hedge}”，降为{sev.label}")
        if o["booster"] != "ignore":
            boost = ctx.booster(doc, start, end)
            if boost:
                if o["booster"] == "upgrade" and sev < Severity.ERROR:
                    sev = sev.raised()
                    notes.append(f"含强化词“{boost}”，升为{sev.label}")
                else:
                    notes.append(f"含强化词“{boost}”")
        if o["citation"] != "ignore" and (cited() if callable(cited) else cited):
            if publisher is None:
                publisher = ctx.publisher(doc) if o["publisher_ignores_citation"] else False
            if publisher and o["publisher_ignores_citation"]:
                notes.append("引用不降级：本文推广发布者自身服务")
            elif o["citation"] == "suppress":
                return Verdict(None, reason="cited")
            else:
                sev = sev.lowered()
                notes.append(f"附近有引用来源，降为{sev.label}")
        return Verdict(sev, tuple(notes))


FINGERPRINT_CONTEXT = 1000  # a longer sentence counts by its first and last half of this


def fingerprint_context(doc: Document, pos: int) -> str:
    """The sentence holding ``pos``, as a finding's fingerprint sees it: the sentence itself, or
    for one over :data:`FINGERPRINT_CONTEXT` characters (a line with no punctuation) its first
    and last 500, so that thousands of findings in one long line do not each copy and hash it.
    One string per sentence, shared by its findings."""
    s_start, s_end = doc.sentence_at(pos)
    memo: dict[int, str] = doc.memo("fingerprint-contexts", lambda d: {})
    text = memo.get(s_start)
    if text is None:
        half = FINGERPRINT_CONTEXT // 2
        norm = doc.norm
        text = norm[s_start:s_end] if s_end - s_start <= FINGERPRINT_CONTEXT \
            else norm[s_start : s_start + half] + norm[s_end - half : s_end]
        memo[s_start] = text
    return text  # type: ignore[no-any-return]


def _term_groups(value: Any) -> Iterator[TermGroup]:
    """Every TermGroup reachable from ``value`` (attributes, dicts, lists), shallowly."""
    return _reachable(value, TermGroup)


def _reachable(value: Any, cls: type[Any], depth: int = 0, limit: int = 4) -> Iterator[Any]:
    """Every ``cls`` instance reachable from ``value`` (attributes, dicts, lists) within ``limit`` steps."""
    if isinstance(value, cls):
        yield value
    elif depth < limit:
        if isinstance(value, Mapping):
            items: Any = value.values()
        elif isinstance(value, (list, tuple)):
            items = value
        elif hasattr(value, "__dict__") and not isinstance(value, (Rule, type)):
            items = vars(value).values()
        else:
            return
        for item in items:
            yield from _reachable(item, cls, depth + 1, limit)


def drop_covered(hits: list[Hit], covers: list[Hit]) -> list[Hit]:
    """Hits not lying inside any cover span (longest-match exceptions: 治愈率 covers 治愈).

    A cover with exactly the hit's span removes it too, so an exception pattern may use a
    lookahead (``第一(?=型)``).
    """
    if not covers:
        return hits
    covers = sorted(covers)
    starts = [c[0] for c in covers]
    longest = max(c[1] - c[0] for c in covers)
    kept = []
    for h in hits:
        i = bisect_right(starts, h[0]) - 1
        covered = False
        while i >= 0 and starts[i] >= h[0] - longest:
            c = covers[i]
            if c[1] >= h[1]:
                covered = True
                break
            i -= 1
        if not covered:
            kept.append(h)
    return kept


def dedupe_overlaps(hits: list[Hit]) -> list[Hit]:
    """Keep the longest of overlapping hits, leftmost first (彻底治愈 over 治愈)."""
    out: list[Hit] = []
    for h in sorted(hits, key=lambda h: (h[0], -(h[1] - h[0]))):
        if out and h[0] < out[-1][1]:
            if h[1] - h[0] > out[-1][1] - out[-1][0]:
                out[-1] = h
            continue
        out.append(h)
    return out


class TermGroup:
    """A lexicon group from rule params: terms (+ Traditional-only), regexes, exceptions.

    ``spec`` keys: ``terms``, ``terms_traditional``, ``patterns``, ``exceptions``,
    ``exception_patterns``, and ``word_boundary: jieba`` to keep only hits that start and
    end on jieba word boundaries (see :mod:`kepulint.text.wordseg`). Automaton roles are
    ``role`` and ``role + "!x"``.
    """

    def __init__(self, spec: Mapping[str, Any] | None, role: str) -> None:
        spec = spec or {}
        self.role = role
        self.terms = list(spec.get("terms", [])) + list(spec.get("terms_traditional", []))
        self.exceptions = list(spec.get("exceptions", []))
        # regex sources with their literal prefilters; compiled on first use (see prefilter.py)
        self.patterns = [RulePattern.of(p) for p in spec.get("patterns", [])]
        self.exception_patterns = [RulePattern.of(p) for p in spec.get("exception_patterns", [])]
        self.word_boundary = spec.get("word_boundary")  # None or "jieba" (the params schemas)

    def __bool__(self) -> bool:
        return bool(self.terms or self.patterns)

    def literals(self) -> set[str]:
        """Prefilter literals of this group's regexes (scanned by the engine's automaton)."""
        return {lit for p in (*self.patterns, *self.exception_patterns) for lit in p.scanned}

    def lexicon(self) -> dict[str, list[str]]:
        out = {}
        if self.terms:
            out[self.role] = self.terms
        if self.exceptions:
            out[self.role + "!x"] = self.exceptions
        return out

    def find(self, doc: Document, hits: Hits) -> list[Hit]:
        """Hits of this group in ``doc``: longest match, exceptions removed, sorted."""
        found = list(hits.get(self.role, []))
        for pattern in self.patterns:
            found.extend(h for h in pattern_hits(doc, pattern, hits) if h[1] > h[0])
        if not found:
            return []
        found = list(dict.fromkeys(found))  # windows may overlap at their edges
        covers = list(hits.get(self.role + "!x", []))
        for pattern in self.exception_patterns:
            covers.extend(pattern_hits(doc, pattern, hits))
        kept = dedupe_overlaps(drop_covered(found, covers))
        if self.word_boundary == "jieba" and kept:
            from ..text.wordseg import on_word_boundaries

            kept = [h for h in kept if on_word_boundaries(doc.norm, h[0], h[1])]
        return kept


@dataclass(frozen=True)
class RulePattern:
    """A rule regex with what its analysis says (once per rule set, kept in the rule-set cache):
    ``literals``, the prefilter set its search windows come from; ``gates``, every literal set
    a match needs (``literals`` first; none for case-insensitive patterns, gated on
    ``literals`` alone); ``fast``, whether ``re`` searches it quickly over a whole draft;
    ``starts``, literals every match starts with (None when unknown), so that it can be tried
    only where one of them occurs."""

    source: str
    literals: frozenset[str] | None
    gates: tuple[frozenset[str], ...]
    fast: bool
    starts: frozenset[str] | None = None
    width: int | None = None  # the widest match, when it is short and there are several gates

    @classmethod
    def of(cls, source: str) -> RulePattern:
        literals = required_literals(source)
        if isinstance(literals, CaseInsensitive):
            gates: tuple[frozenset[str], ...] = ()
        else:
            gates = tuple(dict.fromkeys((literals, *literal_gates(source)) if literals else literal_gates(source)))
        fast = fast_start(source)
        try:
            width = max_width(source) if len(gates) > 1 else None
        except (OverflowError, re.error):
            width = None
        return cls(source, literals, gates, fast, None if fast else source_start_literals(source),
                   width if width is not None and width <= MAX_GATED_WIDTH else None)

    @property
    def scanned(self) -> set[str]:
        """The literals the engine's automaton must report for this pattern."""
        return {lit for gate in self.gates for lit in gate} | (self.starts or set())

    def possible(self, literals: LiteralIndex) -> bool:
        """False when the document's literal scan proved a literal set every match needs is absent."""
        if isinstance(self.literals, CaseInsensitive):
            return literals.may_match(self.literals)
        present = literals.present
        for gate in self.gates:  # a loop, not a generator: ~180 calls per draft
            if present.isdisjoint(gate):
                return False
        # a short match holds a literal of each gate: they must stand that close somewhere. That
        # proof only saves compiling the regex (start-up): once compiled, searching is cheaper
        return self.width is None or is_compiled(self.source) or literals.near(self.gates, self.width)


MAX_GATED_WIDTH = 2000  # patterns whose matches are at most this wide are gated on their literals' distance
ANCHORED_SPACING = 100  # try a pattern at its start literals when they are at most 1 per 100 characters


def pattern_hits(doc: Document, pattern: RulePattern, hits: RuleHits) -> list[Hit]:
    """Matches of a rule regex in ``doc.norm``, searched only where its literals make a
    match possible (see :mod:`kepulint.rules.prefilter`); kept with the document's candidates,
    since rules share patterns. :func:`pattern_hits_plain` is the plain search it must equal."""
    memo = hits.pattern_hits
    found = memo.get(pattern.source)
    if found is None:
        found = []
        index = hits.literals
        if pattern.possible(index):
            regex, norm = compiled(pattern.source), doc.norm
            if pattern.fast:
                found = [(m.start(), m.end(), m.group()) for m in regex.finditer(norm)]
            elif pattern.starts and index.count(pattern.starts) * ANCHORED_SPACING <= len(norm):
                found = _anchored(regex, norm, index.starts_of(pattern.starts))
            else:
                for lo, hi in index.search_windows(pattern.literals):
                    found.extend((m.start(), m.end(), m.group()) for m in regex.finditer(norm, lo, hi))
        memo[pattern.source] = found
    return found


def pattern_hits_plain(doc: Document, pattern: RulePattern) -> list[Hit]:
    """The reference for :func:`pattern_hits`: ``finditer`` over the whole folded text."""
    return [(m.start(), m.end(), m.group()) for m in compiled(pattern.source).finditer(doc.norm)]


def _anchored(regex: re.Pattern[str], norm: str, starts: list[int]) -> list[Hit]:
    """What ``regex.finditer(norm)`` finds, given the sorted offsets every match starts at."""
    return [(m.start(), m.end(), m.group()) for m in matches_at(regex, norm, starts)]


def any_within(starts: list[int], lo: int, hi: int) -> bool:
    """True when some sorted start lies in [lo, hi)."""
    i = bisect_right(starts, lo - 1)
    return i < len(starts) and starts[i] < hi
