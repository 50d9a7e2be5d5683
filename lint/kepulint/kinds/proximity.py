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

Evidence kinds: ``citation`` (a citation marker, named source or registry ID in the
window, or a trial record around the trigger), ``named_source`` (a named source only),
``study_block`` (the trigger lies in a study block or trial record; the window does not
apply), ``attributed`` (in a study block, the trigger's sentence or ``before`` sentences
before it point back at the publication: 本综述评估了…), ``registry_id`` (an ID in the
window or the trial record around the trigger), ``date`` (an as-of date in the window).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from ..model import Finding
from ..reading.context import Context
from ..reading.evidence import Evidence, evidence
from ..text.document import Document
from ..text.matchindex import index_of
from .base import Hit, Hits, Kind, TermGroup, compile_patterns, drop_covered

EVIDENCE_KINDS = ("citation", "named_source", "study_block", "attributed", "registry_id", "date")
GROUP_KEYS = ("terms", "terms_traditional", "patterns", "exceptions", "exception_patterns")
WINDOW_DEFAULT = {"before": 0, "after": 1, "scope": "sentence"}


@dataclass
class _Group:
    terms: TermGroup
    near: tuple[re.Pattern[str], int, int] | None
    unless: tuple[re.Pattern[str], int, int] | None
    windows: dict[str, dict[str, Any]]
    needs: list[str]
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)  # evidence kind -> full window


def _check_condition(spec: Any, where: str) -> str | None:
    if spec is None:
        return None
    if not isinstance(spec, Mapping) or "pattern" not in spec:
        return f"/{where}: give a mapping with a 'pattern'"
    try:
        re.compile(spec["pattern"])
    except (re.error, TypeError) as exc:
        return f"/{where}/pattern: {exc}"
    for key in ("before", "after"):
        if not isinstance(spec.get(key, 0), int) or spec.get(key, 0) < 0:
            return f"/{where}/{key}: a non-negative integer"
    return None


def _check_windows(spec: Any, where: str) -> str | None:
    if spec is None:
        return None
    if not isinstance(spec, Mapping):
        return f"/{where}: a mapping from evidence kind to window"
    for kind in spec:
        if kind not in EVIDENCE_KINDS:
            return f"/{where}/{kind}: '{kind}' is not one of {list(EVIDENCE_KINDS)}"
    return None


class Proximity(Kind):
    reads_sentences = True  # a claim in the references list is a cited title, not the article's

    @classmethod
    def validate(cls, params: Mapping[str, Any]) -> str | None:
        if not params.get("terms") and not params.get("patterns"):
            return ": a proximity rule needs terms or patterns"
        for key in ("needs", "requires"):
            for item in params.get(key, []):
                if item not in EVIDENCE_KINDS:
                    return f"/{key}: '{item}' is not one of {list(EVIDENCE_KINDS)}"
        if not params.get("needs"):
            return f"/needs: list the evidence the trigger needs, from {list(EVIDENCE_KINDS)}"
        specs = [("", params)] + [(f"groups/{i}/", g) for i, g in enumerate(params.get("groups", []))]
        for prefix, spec in specs:
            if not isinstance(spec, Mapping):
                return f"/{prefix.rstrip('/')}: a trigger group is a mapping"
            for key in ("near", "unless"):
                problem = _check_condition(spec.get(key), prefix + key)
                if problem:
                    return problem
            problem = _check_windows(spec.get("windows"), prefix + "windows")
            if problem:
                return problem
            if prefix:
                for item in spec.get("needs", []):
                    if item not in EVIDENCE_KINDS:
                        return f"/{prefix}needs: '{item}' is not one of {list(EVIDENCE_KINDS)}"
            if prefix and not spec.get("terms") and not spec.get("patterns"):
                return f"/{prefix}terms: a trigger group needs terms or patterns"
            for key, value in spec.items():
                if prefix and key.endswith("patterns") and isinstance(value, list):
                    try:
                        compile_patterns(value, prefix + key)
                    except ValueError as exc:
                        return str(exc)
        return super().validate(params)

    @cached_property
    def groups(self) -> list[_Group]:
        base_windows = self.params.get("windows", {})
        specs = [("trigger", self.params)]
        specs += [(f"trigger{i + 1}", g) for i, g in enumerate(self.params.get("groups", []))]
        out = []
        for role, spec in specs:
            terms = TermGroup({k: spec[k] for k in GROUP_KEYS if k in spec}, role)
            windows = {**base_windows, **spec.get("windows", {})} if spec is not self.params else dict(base_windows)
            out.append(_Group(terms, _condition(spec.get("near"), 12, 0), _condition(spec.get("unless"), 0, 0),
                              windows, list(spec.get("needs") or self.params["needs"])))
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
                if g.near and not _near(doc, h, g.near):
                    continue
                if g.unless and _unless(doc, h, g.unless):
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


def _condition(spec: Mapping[str, Any] | None, before: int, after: int) -> tuple[re.Pattern[str], int, int] | None:
    if not spec:
        return None
    return re.compile(spec["pattern"]), int(spec.get("before", before)), int(spec.get("after", after))


def _near(doc: Document, hit: Hit, cond: tuple[re.Pattern[str], int, int]) -> bool:
    """The regex occurs within ``before``/``after`` characters of the hit, same sentence."""
    pat, before, after = cond
    s_start, s_end = doc.sentence_at(hit[0])
    lo, hi = max(s_start, hit[0] - before), min(s_end, hit[1] + after)
    index = index_of(doc._cache, pat, doc.norm)  # a pack's wide window is not scanned per trigger
    if not index.usable:  # may match empty, or depends on the text around
        return any(not (hit[0] <= m.start() and m.end() <= hit[1]) for m in pat.finditer(doc.norm, lo, hi))
    m = index.first(lo, hi)
    while m is not None and hit[0] <= m[0] and m[1] <= hit[1]:  # finditer's chain: never empty here
        m = index.first(m[1], hi)
    return m is not None


def _unless(doc: Document, hit: Hit, cond: tuple[re.Pattern[str], int, int]) -> bool:
    """The regex occurs in the hit's sentence or ``before``/``after`` sentences around it."""
    pat, before, after = cond
    lo, hi = doc.sentence_window(hit[0], before, after)
    return index_of(doc._cache, pat, doc.norm).first(lo, hi) is not None


KIND = Proximity
