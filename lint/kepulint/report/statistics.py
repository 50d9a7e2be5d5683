"""Counts of active diagnostics: the ``--statistics`` table and the one-line summary.

The table has one row per code, most frequent first (ties by code)::

    12  CLM001  absolute-claim     [error]
     3  STA002  uncited-statistic  [warning]
    15  total

A code's severity is the highest one it was reported with in this run (context
such as a hedge can lower a single diagnostic below the rule's default).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Diagnostic, FileResult, Severity

if TYPE_CHECKING:  # pragma: no cover
    from ..rules.ruleset import Rule
    from . import ReportOptions
    from .ruletable import RuleTable


@dataclass(frozen=True, slots=True)
class Totals:
    """How many active diagnostics a run produced, by severity, and where."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0
    files_with_problems: int = 0
    unreadable: int = 0
    skipped: int = 0

    @property
    def problems(self) -> int:
        return self.errors + self.warnings + self.infos


def active(results: Iterable[FileResult]) -> Iterable[Diagnostic]:
    """Every active (not suppressed) diagnostic, in result order."""
    for result in results:
        yield from result.diagnostics


def totals(results: Sequence[FileResult]) -> Totals:
    """Count active diagnostics by severity, files with problems, and files not linted."""
    by_severity = Counter(d.severity for d in active(results))
    return Totals(
        errors=by_severity[Severity.ERROR],
        warnings=by_severity[Severity.WARNING],
        infos=by_severity[Severity.INFO],
        files_with_problems=sum(1 for r in results if r.diagnostics),
        unreadable=sum(1 for r in results if r.error is not None and r.error.kind != "skipped"),
        skipped=sum(1 for r in results if r.error is not None and r.error.kind == "skipped"),
    )


def plural(count: int, noun: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def summary_line(results: Sequence[FileResult]) -> str:
    """``Found 12 problems (3 errors, 9 warnings, 0 info) in 5 files.`` or ``All checks passed.``

    ``No files linted.`` when no file was read (none found, or every one skipped: binary, too
    large), never ``All checks passed.``; skipped files are counted.
    """
    t = totals(results)
    skipped = t.skipped
    if skipped == len(results):  # nothing was linted: nothing found, or a folder of binaries
        return f"No files linted. {plural(skipped, 'file')} skipped." if skipped else "No files linted."
    if t.problems == 0 and t.unreadable == 0 and skipped == 0:
        return "All checks passed."
    if t.problems:
        text = (
            f"Found {plural(t.problems, 'problem')} ({plural(t.errors, 'error')}, "
            f"{plural(t.warnings, 'warning')}, {t.infos} info) in {plural(t.files_with_problems, 'file')}."
        )
    else:
        text = "No problems found."
    if t.unreadable:
        text += f" {plural(t.unreadable, 'file')} could not be read."
    if skipped:
        text += f" {plural(skipped, 'file')} skipped."
    return text


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the statistics table."""

    count: int
    code: str
    name: str
    severity: Severity


def rows(results: Sequence[FileResult], rules: Iterable[Rule] = ()) -> list[Row]:
    """One row per code of the active diagnostics, sorted by count desc, then code; the name is
    the rule's (the diagnostic's for a code ``rules`` lacks)."""
    names = {r.code: r.name for r in rules}
    counts: Counter[str] = Counter()
    worst: dict[str, Severity] = {}
    for d in active(results):
        counts[d.code] += 1
        names.setdefault(d.code, d.name)
        worst[d.code] = max(worst.get(d.code, d.severity), d.severity)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Row(n, code, names[code], worst[code]) for code, n in ordered]


def render(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> str:
    """The ``--statistics`` table with a total line; the summary line when empty."""
    table = rows(results, rules)
    if not table:
        return summary_line(results) + "\n"
    cells = [(str(r.count), r.code, r.name, f"[{r.severity.label}]") for r in table]
    total = sum(r.count for r in table)
    count_width = max(len(str(total)), *(len(c[0]) for c in cells))
    code_width = max(len(c[1]) for c in cells)
    name_width = max(len(c[2]) for c in cells)
    lines = [
        f"{count:>{count_width}}  {code:<{code_width}}  {name:<{name_width}}  {sev}"
        for count, code, name, sev in cells
    ]
    lines.append(f"{total:>{count_width}}  total")
    return "\n".join(lines) + "\n"
