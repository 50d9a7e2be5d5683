"""The ``document`` kind on its own: content a draft must have, and where it must stand."""

from __future__ import annotations

from kindkit import lint, make_rule

DISCLAIMER = {"checks": [{"id": "disclaimer", "terms": ["仅供参考"], "pairs": [["不构成"], ["医疗建议", "就医建议"]]}]}
BODY = "干细胞研究进展很快。\n\n科学家正在开展更多试验。\n"


def test_required_fires_once_at_the_top_when_missing() -> None:
    found = lint(BODY, make_rule("document", DISCLAIMER, message="缺少免责声明"))
    assert [(d.line, d.column, d.match, d.message) for d in found] == [(1, 1, "", "缺少免责声明")]
    traditional = lint("幹細胞研究進展很快。\n\n科學家正在開展更多試驗。\n", make_rule("document", DISCLAIMER))
    assert len(traditional) == 1


def test_required_is_satisfied_by_a_term_or_a_pair_in_both_scripts() -> None:
    rule = make_rule("document", DISCLAIMER)
    assert lint(BODY + "\n本文仅供参考。\n", rule) == []
    assert lint(BODY + "\n本文僅供參考。\n", rule) == []
    assert lint(BODY + "\n本文内容不构成任何医疗建议。\n", rule) == []
    assert lint(BODY + "\n本文內容不構成任何醫療建議。\n", rule) == []
    assert len(lint(BODY + "\n本文不构成广告。\n\n请遵医嘱，医疗建议请咨询医生。\n", rule)) == 1  # not in one paragraph


def test_each_check_has_its_own_message_and_profile_wording() -> None:
    rule = make_rule("document", {"checks": [
        {"id": "author", "terms": ["作者"], "message": "缺少作者", "message_by_profile": {"tw": "缺少作者（臺灣）"}},
        {"id": "date", "patterns": [r"\d{4}年\d{1,2}月"], "message": "缺少日期"},
    ]})
    assert [d.message for d in lint(BODY, rule)] == ["缺少作者", "缺少日期"]
    assert [d.message for d in lint(BODY + "\n作者：张三，2026年3月\n", rule)] == []
    assert [d.message for d in lint(BODY, rule, profile="tw")] == ["缺少作者（臺灣）", "缺少日期"]


def test_head_and_front_matter() -> None:
    rule = make_rule("document", {"checks": [{"id": "author", "head": {"lines": 1, "terms": ["作者"]},
                                              "front_matter": ["author"]}]})
    assert lint("作者：张三\n\n" + BODY, rule) == []
    assert len(lint(BODY + "\n作者：张三\n", rule)) == 1  # not in the first line
    assert lint("---\nauthor: 张三\n---\n" + BODY, rule) == []


def test_placement_fires_where_the_content_stands_only_in_the_middle() -> None:
    rule = make_rule("document", {"mode": "placement", "opening": 1, "closing": 1,
                                  "checks": [{"id": "disclaimer", "terms": ["仅供参考"]}]})
    paragraphs = ["第一段。", "第二段。", "本文仅供参考。", "第四段。", "第五段。"]
    middle = lint("\n\n".join(paragraphs) + "\n", rule)
    assert [(d.line, d.column, d.match) for d in middle] == [(5, 3, "仅供参考。")]  # to the end of its line
    traditional = ["第一段。", "第二段。", "本文僅供參考。", "第四段。", "第五段。"]
    assert [d.line for d in lint("\n\n".join(traditional) + "\n", rule)] == [5]
    at_end = [*paragraphs[:2], *paragraphs[3:], "本文仅供参考。"]
    assert lint("\n\n".join(at_end) + "\n", rule) == []
    assert lint("\n\n".join(paragraphs[:2] + paragraphs[3:]) + "\n", rule) == []  # absent: DSC001's job
