"""Range queries on one regex's matches, in logarithmic time instead of a scan per query.

Context checks ask, for every candidate, "the first (or last) match of this cue regex between
``lo`` and ``hi``" — ``pattern.search(text, lo, hi)`` or the last of ``pattern.finditer(text,
lo, hi)``. Asked once per candidate over a whole sentence, that is quadratic on a long line of
repeated triggers. :class:`MatchIndex` scans the text once (``finditer`` from 0) and answers
with ``bisect``, giving exactly what the direct call gives:

* the chain of non-overlapping matches ``finditer`` finds from ``lo`` is the full scan's chain
  from the first position where no full-scan match straddles (starts before and ends after)
  — usually ``lo`` itself; before that point the few private matches are found directly;
* a match the direct call would cut at ``hi`` (``endpos``) can only differ from the full scan's
  when a full-scan match straddles ``hi``; only that match's few characters are searched again.

This holds for patterns without anchors, lookaround or word boundaries (whose result depends on
the text outside the match) that never match the empty string; any other pattern, and short
ranges (:data:`SHORT`), are answered by the direct call.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

SHORT = 256  # ranges up to this many characters are searched directly (cheaper than an index)
_CONTEXT_SENSITIVE = re.compile(r"\\[bBAZ]|\(\?[=!<]|(?<!\[)\^|(?<!\\)\$")

Match = tuple[int, int, str]  # start, end, matched text


def indexable(pattern: re.Pattern[str]) -> bool:
    """True when the pattern's matches depend only on the text they cover (see the module doc)."""
    return _CONTEXT_SENSITIVE.search(pattern.pattern) is None and pattern.search("") is None


class MatchIndex:
    """The matches ``pattern.finditer(text)`` finds, for :meth:`first` and :meth:`last` queries."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.pattern = pattern
        self.text = text
        self.usable = indexable(pattern)
        self._built = False
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.groups: list[str] = []

    def _build(self) -> None:
        for m in self.pattern.finditer(self.text):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.groups.append(m.group())
        self._built = True

    def _direct(self, lo: int, hi: int) -> bool:
        if hi - lo <= SHORT or not self.usable:
            return True
        if not self._built:
            self._build()
        return False

    def _straddling(self, pos: int) -> int:
        """Index of the full-scan match that starts before ``pos`` and ends after it, or -1."""
        k = bisect_right(self.ends, pos)
        return k if k < len(self.starts) and self.starts[k] < pos else -1

    def full_scan(self, lo: int, hi: int) -> bool:
        """True when the direct calls on ``lo:hi`` see exactly the full scan's matches that lie
        in it (an index is usable and no full-scan match straddles ``lo`` or ``hi``); then
        :attr:`starts`, :attr:`ends` and :attr:`groups` from ``bisect_left(starts, lo)`` on,
        up to the last ending at or before ``hi``, are those matches."""
        if not self.usable:
            return False
        if not self._built:
            self._build()
        return self._straddling(lo) < 0 and self._straddling(hi) < 0

    def _match(self, m: re.Match[str]) -> Match:
        return m.start(), m.end(), m.group()

    def first(self, lo: int, hi: int) -> Match | None:
        """What ``pattern.search(text, lo, hi)`` finds."""
        if self._direct(lo, hi):
            m = self.pattern.search(self.text, lo, hi)
            return self._match(m) if m else None
        k = self._straddling(lo)
        if k >= 0:  # a match may start inside the straddling one
            for p in range(lo, min(self.ends[k], hi)):
                m = self.pattern.match(self.text, p, hi)
                if m:
                    return self._match(m)
            lo = self.ends[k]
        i = bisect_left(self.starts, lo)
        if i == len(self.starts) or self.starts[i] >= hi:
            return None
        if self.ends[i] <= hi:
            return self.starts[i], self.ends[i], self.groups[i]
        m = self.pattern.search(self.text, self.starts[i], hi)  # cut at hi: search its few characters
        return self._match(m) if m else None

    def last(self, lo: int, hi: int) -> Match | None:
        """The last match of ``pattern.finditer(text, lo, hi)``."""
        if self._direct(lo, hi):
            last = None
            for last in self.pattern.finditer(self.text, lo, hi):  # noqa: B007
                pass
            return self._match(last) if last else None
        found: Match | None = None
        pos = lo
        while pos < hi and self._straddling(pos) >= 0:  # private matches until the chains meet
            m = self.pattern.search(self.text, pos, hi)
            if m is None:
                return found
            found, pos = self._match(m), m.end()
        i, j = bisect_left(self.starts, pos), bisect_right(self.ends, hi) - 1
        if j >= i:
            found, pos = (self.starts[j], self.ends[j], self.groups[j]), self.ends[j]
        nxt = bisect_left(self.starts, pos)
        if nxt < len(self.starts) and self.starts[nxt] < hi:  # it straddles hi: search its characters
            for m in self.pattern.finditer(self.text, self.starts[nxt], hi):
                found = self._match(m)
        return found
