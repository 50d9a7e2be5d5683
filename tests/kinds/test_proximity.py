"""The ``proximity`` kind on its own: a trigger that needs evidence nearby."""

from __future__ import annotations

import pytest
from kindkit import lint, make_rule, matches, severities

STATUS = {"terms": ["招募中", "已获批临床"], "needs": ["registry_id"], "window": {"before": 1, "after": 1}}


@pytest.mark.parametrize(("text", "found"), [
    ("该试验目前正在招募中。", ["招募中"]),
    ("該試驗目前正在招募中。", ["招募中"]),
    ("这款药物已获批临床。", ["已获批临床"]),
    ("這款藥物已獲批臨床。", ["已獲批臨床"]),
])
def test_a_status_without_a_registry_id_fires(text: str, found: list[str]) -> None:
    assert matches(text, make_rule("proximity", STATUS)) == found


@pytest.mark.parametrize("text", [
    "该试验（NCT01234567）目前正在招募中。",
    "該試驗（NCT01234567）目前正在招募中。",
    "该试验目前正在招募中。登记号为ChiCTR2000012345。",  # the next sentence is in the window
    "該試驗目前正在招募中。登記號為ChiCTR2000012345。",
])
def test_a_registry_id_in_the_window_satisfies_it(text: str) -> None:
    assert matches(text, make_rule("proximity", STATUS)) == []


def test_the_window_is_counted_in_sentences() -> None:
    narrow = make_rule("proximity", {**STATUS, "window": {"before": 0, "after": 0}})
    assert matches("该试验目前正在招募中。登记号为ChiCTR2000012345。", narrow) == ["招募中"]


def test_near_and_unless_filter_the_trigger() -> None:
    rule = make_rule("proximity", {
        "terms": ["II期"], "needs": ["registry_id"], "near": {"pattern": "临床|试验", "before": 0, "after": 4},
        "unless": {"pattern": "小鼠"},
    })
    assert matches("该药已进入II期临床试验。", rule) == ["II期"]
    assert matches("該藥已進入II期臨床試驗。", rule) == ["II期"]
    assert matches("这是一款II期的产品。", rule) == []  # no 临床/试验 right after it
    assert matches("该药的小鼠实验已进入II期临床试验。", rule) == []  # unless: 小鼠 in the sentence


def test_needs_citation() -> None:
    rule = make_rule("proximity", {"terms": ["研究表明"], "needs": ["citation"]}, severity="warning")
    assert severities("研究表明，干细胞能改善症状。", rule) == [("研究表明", "warning")]
    assert severities("研究表明，幹細胞能改善症狀。", rule) == [("研究表明", "warning")]
    assert matches("研究表明（Smith et al., 2020, Nature），干细胞能改善症状。", rule) == []


def test_a_stale_date_fires_with_its_own_message() -> None:
    rule = make_rule("proximity", {
        "terms": ["招募中"], "needs": ["date"], "windows": {"date": {"before": 1, "after": 1}}, "stale_months": 24,
        "stale_message": "状态日期 {date} 已超过 {months} 个月",
    })
    fresh, stale, undated = "截至2026年6月，该试验招募中。", "截至2020年6月，该试验招募中。", "该试验招募中。"
    assert matches(fresh, rule, today="2026-12-01") == []
    found = [d.message for d in lint(stale, rule, today="2026-12-01")]
    assert found == ["状态日期 2020-06 已超过 78 个月"]
    assert matches(undated, rule) == ["招募中"]

