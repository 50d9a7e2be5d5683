"""The README's rule table is generated from the rules and must not drift."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_rule_table_is_current() -> None:
    spec = importlib.util.spec_from_file_location("readme_rules", ROOT / "tools" / "readme_rules.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert module.render(readme) == readme, "README rule table is stale: run python tools/readme_rules.py"


def test_readme_has_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install . && kepulint check seeds/" in readme
    assert 'pip install ".[test]" && python -m pytest' in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest" in ci
