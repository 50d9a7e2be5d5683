"""Tests for in-source suppression directives and the KPL001/KPL002/KPL003 tool codes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kepulint.check.suppress import SuppressionOutcome, apply_suppressions
from kepulint.model import Diagnostic, Severity
from kepulint.rules.ruleset import Rule
from kepulint.text.document import Document

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
KNOWN = ("CLM001", "CLM002", "CLM006", "CIT001", "DSC001", "META001", "KPL001", "KPL002", "KPL003")


def _load_tool_rules() -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for code in ("KPL001", "KPL002", "KPL003"):
        data = yaml.safe_load((RULES_DIR / f"{code}.yaml").read_text(encoding="utf-8"))
        out[code] = Rule.from_data(data)
    return out


TOOL_RULES = _load_tool_rules()


def diag(code: str, line: int, column: int = 1, *, end_line: int | None = None, end_column: int | None = None,
         path: str = "a.md") -> Diagnostic:
    return Diagnostic(
        path=path, code=code, name=code.lower(), severity=Severity.ERROR, message=f"{code} message",
        line=line, column=column, end_line=end_line or line, end_column=end_column or column + 2,
        match="根治", fingerprint=f"fp-{code}-{line}",
    )


def run(text: str, diagnostics: list[Diagnostic], *, path: str = "a.md",
        active: tuple[str, ...] = KNOWN, known: tuple[str, ...] = KNOWN) -> SuppressionOutcome:
    doc = Document.from_text(text, path=path)
    for d in diagnostics:
        assert d.path == path
    return apply_suppressions(doc, diagnostics, known_codes=known, active_codes=active, rules=TOOL_RULES)


def codes(items: list[Diagnostic]) -> list[str]:
    return [d.code for d in items]


def tool_codes(outcome: SuppressionOutcome) -> list[str]:
    return codes(outcome.tool)


# --- the directive forms --------------------------------------------------------------


def test_no_comments_returns_everything_active() -> None:
    ds = [diag("CLM002", 1)]
    out = run("干细胞可以根治糖尿病。\n", ds)
    assert out.active == ds
    assert out.suppressed == [] and out.tool == []


def test_block_disable_and_enable() -> None:
    text = (
        "干细胞可以根治糖尿病。\n"                                  # 1
        "<!-- kepulint-disable CLM002 -- 引用原文，作者观点 -->\n"  # 2
        "干细胞可以根治糖尿病。\n"                                  # 3
        "<!-- kepulint-enable CLM002 -->\n"                         # 4
        "干细胞可以根治糖尿病。\n"                                  # 5
    )
    out = run(text, [diag("CLM002", 1), diag("CLM002", 3), diag("CLM002", 5), diag("CLM001", 3)])
    assert [(d.code, d.line) for d in out.active] == [("CLM002", 1), ("CLM002", 5), ("CLM001", 3)]
    (sup,) = out.suppressed
    assert sup.line == 3 and sup.suppression is not None
    assert sup.suppression.kind == "disable"
    assert sup.suppression.justification == "引用原文，作者观点"
    assert sup.suppression.line == 2
    assert out.tool == []


def test_disable_without_enable_runs_to_end_of_file() -> None:
    text = "<!-- kepulint-disable CLM002 -- 整段引用 -->\n\n干细胞可以根治糖尿病。\n\n\n永不复发。\n"
    out = run(text, [diag("CLM002", 3), diag("CLM002", 6)])
    assert out.active == []
    assert [d.line for d in out.suppressed] == [3, 6]


def test_enable_of_one_code_inside_prefix_disable() -> None:
    text = (
        "<!-- kepulint-disable CLM -- 引用广告原文 -->\n"  # 1
        "<!-- kepulint-enable CLM002 -->\n"                # 2
        "最好的疗法，可以根治糖尿病。\n"                   # 3
        "<!-- kepulint-enable -->\n"                       # 4
        "最好的疗法。\n"                                   # 5
    )
    out = run(text, [diag("CLM001", 3), diag("CLM002", 3, 8), diag("CLM001", 5)])
    assert [(d.code, d.line) for d in out.active] == [("CLM002", 3), ("CLM001", 5)]
    assert [(d.code, d.line) for d in out.suppressed] == [("CLM001", 3)]


def test_nested_spans_and_prefix_enable() -> None:
    text = (
        "<!-- kepulint-enable CLM002 -->\n"                  # 1 stray enable: harmless
        "<!-- kepulint-disable CLM002 -- 引用 -->\n"         # 2
        "<!-- kepulint-disable CLM -- 整段引用 -->\n"        # 3
        "最好，根治。\n"                                     # 4
        "<!-- kepulint-enable CLM002 -->\n"                  # 5
        "最好，根治。\n"                                     # 6
        "<!-- kepulint-enable CLM -->\n"                     # 7
        "最好，根治。\n"                                     # 8
    )
    ds = [diag(c, ln, col) for ln in (4, 6, 8) for c, col in (("CLM001", 1), ("CLM002", 4))]
    out = run(text, ds)
    assert [(d.code, d.line) for d in out.active] == [("CLM002", 6), ("CLM001", 8), ("CLM002", 8)]
    assert [(d.code, d.line, d.suppression.line) for d in out.suppressed if d.suppression] == [
        ("CLM001", 4, 3), ("CLM002", 4, 3), ("CLM001", 6, 3)]
    assert tool_codes(out) == ["KPL002"]  # the outer CLM002 disable is shadowed by the inner CLM one
    assert out.tool[0].line == 2


def test_block_starts_at_directive_position_in_markdown() -> None:
    text = "根治糖尿病。<!-- kepulint-disable CLM002 -- 引用 -->根治糖尿病。\n"
    out = run(text, [diag("CLM002", 1, 1), diag("CLM002", 1, 44)])
    assert [d.column for d in out.active] == [1]
    assert [d.column for d in out.suppressed] == [44]


def test_disable_next_line() -> None:
    text = "<!-- kepulint-disable-next-line CLM001 -- 品牌名中的“第一” -->\n第一医院的做法。\n第一医院。\n"
    out = run(text, [diag("CLM001", 2), diag("CLM001", 3)])
    assert [d.line for d in out.active] == [3]
    (sup,) = out.suppressed
    assert sup.suppression is not None and sup.suppression.kind == "disable-next-line"
    assert sup.suppression.line == 1


def test_disable_next_line_skips_blank_lines_and_comment_only_lines() -> None:
    text = (
        "<!-- kepulint-disable-next-line CLM002 -- 引用原文 -->\n"  # 1
        "\n"                                                        # 2
        "   \n"                                                     # 3
        "<!-- 编者注 -->\n"                                         # 4
        "干细胞可以根治糖尿病。\n"                                  # 5
        "干细胞可以根治糖尿病。\n"                                  # 6
    )
    out = run(text, [diag("CLM002", 5), diag("CLM002", 6)])
    assert [d.line for d in out.suppressed] == [5]
    assert [d.line for d in out.active] == [6]
    assert out.tool == []


def test_disable_next_line_at_end_of_file_is_unused() -> None:
    out = run("干细胞。\n<!-- kepulint-disable-next-line CLM002 -- 引用原文 -->\n\n", [])
    assert tool_codes(out) == ["KPL002"]


def test_disable_line_trailing_comment() -> None:
    text = "干细胞可以根治糖尿病。<!-- kepulint-disable-line CLM002 -- 引用原文 -->\n根治。\n"
    out = run(text, [diag("CLM002", 1, 6), diag("CLM002", 2)])
    assert [d.line for d in out.suppressed] == [1]
    assert out.suppressed[0].suppression is not None
    assert out.suppressed[0].suppression.kind == "disable-line"
    assert [d.line for d in out.active] == [2]


def test_disable_line_alone_on_its_line_applies_to_next_line() -> None:
    text = "<!-- kepulint-disable-line CLM002 -- 引用原文 -->\n干细胞可以根治糖尿病。\n"
    out = run(text, [diag("CLM002", 2)])
    assert [d.line for d in out.suppressed] == [2]


def test_multi_line_diagnostic_matched_by_line_range() -> None:
    text = "干细胞可以\n根治糖尿病。 <!-- kepulint-disable-line CLM002 -- 引用原文 -->\n"
    out = run(text, [diag("CLM002", 1, 4, end_line=2, end_column=3)])
    assert codes(out.suppressed) == ["CLM002"]


def test_disable_file_anywhere() -> None:
    text = "# 标题\n\n正文。\n\n<!-- kepulint-disable-file META001, DSC001 -- 内部草稿，发布前补齐 -->\n"
    out = run(text, [diag("DSC001", 1), diag("META001", 1), diag("CLM002", 3)])
    assert codes(out.active) == ["CLM002"]
    assert sorted(codes(out.suppressed)) == ["DSC001", "META001"]
    assert {d.suppression.kind for d in out.suppressed if d.suppression} == {"disable-file"}


# --- code lists, prefixes, all codes ---------------------------------------------------


@pytest.mark.parametrize("codes_text", ["CLM001,CLM002", "CLM001, CLM002", "CLM001 CLM002", "CLM001，CLM002",
                                        "clm001 clm002"])
def test_code_lists(codes_text: str) -> None:
    text = f"<!-- kepulint-disable-next-line {codes_text} -- 引用原文 -->\n最好的疗法，可以根治。\n"
    out = run(text, [diag("CLM001", 2), diag("CLM002", 2, 8), diag("CIT001", 2, 3)])
    assert codes(out.active) == ["CIT001"]
    assert sorted(codes(out.suppressed)) == ["CLM001", "CLM002"]
    assert out.tool == []


def test_prefix_selects_family() -> None:
    text = "<!-- kepulint-disable-next-line CLM -- 引用原文 -->\n最好的疗法，可以根治。\n"
    out = run(text, [diag("CLM001", 2), diag("CLM002", 2, 8), diag("CIT001", 2, 3)])
    assert codes(out.active) == ["CIT001"]
    assert out.tool == []


def test_no_codes_means_all_codes() -> None:
    text = "<!-- kepulint-disable-next-line -- 整句为引用的广告原文 -->\n最好的疗法，可以根治。\n"
    out = run(text, [diag("CLM001", 2), diag("CLM002", 2, 8), diag("CIT001", 2, 3)])
    assert out.active == []
    assert len(out.suppressed) == 3
    assert out.tool == []


# --- reasons: KPL001 ------------------------------------------------------------------


@pytest.mark.parametrize("directive", [
    "<!-- kepulint-disable-next-line CLM002 -->",
    "<!-- kepulint-disable-next-line CLM002 -- -->",
    "<!-- kepulint-disable-next-line CLM002 —— -->",
    "<!-- kepulint-disable-next-line CLM002 -- 。 -->",
    "<!-- kepulint-disable-next-line -->",
])
def test_missing_reason_reports_kpl001_and_still_suppresses(directive: str) -> None:
    out = run(f"{directive}\n干细胞可以根治糖尿病。\n", [diag("CLM002", 2)])
    assert out.active == []
    assert codes(out.suppressed) == ["CLM002"]
    assert out.suppressed[0].suppression is not None
    assert out.suppressed[0].suppression.justification in ("", "。")
    (tool,) = out.tool
    assert tool.code == "KPL001" and tool.name == "suppression-without-reason"
    assert tool.severity == Severity.WARNING
    assert (tool.line, tool.column) == (1, 1)
    assert (tool.end_line, tool.end_column) == (1, len(directive) + 1)
    assert tool.match == directive
    assert directive in tool.message
    assert tool.path == "a.md"
    assert tool.fingerprint


@pytest.mark.parametrize(("directive", "reason"), [
    ("<!-- kepulint-disable-next-line CLM002 -- 引用原文 -->", "引用原文"),
    ("<!-- kepulint-disable-next-line CLM002 —— 引用患者原話，已加註說明 -->", "引用患者原話，已加註說明"),
    ("<!-- kepulint-disable-next-line CLM002 — 轉載衛福部公告 -->", "轉載衛福部公告"),
    ("<!-- kepulint-disable-next-line CLM002——引用原文 -->", "引用原文"),
    ("<!-- kepulint-disable-next-line CLM002 -- 引用 -- 第二段 -->", "引用 -- 第二段"),
])
def test_reasons_with_ascii_and_full_width_dashes(directive: str, reason: str) -> None:
    out = run(f"{directive}\n幹細胞可以根治糖尿病。\n", [diag("CLM002", 2)])
    assert out.tool == []
    assert out.suppressed[0].suppression is not None
    assert out.suppressed[0].suppression.justification == reason


def test_enable_needs_no_reason() -> None:
    text = "<!-- kepulint-disable CLM002 -- 引用 -->\n根治。\n<!-- kepulint-enable CLM002 -->\n"
    out = run(text, [diag("CLM002", 2)])
    assert out.tool == []


# --- unknown codes: KPL003 ------------------------------------------------------------


def test_unknown_code_reports_kpl003_and_known_codes_still_apply() -> None:
    text = "<!-- kepulint-disable-next-line CLM002, CLM999 -- 引用原文 -->\n根治糖尿病。\n"
    out = run(text, [diag("CLM002", 2)])
    assert codes(out.suppressed) == ["CLM002"]
    (tool,) = out.tool
    assert tool.code == "KPL003"
    assert "CLM999" in tool.message and "CLM002," not in tool.message.split("-->")[-1]


@pytest.mark.parametrize("directive", [
    "<!-- kepulint-disable-next-line XYZ -- 引用原文 -->",
    "<!-- kepulint-disable-next-line CLM02X -- 引用原文 -->",
    "<!-- kepulint-disabel-next-line CLM002 -- 引用原文 -->",
    "<!-- kepulint-enable CLN002 -->",
])
def test_unknown_prefix_or_directive(directive: str) -> None:
    out = run(f"{directive}\n根治糖尿病。\n", [diag("CLM002", 2)])
    assert codes(out.active) == ["CLM002"]
    assert tool_codes(out) == ["KPL003"]


def test_reason_without_separator_is_unknown_code_and_missing_reason() -> None:
    text = "<!-- kepulint-disable-next-line CLM002 引用原文 -->\n根治糖尿病。\n"
    out = run(text, [diag("CLM002", 2)])
    assert codes(out.suppressed) == ["CLM002"]
    assert sorted(tool_codes(out)) == ["KPL001", "KPL003"]


def test_only_unknown_codes_suppresses_nothing_and_is_not_unused() -> None:
    out = run("<!-- kepulint-disable CLM999 -- 引用原文 -->\n根治。\n", [diag("CLM002", 2)])
    assert codes(out.active) == ["CLM002"]
    assert tool_codes(out) == ["KPL003"]


def test_comment_that_is_not_a_directive_is_ignored() -> None:
    text = "<!-- 编者注：kepulint 会检查 -->\n<!-- kepulint is great -->\n根治。\n"
    out = run(text, [diag("CLM002", 3)])
    assert codes(out.active) == ["CLM002"] and out.tool == []


def test_directive_inside_code_block_is_ignored() -> None:
    text = "```markdown\n<!-- kepulint-disable-next-line CLM02 -- 文档示例 -->\n```\n根治。\n"
    out = run(text, [diag("CLM002", 4)])
    assert codes(out.active) == ["CLM002"] and out.tool == []


# --- unused: KPL002 -------------------------------------------------------------------


def test_unused_directive_reports_kpl002() -> None:
    text = "<!-- kepulint-disable-next-line CLM002 -- 引用原文 -->\n多喝水有助于健康。\n"
    out = run(text, [])
    (tool,) = out.tool
    assert tool.code == "KPL002" and tool.name == "unused-suppression"
    assert tool.line == 1


def test_partially_unused_codes_are_named() -> None:
    text = "<!-- kepulint-disable-next-line CLM002, CLM006 -- 引用原文 -->\n根治糖尿病。\n"
    out = run(text, [diag("CLM002", 2)])
    (tool,) = out.tool
    assert tool.code == "KPL002"
    assert tool.message.endswith("（未用到：CLM006）")


def test_unused_only_judged_for_active_codes() -> None:
    text = "<!-- kepulint-disable-next-line CLM002 -- 引用原文 -->\n多喝水。\n"
    out = run(text, [], active=("CIT001", "KPL001", "KPL002", "KPL003"))
    assert out.tool == []
    text = "<!-- kepulint-disable-next-line CLM -- 引用原文 -->\n多喝水。\n"
    assert run(text, [], active=("CLM006", "KPL002")).tool[0].code == "KPL002"
    assert run(text, [], active=("CIT001", "KPL002")).tool == []


def test_tool_codes_not_active_are_not_reported() -> None:
    text = "<!-- kepulint-disable-next-line CLM999 -->\n多喝水。\n"
    out = run(text, [], active=("CLM002",))
    assert out.tool == []


def test_unused_all_codes_directive() -> None:
    out = run("<!-- kepulint-disable-file -- 草稿 -->\n多喝水。\n", [])
    assert tool_codes(out) == ["KPL002"]


def test_redundant_line_directive_inside_block_is_unused() -> None:
    text = (
        "<!-- kepulint-disable CLM002 -- 整段引用 -->\n"
        "<!-- kepulint-disable-next-line CLM002 -- 引用 -->\n"
        "根治。\n"
        "根治。\n"
    )
    out = run(text, [diag("CLM002", 3), diag("CLM002", 4)])
    assert out.active == []
    kinds = [d.suppression.kind for d in out.suppressed if d.suppression]
    assert kinds == ["disable-next-line", "disable"]
    assert out.tool == []


# --- tool codes are not hidden by spans -------------------------------------------------


def test_spans_never_suppress_tool_codes() -> None:
    text = (
        "<!-- kepulint-disable-file -- 案例汇编 -->\n"
        "<!-- kepulint-disable -- 整段引用 -->\n"
        "<!-- kepulint-disable-next-line CLM002 -->\n"
        "根治。\n"
    )
    out = run(text, [diag("CLM002", 4)])
    assert "KPL001" in tool_codes(out)


def test_line_directive_naming_a_tool_code_suppresses_it() -> None:
    text = ("<!-- kepulint-disable-next-line CLM002 --> "
            "<!-- kepulint-disable-line KPL001 -- 旧稿保留 -->\n根治。\n")
    out = run(text, [diag("CLM002", 2)])
    assert out.tool == []
    assert sorted(codes(out.suppressed)) == ["CLM002", "KPL001"]


# --- plain text ---------------------------------------------------------------------


def test_plain_text_directive_alone_on_line_works() -> None:
    text = "<!-- kepulint-disable-next-line CLM002 -- 引用原文 -->\n干细胞可以根治糖尿病。\n"
    out = run(text, [diag("CLM002", 2, path="a.txt")], path="a.txt")
    assert codes(out.suppressed) == ["CLM002"]


def test_plain_text_trailing_directive_is_ignored() -> None:
    text = "干细胞可以根治糖尿病。<!-- kepulint-disable-line CLM002 -->\n"
    out = run(text, [diag("CLM002", 1, path="a.txt")], path="a.txt")
    assert codes(out.active) == ["CLM002"]
    assert out.tool == []


def test_plain_text_disable_line_alone_targets_next_line() -> None:
    text = "  <!-- kepulint-disable-line CLM002 -- 引用原文 -->  \n干细胞可以根治糖尿病。\n"
    out = run(text, [diag("CLM002", 2, path="a.txt")], path="a.txt")
    assert codes(out.suppressed) == ["CLM002"]


# --- Traditional Chinese and CRLF ----------------------------------------------------


def test_traditional_chinese_document_with_crlf() -> None:
    text = (
        "幹細胞療法介紹。\r\n"
        "<!-- kepulint-disable CLM002 —— 引用衛生福利部公布之違規廣告原文 -->\r\n"
        "幹細胞可以根治糖尿病，永不復發。\r\n"
        "<!-- kepulint-enable CLM002 -->\r\n"
        "治癒。\r\n"
    )
    out = run(text, [diag("CLM002", 3), diag("CLM002", 3, 12), diag("CLM002", 5)])
    assert [d.line for d in out.active] == [5]
    assert [d.line for d in out.suppressed] == [3, 3]
    sup = out.suppressed[0].suppression
    assert sup is not None and sup.justification == "引用衛生福利部公布之違規廣告原文"
    assert out.tool == []


def test_reported_merges_active_and_tool_sorted() -> None:
    text = "根治。\n<!-- kepulint-disable-next-line CLM002 -->\n根治。\n"
    out = run(text, [diag("CLM002", 1), diag("CLM002", 3)])
    assert [(d.code, d.line) for d in out.reported] == [("CLM002", 1), ("KPL001", 2)]


def test_stray_comment_opener_before_a_directive_does_not_hide_it() -> None:
    """Comments do not nest: "<!--" left open on the line above belongs to no directive."""
    text = "一针见效<!--\n<!-- kepulint-disable-next-line CLM002 -- 引用原文 -->\n一针见效。\n"
    for path in ("a.md", "a.txt"):
        out = run(text, [diag("CLM002", 1, path=path), diag("CLM002", 3, path=path)], path=path)
        assert [d.line for d in out.suppressed] == [3] and [d.line for d in out.active] == [1]
