"""``--profile auto``: pick the jurisdiction (cn, tw or hk) of one file from its script and its
regional wording. An explicit profile always wins. The vocabulary is ``data/region.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text.markup import URL_FILL
from ..text.normalize import _char_table, fold, fold_term
from ..text.wordscan import WordScan

PROFILES = ("cn", "tw", "hk")
SAMPLE = 8_000  # characters read: the start of a long file says where it is from
TRADITIONAL_SHARE = 0.05  # share of visible characters that are Traditional-only, for a Traditional text
HIDDEN = (" ", "\t", "\n", "\r", "\u3000", URL_FILL, "\ue001")  # blanks and masked text


@dataclass(frozen=True)
class RegionVocabulary:
    strong: int
    tw: WordScan
    hk: WordScan
    cn: WordScan
    cn_raw: frozenset[str]
    cn_patterns: re.Pattern[str]
    traditional: dict[str, tuple[str, ...]]  # per profile: glyphs and wording of Traditional texts


def _words(words: list[str]) -> WordScan:
    return WordScan(fold_term(w) for w in words)


@lru_cache(maxsize=1)
def vocabulary() -> RegionVocabulary:
    from ..data import load_yaml

    data = load_yaml("region.yaml")
    return RegionVocabulary(int(data["strong"]), _words(data["tw"]), _words(data["hk"]),
                            _words(data["cn"]), frozenset(data["cn_raw"]),
                            re.compile("|".join(data["cn_patterns"])),
                            {name: tuple(data.get("traditional", {}).get(name, ())) for name in PROFILES})


@lru_cache(maxsize=1)
def _traditional() -> re.Pattern[str]:
    chars = sorted(chr(cp) for cp in _char_table() if 0x3400 <= cp <= 0x9FFF)
    return re.compile("[" + "".join(chars) + "]")


def traditional_share(text: str) -> float:
    """Share of the visible characters of ``text`` that are Traditional-only (a Simplified text has
    none; a Traditional one has one in five or more of its Chinese characters). Blanks, line ends
    and what markup.py masked (code, comments, URLs) do not count."""
    hidden = sum(text.count(c) for c in HIDDEN)
    visible = len(text) - hidden
    return len(_traditional().findall(text)) / visible if visible > 0 else 0.0


def detect(text: str, folded: str | None = None) -> str:
    """The profile of a text (``folded``: its folded form, when the caller has it): hk or tw for
    Traditional script (or strong regional wording), else cn."""
    sample = text[:SAMPLE]
    folded = folded[:SAMPLE] if folded is not None else fold(sample)[0]
    v = vocabulary()
    score = {name: len(getattr(v, name).distinct(folded)) for name in ("tw", "hk", "cn")}
    score["cn"] += sum(c in sample for c in v.cn_raw)
    score["cn"] += len(set(v.cn_patterns.findall(sample)))
    if traditional_share(sample) >= TRADITIONAL_SHARE:
        # a place, an institution or a mainland term weighs two glyph or wording hints
        for name in PROFILES:
            score[name] = 2 * score[name] + sum(w in sample for w in v.traditional[name])
        return max(("tw", "hk", "cn"), key=lambda name: score[name])  # max keeps the first of equals
    best = max(("tw", "hk"), key=lambda name: score[name])
    return best if score[best] >= v.strong and score[best] > score["cn"] else "cn"


def resolve(profile: str, text: str) -> str:
    """``profile`` itself, or the detected one for ``auto``."""
    return detect(text) if profile == "auto" else profile
