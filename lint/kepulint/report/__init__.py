"""Output formats: a name -> module registry whose modules are imported on demand.

Every reporter module defines ``render(results, rules, *, version, profile="cn") -> str``
that returns the whole report (ending with a newline when non-empty). The
``--statistics`` table lives in :mod:`kepulint.report.statistics`; it is not a
``--format`` and so is not listed here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Diagnostic, FileError, FileResult
    from ..rules.ruleset import Rule

__all__ = ["REPORTERS", "Render", "get", "line_per_item"]

REPORTERS: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "concise": "concise",
    "sarif": "sarif",
    "github": "github",
    "html": "html",
}


class Render(Protocol):
    """The signature shared by every reporter's ``render``."""

    def __call__(
        self, results: list[FileResult], rules: Sequence[Rule], *, version: str, profile: str = "cn"
    ) -> str: ...


def get(name: str) -> Render:
    """Return the ``render`` function of output format ``name``; ``ValueError`` if unknown."""
    try:
        module = REPORTERS[name]
    except KeyError:
        choices = ", ".join(REPORTERS)
        raise ValueError(f"unknown output format {name!r} (choose from {choices})") from None
    render: Render = importlib.import_module(f"{__name__}.{module}").render
    return render


def line_per_item(results: Sequence[FileResult], on_error: Callable[[FileError], str],
                  on_diagnostic: Callable[[Diagnostic], str]) -> Iterator[str]:
    """One line per unreadable file and per active diagnostic, in result order."""
    for result in results:
        if result.error is not None:
            yield on_error(result.error)
        yield from (on_diagnostic(d) for d in result.diagnostics)
