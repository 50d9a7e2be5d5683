"""Markdown and plain-text structure: hide what is not prose, keep every offset.

``mask`` returns a copy of the text of the same length in which front matter, code
(fenced, indented, inline), HTML comments and tags, URLs and link targets are blanked
with spaces (newlines kept), plus the spans it blanked, so that citation detection can
still see URLs and suppression parsing can still see comments.

Lines end at CR, LF or CRLF, as in :mod:`kepulint.text.source`: the patterns run on a view of
the text of the same length in which CRLF reads as " LF" and a lone CR as LF, so that a
file saved on Windows (or an old Mac) is masked exactly like the same file with LF.

Blocks are found left to right, the first to start wins (as in CommonMark): a ``<!--``
inside a code block is code, a fence inside a comment is comment. Inline code, tags and a
comment that does not open its line never start inside a block nor run across a blank
line; an unclosed comment hides the rest of the file only when it opens a line of a
Markdown file (an HTML block), otherwise ``<!--`` is just text. Nothing a stray backtick,
``<`` or ``<!--`` in a sentence does can hide later paragraphs.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate

from .source import lf_view

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)(?:\r?\n|\A)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
# the opening run is taken whole, as backtracking into it never helps: a line of backticks with no
# line end after it then costs linear time, not quadratic
_FENCE = re.compile(r"^( {0,3})(`{3,}(?!`)|~{3,}(?!~))[^\n]*\n.*?(?:^ {0,3}\2[`~]*[ \t]*$|\Z)", re.S | re.M)
_COMMENT_OPEN = "<!--"
_COMMENT_CLOSE = "-->"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# a tag may continue on the next line but never across a blank line
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s(?:[^<>\n]|\n(?![ \t]*\n))*)?/?>")
_LINK_TARGET = re.compile(r"(?<=\])\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\n]*\")?\)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*\S+.*$", re.M)
_URL_CHARS = r"[^\s<>\"'，。；！？、（）【】「」《》“”\u3000]+"
# https?://, ftp://, www. or doi.org/ (at a word start), in any case; the first letter is spelled
# out as a character class outside the case-insensitive group so that the search skips to it
_URL = re.compile(
    r"[DdFfHhWw](?i:"
    r"(?<=h)ttps?://" + _URL_CHARS + r"|(?<=f)tp://" + _URL_CHARS + r"|(?<=w)ww\." + _URL_CHARS
    + r"|(?<=\bd)oi\.org/[^\s，。；]+)"
)
_INDENTED_LINE = re.compile(r"^(?: {4}|\t)")
_INDENT_AFTER_LF = re.compile(r"\n(?: {4}|\t)")
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


_NOT_NEWLINES = re.compile(r"[^\r\n]+")
URL_FILL = "\ue000"  # private-use placeholder: URLs stay visible to citation detection
# what a U+E000 already in the draft becomes in the prose view, so that it is not read as a URL
URL_FILL_STANDIN = "\ue001"


def _blank_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace every non-newline character inside each span with that span's filler."""
    out: list[str] = []
    pos = 0
    for start, end, fill in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        out.append(text[pos:start])
        out.append(_filled(text[start:end], fill))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _filled(piece: str, fill: str) -> str:
    """``piece`` with every character but CR and LF replaced by ``fill``."""
    return _NOT_NEWLINES.sub(lambda m: fill * (m.end() - m.start()), piece)


def mask(text: str, markdown: bool) -> Masked:
    """Blank non-prose regions of ``text`` (see module docstring)."""
    prose = text.replace(URL_FILL, URL_FILL_STANDIN) if URL_FILL in text else text
    result = Masked(prose)
    spans: list[tuple[int, int]] = []
    view = lf_view(text)  # same offsets as ``text``; the patterns only need to know LF

    fm = _FRONT_MATTER.match(view) if markdown else None  # plain text has no front matter
    start = 0
    if fm and _is_yaml_mapping(text[fm.start(1) : fm.end(1)]):
        result.front_matter = text[fm.start(1) : fm.end(1)]
        result.front_matter_end = fm.end()
        spans.append((0, fm.end()))
        start = fm.end()
    blocks = _blocks(text, view, start, markdown, result)
    if markdown:
        spans.extend(_markdown_spans(view, blocks, result))
    spans.extend(blocks)
    for m in _URL.finditer(view):
        spans.append(m.span())
        result.urls.append(m.span())
    if spans:
        urls = set(result.urls)
        result.text = _blank_spans(prose, [(a, b, URL_FILL if (a, b) in urls else " ") for a, b in spans])
    return result


# front matter of ``key: value`` lines only (no flow collections: nothing nests), which libyaml
# parses fast and safely; anything else goes to PyYAML's pure-Python parser
_FLAT_YAML = re.compile(r"[ \t]*(?:[\w-]{1,64}:[^\r\n\[{]*)?(?:\r?\n[ \t]*(?:[\w-]{1,64}:[^\r\n\[{]*)?)*")


def _is_yaml_mapping(raw: str) -> bool:
    """True when ``raw`` (between the ``---`` lines) is empty or YAML whose document is a
    mapping: only then is it front matter, and not prose that happens to sit between rules.
    Parsed without type resolution (``BaseLoader``): a bad date is still a mapping."""
    if not raw.strip():
        return True
    import yaml

    flat = _FLAT_YAML.fullmatch(raw) is not None
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader) if flat else yaml.BaseLoader
    try:
        return isinstance(yaml.load(raw, Loader=loader), dict)
    except (yaml.YAMLError, RecursionError, ValueError):
        return False


def _markdown_spans(view: str, blocks: list[tuple[int, int]], result: Masked) -> list[tuple[int, int]]:
    """Markdown-only spans: indented and inline code, tags, reference definitions, link targets.

    Link targets are also recorded in ``result.urls``. Each pattern runs only if the
    text holds a string that all of its matches contain.
    """
    spans = _indented_code(view) if _has_indented_line(view) else []
    blocks = _merge(blocks + spans)
    if "`" in view:
        spans.extend(_inline_code(view, blocks))
    if "<" in view:
        spans.extend(_outside(_HTML_TAG, view, _merge(blocks + spans)))
    if "]:" in view:
        spans.extend(m.span() for m in _REF_DEF.finditer(view))
    if "](" in view:
        links = [m.span() for m in _LINK_TARGET.finditer(view)]
        spans.extend(links)
        result.urls.extend(links)
    return spans


def _has_indented_line(view: str) -> bool:
    """Whether a line of ``view`` (LF line ends) starts with four spaces or a tab."""
    return view.startswith(("    ", "\t")) or _INDENT_AFTER_LF.search(view) is not None


def _blocks(text: str, view: str, pos: int, markdown: bool, result: Masked) -> list[tuple[int, int]]:
    """Fenced code blocks and HTML comments from ``pos`` on, left to right (the first to open wins).

    Comments (outside code) are recorded in ``result.comments`` for the suppression parser.
    Each search is run again only once ``pos`` has passed what it found, so the whole is linear.
    """
    out: list[tuple[int, int]] = []
    fences = markdown and ("```" in view or "~~~" in view)
    if not fences and view.find(_COMMENT_OPEN, pos) < 0:  # nothing to find
        return out
    fence = _FENCE.search(view, pos) if fences else None
    next_open = _first_from(lambda at: view.find(_COMMENT_OPEN, at))
    next_close = _first_from(lambda at: view.find(_COMMENT_CLOSE, at))
    next_blank = _first_from(lambda at: _start_or_minus_one(_BLANK_LINE.search(view, at)))
    while True:
        if fence is not None and fence.start() < pos:
            fence = _FENCE.search(view, pos)
        opened = next_open(pos)
        if fence is None and opened < 0:
            return out
        if fence is not None and (opened < 0 or fence.start() <= opened):
            out.append(fence.span())
            pos = max(fence.end(), fence.start() + 1)
            continue
        closed = next_close(opened + len(_COMMENT_OPEN))
        block = _opens_line(view, opened)
        if closed >= 0 and not block and 0 <= next_blank(opened) < closed:
            closed = -1  # an inline comment ends within its paragraph, or is no comment
        if closed >= 0:
            end = closed + len(_COMMENT_CLOSE)
        elif markdown and block:
            end = len(view)  # an unclosed HTML block runs to the end of the document
        else:  # an unclosed inline ``<!--`` is text
            pos = opened + len(_COMMENT_OPEN)
            continue
        out.append((opened, end))
        result.comments.append((opened, end, text[opened:end]))
        pos = end


def _first_from(find: Callable[[int], int]) -> Callable[[int], int]:
    """``find`` (start of the first hit at or after a position, or -1) for positions that never go back.

    A hit's start does not depend on where the search began, so the last hit is returned again
    until a position passes it; only then is ``find`` called again.
    """
    hit: int | None = None

    def first(at: int) -> int:
        nonlocal hit
        if hit is None or 0 <= hit < at:
            hit = find(at)
        return hit

    return first


def _start_or_minus_one(match: re.Match[str] | None) -> int:
    return -1 if match is None else match.start()


def _opens_line(view: str, pos: int) -> bool:
    """Whether only up to three spaces precede ``pos`` on its line (looking back four characters at most)."""
    before = view[max(0, pos - 4) : pos]
    line = before[before.rfind("\n") + 1 :]
    return (pos < 4 or "\n" in before) and not line.strip(" ")


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _outside(pattern: re.Pattern[str], view: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of ``pattern`` that neither start inside nor run into one of the sorted ``blocks``."""
    starts = [a for a, _ in blocks]
    out: list[tuple[int, int]] = []
    pos = 0
    while (m := pattern.search(view, pos)) is not None:
        i = bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < blocks[i][1]:  # starts inside a block: resume after it
            pos = blocks[i][1]
            continue
        if i + 1 < len(starts) and starts[i + 1] < m.end():  # runs into the next block
            pos = m.start() + 1
            continue
        out.append(m.span())
        pos = max(m.end(), m.start() + 1)
    return out


def _inline_code(view: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Code spans outside the sorted ``blocks``, in linear time, as :func:`_outside` would find them.

    That is, with the pattern ``(`+)(?!`)(?:[^\\n]|\\n(?![ \\t]*\\n))+?(?<!`)\\1(?!`)``: an opener is
    the rest of a backtick run from any of its backticks, closed by the next whole run of as many
    backticks before any blank line.
    """
    runs = _BacktickRuns(view)
    starts = [a for a, _ in blocks]
    out: list[tuple[int, int]] = []
    pos = 0
    i = 0
    while i < len(runs.ends):
        start = runs.starts[i]
        closing = runs.next_as_long[i] if pos <= start else -1
        if closing >= 0:  # the usual case: the whole run opens
            opened, close = start, runs.ends[closing]
        elif (span := runs.span_within(i, max(pos, start))) is not None:
            opened, close = span
        else:  # no opener in this run
            i += 1
            continue
        b = bisect_right(starts, opened) - 1
        if b >= 0 and opened < blocks[b][1]:  # opens inside a block: resume after it
            pos = blocks[b][1]
        elif b + 1 < len(starts) and starts[b + 1] < close:  # runs into the next block
            pos = opened + 1
        else:
            out.append((opened, close))
            pos = close
        i = bisect_right(runs.ends, pos, i)  # the first run not over by ``pos``
    return out


_BACKTICK_RUN = re.compile(r"(`+)")


class _BacktickRuns:
    """The backtick runs of a text (as offsets), numbered by paragraph, and the runs that close them."""

    def __init__(self, view: str) -> None:
        parts = _BACKTICK_RUN.split(view)  # prose, run, prose, run, ..., prose
        bounds = list(accumulate(map(len, parts)))  # where each part ends
        self.starts = bounds[0:-1:2]
        self.ends = bounds[1::2]
        count = len(self.ends)
        # runs with no blank line between them share a paragraph number
        blank_before = [0] * count
        for m in _BLANK_LINE.finditer(view):
            first_after = bisect_left(self.starts, m.start())
            if first_after < count:
                blank_before[first_after] = 1
        self.paragraph = list(accumulate(blank_before))
        # the next run as long in the same paragraph: what closes a whole run, the usual opener
        self.next_as_long = [-1] * count
        after: dict[int, int] = {}
        for i in range(count - 1, -1, -1):
            if i + 1 < count and blank_before[i + 1]:
                after = {}
            length = self.ends[i] - self.starts[i]
            self.next_as_long[i] = after.get(length, -1)
            after[length] = i
        self._by_length: dict[int, list[int]] = {}  # built for the first opener that is not a whole run
        self._longest_after: list[int] = []

    def span_within(self, i: int, pos: int) -> tuple[int, int] | None:
        """(opener start, closer end) of the span opened in run ``i`` at or after ``pos``, or None.

        The opener is the rest of the run from its first backtick (at or after ``pos``) that has a closer.
        """
        if not self._longest_after:
            self._index()
        end = self.ends[i]
        length = min(end - pos, self._longest_after[i])
        while length:
            same = self._by_length.get(length, [])
            k = bisect_right(same, i)  # the first run that long after run ``i``
            if k < len(same) and self.paragraph[same[k]] == self.paragraph[i]:
                return end - length, self.ends[same[k]]
            length -= 1
        return None

    def _index(self) -> None:
        """Runs by length, and the longest run after each in its paragraph (the longest closer)."""
        for i, (start, end) in enumerate(zip(self.starts, self.ends, strict=True)):
            self._by_length.setdefault(end - start, []).append(i)
        self._longest_after = [0] * len(self.starts)
        for i in range(len(self.starts) - 2, -1, -1):
            if self.paragraph[i] == self.paragraph[i + 1]:
                next_length = self.ends[i + 1] - self.starts[i + 1]
                self._longest_after[i] = max(next_length, self._longest_after[i + 1])


def _indented_code(text: str) -> list[tuple[int, int]]:
    """Indented code blocks: 4-space/tab lines after a blank line, outside lists.

    ``text`` has LF line ends only (see :func:`~kepulint.text.source.lf_view`); other characters that
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
