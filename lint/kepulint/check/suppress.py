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
from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace

from ..model import Diagnostic, Suppression
from ..rules.ruleset import Rule
from ..text.document import Document
from ..text.readers import is_html
from .advice import advise
from .fixes import fixes_for

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
_NON_SPACE = re.compile(r"\S")  # what str.strip() keeps
_VISIBLE_RUN = re.compile(r"[^\s]+")  # one match per run of visible characters (a line may hold several)


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
    return _NON_SPACE.search(doc.text, first, start) is None and _NON_SPACE.search(doc.text, end, last) is None


class _Visible:
    """Finds the next line with visible content (comments count as blank)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        chars = list(doc.text)
        for start, end, _ in doc.masked.comments:
            for i in range(start, end):
                if chars[i] not in "\r\n":
                    chars[i] = " "
        text = "".join(chars)
        lines = doc.lines
        # the lines holding a visible character, found once (not one scan per directive)
        self.visible = sorted({lines.position(m.start())[0] for m in _VISIBLE_RUN.finditer(text)})

    def next_line(self, after: int) -> int:
        k = bisect_right(self.visible, after)
        return self.visible[k] if k < len(self.visible) else 0


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
        # answers per (line, code) and per code: thousands of directives on one line or for
        # the whole file are looked through once per code, not once per diagnostic
        self._line_memo: dict[tuple[int, str], tuple[Directive, str] | None] = {}
        self._file_memo: dict[str, tuple[Directive, str] | None] = {}

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
            if line not in self.by_line:
                continue
            key = (line, diag.code)
            if key not in self._line_memo:
                self._line_memo[key] = next(((d, sel) for d in self.by_line[line]
                                             if (sel := d.selector_for(diag.code, line_level=True)) is not None), None)
            hit = self._line_memo[key]
            if hit is not None:
                return hit
        return None

    def _file_hit(self, diag: Diagnostic) -> tuple[Directive, str] | None:
        if diag.code not in self._file_memo:
            self._file_memo[diag.code] = next(((d, sel) for d in self.files
                                               if (sel := d.selector_for(diag.code, line_level=False)) is not None),
                                              None)
        return self._file_memo[diag.code]

    def _span_hits(self, diags: list[Diagnostic]) -> dict[int, tuple[Directive, str]]:
        """Innermost open ``disable`` for each diagnostic, in one sweep over positions."""
        hits: dict[int, tuple[Directive, str]] = {}
        open_ = _OpenDisables()
        blocks = iter(self.blocks)
        pending = next(blocks, None)
        for i in sorted(range(len(diags)), key=lambda k: (diags[k].line, diags[k].column)):
            diag = diags[i]
            while pending is not None and pending.pos <= (diag.line, diag.column):
                open_.apply(pending)
                pending = next(blocks, None)
            hit = open_.innermost(diag.code)
            if hit is not None:
                hits[i] = hit
        return hits


@dataclass(eq=False)
class _Open:
    """A ``disable`` in force: when it was applied, and which of its selectors no ``enable``
    has covered yet (None: it names no codes, so only a bare ``enable`` closes it)."""

    directive: Directive
    time: int
    remaining: set[str] | None
    closed: bool = False


class _OpenDisables:
    """The ``disable`` directives in force during a sweep, indexed by selector.

    Answers what a list of open disables, each with the selectors re-enabled since it opened,
    would answer, without walking that list for every diagnostic and every ``enable``: a
    disable is found through the selectors that prefix a code; a code was re-enabled since a
    disable opened when the last ``enable`` naming a prefix of it came later (``time`` orders
    them); a disable closes when each of its selectors has been re-enabled (each is crossed
    off once) or at a bare ``enable``.
    """

    def __init__(self) -> None:
        self.clock = 0
        self.stacks: dict[str | None, list[_Open]] = {}  # selector (None: all codes) -> opens, oldest first
        self.waiting: dict[str, list[_Open]] = {}  # selector -> opens that still need it re-enabled
        self.enabled_at: dict[str, int] = {}  # selector of an enable -> when it last came
        self.every: list[_Open] = []

    def apply(self, directive: Directive) -> None:
        self.clock += 1
        sels = directive.selectors
        if directive.kind == DISABLE:
            if sels == ():
                return
            opened = _Open(directive, self.clock, None if sels is None else set(sels))
            self.every.append(opened)
            for key in (None,) if sels is None else sels:
                self.stacks.setdefault(key, []).append(opened)
            for sel in sels or ():
                self.waiting.setdefault(sel, []).append(opened)
            return
        if sels is None:  # a bare enable closes every disable
            for opened in self.every:
                opened.closed = True
            self.every, self.stacks, self.waiting = [], {}, {}
            return
        for sel in sels:
            self.enabled_at[sel] = self.clock
            for key in [k for k in self.waiting if k.startswith(sel)]:
                for opened in self.waiting.pop(key):
                    assert opened.remaining is not None
                    opened.remaining.discard(key)
                    if not opened.remaining:
                        opened.closed = True

    def innermost(self, code: str) -> tuple[Directive, str] | None:
        """The latest open disable covering ``code`` with its selector, unless ``code`` was
        re-enabled since it opened (then every older one was re-enabled too)."""
        if code.startswith(TOOL_PREFIX):  # spans never hide tool diagnostics
            return None
        best: _Open | None = None
        last_enable = 0
        for key in (None, *(code[:k] for k in range(1, len(code) + 1))):
            if key is not None:
                last_enable = max(last_enable, self.enabled_at.get(key, 0))
            stack = self.stacks.get(key)
            while stack and stack[-1].closed:
                stack.pop()
            if stack and (best is None or stack[-1].time > best.time):
                best = stack[-1]
        if best is None or last_enable > best.time:
            return None
        selector = best.directive.selector_for(code, line_level=False)
        return None if selector is None else (best.directive, selector)


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
            fingerprint=hashlib.sha256(f"{code}\x1f{norm}\x1f".encode()).hexdigest()[:20],
            advice=advise(rule, self.doc.lines, *d.span, self.doc.profile),
            fixes=fixes_for(rule, self.doc.lines, *d.span, self.doc.profile),
        )
