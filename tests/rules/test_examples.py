"""Every rule's examples, as written and converted to the other script (prh `specs` style)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from kepulint.api import ruleset_for
from kepulint.explain import check_example

RULESET = ruleset_for(())


def _cases() -> list[tuple[str, str, int, bool]]:
    out = []
    for rule in RULESET:
        for key, fire in (("fire", True), ("pass", False)):
            for i, _ in enumerate(rule.examples.get(key, [])):
                out.append((rule.code, key, i, fire))
    return out


CASES = _cases()


@lru_cache(maxsize=2)
def _converter(config: str):  # type: ignore[no-untyped-def]
    opencc = pytest.importorskip("opencc")
    return opencc.OpenCC(config)


def _example(code: str, key: str, i: int) -> object:
    return RULESET.by_code[code].examples[key][i]


@pytest.mark.parametrize(("code", "key", "i", "fire"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_example_as_written(code: str, key: str, i: int, fire: bool) -> None:
    problem = check_example(RULESET.by_code[code], _example(code, key, i), fire, RULESET)
    assert problem is None, problem


@pytest.mark.parametrize(("code", "key", "i", "fire"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
@pytest.mark.parametrize("config", ["s2t", "t2s"])
def test_example_in_other_script(code: str, key: str, i: int, fire: bool, config: str) -> None:
    """Converting Simplified↔Traditional (OpenCC) never changes whether a rule fires."""
    example = _example(code, key, i)
    spec = {"text": example} if isinstance(example, str) else dict(example)
    spec.pop("match", None)  # the converted match is checked by its own test below
    spec["text"] = _converter(config).convert(spec["text"])
    problem = check_example(RULESET.by_code[code], spec, fire, RULESET)
    assert problem is None, f"after OpenCC {config}: {problem}"


def _is_traditional(text: str) -> bool:
    return _converter("t2s").convert(text) != text


@pytest.mark.parametrize("rule", list(RULESET), ids=lambda r: r.code)
def test_rule_has_enough_examples(rule) -> None:  # type: ignore[no-untyped-def]
    """At least 8 firing and 8 passing examples, at least a third of each in Traditional."""
    minimum = 4 if rule.kind == "tool" else 8
    for key in ("fire", "pass"):
        texts = [e if isinstance(e, str) else e["text"] for e in rule.examples[key]]
        assert len(texts) >= minimum, f"{rule.code} has {len(texts)} {key} examples"
        trad = sum(_is_traditional(t) for t in texts)
        assert trad * 3 >= len(texts), f"{rule.code}: only {trad}/{len(texts)} {key} examples are Traditional"
