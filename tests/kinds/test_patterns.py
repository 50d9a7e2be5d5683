"""Rule regexes searched the fast ways find what a plain ``finditer`` over the draft finds.

:func:`kepulint.kinds.base.pattern_hits` tries a pattern only at its start literals
(``_anchored``) or in the sentence windows around its literals; both must
give the matches of ``regex.finditer(norm)`` on real drafts, for every rule regex.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kepulint.api import ruleset_for
from kepulint.kinds.base import RulePattern, _anchored, compiled, pattern_hits, pattern_hits_plain
from kepulint.kinds.hits import RuleHits
from kepulint.rules.regex_literals import source_start_literals
from kepulint.text.document import Document

ROOT = Path(__file__).resolve().parents[2]
DRAFTS = sorted([*ROOT.glob("seeds/*.md"), *ROOT.glob("tests/drafts/*.md")])


PATTERNS: list[RulePattern] = ruleset_for(()).compiled.patterns()
ANCHORED = [p for p in PATTERNS if p.starts]


def _doc(text: str) -> tuple[Document, RuleHits]:
    """A draft and the candidates every rule sees in it (one scan, as the engine makes it)."""
    doc = Document.from_text(text, "x.md", today="2026-11-25", profile="cn")
    return doc, ruleset_for(()).compiled.candidates(doc, set()).for_rule("")


def _plain(pattern: RulePattern, doc: Document) -> list[tuple[int, int, str]]:
    return [h for h in pattern_hits_plain(doc, pattern) if h[1] > h[0]]


def test_most_rule_regexes_have_start_literals() -> None:
    assert len(PATTERNS) > 150
    assert len(ANCHORED) >= 100  # the others start with a literal re finds itself, or with \d


def test_start_literals_of_a_source() -> None:
    assert source_start_literals("(?:治疗|治愈)[^。]{0,8}抑郁") == frozenset({"治疗", "治愈"})
    assert source_start_literals(r"(?<!不)根治") == frozenset({"根治"})  # lookbehinds aside
    assert source_start_literals(r"\d+例") is None  # any Unicode digit: not a literal set
    assert source_start_literals("(?:已)?完成") is None or "完成" in source_start_literals("(?:已)?完成")
    assert source_start_literals("(") is None  # does not compile


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.name)
def test_every_rule_regex_finds_what_finditer_finds(path: Path) -> None:
    doc, hits = _doc(path.read_text(encoding="utf-8"))
    for pattern in PATTERNS:
        got = [h for h in pattern_hits(doc, pattern, hits) if h[1] > h[0]]
        assert got == _plain(pattern, doc), pattern.source


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.name)
def test_anchored_search_is_finditer(path: Path) -> None:
    doc, hits = _doc(path.read_text(encoding="utf-8"))
    for pattern in ANCHORED:
        got = _anchored(compiled(pattern.source), doc.norm, hits.literals.starts_of(pattern.starts))
        assert got == _plain(pattern, doc), pattern.source


PIECES = [*sorted({lit for p in ANCHORED for lit in p.starts if len(lit) <= 4})[:400],
          "。", "，", "\n", " ", "患者", "小鼠", "研究", "显示", "治愈", "%", "3", "2024年", "NCT0", "期"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_anchored_search_on_generated_text(text: str) -> None:
    doc, hits = _doc(text)
    for pattern in ANCHORED:
        got = _anchored(compiled(pattern.source), doc.norm, hits.literals.starts_of(pattern.starts))
        assert got == _plain(pattern, doc), pattern.source
