"""Markdown and plain-text structure: hide what is not prose, keep every offset.

``mask`` returns a copy of the text of the same length in which front matter, code
(fenced, indented, inline), HTML comments and tags, URLs and link targets are blanked
with spaces (newlines kept), plus the spans it blanked, so that citation detection can
still see URLs and suppression parsing can still see comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)(?:\r?\n|\A)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\2[`~]*[ \t]*$|\Z)", re.S | re.M)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_LINK_TARGET = re.compile(r"(?<=\])\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\n]*\")?\)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*\S+.*$", re.M)
_URL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"'，。；！？、（）【】「」《》“”\u3000]+"
    r"|\bdoi\.org/[^\s，。；]+",
    re.I,
)
_INDENTED_LINE = re.compile(r"^(?: {4}|\t)")


@dataclass
class Masked:
    """Result of :func:`mask`: the prose view and what was hidden."""

    text: str
    urls: list[tuple[int, int]] = field(default_factory=list)
    comments: list[tuple[int, int, str]] = field(default_factory=list)
    front_matter: str | None = None
    front_matter_end: int = 0


def is_markdown(path: str | None) -> bool:
    return bool(path) and path.lower().endswith(MARKDOWN_SUFFIXES)  # type: ignore[union-attr]


_NOT_NEWLINE = re.compile(r"[^\r\n]")
URL_FILL = "\ue000"  # private-use placeholder: URLs stay visible to citation detection


def _blank_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace every non-newline character inside each span with that span's filler."""
    out: list[str] = []
    pos = 0
    for start, end, fill in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        out.append(text[pos:start])
        out.append(_NOT_NEWLINE.sub(fill, text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def mask(text: str, markdown: bool) -> Masked:
    """Blank non-prose regions of ``text`` (see module docstring)."""
    result = Masked(text)
    spans: list[tuple[int, int]] = []

    fm = _FRONT_MATTER.match(text)
    if fm:
        result.front_matter = fm.group(1)
        result.front_matter_end = fm.end()
        spans.append((0, fm.end()))
    code: list[tuple[int, int]] = []
    if markdown:
        code.extend(m.span() for m in _FENCE.finditer(text))
        code.extend(_indented_code(text))
        code.extend(m.span() for m in _INLINE_CODE.finditer(text))
        spans.extend(code)
        spans.extend(m.span() for m in _HTML_TAG.finditer(text))
        spans.extend(m.span() for m in _REF_DEF.finditer(text))
        for m in _LINK_TARGET.finditer(text):
            spans.append(m.span())
            result.urls.append(m.span())
    for m in _COMMENT.finditer(text):
        if not any(a <= m.start() < b for a, b in code):
            result.comments.append((m.start(), m.end(), m.group()))
        spans.append(m.span())
    for m in _URL.finditer(text):
        spans.append(m.span())
        result.urls.append(m.span())
    if spans:
        urls = set(result.urls)
        result.text = _blank_spans(text, [(a, b, URL_FILL if (a, b) in urls else " ") for a, b in spans])
    return result


def _indented_code(text: str) -> list[tuple[int, int]]:
    """Indented code blocks: 4-space/tab lines after a blank line, outside lists."""
    spans: list[tuple[int, int]] = []
    pos = 0
    prev_blank = True
    prev_list = False
    in_block = False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if not stripped:
            prev_blank = True
            pos += len(line)
            continue
        if _INDENTED_LINE.match(line) and (prev_blank or in_block) and not prev_list:
            spans.append((pos, pos + len(line)))
            in_block = True
        else:
            in_block = False
            prev_list = bool(re.match(r"^\s*(?:[-*+]|\d+[.)])\s", line)) or (prev_list and not prev_blank)
        prev_blank = False
        pos += len(line)
    return spans
