"""The ``phrase`` kind on its own: a hand-written rule, Simplified and Traditional drafts."""

from __future__ import annotations

import pytest
from kindkit import make_rule, matches, severities

CURE = {"terms": ["治愈", "根治"], "exceptions": ["治愈率"], "suggestions": {"治愈": "改善症状"}}


@pytest.mark.parametrize(("text", "found"), [
    ("干细胞可以治愈糖尿病。", ["治愈"]),
    ("幹細胞可以治癒糖尿病。", ["治癒"]),
    ("这种疗法能根治抑郁症。", ["根治"]),
    ("這種療法能根治憂鬱症。", ["根治"]),
])
def test_a_term_fires_in_both_scripts(text: str, found: list[str]) -> None:
    assert matches(text, make_rule("phrase", CURE)) == found


@pytest.mark.parametrize("text", [
    "该病的治愈率仍然不高。",      # inside an exception (longest match)
    "該病的治癒率仍然不高。",
    "目前这种病还无法治愈。",      # negated
    "目前這種病還無法治癒。",
    "干细胞真的能治愈糖尿病吗？",  # a question
    "幹細胞真的能治癒糖尿病嗎？",
    "干细胞可以缓解症状。",        # no term at all
])
def test_exceptions_negation_and_questions_do_not_fire(text: str) -> None:
    assert matches(text, make_rule("phrase", CURE)) == []


def test_a_hedge_lowers_the_finding_when_the_rule_says_so() -> None:
    plain = make_rule("phrase", CURE)
    hedged = make_rule("phrase", {**CURE, "context": {"hedge": "downgrade"}})
    for text, term in (("干细胞有望治愈糖尿病。", "治愈"), ("幹細胞有望治癒糖尿病。", "治癒")):
        assert severities(text, plain) == [(term, "error")]
        assert severities(text, hedged) == [(term, "warning")]
    suppressed = make_rule("phrase", {**CURE, "context": {"hedge": "suppress"}})
    assert severities("幹細胞有望治癒糖尿病。", suppressed) == []


def test_patterns_and_exception_patterns() -> None:
    rule = make_rule("phrase", {"patterns": [r"有效率(?:达|為|为)?\d+%"], "exception_patterns": [r"有效率\d+%的研究"]})
    assert matches("总有效率达95%，疗效确切。", rule) == ["有效率达95%"]
    assert matches("總有效率達95%，療效確切。", rule) == ["有效率達95%"]
    assert matches("这是一项有效率90%的研究。", rule) == []


def test_near_keeps_only_hits_with_the_regex_close_by() -> None:
    rule = make_rule("phrase", {"terms": ["有效率"], "near": {"pattern": r"\d", "before": 0, "after": 4}})
    assert matches("有效率达95%。", rule) == ["有效率"]
    assert matches("有效率達95%。", rule) == ["有效率"]
    assert matches("有效率很高，达到了很多人期望的水平。", rule) == []
    assert matches("95个病例里，有效率很高。", rule) == []  # the digit is before, beyond `before`


def test_the_old_requires_spelling_is_read_as_near_with_a_notice() -> None:
    old = make_rule("phrase", {"terms": ["有效率"], "requires": {"pattern": r"\d", "window": 4}})
    assert old.params["near"] == {"pattern": r"\d", "before": 4, "after": 4}
    assert "requires" not in old.params
    assert old.notices and "/params/requires: deprecated in phrase rules; write near:" in old.notices[0]
    assert matches("有效率达95%。", old) == ["有效率"]
    assert matches("有效率很高，达到了很多人期望的水平。", old) == []


def test_a_citation_lowers_the_finding_when_the_rule_says_so() -> None:
    rule = make_rule("phrase", {"terms": ["总有效率"], "context": {"citation": "downgrade"}})
    assert severities("总有效率很高。", rule) == [("总有效率", "error")]
    cited = severities("据《柳叶刀》2021年发表的研究，总有效率很高。", rule)
    assert cited == [("总有效率", "warning")]
