"""Evidence around a claim: citations, named sources, registry IDs, as-of dates, references.

Computed once per document (memoised on the :class:`~kepulint.document.Document`) and
queried by position. Vocabulary: ``data/evidence.yaml``.

Besides single markers, two spans carry evidence over several sentences:

* a *study block*: a sentence that introduces one cited or named publication
  (“…在《X》上发表了一篇研究。【1】”) and the sentences after it that report that
  publication, up to a heading-like line, a sentence that starts another study, or
  ``block_sentences`` sentences; inside it, a sentence that points back at the
  publication (本综述评估了…) *attributes* the sentences right after it;
* a *trial record*: a registry ID given as a labelled field (“临床试验编号：NCT…”) and
  the lines after it that describe that trial, up to its status field, the next
  registry ID, or ``record_sentences`` sentences.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from typing import Any

from .document import Document
from .normalize import fold_term

_TERMINAL = "。.!?;！？；,，:：、"


@dataclass(frozen=True)
class Registry:
    name: str
    detect: re.Pattern[str]
    valid: re.Pattern[str]
    example: str


@dataclass(frozen=True)
class EvidenceVocabulary:
    citation: re.Pattern[str]
    named_source: tuple[re.Pattern[str], ...]
    registries: tuple[Registry, ...]
    dates: tuple[re.Pattern[str], ...]
    references_heading: re.Pattern[str]
    date_not_as_of: re.Pattern[str] | None = None
    study_intro: re.Pattern[str] | None = None
    study_break: re.Pattern[str] | None = None
    block_sentences: int = 20
    anaphora: re.Pattern[str] | None = None
    record_label: re.Pattern[str] | None = None
    record_end: re.Pattern[str] | None = None
    record_sentences: int = 40
    citation_sources: tuple[str, ...] = ()

    @cached_property
    def citation_parts(self) -> tuple[tuple[re.Pattern[str], frozenset[str] | None], ...]:
        """The citation alternatives one by one, each with its literal prefilter."""
        from .prefilter import required_literals

        parts = tuple(re.compile(p) for p in self.citation_sources)
        return tuple((p, required_literals(p.pattern)) for p in parts)

    @cached_property
    def registry_literals(self) -> tuple[frozenset[str] | None, ...]:
        from .prefilter import required_literals

        return tuple(required_literals(r.detect.pattern) for r in self.registries)

    @cached_property
    def named_source_literals(self) -> tuple[frozenset[str] | None, ...]:
        """Literal prefilters of the named-source patterns (see :mod:`kepulint.prefilter`)."""
        from .prefilter import required_literals

        return tuple(required_literals(p.pattern) for p in self.named_source)


def _optional(data: dict[str, Any], key: str, flags: int = 0) -> re.Pattern[str] | None:
    return re.compile(data[key], flags) if data.get(key) else None


def build_vocabulary(data: dict[str, Any]) -> EvidenceVocabulary:
    """Compile the evidence vocabulary from its YAML data."""
    names = sorted({fold_term(i) for i in data["institutions"]}, key=len, reverse=True)
    # a first-character lookahead lets the regex engine skip most positions quickly
    first = "".join(sorted({re.escape(n[0]) for n in names}))
    inst = f"(?=[{first}])(?:" + "|".join(re.escape(n) for n in names) + ")"
    org = data.get("organisation") or r"(?!x)x"
    named = tuple(
        re.compile(p.replace("@INST@", f"(?:{inst})").replace("@ORG@", f"(?:{org})"))
        for p in data["named_source_patterns"]
    )
    return EvidenceVocabulary(
        citation=re.compile("|".join(f"(?:{p})" for p in data["citation_patterns"])),
        citation_sources=tuple(data["citation_patterns"]),
        named_source=named,
        registries=tuple(
            Registry(r["name"], re.compile(r["detect"]), re.compile(r["valid"], re.I), r["example"])
            for r in data["registries"]
        ),
        dates=tuple(re.compile(p) for p in data["date_patterns"]),
        references_heading=re.compile(data["references_heading"]),
        date_not_as_of=_optional(data, "date_not_as_of"),
        study_intro=_optional(data, "study_intro"),
        study_break=_optional(data, "study_break"),
        block_sentences=int(data.get("block_sentences", 20)),
        anaphora=_optional(data, "anaphora"),
        record_label=_optional(data, "record_label", re.I),
        record_end=_optional(data, "record_end", re.I),
        record_sentences=int(data.get("record_sentences", 40)),
    )


@lru_cache(maxsize=1)
def vocabulary() -> EvidenceVocabulary:
    from .data import load_yaml

    return build_vocabulary(load_yaml("evidence.yaml"))


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


def _compact(text: str) -> str:
    core = re.sub(r"(?i)^EudraCT[^0-9]*", "", text)
    return re.sub(r"\s", "", core)


class Evidence:
    """Positions of evidence in one document (folded offsets)."""

    def __init__(self, doc: Document, vocab: EvidenceVocabulary | None = None) -> None:
        self.doc = doc
        self.v = vocab or vocabulary()

    # -- markers ----------------------------------------------------------------------
    @cached_property
    def named_sources(self) -> list[tuple[int, int]]:
        """Spans of named sources (each pattern separately; overlapping spans are kept)."""
        from .prefilter import find_windows

        norm = self.doc.norm
        spans: set[tuple[int, int]] = set()
        for pat, literals in zip(self.v.named_source, self.v.named_source_literals, strict=True):
            for lo, hi in find_windows(self.doc, literals):
                spans.update(m.span() for m in pat.finditer(norm, lo, hi) if m.end() > m.start())
        return sorted(spans)

    @cached_property
    def citations(self) -> list[tuple[int, int]]:
        """Citation markers, named sources and registry IDs (sorted spans)."""
        from .prefilter import may_occur

        norm = self.doc.norm
        spans = sorted({m.span() for pat, literals in self.v.citation_parts if may_occur(self.doc, literals)
                        for m in pat.finditer(norm) if m.end() > m.start()})
        spans += self.named_sources
        spans += [(r.start, r.end) for r in self.registry_ids]
        return sorted(spans)

    @cached_property
    def _citation_starts(self) -> list[int]:
        return [s for s, _ in self.citations]

    @cached_property
    def _named_starts(self) -> list[int]:
        return [s for s, _ in self.named_sources]

    @cached_property
    def registry_ids(self) -> list[RegistryId]:
        norm = self.doc.norm
        found: list[RegistryId] = []
        taken: list[tuple[int, int]] = []
        from .prefilter import may_occur

        for reg, literals in zip(self.v.registries, self.v.registry_literals, strict=True):
            if not may_occur(self.doc, literals):
                continue
            for m in reg.detect.finditer(norm):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                text = m.group()
                valid = bool(reg.valid.search(_compact(text)))
                found.append(RegistryId(m.start(), m.end(), text, reg, valid))
                taken.append(m.span())
        return sorted(found, key=lambda r: r.start)

    @cached_property
    def dates(self) -> list[AsOfDate]:
        """As-of dates: longest match wins; planned dates and registry IDs are not dates."""
        norm = self.doc.norm
        ids = self.registry_ids
        id_starts = self._registry_starts
        candidates: list[tuple[int, int, date]] = []
        for pat in self.v.dates:
            for m in pat.finditer(norm):
                k = bisect_left(id_starts, m.end()) - 1  # the last ID starting before the date ends
                if k >= 0 and ids[k].end > m.start():
                    continue
                if self.v.date_not_as_of and self.v.date_not_as_of.search(norm, max(0, m.start() - 6), m.start()):
                    continue
                value = _to_date(m.groupdict())
                if value is not None:
                    candidates.append((m.start(), m.end(), value))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        spans: list[tuple[int, int]] = []  # kept sorted; they never overlap
        out: list[AsOfDate] = []
        for start, end, value in candidates:  # longest first
            k = bisect_left(spans, (start, end))
            if (k > 0 and spans[k - 1][1] > start) or (k < len(spans) and spans[k][0] < end):
                continue
            spans.insert(k, (start, end))
            out.append(AsOfDate(start, end, value))
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

    # -- multi-sentence spans -------------------------------------------------------------
    def _line_of(self, start: int, end: int) -> tuple[int, int]:
        norm = self.doc.norm
        lo = norm.rfind("\n", 0, start) + 1
        hi = norm.find("\n", end)
        return lo, (len(norm) if hi < 0 else hi)

    def _sentence_is_line(self, i: int) -> bool:
        s, e = self.units[i]
        lo, hi = self._line_of(s, e)
        return self.doc.norm[lo:hi].strip() == self.doc.norm[s:e]

    def heading_like(self, i: int) -> bool:
        """Sentence unit ``i`` is a line of its own that reads as a heading.

        Markdown headings; in any text, a short line with no sentence-final or clause
        punctuation at its end, or a short question standing alone (“…有哪些？”).
        """
        s, e = self.units[i]
        text = self.doc.norm[s:e]
        if text.lstrip().startswith("#"):
            return True
        if not self._sentence_is_line(i):
            return False
        if len(text) <= 40 and text[-1] not in _TERMINAL:
            return True
        return len(text) <= 30 and text[-1] in "?？"

    @cached_property
    def study_blocks(self) -> list[tuple[int, int]]:
        """Spans of study blocks (see the module docstring)."""
        v = self.v
        if v.study_intro is None:
            return []
        sents = self.units
        norm = self.doc.norm
        cite = self.citations
        starts = self._citation_starts

        def cited(i: int) -> bool:
            s, e = sents[i]
            k = bisect_left(starts, s)
            return k < len(cite) and cite[k][0] < e

        blocks: list[tuple[int, int]] = []
        i = 0
        n = len(sents)
        while i < n:
            s, e = sents[i]
            if not v.study_intro.search(norm, s, e) or not (cited(i) or (i + 1 < n and cited(i + 1))):
                i += 1
                continue
            j = i
            while j + 1 < n and j + 1 - i <= v.block_sentences:
                nxt = j + 1
                ns, ne = sents[nxt]
                if self.heading_like(nxt) or (v.study_break and v.study_break.search(norm[ns:ne])):
                    break
                if nxt > i + 1 and v.study_intro.search(norm, ns, ne) and cited(nxt):
                    break
                j = nxt
            blocks.append((s, sents[j][1]))
            i = j + 1
        return blocks

    @cached_property
    def records(self) -> list[tuple[int, int, RegistryId]]:
        """Trial records: (start, end, registry ID) spans (see the module docstring)."""
        v = self.v
        if v.record_label is None:
            return []
        norm = self.doc.norm
        sents = self.doc.sentences
        ids = self.registry_ids
        out: list[tuple[int, int, RegistryId]] = []
        for k, rid in enumerate(ids):
            lo, hi = self._line_of(rid.start, rid.end)
            if not v.record_label.search(norm[lo : rid.start]):
                continue
            if norm[rid.end : hi].strip(" \t.。;；,，)）"):
                continue
            next_id = self._line_of(ids[k + 1].start, ids[k + 1].end)[0] if k + 1 < len(ids) else len(norm)
            first = self.doc.sentence_index(rid.start)
            end = rid.end
            for i in range(first + 1, min(len(sents), first + 1 + v.record_sentences)):
                s, e = sents[i]
                if e > next_id:
                    break
                end = e
                if v.record_end is not None:
                    ls, le = self._line_of(s, e)
                    if ls == s and v.record_end.search(norm[ls:le]):
                        break
            out.append((lo, end, rid))
        return out

    @cached_property
    def _record_starts(self) -> list[int]:
        return [r[0] for r in self.records]

    def record_at(self, pos: int) -> RegistryId | None:
        """The registry ID of the trial record holding ``pos`` (records do not nest)."""
        k = bisect_right(self._record_starts, pos) - 1
        if k >= 0 and pos < self.records[k][1]:
            return self.records[k][2]
        return None

    @cached_property
    def _block_starts(self) -> list[int]:
        return [b[0] for b in self.study_blocks]

    def _block_at(self, pos: int) -> tuple[int, int] | None:
        k = bisect_right(self._block_starts, pos) - 1
        if k >= 0 and pos < self.study_blocks[k][1]:
            return self.study_blocks[k]
        return None

    def in_study_block(self, pos: int) -> bool:
        return self._block_at(pos) is not None or self.record_at(pos) is not None

    def attributed_near(self, pos: int, before: int = 2) -> bool:
        """Inside a study block, the sentence holding ``pos`` or one of the ``before``
        sentences before it points back at the publication (本综述…, 该研究…, 研究人员…)."""
        block = self._block_at(pos)
        if block is None or self.v.anaphora is None:
            return False
        i = self.unit_index(pos)
        for k in range(max(i - before, 0), i + 1):
            s, e = self.units[k]
            if s >= block[0] and self.v.anaphora.search(self.doc.norm, s, e):
                return True
        return False

    # -- proximity queries ----------------------------------------------------------
    @cached_property
    def units(self) -> list[tuple[int, int]]:
        """Sentences, with a sentence made only of citation markers (the “[1]” left after
        “…研究成果。[1]”) merged into the sentence before it on the same line."""
        norm = self.doc.norm
        out: list[tuple[int, int]] = []
        for s, e in self.doc.sentences:
            rest = self.v.citation.sub("", norm[s:e]).strip(" \t.,;:。")
            if out and not rest and "\n" not in norm[out[-1][1] : s]:
                out[-1] = (out[-1][0], e)
            else:
                out.append((s, e))
        return out

    @cached_property
    def _unit_starts(self) -> list[int]:
        return [s for s, _ in self.units]

    def unit_index(self, pos: int) -> int:
        return max(bisect_right(self._unit_starts, pos) - 1, 0)

    def _window(self, pos: int, before: int, after: int, scope: str = "sentence") -> tuple[int, int]:
        """Span of the sentence holding ``pos`` and ``before``/``after`` sentences around it
        (orphan citation markers count with the sentence they close), or its paragraph."""
        if scope == "paragraph":
            return self.doc.paragraph_at(pos)
        if not self.units:
            return (0, len(self.doc.norm))
        i = self.unit_index(pos)
        lo = max(i - before, 0)
        hi = min(i + after, len(self.units) - 1)
        return self.units[lo][0], self.units[hi][1]

    def cited_near(self, pos: int, before: int = 0, after: int = 1, scope: str = "sentence") -> bool:
        """A citation, named source or registry ID within the window around ``pos``
        (a trial record counts for the lines it covers)."""
        lo, hi = self._window(pos, before, after, scope)
        i = bisect_left(self._citation_starts, lo)
        if i < len(self.citations) and self.citations[i][0] < hi:
            return True
        return self.record_at(pos) is not None

    def named_near(self, pos: int, before: int = 1, after: int = 0, scope: str = "sentence") -> bool:
        """A named source (据WHO, 《期刊》…发表, 浙江大学…研究团队) within the window."""
        lo, hi = self._window(pos, before, after, scope)
        i = bisect_left(self._named_starts, lo)
        return i < len(self.named_sources) and self.named_sources[i][0] < hi

    @cached_property
    def _registry_starts(self) -> list[int]:
        return [r.start for r in self.registry_ids]

    def registry_near(self, pos: int, before: int = 2, after: int = 2, scope: str = "sentence") -> list[RegistryId]:
        """Registry IDs in the window, plus the ID of the trial record holding ``pos``."""
        lo, hi = self._window(pos, before, after, scope)
        i, j = bisect_left(self._registry_starts, lo), bisect_left(self._registry_starts, hi)
        found = self.registry_ids[i:j]
        rec = self.record_at(pos)
        if rec is not None and rec not in found:
            found.append(rec)
        return found

    @cached_property
    def _date_starts(self) -> list[int]:
        return [d.start for d in self.dates]

    def dates_near(self, pos: int, before: int = 2, after: int = 2, scope: str = "sentence") -> list[AsOfDate]:
        lo, hi = self._window(pos, before, after, scope)
        i, j = bisect_left(self._date_starts, lo), bisect_left(self._date_starts, hi)
        return self.dates[i:j]


def _to_date(parts: dict[str, str | None]) -> date | None:
    try:
        y = int(parts["roc"] or 0) + 1911 if parts.get("roc") else int(parts.get("y") or 0)
        m = int(parts.get("m") or 12)
        d = int(parts.get("d") or 1)
        return date(y, m, d)
    except (ValueError, TypeError):
        return None


def evidence(doc: Document) -> Evidence:
    """The (memoised) evidence index of ``doc``."""
    return doc.memo("evidence", Evidence)  # type: ignore[no-any-return]
