"""structure.py's clause-scope helpers: the memoised walks equal the plain ones they replace."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kepulint.reading import structure
from kepulint.text.document import Document

CUES = re.compile(r"小鼠|大鼠|动物实验|体外")
BREAKS = "，,；;：:"
PIECES = ["在小鼠模型中", "动物实验显示", "体外研究发现", "根治", "患者", "糖尿病", "大鼠的体重下降",
          "，", "；", "。", " "]


def plain_framing_clause_cue(doc: Document, clause_start: int) -> str | None:
    """The walk back over the sentence's earlier clauses, once per query (the reference)."""
    sent_start, _ = doc.sentence_at(clause_start)
    norm, hi = doc.norm, clause_start
    while hi > sent_start:
        lo = hi - 1
        while lo > sent_start and norm[lo - 1] not in BREAKS:
            lo -= 1
        clause = norm[lo:hi].rstrip(BREAKS + " ")
        m = CUES.search(clause)
        if m and structure._FRAME_END.search(clause):
            return m.group()
        hi = lo - 1 if lo > sent_start else sent_start
    return None


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=40), order=st.randoms(use_true_random=False))
def test_framing_clause_cue_equals_the_plain_walk(pieces: list[str], order: object) -> None:
    text = "".join(pieces)
    doc = Document.from_text(text, "a.txt", markdown=False)
    starts = [0] + [i + 1 for i, ch in enumerate(doc.norm) if ch in BREAKS or ch == "。"]
    order.shuffle(starts)  # type: ignore[attr-defined]  # the memo must not depend on the order of queries
    for start in starts:
        assert structure.framing_clause_cue(doc, start, CUES, BREAKS) == plain_framing_clause_cue(doc, start)


@settings(max_examples=100, deadline=None)
@given(pieces=st.lists(st.sampled_from([*PIECES, "但", "\n", "中"]), max_size=30))
def test_framing_clause_cue_at_any_position_equals_the_plain_walk(pieces: list[str]) -> None:
    """A clause may start anywhere (after a contrast word: 但可能根治但可能根治…), not only after a break."""
    doc = Document.from_text("".join(pieces), "a.txt", markdown=False)
    for start in range(len(doc.norm) + 1):
        assert structure.framing_clause_cue(doc, start, CUES, BREAKS) == plain_framing_clause_cue(doc, start)


def test_a_framing_clause_governs_the_clauses_after_it() -> None:
    text = "在小鼠模型中，该疗法根治了糖尿病，且优于药物。人类患者中，根治了。"
    doc = Document.from_text(text, "a.txt", markdown=False)
    first, second = text.index("该疗法"), text.index("且优于")
    assert structure.framing_clause_cue(doc, first, CUES, BREAKS) == "小鼠"
    assert structure.framing_clause_cue(doc, second, CUES, BREAKS) == "小鼠"
    assert structure.framing_clause_cue(doc, text.index("根治了。"), CUES, BREAKS) is None  # next sentence


def test_names_humans_reads_only_its_clause() -> None:
    text = "这项实验治愈了小鼠，也为人类糖尿病的彻底根治铺平了道路。"
    doc = Document.from_text(text, "a.txt", markdown=False)
    comma = text.index("，")  # the folded text keeps every offset
    assert not structure.names_humans(doc, 0, comma)
    assert structure.names_humans(doc, comma + 1, len(doc.norm))
