"""yamlsafe: the one capped YAML loader for contributor files (configs, rule packs, front matter)."""

from __future__ import annotations

import pytest
import yaml

from kepulint import yamlsafe

BOMB = "a: &a [x, x]\n" + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}]\n"
                                   for p, c in zip("abcdefghi", "bcdefghij", strict=True))  # 4^9 copies


def test_duplicate_keys_are_refused_only_when_asked() -> None:
    assert yamlsafe.load("select: [CLM]\nselect: [DSC]\n") == {"select": ["DSC"]}
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key 'select'"):
        yamlsafe.load("select: [CLM]\nselect: [DSC]\n", unique_keys=True)
    assert yamlsafe.load("a: {b: 1}\nc: {b: 2}\n", unique_keys=True) == {"a": {"b": 1}, "c": {"b": 2}}


@pytest.mark.parametrize("unique_keys", [False, True])
def test_both_loaders_keep_the_caps(unique_keys: bool) -> None:
    with pytest.raises(yamlsafe.YamlLimitError, match="alias bomb"):
        yamlsafe.load(BOMB, unique_keys=unique_keys)
    with pytest.raises(yamlsafe.YamlLimitError, match="too large"):
        yamlsafe.load("a: b\n" * (yamlsafe.MAX_CHARS // 5 + 1), unique_keys=unique_keys)


def test_no_tags_that_build_python_objects() -> None:
    with pytest.raises(yaml.constructor.ConstructorError):
        yamlsafe.load("x: !!python/object/apply:os.system [echo hi]\n", unique_keys=True)
