"""Evidence around a claim: citations, named sources, registry IDs, as-of dates, references.

Computed once per document (memoised on the :class:`~kepulint.document.Document`) and
queried by position. Vocabulary: ``data/evidence.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from .document import Document
from .normalize import fold_term


@dataclass(frozen=True)
class Registry:
    name: str
    detect: re.Pattern[str]
    valid: re.Pattern[str]
    example: str


@dataclass(frozen=True)
class EvidenceVocabulary:
    citation: re.Pattern[str]
    named_source: re.Pattern[str]
    registries: tuple[Registry, ...]
    dates: tuple[re.Pattern[str], ...]
    references_heading: re.Pattern[str]


@lru_cache(maxsize=1)
def vocabulary() -> EvidenceVocabulary:
    import yaml

    raw = resources.files("kepulint.data").joinpath("evidence.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    inst = "|".join(re.escape(fold_term(i)) for i in sorted(data["institutions"], key=len, reverse=True))
    named = "|".join(f"(?:{p.replace('@INST@', f'(?:{inst})')})" for p in data["named_source_patterns"])
    return EvidenceVocabulary(
        citation=re.compile("|".join(f"(?:{p})" for p in data["citation_patterns"])),
        named_source=re.compile(named),
        registries=tuple(
            Registry(r["name"], re.compile(r["detect"]), re.compile(r["valid"]), r["example"])
            for r in data["registries"]
        ),
        dates=tuple(re.compile(p) for p in data["date_patterns"]),
        references_heading=re.compile(data["references_heading"]),
    )


@dataclass(frozen=True)
class RegistryId:
    start: int
    end: int
    text: str
    registry: Registry
    valid: bool


@dataclass(frozen=True)
class AsOfDate:
    start: int
    end: int
    value: date


class Evidence:
    """Positions of evidence in one document (folded offsets)."""

    def __init__(self, doc: Document, vocab: EvidenceVocabulary | None = None) -> None:
        self.doc = doc
        self.v = vocab or vocabulary()

    @cached_property
    def citations(self) -> list[tuple[int, int]]:
        norm = self.doc.norm
        spans = [m.span() for m in self.v.citation.finditer(norm)]
        spans += [m.span() for m in self.v.named_source.finditer(norm)]
        spans += [(r.start, r.end) for r in self.registry_ids]
        return sorted(spans)

    @cached_property
    def _citation_starts(self) -> list[int]:
        return [s for s, _ in self.citations]

    @cached_property
    def registry_ids(self) -> list[RegistryId]:
        norm = self.doc.norm
        found: list[RegistryId] = []
        taken: list[tuple[int, int]] = []
        for reg in self.v.registries:
            for m in reg.detect.finditer(norm):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                text = m.group()
                core = re.sub(r"(?i)^EudraCT[^0-9]*", "", text)
                compact = re.sub(r"\s", "", core)
                valid = bool(reg.valid.search(compact)) or bool(reg.valid.search(" " + compact))
                found.append(RegistryId(m.start(), m.end(), text, reg, valid))
                taken.append(m.span())
        return sorted(found, key=lambda r: r.start)

    @cached_property
    def dates(self) -> list[AsOfDate]:
        norm = self.doc.norm
        out: list[AsOfDate] = []
        taken: list[tuple[int, int]] = []
        for pat in self.v.dates:
            for m in pat.finditer(norm):
                if any(a <= m.start() < b for a, b in taken):
                    continue
                value = _to_date(m.groupdict())
                if value is not None:
                    out.append(AsOfDate(m.start(), m.end(), value))
                    taken.append(m.span())
        return sorted(out, key=lambda d: d.start)

    @cached_property
    def references_start(self) -> int:
        """Folded offset where the references section starts (len(norm) if none)."""
        m = None
        for m in self.v.references_heading.finditer(self.doc.norm):  # noqa: B007
            pass
        return m.start() if m else len(self.doc.norm)

    def in_references(self, pos: int) -> bool:
        return pos >= self.references_start

    # -- proximity queries ----------------------------------------------------------
    def _window(self, pos: int, before: int, after: int, scope: str = "sentence") -> tuple[int, int]:
        if scope == "paragraph":
            return self.doc.paragraph_at(pos)
        return self.doc.sentence_window(pos, before, after)

    def cited_near(self, pos: int, before: int = 0, after: int = 1, scope: str = "sentence") -> bool:
        """A citation, named source or registry ID within the window around ``pos``."""
        lo, hi = self._window(pos, before, after, scope)
        i = bisect_left(self._citation_starts, lo)
        return i < len(self.citations) and self.citations[i][0] < hi

    def registry_near(self, pos: int, before: int = 2, after: int = 2, scope: str = "sentence") -> list[RegistryId]:
        lo, hi = self._window(pos, before, after, scope)
        return [r for r in self.registry_ids if lo <= r.start < hi]

    def dates_near(self, pos: int, before: int = 2, after: int = 2, scope: str = "sentence") -> list[AsOfDate]:
        lo, hi = self._window(pos, before, after, scope)
        return [d for d in self.dates if lo <= d.start < hi]


def _to_date(parts: dict[str, str | None]) -> date | None:
    try:
        y = int(parts.get("y") or 0)
        m = int(parts.get("m") or 12)
        d = int(parts.get("d") or 1)
        return date(y, m, d)
    except (ValueError, TypeError):
        return None


def evidence(doc: Document) -> Evidence:
    """The (memoised) evidence index of ``doc``."""
    return doc.memo("evidence", Evidence)  # type: ignore[no-any-return]
