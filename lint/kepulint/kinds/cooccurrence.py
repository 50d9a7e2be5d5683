"""``cooccurrence``: two kinds of wording that must not stand together unqualified.

params:
  left:  {terms: [小鼠, 大鼠, CUMS, …], patterns: [...], exceptions: [...]}
  right: {terms: [患者, 临床治疗, …], patterns: [...]}      # reported span
  qualifiers: {terms: [尚未在人体中证实, …], patterns: [...]}  # in the same scope: no finding
  # … or a list of such groups; a group may also say
  #     unless: {terms: [患者, …]}   # the qualifier does not hold when one of these is in scope
  #     profiles: [tw]              # the qualifier only holds under these profiles
  #     reach: sentence             # paragraph checks: it only covers a claim in its own sentence
  downgraders:               # optional, one group or a list: in scope, the severity drops one level
    - {terms: [特管办法], note: 引用了核准路径，请核对适应证, profiles: [tw]}
  scope: sentence            # or paragraph
  order: any                 # or left_first: the left wording must come before the right
  report: right              # or left: which span the diagnostic points at
  inherit_heading: false     # true: a line under a heading that holds the left wording counts as holding it
  carry_subject:             # optional: a sentence with no left wording of its own that opens with one
    terms: [因此, 它, 该疗法]  # of these words takes it from the sentence before, in the same paragraph
                             # (干细胞…。因此已广泛应用于…); sentence scope, report: right
  paragraph:                 # optional: also judge whole paragraphs
    blockers: {terms: [患者, 受试者, 随机对照, …]}   # the paragraph has other evidence: skip it
    claims: {patterns: [...]}  # the wording that counts as the paragraph's conclusion (default: right)
    last_sentence: true      # only a claim in the paragraph's last sentence counts
    lookback: 0              # evidence may also stand in up to N paragraphs before (plain-text
                             # drafts put every paragraph on its own line); a heading stops it
    message: 本段证据仅来自动物或体外实验，结尾却给出治疗结论
  context: {negation: suppress, question: suppress, debunk: suppress, hedge: ignore}

The params are validated by ``schemas/params-cooccurrence.schema.json`` (``kepulint schema rule``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..model import Finding
from ..reading.context import Context
from ..text.document import Document
from .base import Hit, Hits, Kind, TermGroup, any_within

PROFILES = ("cn", "tw", "hk")
# a plain-text line that reads as a heading: one short sentence with no closing punctuation
_CLOSING = re.compile(r"[。.!?;…:：”’」』)\]]$")
HEADING_MAX = 40
OPENER_PUNCT = " \t\n-*•·、,，:：\"“「『(（"  # what may stand before a carrying word at a sentence's start


@dataclass(frozen=True)
class _Qualifier:
    """One qualifier (or downgrader) group and the conditions under which it holds."""

    key: str  # automaton role
    group: TermGroup
    unless: TermGroup | None
    profiles: tuple[str, ...]
    note: str = ""
    sentence_only: bool = False  # reach: sentence


def _group_list(spec: Any) -> list[Mapping[str, Any]]:
    if not spec:
        return []
    return list(spec) if isinstance(spec, list) else [spec]


class Cooccurrence(Kind):
    reads_sentences = True  # a claim in the references list is a cited title, not the article's

    @cached_property
    def groups(self) -> dict[str, TermGroup]:
        g = {key: TermGroup(self.params.get(key), key) for key in ("left", "right")}
        g["blockers"] = TermGroup((self.params.get("paragraph") or {}).get("blockers"), "blockers")
        g["claims"] = TermGroup((self.params.get("paragraph") or {}).get("claims"), "claims")
        g["carry"] = TermGroup(self.params.get("carry_subject"), "carry")
        for q in (*self.qualifiers, *self.downgraders):
            g[q.key] = q.group
            if q.unless is not None:
                g[q.key + ".unless"] = q.unless
        return g

    def _build(self, key: str, prefix: str) -> list[_Qualifier]:
        out = []
        for i, spec in enumerate(_group_list(self.params.get(key))):
            role = f"{prefix}{i}"
            unless = TermGroup(spec["unless"], role + ".unless") if spec.get("unless") else None
            out.append(_Qualifier(role, TermGroup(spec, role), unless,
                                  tuple(spec.get("profiles", PROFILES)), str(spec.get("note", "")),
                                  spec.get("reach", "scope") == "sentence"))
        return out

    @cached_property
    def qualifiers(self) -> list[_Qualifier]:
        return self._build("qualifiers", "qualifiers")

    @cached_property
    def downgraders(self) -> list[_Qualifier]:
        return self._build("downgraders", "downgraders")

    def lexicon(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for group in self.groups.values():
            out.update(group.lexicon())
        return out

    # -- scopes ------------------------------------------------------------------
    def _holding(self, doc: Document, items: list[_Qualifier], starts: dict[str, list[int]],
                 lo: int, hi: int, sentence_only: bool | None = None) -> list[_Qualifier]:
        """The qualifiers (or downgraders) that hold in [lo, hi) under the document's profile;
        with ``sentence_only`` set, only those whose reach is (or is not) a single sentence."""
        out = []
        for q in items:
            if sentence_only is not None and q.sentence_only != sentence_only:
                continue
            if doc.profile not in q.profiles or not any_within(starts[q.key], lo, hi):
                continue
            if q.unless is not None and any_within(starts[q.key + ".unless"], lo, hi):
                continue
            out.append(q)
        return out

    def _heading_subject(self, doc: Document, pos: int, left_starts: list[int]) -> bool:
        """With ``inherit_heading: true``, a list item or table row takes the left wording (the
        subject) from the heading it stands under (structure.py)."""
        if not self.params.get("inherit_heading"):
            return False
        from ..reading.structure import heading_above

        span = heading_above(doc, pos)
        return span is not None and any_within(left_starts, *span)

    def _carried_from(self, doc: Document, lo: int, starts: dict[str, list[int]]) -> int | None:
        """With ``carry_subject``, the start of the sentence before the one at ``lo`` when this one
        opens with a carrying word (因此, 它, 该疗法…) and that one, in the same paragraph, holds the
        left wording: the subject carried over (干细胞…。因此已广泛应用于…)."""
        carry = starts["carry"]
        if not carry or lo == 0 or self.params.get("report", "right") != "right":
            return None
        k = bisect_left(carry, lo)
        if k == len(carry) or doc.norm[lo:carry[k]].strip(OPENER_PUNCT):
            return None
        p_lo, _ = doc.paragraph_at(lo)
        prev_lo, prev_hi = doc.sentence_at(lo - 1)
        if prev_lo < p_lo or prev_hi > lo or not any_within(starts["left"], prev_lo, prev_hi):
            return None
        return prev_lo

    def _is_heading(self, doc: Document, lo: int, hi: int) -> bool:
        text = doc.norm[lo:hi].strip()
        if doc.markdown:
            return text.startswith("#")
        if len(text) > HEADING_MAX or _CLOSING.search(text):
            return False
        return doc.sentence_at(lo) == doc.sentence_at(max(hi - 1, lo))

    # -- checking ------------------------------------------------------------------
    def check(self, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
        groups = self.groups
        found = {"left": groups["left"].find(doc, hits)}
        if not found["left"]:
            return
        found["right"] = groups["right"].find(doc, hits)
        found["claims"] = groups["claims"].find(doc, hits)
        if not (found["right"] or found["claims"]):
            return
        for key, group in groups.items():  # the qualifiers and blockers only when needed
            if key not in found:
                found[key] = group.find(doc, hits)
        starts = {key: [h[0] for h in hs] for key, hs in found.items()}
        report_right = self.params.get("report", "right") == "right"
        left_first = self.params.get("order", "any") == "left_first"
        by_paragraph = self.params.get("scope", "sentence") == "paragraph"
        done: set[int] = set()
        scopes: set[tuple[int, int]] = set()
        for hit in found["right"]:
            lo, hi = doc.paragraph_at(hit[0]) if by_paragraph else doc.sentence_at(hit[0])
            if (lo, hi) in scopes:
                continue
            left_hi = hit[0] if left_first else hi
            q_lo = lo  # where qualifiers count: the sentence, and the one a carried subject came from
            if not (any_within(starts["left"], lo, left_hi) or self._heading_subject(doc, lo, starts["left"])):
                carried = self._carried_from(doc, lo, starts)
                if carried is None:
                    continue
                q_lo = carried
            if self._holding(doc, self.qualifiers, starts, q_lo, hi):
                continue
            target = hit if report_right else _first_in(found["left"], lo, hi)
            if target[0] in done:
                continue
            finding = self._judged(doc, ctx, target, starts, lo, hi)
            if finding is not None:
                done.add(target[0])
                scopes.add((lo, hi))
                yield finding
        if "paragraph" in self.params and not by_paragraph:
            yield from self._paragraphs(doc, ctx, found, starts, done)

    def _judged(self, doc: Document, ctx: Context, target: Hit, starts: dict[str, list[int]],
                lo: int, hi: int, message: str | None = None) -> Finding | None:
        verdict = self.judge(doc, target[0], target[1], ctx)
        if verdict.severity is None:
            return None
        severity, notes = verdict.severity, verdict.notes
        s_lo, s_hi = doc.sentence_at(target[0])
        held = self._holding(doc, self.downgraders, starts, lo, hi, sentence_only=False) \
            + self._holding(doc, self.downgraders, starts, s_lo, s_hi, sentence_only=True)
        for q in held[:1]:
            severity = severity.lowered()
            notes = (*notes, q.note or f"降为{severity.label}")
        return self.finding(doc, target[0], target[1], severity, notes=notes, message=message)

    def _paragraphs(self, doc: Document, ctx: Context, found: dict[str, list[Hit]],
                    starts: dict[str, list[int]], done: set[int]) -> Iterator[Finding]:
        opts = self.params["paragraph"]
        lookback = int(opts.get("lookback", 0))
        claims = found["claims"] if self.groups["claims"] else found["right"]
        claim_starts = [h[0] for h in claims]
        paragraphs = doc.paragraphs
        for k, (p_lo, p_hi) in enumerate(paragraphs):
            if not any_within(claim_starts, p_lo, p_hi):
                continue  # no conclusion to judge in this paragraph
            if lookback and self._is_heading(doc, p_lo, p_hi):
                continue
            e_lo = p_lo  # the evidence window: this paragraph and up to `lookback` before it
            for j in range(k - 1, max(k - lookback, 0) - 1, -1):
                if self._is_heading(doc, *paragraphs[j]):
                    break
                e_lo = paragraphs[j][0]
            if not any_within(starts["left"], e_lo, p_hi) or any_within(starts["blockers"], e_lo, p_hi) \
                    or self._holding(doc, self.qualifiers, starts, e_lo, p_hi, sentence_only=False):
                continue
            lo = doc.sentence_at(max(p_hi - 1, p_lo))[0] if opts.get("last_sentence", True) else p_lo
            for k in range(bisect_left(claim_starts, lo), bisect_left(claim_starts, p_hi)):
                hit = claims[k]
                if hit[0] in done:
                    continue
                s_lo, s_hi = doc.sentence_at(hit[0])
                if any_within(starts["left"], s_lo, s_hi):
                    continue  # the sentence pass already judged it
                if self._holding(doc, self.qualifiers, starts, s_lo, s_hi, sentence_only=True):
                    continue
                finding = self._judged(doc, ctx, hit, starts, e_lo, p_hi, opts.get("message"))
                if finding is not None:
                    done.add(hit[0])
                    yield finding
                    break


def _first_in(hits: list[Hit], lo: int, hi: int) -> Hit:
    """The first of the sorted ``hits`` starting in [lo, hi) (there is one)."""
    k = bisect_left(hits, lo, key=lambda h: h[0])
    return hits[k]


KIND = Cooccurrence
