"""Shared test setup: run kepulint from the checkout when it is not installed."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import kepulint  # noqa: F401
except ModuleNotFoundError:  # pragma: no cover - running from a bare checkout
    sys.path.insert(0, str(ROOT / "lint"))
