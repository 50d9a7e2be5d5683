"""reading/evidence_vocab.py: regexes compiled when first searched, analysed from their source."""

from __future__ import annotations

import pickle
import re

from kepulint.reading.evidence_vocab import LazyRegex, vocabulary
from kepulint.rules.regex_literals import start_literals


def test_a_lazy_regex_searches_as_re_does() -> None:
    lazy, plain = LazyRegex(r"(?:据|根据)\w{0,6}(?:研究|报道)"), re.compile(r"(?:据|根据)\w{0,6}(?:研究|报道)")
    text = "根据哈佛大学研究，据报道。"
    assert lazy._compiled is None and start_literals(lazy) == start_literals(plain)  # type: ignore[arg-type]
    assert lazy._compiled is None  # analysed without compiling
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert lazy.search(text, 3).span() == plain.search(text, 3).span()  # type: ignore[union-attr]
    assert lazy.match(text, 7, 9) is None and plain.match(text, 7, 9) is None


def test_a_lazy_regex_pickles_as_its_source() -> None:
    lazy = LazyRegex("abc", re.I)
    lazy.search("ABC")
    again = pickle.loads(pickle.dumps(lazy))
    assert (again.pattern, again.flags, again._compiled) == ("abc", re.I, None)
    assert again.search("xABC") is not None


def test_named_sources_are_not_compiled_by_building_the_vocabulary() -> None:
    vocab = vocabulary()
    assert all(isinstance(src.pattern, LazyRegex) for src in vocab.named_sources)
