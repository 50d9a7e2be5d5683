"""``--format html``: one self-contained HTML file for a CI artifact or an e-mail.

Each draft with findings is shown with every finding marked in place (colour by severity,
overlapping spans split into segments that carry every finding covering them), beside a list
grouped by severity and code with the message, the rewrite advice and the legal basis. Inline
CSS (the review page's own, ``kepulint/serve/static/review.css``), no script, no external
asset: readable without JavaScript, in a mail client and on paper. Every string from a draft,
a file name or a rule pack is escaped.

Without the draft's full text (``sources``), the lines that hold findings are shown instead.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from html import escape
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Diagnostic, FileResult, Severity
from ..text.source import line_starts
from .ruletable import RuleTable, file_profile

if TYPE_CHECKING:  # pragma: no cover
    from ..rules.ruleset import Rule
    from . import ReportOptions

SEVERITY_NAMES = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
MAX_SOURCE_CHARS = 2_000_000  # a larger draft is shown by its lines with findings only

#: Code points an HTML parser reports as errors (controls, noncharacters) and lone surrogates
#: (a file name that is not UTF-8): shown as U+FFFD, one for one, so offsets still hold.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                     + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17))
                     + "]")


def clean(text: str) -> str:
    """``text`` with the code points HTML cannot carry replaced by U+FFFD (same length)."""
    return _UNSAFE.sub("\ufffd", text)


def esc(text: str) -> str:
    """Escaped for HTML text and quoted attribute values."""
    return escape(clean(text), quote=True)


def safe_url(url: str) -> str | None:
    """``url`` when it is an http(s) link, else None (a rule pack cannot inject ``javascript:``)."""
    return url if re.match(r"(?i)https?://[^\s\"'<>]+$", url or "") else None


def advice(d: Diagnostic, rules: RuleTable, profile: str) -> str:
    """The finding's rewrite advice: its ``advice`` field when it has one, else its rule's help's
    怎么改 (in ``profile``, the one its file was linted under)."""
    return d.advice or rules.hint(d.code, profile)


def stylesheet() -> str:
    """The review page's stylesheet, inlined into the report."""
    return resources.files("kepulint.serve").joinpath("static/review.css").read_text("utf-8")


def fails(results: Sequence[FileResult], fail_on: str) -> bool:
    """True when the run fails at ``fail_on``: an unreadable file, or a finding at or above it."""
    if any(r.error is not None and r.error.kind == "error" for r in results):
        return True
    if fail_on == "never":
        return False
    threshold = Severity.parse(fail_on)
    return any(d.severity >= threshold for r in results for d in r.diagnostics)


# --- spans ------------------------------------------------------------------------------------------


def spans(text: str, diagnostics: Sequence[Diagnostic]) -> list[tuple[int, int, int]] | None:
    """``(start, end, index)`` code-point offsets of each non-empty finding in ``text``; None
    when a finding's text is not there (the file changed since it was linted)."""
    starts = line_starts(text)
    found = []
    for i, d in enumerate(diagnostics):
        if not d.match:
            continue
        if d.line > len(starts) or d.end_line > len(starts):
            return None
        start = starts[d.line - 1] + d.column - 1
        end = starts[d.end_line - 1] + d.end_column - 1
        if text[start:end] != d.match:
            return None
        found.append((start, end, i))
    return found


def segments(length: int, marks: Sequence[tuple[int, int, int]]) -> Iterator[tuple[int, int, list[int]]]:
    """Split ``[0, length)`` at every span boundary: ``(start, end, indexes covering it)``."""
    bounds = sorted({0, length, *(s for s, _, _ in marks), *(e for _, e, _ in marks)})
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for s, e, i in marks:
        opening.setdefault(s, []).append(i)
        closing.setdefault(e, []).append(i)
    active: list[int] = []
    for a, b in pairwise(bounds):
        active = [i for i in active if i not in set(closing.get(a, ()))] + opening.get(a, [])
        yield a, b, sorted(active)


def marked_text(text: str, marks: Sequence[tuple[int, int, int]], diagnostics: Sequence[Diagnostic],
                prefix: str) -> str:
    """``text`` as HTML with each finding in ``<mark>`` elements linking to its list entry."""
    out: list[str] = []
    starting: dict[int, list[int]] = {}
    for s, _, i in marks:
        starting.setdefault(s, []).append(i)
    for a, b, covering in segments(len(text), marks):
        out += (f'<span id="{prefix}m{i}"></span>' for i in starting.get(a, ()))
        piece = esc(text[a:b])
        if not covering:
            out.append(piece)
            continue
        worst = max(diagnostics[i].severity for i in covering)
        overlap = " overlap" if len(covering) > 1 else ""
        title = esc("；".join(f"{diagnostics[i].code} {diagnostics[i].message}" for i in covering))
        ids = " ".join(str(i) for i in covering)
        out.append(f'<mark class="m sev-{worst.label}{overlap}" data-d="{ids}" title="{title}">'
                   f'<a href="#{prefix}d{covering[0]}">{piece}</a></mark>')
    return "".join(out)


def _excerpt_view(result: FileResult, prefix: str) -> str:
    """The lines that hold findings, each marked (when the full text is not available)."""
    rows = []
    for line, text in sorted(result.excerpts.items()):
        marks = [(d.column - 1, d.end_column - 1 if d.end_line == line else len(text), i)
                 for i, d in enumerate(result.diagnostics) if d.match and d.line == line]
        marks = [(s, min(e, len(text)), i) for s, e, i in marks if 0 <= s < len(text)]
        rows.append(f'<span class="muted">{line:>5} | </span>'
                    + marked_text(text, marks, result.diagnostics, prefix))
    return "\n".join(rows)


# --- the findings list ------------------------------------------------------------------------------


def _basis_html(rule: Rule | None, profile: str) -> str:
    if rule is None:
        return ""
    items = []
    for b in rule.basis_for(profile):
        title, url = esc(str(b.get("title", ""))), safe_url(str(b.get("url", "")))
        items.append(f'<a href="{esc(url)}" rel="noopener noreferrer">{title}</a>' if url else title)
    return f'<p class="basis">依据：{"；".join(items)}</p>' if items else ""


def _finding(d: Diagnostic, i: int, prefix: str, has_mark: bool, hint: str) -> str:
    loc = f"{d.line}:{d.column}" if d.match else "全文"
    loc_html = f'<a class="loc" href="#{prefix}m{i}">{loc}</a>' if has_mark else f'<span class="loc">{loc}</span>'
    match = f"<q>{esc(d.match)}</q> " if d.match else ""
    return (f'<li class="finding sev-{d.severity.label}" id="{prefix}d{i}" data-d="{i}">{loc_html}{match}'
            f'<span class="msg">{esc(d.message)}</span>'
            + (f'<p class="advice">{esc(hint)}</p>' if hint else "") + "</li>")


def findings_list(diagnostics: Sequence[Diagnostic], rules: RuleTable, profile: str, prefix: str,
                  marked: set[int], law: str) -> str:
    """Findings grouped by severity (worst first), then code; each code with its basis (in the
    run's ``profile``) and help (in ``law``, the profile the file was linted under)."""
    out = ['<div class="findings">']
    for severity in sorted(Severity, reverse=True):
        group = [(i, d) for i, d in enumerate(diagnostics) if d.severity == severity]
        if not group:
            continue
        out.append(f'<h3 class="sev-label sev-{severity.label}">{SEVERITY_NAMES[severity]} '
                   f'{severity.label} ({len(group)})</h3>')
        for code in sorted({d.code for _, d in group}):
            items = [(i, d) for i, d in group if d.code == code]
            rule = rules.get(code)
            out.append(f"<h4>{esc(code)} {esc(items[0][1].name)} ({len(items)})</h4>")
            out.append(_basis_html(rule, profile))
            out.append("<ol>" + "".join(_finding(d, i, prefix, i in marked, advice(d, rules, law))
                                        for i, d in items) + "</ol>")
            out.append(f'<details class="ruletext-box"><summary>规则说明</summary>'
                       f'<pre class="ruletext">{esc(rules.help(code, law))}</pre></details>')
    out.append("</div>")
    return "".join(out)


# --- the report -------------------------------------------------------------------------------------


def _file_section(n: int, result: FileResult, source: str | None, rules: RuleTable, profile: str) -> str:
    prefix = f"f{n}-"
    head = f'<section class="file" id="f{n}"><h2>{esc(result.path)}</h2>'
    if result.error is not None:
        return head + f'<p class="errors">{esc(result.error.kind)}: {esc(result.error.message)}</p></section>'
    notice = f'<p class="muted">{esc(result.notice)}</p>' if result.notice else ""
    diagnostics = result.diagnostics
    if not diagnostics:
        return head + notice + '<p class="muted">没有发现问题。</p></section>'
    found = spans(source, diagnostics) if source is not None and len(source) <= MAX_SOURCE_CHARS else None
    if found is not None and source is not None:
        body = marked_text(clean(source), found, diagnostics, prefix)
        marked = {i for _, _, i in found}
    else:
        body = _excerpt_view(result, prefix)
        marked = {i for i, d in enumerate(diagnostics) if d.match and d.line in result.excerpts}
    return (head + notice + '<div class="review">'
            + f'<pre class="draft">\n{body}</pre>'  # the newline after <pre> is dropped by parsers
            + findings_list(diagnostics, rules, profile, prefix, marked, file_profile(result, profile))
            + "</div></section>")


def _summary_tables(results: Sequence[FileResult]) -> str:
    rows = []
    for n, r in enumerate(results, 1):
        counts = Counter(d.severity for d in r.diagnostics)
        state = esc(r.error.kind) if r.error else ""
        rows.append(f'<tr><td><a href="#f{n}">{esc(r.path)}</a></td>' + "".join(
            f'<td class="num">{counts.get(s, 0)}</td>' for s in sorted(Severity, reverse=True))
            + f"<td>{state}</td></tr>")
    by_code = Counter((d.code, d.name, d.severity) for r in results for d in r.diagnostics)
    code_rows = [f'<tr><td>{esc(c)}</td><td>{esc(name)}</td><td class="sev-label sev-{s.label}">{s.label}</td>'
                 f'<td class="num">{n}</td></tr>' for (c, name, s), n in sorted(by_code.items())]
    files = ('<table class="summary"><thead><tr><th>文件</th><th>error</th><th>warning</th><th>info</th>'
             "<th></th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    codes = ('<table class="summary"><thead><tr><th>代码</th><th>名称</th><th>严重性</th><th>数量</th></tr>'
             "</thead><tbody>" + "".join(code_rows) + "</tbody></table>") if code_rows else ""
    return files + codes


def render(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> str:
    """The whole report; ``options.sources`` maps a result's path to the text it was linted from."""
    version, profile, fail_on, sources = options.version, options.profile, options.fail_on, options.sources
    rules = RuleTable.of(rules)
    failed = fails(results, fail_on)
    total = Counter(d.severity for r in results for d in r.diagnostics)
    summary = "，".join(f"{SEVERITY_NAMES[s]} {total.get(s, 0)}" for s in sorted(Severity, reverse=True))
    badge = (f'<span class="badge {"fail" if failed else "pass"}">{"未通过" if failed else "通过"}</span> '
             f'<span class="muted">fail-on {esc(fail_on)} · profile {esc(profile)} · {len(results)} 个文件 · '
             f"{summary}</span>")
    sections = [_file_section(n, r, sources.get(r.path), rules, profile) for n, r in enumerate(results, 1)]
    return ("<!DOCTYPE html>\n"
            '<html lang="zh"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>kepulint 报告</title><style>{stylesheet()}</style></head><body>"
            f'<header class="top"><h1>kepulint {esc(version)} 报告</h1>{badge}</header>'
            f"<main>{_summary_tables(results)}{''.join(sections)}</main></body></html>\n")


def read_sources(results: Sequence[FileResult], encoding: str | None = None) -> dict[str, str]:
    """The text of each linted file with findings, read again from disk (as the linter read it).
    A file that cannot be read now is left out (the report shows its lines with findings)."""
    from ..text.decode import InputError, read_file

    sources = {}
    for r in results:
        if r.error is None and r.diagnostics:
            try:
                sources[r.path] = read_file(Path(r.path), encoding=encoding)[0]
            except (InputError, OSError):
                continue
    return sources
