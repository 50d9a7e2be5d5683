"""kepulint: a compliance linter for Chinese medical popular-science (科普) drafts.

The public library API is :func:`lint_text`, :func:`lint_file` and :func:`lint_bytes`; they
are imported lazily so that ``import kepulint`` (and the CLI start-up) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Diagnostic", "Severity", "__version__", "lint_bytes", "lint_file", "lint_text"]

if TYPE_CHECKING:  # pragma: no cover
    from .api import lint_bytes, lint_file, lint_text
    from .model import Diagnostic, Severity


def __getattr__(name: str) -> Any:
    if name in ("lint_text", "lint_file", "lint_bytes"):
        from . import api

        return getattr(api, name)
    if name in ("Diagnostic", "Severity"):
        from . import model

        return getattr(model, name)
    raise AttributeError(name)
