"""check/engine.py: findings to diagnostics through typed seams, without per-finding repetition.

The engine hands each kind its candidates (no shared memo keys), asks each kind what it must know
(``skips_references``), and keeps advice and fixes once per distinct claim: none of this may
change a diagnostic.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from kepulint.api import ruleset_for
from kepulint.check import advice
from kepulint.check.engine import run_rules, to_diagnostics
from kepulint.kinds.candidates import Candidates
from kepulint.reading.context import Context
from kepulint.text.document import Document

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted(ROOT.glob("seeds/*.txt"))
RULESET = ruleset_for(())


def _doc(text: str, path: str = "a.md") -> Document:
    return Document.from_text(text, path, today="2025-11-25", profile="cn")


def test_a_missing_disclaimer_is_a_document_level_finding() -> None:
    doc = _doc("# 干细胞\n\n干细胞可以根治糖尿病。\n")
    diagnostics = to_diagnostics(doc, run_rules(doc, RULESET.rules, RULESET.compiled), RULESET.by_code)
    by_code = {d.code: d for d in diagnostics}
    assert by_code["DSC001"].document_level and (by_code["DSC001"].line, by_code["DSC001"].column) == (1, 1)
    assert not by_code["CLM002"].document_level


def test_kinds_say_what_the_engine_must_know() -> None:
    kinds = RULESET.compiled.kinds
    assert kinds["CLM002"].skips_references  # a phrase rule: a claim in the references is a cited title
    assert not kinds["ADV001"].skips_references  # scan_references: true
    assert not kinds["DSC001"].skips_references  # a document rule
    assert kinds["DSC002"].chunk_edges_only and not kinds["DSC001"].chunk_edges_only  # placement


def test_findings_in_the_references_list_are_dropped_unless_the_rule_scans_them() -> None:
    text = "# 题目\n\n本文仅供参考。\n\n## 参考文献\n\n1. 干细胞根治糖尿病的研究. 某期刊, 2020.\n"
    doc = _doc(text)
    rule = RULESET.by_code["CLM002"]
    assert not run_rules(doc, [rule], RULESET.compiled)
    scanning = replace(rule, params={**rule.params, "scan_references": True})
    compiled = type(RULESET.compiled)([scanning])
    assert [f.code for f in run_rules(_doc(text), [scanning], compiled)] == ["CLM002"]


@pytest.mark.parametrize("path", SEEDS[:3], ids=lambda p: p.name)
def test_a_kind_alone_finds_what_it_finds_in_the_engine(path: Path) -> None:
    text = path.read_text("utf-8")
    in_engine = run_rules(_doc(text, path.name), RULESET.rules, RULESET.compiled)
    for rule in RULESET.rules:
        doc = _doc(text, path.name)
        alone = list(RULESET.compiled.kinds[rule.code].check(doc, Candidates.build(doc, [rule]).for_rule(rule.code),
                                                             Context()))
        expected = [f for f in in_engine if f.code == rule.code]
        assert [f for f in alone if f in expected] == expected, rule.code  # the engine drops references only


@pytest.mark.parametrize("text", ["根治" * 400, "可以根治，" * 200 + "糖尿病患者可以根治。", "最好的全球首款" * 100])
def test_shared_advice_and_fixes_equal_one_finding_at_a_time(text: str) -> None:
    doc = _doc("# 干细胞治疗糖尿病\n\n" + text + "\n")
    findings = run_rules(doc, RULESET.rules, RULESET.compiled)
    together = to_diagnostics(doc, findings, RULESET.by_code)
    alone = sorted((d for f in findings for d in to_diagnostics(doc, [f], RULESET.by_code)), key=lambda d: d.sort_key)
    assert len(together) > 50
    assert together == alone


_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def _plain_context_of(lines, start: int, end: int) -> advice.Context:  # type: ignore[no-untyped-def]
    """The names near a match by searching each span (the reference for advice.context_of)."""
    from kepulint.text.normalize import fold_chars

    folded = fold_chars(lines.text)
    title = next((folded[a:b] for a, b in (lines.line_span(i) for i in range(1, min(lines.line_count, 20) + 1))
                  if folded[a:b].strip() and not folded[a:b].startswith("---")), "")[:200]
    number, _ = lines.position(start)
    line_start, line_end = lines.line_span(number)
    near_start, near_end = max(line_start, start - advice.REACH), min(line_end, end + advice.REACH)
    cut = [m.end() for m in _SENTENCE_END.finditer(folded, near_start, max(near_start, start))]
    nxt = _SENTENCE_END.search(folded, max(near_start, end), near_end)
    first = last = number
    while first > 1 and number - first < 3 and lines.line_text(first - 1).strip():
        first -= 1
    while last < lines.line_count and last - number < 3 and lines.line_text(last + 1).strip():
        last += 1
    spans = [(cut[-1] if cut else near_start, nxt.end() if nxt else near_end), (near_start, near_end),
             (max(lines.line_span(first)[0], start - 2 * advice.REACH),
              min(lines.line_span(last)[1], end + 2 * advice.REACH))]
    texts = [folded[a:b] for a, b in spans] + [title]
    names = advice._names()
    return advice.Context(*(advice._first_named(texts, names[k]) for k in ("diseases", "therapies", "animals")))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_names_near_a_match_equal_a_search_of_each_span(path: Path) -> None:
    doc = _doc(path.read_text("utf-8"), path.name)
    for start in range(0, len(doc.text), 37):
        end = min(start + 2, len(doc.text))
        assert advice.context_of(doc.lines, start, end) == _plain_context_of(doc.lines, start, end), start
