"""The ``cooccurrence`` kind on its own: two wordings that must not stand together unqualified."""

from __future__ import annotations

import pytest
from kindkit import make_rule, matches, severities

MODEL_AS_PATIENT = {
    "left": {"terms": ["小鼠", "大鼠"]},
    "right": {"terms": ["患者", "临床治疗"]},
    "qualifiers": [{"terms": ["尚未在人体中证实"]}],
}


@pytest.mark.parametrize(("text", "found"), [
    ("这种疗法治好了小鼠，患者很快就能受益。", ["患者"]),
    ("這種療法治好了小鼠，患者很快就能受益。", ["患者"]),
    ("大鼠实验成功，已可用于临床治疗。", ["临床治疗"]),
    ("大鼠實驗成功，已可用於臨床治療。", ["臨床治療"]),
])
def test_both_wordings_in_one_sentence_fire(text: str, found: list[str]) -> None:
    assert matches(text, make_rule("cooccurrence", MODEL_AS_PATIENT)) == found


@pytest.mark.parametrize("text", [
    "患者接受了规范治疗。",                           # only the right wording
    "研究人员在小鼠身上观察到症状减轻。",             # only the left wording
    "这种疗法治好了小鼠。患者还需要等待更多研究。",   # in different sentences
    "這種療法治好了小鼠。患者還需要等待更多研究。",
    "这种疗法治好了小鼠，对患者的效果尚未在人体中证实。",  # qualified
    "這種療法治好了小鼠，對患者的效果尚未在人體中證實。",
])
def test_apart_or_qualified_does_not_fire(text: str) -> None:
    assert matches(text, make_rule("cooccurrence", MODEL_AS_PATIENT)) == []


def test_report_left_and_order() -> None:
    left = make_rule("cooccurrence", {**MODEL_AS_PATIENT, "report": "left"})
    assert matches("这种疗法治好了小鼠，患者很快就能受益。", left) == ["小鼠"]
    ordered = make_rule("cooccurrence", {**MODEL_AS_PATIENT, "order": "left_first"})
    assert matches("患者很快就能受益，因为它治好了小鼠。", ordered) == []
    assert matches("它治好了小鼠，患者很快就能受益。", ordered) == ["患者"]


def test_paragraph_scope() -> None:
    rule = make_rule("cooccurrence", {**MODEL_AS_PATIENT, "scope": "paragraph"})
    assert matches("这种疗法治好了小鼠。患者很快就能受益。", rule) == ["患者"]
    assert matches("這種療法治好了小鼠。\n\n患者很快就能受益。", rule) == []


def test_a_downgrader_lowers_the_finding_under_its_profiles() -> None:
    rule = make_rule("cooccurrence", {**MODEL_AS_PATIENT, "downgraders": [
        {"terms": ["特管办法"], "note": "引用了核准路径", "profiles": ["tw"]}]})
    text = "依特管辦法，治好小鼠的療法可用於患者。"
    assert severities(text, rule, profile="tw") == [("患者", "warning")]
    assert severities(text, rule, profile="cn") == [("患者", "error")]
