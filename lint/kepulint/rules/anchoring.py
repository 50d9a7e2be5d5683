r"""Rule regexes as written, searched in a faster form: the lookbehind anchoring pass.

A regex that starts with a lookbehind, ``(?<![\d.])\d+%``, gives ``re`` no first character
to look for: it is tried at every position of a draft. The same test written after the first
character, ``\d(?<![\d.]\d)\d*%``, lets ``re`` jump from digit to digit. Rule files hold the
plain form; :func:`fast_form` derives the fast one when a rule loads, and the plain form
stays the reference (``tests/rules/test_anchoring.py`` checks on random text that both find
the same spans).

The rewrite: ``(?<!L)A…`` becomes ``A(?<!LA)…`` where ``A`` is what every match starts with,
one character wide (a literal, a class, an escape such as ``\d``: ``A+`` leaves ``A*``,
``A{1,3}`` leaves ``A{0,2}``) or a run of literal characters (``(?<![A-Za-z])CUMS`` becomes
``CUMS(?<![A-Za-z]CUMS)``). A group of alternatives right after the lookbehind is rewritten
alternative by alternative, or, when they all start with the same character, with that
character taken out in front: ``(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)`` becomes
``\d(?<![\d.]\d)(?:\d{0,2}(?:,\d{3})+|\d*)``. Both read the same characters before the
match's first one, so they accept the same matches at the same positions. A negative
lookbehind that begins an alternative is moved too (``…|(?<![A-Za-z])MDD|…`` becomes
``…|MDD(?<![A-Za-z]MDD)|…``: ``re`` skips an alternative fast when it starts with a literal).
Anything else (a lookbehind after other items, a quantifier that allows zero, a group or an
alternation inside the lookbehind…) is left as written.

A regex that starts with a choice of first characters, ``(?:[一二三]|\d+)分之`` or
``[数上]?[一二三]+万``, is written in the dispatch form: the class of every first character,
then each alternative checks with a lookbehind which one it was,
``[一二三\d](?:(?<=[一二三])|(?<=\d)\d*)分之`` (an optional first item counts as an
alternative: ``O?A+`` is ``(?:OA+|A+)``); a leading lookbehind tests the class too. Not for
case-insensitive regexes, whose class would need every case variant, nor for choices of
literal characters only (``re`` finds those by itself).
"""

from __future__ import annotations

import re
from functools import lru_cache

_SPECIAL = set(".^$*+?{}[]\\|()")
_OPENER = re.compile(r"\((?:\?(?:[:>=!]|P<\w+>|<\w+>|[a-zA-Z-]+:))?")  # a group's opening, up to its content
_FLAGS = re.compile(r"\(\?[aiLmsux-]+[:)]")
_QUANTIFIER = re.compile(r"(?:[*+?]|\{(\d*)(?:(,)(\d*))?\})[?+]?")


def fast_form(source: str) -> str:
    """``source`` with each lookbehind moved after the first character or literal run that
    follows it (see the module docstring); ``source`` itself when no rewrite applies."""
    return _fast_form(source)


@lru_cache(maxsize=1024)
def _fast_form(source: str) -> str:
    out, i = _dispatched(source) or source, 0
    while True:
        i = _next_lookbehind(out, i)
        if i is None:
            break
        end = _group_end(out, i)
        if end is None:
            break
        rewritten = _rewritten_at(out, i, end)
        if rewritten is None:
            i = end
            continue
        text, done = rewritten
        out = out[:i] + text
        i += done  # on after what was just rewritten
    if out == source:
        return source
    try:
        re.compile(out)
    except re.error:  # e.g. a lookbehind that would no longer be of fixed width
        return source
    return out


def _dispatched(source: str) -> str | None:
    """``source`` starting with the class of its first characters (the dispatch form, see the
    module docstring), or None when it does not start with a choice that needs one."""
    if _FLAGS.search(source):
        return None  # (?i): the class would need every case variant
    behind, sign, start = "", "", 0
    if source.startswith(("(?<!", "(?<=")):
        end = _group_end(source, 0)
        if end is None or _QUANTIFIER.match(source, end) or not _plain_lookbehind(source[4 : end - 1]):
            return None
        behind, sign, start = source[4 : end - 1], source[2:4], end
    choice = _choice(source[start:])
    if choice is None:
        return None
    leads, after = choice
    heads = list(dict.fromkeys(head for head, _ in leads))
    if len(heads) < 2 or all(_is_literal(head) for head in heads):
        return None  # one first character: the anchoring pass takes it out in front; literals: re finds them
    members = [_class_members(head) for head in heads]
    if any(m is None for m in members):
        return None
    first = "[" + "".join(m for m in members if m is not None) + "]"
    guard = f"(?{sign}{behind}{first})" if behind else ""
    body = "|".join(f"(?<={head}){tail}" for head, tail in leads)
    return f"{first}{guard}(?:{body}){after}"


def _choice(text: str) -> tuple[list[tuple[str, str]], str] | None:
    """The alternatives ``text`` starts with, as (first item, rest) each, and what follows them:
    a group ``(?:a|b)`` whose alternatives do not all start with a literal run (those the
    anchoring pass handles), or an optional item then an item, ``O?A+`` (``(?:OA+|A+)``)."""
    if text.startswith("(?:"):
        end = _group_end(text, 0)
        if end is None or _QUANTIFIER.match(text, end):
            return None
        alternatives = _split_alternatives(text[3 : end - 1])
        if alternatives is None or all(_literal_run(alt) >= 2 for alt in alternatives):
            return None
        leads = [_lead(alt, runs=False) for alt in alternatives]
        if any(lead is None for lead in leads):
            return None
        return [lead for lead in leads if lead is not None], text[end:]
    end = _item_end(text, 0)
    if end is None or not text.startswith("?", end) or text.startswith(("??", "?+"), end):
        return None
    optional = text[:end]
    second = _item_end(text, end + 1)
    if second is None:
        return None
    quantifier = _QUANTIFIER.match(text, second)
    after = quantifier.end() if quantifier else second
    item = text[end + 1 : after]  # the second item with its quantifier
    lead = _lead(item, runs=False)
    if lead is None:
        return None
    return [(optional, item), lead], text[after:]


def _is_literal(item: str) -> bool:
    """A literal character (``\\+`` included), not a class or a category such as ``\\d``."""
    return not item.startswith("[") and not (item.startswith("\\") and item[1:2].isalpha())


def _literal_run(text: str) -> int:
    """How many literal characters ``text`` starts with (not counting one a quantifier takes)."""
    i = 0
    while i < len(text) and text[i] not in _SPECIAL:
        i += 1
    return i - 1 if i and _QUANTIFIER.match(text, i) else i


def _class_members(item: str) -> str | None:
    """What one character-wide item contributes inside a character class, or None (``.``,
    ``[^…]``)."""
    if item.startswith("[^") or item == ".":
        return None
    if item.startswith("["):
        return item[1:-1]
    if item.startswith("\\"):
        return item
    return "\\" + item if item in "]\\^-" else item


def _rewritten_at(text: str, i: int, end: int) -> tuple[str, int] | None:
    """``text[i:]``, which starts with the lookbehind ``text[i:end]``, with that lookbehind moved
    after what follows it (see the module docstring), and the length of the rewritten part; or None."""
    if _QUANTIFIER.match(text, end):
        return None
    behind = text[i + 4 : end - 1]
    if not _plain_lookbehind(behind):
        return None
    return _anchor(text[i + 2 : i + 4], behind, text[end:])


def _next_lookbehind(text: str, i: int) -> int | None:
    """Where the next lookbehind that begins the regex, or negative one that begins one of its
    alternatives, opens at or after ``i``. (A lookbehind after other items is already where it
    costs least; a positive one inside, ``[NC](?:(?<=N)CT|…)``, re-reads a character the regex
    has already matched.)"""
    at_start = i == 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i, at_start = i + 2, False
        elif ch == "[":
            end = _class_end(text, i)
            if end is None:
                return None
            i, at_start = end, False
        elif text.startswith(("(?<!", "(?<="), i):
            if at_start and (i == 0 or text.startswith("(?<!", i)):
                return i
            i = _group_end(text, i) or len(text)
        elif ch == "(":
            opener = _OPENER.match(text, i)
            i, at_start = (opener.end() if opener else i + 1), True
        else:
            i, at_start = i + 1, ch == "|"
    return None


def _plain_lookbehind(behind: str) -> bool:
    """A lookbehind body that can be repeated and extended: no groups, no alternation at its top."""
    i = 0
    while i < len(behind):
        ch = behind[i]
        if ch in "(|":
            return False
        if ch == "[":
            end = _class_end(behind, i)
            if end is None:
                return False
            i = end
            continue
        i += 2 if ch == "\\" else 1
    return True


def _anchor(sign: str, behind: str, rest: str) -> tuple[str, int] | None:
    """``rest`` (what follows the lookbehind ``(?<sign behind)``) with the lookbehind moved after
    its first character or literal run, and the length of the part rewritten; or None."""
    if rest.startswith("(?:") or (rest.startswith("(") and not rest.startswith("(?")):
        end = _group_end(rest, 0)
        if end is None or _QUANTIFIER.match(rest, end):
            return None
        opening = "(?:" if rest.startswith("(?:") else "("
        alternatives = _split_alternatives(rest[len(opening) : end - 1])
        if alternatives is None:
            return None
        heads = [_lead(alt, runs=False) for alt in alternatives]
        if opening == "(?:" and all(h is not None for h in heads) and len({h[0] for h in heads}) == 1:  # type: ignore[index]
            head = heads[0][0]  # type: ignore[index]
            tails = "|".join(h[1] for h in heads)  # type: ignore[index]
            done = f"{head}(?{sign}{behind}{head})"
            return f"{done}(?:{tails}){rest[end:]}", len(done)
        out = []
        for alt in alternatives:
            lead = _lead(alt, runs=True)
            if lead is None:
                return None
            head, tail = lead
            out.append(f"{head}(?{sign}{behind}{head}){tail}")
        done = opening + "|".join(out) + ")"
        return done + rest[end:], len(done)
    lead = _lead(rest, runs=True)
    if lead is None:
        return None
    head, tail = lead
    done = f"{head}(?{sign}{behind}{head})"
    return done + tail, len(done)


def _lead(text: str, *, runs: bool) -> tuple[str, str] | None:
    """(what every match of ``text`` starts with, the rest): one character-wide item, or with
    ``runs`` a run of literal characters; None when ``text`` may start otherwise."""
    if runs:
        i = 0
        while i < len(text) and text[i] not in _SPECIAL:
            i += 1
        if i < len(text) and _QUANTIFIER.match(text, i):
            i -= 1  # the last character belongs to the quantifier
        if i >= 1:
            return text[:i], text[i:]
    end = _item_end(text, 0)
    if end is None:
        return None
    item = text[:end]
    quantifier = _QUANTIFIER.match(text, end)
    if quantifier is None:
        return item, text[end:]
    q, after = quantifier.group(), text[quantifier.end() :]
    suffix = q[1:] if q[0] in "*+?" else q[q.index("}") + 1 :]
    if q[0] == "+":
        return item, f"{item}*{suffix}{after}"
    if q[0] != "{":
        return None  # * and ? allow no character at all
    lo_text, comma, hi_text = quantifier.group(1), quantifier.group(2), quantifier.group(3)
    if not lo_text or int(lo_text) < 1:
        return None
    lo = int(lo_text) - 1
    if not comma:
        rest = f"{item}{{{lo}}}{suffix}" if lo else ""
    elif not hi_text:
        rest = f"{item}{{{lo},}}{suffix}"
    else:
        rest = f"{item}{{{lo},{int(hi_text) - 1}}}{suffix}"
    return item, rest + after


def _item_end(text: str, i: int) -> int | None:
    """End of the one-character-wide item at ``i`` (a literal, ``.``, a class, an escape), or None."""
    if i >= len(text):
        return None
    ch = text[i]
    if ch == "[":
        return _class_end(text, i)
    if ch == "\\":
        return _escape_end(text, i)
    if ch in _SPECIAL - {"."}:
        return None
    return i + 1


_WIDE_ESCAPES = {"x": 2, "u": 4, "U": 8}
_ONE_CHARACTER = set("dDsSwW") | set("tnrfv0.\\/-[]{}()*+?|^$ ")


def _escape_end(text: str, i: int) -> int | None:
    if i + 1 >= len(text):
        return None
    ch = text[i + 1]
    if ch in _WIDE_ESCAPES:
        return i + 2 + _WIDE_ESCAPES[ch]
    if ch == "N" and text.startswith("{", i + 2):
        close = text.find("}", i + 2)
        return close + 1 if close > 0 else None
    if ch in _ONE_CHARACTER or not ch.isascii():
        return i + 2
    return None  # \b, \A, \Z, back-references: not one character


def _class_end(text: str, i: int) -> int | None:
    """End of the character class opening at ``i``."""
    j = i + 1
    if j < len(text) and text[j] == "^":
        j += 1
    if j < len(text) and text[j] == "]":
        j += 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
        elif text[j] == "]":
            return j + 1
        else:
            j += 1
    return None


def _group_end(text: str, i: int) -> int | None:
    """End of the group opening at ``i`` (its closing parenthesis included)."""
    depth, j = 0, i
    while j < len(text):
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "[":
            end = _class_end(text, j)
            if end is None:
                return None
            j = end
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return None


def _split_alternatives(body: str) -> list[str] | None:
    """``body`` split at its top-level ``|``, or None when it cannot be read."""
    out, start, j = [], 0, 0
    while j < len(body):
        ch = body[j]
        if ch == "\\":
            j += 2
            continue
        if ch in "[(":
            end = _class_end(body, j) if ch == "[" else _group_end(body, j)
            if end is None:
                return None
            j = end
            continue
        if ch == "|":
            out.append(body[start:j])
            start = j + 1
        j += 1
    out.append(body[start:])
    return out
