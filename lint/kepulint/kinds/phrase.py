"""``phrase``: a lexicon (and regexes) judged in context.

params:
  terms: [治愈, 根治, …]            # Simplified; Traditional text is folded before matching
  terms_traditional: [治癒, 收案中]  # extra Traditional wording (folded at load)
  patterns: ['有效率(?:达|为|高达)?\\d+%']   # regexes on folded text
  exceptions: [治愈率, …]            # a hit inside one of these is not a hit (longest match)
  exception_patterns: ['第一[型次步]']
  word_boundary: jieba               # optional: keep only hits on jieba word boundaries
  near: {pattern: '\\d', before: 12, after: 0}   # only fire with this regex within `before`/`after`
                                     # characters of the hit, same sentence (kinds/nearby.py;
                                     # kepulint 0.1's `requires: {pattern, window}` is read as near)
  suggestions: {治愈: 改善症状}        # shown with the diagnostic
  context: {negation: suppress, question: suppress, debunk: suppress, hedge: downgrade, …}
  cited_window: {before: 0, after: 1}   # sentences searched for a citation (context.citation)
  offer_only: {terms: [疗程, 费用]}     # commerce words that count only when offered (voice.py)
  scan_references: false             # true: also report hits inside the reference list

The params are validated by ``schemas/params-phrase.schema.json`` (``kepulint schema rule``).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

from ..model import Finding
from ..reading.context import Context
from ..reading.evidence import evidence
from ..text.document import Document
from . import nearby
from .base import Hits, Kind, TermGroup


class Phrase(Kind):
    reads_sentences = True  # a claim in the references list is a cited title, not the article's

    @cached_property
    def trigger(self) -> TermGroup:
        return TermGroup(self.params, "trigger")

    def lexicon(self) -> dict[str, list[str]]:
        return self.trigger.lexicon()

    @cached_property
    def near(self) -> nearby.Condition | None:
        return nearby.condition(self.params.get("near"), nearby.NEAR_BEFORE, nearby.NEAR_AFTER)

    def check(self, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
        wants_citation = self.context_opts["citation"] != "ignore"
        window = self.params.get("cited_window", {"before": 0, "after": 1})
        for hit in self.trigger.find(doc, hits):
            start, end, _term = hit
            if self.near and not nearby.near(doc, hit, self.near):
                continue
            cited = (lambda s=start: evidence(doc).cited_near(s, **window)) if wants_citation else False
            verdict = self.judge(doc, start, end, ctx, cited=cited)
            if verdict.severity is None:
                continue
            yield self.finding(doc, start, end, verdict.severity, notes=verdict.notes)


KIND = Phrase
