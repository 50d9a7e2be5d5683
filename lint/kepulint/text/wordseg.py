"""Word boundaries from jieba, for rules that ask for them (``word_boundary: jieba``).

jieba is imported on first use only and segments just a small window around each
candidate, so a run whose rules never ask for it never pays its ~1 s dictionary load.
The built-in rules use longest-match exception lexicons instead (治愈率, 第一型…): faster,
and right where jieba is not (it splits 第一型 as 第一/型).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

WINDOW = 12  # characters of context on each side of the candidate


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer()


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    """True when [start, end) begins and ends on jieba token boundaries of ``text``."""
    lo, hi = max(0, start - WINDOW), min(len(text), end + WINDOW)
    cuts = {lo}
    pos = lo
    for token in _tokenizer().cut(text[lo:hi], HMM=False):
        pos += len(token)
        cuts.add(pos)
    return start in cuts and end in cuts
