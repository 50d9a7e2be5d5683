"""Linear cost on every input (issue #13): each reproduction as a correctness test.

Before the fix, ``根治`` × 20,000 on one line took 230 s and 1.6 GB, ``研究表明`` × 25,000 40 s,
thousands of ``kepulint-disable`` directives minutes, and text over 2 M characters with no
line break ended in RecursionError. Each case below runs at a size the old code could not
finish within the hang guard, and checks what is reported. No test asserts on elapsed time:
the guard (``faulthandler``, a few minutes) only turns a hang into a failure. Seconds per MB
are measured in ``bench/adversarial.py``.

The fast paths must answer exactly what the plain scans answered; property tests pit them
against the plain scans: :class:`~kepulint.text.matchindex.MatchIndex` against ``re``,
:class:`~kepulint.text.segment.Boundaries` against walking the characters, the indexed suppression
sweep against the list-based one it replaced, and whole drafts linted with every range query
answered by an index against the default.
"""

from __future__ import annotations

import faulthandler
import random
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kepulint.api import Settings, lint_source
from kepulint.check import chunks, suppress
from kepulint.kinds.base import FINGERPRINT_CONTEXT
from kepulint.model import FileResult
from kepulint.reading.evidence import evidence
from kepulint.text import matchindex
from kepulint.text.document import Document
from kepulint.text.matchindex import MatchIndex
from kepulint.text.segment import Boundaries
from kepulint.text.source import LineIndex

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings(today="2025-11-25")
GUARD_SECONDS = 120  # each case takes a few seconds now, and took minutes before
HEAD = "# 干细胞科普\n\n作者：王医生，2025年1月1日。本文仅供参考，不构成医疗建议，请咨询医生。\n\n"


@pytest.fixture(autouse=True)
def hang_guard() -> Iterator[None]:
    """Dump the stack and stop if a case hangs (the old code took minutes): not a timing test."""
    faulthandler.dump_traceback_later(GUARD_SECONDS, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def spans_exact(text: str, result: FileResult) -> None:
    """Every diagnostic's position points at its matched text in the original."""
    lines = LineIndex(text)
    for d in [*result.diagnostics, *result.suppressed]:
        if d.match:
            start = lines.starts[d.line - 1] + d.column - 1
            assert text[start : start + len(d.match)] == d.match, d


def codes(result: FileResult) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in result.diagnostics:
        out[d.code] = out.get(d.code, 0) + 1
    return out


# -- the reproductions of issue #13 ---------------------------------------------------------


def test_cure_claim_20000_times_on_one_line() -> None:
    text = HEAD + "根治" * 20_000 + "\n"
    result = lint_source(text, "a.md", SETTINGS)
    cure = [d for d in result.diagnostics if d.code == "CLM002"]
    assert len(cure) == 20_000
    assert [d.column for d in cure[:3]] == [1, 3, 5] and {d.line for d in cure} == {5}
    assert len({d.fingerprint for d in cure}) == 1  # one claim, one sentence
    spans_exact(text, result)


def test_vague_authority_100000_times_on_one_line() -> None:
    text = HEAD + "研究表明" * 100_000 + "\n"
    result = lint_source(text, "a.md", SETTINGS)
    vague = [d for d in result.diagnostics if d.code == "CIT002"]
    assert [(d.line, d.column) for d in vague] == [(5, 1)]  # once per sentence


def test_negated_and_debunked_claims_on_one_line_report_nothing() -> None:
    for unit in ("无法根治，", "所谓根治", "不可能根治，"):  # one sentence, every context check on each
        result = lint_source(HEAD + unit * 20_000 + "\n", "a.md", SETTINGS)
        assert "CLM002" not in codes(result), unit


def test_contrast_and_hedge_before_every_claim() -> None:
    text = HEAD + "但可能根治" * 20_000 + "\n"
    result = lint_source(text, "a.md", SETTINGS)
    cure = [d for d in result.diagnostics if d.code == "CLM002"]
    assert len(cure) == 20_000 and all(d.severity.label == "warning" for d in cure)  # hedged: lowered


def test_trial_ids_on_one_line() -> None:
    text = HEAD + "该试验招募中NCT0123456" * 20_000 + "\n"
    result = lint_source(text, "a.md", SETTINGS)
    assert codes(result).get("TRL003") == 20_000
    spans_exact(text, result)


def test_preclinical_paragraphs() -> None:
    text = "小鼠实验显示有效。\n\n这种疗法可以治疗抑郁症。\n\n" * 30_000
    result = lint_source(text, "a.md", SETTINGS)
    assert codes(result).get("EVD001") == 30_000


def test_thousands_of_disable_directives_for_another_code() -> None:
    n = 16_000
    text = "# t\n\n" + "<!-- kepulint-disable CLM001 -- 原文 -->\n" * n + "根治。\n" * n
    result = lint_source(text, "a.md", SETTINGS)
    assert codes(result).get("CLM002") == n and codes(result).get("KPL002") == n


def test_thousands_of_disable_enable_pairs() -> None:
    n = 8_000
    text = "# t\n\n" + "<!-- kepulint-disable CLM002 -- 原文 -->\n<!-- kepulint-enable CLM001 -->\n根治。\n" * n
    result = lint_source(text, "a.md", SETTINGS)
    assert "CLM002" not in codes(result)
    assert sum(1 for d in result.suppressed if d.code == "CLM002") == n


def test_thousands_of_next_line_directives() -> None:
    n = 30_000
    text = "# t\n\n" + "<!-- kepulint-disable-next-line CLM001 -- 原文 -->\n" * n + "最好的\n"
    result = lint_source(text, "a.md", SETTINGS)
    assert "CLM001" not in codes(result)
    assert [d.code for d in result.suppressed] == ["CLM001"]
    assert codes(result).get("KPL002") == n - 1  # all but the first directive on that line


def test_no_punctuation_at_all() -> None:
    seeds = "".join(p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    text = "".join(ch for ch in seeds if ch not in "，。；？！：、,.;?!:\n\r…") * 4
    result = lint_source(text, "a.txt", SETTINGS)
    assert result.diagnostics
    spans_exact(text, result)


def test_long_sentence_fingerprints_use_its_ends() -> None:
    filler = "干细胞研究" * (FINGERPRINT_CONTEXT // 5 + 100)
    one = lint_source(f"{filler}可以根治{filler}", "a.txt", SETTINGS, select=["CLM002"])
    two = lint_source(f"{filler}可以根治{filler}，根治", "a.txt", SETTINGS, select=["CLM002"])
    moved = lint_source(f"{filler}干细胞可以根治{filler[5:]}", "a.txt", SETTINGS, select=["CLM002"])
    assert one.diagnostics[0].fingerprint == moved.diagnostics[0].fingerprint  # the ends are unchanged
    assert one.diagnostics[0].fingerprint != two.diagnostics[0].fingerprint  # the end changed


# -- the chunker: a cut always found --------------------------------------------------------


def test_one_long_line_is_cut_at_a_character(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunks, "CHUNK_CHARS", 2_000)
    text = "干细胞可以根治糖尿病" * 1_500  # 15,000 characters, no line break, no sentence end
    result = lint_source(text, "a.txt", SETTINGS)
    assert "chunks" in result.notice and "hard cut" in result.notice
    assert codes(result).get("CLM002", 0) >= 1_490  # a claim across a cut may be lost, no more
    spans_exact(text, result)


def test_one_huge_code_block_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunks, "CHUNK_CHARS", 2_000)
    text = "干细胞可以根治糖尿病。\n\n```\n" + "x = 1\n" * 3_000 + "```\n\n干细胞可以根治糖尿病。\n"
    result = lint_source(text, "a.md", SETTINGS)
    assert "hard cut" in result.notice
    spans_exact(text, result)


def test_a_cut_never_splits_crlf() -> None:
    text = "a\r\n" * 10
    for lo in range(len(text)):
        cut = chunks.hard_cut(text, lo, lo)
        assert text[cut - 1 : cut + 1] != "\r\n"


@given(st.text(alphabet="根治。\n\r ab", max_size=400), st.integers(min_value=20, max_value=80))
@settings(max_examples=150, deadline=None)
def test_every_chunk_is_small_enough(text: str, size: int) -> None:
    old = chunks.CHUNK_CHARS
    chunks.CHUNK_CHARS = size
    try:
        cuts = chunks.boundaries(text)
    finally:
        chunks.CHUNK_CHARS = old
    assert cuts[0] == 0 and cuts[-1] == len(text) and cuts == sorted(cuts)
    assert all(b - a <= 2 * size for a, b in pairwise(cuts))
    assert all(text[c - 1 : c + 1] != "\r\n" for c in cuts[1:-1])


# -- the fast paths answer what the plain scans answered ---------------------------------------

PATTERNS = [
    re.compile("但是|但|然而|却"),
    re.compile("不可能|可能性小"),
    re.compile("可能|有望|可能性"),
    re.compile("(?:没有|无|没)(?:任何|足够的?)*(?:证据|研究)(?:能够?)?(?:表明|证明)"),
    re.compile("a+b|ab|ba"),
]
ALPHABET = "但是然而却不可能性小有望没无任何足够的证据研究能表明证明ab。，"


@given(st.text(alphabet=ALPHABET, max_size=120), st.data())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_match_index_answers_as_re(text: str, data: st.DataObject) -> None:
    pattern = data.draw(st.sampled_from(PATTERNS))
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    index = MatchIndex(pattern, text)
    old_short = matchindex.SHORT
    matchindex.SHORT = -1  # always the index
    try:
        m = pattern.search(text, lo, hi)
        assert index.first(lo, hi) == (m and (m.start(), m.end(), m.group()))
        last = None
        for last in pattern.finditer(text, lo, hi):  # noqa: B007
            pass
        assert index.last(lo, hi) == (last and (last.start(), last.end(), last.group()))
    finally:
        matchindex.SHORT = old_short


@given(st.text(alphabet="根治，。；\n 但a", max_size=200), st.data())
@settings(max_examples=300, deadline=None)
def test_boundaries_answer_as_walking(text: str, data: st.DataObject) -> None:
    doc = Document.from_text(text, "a.txt")
    breaks = ",，;；:：。.!！?？\n"
    b = Boundaries.of(doc.norm, doc.sentences, breaks)
    pos = data.draw(st.integers(0, len(doc.norm)))
    norm = doc.norm
    sent_start, _ = doc.sentence_at(pos)
    i = pos - 1
    while i >= sent_start and norm[i] not in breaks:
        i -= 1
    assert b.clause_start(pos) == i + 1
    _, sent_end = doc.sentence_at(max(pos - 1, 0))
    j = pos
    while j < sent_end and norm[j] not in breaks:
        j += 1
    assert b.clause_end(pos) == j


SPLICES = ["但是", "，", "。", "\n", "无法", "没有证据表明", "所谓", "“", "”", "可能", "不可能", "小鼠", "必将",
           "根治", "治愈", "最好", "研究表明", "35%的患者", "招募中", "NCT01234567", "NCT0123456", "截至2024年6月",
           "[1]", "患者", "扫码预约", "能根治吗", "是否", "吗？", " ", "据WHO", "临床试验编号：", "\n\n"]  # fmt: skip


@given(st.lists(st.sampled_from(SPLICES), max_size=200), st.sampled_from(["a.md", "a.txt"]))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_drafts_lint_the_same_with_every_range_query_indexed(parts: list[str], path: str) -> None:
    text = "".join(parts)
    plain = lint_source(text, path, SETTINGS)
    old_short = matchindex.SHORT
    matchindex.SHORT = -1
    try:
        indexed = lint_source(text, path, SETTINGS)
    finally:
        matchindex.SHORT = old_short
    assert [asdict(d) for d in indexed.diagnostics] == [asdict(d) for d in plain.diagnostics]


@given(st.lists(st.sampled_from(SPLICES), max_size=150))
@settings(max_examples=100, deadline=None)
def test_sentence_is_line_answers_as_strip(parts: list[str]) -> None:
    doc = Document.from_text("".join(parts), "a.txt")
    ev = evidence(doc)
    norm = doc.norm
    for i, (s, e) in enumerate(ev.units):
        lo = norm.rfind("\n", 0, s) + 1
        hi = norm.find("\n", e)
        hi = len(norm) if hi < 0 else hi
        assert ev._sentence_is_line(i) == (norm[lo:hi].strip() == norm[s:e])


@given(st.text(alphabet=" \t-*#：:临床试验编号IDN0123。", max_size=120))
@settings(max_examples=300, deadline=None)
def test_record_label_check_answers_as_the_regex(line: str) -> None:
    doc = Document.from_text(line + "NCT01234567\n", "a.txt")
    ev = evidence(doc)
    start = len(doc.norm) - len("NCT01234567\n")
    assert ev.v.record_label is not None
    expected = bool(ev.v.record_label.search(doc.norm[0:start]))
    assert ev._labelled(0, start) == expected


# -- suppression: the indexed sweep against the list-based one it replaced ---------------------


@dataclass
class _Directive:
    kind: str
    selectors: tuple[str, ...] | None
    pos: tuple[int, int] = (0, 0)
    used: set[str] = field(default_factory=set)

    selector_for = suppress.Directive.selector_for


def _reference(events: list[_Directive | str]) -> list[tuple[int, str] | None]:
    """The sweep before issue #13: a list of (disable, selectors re-enabled since)."""
    open_: list[tuple[_Directive, list[str]]] = []
    ids = {id(e): k for k, e in enumerate(events)}
    out: list[tuple[int, str] | None] = []
    for e in events:
        if isinstance(e, str):
            found = None
            for d, reenabled in reversed(open_):
                sel = d.selector_for(e, line_level=False)
                if sel is not None and not e.startswith(tuple(reenabled)):
                    found = (ids[id(d)], sel)
                    break
            out.append(found)
        elif e.kind == suppress.DISABLE:
            if e.selectors != ():
                open_.append((e, []))
        elif e.selectors is None:
            open_.clear()
        else:
            for _, reenabled in open_:
                reenabled.extend(e.selectors)
            open_[:] = [(d, r) for d, r in open_
                        if d.selectors is None or not all(s.startswith(tuple(r)) for s in d.selectors)]
    return out


SELECTORS = st.one_of(st.none(), st.lists(st.sampled_from(["CLM", "CLM0", "CLM001", "CLM002", "CIT", "KPL002"]),
                                          max_size=3, unique=True).map(tuple))
EVENTS = st.one_of(
    st.builds(_Directive, st.sampled_from([suppress.DISABLE, suppress.ENABLE]), SELECTORS),
    st.sampled_from(["CLM001", "CLM002", "CIT001", "KPL002"]),
)


@given(st.lists(EVENTS, max_size=40))
@settings(max_examples=400, deadline=None)
def test_open_disables_answer_as_the_list_sweep(events: list[_Directive | str]) -> None:
    sweep = suppress._OpenDisables()
    ids = {id(e): k for k, e in enumerate(events)}
    got: list[tuple[int, str] | None] = []
    for e in events:
        if isinstance(e, str):
            hit = sweep.innermost(e)
            got.append(None if hit is None else (ids[id(hit[0])], hit[1]))
        else:
            sweep.apply(e)  # type: ignore[arg-type]
    assert got == _reference(events)


# -- any bytes lint without an internal error ---------------------------------------------------


@given(st.binary(max_size=3_000), st.sampled_from(["a.md", "a.txt"]))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_bytes_lint_without_an_internal_error(data: bytes, path: str) -> None:
    for text in (data.decode("utf-8", "replace"), data.decode("latin-1")):
        result = lint_source(text, path, SETTINGS)
        assert result.error is None
        spans_exact(text, result)


def test_random_trigger_soup_lints() -> None:
    rng = random.Random(13)
    text = "".join(rng.choice(SPLICES) for _ in range(30_000))
    result = lint_source(text, "a.md", SETTINGS)
    assert result.diagnostics
    spans_exact(text, result)
