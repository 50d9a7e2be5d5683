"""Helpers for the kind tests: a hand-written rule run through the rule loader, and a draft
linted with it alone, in-process, through the one pipeline (:func:`kepulint.api.lint_source`)."""

from __future__ import annotations

from typing import Any

from kepulint.api import Settings, lint_source
from kepulint.kinds.candidates import CompiledRules
from kepulint.model import Diagnostic
from kepulint.rules.ruleset import Rule, RuleSet, rule_from_data


def make_rule(kind: str, params: dict[str, Any] | None = None, *, code: str = "XYZ001",
              severity: str = "error", message: str = "测试规则：{match}") -> Rule:
    """A rule built from a mapping, validated and prepared as a rule file is."""
    data: dict[str, Any] = {
        "code": code, "name": f"test-{kind}", "kind": kind, "severity": severity, "summary": "测试用规则",
        "message": message, "help": "测试用规则。", "basis": {"all": [{"title": "测试"}]},
        "jurisdictions": ["cn", "tw", "hk"], "examples": {"fire": [], "pass": []},
    }
    if params is not None:
        data["params"] = params
    return rule_from_data(data, f"<{code}>")


def lint(text: str, *rules: Rule, profile: str = "cn", path: str = "draft.md",
         today: str = "2026-12-01") -> list[Diagnostic]:
    """The active diagnostics of ``rules`` (and only them) on ``text``."""
    ruleset = RuleSet(list(rules), build=CompiledRules)
    result = lint_source(text, path, Settings(profile=profile, today=today), ruleset=ruleset)
    return result.diagnostics


def matches(text: str, *rules: Rule, **kwargs: Any) -> list[str]:
    """The matched text of each diagnostic, in order."""
    return [d.match for d in lint(text, *rules, **kwargs)]


def severities(text: str, *rules: Rule, **kwargs: Any) -> list[tuple[str, str]]:
    """(matched text, severity) of each diagnostic, in order."""
    return [(d.match, d.severity.label) for d in lint(text, *rules, **kwargs)]
