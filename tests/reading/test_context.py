"""reading/context.py: the per-sentence "no cue here" shortcut answers what the full queries answer."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kepulint.reading.context import Context
from kepulint.text.document import Document

PIECES = ["根治", "治愈", "不能", "无法", "但", "然而", "研究表明", "没有证据", "所谓", "谣言", "吗", "能否", "是否",
          "可能", "有望", "小鼠", "患者", "“", "”", "，", "。", "？", "\n", " ", "糖尿病", "的", "是假的"]


class _Plain(Context):
    """The reference: every query asked in full."""

    def _none_in(self, doc: Document, name: str, lo: int, hi: int) -> bool:
        return False


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=50).map("".join))
def test_context_checks_equal_the_full_queries(text: str) -> None:
    doc, plain_doc = Document.from_text(text, "a.txt"), Document.from_text(text, "a.txt")
    fast, plain = Context(), _Plain()
    for start in range(len(doc.norm)):
        end = min(start + 2, len(doc.norm))
        assert fast.clause_start(doc, start) == plain.clause_start(plain_doc, start)
        assert fast.negation(doc, start, end) == plain.negation(plain_doc, start, end)
        assert fast.question(doc, start, end) == plain.question(plain_doc, start, end)
        assert fast.debunk(doc, start, end) == plain.debunk(plain_doc, start, end)
