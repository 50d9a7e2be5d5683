"""HTML drafts: the text a reader sees, each character mapped to its span in the source.

Parsed with the standard library's :class:`html.parser.HTMLParser`, which reports where
each event starts (:meth:`~html.parser.HTMLParser.getpos`); an event runs to where the next
one starts, so every data chunk's raw source is known, and its entities (``&#27835;``,
``&nbsp;``, ``&amp;``) are decoded here, each decoded character mapped to the entity's whole
span. (``convert_charrefs=True`` keeps the parser on its well-trodden path: with ``False``,
a stray ``&#;`` makes Python 3.11's parser read the rest of the file, tags included, as text.)

What is visible, as a browser shows it:

* tags, attributes, comments, ``<script>`` and ``<style>`` are hidden;
* block elements (``p``, ``div``, ``section``, ``li``, ``h1``–``h6``, ``tr``, ``td``, ``br``…)
  end a line, which the rules read as a paragraph (plain text: one paragraph a line);
  inline elements (``span``, ``b``, ``strong``, ``em``, ``a``, ``font``…) break nothing,
  so ``治</span><span>愈`` reads 治愈;
* runs of source whitespace collapse to one space, dropped at line starts and ends and,
  as CSS Text 3 prescribes, where a source line break falls between two CJK characters;
  ``&nbsp;`` and full-width spaces are text (the rules fold them to spaces);
* a comment that holds a ``kepulint-`` directive is kept, verbatim and on a line of its
  own, so inline suppressions work as in plain text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

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
_SPACE = " \t\n\f\r"  # HTML's ASCII whitespace
_ENTITY = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")  # as html.unescape
DIRECTIVE = "kepulint-"
_TAG_START = re.compile(r"</?[A-Za-z]|<!")

# kinds of visible items
_CHAR, _SPACE_RUN, _BREAK = 0, 1, 2


class _Reader(HTMLParser):
    """Collects visible items ``(kind, char, start, end)`` with source offsets."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_offsets = [0]  # where each "\n"-terminated line starts (the parser's own lines)
        self.line_offsets += [m.end() for m in re.finditer("\n", source)]
        self.items: list[tuple[int, str, int, int]] = []
        self.pending: tuple[int, str] | None = None  # a data chunk whose end is the next event's start
        self.markup_starts: list[int] = []  # where each tag, comment or declaration starts
        self.hidden = 0
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
        if not self.hidden:
            self.pending = (here, data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        here = self._event()
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self.items.append((_BREAK, "\n", here, here))
        if tag == "pre":
            self.pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        here = self._event()
        if tag in BLOCKS:
            self.items.append((_BREAK, "\n", here, here))

    def handle_endtag(self, tag: str) -> None:
        here = self._event()
        if tag in HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in BLOCKS:
            self.items.append((_BREAK, "\n", here, here))
        if tag == "pre":
            self.pre = max(self.pre - 1, 0)

    def handle_comment(self, data: str) -> None:
        here = self._event()
        if DIRECTIVE not in data.lower():
            return
        end = self.source.find("-->", here + 4 + len(data))  # the parser found it there
        end = len(self.source) if end < 0 else end + 3
        self.items.append((_BREAK, "\n", here, here))
        self.items.extend((_CHAR, ch, i, i + 1) for i, ch in enumerate(self.source[here:end], here))
        self.items.append((_BREAK, "\n", end, end))

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
        """Visible items for ``data``, the parser's decoding of ``source[start:end]``."""
        items = self.items
        for ch, a, b in _decoded(self.source[start:end], start, data):
            if ch in _SPACE:
                if self.pre and ch in "\r\n":
                    items.append((_BREAK, "\n", a, b))
                else:
                    items.append((_CHAR if self.pre else _SPACE_RUN, " " if ch in "\r\n\f\t" else ch, a, b))
            else:
                items.append((_CHAR, ch, a, b))


def _decoded(raw: str, base: int, data: str) -> list[tuple[str, int, int]]:
    """``(char, start, end)`` for each character of ``data``, the parser's text for ``raw``
    (found at offset ``base``): decoded entities span their whole source."""
    out: list[tuple[str, int, int]] = []
    pos = 0
    for m in _ENTITY.finditer(raw):
        out.extend((ch, base + i, base + i + 1) for i, ch in enumerate(raw[pos : m.start()], pos))
        decoded = html.unescape(m.group())
        if decoded == m.group():  # not an entity after all: plain text
            out.extend((ch, base + i, base + i + 1) for i, ch in enumerate(decoded, m.start()))
        else:  # every decoded character spans the whole entity
            out.extend((ch, base + m.start(), base + m.end()) for ch in decoded)
        pos = m.end()
    out.extend((ch, base + i, base + i + 1) for i, ch in enumerate(raw[pos:], pos))
    if "".join(ch for ch, _, _ in out) == data:
        return out
    if raw == data:  # raw text the parser did not decode
        return [(ch, base + i, base + i + 1) for i, ch in enumerate(raw)]
    return [(ch, base, base + len(raw)) for ch in data]  # unknown decoding: the whole chunk


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
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    run: list[tuple[int, str, int, int]] = []  # collapsible whitespace waiting for the next character
    for item in reader.items:
        kind, ch, a, b = item
        if kind == _SPACE_RUN:
            run.append(item)
            continue
        if kind == _BREAK:
            run.clear()
            if chars and chars[-1] != "\n":
                chars.append("\n")
                starts.append(a)
                ends.append(b)
            continue
        if run:
            broken = any(source[r[2]] in "\r\n" for r in run)
            if chars and chars[-1] != "\n" and not (broken and _is_cjk(chars[-1]) and _is_cjk(ch)):
                chars.append(" ")
                starts.append(run[0][2])
                ends.append(run[-1][3])
            run.clear()
        chars.append(ch)
        starts.append(a)
        ends.append(b)
    while chars and chars[-1] == "\n":
        chars.pop()
        starts.pop()
        ends.pop()
    return Visible("".join(chars), starts, ends, source, tuple(reader.markup_starts))
