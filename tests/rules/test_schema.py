"""The rule schema, one params schema per kind: typos refused with their key path, every
built-in rule accepted, and a broken pack one line and exit 2 from the command line."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from kepulint.kinds import KINDS
from kepulint.rules.ruleset import RuleError, builtin_rule_dir, load_rules, rule_from_data
from kepulint.rules.validation import schema_problem
from kepulint.schemas import rule_schema

BUILTIN = sorted(builtin_rule_dir().glob("*.yaml"))
BASE = {
    "code": "ABC001", "name": "test-rule", "severity": "warning", "summary": "测试", "message": "测试：{match}",
    "help": "测试。", "basis": {"all": [{"title": "测试"}]}, "jurisdictions": ["cn"],
    "examples": {"fire": [], "pass": []},
}
VALID_PARAMS: dict[str, dict[str, Any] | None] = {
    "phrase": {"terms": ["治愈"], "context": {"hedge": "downgrade", "negation": "suppress"}},
    "proximity": {"terms": ["研究表明"], "needs": ["citation"], "windows": {"date": {"before": 1}}},
    "cooccurrence": {"left": {"terms": ["小鼠"]}, "right": {"terms": ["患者"]},
                     "qualifiers": [{"terms": ["尚未"], "profiles": ["tw"]}]},
    "document": {"checks": [{"id": "disclaimer", "terms": ["仅供参考"], "head": {"lines": 3, "terms": ["声明"]}}]},
    "registry": {},
    "tool": None,
}
# one typo per kind, somewhere deep: (where to put it, the key, the key path in the message, the hint)
TYPOS = {
    "phrase": (["context"], "negaton", "/params/context/negaton", "; did you mean 'negation'?"),
    "proximity": (["windows", "date"], "befor", "/params/windows/date/befor", "; did you mean 'before'?"),
    "cooccurrence": (["qualifiers", 0], "profile", "/params/qualifiers/0/profile", "; did you mean 'profiles'?"),
    "document": (["checks", 0, "head"], "term", "/params/checks/0/head/term", "; did you mean 'terms'?"),
    "registry": ([], "message", "/params/message", ""),
    "tool": ([], "terms", "/params/terms", ""),
}


def _rule(kind: str, params: dict[str, Any] | None) -> dict[str, Any]:
    data = {**BASE, "kind": kind}
    if params is not None:
        data["params"] = params
    return data


def test_every_kind_has_a_params_schema() -> None:
    schema = rule_schema()
    Draft202012Validator.check_schema(schema)
    branches = {b["if"]["properties"]["kind"]["const"] for b in schema["allOf"]}
    assert branches == set(KINDS) == set(schema["properties"]["kind"]["enum"]) == set(VALID_PARAMS)
    for kind in KINDS:
        assert schema["$defs"][f"params-{kind}"]["additionalProperties"] is False


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_every_builtin_rule_validates(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert schema_problem(data) is None


def test_builtin_rules_load_without_notices() -> None:
    ruleset = load_rules(use_cache=False)
    assert len(ruleset) == len(BUILTIN) and ruleset.notices == []


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_accepts_its_params(kind: str) -> None:
    assert schema_problem(_rule(kind, VALID_PARAMS[kind])) is None


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_refuses_a_typo_with_its_path(kind: str) -> None:
    where, key, path, hint = TYPOS[kind]
    params = copy.deepcopy(VALID_PARAMS[kind]) or {}
    target: Any = params
    for step in where:
        target = target[step]
    target[key] = "x"
    problem = schema_problem(_rule(kind, params))
    assert problem is not None and problem.startswith(f"{path}: unknown key"), problem
    if hint:
        assert problem == f"{path}: unknown key{hint}"


def test_the_issue_example_reads_well() -> None:
    params = {"terms": ["治愈"], "context": {"hedge": "downgade", "negaton": "ignore"}}
    with pytest.raises(RuleError) as caught:
        rule_from_data(_rule("phrase", params), "packs/x/ABC001.yaml")
    assert str(caught.value) == "packs/x/ABC001.yaml: /params/context/negaton: unknown key; did you mean 'negation'?"
    del params["context"]["negaton"]
    assert schema_problem(_rule("phrase", params)) == (
        "/params/context/hedge: 'downgade' is not one of ['suppress', 'downgrade', 'ignore']; "
        "did you mean 'downgrade'?")


@pytest.mark.parametrize(("kind", "params", "expected"), [
    # a context option only a phrase rule honours (proximity and cooccurrence never look for a citation)
    ("proximity", {"terms": ["研究表明"], "needs": ["citation"], "context": {"citation": "downgrade"}},
     "/params/context/citation: unknown key"),
    ("phrase", {"context": {"hedge": "downgrade"}}, "/params: needs terms or patterns (a non-empty list)"),
    ("phrase", {"terms": []}, "/params: needs terms or patterns (a non-empty list)"),
    ("phrase", None, "/params: required key missing"),
    ("proximity", {"terms": ["招募中"]}, "/params/needs: required key missing"),
    ("proximity", {"terms": ["招募中"], "needs": ["registry"]},
     "/params/needs/0: 'registry' is not one of ['citation', 'named_source', 'study_block', 'attributed', "
     "'registry_id', 'date']; did you mean 'registry_id'?"),
    ("cooccurrence", {"left": {"terms": ["小鼠"]}, "right": {"terms": ["患者"]}, "qualifiers": "尚未"},
     "/params/qualifiers: expected a mapping or a list, got '尚未'"),
    ("cooccurrence", {"left": {"terms": ["小鼠"]}, "right": {"terms": ["患者"]}, "qualifiers": [{"terms": ["尚未"],
                                                                                              "reach": "clause"}]},
     "/params/qualifiers/0/reach: 'clause' is not one of ['scope', 'sentence']"),
    ("phrase", {"patterns": "神水"}, "/params/patterns: expected a list, got '神水'"),
    ("phrase", {"terms": [1]}, "/params/terms/0: expected a string, got 1"),
    ("phrase", {"terms": ["治愈"], "cited_window": {"before": "1"}}, "/params/cited_window/before: expected a whole "
                                                                     "number, got '1'"),
    ("document", {"checks": [{"terms": ["声明"]}]}, "/params/checks/0/id: required key missing"),
    ("document", {"mode": "placment", "checks": [{"id": "a", "terms": ["声明"]}]},
     "/params/mode: 'placment' is not one of ['required', 'placement']; did you mean 'placement'?"),
    ("tool", {"terms": ["x"]}, "/params/terms: unknown key"),
])
def test_problems_are_said_with_their_path(kind: str, params: dict[str, Any] | None, expected: str) -> None:
    problem = schema_problem(_rule(kind, params))
    assert problem is not None and problem.startswith(expected), problem


def test_an_unknown_kind_is_named() -> None:
    assert schema_problem(_rule("phrse", {"terms": ["治愈"]})) == (
        "/kind: 'phrse' is not one of ['phrase', 'document', 'proximity', 'cooccurrence', 'registry', 'tool']; "
        "did you mean 'phrase'?")


@pytest.mark.parametrize(("params", "expected"), [
    ({"patterns": ["治(愈"]}, "x.yaml: /params/patterns/0: regex does not compile: missing ), unterminated subpattern"),
    ({"terms": ["治愈"], "near": {"pattern": "[0-9"}}, "x.yaml: /params/near/pattern: regex does not compile"),
    ({"patterns": ["(a+)+$"]}, "x.yaml: /params/patterns/0: regex may backtrack catastrophically"),
])
def test_regexes_are_checked_at_load(params: dict[str, Any], expected: str) -> None:
    with pytest.raises(RuleError) as caught:
        rule_from_data(_rule("phrase", params), "x.yaml")
    assert str(caught.value).startswith(expected), caught.value


def test_document_back_matter_regexes_are_checked_too() -> None:
    params = {"mode": "placement", "back_matter": ["参考(文献"], "checks": [{"id": "a", "terms": ["声明"]}]}
    with pytest.raises(RuleError, match=r"/params/back_matter/0: regex does not compile"):
        rule_from_data(_rule("document", params), "x.yaml")


def test_schema_command_prints_one_self_contained_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from kepulint.cli import main

    main(["schema", "rule"])  # returns: nothing failed
    printed = json.loads(capsys.readouterr().out)
    assert printed == rule_schema()
    validator = Draft202012Validator(printed)
    data = yaml.safe_load((builtin_rule_dir() / "CLM002.yaml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(data)) == []
    data["params"]["context"]["negaton"] = "ignore"
    assert [list(e.absolute_path) for e in validator.iter_errors(data)] == [["params", "context"]]


def test_a_broken_pack_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from kepulint.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KEPULINT_RULE_CACHE", str(tmp_path / "rule-cache"))
    pack = tmp_path / "packs" / "x"
    pack.mkdir(parents=True)
    rule = {**_rule("phrase", {"terms": ["神水"], "context": {"hedge": "downgade", "negaton": "ignore"}}),
            "examples": {"fire": ["这是一瓶神水。"], "pass": ["这是一瓶水。"]}}
    (pack / "ABC001.yaml").write_text(yaml.safe_dump(rule, allow_unicode=True), encoding="utf-8")
    (tmp_path / "a.md").write_text("这是一瓶神水。\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["check", "--no-config", "--no-cache", "--rule-path", "packs/x", "a.md"])
    out, err = capsys.readouterr()
    assert exited.value.code == 2
    assert out == ""
    assert err == ("kepulint: error: packs/x/ABC001.yaml: /params/context/negaton: unknown key; "
                   "did you mean 'negation'?\n")


def test_a_deprecated_spelling_is_a_warning_line_and_the_run_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from kepulint.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KEPULINT_RULE_CACHE", str(tmp_path / "rule-cache"))
    pack = tmp_path / "packs" / "x"
    pack.mkdir(parents=True)
    rule = {**_rule("phrase", {"terms": ["有效率"], "requires": {"pattern": r"\d", "window": 4}}),
            "examples": {"fire": ["有效率达95%。"], "pass": ["有效率很高，达到了很多人期望的水平。"]}}
    (pack / "ABC001.yaml").write_text(yaml.safe_dump(rule, allow_unicode=True), encoding="utf-8")
    (tmp_path / "a.md").write_text("有效率达95%。\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["check", "--no-config", "--no-cache", "--rule-path", "packs/x", "--select", "ABC001",
              "--fail-on", "warning", "a.md"])
    out, err = capsys.readouterr()
    assert exited.value.code == 1 and "a.md:1:1: ABC001" in out
    assert err == ("kepulint: warning: packs/x/ABC001.yaml: /params/requires: deprecated in phrase rules; write "
                   "near: {pattern: …, before: 4, after: 4} (requires lists evidence kinds in proximity rules)\n")
