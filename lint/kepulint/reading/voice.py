"""Sentence voice and page furniture: whose claim a span is, and whether it is prose at all.

- *Reported*: the span is someone else's claim, quoted or attributed (号称, 宣称, 业者, 医师表示：…).
  In a news report, notice or fact-check that is not the article's claim; in 科普 only a distancing
  cue (号称, 所谓, 迷信…) makes it someone else's; a promotional text owns what it quotes.
- *Genre*: a notice or a fact-check names claims to condemn them, a news report relays numbers and
  sources; the codes their own voice can still break are listed per genre (:func:`silenced`).
- *Offered*: a commerce word (疗程, 费用, 价格) counts for EVD003 only when a promotional text
  offers the therapy in its own voice, not when a charge is reported, regulated or condemned.
- *Furniture*: view counters, share prompts, bylines, navigation and "来源:" lines are not prose.

The vocabulary is ``data/voice.yaml``. Positions are offsets into ``Document.norm``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..text.document import Document
from ..text.normalize import fold_term
from ..text.wordscan import WordScan, within


def _alternation(words: list[str]) -> re.Pattern[str]:
    ordered = sorted({fold_term(w) for w in words}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered))


@dataclass(frozen=True)
class Unasserted:
    """A construction that names a claim without asserting it (``unasserted`` in voice.yaml)."""

    name: str
    pattern: re.Pattern[str]
    after: bool  # True: the pattern follows the span; False: the span lies inside a match
    promotional: bool  # False: a promotional text's own claims are not affected

    def covers(self, doc: Document, start: int, end: int, lo: int, hi: int) -> bool:
        """True when the construction holds the span [start, end), read within [lo, hi)."""
        norm = doc.norm
        if self.after:
            return self.pattern.match(norm, end, hi) is not None
        index = doc.matches(self.pattern)
        if index.full_scan(lo, hi):  # the window's matches are the document's: one bisect, no rescan
            k = bisect_right(index.starts, start) - 1
            return k >= 0 and index.starts[k] >= lo and end <= index.ends[k] <= hi
        return any(m.start() <= start and end <= m.end() for m in self.pattern.finditer(norm, lo, hi))


@dataclass(frozen=True)
class VoiceVocabulary:
    reported: WordScan
    distancing: frozenset[str]
    speech: re.Pattern[str]
    quotes: tuple[tuple[str, str], ...]
    continuation: re.Pattern[str] | None
    regulated: WordScan
    furniture: re.Pattern[str]  # the line patterns as one alternation (one search per line)
    genre_codes: dict[str, frozenset[str]]
    unasserted: tuple[Unasserted, ...] = ()


@lru_cache(maxsize=1)
def vocabulary() -> VoiceVocabulary:
    from ..data import load_yaml

    data = load_yaml("voice.yaml")
    return VoiceVocabulary(
        reported=WordScan(fold_term(w) for w in data["reported"]["distancing"] + data["reported"]["attribution"]),
        distancing=frozenset(fold_term(w) for w in data["reported"]["distancing"]),
        speech=re.compile(data["reported"]["speech"]),
        quotes=tuple((q[0], q[1]) for q in data["reported"]["quotes"]),
        continuation=re.compile(data["reported"]["continuation"]) if data["reported"].get("continuation") else None,
        regulated=WordScan(fold_term(w) for w in data["regulated"]["cues"]),
        furniture=re.compile("|".join(f"(?:{p})" for p in data["furniture"]["line_patterns"])),
        genre_codes={genre: frozenset(codes) for genre, codes in data["genre_codes"].items()},
        unasserted=tuple(Unasserted(u["name"], re.compile(u.get("after") or u["inside"]), "after" in u,
                                    bool(u.get("promotional", True))) for u in data.get("unasserted", [])),
    )


CLAUSE_BREAKS = ",，;；:：。!?！？\n"


def reported(doc: Document, start: int, end: int, *, distancing_only: bool = False,
             clause: bool = False) -> str | None:
    """Why the span is someone else's claim (the cue, "speech" or "quoted"), or None; with
    ``distancing_only``, only a cue that keeps the claim at arm's length (号称, 所谓, 迷信…) counts;
    with ``clause``, only cues in the span's own clause (a booking call after a reported claim is
    still the publisher's)."""
    v = vocabulary()
    norm = doc.norm
    sent_start, sent_end = doc.sentence_at(start)
    if clause:
        sent_start = max(sent_start, *(norm.rfind(c, sent_start, start) + 1 for c in CLAUSE_BREAKS))
    else:
        sent_start = _frame_start(doc, sent_start)
    cue = None
    for _s, _e, word in within(_cues(doc, "reported", v.reported), sent_start, start):
        if not distancing_only or word in v.distancing:
            cue = word
    if cue:
        return cue
    if _scare_quoted(norm, v.quotes, start, end):
        return "scare quotes"
    if distancing_only:
        return None
    # the speaker may be the span itself (专家表示：…, a vague source in a news report is reported speech)
    if v.speech.search(norm, sent_start, min(end + 2, sent_end)):
        return "speech"
    if _quoted(norm, v.quotes, _line_start(norm, sent_start), start, end, sent_end):
        return "quoted"
    if not clause and _continues_pitch(doc, v, sent_start):
        return "continued pitch"
    return None


def _continues_pitch(doc: Document, v: VoiceVocabulary, sent_start: int) -> bool:
    """True when the sentence at ``sent_start`` has no subject of its own (it opens with 注射后,
    只要, 可以…) and the sentence before it, on the same line, carries a distancing cue."""
    norm = doc.norm
    if v.continuation is None or sent_start == 0 or norm[sent_start - 1] == "\n":
        return False
    if not v.continuation.match(norm, sent_start):
        return False
    prev_start, _end = doc.sentence_at(sent_start - 1)
    cues = within(_cues(doc, "reported", v.reported), prev_start, sent_start)
    return any(word in v.distancing for _s, _e, word in cues)


SEMICOLON_FRAME = 2  # sentences joined by semicolons that one reporting cue may frame


def _frame_start(doc: Document, sent_start: int) -> int:
    """Where the reporting frame of a sentence starts: clauses joined by semicolons share one
    (自称能做干细胞的多如牛毛；疗效从抗衰到抗癌，包治百病), up to :data:`SEMICOLON_FRAME` back."""
    for _ in range(SEMICOLON_FRAME):
        if sent_start == 0:
            break
        prev_start, _end = doc.sentence_at(sent_start - 1)
        if not doc.norm[prev_start:sent_start].rstrip().endswith((";", "；")):
            break
        sent_start = prev_start
    return sent_start


def quoted(doc: Document, start: int, end: int) -> bool:
    """True when [start, end) stands inside quotation marks on its line."""
    norm = doc.norm
    sent_start, sent_end = doc.sentence_at(start)
    return _quoted(norm, vocabulary().quotes, _line_start(norm, sent_start), start, end, sent_end)


SCARE_QUOTE_SLACK = 4  # characters a scare-quoted term may carry besides the matched word (降糖神药)


def _scare_quoted(norm: str, quotes: tuple[tuple[str, str], ...], start: int, end: int) -> bool:
    """True when the span is a short term in quotation marks (这款“神药”, 「萬能細胞」): the writer
    keeps the word at arm's length instead of using it."""
    for open_q, close_q in quotes:
        if open_q == close_q:
            continue
        left = norm.rfind(open_q, max(0, start - SCARE_QUOTE_SLACK - 1), start)
        if left < 0 or norm.find(close_q, left + 1, start) >= 0:
            continue
        right = norm.find(close_q, end, end + SCARE_QUOTE_SLACK + 1)
        if right >= 0 and (right - left - 1) - (end - start) <= SCARE_QUOTE_SLACK:
            return True
    return False


def _line_start(norm: str, pos: int) -> int:
    return norm.rfind("\n", 0, pos) + 1


def _quoted(norm: str, quotes: tuple[tuple[str, str], ...], lo: int, start: int, end: int, hi: int) -> bool:
    """True when [start, end) stands between an opening and a closing quotation mark.

    A quotation may run over several sentences of one line: the opening mark is looked for
    from the line's start, the closing one up to the end of the span's sentence.
    """
    for open_q, close_q in quotes:
        left = norm.rfind(open_q, lo, start)
        if left < 0:
            continue
        if open_q == close_q:
            if norm.count(open_q, lo, start) % 2 == 0:
                continue
        elif norm.rfind(close_q, left + 1, start) >= 0:
            continue
        line_end = norm.find("\n", end)
        if norm.find(close_q, end, max(hi, line_end if line_end >= 0 else len(norm))) >= 0:
            return True
    return False


UNASSERTED_REACH = 160  # characters read on each side of a span (the longest construction is ~130)


def unasserted(doc: Document, start: int, end: int, *, promotional: bool) -> str | None:
    """The construction of the span's sentence that names the claim without asserting it
    (an alternative question, a refuted reading, what is lacking or sought…), or None."""
    sent_start, sent_end = doc.sentence_at(start)
    # the constructions are short: read only near the span (a sentence may be a whole hostile line)
    lo, hi = max(sent_start, start - UNASSERTED_REACH), min(sent_end, end + UNASSERTED_REACH)
    for u in vocabulary().unasserted:
        if (u.promotional or not promotional) and u.covers(doc, start, end, lo, hi):
            return u.name
    return None


def regulated(doc: Document, start: int, *, clause: bool = False) -> str | None:
    """A cue in the span's sentence (or only its clause) saying a charge is regulated or
    condemned, or None."""
    norm = doc.norm
    sent_start, sent_end = doc.sentence_at(start)
    if clause:
        sent_start = max(sent_start, *(norm.rfind(c, sent_start, start) + 1 for c in CLAUSE_BREAKS))
        ends = [i for c in CLAUSE_BREAKS if (i := norm.find(c, start, sent_end)) >= 0]
        sent_end = min(ends, default=sent_end)
    found = within(_cues(doc, "regulated", vocabulary().regulated), sent_start, sent_end)
    return found[0][2] if found else None


def _cues(doc: Document, name: str, words: WordScan) -> list[tuple[int, int, str]]:
    """Where a vocabulary's words stand in the document (found once per document)."""
    return doc.memo(f"voice-{name}", lambda d: words.find(d.norm))


def furniture_lines(doc: Document) -> list[tuple[int, int]]:
    """Folded (start, end) spans of the lines that are page furniture (computed once)."""
    def build(d: Document) -> list[tuple[int, int]]:
        out, pos = [], 0
        furniture = vocabulary().furniture
        for line in d.norm.split("\n"):
            if len(line) <= 80:
                stripped = line.strip()
                if stripped and furniture.search(stripped):
                    out.append((pos, pos + len(line)))
            pos += len(line) + 1
        return out

    return doc.memo("furniture", build)


def in_furniture(doc: Document, pos: int) -> bool:
    spans = furniture_lines(doc)
    i = bisect_right(spans, (pos, 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


@dataclass(frozen=True)
class Offer:
    """The commerce words of a rule (``offer_only`` params): they count only when offered."""

    words: re.Pattern[str] | None
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, spec: Mapping[str, Any] | None) -> Offer | None:
        if not spec:
            return None
        terms = [*spec.get("terms", []), *spec.get("terms_traditional", [])]
        words = re.compile("(?:" + _alternation(terms).pattern + r")\Z") if terms else None
        return cls(words, tuple(re.compile(p) for p in spec.get("patterns", [])))

    def covers(self, matched: str) -> bool:
        if self.words and self.words.match(matched):
            return True
        return any(p.search(matched) for p in self.patterns)


def silenced(doc: Document, start: int, end: int, opts: Mapping[str, Any], offer: Offer | None,
             code: str, genre_of: Callable[[Document], Any]) -> str | None:
    """Why genre, voice or page structure silence a candidate of rule ``code`` at [start, end), or None.

    ``opts`` are the rule's context options (``furniture``, ``reported``: suppress | ignore);
    ``genre_of`` gives the document's genre (:func:`kepulint.reading.genre.genre_of`, passed in
    by the kinds: genre.py reads voice cues, so voice.py does not import it), asked only when needed.
    """
    if opts.get("furniture") == "suppress" and in_furniture(doc, start):
        return "page furniture"
    suppress_reported = opts.get("reported") == "suppress"
    if not suppress_reported and offer is None:
        return None
    genre = genre_of(doc)
    if suppress_reported:
        why = unasserted(doc, start, end, promotional=genre.name == "promotional")
        if why:
            return f"named, not asserted ({why})"
        allowed = vocabulary().genre_codes.get(genre.name)
        if allowed is not None and code not in allowed:
            return f"a {genre.name} text does not make {code} claims in its own voice"
    if offer is not None and offer.covers(doc.norm[start:end]):
        if not genre.offers:
            return f"commerce word in a {genre.name} text that offers nothing: not offered by the publisher"
        why = reported(doc, start, end) or regulated(doc, start)
        if why:
            return f"commerce word reported or regulated ({why})"
    if suppress_reported and genre.name != "promotional":
        why = reported(doc, start, end, distancing_only=not genre.critical)
        if why:
            return f"reported claim ({why}) in a {genre.name} text"
    return None
