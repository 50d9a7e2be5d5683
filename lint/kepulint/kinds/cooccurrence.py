"""``cooccurrence``: two kinds of wording that must not stand together unqualified.

params:
  left:  {terms: [小鼠, 大鼠, CUMS, …], patterns: [...], exceptions: [...]}
  right: {terms: [患者, 临床治疗, …], patterns: [...]}      # reported span
  qualifiers: {terms: [尚未在人体中证实, …], patterns: [...]}  # in the same scope: no finding
  scope: sentence            # or paragraph
  order: any                 # or left_first: the left wording must come before the right
  report: right              # or left: which span the diagnostic points at
  paragraph:                 # optional: also judge whole paragraphs
    blockers: {terms: [患者, 受试者, 随机对照, …]}   # the paragraph has other evidence: skip it
    last_sentence: true      # only a claim in the paragraph's last sentence counts
    message: 本段证据仅来自动物或体外实验，结尾却给出治疗结论
  context: {negation: suppress, question: suppress, debunk: suppress, hedge: ignore}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Any

from ..context import Context
from ..document import Document
from ..model import Finding
from .base import Hit, Hits, Kind, TermGroup, any_within


class Cooccurrence(Kind):
    GROUPS = ("left", "right", "qualifiers")

    @classmethod
    def validate(cls, params: Mapping[str, Any]) -> str | None:
        for key in ("left", "right"):
            group = params.get(key)
            if not isinstance(group, dict) or not (group.get("terms") or group.get("patterns")):
                return f"/{key}: needs terms or patterns"
        if params.get("scope", "sentence") not in ("sentence", "paragraph"):
            return "/scope: must be 'sentence' or 'paragraph'"
        if params.get("order", "any") not in ("any", "left_first"):
            return "/order: must be 'any' or 'left_first'"
        if params.get("report", "right") not in ("left", "right"):
            return "/report: must be 'left' or 'right'"
        for key in (*cls.GROUPS, "paragraph"):
            try:
                spec = params.get(key) or {}
                TermGroup(spec.get("blockers") if key == "paragraph" else spec, key)
            except ValueError as exc:
                return str(exc)
        return None

    @cached_property
    def groups(self) -> dict[str, TermGroup]:
        g = {key: TermGroup(self.params.get(key), key) for key in self.GROUPS}
        g["blockers"] = TermGroup((self.params.get("paragraph") or {}).get("blockers"), "blockers")
        return g

    def lexicon(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for group in self.groups.values():
            out.update(group.lexicon())
        return out

    def check(self, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
        found = {key: group.find(doc, hits) for key, group in self.groups.items()}
        if not found["left"] or not found["right"]:
            return
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
            if not any_within(starts["left"], lo, left_hi) or any_within(starts["qualifiers"], lo, hi):
                continue
            target = hit if report_right else _first_in(found["left"], lo, hi)
            if target[0] in done:
                continue
            verdict = self.judge(doc, target[0], target[1], ctx)
            if verdict.severity is not None:
                done.add(target[0])
                scopes.add((lo, hi))
                yield self.finding(doc, target[0], target[1], verdict.severity, notes=verdict.notes)
        if "paragraph" in self.params and not by_paragraph:
            yield from self._paragraphs(doc, ctx, found, starts, done)

    def _paragraphs(self, doc: Document, ctx: Context, found: dict[str, list[Hit]],
                    starts: dict[str, list[int]], done: set[int]) -> Iterator[Finding]:
        opts = self.params["paragraph"]
        for p_lo, p_hi in doc.paragraphs:
            if not any_within(starts["left"], p_lo, p_hi) or any_within(starts["blockers"], p_lo, p_hi) \
                    or any_within(starts["qualifiers"], p_lo, p_hi):
                continue
            lo = doc.sentence_at(max(p_hi - 1, p_lo))[0] if opts.get("last_sentence", True) else p_lo
            for hit in found["right"]:
                if not lo <= hit[0] < p_hi or hit[0] in done:
                    continue
                s_lo, s_hi = doc.sentence_at(hit[0])
                if any_within(starts["left"], s_lo, s_hi):
                    continue  # the sentence pass already judged it
                verdict = self.judge(doc, hit[0], hit[1], ctx)
                if verdict.severity is not None:
                    done.add(hit[0])
                    yield self.finding(doc, hit[0], hit[1], verdict.severity, notes=verdict.notes,
                                       message=opts.get("message"))
                    break


def _first_in(hits: list[Hit], lo: int, hi: int) -> Hit:
    return next(h for h in hits if lo <= h[0] < hi)


KIND = Cooccurrence
