"""Rule-pack regexes that backtrack catastrophically are refused at load (issue #13).

``(a+)+$`` used to be accepted and hung on ``'a' * 30 + '!'``. The check (lint/kepulint/
regex_safety.py) refuses a repeated part that can match in more than one way, names the file
and the key, and lets every built-in rule through.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kepulint.cli import main
from kepulint.rules.regex_safety import UnsafeRegex, check
from kepulint.rules.ruleset import RuleError, load_rules
from kepulint.rules.validation import regex_problem

ROOT = Path(__file__).resolve().parents[2]
VALID_PACK = ROOT / "tests" / "data" / "rule_packs" / "valid" / "QXW001.yaml"

CATASTROPHIC = [
    r"(a+)+$", r"(a|a)*", r"(.*)*", r"(a*)*b", r"(\w+\s?)+$", r"((a+)b?)*", r"(\d|\d\d)+$",
    r"(?:a+){2,}", r"(x+x+)+y", r"([a-z]+)*=", r"(a+){1,3}$", r"(?:(?:a|b)+c?)+",
    r"(?:仅|仅需|需要?)+\d", r"(?=(a+)+$)", r"神(?:[\u4e00-\u9fff]+，?)+$",
]  # fmt: skip
HARMLESS = [
    r"(\d+[,.])+", r"(?:治愈|根治)+", r"a+b+", r"(?:ab)+", r"\d{1,3}(?:,\d{3})*", r"(?:[、,，和及与]\s*\d+)+",
    r"(?<=x)(?:y|z)+", r"(?:[- ]?\d{2,4}){1,3}", r"(a|ab)*c", r"(?:只要|只需)+", r"根治|治愈", r"\d+%",
    r"(?:(?!某|正规)[\u4e00-\u9fff]){2,24}?大学",
]  # fmt: skip


@pytest.mark.parametrize("source", CATASTROPHIC)
def test_catastrophic_regexes_are_refused(source: str) -> None:
    with pytest.raises(UnsafeRegex, match="backtrack catastrophically"):
        check(source)


@pytest.mark.parametrize("source", HARMLESS)
def test_harmless_regexes_pass(source: str) -> None:
    check(source)


def test_a_regex_that_does_not_parse_is_left_to_re() -> None:
    check("(unclosed")  # re.compile's own error names it later


def test_every_builtin_rule_passes() -> None:
    ruleset = load_rules(use_cache=False)
    assert len(ruleset) >= 22
    for rule in ruleset:
        assert regex_problem(rule.params) is None, rule.code


def test_params_problem_names_the_key() -> None:
    params = {"terms": ["神水"], "groups": [{"terms": ["x"], "unless": {"pattern": "(a+)+$"}}]}
    problem = regex_problem(params)
    assert problem is not None and problem.startswith("/groups/0/unless/pattern: regex may backtrack")
    problem = regex_problem({"patterns": ["ok", "(.*)*"]})
    assert problem is not None and problem.startswith("/patterns/1: ")


def _pack(tmp_path: Path, pattern: str) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir()
    text = VALID_PACK.read_text("utf-8").replace("  terms: [神水, 圣水]\n",
                                                 f"  terms: [神水, 圣水]\n  patterns: ['{pattern}']\n")
    assert pattern in text
    (pack / "QXW001.yaml").write_text(text, encoding="utf-8")
    return pack


def test_a_pack_with_a_catastrophic_regex_is_refused(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "神(a+)+$")
    with pytest.raises(RuleError) as info:
        load_rules([pack], use_cache=False)
    message = str(info.value)
    assert "\n" not in message
    assert re.match(r".*QXW001\.yaml: /params/patterns/0: regex may backtrack catastrophically", message)


def test_the_cli_says_so_in_one_line_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = _pack(tmp_path, "神(a+)+$")
    draft = tmp_path / "a.md"
    draft.write_text("神" + "a" * 30 + "!\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(draft), "--no-config", "--no-cache", "--rule-path", str(pack)])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2
    lines = [line for line in (out + err).splitlines() if line]
    assert len(lines) == 1 and "QXW001.yaml: /params/patterns/0:" in lines[0], out + err
    assert "Traceback" not in out + err


def test_a_harmless_pack_regex_still_loads(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "神(?:水|药)+")
    assert "QXW001" in load_rules([pack], use_cache=False).by_code
