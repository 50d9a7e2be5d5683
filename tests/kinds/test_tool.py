"""The ``tool`` kind on its own: a code kepulint reports about its own directives.

A tool rule finds nothing in prose (its kind has no lexicon); the suppression pass
(:mod:`kepulint.check.suppress`) reports it, as it does for the built-in KPL codes.
"""

from __future__ import annotations

from kindkit import lint, make_rule

CLAIM = make_rule("phrase", {"terms": ["治愈"]})
NO_REASON = make_rule("tool", code="KPL001", severity="warning", message="抑制指令没有写理由")


def test_a_tool_rule_finds_nothing_in_prose() -> None:
    assert [d.code for d in lint("干细胞可以治愈糖尿病。\n幹細胞可以治癒糖尿病。\n", NO_REASON)] == []


def test_a_directive_without_a_reason_is_reported_by_the_tool_code() -> None:
    for claim in ("干细胞可以治愈糖尿病。", "幹細胞可以治癒糖尿病。"):
        text = f"<!-- kepulint-disable-next-line XYZ001 -->\n{claim}\n"
        found = lint(text, CLAIM, NO_REASON)
        assert [(d.code, d.line) for d in found] == [("KPL001", 1)]


def test_a_directive_with_a_reason_is_not_reported() -> None:
    for claim in ("干细胞可以治愈糖尿病。", "幹細胞可以治癒糖尿病。"):
        text = f"<!-- kepulint-disable-next-line XYZ001 -- 引用原文 -->\n{claim}\n"
        assert lint(text, CLAIM, NO_REASON) == []


def test_a_tool_rule_takes_no_params() -> None:
    assert make_rule("tool", {}).params == {}
