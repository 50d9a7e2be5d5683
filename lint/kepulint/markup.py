"""Markdown and plain-text structure: hide what is not prose, keep every offset.

``mask`` returns a copy of the text of the same length in which front matter, code
(fenced, indented, inline), HTML comments and tags, URLs and link targets are blanked
with spaces (newlines kept), plus the spans it blanked, so that citation detection can
still see URLs and suppression parsing can still see comments.

Lines end at CR, LF or CRLF, as in :mod:`kepulint.source`: the patterns run on a view of
the text of the same length in which CRLF reads as " LF" and a lone CR as LF, so that a
file saved on Windows (or an old Mac) is masked exactly like the same file with LF.
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
_LINES = re.compile(r"[^\n]*\n|[^\n]+")


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


def _lf_view(text: str) -> str:
    """``text`` with the same length in which every line ends in LF: CRLF -> " LF", CR -> LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", " \n").replace("\r", "\n")


def mask(text: str, markdown: bool) -> Masked:
    """Blank non-prose regions of ``text`` (see module docstring)."""
    result = Masked(text)
    spans: list[tuple[int, int]] = []
    view = _lf_view(text)  # same offsets as ``text``; the patterns only need to know LF

    fm = _FRONT_MATTER.match(view)
    if fm:
        result.front_matter = text[fm.start(1) : fm.end(1)]
        result.front_matter_end = fm.end()
        spans.append((0, fm.end()))
    code: list[tuple[int, int]] = []
    if markdown:
        code.extend(m.span() for m in _FENCE.finditer(view))
        code.extend(_indented_code(view))
        code.extend(m.span() for m in _INLINE_CODE.finditer(view))
        spans.extend(code)
        spans.extend(m.span() for m in _HTML_TAG.finditer(view))
        spans.extend(m.span() for m in _REF_DEF.finditer(view))
        for m in _LINK_TARGET.finditer(view):
            spans.append(m.span())
            result.urls.append(m.span())
    for m in _COMMENT.finditer(view):
        if not any(a <= m.start() < b for a, b in code):
            result.comments.append((m.start(), m.end(), text[m.start() : m.end()]))
        spans.append(m.span())
    for m in _URL.finditer(view):
        spans.append(m.span())
        result.urls.append(m.span())
    if spans:
        urls = set(result.urls)
        result.text = _blank_spans(text, [(a, b, URL_FILL if (a, b) in urls else " ") for a, b in spans])
    return result


def _indented_code(text: str) -> list[tuple[int, int]]:
    """Indented code blocks: 4-space/tab lines after a blank line, outside lists.

    ``text`` has LF line ends only (see :func:`_lf_view`); other characters that
    :meth:`str.splitlines` would break at (VT, FF, U+0085, U+2028…) do not end a line.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    prev_blank = True
    prev_list = False
    in_block = False
    for line in _LINES.findall(text):
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
