"""The evidence vocabulary (``data/evidence.yaml``), compiled once per process.

Citation markers, registry formats, date patterns, named-source templates (``@INST@``,
``@ORG@``), study-block and trial-record cues; each pattern with the literals it starts with
(:mod:`kepulint.rules.regex_literals`), so :mod:`kepulint.reading.evidence` tries it only where one occurs.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from ..rules.regex_literals import (
    CaseInsensitive,
    context_free,
    end_literals,
    has_prefix,
    max_width,
    required_literals,
    start_literals,
)
from ..text.normalize import fold_term

TERMINAL = "。.!?;！？；,，:：、"
MARKER_STRIP = " \t.,;:。"  # stripped around the citation markers of an orphan sentence
MARKER_KEPT = re.compile(f"[^{re.escape(MARKER_STRIP)}]")
_PLACES = ("@INST@", "@ORG@")
_HEAD = re.compile(r"@(?:INST|ORG)@|\(\?:@(?:INST|ORG)@(?:\|@(?:INST|ORG)@)*\)")  # a template's leading name


def _anchor(pattern: re.Pattern[str], starts: frozenset[str] | None) -> frozenset[str] | None:
    """The start literals to try ``pattern`` at, or None to let ``re`` search it: when they
    are unknown, or when one is a single character (frequent) and ``re`` has a prefix to
    search for (else it tries the pattern at every position)."""
    if starts is None or (min(map(len, starts)) == 1 and has_prefix(pattern)):
        return None
    return starts


class LazyRegex:
    """A regex compiled when it is first searched (the evidence vocabulary holds about forty,
    a draft needs a few): ``pattern`` and ``flags`` are there at once for the literal analysis
    (:mod:`kepulint.rules.regex_literals` parses, it does not compile)."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text, pos, endpos)

    def __getstate__(self) -> tuple[str, int]:
        return self.pattern, self.flags

    def __setstate__(self, state: tuple[str, int]) -> None:
        self.pattern, self.flags = state
        self._compiled = None


# -- the vocabulary ---------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Marker:
    """A marker pattern (citation, registry ID, date), found over the whole text."""

    pattern: re.Pattern[str]
    starts: frozenset[str] | None  # every match starts with one of these (None: unknown)
    anchor: frozenset[str] | None  # tried only where one of these occurs (else re searches it)
    gate: frozenset[str] | None  # prefilter: its matches count only when one of these occurs

    @classmethod
    def of(cls, pattern: re.Pattern[str], *, gated: bool = True) -> Marker:
        gate = required_literals(pattern.pattern) if gated else None
        starts = start_literals(pattern)
        return cls(pattern, starts, _anchor(pattern, starts), gate)


@dataclass(frozen=True, eq=False)
class NamedSource:
    """A named-source pattern, searched in the windows around its ``literals``
    (:func:`~kepulint.rules.prefilter.find_windows`), only at its ``anchor`` literals if it has
    some. One that starts with an institution or organisation keeps the ``rest`` of the
    pattern, the words that can end the name (``name_ends``) and its greatest length
    (``reach``): a window holds a match only where such a word is followed by the rest."""

    pattern: re.Pattern[str]
    literals: frozenset[str] | None
    anchor: frozenset[str] | None = None
    rest: re.Pattern[str] | None = None
    name_ends: frozenset[str] = frozenset()
    reach: int = 0
    free_rest: bool = False  # the rest matches alike wherever the text ends (no assertions)


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
    named_sources: tuple[NamedSource, ...] = ()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("automaton", None)  # a Rust object, not picklable; rebuilt on demand
        return state

    @cached_property
    def citation_markers(self) -> tuple[Marker, ...]:
        """The citation alternatives one by one."""
        return tuple(Marker.of(LazyRegex(p)) for p in self.citation_sources)  # type: ignore[arg-type]

    @cached_property
    def citation_firsts(self) -> dict[str, tuple[str, ...]] | None:
        """The literals citation markers start with, by first character (None: unknown)."""
        out: dict[str, tuple[str, ...]] = {}
        for marker in self.citation_markers:
            if marker.starts is None:
                return None
            for literal in sorted(marker.starts):
                out[literal[0]] = (*out.get(literal[0], ()), literal)
        return None if set(out) & set(MARKER_STRIP) else out

    @cached_property
    def registry_markers(self) -> tuple[Marker, ...]:
        return tuple(Marker.of(r.detect) for r in self.registries)

    @cached_property
    def date_markers(self) -> tuple[Marker, ...]:
        return tuple(Marker.of(p, gated=False) for p in self.dates)

    @cached_property
    def named_searches(self) -> tuple[NamedSource, ...]:
        """:attr:`named_sources`, or plain ones for a vocabulary built without them."""
        return self.named_sources or tuple(
            NamedSource(p, required_literals(p.pattern), _anchor(p, start_literals(p))) for p in self.named_source)

    @cached_property
    def intro_literals(self) -> frozenset[str] | None:
        return required_literals(self.study_intro.pattern) if self.study_intro else None

    @cached_property
    def break_literals(self) -> frozenset[str] | None:
        return required_literals(self.study_break.pattern) if self.study_break else None

    @cached_property
    def references_literals(self) -> frozenset[str] | None:
        return required_literals(self.references_heading.pattern)

    @cached_property
    def looked_up(self) -> frozenset[frozenset[str]]:
        """The literal sets whose occurrences a document is scanned for (case-sensitive ones)."""
        wanted = [m.anchor for m in (*self.citation_markers, *self.registry_markers, *self.date_markers)]
        for src in self.named_searches:
            wanted += [src.literals, src.anchor, src.name_ends]
        wanted += [self.intro_literals, self.break_literals, self.references_literals]
        return frozenset(w for w in wanted if w is not None and plain_literals(w))

    @cached_property
    def literals(self) -> tuple[str, ...]:
        """Every literal looked up in a document (in one pass of :attr:`automaton`)."""
        return tuple(sorted(set().union(*self.looked_up)))

    @cached_property
    def literal_sets(self) -> tuple[tuple[frozenset[str], ...], ...]:
        """For each of :attr:`literals`, the looked-up sets that hold it."""
        holding: dict[str, list[frozenset[str]]] = {lit: [] for lit in self.literals}
        for literals in self.looked_up:
            for lit in literals:
                holding[lit].append(literals)
        return tuple(tuple(holding[lit]) for lit in self.literals)

    @cached_property
    def automaton(self) -> Any:
        import ahocorasick_rs

        return ahocorasick_rs.AhoCorasick(list(self.literals), matchkind=ahocorasick_rs.MatchKind.Standard,
                                          implementation=ahocorasick_rs.Implementation.DFA)


def plain_literals(literals: frozenset[str] | None) -> bool:
    """Case-sensitive literals, looked up by the evidence automaton."""
    return bool(literals) and not isinstance(literals, CaseInsensitive)


def _optional(data: dict[str, Any], key: str, flags: int = 0) -> re.Pattern[str] | None:
    return re.compile(data[key], flags) if data.get(key) else None


def build_vocabulary(data: dict[str, Any]) -> EvidenceVocabulary:
    """Compile the evidence vocabulary from its YAML data."""
    names = sorted({fold_term(i) for i in data["institutions"]}, key=len, reverse=True)
    # a first-character lookahead lets the regex engine skip most positions quickly
    first = "".join(sorted({re.escape(n[0]) for n in names}))
    inst = f"(?=[{first}])(?:" + "|".join(re.escape(n) for n in names) + ")"
    org = data.get("organisation") or r"(?!x)x"
    places = {"@INST@": f"(?:{inst})", "@ORG@": f"(?:{org})"}
    ends = {"@INST@": frozenset(names), "@ORG@": end_literals(re.compile(org))}
    named = tuple(_named_source(p, places, ends) for p in data["named_source_patterns"])
    return EvidenceVocabulary(
        citation=re.compile("|".join(f"(?:{p})" for p in data["citation_patterns"])),
        citation_sources=tuple(data["citation_patterns"]),
        named_source=tuple(n.pattern for n in named),
        named_sources=named,
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


def _named_source(template: str, places: dict[str, str], ends: dict[str, frozenset[str] | None]) -> NamedSource:
    """A named-source pattern from its template (@INST@ and @ORG@ filled in)."""

    def filled(text: str) -> str:
        for place in _PLACES:
            text = text.replace(place, places[place])
        return text

    pattern: Any = LazyRegex(filled(template))  # compiled when a draft holds its literals
    literals = required_literals(pattern.pattern)
    head = _HEAD.match(template)
    words = [ends[place] for place in _PLACES if head and place in head.group()]
    if head is None or None in words:
        return NamedSource(pattern, literals, _anchor(pattern, start_literals(pattern)))
    name_ends = frozenset(word for some in words for word in some or ())
    reach = max_width(filled(head.group()))
    rest: Any = LazyRegex(filled(template[head.end() :]))
    return NamedSource(pattern, literals, None, rest, name_ends, reach, context_free(rest))


@lru_cache(maxsize=1)
def vocabulary() -> EvidenceVocabulary:
    from ..data import load_yaml

    return build_vocabulary(load_yaml("evidence.yaml"))
