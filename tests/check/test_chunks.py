"""Huge files are linted in chunks: same diagnostics, positions in the whole file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kepulint.api import Settings, lint_source
from kepulint.check import chunks

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings(today="2026-11-25")


def _draft() -> str:
    """The seeds' bodies, one after another (each seed's references section left out: a
    references heading ends the prose for the rest of a file, chunked or not)."""
    import re

    heading = re.compile(r"(?m)^(?:參考資料|参考资料|文章来源)")
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    bodies = [s[: m.start()] if (m := heading.search(s)) else s for s in seeds]
    return "\n\n".join(bodies) + "\n"


def _keys(result):  # type: ignore[no-untyped-def]
    return [(d.code, d.line, d.column, d.end_line, d.end_column, d.match) for d in result.diagnostics]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_chunked_equals_whole(monkeypatch: pytest.MonkeyPatch, newline: str) -> None:
    text = _draft().replace("\n", newline)
    line_codes = [c for c in ("CLM001", "CLM002", "CLM003", "CLM004", "CLM005", "CLM006", "CIT001",
                              "CIT002", "EVD001", "EVD003", "TRL001", "TRL002", "TRL003", "ADV001")]
    whole = lint_source(text, "big.txt", SETTINGS, select=line_codes)
    monkeypatch.setattr(chunks, "CHUNK_CHARS", 6000)
    assert chunks.needs_chunks(text)
    chunked = lint_source(text, "big.txt", SETTINGS, select=line_codes)
    assert "chunks" in chunked.notice
    # long-range evidence (a study block of up to 20 sentences) can end at a cut: allow a
    # finding or two to differ right after a cut, out of dozens
    differing = set(_keys(chunked)) ^ set(_keys(whole))
    assert len(differing) <= 2, differing
    assert len(whole.diagnostics) > 40
    for d in chunked.diagnostics:  # positions are the whole file's
        lines = text.replace("\r\n", "\n").split("\n")
        assert lines[d.line - 1][d.column - 1 : d.column - 1 + len(d.match)] == d.match


def test_document_requirements_across_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    body = "干细胞研究进展介绍。\n\n" * 2000
    with_disclaimer = body + "免责声明：本文仅供科普参考，不构成医疗建议。\n"
    monkeypatch.setattr(chunks, "CHUNK_CHARS", 5000)
    met = lint_source(with_disclaimer, "a.md", SETTINGS, select=["DSC001"])
    unmet = lint_source(body, "a.md", SETTINGS, select=["DSC001"])
    assert met.diagnostics == []
    assert [(d.code, d.line, d.column) for d in unmet.diagnostics] == [("DSC001", 1, 1)]


def test_cuts_avoid_code_fences() -> None:
    text = ("段落。\n\n" * 50) + "```\n" + ("代码\n\n" * 200) + "```\n" + ("段落。\n\n" * 50)
    fence_start = text.index("```")
    fence_end = text.rindex("```")
    for cut in chunks.boundaries(text, size=300)[1:-1]:
        assert not fence_start < cut <= fence_end
