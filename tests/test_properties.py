"""Properties that hold for any text: kepulint never crashes and never misplaces a span.

Hypothesis draws arbitrary Unicode (surrogates excluded: they cannot come out of a
decoder) and a mix built to hit the text-structure code hard: trigger words of the
loaded rules, context cues, CJK and ASCII punctuation, CR/LF/CRLF, Markdown fences,
backticks, comments, tags, links and URLs, suppression directives, zero-width
characters, Roman numerals, full-width forms, emoji and private-use characters.

* ``lint_source`` never raises, in Markdown and in plain text, and every diagnostic
  (active or suppressed) lies inside the file with ``match`` equal to the original text
  at ``[line:column, end_line:end_column)``;
* CR, LF and CRLF line ends give the same diagnostics;
* a rule example that fires keeps firing after OpenCC converts it between Simplified
  and Traditional (mainland, Taiwan and Hong Kong character standards);
* inserting lines before a finding moves it down by exactly that many lines and changes
  nothing else: blank lines (anywhere in plain text, after a blank line in Markdown) and
  a fenced code block of arbitrary text, trigger words included, between two blocks.

Examples are kept few (``deadline=None``; the whole module takes a few seconds); run
with ``--hypothesis-seed`` or raise ``max_examples`` locally to search harder.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from kepulint.api import Settings, lint_source, ruleset_for
from kepulint.explain import check_example
from kepulint.model import Diagnostic, FileResult
from kepulint.report import json_report
from kepulint.text.markup import is_markdown, mask
from kepulint.text.source import LineIndex

SETTINGS = Settings(today="2026-11-25")
RULESET = ruleset_for(())
#: KEPULINT_PROPERTY_EXAMPLES=5000 searches harder (the default keeps the module to a few seconds)
EXAMPLES = int(os.environ.get("KEPULINT_PROPERTY_EXAMPLES", "120"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])
FEW = settings(PROPERTY, max_examples=max(EXAMPLES // 2, 1))


def _rule_terms() -> list[str]:
    """Trigger words of the loaded rules (a few per rule, so every kind gets exercised)."""
    out: list[str] = []
    for rule in RULESET:
        params = rule.params
        groups = [params, params.get("left") or {}, params.get("right") or {}]
        for group in groups:
            if isinstance(group, dict):
                for key in ("terms", "terms_traditional"):
                    out.extend(t for t in (group.get(key) or [])[:6] if isinstance(t, str))
    return sorted(set(out)) or ["根治"]


TERMS = _rule_terms()
CONTEXT = ["不", "无法", "并不能", "没有证据表明", "吗", "？", "所谓", "骗局", "有望", "可能", "尚需验证", "研究显示",
           "小鼠", "动物实验", "据统计", "30%", "[1]", "（张三等，2023）", "NCT01234567", "ChiCTR2000012345",
           "截至2025年6月", "2019年", "免责声明：本文仅供参考", "请咨询医生", "作者：李四", "预约", "微信", "广告",
           "参考文献", "干细胞", "患者", "糖尿病", "抑郁症", "临床试验", "III期", "招募中"]
PUNCTUATION = ["。", "，", "；", "！", "？", "：", "、", "“", "”", "「", "」", "（", "）", "《", "》", "…", "——",
               ".", ",", ";", "!", "?", ":", "(", ")", "\"", "'", " ", "\t", "\u3000"]
NEWLINES = ["\n", "\r", "\r\n", "\n\n", "\r\n\r\n"]
MARKDOWN = ["```", "```\n", "~~~\n", "`", "``", "<!--", "-->", "<!-- 注释 -->", "# ", "## ", "- ", "* ", "1. ", "> ",
            "    ", "---\n", "...\n", "|", "[链接](https://example.com/根治)", "https://example.com/a?b=根治",
            "www.example.cn", "doi.org/10.1000/x", "<span>", "</span>", "<br/>", "<a href=\"x\">", "[1]: http://x",
            "<!-- kepulint-disable-next-line CLM002 -- 引用原文 -->", "<!-- kepulint-disable CLM -->",
            "<!-- kepulint-enable CLM -->", "<!-- kepulint-disable-file -- 案例汇编 -->",
            "<!-- kepulint-disable-line -->"]
ODD = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅻ", "ⅰ", "ⅴ", "％", "１００",
       "ＡＢ", "\xa0", "\ue000", "\ue001", "\ufffd", "𠀀", "𪚥", "👨\u200d👩\u200d👧", "🇨🇳", "e\u0301", "\x00", "\x1b",
       "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x7f"]

ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)


def _mixed(newlines: list[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(TERMS), st.sampled_from(CONTEXT), st.sampled_from(PUNCTUATION),
                      st.sampled_from(newlines), st.sampled_from(MARKDOWN), st.sampled_from(ODD),
                      st.text(st.characters(blacklist_categories=("Cs",)), max_size=4))
    return st.lists(piece, max_size=60).map("".join)


MIXED = _mixed(NEWLINES)
MIXED_LF = _mixed(["\n", "\n\n"]).map(lambda t: t.replace("\r", ""))  # LF only: the line-end property converts
PATHS = st.sampled_from(["draft.md", "draft.txt"])


# -- helpers ----------------------------------------------------------------------------------


def lint(text: str, path: str) -> FileResult:
    return lint_source(text, path, SETTINGS)


def assert_spans_exact(text: str, result: FileResult) -> None:
    index = LineIndex(text)
    for d in result.diagnostics + result.suppressed:
        assert 1 <= d.line <= index.line_count and 1 <= d.end_line <= index.line_count, d
        start = index.starts[d.line - 1] + d.column - 1
        end = index.starts[d.end_line - 1] + d.end_column - 1
        assert 0 <= start <= end <= len(text), (d.code, d.line, d.column, d.end_line, d.end_column)
        assert d.column <= len(index.line_text(d.line)) + 1, d
        assert text[start:end] == d.match, (d.code, d.line, d.column, d.match, text[start:end])


def view(d: Diagnostic) -> dict[str, Any]:
    """A diagnostic's fields, but its advice (read from the paragraph, which an inserted blank
    line may split) and fixes (their edits are checked by :func:`_assert_edits_shift`)."""
    out = json_report.diagnostic(d, "cn")
    out["notes"] = d.notes
    out.pop("advice", None)
    out.pop("fixes", None)
    return out


def shifted(d: Diagnostic, lines: int) -> dict[str, Any]:
    out = view(d)
    out["line"] += lines
    out["end_line"] += lines
    return out


# -- never raises, spans exact ----------------------------------------------------------------


@PROPERTY
@given(text=ANY_TEXT, path=PATHS)
def test_arbitrary_unicode_never_raises_and_spans_are_exact(text: str, path: str) -> None:
    assert_spans_exact(text, lint(text, path))


@PROPERTY
@given(text=MIXED, path=PATHS)
def test_adversarial_mix_never_raises_and_spans_are_exact(text: str, path: str) -> None:
    assert_spans_exact(text, lint(text, path))


@FEW
@given(text=MIXED, path=PATHS)
def test_lint_text_api_agrees_with_lint_source(text: str, path: str) -> None:
    from kepulint import lint_text

    assert lint_text(text, path, today="2026-11-25") == lint(text, path).diagnostics


# -- line ends ------------------------------------------------------------------------------


def _line_end_view(d: Diagnostic) -> tuple[Any, ...]:
    match = d.match.replace("\r\n", "\n").replace("\r", "\n")
    return (d.code, d.line, d.column, d.end_line, d.end_column, match, d.severity, d.fingerprint,
            d.suppression.kind if d.suppression else None)


@PROPERTY
@given(text=MIXED_LF, path=PATHS, newline=st.sampled_from(["\r\n", "\r"]))
def test_cr_lf_and_crlf_give_the_same_diagnostics(text: str, path: str, newline: str) -> None:
    lf = lint(text, path)
    other = lint(text.replace("\n", newline), path)
    assert [_line_end_view(d) for d in other.diagnostics] == [_line_end_view(d) for d in lf.diagnostics]
    assert [_line_end_view(d) for d in other.suppressed] == [_line_end_view(d) for d in lf.suppressed]


# -- Simplified <-> Traditional ---------------------------------------------------------------

CONVERSIONS = ["s2t", "s2tw", "s2hk", "t2s", "tw2s", "hk2s"]


@cache
def _converter(config: str) -> Any:
    opencc = pytest.importorskip("opencc")
    return opencc.OpenCC(config)


FIRE_EXAMPLES = [(rule.code, i) for rule in RULESET for i, _ in enumerate(rule.examples.get("fire", []))]


@PROPERTY
@given(example=st.sampled_from(FIRE_EXAMPLES), first=st.sampled_from(CONVERSIONS),
       second=st.sampled_from([None, *CONVERSIONS]))
def test_firing_examples_keep_firing_in_the_other_script(example: tuple[str, int], first: str,
                                                         second: str | None) -> None:
    """One conversion, or two in a row (s2t then t2s round trips through the other script)."""
    code, i = example
    rule = RULESET.by_code[code]
    raw = rule.examples["fire"][i]
    spec = {"text": raw} if isinstance(raw, str) else dict(raw)
    spec.pop("match", None)  # the converted match differs by design
    for config in filter(None, (first, second)):
        spec["text"] = _converter(config).convert(spec["text"])
    problem = check_example(rule, spec, True, RULESET)
    assert problem is None, f"after OpenCC {first}{'+' + second if second else ''}: {problem}"


# -- inserting lines ------------------------------------------------------------------------


def _line_starts(text: str) -> list[int]:
    return LineIndex(text).starts


def _offsets(text: str, d: Diagnostic) -> tuple[int, int]:
    starts = _line_starts(text)
    return starts[d.line - 1] + d.column - 1, starts[d.end_line - 1] + d.end_column - 1


def _assert_shift(text: str, at: int, inserted: str, path: str) -> None:
    """Insert ``inserted`` (whole lines) at offset ``at`` (a line start): later findings move down."""
    lines = len(_line_starts(inserted + "x")) - 1
    # a blank line inside an HTML comment ends the paragraph, and with it an inline comment
    # (CommonMark): the structure changes by design, not only the line numbers
    assume(not any(start < at < end for start, end, _ in mask(text, is_markdown(path)).comments))
    before = lint(text, path)
    for d in before.diagnostics + before.suppressed:
        start, end = _offsets(text, d)
        assume(not start < at < end)  # a match running across the insertion point would change
    after = lint(text[:at] + inserted + text[at:], path)
    moved = sum(_offsets(text, d)[0] >= at for d in before.diagnostics + before.suppressed)
    event(f"findings moved: {min(moved, 3)}{'+' if moved >= 3 else ''}")
    for name in ("diagnostics", "suppressed"):
        want = [view(d) if _offsets(text, d)[0] < at else shifted(d, lines) for d in getattr(before, name)]
        assert sorted([view(d) for d in getattr(after, name)], key=_key) == sorted(want, key=_key), name
    _assert_edits_shift(text, at, lines, before.diagnostics, after.diagnostics)


def _assert_edits_shift(text: str, at: int, lines: int, before: list[Diagnostic], after: list[Diagnostic]) -> None:
    """Fix edits clear of the insertion point stay put before it and move down after it."""
    starts = _line_starts(text)

    def spans(ds: list[Diagnostic]) -> list[tuple[int, int, int, int]]:
        return sorted((e.line, e.column, e.end_line, e.end_column) for d in ds for f in d.fixes for e in f.edits)

    want = []
    for line, column, end_line, end_column in spans(before):
        start, end = starts[line - 1] + column - 1, starts[end_line - 1] + end_column - 1
        if start <= at <= end:
            continue  # touches the insertion point: its shape may change
        shift = lines if start > at else 0
        want.append((line + shift, column, end_line + shift, end_column))
    assert set(want) <= set(spans(after))


def _key(d: dict[str, Any]) -> tuple[Any, ...]:
    return (d["line"], d["column"], d["code"], d["end_line"], d["end_column"], d["message"])


def _directive_before(text: str, at: int) -> bool:
    """A line directive on the last non-blank line before ``at`` targets the next visible line."""
    head = text[:at].rstrip()
    last_line = head[max(head.rfind("\n"), head.rfind("\r")) + 1 :]
    return "kepulint-" in last_line


MULTILINE = st.tuples(st.lists(MIXED, min_size=2, max_size=6),
                      st.lists(st.sampled_from(NEWLINES), min_size=5, max_size=5)).map(
    lambda parts: "".join(chunk + parts[1][i % 5] for i, chunk in enumerate(parts[0])))


@PROPERTY
@given(text=MULTILINE, path=PATHS, data=st.data())
def test_blank_lines_shift_later_findings_exactly(text: str, path: str, data: st.DataObject) -> None:
    """Plain text: blank lines at any line start (but the first); Markdown: after a blank line."""
    index = LineIndex(text)
    candidates = [n for n in range(2, index.line_count + 1)
                  if path.endswith(".txt") or not index.line_text(n - 1).strip()]
    assume(candidates)
    line = data.draw(st.sampled_from(candidates), label="line")
    newline = data.draw(st.sampled_from(["\n", "\r\n", "\r"]), label="newline")
    count = data.draw(st.integers(1, 5), label="count")
    at = index.starts[line - 1]
    # a CR before an inserted LF, or an inserted CR before an LF, would make one CRLF of two line ends
    assume(not (text[at - 1 : at] == "\r" and newline.startswith("\n")))
    assume(not (newline.endswith("\r") and text[at : at + 1] == "\n"))
    assume(not _directive_before(text, at) or path.endswith(".txt"))
    _assert_shift(text, at, newline * count, path)


def _paragraph() -> st.SearchStrategy[str]:
    """A Markdown paragraph: 1-3 lines of the mix, none opening a fence, an HTML block or a comment."""
    line = _mixed([" "]).map(lambda s: s.replace("\r", " ").replace("\n", " ").strip())
    guard = ("```", "~~~", "<!--", "-->", "<")

    def safe(lines: list[str]) -> str:
        out = []
        for text in lines:
            text = text or "正文"
            if text.lstrip(" ").startswith(guard) or text.startswith(("    ", "\t")) or "-->" in text:
                text = "正文" + text.replace("-->", "—>").lstrip()
            out.append(text)
        return "\n".join(out)

    return st.lists(line, min_size=1, max_size=3).map(safe)


BLOCK = st.one_of(
    _paragraph(),
    _paragraph().map(lambda p: "# " + p.splitlines()[0]),
    _paragraph().map(lambda p: "\n".join("- " + line for line in p.splitlines())),
    _paragraph().map(lambda p: "\n".join("> " + line for line in p.splitlines())),
    st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x85\u2028\u2029"),
                     max_size=30), max_size=3).map(lambda lines: "```\n" + "\n".join(lines) + "\n```"),
    _paragraph().map(lambda p: "<!-- " + p.replace("-->", "") + " -->"),
)
CODE_LINE = st.one_of(st.sampled_from(TERMS + CONTEXT + MARKDOWN[:4] + ODD),
                      st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x85\u2028\u2029"),
                              max_size=20))


@PROPERTY
@given(blocks=st.lists(BLOCK, min_size=2, max_size=8), data=st.data())
def test_code_block_shifts_later_findings_exactly(blocks: list[str], data: st.DataObject) -> None:
    """A fenced code block of arbitrary text (trigger words, ``<!--``, backticks…) between two blocks."""
    where = data.draw(st.integers(1, len(blocks) - 1), label="before block")
    assume(not any("kepulint-" in line for line in blocks[where - 1].splitlines()[-1:]))
    lines = data.draw(st.lists(st.lists(CODE_LINE, max_size=4).map("".join), max_size=5), label="code")
    code = [line for line in lines if not any(m in line for m in ("```", "~~~", "-->"))]
    fence = data.draw(st.sampled_from(["```", "~~~", "````"]), label="fence")
    head = "\n\n".join(blocks[:where]) + "\n\n"
    text = head + "\n\n".join(blocks[where:]) + "\n"
    _assert_shift(text, len(head), fence + "\n" + "".join(f"{line}\n" for line in code) + fence + "\n\n", "draft.md")


# -- the text-structure layers on their own --------------------------------------------------


@PROPERTY
@given(text=st.one_of(MIXED, ANY_TEXT), markdown=st.booleans())
def test_masking_and_folding_keep_every_offset(text: str, markdown: bool) -> None:
    """The prose view has the original's length and line ends; the fold maps back inside the text."""
    from kepulint.text.document import Document
    from kepulint.text.markup import URL_FILL, mask

    masked = mask(text, markdown)
    assert len(masked.text) == len(text)
    for original, shown in zip(text, masked.text, strict=True):
        if original in "\r\n":
            assert shown == original
        else:
            assert shown in (original, " ", URL_FILL, "\ue001")
    doc = Document.from_text(text, "x.md" if markdown else "x.txt")
    for start, end in doc.sentences + doc.paragraphs:
        o_start, o_end = doc.to_orig_span(start, end)
        assert 0 <= o_start <= o_end <= len(text)
