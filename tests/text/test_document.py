"""text/document.py: front matter read by libyaml where it is simple, and as PyYAML reads it."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from textkit import FAST, short

from kepulint.text.document import _SIMPLE_YAML, Document, _load_yaml

# --- front matter -----------------------------------------------------------------------


def _outcome(raw: str, loader: Any) -> Any:
    try:
        return yaml.load(raw, Loader=loader)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        return type(exc)


KEYS = ["title", "date", "y", "null", "2025", "作者", "k-1", "_x"]
VALUES = ["关于抑郁症", "2025-01-16", "2024-13-45", "1_000", "0x1F", "017", "~", "yes", "Off", ".inf", "1.2.3",
          "a b", "a  b", "a'b", "a\\b", "a&b", "a|b", "a - b", "=", "《标题》", "x\u3000y", "😀", "2025-01-16 10"]
SIMPLE_LINE = st.one_of(st.sampled_from(["", " "]),
                        st.builds("{}:{}{}".format, st.sampled_from(KEYS), st.sampled_from(["", " ", "  "]),
                                  st.sampled_from(VALUES)))


@FAST
@given(st.lists(SIMPLE_LINE, min_size=1, max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_simple_front_matter_reads_the_same_with_libyaml(lines: list[str], eol: str) -> None:
    raw = eol.join(lines)
    if _SIMPLE_YAML.fullmatch(raw):
        assert _outcome(raw, yaml.CSafeLoader) == _outcome(raw, yaml.SafeLoader)


@pytest.mark.parametrize("raw", [
    "a: b\t", "a:\tb", "a: 1\n\ufeffb: 2", "a: [\\?]", "a: |#", "%YAML 1.3\n---\na: 1",  # libyaml differs
    "a: " + "[" * 1_000, "- " * 1_000 + "x", "a: b\x85c: d", "a: 'quoted'", "a:\n  b: c",
], ids=short)
def test_other_front_matter_goes_to_pyyaml(raw: str) -> None:
    assert not _SIMPLE_YAML.fullmatch(raw)
    assert _outcome_of_load(raw) == _outcome(raw, yaml.SafeLoader)


def _outcome_of_load(raw: str) -> Any:
    try:
        return _load_yaml(raw)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        return type(exc)


def test_usual_front_matter_takes_the_fast_path() -> None:
    text = "---\ntitle: 关于抑郁症你需要知道的事\ndate: 2025-08-15\nauthor: 刘教授\n---\n正文。\n"
    doc = Document.from_text(text, "a.md")
    assert _SIMPLE_YAML.fullmatch(doc.masked.front_matter or "")
    assert doc.front_matter["author"] == "刘教授"
