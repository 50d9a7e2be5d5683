"""Evidence around a claim: citations, named sources, registry IDs, as-of dates, references.

Computed once per document (memoised on the :class:`~kepulint.text.document.Document`) and
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

Kept cheap: one Aho-Corasick pass finds every literal the vocabulary looks up. A pattern
whose matches all start with known literals is then tried only where one occurs (where ``re``
would try every position: a pattern starting with ``\\b``, a lookaround, a character class or
a ``(?i)`` letter); the named-source patterns run only in the windows around their literals,
and one that starts with an institution or organisation only where the word that ends it
is followed by the rest of the pattern.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ..rules.prefilter import find_windows, matches_at, may_occur, windows_around
from ..rules.regex_literals import CaseInsensitive
from ..text.document import Document
from .evidence_vocab import (
    MARKER_KEPT,
    MARKER_STRIP,
    TERMINAL,
    EvidenceVocabulary,
    Marker,
    NamedSource,
    Registry,
    plain_literals,
    vocabulary,
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


_NON_SPACE = re.compile(r"\S")
_NOT_TRAILING = re.compile(r"[^ \t.。;；,，)）]")  # what ``str.strip(" \t.。;；,，)）")`` would keep
_LEADER = re.compile(r"[\s\-*•>#]*")  # blanks and list marks opening a record label (see _labelled)
RECORD_LABEL = r"^[\s\-*•>#]*[^\n:：。]{0,30}[:：]\s*$"  # data/evidence.yaml's record_label
LABEL_SLACK = 64  # record labels are at most ~32 characters after their leader


def _compact(text: str) -> str:
    core = re.sub(r"(?i)^EudraCT[^0-9]*", "", text)
    return re.sub(r"\s", "", core)


class Evidence:
    """Positions of evidence in one document (folded offsets)."""

    def __init__(self, doc: Document, vocab: EvidenceVocabulary | None = None) -> None:
        self.doc = doc
        self.v = vocab or vocabulary()
        self._starts_memo: dict[frozenset[str] | None, list[int]] = {}

    # -- markers ----------------------------------------------------------------------
    @cached_property
    def _occurrences(self) -> dict[frozenset[str], list[tuple[int, int]]]:
        """For each looked-up literal set, the spans of its literals in the text, sorted
        (overlapping ones too)."""
        v = self.v
        found: dict[frozenset[str], list[tuple[int, int]]] = {}
        if v.literals:
            for index, start, end in v.automaton.find_matches_as_indexes(self.doc.norm, overlapping=True):
                for literals in v.literal_sets[index]:
                    found.setdefault(literals, []).append((start, end))
        for spans in found.values():
            spans.sort()
        return found

    def _spans(self, literals: frozenset[str] | None) -> list[tuple[int, int]]:
        """Spans of ``literals`` (one of the looked-up sets) in the text, sorted."""
        return self._occurrences.get(literals, []) if literals else []

    def _starts(self, literals: frozenset[str] | None) -> list[int]:
        """Start offsets of the spans of ``literals`` (see :meth:`_spans`), sorted."""
        out = self._starts_memo.get(literals)
        if out is None:
            out = self._starts_memo[literals] = [start for start, _ in self._spans(literals)]
        return out

    def _found(self, marker: Marker) -> list[re.Match[str]]:
        """The matches ``marker.pattern.finditer`` finds in the text, none if its gate is shut."""
        norm = self.doc.norm
        if marker.anchor:
            matches = matches_at(marker.pattern, norm, self._starts(marker.anchor))
        else:
            matches = list(marker.pattern.finditer(norm))
        return matches if matches and self._gate_open(marker.gate, matches) else []

    def _gate_open(self, gate: frozenset[str] | None, matches: list[re.Match[str]]) -> bool:
        """:func:`~kepulint.rules.prefilter.may_occur` for a marker's gate, answered by the
        marker's matches when one holds a literal of it."""
        if gate is None:
            return True
        folded = isinstance(gate, CaseInsensitive)
        for m in matches:
            text = m.group().lower() if folded else m.group()
            if any(lit in text for lit in gate if lit.isascii() or not folded):
                return True
        return may_occur(self.doc, gate)

    def _windows(self, literals: frozenset[str] | None) -> list[tuple[int, int]]:
        """:func:`~kepulint.rules.prefilter.find_windows`, from the automaton's spans."""
        if not plain_literals(literals):
            return find_windows(self.doc, literals)
        return windows_around(self.doc, self._spans(literals))

    def _names(self, src: NamedSource) -> list[tuple[int, int]]:
        """Spans of the words ending a name of ``src`` that the rest of its pattern may
        follow (all of them if the rest depends on where the text ends)."""
        assert src.rest is not None
        spans = self._spans(src.name_ends)
        if not src.free_rest:
            return spans
        return [span for span in spans if src.rest.match(self.doc.norm, span[1])]

    def _name_start(self, src: NamedSource, names: list[tuple[int, int]], lo: int, hi: int) -> int | None:
        """Where a match of ``src`` in ``lo:hi`` starts at the earliest: ``reach`` before the
        first of ``names`` that the rest of the pattern follows (None: no match)."""
        assert src.rest is not None
        best = None
        for k in range(bisect_left(names, (lo, lo)), len(names)):
            start, end = names[k]
            if start >= hi or (best is not None and start >= best):
                break
            if end <= hi and (best is None or end < best) and src.rest.match(self.doc.norm, end, hi):
                best = end
        return None if best is None else max(lo, best - src.reach)

    def _named_in(self, src: NamedSource, names: list[tuple[int, int]], lo: int, hi: int) -> Iterable[re.Match[str]]:
        """What ``src.pattern.finditer(norm, lo, hi)`` finds (``names``: see :meth:`_names`)."""
        if src.anchor:
            return matches_at(src.pattern, self.doc.norm, self._starts(src.anchor), lo, hi)
        if src.rest is not None:
            start = self._name_start(src, names, lo, hi)
            if start is None:
                return ()
            lo = start
        return src.pattern.finditer(self.doc.norm, lo, hi)

    @cached_property
    def named_sources(self) -> list[tuple[int, int]]:
        """Spans of named sources (each pattern separately; overlapping spans are kept)."""
        spans: set[tuple[int, int]] = set()
        windows: dict[frozenset[str] | None, list[tuple[int, int]]] = {}
        for src in self.v.named_searches:
            names = self._names(src) if src.rest else []
            if (src.anchor and not self._spans(src.anchor)) or (src.rest and not names):
                continue  # no match anywhere
            if src.literals not in windows:
                windows[src.literals] = self._windows(src.literals)
            for lo, hi in windows[src.literals]:
                spans.update(m.span() for m in self._named_in(src, names, lo, hi) if m.end() > m.start())
        return sorted(spans)

    @cached_property
    def citations(self) -> list[tuple[int, int]]:
        """Citation markers, named sources and registry IDs (sorted spans)."""
        spans = sorted({m.span() for marker in self.v.citation_markers for m in self._found(marker)
                        if m.end() > m.start()})
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
        found: list[RegistryId] = []
        taken: list[tuple[int, int]] = []  # sorted, never overlapping: only the span before an end can overlap
        for reg, marker in zip(self.v.registries, self.v.registry_markers, strict=True):
            for m in self._found(marker):
                k = bisect_left(taken, (m.end(), -1)) - 1  # the last span starting before m ends
                if k >= 0 and taken[k][1] > m.start() and m.end() > m.start():
                    continue
                if m.end() == m.start() and any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                text = m.group()
                valid = bool(reg.valid.search(_compact(text)))
                found.append(RegistryId(m.start(), m.end(), text, reg, valid))
                insort(taken, m.span())
        return sorted(found, key=lambda r: r.start)

    @cached_property
    def dates(self) -> list[AsOfDate]:
        """As-of dates: longest match wins; planned dates and registry IDs are not dates."""
        norm = self.doc.norm
        ids = self.registry_ids
        id_starts = self._registry_starts
        candidates: list[tuple[int, int, date]] = []
        for marker in self.v.date_markers:
            for m in self._found(marker):
                k = bisect_left(id_starts, m.end()) - 1  # the last ID starting before the date ends
                if k >= 0 and ids[k].end > m.start():
                    continue
                if self.v.date_not_as_of and self.v.date_not_as_of.search(norm, max(0, m.start() - 6), m.start()):
                    continue
                value = _to_date(m.groupdict())
                if value is not None:
                    candidates.append((m.start(), m.end(), value))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        covered = bytearray(len(norm) + 1)  # 1 where a kept date lies (dates are never empty)
        out: list[AsOfDate] = []
        for start, end, value in candidates:  # longest first
            if covered.find(1, start, end) >= 0:
                continue
            covered[start:end] = b"\x01" * (end - start)
            out.append(AsOfDate(start, end, value))
        return sorted(out, key=lambda d: d.start)

    @cached_property
    def references_start(self) -> int:
        """Folded offset where the references section starts (len(norm) if none)."""
        norm = self.doc.norm
        literals = self.v.references_literals
        first = 0  # a heading starts the line holding its word
        if plain_literals(literals):
            at = self._spans(literals)
            if not at:
                return len(norm)
            first = norm.rfind("\n", 0, at[0][0]) + 1
        m = None
        for m in self.v.references_heading.finditer(norm, first):  # noqa: B007
            pass
        return m.start() if m else len(norm)

    def in_references(self, pos: int) -> bool:
        return pos >= self.references_start

    # -- multi-sentence spans -------------------------------------------------------------
    @cached_property
    def _newlines(self) -> list[int]:
        return [m.start() for m in re.finditer("\n", self.doc.norm)]

    def _line_of(self, start: int, end: int) -> tuple[int, int]:
        """The line holding ``start:end`` (from after the last LF before ``start`` to the
        first LF at or after ``end``), found by bisect rather than by scanning a long line."""
        newlines = self._newlines
        k = bisect_left(newlines, start) - 1
        lo = newlines[k] + 1 if k >= 0 else 0
        k = bisect_left(newlines, end)
        return lo, (newlines[k] if k < len(newlines) else len(self.doc.norm))

    def _sentence_is_line(self, i: int) -> bool:
        """Unit ``i`` is its line, stripped (only whitespace around it on the line)."""
        s, e = self.units[i]
        lo, hi = self._line_of(s, e)
        norm = self.doc.norm
        first = _NON_SPACE.search(norm, lo, hi)
        return first is not None and first.start() == s and not norm[e - 1].isspace() \
            and _NON_SPACE.search(norm, e, hi) is None

    def heading_like(self, i: int) -> bool:
        """Sentence unit ``i`` is a line of its own that reads as a heading.

        Markdown headings; in any text, a short line with no sentence-final or clause
        punctuation at its end, or a short question standing alone (“…有哪些？”).
        """
        s, e = self.units[i]
        norm = self.doc.norm
        if norm[s] == "#" or (norm[s].isspace() and norm[s:e].lstrip().startswith("#")):
            return True
        size, last = e - s, norm[e - 1]
        short = (size <= 40 and last not in TERMINAL) or (size <= 30 and last in "?？")
        return short and self._sentence_is_line(i)

    @cached_property
    def study_blocks(self) -> list[tuple[int, int]]:
        """Spans of study blocks (see the module docstring)."""
        v = self.v
        sents = self.units
        norm = self.doc.norm
        cite = self.citations
        starts = self._citation_starts
        intros = self._intro_units
        breaks = v.study_break
        may_break = self._units_holding(v.break_literals) if breaks else set()

        def cited(i: int) -> bool:
            s, e = sents[i]
            k = bisect_left(starts, s)
            return k < len(cite) and cite[k][0] < e

        blocks: list[tuple[int, int]] = []
        free = 0  # the first unit after the last block
        n = len(sents)
        for i in sorted(intros):
            if i < free or not (cited(i) or (i + 1 < n and cited(i + 1))):
                continue
            j = i
            while j + 1 < n and j + 1 - i <= v.block_sentences:
                nxt = j + 1
                ns, ne = sents[nxt]
                if self.heading_like(nxt) or (breaks and nxt in may_break and breaks.search(norm[ns:ne])):
                    break
                if nxt > i + 1 and nxt in intros and cited(nxt):
                    break
                j = nxt
            blocks.append((sents[i][0], sents[j][1]))
            free = j + 1
        return blocks

    @cached_property
    def _intro_units(self) -> set[int]:
        """Indexes of the units in which ``study_intro`` matches."""
        intro, units = self.v.study_intro, self.units
        if intro is None:
            return set()
        return {i for i in self._units_holding(self.v.intro_literals) if intro.search(self.doc.norm, *units[i])}

    def _units_holding(self, literals: frozenset[str] | None) -> set[int]:
        """Indexes of the units that may hold one of ``literals`` (all if they are not
        looked up): the only ones a pattern requiring them can match in."""
        if not plain_literals(literals):
            return set(range(len(self.units)))
        return {self.unit_index(start) for start, _ in self._spans(literals)} if self.units else set()

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
            if not self._labelled(lo, rid.start):
                continue
            if _NOT_TRAILING.search(norm, rid.end, hi):  # more than punctuation after the ID
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

    def _labelled(self, lo: int, start: int) -> bool:
        """``record_label`` matches the line's text before an ID (``norm[lo:start]``). The
        label is a short field name after a run of blanks and list marks, so a longer text
        is rejected without copying it (a long line of IDs is not copied once per ID)."""
        norm = self.doc.norm
        assert self.v.record_label is not None
        if self.v.record_label.pattern != RECORD_LABEL:  # the check below knows this pattern only
            return bool(self.v.record_label.search(norm[lo:start]))
        lead = self._lead_end(lo)
        tail = start
        while tail > lead and norm[tail - 1].isspace() and start - tail <= LABEL_SLACK:
            tail -= 1
        if tail - lead > LABEL_SLACK and start - tail <= LABEL_SLACK:
            return False
        return bool(self.v.record_label.search(norm[lo:start]))

    def _lead_end(self, lo: int) -> int:
        """The end of the run of blanks and list marks that starts the line at ``lo``."""
        memo = self._lead_memo
        end = memo.get(lo)
        if end is None:
            m = _LEADER.match(self.doc.norm, lo)
            end = memo[lo] = m.end() if m else lo
        return end

    @cached_property
    def _lead_memo(self) -> dict[int, int]:
        return {}

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
        maybe = self._maybe_markers()
        out: list[tuple[int, int]] = []
        for i, span in enumerate(self.doc.sentences):
            if out and i in maybe and self._only_markers(out[-1][1], *span):
                out[-1] = (out[-1][0], span[1])
            else:
                out.append(span)
        return out

    def _maybe_markers(self) -> set[int]:
        """Indexes of the sentences that may be made only of citation markers: they start
        with a marker or with a character stripped around markers."""
        norm, firsts = self.doc.norm, self.v.citation_firsts
        if firsts is None:
            return set(range(len(self.doc.sentences)))
        maybe = set()
        for i, (s, _) in enumerate(self.doc.sentences):
            first = norm[s]
            if first in MARKER_STRIP or (first in firsts and any(norm.startswith(lit, s) for lit in firsts[first])):
                maybe.add(i)
        return maybe

    def _only_markers(self, prev_end: int, start: int, end: int) -> bool:
        """Sentence ``start:end`` continues the line ending at ``prev_end`` and is made of
        citation markers and the characters stripped around them only."""
        norm = self.doc.norm
        if "\n" in norm[prev_end:start]:
            return False
        text = norm[start:end]
        if self.v.citation_firsts is None:
            return not self.v.citation.sub("", text).strip(MARKER_STRIP)
        # what citation.sub removes: markers, each starting at a character it would keep
        pos = 0
        while kept := MARKER_KEPT.search(text, pos):
            m = self.v.citation.match(text, kept.start())
            if m is None:
                return False
            pos = m.end()  # never empty: every marker starts with a literal
        return True

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

    def registry_present(self, pos: int, before: int = 2, after: int = 2, scope: str = "sentence") -> bool:
        """``bool(registry_near(...))`` without building the list (a line of thousands of IDs)."""
        lo, hi = self._window(pos, before, after, scope)
        i = bisect_left(self._registry_starts, lo)
        return (i < len(self._registry_starts) and self._registry_starts[i] < hi) or self.record_at(pos) is not None

    def dates_present(self, pos: int, before: int = 2, after: int = 2, scope: str = "sentence") -> bool:
        """``bool(dates_near(...))`` without building the list."""
        lo, hi = self._window(pos, before, after, scope)
        i = bisect_left(self._date_starts, lo)
        return i < len(self._date_starts) and self._date_starts[i] < hi

    def newest_date(self, pos: int, before: int = 2, after: int = 2, scope: str = "sentence") -> date | None:
        """The latest as-of date in the window (memoised per window: its triggers share it)."""
        window = self._window(pos, before, after, scope)
        if window not in self._newest_memo:
            found = self.dates_near(pos, before, after, scope)
            self._newest_memo[window] = max(d.value for d in found) if found else None
        return self._newest_memo[window]

    @cached_property
    def _newest_memo(self) -> dict[tuple[int, int], date | None]:
        return {}

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
