"""GitHub Actions workflow commands, one annotation per active diagnostic::

    ::error file=docs/a.md,line=3,col=5,endLine=3,endColumn=7,title=CLM001 absolute-claim::MESSAGE

Escaping follows ``escapeData``/``escapeProperty`` in actions/toolkit
``packages/core/src/command.ts``. Suppressed diagnostics are not printed and
there is no summary line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import Diagnostic, FileError, Severity
from . import line_per_item

if TYPE_CHECKING:  # pragma: no cover
    from ..model import FileResult
    from . import ReportOptions
    from .ruletable import RuleTable

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape the message (the part after the last ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a ``key=value`` property value: as data, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, object], message: str) -> str:
    """``::name k=v,k=v::message`` with every value escaped; empty values are left out."""
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items() if v != "")
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def format_diagnostic(d: Diagnostic) -> str:
    """One annotation; the title is ``CODE name`` and the message names the match."""
    message = f"{d.message} (matched: {d.match})" if d.match else d.message
    properties: dict[str, object] = {
        "file": d.path,
        "line": d.line,
        "col": d.column,
        "endLine": d.end_line,
        "endColumn": d.end_column,
        "title": f"{d.code} {d.name}",
    }
    return command(COMMANDS[d.severity], properties, message)


def format_error(e: FileError) -> str:
    """``::error file=PATH::MESSAGE`` (``::warning`` for a skipped file)."""
    return command("warning" if e.kind == "skipped" else "error", {"file": e.path}, e.message)


def render(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> str:
    """All annotations, one per line; empty when there is nothing to report."""
    return "".join(line + "\n" for line in line_per_item(results, format_error, format_diagnostic))
