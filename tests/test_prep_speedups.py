"""The fast paths that prepare a document give exactly what the plain code they replaced gave.

Each test pits a fast path against a reference kept here (the straightforward code) or
checks the fact it relies on: the URL pattern with its first letter spelled out, the
Markdown patterns skipped when their trigger string is absent, inline code spans, fences and
comments found in linear time, the list-based translation table, line starts, sentences,
paragraphs, and front matter read by libyaml.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kepulint.text import markup, normalize, segment
from kepulint.text.document import _SIMPLE_YAML, Document, _load_yaml
from kepulint.text.source import line_starts

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _short(text: str) -> str:
    """A test id: the start of ``text``."""
    return repr(text[:12])


def _text(pieces: list[str]) -> st.SearchStrategy[str]:
    """Texts made of ``pieces`` and arbitrary characters (surrogates excluded)."""
    piece = st.one_of(st.sampled_from(pieces), st.characters(exclude_categories=("Cs",)))
    return st.lists(piece, max_size=40).map("".join)


# --- URLs -------------------------------------------------------------------------------

_OLD_URL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"'，。；！？、（）【】「」《》“”\u3000]+"
    r"|\bdoi\.org/[^\s，。；]+",
    re.I,
)
URL_PIECES = ["http", "HTTPS://", "ftp://", "www.", "WwW.", "doi.org/", "DOİ.ORG/", "doı.org/", "httpſ://",
              "x", "_", "中", " ", "/", ":", ".", "。", "K", "\u212a", "h", "d", "f", "w"]


def test_url_first_letters_are_all_that_match_case_insensitively() -> None:
    """The class [DdFfHhWw] holds every character that (?i) matches to d, f, h or w."""
    first = {chr(c) for c in range(0x110000) if re.fullmatch("(?i)[dfhw]", chr(c))}
    assert first == set("DdFfHhWw")


@FAST
@given(_text(URL_PIECES))
def test_url_pattern_matches_as_before(text: str) -> None:
    assert [m.span() for m in markup._URL.finditer(text)] == [m.span() for m in _OLD_URL.finditer(text)]


# --- Markdown patterns skipped without their trigger -------------------------------------

MARKDOWN_PIECES = ["`", "``", "```", "~~~", "<", "<b>", "</i>", "<a href=x>", "](", "]", "(", ")", "[a]: u",
                   "[", ":", "\n", "\n\n", "    ", "\t", " ", "x", "中"]


@FAST
@given(_text(MARKDOWN_PIECES))
def test_every_markdown_match_holds_its_trigger(text: str) -> None:
    view = markup.lf_view(text)
    assert all("`" in view[a:b] for a, b in markup._inline_code(view, []))
    assert all("<" in m.group() for m in markup._HTML_TAG.finditer(view))
    assert all("]:" in m.group() for m in markup._REF_DEF.finditer(view))
    assert all(view[m.start() - 1 : m.start() + 1] == "](" for m in markup._LINK_TARGET.finditer(view))
    assert all("```" in m.group() or "~~~" in m.group() for m in markup._FENCE.finditer(view))
    if markup._indented_code(view):
        assert markup._has_indented_line(view)


# --- code spans, fences and comments in linear time -------------------------------------

# the code span pattern the run-based search replaced: an opener is the rest of a backtick run,
# closed by the next run of exactly as many backticks, the span never crossing a blank line
_OLD_INLINE_CODE = re.compile(r"(`+)(?!`)(?:[^\n]|\n(?![ \t]*\n))+?(?<!`)\1(?!`)")
_OLD_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\2[`~]*[ \t]*$|\Z)", re.S | re.M)
CODE_PIECES = ["`", "``", "```", "````", "~~~", "~~~~", "\n", "\n\n", "\n \n", "\n\t\n", " ", "   ", "    ",
               "\t", "x", "中", "，", "<!--", "-->", "<!-- c -->", "<b>", "\r\n", "\r"]


def _old_blocks(text: str, view: str, pos: int, markdown: bool, result: markup.Masked) -> list[tuple[int, int]]:
    """Fences and comments, every search run again from ``pos`` (quadratic on many of them)."""
    out: list[tuple[int, int]] = []
    fences = markdown and ("```" in view or "~~~" in view)
    while True:
        fence = _OLD_FENCE.search(view, pos) if fences else None
        opened = view.find("<!--", pos)
        if fence is None and opened < 0:
            return out
        if fence is not None and (opened < 0 or fence.start() <= opened):
            out.append(fence.span())
            pos = max(fence.end(), fence.start() + 1)
            continue
        closed = view.find("-->", opened + 4)
        line_start = view.rfind("\n", 0, opened) + 1
        block = opened - line_start <= 3 and not view[line_start:opened].strip(" ")
        if closed >= 0 and not block and re.compile(r"\n[ \t]*\n").search(view, opened, closed):
            closed = -1
        if closed >= 0:
            end = closed + 3
        elif markdown and block:
            end = len(view)
        else:
            pos = opened + 4
            continue
        out.append((opened, end))
        result.comments.append((opened, end, text[opened:end]))
        pos = end


@st.composite
def _text_and_blocks(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """A backtick-rich LF text and sorted, disjoint blocks in it (as :func:`markup._merge` gives)."""
    text = markup.lf_view(draw(_text(CODE_PIECES)))
    cuts = draw(st.lists(st.integers(0, len(text)), max_size=6))
    pairs = zip(cuts[::2], cuts[1::2], strict=False)  # an odd last cut is dropped
    return text, markup._merge([(min(a, b), max(a, b) + 1) for a, b in pairs])


@settings(FAST, max_examples=500)
@given(_text_and_blocks())
def test_code_spans_as_the_pattern_found_them(case: tuple[str, list[tuple[int, int]]]) -> None:
    text, blocks = case
    assert markup._inline_code(text, blocks) == markup._outside(_OLD_INLINE_CODE, text, blocks)


@FAST
@given(_text(CODE_PIECES))
def test_fence_pattern_matches_as_before(text: str) -> None:
    view = markup.lf_view(text)
    for pos in range(0, len(view) + 1, 3):
        old, new = _OLD_FENCE.search(view, pos), markup._FENCE.search(view, pos)
        assert (old and (old.span(), old.groups())) == (new and (new.span(), new.groups()))


@settings(FAST, max_examples=500)
@given(_text(CODE_PIECES), st.booleans())
def test_blocks_as_before(text: str, markdown: bool) -> None:
    view = markup.lf_view(text)
    new, old = markup.Masked(text), markup.Masked(text)
    assert markup._blocks(text, view, 0, markdown, new) == _old_blocks(text, view, 0, markdown, old)
    assert new.comments == old.comments


@contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    """Fail the test instead of hanging if the block takes more than ``seconds`` (where SIGALRM exists)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds} s: not linear")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


N = 200_000
LONG_CASES = [  # text, markdown, what the prose view should be (None: unchanged)
    ("`" * N, True, None),  # one run of backticks: no span, no fence (no line end)
    ("`" * N + "\n", True, " " * N + "\n"),  # an unclosed fence
    ("~" * N, True, None),
    ("`" * (N // 2) + "a" + "`" * (N // 2), True, " " * (N + 1)),
    ("`a" * (N // 2), True, "   a" * (N // 4)),
    ("`" * N + "a`", True, "`" * (N - 1) + "   "),  # the last backtick of the run opens
    ("a<!--" * (N // 5), False, None),
    ("a<!--" * (N // 5) + "-->", True, "a" + " " * (N + 2)),
    ("<!-- -->" * (N // 8) + "\n```\ncode\n```\n", True, " " * N + "\n   \n    \n   \n"),
    ("```\nx\n```\n" * (N // 10) + "<!-- c -->", True, "   \n \n   \n" * (N // 10) + " " * 10),
]


@pytest.mark.parametrize(("text", "markdown", "prose"), LONG_CASES, ids=[_short(case[0]) for case in LONG_CASES])
def test_masking_stays_linear(text: str, markdown: bool, prose: str | None) -> None:
    """Long runs of backticks, tildes, fences or comment markers take no time (they took minutes)."""
    with _alarm(20):
        masked = markup.mask(text, markdown)
    assert masked.text == (text if prose is None else prose)


# --- folding ----------------------------------------------------------------------------


def test_translation_list_equals_the_table() -> None:
    every = "".join(map(chr, range(0x110000)))
    assert every.translate(normalize._translation()) == every.translate(normalize._char_table())


# --- line starts ------------------------------------------------------------------------

NEWLINE_PIECES = ["\r\n", "\r", "\n", "\n\r", "a", "中", " ", "\x0b", "\u2028", "\x85"]


@FAST
@given(_text(NEWLINE_PIECES))
def test_line_starts_as_before(text: str) -> None:
    assert line_starts(text) == [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]


# --- sentences and paragraphs -----------------------------------------------------------

_OLD_END = re.compile(
    r"(?:[。!?;]+|…{1,2}|\.{3,6})[”’」』)\]]*"
    r"(?:[ \t]?(?:\[\^?\d{1,3}(?:[-–,]\d{1,3})*\]|【\d{1,3}(?:[-–,、]\d{1,3})*】|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))*"
    r"|(?<![0-9A-Za-z])\.(?=\s|$)|\r\n|\r|\n"
)
_OLD_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_OLD_LIST_OR_HEADING = re.compile(r"[ \t]*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>)")


def _trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start] in " \t\r\n":
        start += 1
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    if end > start:
        out.append((start, end))


def _old_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _OLD_END.finditer(text):
        _trimmed(text, start, m.start() if m.group() in ("\n", "\r", "\r\n") else m.end(), spans)
        start = m.end()
    _trimmed(text, start, len(text), spans)
    return spans


def _old_paragraphs(text: str, markdown: bool) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos, cur_start, cur_end = 0, -1, -1
    for line in _OLD_LINE.findall(text):
        content = line.rstrip("\r\n")
        blank = not content.strip()
        if not markdown:
            if not blank:
                _trimmed(text, pos, pos + len(content), spans)
        elif blank:
            if cur_start >= 0:
                _trimmed(text, cur_start, cur_end, spans)
                cur_start = -1
        else:
            if cur_start >= 0 and _OLD_LIST_OR_HEADING.match(content):
                _trimmed(text, cur_start, cur_end, spans)
                cur_start = -1
            if cur_start < 0:
                cur_start = pos
            cur_end = pos + len(content)
            if content.lstrip().startswith("#"):
                _trimmed(text, cur_start, cur_end, spans)
                cur_start = -1
        pos += len(line)
    if cur_start >= 0:
        _trimmed(text, cur_start, cur_end, spans)
    return spans


TEXT_PIECES = ["。", "!", "?", ";", "…", "……", ".", "...", "....", "3.5", "a.", ". ", "”", "」", ")", "]",
               "[1]", "[^2]", "[1-3]", " [4]", "【5】", "【1、2】", "¹²", "\n", "\r", "\r\n", " ", "  ", "\t",
               "\u3000", "\x0b", "\x0c", "\u2028", "\x85", "#", "# ", "## ", "#x", "####### ", "- ", "* ",
               "+ ", "1. ", "2) ", "٣. ", "> ", ">", "x", "中文", "a b"]


@FAST
@given(_text(TEXT_PIECES))
def test_sentences_as_before(text: str) -> None:
    assert segment.sentences(text) == _old_sentences(text)


@FAST
@given(_text(TEXT_PIECES), st.booleans())
def test_paragraphs_as_before(text: str, markdown: bool) -> None:
    assert segment.paragraphs(text, markdown) == _old_paragraphs(text, markdown)


@pytest.mark.parametrize("text", ["a" + " " * 100_000 + "\n", "\n" * 100_000 + "  ", "。[1" * 30_000,
                                  "#\n" * 50_000, ("x" + " " * 1000 + "\r\n") * 100], ids=_short)
def test_segmenting_stays_linear(text: str) -> None:
    """Long runs of blanks, breaks or near-terminators take no time (no backtracking blow-up)."""
    assert segment.sentences(text) == _old_sentences(text)
    assert segment.paragraphs(text, True) == _old_paragraphs(text, True)


# --- front matter -----------------------------------------------------------------------


def _outcome(raw: str, loader: Any) -> Any:
    try:
        return yaml.load(raw, Loader=loader)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        return type(exc)


KEYS = ["title", "date", "y", "null", "2025", "作者", "k-1", "_x"]
VALUES = ["关于抑郁症", "2025-01-16", "2024-13-45", "1_000", "0x1F", "017", "~", "yes", "Off", ".inf", "1.2.3",
          "a b", "a  b", "a'b", "a\\b", "a&b", "a|b", "a - b", "=", "《标题》", "x\u3000y", "😀", "2025-01-16 10"]
SIMPLE_LINE = st.one_of(st.sampled_from(["", " "]),
                        st.builds("{}:{}{}".format, st.sampled_from(KEYS), st.sampled_from(["", " ", "  "]),
                                  st.sampled_from(VALUES)))


@FAST
@given(st.lists(SIMPLE_LINE, min_size=1, max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_simple_front_matter_reads_the_same_with_libyaml(lines: list[str], eol: str) -> None:
    raw = eol.join(lines)
    if _SIMPLE_YAML.fullmatch(raw):
        assert _outcome(raw, yaml.CSafeLoader) == _outcome(raw, yaml.SafeLoader)


@pytest.mark.parametrize("raw", [
    "a: b\t", "a:\tb", "a: 1\n\ufeffb: 2", "a: [\\?]", "a: |#", "%YAML 1.3\n---\na: 1",  # libyaml differs
    "a: " + "[" * 1_000, "- " * 1_000 + "x", "a: b\x85c: d", "a: 'quoted'", "a:\n  b: c",
], ids=_short)
def test_other_front_matter_goes_to_pyyaml(raw: str) -> None:
    assert not _SIMPLE_YAML.fullmatch(raw)
    assert _outcome_of_load(raw) == _outcome(raw, yaml.SafeLoader)


def _outcome_of_load(raw: str) -> Any:
    try:
        return _load_yaml(raw)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        return type(exc)


def test_usual_front_matter_takes_the_fast_path() -> None:
    text = "---\ntitle: 关于抑郁症你需要知道的事\ndate: 2025-08-15\nauthor: 刘教授\n---\n正文。\n"
    doc = Document.from_text(text, "a.md")
    assert _SIMPLE_YAML.fullmatch(doc.masked.front_matter or "")
    assert doc.front_matter["author"] == "刘教授"
