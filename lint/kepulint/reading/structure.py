"""Page structure the rules need: headings and the sections under them, and where the
references list ends.

- A table row or a list item is judged with its heading's subject (外泌體療程介紹 → 適用對象：
  慢性疲勞): :func:`heading_above` finds the heading a line stands under.
- The references section ends where its list ends: a disclaimer, a booking hook or a new
  paragraph after the list is prose again (:func:`references_end`).

Positions are offsets into ``Document.norm``; lines end at LF (the folded view).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..text.document import Document
from ..text.markup import URL_FILL
from ..text.matchindex import indexable

HEADING_MAX = 40  # a plain-text heading is one short line
SECTION_LINES = 25  # a heading governs at most this many lines below it
_CLOSING = re.compile(r"[。.!?;…:：,，、”’」』)\]]$")
_INNER = re.compile(r"[,，;；。]")  # a line broken out of a sentence, not a heading
_LIST_OR_ROW = re.compile(r"^\s*(?:[-*+•·]\s|\d{1,2}[.)、]\s?|[（(]\d{1,2}[)）]|\|)")
# a line of a reference list: a number or bullet, a URL (masked by markup.py), a DOI or PMID, a year,
# "et al.", a title in 《》
_REFERENCE = re.compile(
    rf"{URL_FILL}|^\s*(?:\[\^?\d{1,3}\]|【\d{1,3}】|\d{1,3}[.)、]|[-*•]\s)"
    r"|https?://|doi|pmid|et al|(?<!\d)(?:19|20)\d{2}(?!\d)|《[^》]+》|\b[A-Z][a-z]+ [A-Z]{1,2}[,.]",
    re.IGNORECASE,
)

_CJK = re.compile(r"[\u3400-\u9fff]")


def _line_starts(doc: Document) -> list[int]:
    def build(d: Document) -> list[int]:
        starts = [0]
        pos = d.norm.find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = d.norm.find("\n", pos + 1)
        return starts

    return doc.memo("structure-line-starts", build)


def _line(doc: Document, index: int) -> tuple[int, int]:
    starts = _line_starts(doc)
    lo = starts[index]
    hi = starts[index + 1] - 1 if index + 1 < len(starts) else len(doc.norm)
    return lo, hi


def is_heading(doc: Document, lo: int, hi: int) -> bool:
    """A Markdown heading, or a short plain line with no closing punctuation that is no list
    item or table row (外泌體療程介紹, 【幹細胞治療】…全解析)."""
    text = doc.norm[lo:hi].strip()
    if not text:
        return False
    if text.startswith("#"):
        return True
    if doc.markdown:
        return False
    return (len(text) <= HEADING_MAX and not _CLOSING.search(text) and not _INNER.search(text)
            and not _LIST_OR_ROW.match(text))


def heading_above(doc: Document, pos: int) -> tuple[int, int] | None:
    """The heading line that the line holding ``pos`` stands under (not that line itself), or
    None when there is none within :data:`SECTION_LINES` lines."""
    starts = _line_starts(doc)
    index = bisect_right(starts, pos) - 1
    for j in range(index - 1, max(index - SECTION_LINES, 0) - 1, -1):
        lo, hi = _line(doc, j)
        if is_heading(doc, lo, hi):
            return lo, hi
    return None


def references_end(doc: Document, start: int) -> int:
    """Where the references section that starts at ``start`` ends: after its heading, the run of
    reference lines (blank lines allowed inside) stops at the first other line of prose."""
    norm = doc.norm
    if start >= len(norm):
        return len(norm)
    starts = _line_starts(doc)
    index = bisect_right(starts, start) - 1
    seen_entry = False
    for j in range(index + 1, len(starts)):
        lo, hi = _line(doc, j)
        text = norm[lo:hi].strip()
        if not text:
            continue
        if _REFERENCE.search(text) or not _CJK.search(text):  # a wrapped English title goes on
            seen_entry = True
            continue
        if seen_entry:
            return lo
    return len(norm)


# a clause that frames what follows instead of asserting something: 在小鼠模型中, 动物实验显示,
# 对于STZ大鼠而言, 体外研究发现 (it ends in a locative, temporal or reporting word)
_FRAME_END = re.compile(r"(?:中|里|内|上|后|时|下|而言|来看|显示|表明|发现|证实|提示|观察到)$")


def framing_clause_cue(doc: Document, clause_start: int, cues: re.Pattern[str], breaks: str) -> str | None:
    """A cue (e.g. an animal model) in a framing clause of the same sentence before
    ``clause_start``, or None; clauses that assert something of their own do not count.

    The answer for a clause is the nearest earlier framing clause's cue, so it is the answer for
    the clause before unless that one frames: each clause is read once per document (a memo by
    clause end), and a sentence of thousands of clauses costs one walk, not one per hit. The
    clause a query starts in (cut by a contrast word, not a break, it has no memo) is bounded by
    bisect in the break positions and searched in the cue index: no hit rescans its sentence."""
    found: dict[int, str | None] = doc.memo("framing-clause-cue", lambda d: {}).setdefault((cues, breaks), {})
    sent_start, _ = doc.sentence_at(clause_start)
    norm = doc.norm
    stops = _break_positions(doc, breaks)
    cue_at = doc.matches(cues) if indexable(cues) else None
    strip = breaks + " "
    walked: list[tuple[int, str | None]] = []  # (clause end, its cue when it frames), nearest first
    answer: str | None = None
    hi = clause_start
    while True:
        while hi > sent_start and norm[hi - 1] in strip:
            hi -= 1
        if hi <= sent_start:
            break
        if hi in found:
            answer = found[hi]
            break
        k = bisect_right(stops, hi - 1) - 1  # the last break before the clause's end, by bisect
        lo = max(sent_start, stops[k] + 1 if k >= 0 else sent_start)
        if cue_at is not None:
            m = cue_at.first(lo, hi)
            cue = m[2] if m else None
        else:
            found_cue = cues.search(norm[lo:hi])
            cue = found_cue.group() if found_cue else None
        frames = cue is not None and _FRAME_END.search(norm, max(lo, hi - 3), hi) is not None
        walked.append((hi, cue if frames else None))
        hi = lo
    for end, cue in reversed(walked):  # from the farthest clause to the nearest
        if cue is not None:
            answer = cue
        found[end] = answer
    return answer


def _break_positions(doc: Document, breaks: str) -> list[int]:
    """Offsets of every clause-break character in the document, ascending (one scan per set)."""
    table: dict[str, list[int]] = doc.memo("clause-break-positions", lambda d: {})
    if breaks not in table:
        table[breaks] = [m.start() for m in re.finditer(f"[{re.escape(breaks)}]", doc.norm)]
    return table[breaks]


_HUMANS = re.compile(r"人类|人体|患者|病人|病患|病友|临床|受试者|人们|民众|成人|儿童|老人")


def names_humans(doc: Document, lo: int, hi: int) -> bool:
    """True when the clause ``doc.norm[lo:hi]`` brings in human participants (人类, 患者, 临床…)
    of its own (found by bisect in the document's matches: no rescan per hit)."""
    return doc.matches(_HUMANS).first(lo, hi) is not None
