"""The oldest supported Python (``requires-python``) can run every built-in regex.

kepulint once declared Python 3.10 while a rule used an atomic group ``(?>…)`` (3.11+), so every
run on 3.10 stopped with exit 2. Now ``requires-python`` is ``>=3.11`` and this test keeps the
rules to 3.11's ``re`` syntax whatever Python runs the suite: each pattern is parsed with the
running ``re`` parser and may only use node kinds that 3.11's parser produces, and no escape
that a later version added (``\\z``, 3.14).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from re import _parser as sre_parse
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
OLDEST = (3, 11)

# every opcode, position and category code of Python 3.11's re._constants (ATOMIC_GROUP and
# POSSESSIVE_REPEAT are new in 3.11 and so allowed)
PY311_CODES = frozenset({
    "FAILURE", "SUCCESS", "ANY", "ANY_ALL", "ASSERT", "ASSERT_NOT", "AT", "BRANCH", "CATEGORY", "CHARSET",
    "BIGCHARSET", "GROUPREF", "GROUPREF_EXISTS", "IN", "INFO", "JUMP", "LITERAL", "MARK", "MAX_UNTIL",
    "MIN_UNTIL", "NOT_LITERAL", "NEGATE", "RANGE", "REPEAT", "REPEAT_ONE", "SUBPATTERN", "MIN_REPEAT_ONE",
    "ATOMIC_GROUP", "POSSESSIVE_REPEAT", "POSSESSIVE_REPEAT_ONE", "GROUPREF_IGNORE", "IN_IGNORE",
    "LITERAL_IGNORE", "NOT_LITERAL_IGNORE", "GROUPREF_LOC_IGNORE", "IN_LOC_IGNORE", "LITERAL_LOC_IGNORE",
    "NOT_LITERAL_LOC_IGNORE", "GROUPREF_UNI_IGNORE", "IN_UNI_IGNORE", "LITERAL_UNI_IGNORE",
    "NOT_LITERAL_UNI_IGNORE", "RANGE_UNI_IGNORE", "MIN_REPEAT", "MAX_REPEAT",
    "AT_BEGINNING", "AT_BEGINNING_LINE", "AT_BEGINNING_STRING", "AT_BOUNDARY", "AT_NON_BOUNDARY", "AT_END",
    "AT_END_LINE", "AT_END_STRING", "AT_LOC_BOUNDARY", "AT_LOC_NON_BOUNDARY", "AT_UNI_BOUNDARY",
    "AT_UNI_NON_BOUNDARY",
    "CATEGORY_DIGIT", "CATEGORY_NOT_DIGIT", "CATEGORY_SPACE", "CATEGORY_NOT_SPACE", "CATEGORY_WORD",
    "CATEGORY_NOT_WORD", "CATEGORY_LINEBREAK", "CATEGORY_NOT_LINEBREAK", "CATEGORY_LOC_WORD",
    "CATEGORY_LOC_NOT_WORD", "CATEGORY_UNI_DIGIT", "CATEGORY_UNI_NOT_DIGIT", "CATEGORY_UNI_SPACE",
    "CATEGORY_UNI_NOT_SPACE", "CATEGORY_UNI_WORD", "CATEGORY_UNI_NOT_WORD", "CATEGORY_UNI_LINEBREAK",
    "CATEGORY_UNI_NOT_LINEBREAK",
})
_LATER_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\z")  # \z: an alias of \Z since Python 3.14


def _patterns(node: Any, where: str, key: str = "") -> Iterator[tuple[str, str]]:
    """``(where, regex)`` for every string under a key that names regexes (``…patterns``, ``pattern``)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _patterns(v, f"{where}/{k}", str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _patterns(v, f"{where}/{i}", key)
    elif isinstance(node, str) and (key.endswith("patterns") or key == "pattern"):
        yield where, node


def builtin_regexes() -> list[tuple[str, str]]:
    files = sorted((ROOT / "rules").glob("*.yaml")) + sorted((ROOT / "lint" / "kepulint" / "data").glob("*.yaml"))
    found: list[tuple[str, str]] = []
    for path in files:
        found += _patterns(yaml.safe_load(path.read_text("utf-8")), path.relative_to(ROOT).as_posix())
    return found


def _codes(parsed: Any) -> Iterator[str]:
    """The names of every opcode, position and category in a parse tree."""
    for op, arg in parsed:
        yield str(op)
        yield from _arg_codes(arg)


def _arg_codes(arg: Any) -> Iterator[str]:
    if isinstance(arg, sre_parse.SubPattern):
        yield from _codes(arg)
    elif isinstance(arg, (list, tuple)):
        for item in arg:
            if isinstance(item, tuple) and len(item) == 2 and hasattr(item[0], "name"):
                yield str(item[0])
                yield from _arg_codes(item[1])
            else:
                yield from _arg_codes(item)
    elif hasattr(arg, "name") and str(arg).startswith(("AT_", "CATEGORY_")):  # not MAXREPEAT, a bound
        yield str(arg)


def test_requires_python_is_the_oldest_checked_here() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["requires-python"] == ">=3.11"
    assert project["tool"]["ruff"]["target-version"] == "py311"


def test_there_are_regexes_to_check() -> None:
    regexes = builtin_regexes()
    assert len(regexes) > 100
    assert any("(?>" in r for _, r in regexes)  # the atomic group that broke 3.10 is among them


@pytest.mark.parametrize(("where", "regex"), builtin_regexes(), ids=lambda v: v if "/" in v else "")
def test_builtin_regex_uses_only_python_311_syntax(where: str, regex: str) -> None:
    re.compile(regex)  # compiles on this Python
    unknown = set(_codes(sre_parse.parse(regex))) - PY311_CODES
    assert not unknown, f"{where}: needs a Python newer than 3.11: {sorted(unknown)}"
    assert not _LATER_ESCAPE.search(regex), f"{where}: \\z needs Python 3.14; use \\Z"


def test_the_check_rejects_newer_constructs() -> None:
    """The walk sees every node: a code 3.11 lacks would be reported (simulated by removing one)."""
    parsed = sre_parse.parse(r"(?>ab|cd)++\b[\d]")
    codes = set(_codes(parsed))
    assert {"ATOMIC_GROUP", "POSSESSIVE_REPEAT", "AT_BOUNDARY", "CATEGORY_DIGIT", "IN", "BRANCH"} <= codes
    assert _LATER_ESCAPE.search(r"abc\z") and not _LATER_ESCAPE.search(r"abc\\z")
