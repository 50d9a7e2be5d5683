"""Script and wording for a profile: Simplified advice turned into Taiwan or Hong Kong Chinese.

OpenCC does the phrase-level conversion (``s2twp``: 抑郁症→憂鬱症, 软件→軟體; ``s2hk``:
抑鬱症), imported and built only when a Traditional text is asked for (building a
converter takes ~0.15 s, so a mainland run never pays it). A few editorial terms OpenCC
leaves alone follow (醫生→醫師 and 科普→衛教 for Taiwan).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

#: profile -> OpenCC configuration for text shown to its readers
CONFIGS = {"tw": "s2twp", "hk": "s2hk"}
#: applied after OpenCC: wording a Taiwanese or Hong Kong editor would use
TERMS = {
    "tw": (("醫生", "醫師"), ("科普參考", "衛教參考"), ("衛健委", "衛福部"), ("釋出", "發布")),
    "hk": (),
}


@lru_cache(maxsize=4)
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


@lru_cache(maxsize=2048)
def convert(text: str, config: str) -> str:
    """``text`` (Simplified) through the OpenCC ``config`` (``s2twp``, ``s2hk``, ``s2t``)."""
    return _converter(config).convert(text) if text else text


def for_profile(text: str, profile: str) -> str:
    """Simplified ``text`` as readers of ``profile`` write it (unchanged for ``cn``)."""
    config = CONFIGS.get(profile)
    if config is None or not text:
        return text
    out = convert(text, config)
    for old, new in TERMS.get(profile, ()):
        out = out.replace(old, new)
    return out


def for_document(text: str, profile: str, traditional: bool) -> str:
    """Simplified ``text`` to insert into a draft: in the draft's own script, with the profile's
    wording when that script is Traditional."""
    if not traditional:
        return text
    return for_profile(text, profile) if profile in CONFIGS else convert(text, "s2t")


@lru_cache(maxsize=1)
def _script_tables() -> tuple[dict[int, None], dict[int, None]]:
    """``str.translate`` tables deleting the characters only Traditional (only Simplified) text uses."""
    from .normalize import _char_table

    table = _char_table()
    cjk = {cp: simp for cp, simp in table.items() if 0x3400 <= cp <= 0x9FFF and chr(cp) != simp}
    simplified = {ord(ch) for ch in cjk.values()} - set(cjk)
    return dict.fromkeys(cjk), dict.fromkeys(simplified)


def is_traditional(text: str) -> bool:
    """True when ``text`` has more Traditional-only than Simplified-only characters."""
    traditional, simplified = _script_tables()
    return len(text.translate(simplified)) > len(text.translate(traditional))
