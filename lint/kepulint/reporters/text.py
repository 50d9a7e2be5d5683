"""``--format text`` (default): what an editor reads in a terminal.

    seeds/a.txt:12:5: CLM002 [error] 疗效保证用语“根治”：…
      12 | 干细胞可以根治糖尿病。
         |          ^^^^
      = 怎么改：…

Colour only on a TTY and never when NO_COLOR is set (the CLI decides; ``color`` here).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from ..model import Diagnostic, FileResult, Severity
from ..rules import Rule
from .statistics import summary_line

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _width(text: str) -> int:
    """Display width in a terminal: CJK and full-width characters take two cells."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def _rewrite_hint(help_text: str) -> str:
    """The first item of the help's 怎么改 section, as a one-line hint (with the example
    that follows when the item ends in a colon)."""
    lines = help_text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith("## 怎么改"):
            parts: list[str] = []
            for nxt in lines[i + 1:]:
                s = nxt.strip()
                if s.startswith("##"):
                    break
                if not s or s.startswith("```"):
                    continue
                parts.append(s.lstrip("-*> ").strip())
                if not parts[-1].endswith(("：", ":")) or len(parts) == 2:
                    break
            return " ".join(parts)
    return ""


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


def format_diagnostic(d: Diagnostic, source: str | None, *, color: bool = False) -> list[str]:
    head = f"{d.path}:{d.line}:{d.column}: "
    sev = _paint(f"[{d.severity.label}]", _COLORS[d.severity], color)
    out = [f"{_paint(head, '1', color)}{_paint(d.code, '1', color)} {sev} {d.message}"]
    if source is not None and d.match:
        gutter = f"{d.line:>5} | "
        span = d.match.split("\n")[0].split("\r")[0]
        shown, prefix = _excerpt(source.rstrip("\r\n"), d.column - 1, len(span))
        out.append(gutter + shown)
        marker = " " * _width(prefix) + "^" * max(_width(span), 1)
        out.append(" " * (len(gutter) - 2) + "| " + _paint(marker, _COLORS[d.severity], color))
    elif not d.match:
        out.append("      | （全文）")
    hint = _rewrite_hint(d.help)
    if hint:
        out.append(f"      = 怎么改：{hint}")
    return out


def render(results: list[FileResult], rules: Sequence[Rule], *, version: str, profile: str = "cn",
           color: bool = False) -> str:
    out: list[str] = []
    for r in results:
        if r.error:
            label = "note" if r.error.kind == "skipped" else "error"  # a skip message says "skipped" itself
            out.append(f"{r.path}: {_paint(label, '31' if label == 'error' else '33', color)}: {r.error.message}")
            continue
        if r.notice:
            out.append(f"{r.path}: note: {r.notice}")
        for d in r.diagnostics:
            out.extend(format_diagnostic(d, r.excerpts.get(d.line), color=color))
            out.append("")
    out.append(summary_line(results))
    suppressed = sum(len(r.suppressed) for r in results)
    if suppressed:
        out.append(f"{suppressed} suppressed (see --format json for the reasons).")
    return "\n".join(out) + "\n"
