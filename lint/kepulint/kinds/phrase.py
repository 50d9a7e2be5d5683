"""``phrase``: a lexicon (and regexes) judged in context.

params:
  terms: [治愈, 根治, …]            # Simplified; Traditional text is folded before matching
  terms_traditional: [治癒, 收案中]  # extra Traditional wording (folded at load)
  patterns: ['有效率(?:达|为|高达)?\\d+%']   # regexes on folded text
  exceptions: [治愈率, …]            # a hit inside one of these is not a hit (longest match)
  exception_patterns: ['第一[型次步]']
  word_boundary: jieba               # optional: keep only hits on jieba word boundaries
  requires: {pattern: '\\d', window: 12}   # only fire when this regex is within N chars (same sentence)
  suggestions: {治愈: 改善症状}        # shown with the diagnostic
  context: {negation: suppress, question: suppress, debunk: suppress, hedge: downgrade, …}
  cited_window: {before: 0, after: 1}   # sentences searched for a citation (context.citation)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Any

from ..model import Finding
from ..reading.context import Context
from ..reading.evidence import evidence
from ..text.document import Document
from ..text.matchindex import index_of
from .base import Hits, Kind, TermGroup, check_group


class Phrase(Kind):
    reads_sentences = True  # a claim in the references list is a cited title, not the article's

    @classmethod
    def validate(cls, params: Mapping[str, Any]) -> str | None:
        if not params.get("terms") and not params.get("patterns"):
            return ": a phrase rule needs terms or patterns"
        problem = check_group(params)
        if problem:
            return problem
        try:
            TermGroup.checked(params, "trigger")
        except ValueError as exc:
            return str(exc)
        req = params.get("requires")
        if req is not None:
            try:
                re.compile(req["pattern"])
            except (re.error, KeyError, TypeError) as exc:
                return f"/requires/pattern: {exc}"
            if not isinstance(req.get("window", 12), int):
                return "/requires/window: must be a whole number of characters"
        window = params.get("cited_window")
        if window is not None and (not isinstance(window, dict)
                                   or not all(isinstance(window.get(k, 0), int) for k in ("before", "after"))):
            return "/cited_window: must be a mapping {before: N, after: N} of whole numbers of sentences"
        return super().validate(params)

    @cached_property
    def trigger(self) -> TermGroup:
        return TermGroup(self.params, "trigger")

    def lexicon(self) -> dict[str, list[str]]:
        return self.trigger.lexicon()

    @cached_property
    def requires(self) -> tuple[re.Pattern[str], int] | None:
        req = self.params.get("requires")
        return (re.compile(req["pattern"]), int(req.get("window", 12))) if req else None

    def check(self, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
        wants_citation = self.context_opts["citation"] != "ignore"
        window = self.params.get("cited_window", {"before": 0, "after": 1})
        for start, end, _term in self.trigger.find(doc, hits):
            if self.requires and not self._has_required(doc, start, end):
                continue
            cited = (lambda s=start: evidence(doc).cited_near(s, **window)) if wants_citation else False
            verdict = self.judge(doc, start, end, ctx, cited=cited)
            if verdict.severity is None:
                continue
            yield self.finding(doc, start, end, verdict.severity, notes=verdict.notes)

    def _has_required(self, doc: Document, start: int, end: int) -> bool:
        assert self.requires is not None
        pat, width = self.requires
        s_start, s_end = doc.sentence_at(start)
        lo, hi = max(s_start, start - width), min(s_end, end + width)
        return index_of(doc._cache, pat, doc.norm).first(lo, hi) is not None


KIND = Phrase
