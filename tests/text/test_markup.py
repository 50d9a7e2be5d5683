"""text/markup.py: each fast path (URL pattern, Markdown patterns skipped without their
trigger, code spans, fences and comments in linear time) gives what the plain code it replaced
gave, kept here as the reference."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textkit import FAST, short, texts_of

from kepulint.text import markup

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
@given(texts_of(URL_PIECES))
def test_url_pattern_matches_as_before(text: str) -> None:
    assert [m.span() for m in markup._URL.finditer(text)] == [m.span() for m in _OLD_URL.finditer(text)]


# --- Markdown patterns skipped without their trigger -------------------------------------

MARKDOWN_PIECES = ["`", "``", "```", "~~~", "<", "<b>", "</i>", "<a href=x>", "](", "]", "(", ")", "[a]: u",
                   "[", ":", "\n", "\n\n", "    ", "\t", " ", "x", "中"]


@FAST
@given(texts_of(MARKDOWN_PIECES))
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
    text = markup.lf_view(draw(texts_of(CODE_PIECES)))
    cuts = draw(st.lists(st.integers(0, len(text)), max_size=6))
    pairs = zip(cuts[::2], cuts[1::2], strict=False)  # an odd last cut is dropped
    return text, markup._merge([(min(a, b), max(a, b) + 1) for a, b in pairs])


@settings(FAST, max_examples=500)
@given(_text_and_blocks())
def test_code_spans_as_the_pattern_found_them(case: tuple[str, list[tuple[int, int]]]) -> None:
    text, blocks = case
    assert markup._inline_code(text, blocks) == markup._outside(_OLD_INLINE_CODE, text, blocks)


@FAST
@given(texts_of(CODE_PIECES))
def test_fence_pattern_matches_as_before(text: str) -> None:
    view = markup.lf_view(text)
    for pos in range(0, len(view) + 1, 3):
        old, new = _OLD_FENCE.search(view, pos), markup._FENCE.search(view, pos)
        assert (old and (old.span(), old.groups())) == (new and (new.span(), new.groups()))


@settings(FAST, max_examples=500)
@given(texts_of(CODE_PIECES), st.booleans())
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


@pytest.mark.parametrize(("text", "markdown", "prose"), LONG_CASES, ids=[short(case[0]) for case in LONG_CASES])
def test_masking_stays_linear(text: str, markdown: bool, prose: str | None) -> None:
    """Long runs of backticks, tildes, fences or comment markers take no time (they took minutes)."""
    with _alarm(20):
        masked = markup.mask(text, markdown)
    assert masked.text == (text if prose is None else prose)
