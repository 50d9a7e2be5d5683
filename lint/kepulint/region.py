"""``--profile auto``: pick the jurisdiction (cn, tw or hk) of one file from its script and its
regional wording. An explicit profile always wins. The vocabulary is ``data/region.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .normalize import _char_table, fold, fold_term

PROFILES = ("cn", "tw", "hk")
SAMPLE = 20_000  # characters read: the start of a long file says where it is from
TRADITIONAL_SHARE = 0.05  # share of characters that fold differently, for a Traditional text


@dataclass(frozen=True)
class RegionVocabulary:
    strong: int
    tw: re.Pattern[str]
    hk: re.Pattern[str]
    cn: re.Pattern[str]
    cn_raw: frozenset[str]
    cn_patterns: re.Pattern[str]


def _alternation(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted({fold_term(w) for w in words}, key=len, reverse=True)))


@lru_cache(maxsize=1)
def vocabulary() -> RegionVocabulary:
    from .data import load_yaml

    data = load_yaml("region.yaml")
    return RegionVocabulary(int(data["strong"]), _alternation(data["tw"]), _alternation(data["hk"]),
                            _alternation(data["cn"]), frozenset(data["cn_raw"]),
                            re.compile("|".join(data["cn_patterns"])))


def traditional_share(text: str) -> float:
    """Share of the CJK characters of ``text`` that are Traditional-only (fold to another one)."""
    table = _char_table()
    cjk = [c for c in text if "\u3400" <= c <= "\u9fff"]
    return sum(ord(c) in table for c in cjk) / len(cjk) if cjk else 0.0


def detect(text: str) -> str:
    """The profile of a text: hk or tw for Traditional script (or strong regional wording), else cn."""
    sample = text[:SAMPLE]
    folded = fold(sample)[0]
    v = vocabulary()
    score = {name: len(set(getattr(v, name).findall(folded))) for name in ("tw", "hk", "cn")}
    score["cn"] += sum(c in sample for c in v.cn_raw)
    score["cn"] += len(set(v.cn_patterns.findall(sample)))
    if traditional_share(sample) >= TRADITIONAL_SHARE:
        return max(("tw", "hk", "cn"), key=lambda name: score[name])  # max keeps the first of equals
    best = max(("tw", "hk"), key=lambda name: score[name])
    return best if score[best] >= v.strong and score[best] > score["cn"] else "cn"


def resolve(profile: str, text: str) -> str:
    """``profile`` itself, or the detected one for ``auto``."""
    return detect(text) if profile == "auto" else profile
