"""The literal prefilter and regex anchoring are fast paths: each must answer what its plain
reference answers (:mod:`kepulint.rules.prefilter`, :func:`kepulint.kinds.base.pattern_hits`), on
random text built from the rules' own literals, where the shortcuts are most often taken."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kepulint.api import ruleset_for
from kepulint.kinds.base import _anchored, compiled, pattern_hits, pattern_hits_plain
from kepulint.kinds.candidates import Candidates
from kepulint.rules.prefilter import may_match_plain, search_windows_plain
from kepulint.rules.ruleset import Rule
from kepulint.text.document import Document

COMPILED = ruleset_for(()).compiled
PATTERNS = COMPILED.patterns()
LITERALS = sorted({lit for p in PATTERNS for lit in p.scanned if len(lit) <= 6})
# the rules' literals, with sentence and clause breaks, spaces, digits and line ends between them,
# and pieces of the rules' own examples (so that patterns match, and windows matter)
PIECES = [*LITERALS, "。", "，", "？", "\n", "\n\n", " ", "3", "95", "%", "年", "患者", "小鼠", "的", "a", "A"]
EXAMPLES = sorted({text.rstrip("。") for rule in ruleset_for(()).rules for texts in rule.examples.values()
                   for text in texts if isinstance(text, str) and len(text) <= 60})
PIECE = st.one_of(st.sampled_from(PIECES), st.sampled_from(EXAMPLES))
TEXTS = st.lists(PIECE, max_size=40).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _scan(text: str) -> tuple[Document, Candidates]:
    doc = Document.from_text(text, "x.md", today="2026-11-25", profile="cn")
    return doc, COMPILED.candidates(doc, set())


def test_the_rules_have_regexes_with_literals() -> None:
    assert len(PATTERNS) > 150
    assert len(LITERALS) > 300


@SETTINGS
@given(TEXTS)
def test_a_pattern_ruled_out_by_its_literals_has_no_match(text: str) -> None:
    doc, candidates = _scan(text)
    for pattern in PATTERNS:
        regex = compiled(pattern.source)
        if not candidates.literals.may_match(pattern.literals) or not pattern.possible(candidates.literals):
            assert not may_match_plain(regex, doc.norm), pattern.source


@SETTINGS
@given(TEXTS)
def test_prefiltered_search_finds_what_finditer_finds(text: str) -> None:
    doc, candidates = _scan(text)
    hits = candidates.for_rule("")
    for pattern in PATTERNS:
        plain = [h for h in pattern_hits_plain(doc, pattern) if h[1] > h[0]]
        assert [h for h in pattern_hits(doc, pattern, hits) if h[1] > h[0]] == plain, pattern.source


@SETTINGS
@given(TEXTS)
def test_search_windows_hold_every_match(text: str) -> None:
    doc, candidates = _scan(text)
    assert search_windows_plain(doc.norm) == [(0, len(doc.norm))]
    for pattern in PATTERNS:
        regex = compiled(pattern.source)
        windowed = {(m.start(), m.end()) for lo, hi in candidates.literals.search_windows(pattern.literals)
                    for m in regex.finditer(doc.norm, lo, hi) if m.end() > m.start()}
        plain = {(m.start(), m.end()) for m in regex.finditer(doc.norm) if m.end() > m.start()}
        if pattern.possible(candidates.literals):
            assert plain <= windowed, pattern.source


@SETTINGS
@given(TEXTS)
def test_anchored_search_is_finditer(text: str) -> None:
    doc, candidates = _scan(text)
    for pattern in PATTERNS:
        if pattern.starts:
            got = _anchored(compiled(pattern.source), doc.norm, candidates.literals.starts_of(pattern.starts))
            assert got == [h for h in pattern_hits_plain(doc, pattern) if h[1] > h[0]], pattern.source


def test_a_kind_outside_the_engine_sees_what_the_engine_gives_it() -> None:
    rule = next(r for r in ruleset_for(()).rules if r.code == "CLM004")
    doc = Document.from_text("本疗法总有效率达95%，治愈率八成。\n", "x.md", today="2026-11-25")
    alone = Candidates.build(doc, [rule]).for_rule("CLM004")
    engine = COMPILED.candidates(doc, {"CLM004"}).for_rule("CLM004")
    kind = COMPILED.kinds["CLM004"]
    from kepulint.reading.context import Context

    assert list(kind.check(doc, alone, Context())) == list(kind.check(doc, engine, Context()))
    assert list(kind.check(doc, alone, Context()))  # and it finds the rate
    assert isinstance(rule, Rule)
