"""A draft ready for the rules: original text, prose view, folded text and its structure.

All positions that rule kinds see are offsets into :attr:`Document.norm` (the folded
prose view); :meth:`Document.to_orig_span` maps them back to the original file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import markup, segment
from .matchindex import MatchIndex
from .normalize import OffsetMap, fold
from .source import LineIndex

# Front matter made of "key: value" lines only, where the values are plain scalars that mean the
# same to libyaml and to PyYAML's own parser: no indentation, flow or block collections, quotes,
# comments, tabs, control characters or unusual line breaks and spaces. Everything else goes to
# the pure-Python loader (see _load_yaml).
_NOT_PLAIN = r"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff#:?,\[\]{}"
_INDICATORS = r"\-!&*|>'\"%@`"
_PLAIN_SCALAR = rf"[^\s{_NOT_PLAIN}{_INDICATORS}][^ {_NOT_PLAIN}]*(?: +[^ {_NOT_PLAIN}]+)*"
_SIMPLE_LINE = rf"(?:\w[\w-]{{0,63}}:(?: +{_PLAIN_SCALAR})?)? *"
_SIMPLE_YAML = re.compile(rf"{_SIMPLE_LINE}(?:\r?\n{_SIMPLE_LINE})*")


def _load_yaml(raw: str) -> Any:
    """Parse ``raw`` with libyaml (about 6× faster) if it is simple, else with PyYAML's own parser.

    libyaml overflows the C stack and kills the process on deeply nested input (50 000 "["),
    and it accepts some documents that PyYAML's parser rejects (a tab between tokens,
    ``[\\?]``, ``a: |#``), so it only gets front matter that :data:`_SIMPLE_YAML` admits.
    """
    import yaml

    simple = _SIMPLE_YAML.fullmatch(raw) is not None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if simple else _capped_loader()
    return yaml.load(raw, Loader=loader)


def _capped_loader() -> Any:
    """The loader with alias and size limits for front matter that may hold aliases (see yamlsafe)."""
    from ..yamlsafe import CappedLoader

    return CappedLoader


@dataclass
class Document:
    """One file's text and everything derived from it (computed once, on demand)."""

    text: str
    path: str = "<text>"
    markdown: bool = False
    today: str = ""  # YYYY-MM-DD for date-relative rules
    profile: str = "cn"
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)
    _last_sentence: tuple[int, tuple[int, int]] = field(default=(-1, (0, 0)), init=False, repr=False, compare=False)

    @classmethod
    def from_text(cls, text: str, path: str = "<text>", *, markdown: bool | None = None,
                  today: str = "", profile: str = "cn") -> Document:
        if markdown is None:
            markdown = markup.is_markdown(path)
        return cls(text=text, path=path, markdown=markdown, today=today, profile=profile)

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def masked(self) -> markup.Masked:
        return markup.mask(self.text, self.markdown)

    @cached_property
    def _folded(self) -> tuple[str, OffsetMap]:
        return fold(self.masked.text)

    @property
    def norm(self) -> str:
        """The folded prose view that rules match against."""
        return self._folded[0]

    @property
    def offsets(self) -> OffsetMap:
        return self._folded[1]

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return segment.sentences(self.norm)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    @cached_property
    def paragraphs(self) -> list[tuple[int, int]]:
        return segment.paragraphs(self.norm, self.markdown)

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [s for s, _ in self.paragraphs]

    @cached_property
    def front_matter(self) -> dict[str, Any]:
        raw = self.masked.front_matter
        if not raw:
            return {}
        import yaml

        try:
            data = _load_yaml(raw)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
            # a draft's front matter is not ours to validate: invalid dates (2024-13-45 raises
            # ValueError in PyYAML), deep nesting (RecursionError) read as no front matter
            return {}
        return data if isinstance(data, dict) else {}

    def sentence_index(self, pos: int) -> int:
        """Index of the sentence containing (or nearest before) folded offset ``pos``."""
        return max(bisect_right(self._sentence_starts, pos) - 1, 0)

    def sentence_at(self, pos: int) -> tuple[int, int]:
        if pos == self._last_sentence[0]:  # the checks of one candidate ask about one position
            return self._last_sentence[1]
        if not self.sentences:
            return (0, len(self.norm))
        found = self.sentences[self.sentence_index(pos)]
        self._last_sentence = (pos, found)
        return found

    def sentence_window(self, pos: int, before: int = 0, after: int = 0) -> tuple[int, int]:
        """Span from ``before`` sentences before to ``after`` sentences after the one at ``pos``."""
        if not self.sentences:
            return (0, len(self.norm))
        i = self.sentence_index(pos)
        lo = max(i - before, 0)
        hi = min(i + after, len(self.sentences) - 1)
        return self.sentences[lo][0], self.sentences[hi][1]

    def paragraph_index(self, pos: int) -> int:
        return max(bisect_right(self._paragraph_starts, pos) - 1, 0)

    def paragraph_at(self, pos: int) -> tuple[int, int]:
        if not self.paragraphs:
            return (0, len(self.norm))
        return self.paragraphs[self.paragraph_index(pos)]

    def to_orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded span to the original text (0-based, end exclusive)."""
        return self.offsets.to_orig(start), self.offsets.to_orig_end(end)

    def release(self) -> None:
        """Drop the memoised analyses. They point back at the document (the evidence index,
        for one), so dropping them lets reference counting free a linted draft at once
        instead of leaving the cycle to the garbage collector (~10 % of linting time)."""
        self._cache.clear()

    def memo(self, key: str, build: Any) -> Any:
        """Per-document memo for shared analyses (citations, dates, flags)."""
        if key not in self._cache:
            self._cache[key] = build(self)
        return self._cache[key]

    def matches(self, pattern: re.Pattern[str]) -> MatchIndex:
        """Where ``pattern`` matches in :attr:`norm`, for range queries by bisect (one index per
        pattern and document: see :class:`~kepulint.text.matchindex.MatchIndex`)."""
        indexes: dict[re.Pattern[str], MatchIndex] = self.memo("match-indexes", lambda d: {})
        index = indexes.get(pattern)
        if index is None:
            index = indexes[pattern] = MatchIndex(pattern, self.norm)
        return index
