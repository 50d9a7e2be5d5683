"""HTML drafts: the text a reader sees, each character mapped to its span in the source.

Parsed with the standard library's :class:`html.parser.HTMLParser`, which reports where
each event starts (:meth:`~html.parser.HTMLParser.getpos`); an event runs to where the next
one starts, so every data chunk's raw source is known, and its entities (``&#27835;``,
``&nbsp;``, ``&amp;``) are decoded here, each decoded character mapped to the entity's whole
span. (``convert_charrefs=True`` keeps the parser on its well-trodden path: with ``False``,
a stray ``&#;`` makes Python 3.11's parser read the rest of the file, tags included, as text.)

What is visible, as a browser shows it:

* tags, attributes, comments, ``<script>``, ``<style>`` and ``<title>`` (the browser tab's, not
  the page's: a WeChat article repeats it in an ``<h1>``) are hidden;
* block elements (``p``, ``div``, ``section``, ``li``, ``h1``–``h6``, ``tr``, ``td``, ``br``…)
  end a line, which the rules read as a paragraph (plain text: one paragraph a line);
  inline elements (``span``, ``b``, ``strong``, ``em``, ``a``, ``font``…) break nothing,
  so ``治</span><span>愈`` reads 治愈;
* runs of source whitespace collapse to one space, dropped at line starts and ends and,
  as CSS Text 3 prescribes, where a source line break falls between two CJK characters;
  ``&nbsp;`` and full-width spaces are text (the rules fold them to spaces);
* a comment that holds a ``kepulint-`` directive is kept, verbatim and where it stands, so
  inline suppressions work as in Markdown (``kepulint-disable-line`` at the end of a ``<p>``
  applies to that paragraph).
"""

from __future__ import annotations

import html
import re
import unicodedata
from array import array
from html.parser import HTMLParser
from itertools import repeat
from typing import Any

from . import Visible

# elements that start and end a line of the visible text (CSS display: block, list-item,
# table rows and cells); <br> ends a line too
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "option", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
})
HIDDEN = frozenset({"script", "style"})  # raw-text elements the parser itself closes
_SPACES_TO_SPACE = str.maketrans("\t\n\f\r", "    ")  # HTML's ASCII whitespace but the space
_ENTITY = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")  # as html.unescape
DIRECTIVE = "kepulint-"
_TAG_START = re.compile(r"</?[A-Za-z]|<!")

_WHITESPACE = re.compile(r"[ \t\n\f\r]+")
_LINE_BREAK = re.compile(r"\r\n?|\n")

# segments of the visible text, in order:
TEXT = 0  # (TEXT, text, start): character i is source[start + i]
SPANNED = 1  # (SPANNED, text, start, end): every character comes from source[start:end] (an entity)
SPACE = 2  # (SPACE, start, end, broken): collapsible whitespace; ``broken`` if it holds a line break
BREAK = 3  # (BREAK, at): the end of a block (a line break in the visible text)


class _Reader(HTMLParser):
    """Collects the segments of the visible text (see :data:`TEXT`…) with their source offsets."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_offsets = [0]  # where each "\n"-terminated line starts (the parser's own lines)
        self.line_offsets += [m.end() for m in re.finditer("\n", source)]
        self.segments: list[tuple[Any, ...]] = []
        self.pending: tuple[int, str] | None = None  # a data chunk whose end is the next event's start
        self.markup_starts: list[int] = []  # where each tag, comment or declaration starts
        self.hidden = 0
        self.in_title = False  # until </title>, </head> or <body>: an unclosed title hides no page
        self.pre = 0

    def _here(self) -> int:
        line, col = self.getpos()
        return self.line_offsets[line - 1] + col

    # -- events -------------------------------------------------------------------------------

    def _event(self, markup: bool = True) -> int:
        """The current offset, after placing the data chunk that ends here."""
        here = self._here()
        if self.pending is not None:
            start, data = self.pending
            self.pending = None
            self._place(start, here, data)
        if markup:
            self.markup_starts.append(here)
        return here

    def handle_data(self, data: str) -> None:
        here = self._event(markup=False)
        if not self.hidden and not self.in_title:
            self.pending = (here, data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        here = self._event()
        self.in_title = tag == "title" or (self.in_title and tag != "body")
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self.segments.append((BREAK, here))
        if tag == "pre":
            self.pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        here = self._event()
        if tag in BLOCKS:
            self.segments.append((BREAK, here))

    def handle_endtag(self, tag: str) -> None:
        here = self._event()
        if tag in ("title", "head"):
            self.in_title = False
        if tag in HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in BLOCKS:
            self.segments.append((BREAK, here))
        if tag == "pre":
            self.pre = max(self.pre - 1, 0)

    def handle_comment(self, data: str) -> None:
        here = self._event()
        if DIRECTIVE not in data.lower():
            return
        end = here + 4 + len(data)
        if not (self.source.startswith("<!--", here) and self.source.startswith("-->", end)):
            return  # a bogus comment (<!x>, <?x>) or another ending: no directive form
        self.segments.append((TEXT, self.source[here : end + 3], here))

    def handle_decl(self, decl: str) -> None:
        self._event()

    def handle_pi(self, data: str) -> None:
        self._event()

    def unknown_decl(self, data: str) -> None:
        self._event()

    def finish(self, end: int) -> None:
        """Close the parser; the last data chunk ends at ``end``."""
        self.close()
        if self.pending is not None:
            start, data = self.pending
            self.pending = None
            self._place(start, end, data)

    # -- data ---------------------------------------------------------------------------------

    def _place(self, start: int, end: int, data: str) -> None:
        """Segments for ``data``, the parser's decoding of ``source[start:end]``."""
        raw = self.source[start:end]
        if raw == data and "&" not in raw:  # the usual case: no entity
            self._text(raw, start)
            return
        pieces: list[tuple[Any, ...]] = []
        pos = 0
        for m in _ENTITY.finditer(raw):
            if m.start() > pos:
                pieces.append((TEXT, raw[pos : m.start()], start + pos))
            decoded = html.unescape(m.group())
            if decoded == m.group():  # not an entity after all: text
                pieces.append((TEXT, decoded, start + m.start()))
            else:  # every decoded character spans the whole entity (&#10; reads as a space)
                pieces.append((SPANNED, decoded, start + m.start(), start + m.end()))
            pos = m.end()
        if pos < len(raw):
            pieces.append((TEXT, raw[pos:], start + pos))
        if raw == data and "".join(p[1] for p in pieces) != data:  # text the parser left undecoded
            self._text(raw, start)
        elif "".join(p[1] for p in pieces) == data:
            for piece in pieces:
                if piece[0] == TEXT:
                    self._text(piece[1], piece[2])
                else:
                    self.segments.append((SPANNED, piece[1].translate(_SPACES_TO_SPACE), *piece[2:]))
        else:  # a decoding of the parser's own: each character spans the whole chunk
            self.segments.append((SPANNED, data.translate(_SPACES_TO_SPACE), start, end))

    def _text(self, text: str, start: int) -> None:
        """Segments for source text at ``start``: runs of whitespace collapse (in ``<pre>``, line
        breaks end lines and other whitespace stays)."""
        segments = self.segments
        pattern = _LINE_BREAK if self.pre else _WHITESPACE
        pos = 0
        for m in pattern.finditer(text):
            if m.start() > pos:
                segments.append((TEXT, text[pos : m.start()], start + pos))
            if self.pre:
                segments.append((BREAK, start + m.start()))
            else:
                run = m.group()
                segments.append((SPACE, start + m.start(), start + m.end(), "\n" in run or "\r" in run))
            pos = m.end()
        if pos < len(text):
            segments.append((TEXT, text[pos:] if pos else text, start + pos))


def _complete(source: str) -> int:
    """Where ``source`` ends, less a tag or comment that the end of the file cuts off (which
    shows nothing in a browser; the parser would read it as text)."""
    last = source.rfind("<")
    if last >= 0 and ">" not in source[last:] and _TAG_START.match(source, last):
        return last
    return len(source)


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF" and not "\uac00" <= ch <= "\ud7a3"


def read_html(source: str) -> Visible:
    """The visible text of the HTML ``source`` and the source span of each of its characters."""
    reader = _Reader(source)
    end = _complete(source)
    reader.feed(source[:end])
    reader.finish(end)
    if end < len(source):
        reader.markup_starts.append(end)
    parts: list[str] = []
    starts = array("q")  # 8 bytes an offset: a list of ints would hold an object for each
    ends = array("q")
    last = ""  # the last visible character so far
    space: tuple[int, int, bool] | None = None  # collapsible whitespace waiting for the next text
    for seg in reader.segments:
        kind = seg[0]
        if kind == SPACE:
            space = (seg[1], seg[2], seg[3]) if space is None else (space[0], seg[2], space[2] or seg[3])
            continue
        if kind == BREAK:
            space = None
            if last and last != "\n":
                parts.append("\n")
                starts.append(seg[1])
                ends.append(seg[1])
                last = "\n"
            continue
        text = seg[1]
        if not text:
            continue
        if space is not None:
            if last and last != "\n" and not (space[2] and _is_cjk(last) and _is_cjk(text[0])):
                parts.append(" ")
                starts.append(space[0])
                ends.append(space[1])
            space = None
        parts.append(text)
        if kind == TEXT:
            at = seg[2]
            starts.extend(range(at, at + len(text)))
            ends.extend(range(at + 1, at + len(text) + 1))
        else:
            starts.extend(repeat(seg[2], len(text)))
            ends.extend(repeat(seg[3], len(text)))
        last = text[-1]
    while parts and parts[-1] == "\n":
        parts.pop()
        starts.pop()
        ends.pop()
    return Visible("".join(parts), starts, ends, source, tuple(reader.markup_starts))
