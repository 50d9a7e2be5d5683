"""Every span points at the original text: lines, columns and `match` agree exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kepulint.api import Settings, lint_source
from kepulint.text.normalize import fold
from kepulint.text.source import LineIndex

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
SETTINGS = Settings(today="2026-11-25")


def offset_of(text: str, line: int, column: int) -> int:
    return LineIndex(text).starts[line - 1] + column - 1


def assert_spans_exact(text: str, path: str) -> int:
    result = lint_source(text, path, SETTINGS)
    for d in result.diagnostics + result.suppressed:
        start = offset_of(text, d.line, d.column)
        end = offset_of(text, d.end_line, d.end_column)
        assert text[start:end] == d.match, (d.code, d.line, d.column, d.match)
    return len(result.diagnostics)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_matches_equal_original_text(seed: Path) -> None:
    assert assert_spans_exact(seed.read_text(encoding="utf-8"), seed.name) > 0


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_crlf_and_cr_line_ends(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    lf = lint_source(text, "a.txt", SETTINGS).diagnostics
    for newline in ("\r\n", "\r"):
        converted = text.replace("\n", newline)
        assert_spans_exact(converted, "a.txt")
        other = lint_source(converted, "a.txt", SETTINGS).diagnostics
        assert [(d.code, d.line, d.column, d.match) for d in other] == [(d.code, d.line, d.column, d.match) for d in lf]


def test_traditional_file_columns() -> None:
    text = "第一行。\n幹細胞療法可以徹底治癒憂鬱症，永不復發。\n"
    result = lint_source(text, "t.md", SETTINGS)
    cure = [d for d in result.diagnostics if d.code == "CLM002"]
    assert [(d.line, d.column, d.match) for d in cure] == [(2, 8, "徹底治癒"), (2, 16, "永不復發")]


def test_roman_numerals_and_zero_width_keep_columns() -> None:
    # Ⅱ folds to two characters and U+200B is dropped: columns must still be the original ones
    text = "Ⅱ期\u200b试验后，干细胞可以根\u200b治糖尿病。"
    result = lint_source(text, "z.md", Settings(), select=["CLM002"])
    (d,) = result.diagnostics
    assert d.match == "根\u200b治"
    start = text.index("根")
    assert (d.line, d.column, d.end_column) == (1, start + 1, start + 4)


def test_fold_offset_map_roundtrip() -> None:
    text = "ⅢⅣ\u200b期ａｂ％"
    folded, offsets = fold(text)
    assert folded == "IIIIV期ab%"
    assert offsets.to_orig(0) == 0 and offsets.to_orig_end(3) == 1  # III ← Ⅲ
    assert offsets.to_orig(3) == 1 and offsets.to_orig_end(5) == 2  # IV ← Ⅳ
    assert offsets.to_orig(5) == 3  # 期, after the dropped zero-width space
    assert offsets.to_orig_end(len(folded)) == len(text)


def test_bom_and_markdown_code_are_skipped() -> None:
    text = "# 标题\n\n```\n干细胞可以根治糖尿病\n```\n\n`根治` 一词。\n<!-- 根治 -->\n"
    result = lint_source(text, "c.md", SETTINGS, select=["CLM002"])
    assert result.diagnostics == []


def test_urls_and_link_targets_are_not_prose() -> None:
    text = "见[说明](https://example.com/根治/治愈) 与 https://a.cn/根治 。\n"
    assert lint_source(text, "u.md", SETTINGS, select=["CLM002"]).diagnostics == []


def test_lone_surrogates_from_an_api_caller_are_linted_not_fatal() -> None:
    """Files are decoded strictly, but ``lint_text`` takes any str: a lone surrogate is kept in
    the original coordinates and matched as U+FFFD (the matcher needs valid UTF-8)."""
    from kepulint.api import lint_text

    text = "\udcff干细胞可以根治糖尿病\ud800。"
    found = [d for d in lint_text(text, "a.txt", today="2025-11-25") if d.code == "CLM002"]
    assert [(d.line, d.column, d.match) for d in found] == [(1, 7, "根治")]
