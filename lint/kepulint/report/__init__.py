"""Output formats: every one a :class:`Reporter`, found by name in :data:`FORMATS`.

A reporter turns the results of a run into the whole report (ending with a newline when
non-empty)::

    report.get("json").render(results, RuleTable.of(rules), ReportOptions(version="0.1.0"))

Diagnostics name their rule by ``code``; a reporter that shows a rule's name, help, basis or
default severity looks it up in the :class:`~kepulint.report.ruletable.RuleTable` (help in
the profile each file was linted under). Reporter modules are imported on demand, so a run
pays only for the format it prints. ``--statistics`` is the ``statistics`` reporter; it is
not a ``--format`` choice (:data:`OUTPUT_FORMATS`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast

from .ruletable import RuleTable

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Diagnostic, FileError, FileResult

__all__ = ["FORMATS", "OUTPUT_FORMATS", "ReportOptions", "Reporter", "RuleTable", "get", "line_per_item", "render"]

#: Format name -> the module (in this package) that implements it.
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "concise": "concise",
    "sarif": "sarif",
    "github": "github",
    "html": "html",
    "statistics": "statistics",
}
#: The ``--format`` choices.
OUTPUT_FORMATS: tuple[str, ...] = tuple(name for name in FORMATS if name != "statistics")


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """What a report says besides the results; each format reads the options it needs."""

    version: str  #: kepulint's version, named in the report
    profile: str = "cn"  #: the run's --profile (auto, cn, tw, hk); each file's own is FileResult.profile
    color: bool = False  #: text: ANSI colours
    fail_on: str = "error"  #: html: the pass/fail badge
    baseline: Mapping[str, Any] | None = None  #: json: what the baseline matched (path, matched, stale)
    sources: Mapping[str, str] = field(default_factory=dict)  #: html: path -> the text it was linted from


class Reporter(Protocol):
    """What every output format implements (each reporter module is one)."""

    def render(self, results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> str:
        """The whole report for ``results``."""
        ...


def get(name: str) -> Reporter:
    """The reporter of format ``name``; ``ValueError`` if there is none."""
    try:
        module = FORMATS[name]
    except KeyError:
        choices = ", ".join(FORMATS)
        raise ValueError(f"unknown output format {name!r} (choose from {choices})") from None
    return cast(Reporter, importlib.import_module(f"{__name__}.{module}"))


def render(name: str, results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> str:
    """``get(name).render(results, rules, options)``."""
    return get(name).render(results, rules, options)


def line_per_item(results: Sequence[FileResult], on_error: Callable[[FileError], str],
                  on_diagnostic: Callable[[Diagnostic], str]) -> Iterator[str]:
    """One line per unreadable file and per active diagnostic, in result order."""
    for result in results:
        if result.error is not None:
            yield on_error(result.error)
        yield from (on_diagnostic(d) for d in result.diagnostics)
