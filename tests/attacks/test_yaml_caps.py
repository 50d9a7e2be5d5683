"""YAML a contributor controls (config, rule pack, front matter) cannot blow up (issue #13).

A 388-byte "billion laughs" alias bomb used to take 141 s and 5.4 GB when a config or rule
pack was validated. Each case below is refused with the usual one-line error naming the file
(configs and packs), or read as no front matter (drafts), and the hang guard turns a
regression into a failure instead of a stuck suite.
"""

from __future__ import annotations

import faulthandler
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kepulint import yamlsafe
from kepulint.api import Settings, lint_source
from kepulint.rules.ruleset import RuleError, load_rules
from kepulint.run.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
VALID_PACK = ROOT / "tests" / "data" / "rule_packs" / "valid" / "QXW001.yaml"
KNOWN = ["CLM001", "CLM002", "DSC001", "META001"]
LAUGHS = "\n".join(
    [f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]" for i in range(1, 9)]
)
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + LAUGHS + "\n"


@pytest.fixture(autouse=True)
def hang_guard() -> Iterator[None]:
    """Fail (with a traceback) instead of hanging if a bomb goes off: not a timing assertion."""
    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - Windows
        yield
        return
    faulthandler.dump_traceback_later(120, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def config_error(tmp_path: Path, text: str) -> str:
    path = tmp_path / ".kepulint.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(explicit=path, known_codes=KNOWN)
    message = str(info.value)
    assert "\n" not in message
    assert ".kepulint.yaml" in message
    return message


def test_the_bomb_is_small_and_would_expand_to_a_billion_nodes() -> None:
    assert len(BOMB.encode()) < 400
    node = yaml.compose(BOMB)  # composing shares nodes; only a walk of the result explodes
    assert node is not None


def test_config_alias_bomb_is_refused(tmp_path: Path) -> None:
    message = config_error(tmp_path, BOMB)
    assert "invalid YAML" in message and "alias" in message


def test_config_with_too_many_aliases_is_refused(tmp_path: Path) -> None:
    text = "x: &x [CLM]\nselect: [" + ", ".join(["*x"] * (yamlsafe.MAX_ALIASES + 1)) + "]\n"
    assert f"more than {yamlsafe.MAX_ALIASES} aliases" in config_error(tmp_path, text)


def test_config_with_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    assert "cycle" in config_error(tmp_path, "select: &s [CLM, *s]\n")


def test_config_too_large_is_refused(tmp_path: Path) -> None:
    text = "select: [CLM]\n" + "#" * (yamlsafe.MAX_CHARS + 1) + "\n"
    assert "too large" in config_error(tmp_path, text)


def test_a_config_with_a_few_aliases_still_loads(tmp_path: Path) -> None:
    path = tmp_path / ".kepulint.yaml"
    path.write_text("select: &codes [CLM001, CLM002]\nextend-select: *codes\n", encoding="utf-8")
    config = load_config(explicit=path, known_codes=KNOWN)
    assert set(config.selected_codes(KNOWN, "a.md")) == {"CLM001", "CLM002"}


def test_rule_pack_alias_bomb_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "QXW001.yaml").write_text(VALID_PACK.read_text("utf-8") + "x-" + BOMB.replace("\n", "\nx-"),
                                      encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules([pack], use_cache=False)
    message = str(info.value)
    assert "\n" not in message and "QXW001.yaml" in message and "alias" in message


def test_front_matter_alias_bomb_is_no_front_matter() -> None:
    draft = "---\n" + BOMB + "type: *i\ntitle: *i\n---\n干细胞可以根治糖尿病。\n"
    result = lint_source(draft, "a.md", Settings(today="2025-11-25"))
    assert [d.code for d in result.diagnostics if d.code == "CLM002"] == ["CLM002"]


def test_loader_refuses_before_walking() -> None:
    with pytest.raises(yamlsafe.YamlLimitError):
        yaml.load(BOMB, Loader=yamlsafe.CappedLoader)
    assert yaml.load("a: &x [1, 2]\nb: *x\n", Loader=yamlsafe.CappedLoader) == {"a": [1, 2], "b": [1, 2]}
