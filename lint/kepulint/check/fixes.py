"""Fixes as data: the edits that resolve a finding, and how far they may be trusted.

- ``safe`` (``--fix``): cannot change what the article claims — DSC001 adds the profile's
  disclaimer at the end; KPL002 removes a directive that suppresses nothing.
- ``unsafe`` (``--unsafe-fixes``): changes the wording — 根治 → 控制病情 (CLM001/002/006
  rewrites, see advice.py), ADV001 deletes the sentence that holds a booking hook.
- ``display-only``: a placeholder an editor must fill (an as-of date for TRL002, a source
  for CIT001, a reason for KPL001); shown and offered in editors, never applied by the CLI.

Replacements are in the draft's script (a Traditional draft gets Traditional wording), titles
in the profile's, and inserted line breaks use the draft's line ending. Edit positions are 1-based lines and
code-point columns of the original file, like the diagnostic's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ..model import Edit, Fix
from ..rules.ruleset import Rule
from ..text.source import LineIndex
from ..text.wording import for_document, for_profile, is_traditional
from . import advice_data
from .advice import replacement_for

_SENTENCE_END = "。！？!?；;"
SENTENCE_REACH = 200  # a sentence deleted by ADV001's fix extends at most this far from the hook
_DIRECTIVE_END = re.compile(r"\s*-->")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def newline_of(text: str) -> str:
    """The draft's line ending: CRLF, CR or LF (the first one found; LF when there is none)."""
    m = re.search(r"\r\n|\r|\n", text)
    return m.group(0) if m else "\n"


def _edit(lines: LineIndex, start: int, end: int, replacement: str) -> Edit:
    line, column = lines.position(start)
    end_line, end_column = lines.position(end)
    return Edit(line, column, end_line, end_column, replacement)


def fixes_for(rule: Rule, lines: LineIndex, start: int, end: int, profile: str,
              memo: dict[tuple[str, str, str], tuple[str, int, str] | None] | None = None) -> tuple[Fix, ...]:
    """The fixes of ``rule``'s finding on ``lines.text[start:end]`` (original offsets). ``memo``
    (one dict per document) keeps each distinct match's rewrite, written once for all its findings."""
    code, text = rule.code, lines.text
    match = text[start:end]
    traditional = _traditional(lines)
    local = lambda s: for_document(s, profile, traditional)  # noqa: E731 — Simplified -> the draft's script
    if code == "DSC001":
        return (_disclaimer(text, lines, profile, local),)
    if code == "KPL002":
        return (_delete_directive(text, lines, start, end, profile),)
    if code == "ADV001" and match:
        return (_delete_sentence(text, lines, start, end, profile),)
    if code == "TRL002" and match:
        note = local("（截至 YYYY 年 MM 月）")
        title = f"{for_profile('插入截至日期', profile)}：{note}"
        return (Fix(title, "display-only", (_edit(lines, end, end, note),)),)
    if code == "CIT001" and match:
        note = local("（来源：作者/机构，期刊，年份）")
        return (Fix(f"{for_profile('插入出处', profile)}：{note}", "display-only", (_edit(lines, end, end, note),)),)
    if code == "KPL001" and match:
        m = _DIRECTIVE_END.search(match)
        if m:
            at = start + m.start()
            return (Fix(for_profile("写明理由", profile), "display-only", (_edit(lines, at, at, local(" -- 理由")),)),)
        return ()
    if match:
        key = (code, match, profile)
        rewrite = memo.get(key, False) if memo is not None else False
        if rewrite is False:
            rewrite = _rewrite(rule, match, profile, local)
            if memo is not None:
                memo[key] = rewrite
        if rewrite is not None:
            title, length, new = rewrite
            return (Fix(title, "unsafe", (_edit(lines, start, start + length, new),)),)
    return ()


def _rewrite(rule: Rule, match: str, profile: str, local: Callable[[str], str]) -> tuple[str, int, str] | None:
    """The title, replaced length and replacement of the rewrite of ``match``, or None."""
    found = replacement_for(rule, match)
    if found is None:
        return None
    old, new = found
    new = local(new)
    title = f"{for_profile('替换为', profile)}：{new}" if new else f"{for_profile('删除', profile)}“{old}”"
    return title, len(old), new


@lru_cache(maxsize=1)  # keyed by the document's LineIndex (its identity): fixes of one draft share it
def _traditional(lines: LineIndex) -> bool:
    """Whether the draft is written in Traditional characters (judged on its first 1,000)."""
    return is_traditional(lines.text[:1000])


def _disclaimer(text: str, lines: LineIndex, profile: str, local: object) -> Fix:
    """Append the profile's disclaimer as the last paragraph (safe: it claims nothing). Nothing
    already in the draft changes: it goes after the final line breaks, ending as the draft ends."""
    template = advice_data.DISCLAIMER.get(profile, advice_data.DISCLAIMER["cn"])
    sentence = local(template)  # type: ignore[operator]
    trailing = _LINE_BREAKS.findall(text[len(text.rstrip("\r\n")):])
    if not text.strip():
        insert = sentence + newline_of(text)
    elif not trailing:  # no final line break: a blank line before, none after, in the style of
        # the draft's last line break (a fix deleting the last line's text must not leave a CR
        # that an inserted LF would turn into CRLF)
        breaks = _LINE_BREAKS.findall(text)
        insert = (breaks[-1] if breaks else "\n") * 2 + sentence
    else:
        insert = (trailing[-1] if len(trailing) == 1 else "") + sentence + trailing[-1]
    return Fix(for_profile("加入免责声明", profile), "safe", (_edit(lines, len(text), len(text), insert),))


def _line_bounds(lines: LineIndex, start: int, end: int) -> tuple[int, int, int]:
    """The start of ``start``'s line, the end of ``end``'s line, and the end of its line break."""
    line_start = lines.line_span(lines.position(start)[0])[0]
    number = lines.position(end)[0]
    line_end = lines.line_span(number)[1]
    after = lines.starts[number] if number < lines.line_count else len(lines.text)
    return line_start, line_end, after


def _delete_directive(text: str, lines: LineIndex, start: int, end: int, profile: str) -> Fix:
    """Remove the directive, and its line when it stands alone there."""
    line_start, line_end, after = _line_bounds(lines, start, end)
    if not (text[line_start:start] + text[end:line_end]).strip():
        start, end = line_start, after
    return Fix(for_profile("删除多余的抑制指令", profile), "safe", (_edit(lines, start, end, ""),))


def _delete_sentence(text: str, lines: LineIndex, start: int, end: int, profile: str) -> Fix:
    """Delete the sentence holding the match (the whole line when the line is that sentence)."""
    line_start, line_end, after = _line_bounds(lines, start, end)
    s = start
    while s > line_start and text[s - 1] not in _SENTENCE_END and start - s < SENTENCE_REACH:
        s -= 1
    e = end
    while e < line_end and text[e] not in _SENTENCE_END and e - end < SENTENCE_REACH:
        e += 1
    if (s > line_start and text[s - 1] not in _SENTENCE_END) or (e < line_end and text[e] not in _SENTENCE_END):
        s, e = start, end  # no sentence end near the hook: delete the hook alone
    else:
        e = min(e + 1, line_end)
    if not (text[line_start:s] + text[e:line_end]).strip():
        s, e = line_start, after
    return Fix(for_profile("删除导流信息所在的句子", profile), "unsafe", (_edit(lines, s, e, ""),))
