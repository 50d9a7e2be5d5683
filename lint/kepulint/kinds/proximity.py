"""``proximity``: a trigger that needs evidence nearby (citation, registry ID, as-of date).

params:
  terms / terms_traditional / patterns / exceptions / exception_patterns   # the trigger
  needs: [citation]          # fire when none of these is in the window: citation | registry_id | date
  requires: [registry_id]    # only consider triggers that have one of these in the window
  window: {before: 0, after: 1, scope: sentence}   # sentences around the trigger (or scope: paragraph)
  stale_months: 24           # with needs: [date]: a date older than this (before --today) fires too
  stale_message: 状态日期 {date} 已超过 24 个月…
  once_per_sentence: true    # report only the first trigger of a sentence
  context: {negation: suppress, question: suppress, …}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from functools import cached_property
from typing import Any

from ..context import Context
from ..document import Document
from ..evidence import Evidence, evidence
from ..model import Finding
from .base import Hits, Kind, TermGroup

EVIDENCE_KINDS = ("citation", "registry_id", "date")


class Proximity(Kind):
    @classmethod
    def validate(cls, params: Mapping[str, Any]) -> str | None:
        if not params.get("terms") and not params.get("patterns"):
            return ": a proximity rule needs terms or patterns"
        for key in ("needs", "requires"):
            for item in params.get(key, []):
                if item not in EVIDENCE_KINDS:
                    return f"/{key}: '{item}' is not one of {list(EVIDENCE_KINDS)}"
        if not params.get("needs"):
            return "/needs: list the evidence the trigger needs (citation, registry_id, date)"
        return super().validate(params)

    @cached_property
    def trigger(self) -> TermGroup:
        return TermGroup(self.params, "trigger")

    def lexicon(self) -> dict[str, list[str]]:
        return self.trigger.lexicon()

    def check(self, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
        ev = evidence(doc)
        win = {"before": 0, "after": 1, "scope": "sentence", **self.params.get("window", {})}
        needs = self.params["needs"]
        requires = self.params.get("requires", [])
        once = self.params.get("once_per_sentence", True)
        reported: set[int] = set()
        for start, end, _term in self.trigger.find(doc, hits):
            sentence = doc.sentence_index(start)
            if once and sentence in reported:
                continue
            if requires and not any(_present(ev, kind, start, win) for kind in requires):
                continue
            message = None
            if any(_present(ev, kind, start, win) for kind in needs):
                message = self._stale_message(doc, ev, start, win) if "date" in needs else None
                if message is None:
                    continue
            verdict = self.judge(doc, start, end, ctx)
            if verdict.severity is None:
                continue
            reported.add(sentence)
            yield self.finding(doc, start, end, verdict.severity, notes=verdict.notes, message=message)

    def _stale_message(self, doc: Document, ev: Evidence, start: int, win: dict[str, Any]) -> str | None:
        months = self.params.get("stale_months")
        if not months or not doc.today:
            return None
        dates = ev.dates_near(start, win["before"], win["after"], win["scope"])
        if not dates:
            return None
        newest = max(d.value for d in dates)
        today = date.fromisoformat(doc.today)
        age = (today.year - newest.year) * 12 + (today.month - newest.month)
        if age <= int(months):
            return None
        template = self.params.get("stale_message", "状态日期 {date} 距今 {months} 个月，已过时")
        return template.replace("{date}", newest.isoformat()[:7]).replace("{months}", str(age))


def _present(ev: Evidence, kind: str, pos: int, win: dict[str, Any]) -> bool:
    before, after, scope = win["before"], win["after"], win["scope"]
    if kind == "citation":
        return ev.cited_near(pos, before, after, scope)
    if kind == "registry_id":
        return bool(ev.registry_near(pos, before, after, scope))
    return bool(ev.dates_near(pos, before, after, scope))


KIND = Proximity
