"""``document``: content a draft must have, and where it must stand.

params:
  mode: required | placement
  checks:                      # each check is one requirement (one finding when unmet)
    - id: disclaimer
      message: 缺少免责声明…      # optional; defaults to the rule message
      terms: [免责声明, 免责说明]  # any of these anywhere satisfies the check
      patterns: ['…']            # or any of these regexes
      pairs:                     # or one term of every group within one paragraph
        - [仅供参考, 不构成医疗建议]
        - [请咨询专业医生, 如有不适请及时就医]
      front_matter: [author, reviewer]   # or one of these front-matter keys, non-empty
      head_lines: 0              # if > 0, terms/patterns only count in the first N lines
  opening: 3                   # placement: paragraphs that count as the opening block
  closing: 5                   # placement: paragraphs that count as the closing block

``required`` fires once per unmet check at line 1 (an empty span). ``placement`` fires
at a satisfied check that stands only in the middle of the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Any

from ..context import Context
from ..document import Document
from ..model import Finding
from ..normalize import fold_term
from .base import Hits, Kind, compile_patterns


class DocumentRule(Kind):
    @classmethod
    def validate(cls, params: Mapping[str, Any]) -> str | None:
        if params.get("mode", "required") not in ("required", "placement"):
            return "/mode: must be 'required' or 'placement'"
        checks = params.get("checks")
        if not isinstance(checks, list) or not checks:
            return "/checks: a document rule needs a non-empty list of checks"
        for i, check in enumerate(checks):
            if not isinstance(check, dict) or "id" not in check:
                return f"/checks/{i}: each check needs an id"
            try:
                compile_patterns(check.get("patterns", []), f"checks/{i}/patterns")
            except ValueError as exc:
                return str(exc)
        return None

    @cached_property
    def checks(self) -> list[dict[str, Any]]:
        out = []
        for check in self.params["checks"]:
            c = dict(check)
            c["_terms"] = _alternation(check.get("terms", []))
            c["_patterns"] = compile_patterns(check.get("patterns", []), "patterns")
            c["_pairs"] = [_alternation(group) for group in check.get("pairs", [])]
            out.append(c)
        return out

    def check(self, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
        placement = self.params.get("mode", "required") == "placement"
        for check in self.checks:
            where = self._locations(doc, check)
            if placement:
                if where and not any(self._in_open_or_close(doc, pos) for pos in where):
                    start, end = where[0], where[0] + 1
                    for m in re.finditer(r"[^\n]+", doc.norm[start:]):
                        end = start + m.end()
                        break
                    yield self.finding(doc, start, end, self.rule.severity, message=check.get("message"))
            elif not where and not _front_matter_has(doc, check.get("front_matter", [])):
                yield self.finding(doc, 0, 0, self.rule.severity, message=check.get("message"))

    def _locations(self, doc: Document, check: dict[str, Any]) -> list[int]:
        """Folded offsets where the check is satisfied, in document order."""
        norm = doc.norm
        limit = len(norm)
        if check.get("head_lines"):
            limit = _offset_of_line(norm, int(check["head_lines"]))
        found = [m.start() for m in check["_terms"].finditer(norm, 0, limit)] if check["_terms"] else []
        for pat in check["_patterns"]:
            found.extend(m.start() for m in pat.finditer(norm, 0, limit))
        groups = check["_pairs"]
        if groups:
            for p_start, p_end in doc.paragraphs:
                firsts = [g.search(norm, p_start, p_end) for g in groups]
                if all(firsts):
                    found.append(min(m.start() for m in firsts if m))
        return sorted(found)

    def _in_open_or_close(self, doc: Document, pos: int) -> bool:
        n = len(doc.paragraphs)
        i = doc.paragraph_index(pos)
        return i < int(self.params.get("opening", 3)) or i >= n - int(self.params.get("closing", 5))


def _alternation(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    ordered = sorted({fold_term(w) for w in words}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered))


def _offset_of_line(text: str, n: int) -> int:
    pos = 0
    for _ in range(n):
        nl = text.find("\n", pos)
        if nl < 0:
            return len(text)
        pos = nl + 1
    return pos


def _front_matter_has(doc: Document, keys: list[str]) -> bool:
    fm = doc.front_matter
    return any(fm.get(k) not in (None, "", [], {}) for k in keys)


KIND = DocumentRule
