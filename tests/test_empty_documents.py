"""A file with no article yet (empty, blank, only front matter, comments or code) gets no
document-level findings: there is nothing to disclaim, sign or date. A line of prose does."""

from __future__ import annotations

import pytest

from kepulint.api import lint_text

DOCUMENT_RULES = {"DSC001", "DSC002", "META001"}
NO_PROSE = {
    "empty": "",
    "blank lines, tabs, ideographic spaces": "\n\n \t\u3000\n  \n",
    "front matter only": "---\ntitle: 干细胞与抑郁症（草稿）\ndate: 2025-06-01\n---\n",
    "front matter only, Traditional": "---\ntitle: 幹細胞與憂鬱症（草稿）\n---\n",
    "a comment only": "<!-- 待写：干细胞治疗抑郁症的研究进展 -->\n",
    "a comment only, Traditional": "<!-- 待寫：幹細胞治療憂鬱症的研究進展 -->\n",
    "a code block only": "```\nprint('hello')\n```\n",
    "CRLF blank lines": "\r\n\r\n",
    "markup only": "---\n\n# \n\n> \n- \n* * *\n",
    "a zero-width space and a BOM": "\ufeff\u200b\n",
}


@pytest.mark.parametrize("text", list(NO_PROSE.values()), ids=list(NO_PROSE))
def test_no_prose_no_document_findings(text: str) -> None:
    found = lint_text(text, "draft.md", today="2025-11-25")
    assert not [d for d in found if d.code in DOCUMENT_RULES], found


@pytest.mark.parametrize("text", ["研究进展介绍。", "研究進展介紹。\n", "---\ntitle: x\n---\n正文一句。\n"])
def test_one_line_of_prose_is_a_document(text: str) -> None:
    codes = {d.code for d in lint_text(text, "draft.md", today="2025-11-25")}
    assert {"DSC001", "META001"} <= codes


def test_plain_text_blank_file() -> None:
    assert lint_text(" \n\n", "draft.txt", today="2025-11-25") == []
