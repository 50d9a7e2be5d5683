"""``--format text`` (default): what an editor reads in a terminal.

    seeds/a.txt:12:5: CLM002 [error] 疗效保证用语“根治”：…
      12 | 干细胞可以根治糖尿病。
         |          ^^^^
      = 怎么改：把“根治”改为“控制病情”，…   (the finding's advice, else the help's first 怎么改 item)
      = 可修复（--unsafe-fixes）：替换为：控制病情

Colour only on a TTY and never when NO_COLOR is set (the CLI decides; ``color`` here).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from ..model import Diagnostic, FileResult, Severity
from . import ReportOptions
from .ruletable import RuleTable, file_profile
from .statistics import summary_line

FIX_OPTIONS = {"safe": "--fix", "unsafe": "--unsafe-fixes"}
LABELS = ("全文", "怎么改", "可修复")
_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _width(text: str) -> int:
    """Display width in a terminal: CJK and full-width characters take two cells."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


EXCERPT_CONTEXT = 24  # characters shown on each side of the match in long lines


@lru_cache(maxsize=16)
def _fits(line: str) -> bool:
    """True when the whole line is narrow enough to show (once per line, and only as far as
    its width stays under the limit: thousands of findings on one long line do not measure it
    each time)."""
    limit, width = 2 * EXCERPT_CONTEXT + 40, 0
    for ch in line:
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
        if width > limit:
            return False
    return True


def _excerpt(line: str, start: int, length: int) -> tuple[str, str]:
    """The line (or a window of it around the match) and the text before the match in it."""
    if _fits(line):
        return line, line[:start]
    lo = max(0, start - EXCERPT_CONTEXT)
    hi = min(len(line), start + length + EXCERPT_CONTEXT)
    head = "…" if lo > 0 else ""
    tail = "…" if hi < len(line) else ""
    return head + line[lo:hi] + tail, head + line[lo:start]


def _labels(profile: str) -> tuple[str, str, str]:
    """(全文, 怎么改, 可修复) in the profile's script."""
    if profile == "cn":
        return LABELS
    from ..text.wording import for_profile

    return tuple(for_profile(label, profile) for label in LABELS)  # type: ignore[return-value]


def format_diagnostic(d: Diagnostic, source: str | None, *, color: bool = False, profile: str = "cn",
                      hint: str = "") -> list[str]:
    """The lines of one diagnostic; ``source`` is its line, ``hint`` the advice shown when the
    diagnostic has none (its rule's first 怎么改 item), ``profile`` the labels' script."""
    whole, how, fixable = _labels(profile)
    head = f"{d.path}:{d.line}:{d.column}: "
    sev = _paint(f"[{d.severity.label}]", _COLORS[d.severity], color)
    out = [f"{_paint(head, '1', color)}{_paint(d.code, '1', color)} {sev} {d.message}"]
    if source is not None and d.match:
        gutter = f"{d.line:>5} | "
        span = d.match.split("\n")[0].split("\r")[0]
        if d.crosses_markup is not None:  # HTML: underline the source of the span, tags and entities too
            span = source[d.column - 1 : d.end_column - 1 if d.end_line == d.line else None].rstrip("\r\n")
        shown, prefix = _excerpt(source.rstrip("\r\n"), d.column - 1, len(span))
        out.append(gutter + shown)
        marker = " " * _width(prefix) + "^" * max(_width(span), 1)
        out.append(" " * (len(gutter) - 2) + "| " + _paint(marker, _COLORS[d.severity], color))
    elif not d.match:
        out.append(f"      | （{whole}）")
    hint = d.advice or hint
    if hint:
        out.append(f"      = {how}：{hint}")
    for fix in d.fixes:
        if fix.applicability in FIX_OPTIONS:
            out.append(f"      = {fixable}（{FIX_OPTIONS[fix.applicability]}）：{fix.title}")
    return out


def render(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> str:
    """Every diagnostic with its line and advice, then the summary line."""
    color, profile = options.color, options.profile
    out: list[str] = []
    for r in results:
        if r.error:
            label = "note" if r.error.kind == "skipped" else "error"  # a skip message says "skipped" itself
            out.append(f"{r.path}: {_paint(label, '31' if label == 'error' else '33', color)}: {r.error.message}")
            continue
        if r.notice:
            out.append(f"{r.path}: note: {r.notice}")
        law = file_profile(r, profile)
        for d in r.diagnostics:
            hint = "" if d.advice else rules.hint(d.code, law)
            out.extend(format_diagnostic(d, r.excerpts.get(d.line), color=color, profile=profile, hint=hint))
            out.append("")
    out.append(summary_line(results))
    suppressed = sum(len(r.suppressed) for r in results)
    if suppressed:
        out.append(f"{suppressed} suppressed (see --format json for the reasons).")
    return "\n".join(out) + "\n"
