"""Chinese-aware context around a candidate: negation, question, debunk, hedge, booster.

Implements research §4.6 once, for every rule kind. Positions are offsets into
``Document.norm``. The vocabulary lives in ``data/context.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..text import matchindex
from ..text.document import Document
from ..text.matchindex import MatchIndex
from ..text.normalize import fold_term
from ..text.segment import Boundaries
from .structure import framing_clause_cue, names_humans  # clause scope


def _memo(doc: Document, key: str) -> dict[Any, Any]:
    """The document's memo dict ``key`` (made on first use)."""
    return doc.memo(key, lambda d: {})  # type: ignore[no-any-return]


def _alternation(words: list[str]) -> re.Pattern[str]:
    """Longest-first alternation of literal words (leftmost-longest on short windows)."""
    ordered = sorted({fold_term(w) for w in words}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered)) if ordered else re.compile(r"(?!x)x")


def _unanchored(pattern: str) -> re.Pattern[str] | None:
    """``pattern`` without its leading "^" (the same matches with ``match(text, pos)`` as on
    ``text[pos:]``), or None when it has other anchors or lookbehinds that would tell the two apart."""
    if not pattern.startswith("^"):
        return None
    rest = pattern[1:]
    if re.search(r"(?<!\[)\^|\\[bBA]|\(\?<", rest):
        return None
    return re.compile(rest)


@dataclass(frozen=True)
class Vocabulary:
    """Compiled context vocabulary."""

    negation_window: int
    negation: re.Pattern[str]  # cues and false friends together; group name tells which
    false_friends: frozenset[str]
    evidential: re.Pattern[str]
    postfix: re.Pattern[str]
    postfix_at: re.Pattern[str] | None  # postfix without its leading "^", for match(norm, pos)
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
            postfix_at=_unanchored(neg["postfix"]),
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


def _next_unblocked(hedges: MatchIndex, blockers: MatchIndex) -> list[int]:
    """For each full-scan hedge (and one past the last), the index of the first hedge from
    there on that does not start inside a full-scan non-hedge."""
    n = len(hedges.starts)
    out = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        pos = hedges.starts[i]
        k = bisect_right(blockers.starts, pos) - 1
        out[i] = out[i + 1] if k >= 0 and blockers.ends[k] > pos else i
    return out


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    from ..data import load_yaml

    return Vocabulary.from_data(load_yaml("context.yaml"))


class Context:
    """Answers context questions about a span of a document."""

    def __init__(self, vocab: Vocabulary | None = None) -> None:
        self.v = vocab or vocabulary()
        self._indexed: Document | None = None
        self._indexes: dict[str, MatchIndex] = {}
        self._absent: dict[tuple[str, int], bool] = {}  # (pattern name, sentence start) -> none there
        # memo name -> (doc, position, answer) of the last question: the candidate at hand asks up to four times
        self._last_asked: dict[str, tuple[Document, int, int]] = {}

    # -- indexes (built once per document, on demand) ----------------------------------
    def boundaries(self, doc: Document) -> Boundaries:
        """The document's sentence and clause boundaries (see :class:`~kepulint.text.segment.Boundaries`)."""
        breaks = self.v.clause_breaks
        return doc.memo("context-boundaries", lambda d: Boundaries.of(d.norm, d.sentences, breaks))  # type: ignore[no-any-return]

    def _index(self, doc: Document, name: str) -> MatchIndex:
        """The :class:`~kepulint.text.matchindex.MatchIndex` of vocabulary pattern ``name`` in ``doc``
        (kept here too for the document at hand: a candidate's checks ask for nine)."""
        if self._indexed is not doc:
            self._indexed, self._indexes, self._absent = doc, {}, {}
        index = self._indexes.get(name)
        if index is None:
            index = self._indexes[name] = doc.matches(getattr(self.v, name))
        return index

    def _none_in(self, doc: Document, name: str, lo: int, hi: int) -> bool:
        """True when the sentence holding ``lo:hi`` has no match of vocabulary pattern ``name``, so
        that no query inside it can find one (answered once per sentence: its candidates share it).

        A match found in a range overlaps one of the full scan's (see :mod:`~kepulint.text.matchindex`),
        so a sentence that no full-scan match overlaps holds none. False when unsure."""
        index = self._index(doc, name)
        s_lo, s_hi = doc.sentence_at(hi)  # queries end at the candidate: its sentence is at hand
        if not s_lo <= lo <= hi <= s_hi:
            return False
        key = (name, s_lo)
        found = self._absent.get(key)
        if found is None:
            if index.full_scan(0, 0):
                k = bisect_right(index.ends, s_lo)
                found = k == len(index.starts) or index.starts[k] >= s_hi
            else:
                found = False
            self._absent[key] = found
        return found

    def _quote_positions(self, doc: Document) -> dict[str, list[int]]:
        """Sorted offsets of each quote character (quotes are one character each)."""
        def build(d: Document) -> dict[str, list[int]]:
            chars = {c for pair in self.v.quotes for c in pair}
            out: dict[str, list[int]] = {c: [] for c in chars}
            if chars:
                for m in re.finditer(f"[{re.escape(''.join(sorted(chars)))}]", d.norm):
                    out[m.group()].append(m.start())
            return out

        return doc.memo("context-quotes", build)

    def _sentence_tail(self, doc: Document, sent_start: int, sent_end: int) -> tuple[int, bool]:
        """Length of the sentence without closing quotes, brackets and spaces, and whether it
        then ends with "?" (memoised per sentence)."""
        tails = doc.memo("context-tails", lambda d: {})
        tail = tails.get(sent_start)
        if tail is None or tail[0] != sent_end:
            text = doc.norm[sent_start:sent_end].rstrip("”’」』)] ")
            tail = tails[sent_start] = (sent_end, len(text), text.endswith("?"))
        return tail[1], tail[2]

    # -- scopes -------------------------------------------------------------
    def clause_start(self, doc: Document, start: int) -> int:
        """Start of the clause holding ``start``: after the last break or contrast word (memoised)."""
        return self._per_position(doc, "context-clause-starts", start, self._clause_start)

    def _clause_start(self, doc: Document, start: int) -> int:
        clause = self.boundaries(doc).clause_start(start)
        last = None if self._none_in(doc, "contrast", clause, start) \
            else self._index(doc, "contrast").last(clause, start)
        return last[1] if last else clause

    def clause_end(self, doc: Document, end: int) -> int:
        """End of the clause holding ``end - 1``: the next break, or its sentence's end (memoised)."""
        return self._per_position(doc, "context-clause-ends", end, lambda d, e: self.boundaries(d).clause_end(e))

    def _per_position(self, doc: Document, name: str, pos: int, compute: Callable[[Document, int], int]) -> int:
        """``compute(doc, pos)`` once per document and position (kept in the document's memo)."""
        last = self._last_asked.get(name)  # one read: the language server lints in threads
        if last is not None and last[0] is doc and last[1] == pos:
            return last[2]
        memo: dict[int, int] = doc.memo(name, lambda d: {})
        found = memo.get(pos)
        if found is None:
            found = memo[pos] = compute(doc, pos)
        self._last_asked[name] = (doc, pos, found)
        return found

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
        contrast = None if self._none_in(doc, "contrast", sent_start, start) \
            else self._index(doc, "contrast").last(sent_start, start)
        prefix_start = contrast[1] if contrast else sent_start
        ev = None if self._none_in(doc, "evidential", prefix_start, start) \
            else self._index(doc, "evidential").first(prefix_start, start)
        if ev:
            return ev[2]
        post = self._postfix(norm, end, self.clause_end(doc, end) + 1)
        if post:
            return post.group().strip()
        return None

    def _postfix(self, norm: str, end: int, stop: int) -> re.Match[str] | None:
        """``postfix.match(norm[end:stop])`` without copying the slice (the pattern starts with "^")."""
        if self.v.postfix_at is not None:
            return self.v.postfix_at.match(norm, end, max(stop, end))
        return self.v.postfix.match(norm[end:stop])

    def question(self, doc: Document, start: int, end: int) -> bool:
        """True when the span is asked about, not asserted (…吗？, 能否…, 是否…)."""
        clause = self.clause_start(doc, start)
        if not self._none_in(doc, "question_openers", clause, start) \
                and self._index(doc, "question_openers").first(clause, start):
            return True
        sent_start, sent_end = doc.sentence_at(start)
        size, asked = self._sentence_tail(doc, sent_start, sent_end)
        if not asked:
            return False
        return self.clause_end(doc, end) >= sent_start + size - 1

    def debunk(self, doc: Document, start: int, end: int) -> str | None:
        """A debunk frame (所谓, 号称, 谣言…) around the span, or None."""
        norm = doc.norm
        sent_start, _ = doc.sentence_at(start)
        cue = None if self._none_in(doc, "debunk", sent_start, start) \
            else self._index(doc, "debunk").last(sent_start, start)
        if cue:
            return cue[2]
        if self._quoted(doc, sent_start, start, end):
            # a quoted claim called false in its sentence or the next (“…”的说法。这是谣言。)
            _, next_end = doc.sentence_window(start, 0, 1)
            false = self._index(doc, "falsity").first(sent_start, next_end)
            if false:
                return false[2]
        m = self.v.falsity.search(norm, end, min(self.clause_end(doc, end) + 1, end + 15))
        return m.group() if m else None

    def _quoted(self, doc: Document, sent_start: int, start: int, end: int) -> bool:
        norm = doc.norm
        positions = self._quote_positions(doc) if start - sent_start > matchindex.SHORT else None
        for open_q, close_q in self.v.quotes:
            if positions is None:
                left = norm.rfind(open_q, sent_start, start)
            else:
                opens = positions[open_q]
                k = bisect_left(opens, start) - 1
                left = opens[k] if k >= 0 and opens[k] >= sent_start else -1
            if left < 0:
                continue
            if open_q == close_q:
                if positions is None:
                    count = norm.count(open_q, sent_start, start)
                else:
                    count = bisect_left(opens, start) - bisect_left(opens, sent_start)
                if count % 2 == 0:
                    continue
            elif positions is None:
                if norm.rfind(close_q, left + 1, start) >= 0:
                    continue
            else:
                closes = positions[close_q]
                k = bisect_left(closes, start) - 1
                if k >= 0 and closes[k] >= left + 1:
                    continue
            right = norm.find(close_q, end, end + 40)
            if right >= 0:
                return True
        return False

    def hedge(self, doc: Document, start: int, end: int) -> str | None:
        """A hedge (有望, 可能, 初步…) in the span's clause, or an uncertainty note (尚需验证…)
        in its sentence; None when there is neither."""
        lo, hi = self.clause_start(doc, start), self.clause_end(doc, end)
        sentence = doc.sentence_at(start)
        memo = _memo(doc, "context-hedges")  # the answer is the clause's: once per clause
        key = (lo, hi, sentence)
        if key not in memo:
            found = self._unblocked_hedge(doc, lo, hi)
            if not found:
                m = self._index(doc, "hedge_notes").first(*sentence)
                found = m[2] if m else None
            memo[key] = found
        return memo[key]  # type: ignore[no-any-return]

    def _unblocked_hedge(self, doc: Document, lo: int, hi: int) -> str | None:
        """The first hedge in ``lo:hi`` that does not start inside a non-hedge (不可能)."""
        if hi - lo > matchindex.SHORT:
            hedges, blockers = self._index(doc, "hedge"), self._index(doc, "not_hedges")
            if hedges.full_scan(lo, hi) and blockers.full_scan(lo, hi):
                free = doc.memo("context-free-hedges", lambda d: _next_unblocked(hedges, blockers))
                i = free[bisect_left(hedges.starts, lo)]
                return hedges.groups[i] if i < len(hedges.starts) and hedges.ends[i] <= hi else None
        norm = doc.norm
        blocked = [m.span() for m in self.v.not_hedges.finditer(norm, lo, hi)]
        for m in self.v.hedge.finditer(norm, lo, hi):
            if not any(a <= m.start() < b for a, b in blocked):
                return m.group()
        return None

    def preclinical(self, doc: Document, start: int, end: int) -> str | None:
        """An animal or in-vitro marker that governs the span, or None: one in the span's clause,
        in a framing clause before it (在小鼠模型中，…), or elsewhere in its sentence when the
        span's clause brings in no human participant of its own (…逆转了小鼠的体重下降，且优于
        氟西汀). A clause that names people is a human claim: 这项实验治愈了小鼠，也为人类糖尿病的
        彻底根治铺平了道路."""
        lo, hi = self.clause_start(doc, start), self.clause_end(doc, end)
        sentence = doc.sentence_at(start)
        memo = _memo(doc, "context-preclinical")  # the answer is the clause's: once per clause
        key = (lo, hi, sentence)
        if key in memo:
            return memo[key]  # type: ignore[no-any-return]
        m = self._index(doc, "preclinical").first(lo, hi)  # by bisect: a long clause is not rescanned per hit
        if m:
            found: str | None = m[2]
        else:
            found = framing_clause_cue(doc, lo, self.v.preclinical, self.v.clause_breaks)
            if not found and not names_humans(doc, lo, hi):
                m = self._index(doc, "preclinical").first(*sentence)
                found = m[2] if m else None
        memo[key] = found
        return found

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
