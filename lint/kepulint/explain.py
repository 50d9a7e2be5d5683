"""``kepulint rules`` and ``kepulint rule CODE``: the catalog, explained; example checks."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .api import check_example, ruleset_for
from .rules.ruleset import RuleSet


def _ruleset(rule_paths: Iterable[Path] = ()) -> RuleSet:
    return ruleset_for(tuple(str(p) for p in rule_paths))


def list_rules(rule_paths: Sequence[Path] = (), fmt: str = "text") -> str:
    """Every rule as a table (text) or a list of objects (json)."""
    rules = list(_ruleset(rule_paths))
    if fmt == "json":
        rows = [{"code": r.code, "name": r.name, "severity": r.severity.label, "kind": r.kind,
                 "summary": r.summary, "jurisdictions": list(r.jurisdictions), "help_uri": r.help_uri}
                for r in rules]
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    width = max(len(r.name) for r in rules)
    lines = [f"{'code':<8}{'name':<{width + 2}}{'severity':<10}{'kind':<14}summary"]
    lines += [f"{r.code:<8}{r.name:<{width + 2}}{r.severity.label:<10}{r.kind:<14}{r.summary}" for r in rules]
    return "\n".join(lines) + "\n"


def explain_rule(code: str, profile: str = "cn", fmt: str = "text", rule_paths: Sequence[Path] = ()) -> str:
    """Why the rule matters, its legal basis for ``profile``, how to rewrite, examples."""
    ruleset = _ruleset(rule_paths)
    rule = ruleset.by_code.get(code)
    if rule is None:
        from .run.runner import UsageError

        close = [c for c in ruleset.codes if c.startswith(code[:3])] or ruleset.codes
        raise UsageError(f"unknown rule code '{code}' (known: {', '.join(close)})")
    basis = rule.basis_for(profile)
    from .check.advice import help_for
    from .text.wording import for_profile

    help_text = help_for(rule, profile)
    if fmt == "json":
        data = {"code": rule.code, "name": rule.name, "kind": rule.kind, "severity": rule.severity.label,
                "summary": rule.summary, "message": rule.message_for(profile), "help": help_text,
                "basis": basis, "jurisdictions": list(rule.jurisdictions), "examples": rule.examples}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    out = [f"{rule.code} {rule.name} [{rule.severity.label}] ({rule.kind})", "", for_profile(rule.summary, profile), "",
           help_text, ""]
    out.append(for_profile(f"## 依据（{profile}）", profile))
    out += [f"- {b['title']}" + (f"\n  {b['url']}" if b.get("url") else "") for b in basis] or ["- （本法域未列依据）"]
    out += ["", "## 示例（会报）"]
    out += [f"- {_example_text(e)}" for e in rule.examples.get("fire", [])[:6]]
    out += ["", "## 示例（不会报）"]
    out += [f"- {_example_text(e)}" for e in rule.examples.get("pass", [])[:6]]
    return "\n".join(out) + "\n"


def _example_text(example: Any) -> str:
    text = example if isinstance(example, str) else example["text"]
    return text.replace("\n", "⏎")


def verify_rules(rule_paths: Sequence[Path] = ()) -> list[str]:
    """Failures of every rule's examples (``kepulint rules --verify``)."""
    ruleset = _ruleset(rule_paths)
    failures = []
    for rule in ruleset:
        for key, fire in (("fire", True), ("pass", False)):
            for example in rule.examples.get(key, []):
                problem = check_example(rule, example, fire, ruleset)
                if problem:
                    failures.append(problem)
    return failures
