"""``proximity``: a trigger that needs evidence nearby (citation, registry ID, as-of date).

params:
  terms / terms_traditional / patterns / exceptions / exception_patterns   # the trigger
  near: {pattern: '临床|试验', before: 12, after: 0}   # only count a trigger with this regex
                             # within N characters of it, in the same sentence
  unless: {pattern: '小鼠|大鼠', before: 0, after: 0}   # drop a trigger when this regex is in
                             # its sentence or N sentences before/after it
  groups:                    # more trigger groups, each with the keys above and its own
    - {terms: [...], near: {...}, needs: [...], windows: {...}}   # needs and windows; a hit
                             # inside a hit of an earlier group is dropped
  needs: [citation]          # fire when none of these is in the window: citation |
                             # named_source | study_block | attributed | registry_id | date
  requires: [registry_id]    # only consider triggers that have one of these in the window
  window: {before: 0, after: 1, scope: sentence}   # sentences around the trigger (or scope: paragraph)
  windows: {date: {before: 1, after: 1}}           # per evidence kind, overriding `window`
  stale_months: 24           # with needs: [date]: a date older than this (before --today) fires too
  stale_message: 状态日期 {date} 已超过 24 个月…
  stale_message_by_profile: {tw: 狀態日期 {date} 已超過 24 個月…}
  once_per_sentence: true    # report only the first trigger of a sentence
  context: {negation: suppress, question: suppress, …}

The params are validated by ``schemas/params-proximity.schema.json``.

Evidence kinds: ``citation`` (a citation marker, named source or registry ID in the
window, or a trial record around the trigger), ``named_source`` (a named source only),
``study_block`` (the trigger lies in a study block or trial record; the window does not
apply), ``attributed`` (in a study block, the trigger's sentence or ``before`` sentences
before it point back at the publication: 本综述评估了…), ``registry_id`` (an ID in the
window or the trial record around the trigger), ``date`` (an as-of date in the window).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from ..model import Finding
from ..reading.context import Context
from ..reading.evidence import Evidence, evidence
from ..text.document import Document
from . import nearby
from .base import Hit, Hits, Kind, TermGroup, drop_covered

GROUP_KEYS = ("terms", "terms_traditional", "patterns", "exceptions", "exception_patterns")
WINDOW_DEFAULT = {"before": 0, "after": 1, "scope": "sentence"}


@dataclass
class _Group:
    terms: TermGroup
    near: nearby.Condition | None
    unless: nearby.Condition | None
    windows: dict[str, dict[str, Any]]
    needs: list[str]
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)  # evidence kind -> full window


class Proximity(Kind):
    reads_sentences = True  # a claim in the references list is a cited title, not the article's

    @cached_property
    def groups(self) -> list[_Group]:
        base_windows = self.params.get("windows", {})
        specs = [("trigger", self.params)]
        specs += [(f"trigger{i + 1}", g) for i, g in enumerate(self.params.get("groups", []))]
        out = []
        for role, spec in specs:
            terms = TermGroup({k: spec[k] for k in GROUP_KEYS if k in spec}, role)
            windows = {**base_windows, **spec.get("windows", {})} if spec is not self.params else dict(base_windows)
            out.append(_Group(terms, nearby.condition(spec.get("near"), nearby.NEAR_BEFORE, nearby.NEAR_AFTER),
                              nearby.condition(spec.get("unless"), 0, 0), windows,
                              list(spec.get("needs") or self.params["needs"])))
        return out

    def lexicon(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for g in self.groups:
            out.update(g.terms.lexicon())
        return out

    def _hits(self, doc: Document, hits: Hits) -> list[tuple[Hit, _Group]]:
        """Trigger hits of every group; a hit inside an earlier group's hit is dropped."""
        out: list[tuple[Hit, _Group]] = []
        taken: list[Hit] = []
        for g in self.groups:
            mine = []
            for h in drop_covered(g.terms.find(doc, hits), taken):
                if g.near and not nearby.near(doc, h, g.near):
                    continue
                if g.unless and nearby.unless(doc, h, g.unless):
                    continue
                mine.append(h)
            taken.extend(mine)
            out.extend((h, g) for h in mine)
        out.sort(key=lambda x: (x[0][0], -x[0][1]))
        return out

    def check(self, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
        ev = evidence(doc)
        requires = self.params.get("requires", [])
        once = self.params.get("once_per_sentence", True)
        reported: set[int] = set()
        for (start, end, _term), group in self._hits(doc, hits):
            sentence = doc.sentence_index(start)
            if once and sentence in reported:
                continue
            if requires and not any(self._present(ev, kind, start, group) for kind in requires):
                continue
            message = None
            if any(self._present(ev, kind, start, group) for kind in group.needs):
                message = self._stale_message(doc, ev, start, group) if "date" in group.needs else None
                if message is None:
                    continue
            verdict = self.judge(doc, start, end, ctx)
            if verdict.severity is None:
                continue
            reported.add(sentence)
            yield self.finding(doc, start, end, verdict.severity, notes=verdict.notes, message=message)

    def _window(self, kind: str, group: _Group) -> dict[str, Any]:
        win = group.resolved.get(kind)
        if win is None:
            win = group.resolved[kind] = {**WINDOW_DEFAULT, **self.params.get("window", {}),
                                          **group.windows.get(kind, {})}
        return win

    def _present(self, ev: Evidence, kind: str, pos: int, group: _Group) -> bool:
        win = self._window(kind, group)
        before, after, scope = win["before"], win["after"], win["scope"]
        if kind == "citation":
            return ev.cited_near(pos, before, after, scope)
        if kind == "named_source":
            return ev.named_near(pos, before, after, scope)
        if kind == "study_block":
            return ev.in_study_block(pos)
        if kind == "attributed":
            return ev.attributed_near(pos, before)
        if kind == "registry_id":
            return ev.registry_present(pos, before, after, scope)
        return ev.dates_present(pos, before, after, scope)

    def _stale_message(self, doc: Document, ev: Evidence, start: int, group: _Group) -> str | None:
        months = self.params.get("stale_months")
        if not months or not doc.today:
            return None
        win = self._window("date", group)
        newest = ev.newest_date(start, win["before"], win["after"], win["scope"])
        if newest is None:
            return None
        today = date.fromisoformat(doc.today)
        age = (today.year - newest.year) * 12 + (today.month - newest.month)
        if age <= int(months):
            return None
        template = self.params.get("stale_message_by_profile", {}).get(doc.profile) \
            or self.params.get("stale_message", "状态日期 {date} 距今 {months} 个月，已过时")
        return template.replace("{date}", newest.isoformat()[:7]).replace("{months}", str(age))


KIND = Proximity
