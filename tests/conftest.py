"""Shared test setup: run kepulint from the checkout when it is not installed; helpers the
cache tests share (``check_report``, the ``calls`` fixture)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
try:
    import kepulint  # noqa: F401
except ModuleNotFoundError:  # pragma: no cover - running from a bare checkout
    sys.path.insert(0, str(ROOT / "lint"))


def check_report(*paths: str | Path, **opts: Any) -> dict[str, Any]:
    """``run_check`` in this process (one job, JSON to ``report.json`` in the cwd); the report."""
    from kepulint.runner import run_check

    out = Path.cwd() / "report.json"
    full = {"no_config": True, "fmt": "json", "output_file": out, "jobs": 1, "today": "2025-11-25", **opts}
    run_check([str(p) for p in paths], full)
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths linted in this process (lint_source calls made by kepulint.parallel, and by the
    runner for stdin)."""
    from kepulint import parallel, runner

    seen: list[str] = []
    real = parallel.lint_source

    def counting(text: str, path: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(path)
        return real(text, path, *args, **kwargs)

    monkeypatch.setattr(parallel, "lint_source", counting)
    monkeypatch.setattr(runner, "lint_source", counting)
    return seen


def isolate_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in ``tmp_path`` with a rule cache of its own, the result cache allowed, no GitHub
    annotations and the default process start method."""
    from kepulint import parallel

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KEPULINT_RULE_CACHE", str(tmp_path / "rule-cache"))
    monkeypatch.delenv("KEPULINT_NO_CACHE", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setattr(parallel, "START_METHOD", None)
