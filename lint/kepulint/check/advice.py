"""Advice written for one finding: its match, its context and the profile.

What goes into it, most specific first: a rewrite of the matched phrase (the rule's own
``suggestions:`` and ``advice_data.REWRITES``), the disease, therapy or animal
model named in the sentence (else its paragraph, else the title), and the rule's template;
the first item of the help's 怎么改 section when the rule has no template. Advice is
written in Simplified Chinese and shown in the profile's script and wording (wording.py).
Help texts follow the profile too (:func:`help_for`: 为什么 names the jurisdiction's law).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from ..rules.ruleset import Rule
from ..text.matchindex import MatchIndex
from ..text.normalize import fold_chars
from ..text.source import LineIndex
from ..text.wording import for_profile
from . import advice_data as data

JURISDICTIONS = {"cn": "中国大陆", "tw": "台湾", "hk": "香港"}
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_NON_BLANK = re.compile(r"\S")
REACH = 300  # characters read on each side of a match for its context


@dataclass(frozen=True)
class Context:
    """What the text around a match names (folded, Simplified)."""

    disease: str = ""
    therapy: str = ""
    animal: str = ""

    @property
    def fields(self) -> dict[str, str]:
        return {
            "disease": self.disease or "该病",
            "patients": f"{self.disease}患者" if self.disease else "患者",
            "therapy": self.therapy or "该疗法",
            "animal": self.animal or "动物或体外实验",
            "topic": f"{self.disease}" if self.disease else "",
            "trial": f"{self.therapy or '该疗法'}治疗{self.disease}的试验" if self.disease
            else f"该{self.therapy or '疗法'}试验",
        }


@lru_cache(maxsize=1)
def _names() -> dict[str, re.Pattern[str]]:
    """Per category (diseases, therapies, animals), one regex: leftmost name, longest first."""
    lists = {"diseases": data.DISEASES, "therapies": data.THERAPIES, "animals": data.ANIMALS}
    return {key: re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
            for key, names in lists.items()}


def _first_named(texts: list[str], pattern: re.Pattern[str]) -> str:
    for text in texts:
        m = pattern.search(text)
        if m:
            return m.group()
    return ""


class Names:
    """One document folded once (same offsets as its text: ``norm``, the linted view, when it
    has them) and its title. Names near a match are searched span by span; once a document has
    many findings for its size (thousands of one claim on a line), where the names and sentence
    ends stand is indexed instead (:class:`~kepulint.text.matchindex.MatchIndex`), and each
    finding is answered by bisect: the same names either way."""

    def __init__(self, lines: LineIndex, norm: str = "") -> None:
        self.lines = lines
        folded = norm if len(norm) == len(lines.text) else fold_chars(lines.text)
        title = next((folded[a:b] for a, b in (lines.line_span(i) for i in range(1, min(lines.line_count, 20) + 1))
                      if folded[a:b].strip() and not folded[a:b].startswith("---")), "")
        self.folded, self.title = folded, title[:200]
        self.in_title = {key: _first_named([self.title], pattern) for key, pattern in _names().items()}
        self.title_context = Context(self.in_title["diseases"], self.in_title["therapies"], self.in_title["animals"])
        self.calls = 0
        self._indexed = False

    def dense(self) -> bool:
        """Whether findings are many for the text's size (then the indexes pay for themselves)."""
        self.calls += 1
        if not self._indexed and self.calls > max(DENSE_FINDINGS, len(self.folded) // DENSE_SPACING):
            folded = self.folded
            self.sentence_ends = MatchIndex(_SENTENCE_END, folded)
            self.indexes = {key: MatchIndex(pattern, folded) for key, pattern in _names().items()}
            # where the full scans are usable, the (start, end) lists of every category's names
            self._scans = [(index.starts, index.ends) for index in self.indexes.values() if index.full_scan(0, 0)]
            self._all_scanned = len(self._scans) == len(self.indexes)
            self._indexed = True
        return self._indexed

    def none_near(self, lo: int, hi: int) -> bool:
        """True when no name of any category can be found in any span within ``lo:hi``."""
        if not self._all_scanned:
            return False
        for starts, ends in self._scans:
            k = bisect_right(ends, lo)
            if k < len(starts) and starts[k] < hi:
                return False
        return True

    def none_in(self, key: str, lo: int, hi: int) -> bool:
        """True when no name of category ``key`` can be found in any span within ``lo:hi``."""
        index = self.indexes[key]
        if not index.full_scan(0, 0):  # not indexable: no shortcut
            return False
        k = bisect_right(index.ends, lo)  # a name a search in lo:hi finds overlaps a full-scan name
        return k == len(index.starts) or index.starts[k] >= hi

    def first(self, key: str, spans: list[tuple[int, int]]) -> str:
        """The first name of category ``key`` in the first of ``spans`` that has one, else in the title."""
        index = self.indexes[key]
        if self.none_in(key, min(a for a, _ in spans), max(b for _, b in spans)):
            return self.in_title[key]
        for a, b in spans:
            m = index.first(a, b)
            if m:
                return m[2]
        return self.in_title[key]


DENSE_FINDINGS = 64  # findings of a document answered by searching before its names are indexed…
DENSE_SPACING = 100  # …and one per this many characters (ten times a normal draft's density)


@lru_cache(maxsize=1)  # keyed by the document's LineIndex (its identity) and folded text
def names_of(lines: LineIndex, norm: str = "") -> Names:
    """The :class:`Names` of the document with ``lines`` (built once per document)."""
    return Names(lines, norm)


def _blank(lines: LineIndex, number: int) -> bool:
    start, end = lines.line_span(number)
    return _NON_BLANK.search(lines.text, start, end) is None


def context_of(lines: LineIndex, start: int, end: int, norm: str = "") -> Context:
    """The disease, therapy and animal model named near ``text[start:end]``: in its sentence,
    else its line, else its paragraph (up to three lines each way, to a blank line), else the title.
    Each is read at most :data:`REACH` characters either side of the match (a draft may be one line)."""
    names = names_of(lines, norm)
    indexed = names.dense()
    if indexed and names.none_near(start - 2 * REACH, end + 2 * REACH):  # every span below lies in there
        return names.title_context
    number, _ = lines.position(start)
    line_start, line_end = lines.line_span(number)
    near_start, near_end = max(line_start, start - REACH), min(line_end, end + REACH)
    if indexed:
        last_end = names.sentence_ends.last(near_start, max(near_start, start))
        cut = last_end[1] if last_end else None
        found = names.sentence_ends.first(max(near_start, end), near_end)
        nxt = found[1] if found else None
    else:
        ends = [m.end() for m in _SENTENCE_END.finditer(names.folded, near_start, max(near_start, start))]
        cut = ends[-1] if ends else None
        after = _SENTENCE_END.search(names.folded, max(near_start, end), near_end)
        nxt = after.end() if after else None
    first = last = number
    while first > 1 and number - first < 3 and not _blank(lines, first - 1):
        first -= 1
    while last < lines.line_count and last - number < 3 and not _blank(lines, last + 1):
        last += 1
    spans = [(near_start if cut is None else cut, near_end if nxt is None else nxt), (near_start, near_end),
             (max(lines.line_span(first)[0], start - 2 * REACH), min(lines.line_span(last)[1], end + 2 * REACH))]
    if indexed:
        return Context(names.first("diseases", spans), names.first("therapies", spans),
                       names.first("animals", spans))
    texts = [names.folded[a:b] for a, b in spans] + [names.title]
    found_names = _names()
    return Context(*(_first_named(texts, found_names[key]) for key in ("diseases", "therapies", "animals")))


def _clean(text: str) -> str:
    """A suggestion or rewrite without its parenthetical note (the note stays in advice)."""
    return re.split(r"[（(]", text, maxsplit=1)[0].split(" / ")[0].strip()


@lru_cache(maxsize=256)
def _folded_keys(code: str, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``(folded key, key)`` pairs, longest first."""
    return tuple(sorted(((fold_chars(k), k) for k in keys), key=lambda p: len(p[0]), reverse=True))


def suggestion_for(rule: Rule, match: str) -> str:
    """The rule's own suggestion for ``match`` (its longest key found in the match)."""
    suggestions: dict[str, str] = rule.params.get("suggestions") or {}
    folded = fold_chars(match)
    for key, original in _folded_keys(rule.code, tuple(suggestions)):
        if key in folded:
            return str(suggestions[original])
    return ""


_MATCH, _TAIL = "\ue010", "\ue011"  # stand-ins for the match (and its unreplaced tail) during conversion
_INSTRUCTION = re.compile(r"^(?:写明|写出|删除|注明|给出|改用|说明|任何|目前已获批)")


def replacement_for(rule: Rule, match: str) -> tuple[str, str] | None:
    """``(old, new)``: the part of ``match`` to replace and its Simplified replacement, or None.

    ``old`` is the whole match, or its leading verb for prefix rewrites (修复了 → 改善了)."""
    folded = fold_chars(match)
    rewrites = data.REWRITES.get(rule.code, {})
    if folded in rewrites:
        return match, rewrites[folded]
    suggestion = suggestion_for(rule, match)
    if suggestion and folded in (rule.params.get("suggestions") or {}) and not _INSTRUCTION.match(suggestion):
        return match, _clean(suggestion)
    for prefix, new in data.PREFIX_REWRITES.get(rule.code, {}).items():
        if folded.startswith(prefix):
            return match[: len(prefix)], new
    return None


def advise(rule: Rule, lines: LineIndex, start: int, end: int, profile: str, context: str = "", norm: str = "",
           memo: dict[tuple[object, ...], str] | None = None) -> str:
    """Advice for the finding of ``rule`` on ``lines.text[start:end]``, in ``profile``'s script.
    ``context`` is the finding's context (for a document check ``CODE:id``, e.g. ``META001:author``);
    ``norm`` the document's folded view, used for names when it has the text's offsets. ``memo``
    (one dict per document) keeps the advice of each distinct match, names and check, so that
    thousands of findings of one claim are written once."""
    templates = data.TEMPLATES.get(rule.code, {})
    if not templates:
        key: tuple[object, ...] = (rule.code, profile)
        names = None
        match = check = ""
    else:
        match = lines.text[start:end]
        names = context_of(lines, start, end, norm)
        check = context.split(":", 1)[1] if context.startswith(f"{rule.code}:") else ""  # a document check's id
        key = (rule.code, profile, match, check, names)
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = _advice(rule, templates, match, names, check, profile)
        if memo is not None:
            memo[key] = found
    return found


def _advice(rule: Rule, templates: dict[str, str], match: str, names: Context | None, check: str,
            profile: str) -> str:
    """The advice itself (see :func:`advise`)."""
    if names is None:
        return for_profile(rewrite_hint(rule.help), profile)
    fields = {"match": _MATCH, **names.fields, "disclaimer": data.DISCLAIMER.get(profile, data.DISCLAIMER["cn"])}
    template = templates.get(check) if check else None
    replacement = replacement_for(rule, match) if match else None
    suggestion = suggestion_for(rule, match) if match else ""
    if template is None and replacement is not None and "replace" in templates:
        old, new = replacement
        fields["replacement"] = new + _TAIL if new or match != old else "（删去）"
        template = templates["replace"]
    elif template is None and suggestion and "suggest" in templates:
        fields["suggestion"] = suggestion
        template = templates["suggest"]
    template = template or templates.get("default") or next(iter(templates.values()))
    # the matched text is quoted as the draft has it, whatever script the advice is shown in
    tail = match[len(replacement[0]):] if replacement is not None else ""
    return for_profile(template.format(**fields), profile).replace(_MATCH, match).replace(_TAIL, tail)


def rewrite_hint(help_text: str) -> str:
    """The first item of the help's 怎么改 (怎麼改 in a Traditional help) section, as a one-line
    hint (with the example that follows when the item ends in a colon)."""
    lines = help_text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(("## 怎么改", "## 怎麼改")):
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


_HELP: dict[tuple[str, str, str], str] = {}


def help_for(rule: Rule, profile: str) -> str:
    """The rule's help for ``profile``: for tw and hk in its script, with 为什么 naming that
    jurisdiction's law (the rule's ``basis`` and profile message) instead of the mainland's."""
    if profile == "cn" or profile not in JURISDICTIONS:
        return rule.help
    key = (rule.code, profile, rule.help)
    cached = _HELP.get(key)
    if cached is None:
        cached = _HELP[key] = for_profile(_jurisdiction_help(rule, profile), profile)
    return cached


def _jurisdiction_help(rule: Rule, profile: str) -> str:
    where = JURISDICTIONS[profile]
    reason = rule.message_for(profile).replace("{match}", "……")
    reason = reason.split("：", 1)[1] if "：" in reason else reason
    why = [f"在{where}：{reason}"]
    titles = [b["title"] for b in rule.basis_for(profile)]
    mainland = f"- （{where}未列专门法条；中国大陆的依据见 kepulint rule {rule.code} --profile cn）"
    why += [f"- {t}" for t in titles] or [mainland]
    sections = re.split(r"(?m)^(?=## )", rule.help)
    out = []
    for section in sections:
        if section.startswith("## 为什么"):
            section = "## 为什么\n" + "\n".join(why) + "\n\n"
        out.append(section)
    return "".join(out).strip()
