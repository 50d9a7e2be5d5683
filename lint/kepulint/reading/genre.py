"""The genre a draft earns from its own wording: promotional, kepu, news, notice or factcheck.

A text with a booking hook or an offered price in its own voice is promotional, whatever its
headline says (a scam cannot buy a fact-check's leniency with the word 辟谣). Otherwise each genre
is *weighed*, not matched first: a signal counts one, a strong one (the publisher speaking of
itself, 本中心 or 敝所; its own price list; a text declaring itself 科普) counts ``strong_weight``,
and a kind of sales wording (a buying guide, praise, a service described for its customer) counts
once however many of its words a text holds. Sales wording that a text quotes or holds at arm's
length (号称…首选) is not earned.

A text that mixes genres is decided by the weights: the critical genres (news, notice,
fact-check) win when together they reach ``critical_threshold`` and outweigh the explaining and
selling voice together (a news story that quotes an ad stays news: the ad's words are quoted or
reported and its hook is in a reported sentence, so they earn nothing); then the best of them
wins, the reporter before the fact-checker before the regulator on equal scores (a regulator's
own voice must outscore the reporter who relays it). Otherwise ``threshold`` promotional weight
makes the text promotional (a clinic page that explains a therapy with 什么是 and 如何 still sells
it), and a text that earns no genre is 科普. Cost and course words (费用, 疗程) are the publisher's
offer only in a promotional text that offers something: a hook, an offered price or its price
list (:attr:`Genre.offers`). The vocabulary is ``data/genre.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..text.document import Document
from ..text.normalize import fold_term
from ..text.wordscan import WordScan

GENRES = ("promotional", "kepu", "news", "notice", "factcheck")
CRITICAL = ("news", "factcheck", "notice")  # tie order: a regulator's voice must outscore the reporter's


@dataclass(frozen=True)
class Signals:
    """One genre's compiled vocabulary: literal words, regexes (on folded text), and strong words
    (the text declaring its genre: 科普, 小编) that weigh as the publisher's voice."""

    words: WordScan
    patterns: tuple[re.Pattern[str], ...]
    strong: WordScan | None = None

    @classmethod
    def of(cls, spec: dict[str, Any]) -> Signals:
        strong = spec.get("strong", [])
        return cls(WordScan(fold_term(t) for t in spec.get("terms", [])),
                   tuple(re.compile(p) for p in spec.get("patterns", [])),
                   WordScan(fold_term(t) for t in strong) if strong else None)

    def found(self, text: str) -> list[tuple[int, int, str]]:
        """The signals in ``text`` as (start, end, text): each distinct word once, each pattern once."""
        seen: dict[str, tuple[int, int, str]] = {}
        for hit in self.words.find(text):
            seen.setdefault(hit[2], hit)
        return sorted([*seen.values(), *((m.start(), m.end(), m.group()) for p in self.patterns
                                         if (m := p.search(text)))])

    def keys(self, text: str) -> frozenset[str]:
        """The distinct signals in ``text``: the words, ``/N`` for pattern N, ``@word`` for a strong word."""
        strong = {f"@{w}" for w in self.strong.distinct(text)} if self.strong else set()
        return self.words.distinct(text) | strong | {f"/{i}" for i, p in enumerate(self.patterns) if p.search(text)}


@dataclass(frozen=True)
class GenreVocabulary:
    threshold: int
    critical_threshold: int
    strong_weight: int  # what one strong signal counts (the publisher's voice 本中心, a text declaring itself 科普)
    hooks: Signals
    voice: WordScan
    kinds: dict[str, WordScan]  # kinds of sales wording: each kind found counts once (or its weight)
    kind_weights: dict[str, int]
    scored: dict[str, Signals]
    offer_words: WordScan  # a price worded as an offer (仅需, 低至, 特价…)


@lru_cache(maxsize=1)
def vocabulary() -> GenreVocabulary:
    from ..data import load_yaml

    data = load_yaml("genre.yaml")
    kinds = data["promotional"].get("kinds", {})
    scored = {"promotional": Signals.of(data["promotional"]["signals"])}
    scored.update({g: Signals.of(data[g]) for g in ("kepu", "news", "notice", "factcheck")})
    return GenreVocabulary(int(data["threshold"]), int(data["critical_threshold"]), int(data["strong_weight"]),
                           Signals.of(data["promotional"]["hooks"]),
                           WordScan(fold_term(t) for t in data["promotional"]["voice"]["terms"]),
                           {kind: WordScan(fold_term(t) for t in _terms(spec)) for kind, spec in kinds.items()},
                           {kind: int(spec.get("weight", 1)) for kind, spec in kinds.items() if isinstance(spec, dict)},
                           scored,
                           WordScan(fold_term(w) for w in data["promotional"].get("offer_words", [])))


def _terms(spec: list[str] | dict[str, Any]) -> list[str]:
    """A kind's words: a plain list, or ``{weight: n, terms: [...]}``."""
    return spec["terms"] if isinstance(spec, dict) else spec


@dataclass(frozen=True)
class Genre:
    """A document's genre, with what earned it (for the JSON report and for debugging)."""

    name: str
    scores: tuple[tuple[str, int], ...] = ()
    hook: str = ""  # the booking hook or offered price that made the text promotional
    price_list: bool = False  # a promotional text that lists its own prices (收费标准, 费用构成)

    @property
    def critical(self) -> bool:
        """News, notices and fact-checks report other people's claims."""
        return self.name in ("news", "notice", "factcheck")

    @property
    def offers(self) -> bool:
        """True when a promotional text offers something in its own voice (a booking hook, an
        offered price, its price list): only then are cost and course words (费用, 疗程) an offer."""
        return bool(self.hook) or self.price_list


@dataclass(frozen=True)
class Evidence:
    """What a text (or one chunk of a huge file) shows: the first booking hook or offered price in
    its own voice, and each genre's distinct signals. Chunks' evidence merges into the file's."""

    hook: str
    signals: tuple[tuple[str, frozenset[str]], ...]

    def merged(self, other: Evidence) -> Evidence:
        mine, theirs = dict(self.signals), dict(other.signals)
        union = {g: mine.get(g, frozenset()) | theirs.get(g, frozenset()) for g in {*mine, *theirs}}
        return Evidence(self.hook or other.hook, tuple(sorted(union.items())))


def genre_of(doc: Document) -> Genre:
    """The document's genre (computed once per document)."""
    return doc.memo("genre", lambda d: decide(evidence(d)))


def evidence(doc: Document) -> Evidence:
    """The genre evidence of one document."""
    from .voice import regulated, reported

    v = vocabulary()
    norm = doc.norm
    hook = ""
    for start, end, found in v.hooks.found(norm):
        # a booking call is judged in its clause (it stays the publisher's after a reported claim);
        # a price, in its sentence, unless its clause speaks as a seller (推销…，称…，每针收费2万元
        # is the pitch a report relays; 市面上价格混乱，本院每针仅需2万元 is an offer)
        clause = not _PRICE.search(found) or bool(v.offer_words.distinct(found)) or _sells(doc, v, start)
        if not (reported(doc, start, end, clause=clause) or regulated(doc, start, clause=clause) or _asked(doc, start)
                or (not clause and _critical_sentence(doc, v, start))):
            hook = found
            break
    keys = {name: signals.keys(norm) for name, signals in v.scored.items()}
    keys["promotional"] = _unquoted_keys(doc, v.scored["promotional"]) | _publisher_keys(doc, v) | _kind_keys(doc, v)
    return Evidence(hook, tuple(sorted(keys.items())))


def _own(doc: Document, start: int, end: int) -> bool:
    """True when the wording at [start, end) is the text's own: sales wording a text quotes
    (朋友「熟人推荐」的外泌体) or holds at arm's length (号称, 所谓) is someone else's."""
    from .voice import quoted, reported

    return not (quoted(doc, start, end) or reported(doc, start, end, distancing_only=True))


def _unquoted_keys(doc: Document, signals: Signals) -> frozenset[str]:
    """The distinct signals in the text's own voice (:func:`_own`)."""
    words = {w for s, e, w in signals.words.find(doc.norm) if _own(doc, s, e)}
    return frozenset(words) | {f"/{i}" for i, p in enumerate(signals.patterns) if p.search(doc.norm)}


def _publisher_keys(doc: Document, v: GenreVocabulary) -> frozenset[str]:
    """The publisher's own voice (:func:`_own`), as ``@word`` keys (they weigh more)."""
    return frozenset(f"@{w}" for s, e, w in v.voice.find(doc.norm) if _own(doc, s, e))


def _kind_keys(doc: Document, v: GenreVocabulary) -> frozenset[str]:
    """The kinds of sales wording in the text's own voice (:func:`_own`), as ``#kind`` keys (one each)."""
    return frozenset(f"#{kind}" for kind, words in v.kinds.items()
                     if any(_own(doc, s, e) for s, e, _ in words.find(doc.norm)))


def _score(keys: frozenset[str], v: GenreVocabulary) -> int:
    """A genre's score: one a signal, ``strong_weight`` a word of publisher voice, a kind's weight."""
    return sum(v.strong_weight if k.startswith("@") else v.kind_weights.get(k[1:], 1) if k.startswith("#") else 1
               for k in keys)


def decide(ev: Evidence) -> Genre:
    """The genre that the evidence earns."""
    if ev.hook:
        return Genre("promotional", hook=ev.hook)
    v = vocabulary()
    scores = {name: _score(keys, v) for name, keys in ev.signals}
    critical = sum(scores[g] for g in CRITICAL)
    if critical >= v.critical_threshold and critical > scores["promotional"] + scores["kepu"]:
        name = max(CRITICAL, key=lambda g: scores[g])  # max keeps the first of equal scores
    else:
        name = "promotional" if scores["promotional"] >= v.threshold else "kepu"
    price_list = name == "promotional" and f"#{PRICE_LIST}" in dict(ev.signals).get("promotional", ())
    return Genre(name, tuple(sorted(scores.items())), price_list=price_list)


PRICE_LIST = "price list"  # the kind of sales wording (genre.yaml) that lists the publisher's prices
_PRICE = re.compile(r"\d\s*万?元|\$\s*\d")  # a hook that is a price, not a booking call


def _sells(doc: Document, v: GenreVocabulary, pos: int) -> bool:
    """True when the clause at ``pos`` carries a promotional signal (本院, 我们的产品, 热卖…)."""
    from .voice import CLAUSE_BREAKS

    norm = doc.norm
    lo = max(norm.rfind(c, 0, pos) for c in CLAUSE_BREAKS) + 1
    ends = [i for c in CLAUSE_BREAKS if (i := norm.find(c, pos)) >= 0]
    return bool(v.scored["promotional"].words.distinct(norm[lo:min(ends, default=len(norm))]))


def _critical_sentence(doc: Document, v: GenreVocabulary, pos: int) -> bool:
    """True when the sentence at ``pos`` speaks as a reporter, regulator or fact-checker (记者调查发现,
    经查, 网传): a price in it is reported, not offered."""
    start, end = doc.sentence_at(pos)
    return any(v.scored[g].keys(doc.norm[start:end]) for g in CRITICAL)


def _asked(doc: Document, pos: int) -> bool:
    """True when the sentence at ``pos`` is a question (a price asked about is not offered)."""
    _, end = doc.sentence_at(pos)
    return doc.norm[:end].rstrip("”’」』) ").endswith(("?", "吗", "呢"))
