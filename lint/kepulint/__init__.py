"""kepulint: a compliance linter for Chinese medical popular-science (科普) drafts.

The public library API is :func:`lint_text`; it is imported lazily so that
``import kepulint`` (and the CLI start-up) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Diagnostic", "Severity", "__version__", "lint_text"]

if TYPE_CHECKING:  # pragma: no cover
    from .api import lint_text
    from .model import Diagnostic, Severity


def __getattr__(name: str) -> Any:
    if name == "lint_text":
        from .api import lint_text

        return lint_text
    if name in ("Diagnostic", "Severity"):
        from . import model

        return getattr(model, name)
    raise AttributeError(name)
