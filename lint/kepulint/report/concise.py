"""Concise output, one line per problem (after Ruff's ``--output-format concise``).

Example::

    docs/a.md:3:5: CLM001 [error] 疗效表述绝对化：“根治”
    docs/b.md: error: cannot decode as UTF-8 or GB18030
    Found 1 problem (1 error, 0 warnings, 0 info) in 1 file. 1 file could not be read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import Diagnostic, FileError
from . import line_per_item
from .statistics import summary_line

if TYPE_CHECKING:  # pragma: no cover
    from ..model import FileResult
    from . import ReportOptions
    from .ruletable import RuleTable


def one_line(text: str) -> str:
    """Collapse line breaks so that every problem stays on one output line."""
    return " ".join(text.splitlines())


def format_diagnostic(d: Diagnostic) -> str:
    """``path:line:col: CODE [severity] message``."""
    return f"{d.path}:{d.line}:{d.column}: {d.code} [{d.severity.label}] {one_line(d.message)}"


def format_error(e: FileError) -> str:
    """``path: error: message`` (``note`` instead of ``error`` for skipped files)."""
    label = "note" if e.kind == "skipped" else "error"  # the message says "skipped"
    return f"{e.path}: {label}: {one_line(e.message)}"


def render(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> str:
    """Every active diagnostic and unreadable file, then the summary line."""
    lines = [*line_per_item(results, format_error, format_diagnostic), summary_line(results)]
    return "\n".join(lines) + "\n"
