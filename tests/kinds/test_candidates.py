"""kinds/candidates.py: one scan's candidates, handed to each kind as a typed value."""

from __future__ import annotations

from kepulint.api import ruleset_for
from kepulint.kinds.candidates import Candidates, CompiledRules
from kepulint.kinds.hits import RuleHits
from kepulint.rules.prefilter import LiteralIndex
from kepulint.text.document import Document

RULESET = ruleset_for(())


def _doc(text: str) -> Document:
    return Document.from_text(text, "a.md", today="2025-11-25")


def test_a_rule_gets_its_hits_by_role_and_the_literal_index() -> None:
    rule = RULESET.by_code["CLM002"]
    doc = _doc("干细胞可以根治糖尿病，治愈率很高。")
    hits = Candidates.build(doc, [rule]).for_rule("CLM002")
    assert isinstance(hits, RuleHits) and isinstance(hits.literals, LiteralIndex)
    assert "根治" in {h[2] for h in hits["trigger"]}
    assert "nothing" not in hits and hits.get("nothing") is None  # a missing role is absent, not made


def test_a_rule_with_no_hits_gets_an_empty_mapping() -> None:
    compiled = CompiledRules([RULESET.by_code["CLM002"]])
    hits = compiled.candidates(_doc("今天天气很好。"), {"CLM002"}).for_rule("CLM002")
    assert dict(hits) == {}


def test_rules_share_one_scan_and_its_pattern_matches() -> None:
    doc = _doc("总有效率达95%。")
    candidates = RULESET.compiled.candidates(doc, {"CLM004", "CIT001"})
    first, second = candidates.for_rule("CLM004"), candidates.for_rule("CIT001")
    assert first.literals is second.literals and first.pattern_hits is second.pattern_hits


def test_the_rule_set_lists_its_regexes_once_each() -> None:
    patterns = RULESET.compiled.patterns()
    assert len({p.source for p in patterns}) == len(patterns) > 150
