"""``document``: content a draft must have, and where it must stand.

params:
  mode: required | placement
  checks:                      # each check is one requirement (one finding when unmet)
    - id: disclaimer
      message: 缺少免责声明…      # optional; defaults to the rule message
      message_by_profile:        # optional; per jurisdiction profile (cn, tw, hk)
        tw: 缺少免責聲明…
      terms: [免责声明, 免责说明]  # any of these anywhere satisfies the check
      patterns: ['…']            # or any of these regexes (on folded text)
      pairs:                     # or one term of every group within one paragraph
        - [仅供参考, 不构成医疗建议]
        - [请咨询专业医生, 如有不适请及时就医]
      head:                      # or these terms/regexes within the first N non-blank lines
        lines: 5
        terms: []
        patterns: ['…']
      tail: {lines: 3, terms: [], patterns: []}   # or within the last N non-blank lines
      front_matter: [author, reviewer]   # or one of these front-matter keys, non-empty
      head_lines: 0              # if > 0, terms/patterns/pairs only count in the first N non-blank lines
  opening: 3                   # placement: paragraphs that count as the opening block
  closing: 5                   # placement: paragraphs that count as the closing block
  back_matter: ['参考文献']     # placement: regexes; a paragraph in the second half of the
                               # draft that starts with one of them begins the back matter
                               # (references, copyright), which belongs to the closing block

Lines are counted in the body: front matter and blank lines do not count. ``required``
fires once per unmet check at line 1 (an empty span at 1:1, each with its own message;
the fingerprint is the check's id). ``placement`` fires at a satisfied
check that stands only in the middle of the body (a front-matter key counts as the top).

The params are validated by ``schemas/params-document.schema.json`` (``kepulint schema rule``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import replace
from functools import cached_property
from typing import Any

from ..model import Finding
from ..reading.context import Context
from ..text.document import Document
from .base import Hits, Kind, RulePattern, compile_patterns, compiled

_SCOPES = ("head", "tail")
_WORD = re.compile(r"[^\W_]")  # a letter or a digit, of any script
_LINE = re.compile(r"[^\r\n]*")  # one line (its end: the next CR or LF)


class DocumentRule(Kind):
    @cached_property
    def checks(self) -> list[dict[str, Any]]:
        """The checks with their regexes analysed (built with the rule set, kept in its cache)."""
        out = []
        for check in self.params["checks"]:
            c = dict(check)
            c["_patterns"] = [RulePattern.of(p) for p in check.get("patterns", [])]
            for scope in _SCOPES:
                spec = check.get(scope) or {}
                c[f"_{scope}"] = (
                    int(spec.get("lines", 0)),
                    [RulePattern.of(p) for p in spec.get("patterns", [])],
                ) if spec else None
            out.append(c)
        return out

    def literals(self) -> set[str]:
        """Prefilter literals of the checks' regexes, for the engine's automaton."""
        patterns = [p for c in self.checks for p in c["_patterns"]]
        patterns += [p for c in self.checks for scope in _SCOPES if c[f"_{scope}"] for p in c[f"_{scope}"][1]]
        return {lit for p in patterns for lit in p.scanned}

    def lexicon(self) -> dict[str, list[str]]:
        """Each check's terms, pair groups and head/tail terms, found by the shared automaton."""
        out: dict[str, list[str]] = {}
        for i, check in enumerate(self.params["checks"]):
            if check.get("terms"):
                out[f"c{i}"] = list(check["terms"])
            for j, group in enumerate(check.get("pairs", [])):
                out[f"c{i}p{j}"] = list(group)
            for scope in _SCOPES:
                spec = check.get(scope) or {}
                if spec.get("terms"):
                    out[f"c{i}{scope}"] = list(spec["terms"])
        return out

    @cached_property
    def back_matter(self) -> list[re.Pattern[str]]:
        return compile_patterns(_as_list(self.params.get("back_matter")), "back_matter")

    @property
    def chunk_edges_only(self) -> bool:
        """A placement check looks at the opening and closing paragraphs: the first and last chunks."""
        return self.params.get("mode", "required") == "placement"

    def check(self, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
        if not _WORD.search(doc.norm):  # no letter or digit outside front matter, comments and
            return                      # code: no article yet, nothing to disclaim, sign or date
        placement = self.params.get("mode", "required") == "placement"
        for i, check in enumerate(self.checks):
            message = _message(check, doc.profile)
            if _front_matter_has(doc, check.get("front_matter", [])):
                continue
            if placement:
                where = sorted(set(self._locations(doc, i, check, hits)))
                if where and not any(self._in_open_or_close(doc, pos) for pos in where):
                    start = where[0]
                    end = _LINE.match(doc.norm, start).end()  # type: ignore[union-attr]
                    yield self.finding(doc, start, end, self.rule.severity, message=message)
            elif next(self._locations(doc, i, check, hits), None) is None:
                found = self.finding(doc, 0, 0, self.rule.severity, message=message)
                # a stable fingerprint: the rule's check, not whatever line 1 says
                yield replace(found, context=f"{self.rule.code}:{check['id']}", document_level=True)

    def _locations(self, doc: Document, i: int, check: dict[str, Any], hits: Hits) -> Iterator[int]:
        """Folded offsets where check ``i`` is satisfied, cheapest evidence first (terms come
        from the engine's automaton: ``hits`` by role, see :meth:`lexicon`), unsorted and
        lazy: a ``required`` check stops at the first one."""
        norm = doc.norm  # LF line ends only (normalize.fold), so (?m)^ and $ see every line
        lo, hi = 0, len(norm)
        if check.get("head_lines"):
            hi = _head_end(doc, int(check["head_lines"]))
        yield from (h[0] for h in hits.get(f"c{i}", ()) if lo <= h[0] < hi)
        scopes = []
        for scope in _SCOPES:
            spec = check[f"_{scope}"]
            if spec:
                lines, patterns = spec
                s_lo, s_hi = (0, _head_end(doc, lines)) if scope == "head" else (_tail_start(doc, lines), len(norm))
                yield from (h[0] for h in hits.get(f"c{i}{scope}", ()) if s_lo <= h[0] < s_hi)
                scopes.append((s_lo, s_hi, patterns))
        groups = [sorted(h[0] for h in hits.get(f"c{i}p{j}", ())) for j in range(len(check.get("pairs", [])))]
        if groups and all(groups):
            for p_start, p_end in doc.paragraphs:
                if p_start >= hi:
                    break
                p_end = min(p_end, hi)
                firsts = [_first_in(starts, p_start, p_end) for starts in groups]
                if all(f is not None for f in firsts):
                    yield min(f for f in firsts if f is not None)
        for pat in check["_patterns"]:
            if pat.possible(hits.literals):
                yield from (m.start() for m in compiled(pat.source).finditer(norm, lo, hi))
        for s_lo, s_hi, patterns in scopes:
            for pat in patterns:
                if pat.possible(hits.literals):
                    yield from (m.start() for m in compiled(pat.source).finditer(norm, s_lo, s_hi))

    def _in_open_or_close(self, doc: Document, pos: int) -> bool:
        i = doc.paragraph_index(pos)
        closing_from = self._back_matter_start(doc) - int(self.params.get("closing", 5))
        return i < int(self.params.get("opening", 3)) or i >= closing_from

    def _back_matter_start(self, doc: Document) -> int:
        """Index of the first back-matter paragraph in the second half (n when none)."""
        def build(d: Document) -> int:
            n = len(d.paragraphs)
            if self.back_matter:
                for i in range(n // 2, n):
                    start, end = d.paragraphs[i]
                    if any(p.match(d.norm, start, end) for p in self.back_matter):
                        return i
            return n

        return int(doc.memo(f"document.back_matter.{self.rule.code}", build))


def _first_in(starts: list[int], lo: int, hi: int) -> int | None:
    """The first sorted start in [lo, hi), or None."""
    k = bisect_left(starts, lo)
    return starts[k] if k < len(starts) and starts[k] < hi else None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _message(check: dict[str, Any], profile: str) -> str | None:
    by_profile = check.get("message_by_profile") or {}
    return by_profile.get(profile) or check.get("message")


def _body_lines(doc: Document) -> list[tuple[int, int]]:
    """Spans of the non-blank lines of the folded text (front matter is blank there)."""
    def build(d: Document) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in _LINE.finditer(d.norm) if m.group().strip()]

    return doc.memo("document.body_lines", build)  # type: ignore[no-any-return]


def _head_end(doc: Document, n: int) -> int:
    """Folded offset just after the ``n``-th non-blank body line."""
    lines = _body_lines(doc)
    if n >= len(lines):
        return len(doc.norm)
    return lines[n - 1][1] if n > 0 else 0


def _tail_start(doc: Document, n: int) -> int:
    """Folded offset where the last ``n`` non-blank body lines begin."""
    lines = _body_lines(doc)
    if n >= len(lines):
        return 0
    return lines[-n][0]


def _front_matter_has(doc: Document, keys: list[str]) -> bool:
    if not keys or doc.masked.front_matter is None:
        return False
    fm = doc.front_matter
    return any(fm.get(k) not in (None, "", [], {}) for k in keys)


KIND = DocumentRule
