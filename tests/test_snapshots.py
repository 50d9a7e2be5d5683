"""The seeds and the adversarial drafts give exactly the reviewed diagnostics.

Any change in what kepulint reports on them fails here; review the difference, then run
``python tools/update_snapshots.py`` (see tests/seed_review/ for the per-code judgements).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("update_snapshots", ROOT / "tools" / "update_snapshots.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["seeds", "drafts"])
def test_snapshot(name: str) -> None:
    tool = _tool()
    expected = (ROOT / "tests" / "snapshots" / f"{name}.txt").read_text(encoding="utf-8")
    assert tool.snapshot(tool.SETS[name]) == expected
