"""Chinese-aware context around a candidate: negation, question, debunk, hedge, booster.

Implements research §4.6 once, for every rule kind. Positions are offsets into
``Document.norm``. The vocabulary lives in ``data/context.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .document import Document
from .normalize import fold_term


def _alternation(words: list[str]) -> re.Pattern[str]:
    """Longest-first alternation of literal words (leftmost-longest on short windows)."""
    ordered = sorted({fold_term(w) for w in words}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered)) if ordered else re.compile(r"(?!x)x")


@dataclass(frozen=True)
class Vocabulary:
    """Compiled context vocabulary."""

    negation_window: int
    negation: re.Pattern[str]  # cues and false friends together; group name tells which
    false_friends: frozenset[str]
    evidential: re.Pattern[str]
    postfix: re.Pattern[str]
    contrast: re.Pattern[str]
    clause_breaks: str
    question_openers: re.Pattern[str]
    debunk: re.Pattern[str]
    falsity: re.Pattern[str]
    quotes: tuple[tuple[str, str], ...]
    hedge: re.Pattern[str]
    hedge_notes: re.Pattern[str]
    preclinical: re.Pattern[str]
    not_hedges: re.Pattern[str]
    booster: re.Pattern[str]
    publisher: re.Pattern[str]
    ad_label: re.Pattern[str]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Vocabulary:
        neg = data["negation"]
        return cls(
            negation_window=int(neg["window"]),
            negation=_alternation(neg["cues"] + neg["false_friends"]),
            false_friends=frozenset(fold_term(w) for w in neg["false_friends"]),
            evidential=re.compile(neg["evidential"]),
            postfix=re.compile(neg["postfix"]),
            contrast=_alternation(data["contrast"]),
            clause_breaks=data["clause_breaks"],
            question_openers=_alternation(data["question"]["openers"]),
            debunk=_alternation(data["debunk"]["cues"]),
            falsity=_alternation(data["debunk"]["falsity"]),
            quotes=tuple((q[0], q[1]) for q in data["debunk"]["quotes"]),
            hedge=_alternation(data["hedge"]["cues"]),
            hedge_notes=_alternation(data["hedge"]["notes"]),
            preclinical=_alternation(data["preclinical"]["cues"]),
            not_hedges=_alternation(data["hedge"]["not_hedges"]),
            booster=_alternation(data["booster"]["cues"]),
            publisher=_alternation(data["publisher"]["cues"]),
            ad_label=re.compile(data["ad_label"]["pattern"]),
        )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    from .data import load_yaml

    return Vocabulary.from_data(load_yaml("context.yaml"))


class Context:
    """Answers context questions about a span of a document."""

    def __init__(self, vocab: Vocabulary | None = None) -> None:
        self.v = vocab or vocabulary()

    # -- scopes -------------------------------------------------------------
    def clause_start(self, doc: Document, start: int) -> int:
        """Start of the clause holding ``start``: after the last break or contrast word."""
        sent_start, _ = doc.sentence_at(start)
        norm = doc.norm
        i = start - 1
        while i >= sent_start and norm[i] not in self.v.clause_breaks:
            i -= 1
        clause = i + 1
        last = None
        for m in self.v.contrast.finditer(norm, clause, start):
            last = m
        return last.end() if last else clause

    def clause_end(self, doc: Document, end: int) -> int:
        _, sent_end = doc.sentence_at(max(end - 1, 0))
        norm = doc.norm
        j = end
        while j < sent_end and norm[j] not in self.v.clause_breaks:
            j += 1
        return j

    # -- the five questions --------------------------------------------------
    def negation(self, doc: Document, start: int, end: int) -> str | None:
        """The negation cue governing the span, or None (double negation is positive)."""
        norm = doc.norm
        scope = self.clause_start(doc, start)
        lo = max(scope, start - self.v.negation_window)
        cues = [m.group() for m in self.v.negation.finditer(norm, lo, start)
                if m.group() not in self.v.false_friends]
        if len(cues) % 2 == 1:
            return cues[-1]
        sent_start, _ = doc.sentence_at(start)
        # long-range evidential negation, not across a contrast word
        prefix_start = sent_start
        for m in self.v.contrast.finditer(norm, sent_start, start):
            prefix_start = m.end()
        ev = self.v.evidential.search(norm, prefix_start, start)
        if ev:
            return ev.group()
        post = self.v.postfix.match(norm[end : self.clause_end(doc, end) + 1])
        if post:
            return post.group().strip()
        return None

    def question(self, doc: Document, start: int, end: int) -> bool:
        """True when the span is asked about, not asserted (…吗？, 能否…, 是否…)."""
        norm = doc.norm
        clause = self.clause_start(doc, start)
        if self.v.question_openers.search(norm, clause, start):
            return True
        sent_start, sent_end = doc.sentence_at(start)
        tail = norm[sent_start:sent_end].rstrip("”’」』)] ")
        if not tail.endswith("?"):
            return False
        return self.clause_end(doc, end) >= sent_start + len(tail) - 1

    def debunk(self, doc: Document, start: int, end: int) -> str | None:
        """A debunk frame (所谓, 号称, 谣言…) around the span, or None."""
        norm = doc.norm
        sent_start, _ = doc.sentence_at(start)
        cue = None
        for m in self.v.debunk.finditer(norm, sent_start, start):
            cue = m.group()
        if cue:
            return cue
        if self._quoted(norm, sent_start, start, end):
            # a quoted claim called false in its sentence or the next (“…”的说法。这是谣言。)
            _, next_end = doc.sentence_window(start, 0, 1)
            m = self.v.falsity.search(norm, sent_start, next_end)
            if m:
                return m.group()
        m = self.v.falsity.search(norm, end, min(self.clause_end(doc, end) + 1, end + 15))
        return m.group() if m else None

    def _quoted(self, norm: str, sent_start: int, start: int, end: int) -> bool:
        for open_q, close_q in self.v.quotes:
            left = norm.rfind(open_q, sent_start, start)
            if left < 0:
                continue
            if open_q == close_q:
                if norm.count(open_q, sent_start, start) % 2 == 0:
                    continue
            elif norm.rfind(close_q, left + 1, start) >= 0:
                continue
            right = norm.find(close_q, end, end + 40)
            if right >= 0:
                return True
        return False

    def hedge(self, doc: Document, start: int, end: int) -> str | None:
        """A hedge (有望, 可能, 初步…) in the span's clause, or an uncertainty note (尚需验证…)
        in its sentence; None when there is neither."""
        norm = doc.norm
        lo, hi = self.clause_start(doc, start), self.clause_end(doc, end)
        blocked = [m.span() for m in self.v.not_hedges.finditer(norm, lo, hi)]
        for m in self.v.hedge.finditer(norm, lo, hi):
            if not any(a <= m.start() < b for a, b in blocked):
                return m.group()
        sent_start, sent_end = doc.sentence_at(start)
        m = self.v.hedge_notes.search(norm, sent_start, sent_end)
        return m.group() if m else None

    def preclinical(self, doc: Document, start: int, end: int) -> str | None:
        """An animal or in-vitro marker that governs the span, or None: one in the span's clause,
        in a framing clause before it (在小鼠模型中，…), or elsewhere in its sentence when the
        span's clause brings in no human participant of its own (…逆转了小鼠的体重下降，且优于
        氟西汀). A clause that names people is a human claim: 这项实验治愈了小鼠，也为人类糖尿病的
        彻底根治铺平了道路."""
        from .structure import framing_clause_cue, names_humans  # clause scope (structure.py)

        lo, hi = self.clause_start(doc, start), self.clause_end(doc, end)
        m = self.v.preclinical.search(doc.norm, lo, hi)
        if m:
            return m.group()
        cue = framing_clause_cue(doc, lo, self.v.preclinical, self.v.clause_breaks)
        if cue or names_humans(doc.norm[lo:hi]):
            return cue
        sent_start, sent_end = doc.sentence_at(start)
        m = self.v.preclinical.search(doc.norm, sent_start, sent_end)
        return m.group() if m else None

    def booster(self, doc: Document, start: int, end: int) -> str | None:
        """A certainty booster (必将, 彻底, 100%…) just before the span, in its clause.

        A booster that is part of the matched term (彻底改写) is the claim itself and is
        not counted twice.
        """
        clause = self.clause_start(doc, start)
        m = None
        for m in self.v.booster.finditer(doc.norm, max(clause, start - 6), start):  # noqa: B007
            pass
        return m.group() if m else None

    # -- document flags --------------------------------------------------------
    def publisher(self, doc: Document) -> bool:
        """True when the draft promotes its publisher's own service (我院, 扫码预约…)."""
        return doc.memo("publisher", lambda d: self.v.publisher.search(d.norm) is not None)

    def ad_labelled(self, doc: Document) -> bool:
        """True when the draft is labelled as an advertisement (广告)."""
        def build(d: Document) -> bool:
            if str(d.front_matter.get("type", "")).lower() in {"ad", "advertisement", "广告"}:
                return True
            return self.v.ad_label.search(d.norm) is not None

        return doc.memo("ad_label", build)
