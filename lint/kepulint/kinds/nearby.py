"""``near`` and ``unless``: a regex around a trigger, the conditions phrase and proximity rules share.

``near: {pattern, before: 12, after: 0}`` holds when the regex matches within ``before``
characters before or ``after`` characters after the trigger, in its sentence (a match lying
inside the trigger does not count); ``unless: {pattern, before: 0, after: 0}`` holds when it
matches in the trigger's sentence or ``before``/``after`` *sentences* around it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..text.document import Document
from .base import Hit

Condition = tuple[re.Pattern[str], int, int]  # regex, before, after

NEAR_BEFORE, NEAR_AFTER = 12, 0  # characters


def condition(spec: Mapping[str, Any] | None, before: int, after: int) -> Condition | None:
    """The compiled condition of a ``near``/``unless`` mapping (None when absent), with defaults."""
    if not spec:
        return None
    return re.compile(spec["pattern"]), int(spec.get("before", before)), int(spec.get("after", after))


def near(doc: Document, hit: Hit, cond: Condition) -> bool:
    """The regex occurs within ``before``/``after`` characters of the hit, same sentence."""
    pat, before, after = cond
    s_start, s_end = doc.sentence_at(hit[0])
    lo, hi = max(s_start, hit[0] - before), min(s_end, hit[1] + after)
    index = doc.matches(pat)  # a pack's wide window is not scanned per trigger
    if not index.usable:  # may match empty, or depends on the text around
        return any(not (hit[0] <= m.start() and m.end() <= hit[1]) for m in pat.finditer(doc.norm, lo, hi))
    m = index.first(lo, hi)
    while m is not None and hit[0] <= m[0] and m[1] <= hit[1]:  # finditer's chain: never empty here
        m = index.first(m[1], hi)
    return m is not None


def unless(doc: Document, hit: Hit, cond: Condition) -> bool:
    """The regex occurs in the hit's sentence or ``before``/``after`` sentences around it."""
    pat, before, after = cond
    lo, hi = doc.sentence_window(hit[0], before, after)
    return doc.matches(pat).first(lo, hi) is not None
