"""The opt-in jieba word-boundary check, and that nothing else ever loads jieba."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kepulint.check.engine import CompiledRules, run_rules
from kepulint.reading.context import Context
from kepulint.rules.ruleset import Rule
from kepulint.text.document import Document

ROOT = Path(__file__).resolve().parents[2]


def _rule(**params: object) -> Rule:
    return Rule.from_data({
        "code": "XYZ001", "name": "test-rule", "kind": "phrase", "severity": "error", "summary": "s",
        "message": "m {match}", "help": "h", "basis": {"all": [{"title": "t"}]}, "jurisdictions": ["cn"],
        "params": {"terms": ["治愈", "神药", "唯一"], **params}, "examples": {"fire": [], "pass": []},
    })


def _matches(rule: Rule, text: str) -> list[str]:
    doc = Document.from_text(text, "a.md")
    return [text[f.start:f.end] for f in run_rules(doc, [rule], CompiledRules([rule]), Context())]


def test_without_word_boundary_substrings_match() -> None:
    assert _matches(_rule(), "精神药物。") == ["神药"]


def test_jieba_boundary_drops_hits_inside_words() -> None:
    rule = _rule(word_boundary="jieba")
    assert _matches(rule, "该疗法的治愈率为30%。") == []
    assert _matches(rule, "精神药物。") == []
    assert _matches(rule, "唯一性。") == []
    assert _matches(rule, "干细胞可以治愈糖尿病。") == ["治愈"]
    assert _matches(rule, "他是唯一的幸存者。") == ["唯一"]


def test_jieba_boundary_works_on_traditional() -> None:
    assert _matches(_rule(word_boundary="jieba"), "幹細胞可以治癒糖尿病。") == ["治癒"]


def test_builtin_run_never_imports_jieba() -> None:
    code = ("import sys, kepulint; kepulint.lint_text(open(sys.argv[1], encoding='utf-8').read(), 'a.txt'); "
            "print('jieba' in sys.modules)")
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        out = subprocess.run([sys.executable, "-c", code, str(seed)], capture_output=True, text=True,
                             env={"PYTHONPATH": str(ROOT / "lint"), "PATH": "/usr/bin:/bin"}, check=True)
        assert out.stdout.strip() == "False"
