"""In-source suppressions: ``<!-- kepulint-disable CODE -- reason -->`` and friends.

Directives live in HTML comments. In Markdown and HTML they work anywhere; in plain text
only when the comment is alone on its line. Forms::

    <!-- kepulint-disable CLM002 -- 引用原文 -->  …  <!-- kepulint-enable CLM002 -->
    <!-- kepulint-disable-next-line CLM001 -- reason -->   (next non-blank line)
    <!-- kepulint-disable-line CLM001 -- reason -->        (its own line; alone: the next line)
    <!-- kepulint-disable-file META001 -- reason -->

Codes are separated by commas or spaces; a prefix (``CLM``) selects every code it
starts; no codes selects all codes. The reason follows ``--``, ``——`` or ``—``.
Suppressed diagnostics are kept, marked with a :class:`~kepulint.model.Suppression`.
Problems with the directives themselves become tool diagnostics: KPL001 (no reason;
the directive still applies), KPL002 (suppresses nothing, judged only for codes that
ran) and KPL003 (unknown code or directive). Tool codes (``KPL``) are suppressed only
by a line directive that names them; spans and all-code directives never hide them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace

from .advice import advise, help_for
from .document import Document
from .fixes import fixes_for
from .model import Diagnostic, Suppression
from .readers import is_html
from .rules import Rule

TOOL_PREFIX = "KPL"
MISSING_REASON = "KPL001"
UNUSED = "KPL002"
UNKNOWN = "KPL003"

DISABLE = "disable"
ENABLE = "enable"
NEXT_LINE = "disable-next-line"
SAME_LINE = "disable-line"
FILE = "disable-file"
KINDS = frozenset({DISABLE, ENABLE, NEXT_LINE, SAME_LINE, FILE})
LINE_KINDS = frozenset({NEXT_LINE, SAME_LINE})

_QUICK = re.compile(r"kepulint-", re.I)
_HEAD = re.compile(r"<!--\s*kepulint-([A-Za-z]+(?:-[A-Za-z]+)*)", re.I)
_REASON_SEP = re.compile(r"--|[\u2014\u2015]+")  # -- , —— (U+2014), ―― (U+2015)
_CODE_SPLIT = re.compile(r"[\s,，、;；]+")
_CODE_TOKEN = re.compile(r"[A-Z]+[0-9]*")


@dataclass
class SuppressionOutcome:
    """Diagnostics split by :func:`apply_suppressions`."""

    active: list[Diagnostic]
    suppressed: list[Diagnostic]  # copies with ``.suppression`` set
    tool: list[Diagnostic]  # active KPL001/2/3 diagnostics about the directives

    @property
    def reported(self) -> list[Diagnostic]:
        """Active rule diagnostics plus active tool diagnostics, sorted."""
        return sorted([*self.active, *self.tool], key=lambda d: d.sort_key)


@dataclass
class Directive:
    """One parsed ``kepulint-*`` comment."""

    kind: str
    selectors: tuple[str, ...] | None  # None = all codes; known selectors only
    reason: str
    text: str
    pos: tuple[int, int]  # (line, column) of the comment start
    end_pos: tuple[int, int]  # (line, column) just after the comment
    unknown: tuple[str, ...] = ()
    target: int = 0  # the line a line directive applies to (0 = none)
    used: set[str] = field(default_factory=set)  # selectors credited ("*" = all codes)
    span: tuple[int, int] = (0, 0)  # 0-based code-point offsets of the comment (for fixes)

    @property
    def line(self) -> int:
        return self.pos[0]

    def selector_for(self, code: str, *, line_level: bool) -> str | None:
        """The selector of this directive that covers ``code`` (``"*"`` for all), if any."""
        tool = code.startswith(TOOL_PREFIX)
        if self.selectors is None:
            return None if tool else "*"
        if tool and not line_level:
            return None
        for sel in self.selectors:
            if code.startswith(sel):
                return sel
        return None


def apply_suppressions(
    doc: Document,
    diagnostics: list[Diagnostic],
    *,
    known_codes: Collection[str],
    active_codes: Collection[str],
    rules: Mapping[str, Rule],
) -> SuppressionOutcome:
    """Split ``diagnostics`` into active and suppressed, and check the directives."""
    if _QUICK.search(doc.text) is None or not doc.masked.comments:
        return SuppressionOutcome(list(diagnostics), [], [])
    directives, problems = _parse_all(doc, tuple(known_codes))
    if not directives and not problems:
        return SuppressionOutcome(list(diagnostics), [], [])
    matcher = _Matcher(directives)
    active, suppressed = matcher.split(diagnostics)
    emit = _Emitter(doc, active_codes, rules)
    pending = [d for d in (emit.build(*p) for p in problems) if d is not None]
    tool_active, tool_suppressed = matcher.split(pending)
    unused = [d for d in map(emit.unused, directives) if d is not None]
    unused_active, unused_suppressed = matcher.split(unused)
    tool = sorted([*tool_active, *unused_active], key=lambda d: d.sort_key)
    suppressed = sorted([*suppressed, *tool_suppressed, *unused_suppressed], key=lambda d: d.sort_key)
    return SuppressionOutcome(active, suppressed, tool)


# -- parsing -------------------------------------------------------------------------


Problem = tuple[str, Directive, str]  # (tool code, directive, detail)


def _parse_all(doc: Document, known: tuple[str, ...]) -> tuple[list[Directive], list[Problem]]:
    """Parse every directive comment; return the directives and the problems found."""
    directives: list[Directive] = []
    problems: list[Problem] = []
    visible: _Visible | None = None
    for start, end, text in doc.masked.comments:
        inner = text.rfind("<!--")  # comments do not nest: a stray "<!--" before the
        if inner > 0:  # directive's own opener (even lines above it) is not part of it
            start, text = start + inner, text[inner:]
        head = _HEAD.match(text)
        if head is None or not text.endswith("-->"):
            continue
        alone = _alone_on_line(doc, start, end)
        if not (doc.markdown or is_html(doc.path)) and not alone:  # HTML: anywhere, as in Markdown
            continue
        kind = head.group(1).lower()
        lines = doc.lines
        d = Directive(kind, None, "", text, lines.position(start), lines.position(end), span=(start, end))
        if kind not in KINDS:
            problems.append((UNKNOWN, d, f"未知指令：kepulint-{head.group(1)}"))
            continue
        _fill(d, text[head.end() : -3], known)
        if d.unknown:
            problems.append((UNKNOWN, d, "未知：" + ", ".join(d.unknown)))
        if kind != ENABLE and not _has_reason(d.reason):
            problems.append((MISSING_REASON, d, ""))
        if kind == NEXT_LINE or (kind == SAME_LINE and alone):
            visible = visible or _Visible(doc)
            d.target = visible.next_line(d.end_pos[0])
        elif kind == SAME_LINE:
            d.target = d.line
        directives.append(d)
    return directives, problems


def _fill(d: Directive, body: str, known: tuple[str, ...]) -> None:
    """Split the body after the directive word into selectors and reason."""
    sep = _REASON_SEP.search(body)
    codes_part, d.reason = (body[: sep.start()], body[sep.end() :].strip()) if sep else (body, "")
    tokens = [t for t in _CODE_SPLIT.split(codes_part.strip()) if t]
    if not tokens:
        return
    good: list[str] = []
    bad: list[str] = []
    for token in tokens:
        sel = token.upper()
        if _CODE_TOKEN.fullmatch(sel) and any(code.startswith(sel) for code in known):
            good.append(sel)
        else:
            bad.append(token)
    d.selectors = tuple(dict.fromkeys(good))
    d.unknown = tuple(dict.fromkeys(bad))


def _has_reason(reason: str) -> bool:
    return any(ch.isalnum() for ch in reason)


def _alone_on_line(doc: Document, start: int, end: int) -> bool:
    lines = doc.lines
    first, _ = lines.line_span(lines.position(start)[0])
    _, last = lines.line_span(lines.position(max(end - 1, start))[0])
    return not doc.text[first:start].strip() and not doc.text[end:last].strip()


class _Visible:
    """Finds the next line with visible content (comments count as blank)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        chars = list(doc.text)
        for start, end, _ in doc.masked.comments:
            for i in range(start, end):
                if chars[i] not in "\r\n":
                    chars[i] = " "
        self.text = "".join(chars)

    def next_line(self, after: int) -> int:
        lines = self.doc.lines
        for line in range(after + 1, lines.line_count + 1):
            start, end = lines.line_span(line)
            if self.text[start:end].strip():
                return line
        return 0


# -- matching ------------------------------------------------------------------------


class _Matcher:
    """Decides which directive, if any, suppresses a diagnostic, and credits it."""

    def __init__(self, directives: list[Directive]) -> None:
        self.by_line: dict[int, list[Directive]] = {}
        self.blocks: list[Directive] = []
        self.files: list[Directive] = []
        for d in directives:
            if d.kind in LINE_KINDS:
                if d.target:
                    self.by_line.setdefault(d.target, []).append(d)
            elif d.kind == FILE:
                self.files.append(d)
            else:
                self.blocks.append(d)

    def split(self, diagnostics: Iterable[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
        diags = list(diagnostics)
        spans = self._span_hits(diags) if self.blocks else {}
        active: list[Diagnostic] = []
        suppressed: list[Diagnostic] = []
        for i, diag in enumerate(diags):
            hit = self._line_hit(diag) or spans.get(i) or self._file_hit(diag)
            if hit is None:
                active.append(diag)
                continue
            directive, selector = hit
            directive.used.add(selector)
            sup = Suppression(directive.kind, directive.reason, directive.line)
            suppressed.append(replace(diag, suppression=sup))
        return active, suppressed

    def _line_hit(self, diag: Diagnostic) -> tuple[Directive, str] | None:
        for line in range(diag.line, _last_line(diag) + 1):
            for d in self.by_line.get(line, ()):
                sel = d.selector_for(diag.code, line_level=True)
                if sel is not None:
                    return d, sel
        return None

    def _file_hit(self, diag: Diagnostic) -> tuple[Directive, str] | None:
        for d in self.files:
            sel = d.selector_for(diag.code, line_level=False)
            if sel is not None:
                return d, sel
        return None

    def _span_hits(self, diags: list[Diagnostic]) -> dict[int, tuple[Directive, str]]:
        """Innermost open ``disable`` for each diagnostic, in one sweep over positions."""
        hits: dict[int, tuple[Directive, str]] = {}
        open_: list[tuple[Directive, list[str]]] = []  # (disable, selectors re-enabled since)
        blocks = iter(self.blocks)
        pending = next(blocks, None)
        for i in sorted(range(len(diags)), key=lambda k: (diags[k].line, diags[k].column)):
            diag = diags[i]
            while pending is not None and pending.pos <= (diag.line, diag.column):
                _advance(open_, pending)
                pending = next(blocks, None)
            for directive, reenabled in reversed(open_):
                sel = directive.selector_for(diag.code, line_level=False)
                if sel is not None and not diag.code.startswith(tuple(reenabled)):
                    hits[i] = (directive, sel)
                    break
        return hits


def _advance(open_: list[tuple[Directive, list[str]]], directive: Directive) -> None:
    """Apply one ``disable`` or ``enable`` to the list of open disables."""
    if directive.kind == DISABLE:
        if directive.selectors != ():
            open_.append((directive, []))
        return
    if directive.selectors is None:
        open_.clear()
        return
    for _, reenabled in open_:
        reenabled.extend(directive.selectors)
    open_[:] = [(d, r) for d, r in open_ if not _fully_reenabled(d, r)]


def _fully_reenabled(disable: Directive, reenabled: list[str]) -> bool:
    """True when every code the disable covers has been enabled again."""
    if disable.selectors is None:
        return False
    return all(sel.startswith(tuple(reenabled)) for sel in disable.selectors)


def _last_line(diag: Diagnostic) -> int:
    """Last line a diagnostic covers (an end at column 1 belongs to the line before)."""
    last = diag.end_line - 1 if diag.end_line > diag.line and diag.end_column <= 1 else diag.end_line
    return max(diag.line, last)


# -- tool diagnostics ----------------------------------------------------------------


class _Emitter:
    """Builds KPL diagnostics for the codes that are active in this run."""

    def __init__(self, doc: Document, active_codes: Collection[str], rules: Mapping[str, Rule]) -> None:
        self.doc = doc
        self.active = set(active_codes)
        self.rules = rules

    def unused(self, d: Directive) -> Diagnostic | None:
        """KPL002 when a disable directive suppressed nothing it could have."""
        if d.kind == ENABLE:
            return None
        if d.selectors is None:
            ran = any(not c.startswith(TOOL_PREFIX) for c in self.active)
            return self.build(UNUSED, d, "") if ran and not d.used else None
        unused = [s for s in d.selectors if s not in d.used and any(c.startswith(s) for c in self.active)]
        if not unused:
            return None
        detail = "未用到：" + ", ".join(unused) if len(unused) < len(d.selectors) else ""
        return self.build(UNUSED, d, detail)

    def build(self, code: str, d: Directive, detail: str) -> Diagnostic | None:
        rule = self.rules.get(code)
        if rule is None or code not in self.active:
            return None
        message = rule.message_for(self.doc.profile).replace("{match}", d.text)
        if detail:
            message = f"{message}（{detail}）"
        norm = " ".join(d.text.split())
        return Diagnostic(
            path=self.doc.path,
            code=code,
            name=rule.name,
            severity=rule.severity,
            message=message,
            line=d.pos[0],
            column=d.pos[1],
            end_line=d.end_pos[0],
            end_column=d.end_pos[1],
            match=d.text,
            help=help_for(rule, self.doc.profile),
            fingerprint=hashlib.sha256(f"{code}\x1f{norm}\x1f".encode()).hexdigest()[:20],
            advice=advise(rule, self.doc.lines, *d.span, self.doc.profile),
            fixes=fixes_for(rule, self.doc.lines, *d.span, self.doc.profile),
        )
