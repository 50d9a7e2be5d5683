"""The lookbehind anchoring pass (rules/anchoring.py): the fast form a rule regex is searched
in finds exactly what the plain form written in the rule file finds."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kepulint.rules.anchoring import fast_form
from kepulint.rules.ruleset import builtin_rule_dir, load_rules
from kepulint.rules.validation import regexes

# what the rule files held before they were written plainly: the loader must derive these
HAND_WRITTEN = {
    r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*[%‰]":
        r"\d(?<![\d.]\d)(?:\d{0,2}(?:,\d{3})+|\d*(?:\.\d+)?)\s*[%‰]",
    r"(?<![\d.])\d+(?:\.\d+)?\s*个百分点": r"\d(?<![\d.]\d)\d*(?:\.\d+)?\s*个百分点",
    r"(?<![\d.第前])(?:\d{1,3}(?:,\d{3})+|\d+)\s*名": r"\d(?<![\d.第前]\d)(?:\d{0,2}(?:,\d{3})+|\d*)\s*名",
    r"(?<![\d/.])[1-9]\d?\s*/": r"[1-9](?<![\d/.][1-9])\d?\s*/",
    r"(?<![A-Za-z])(?:CUMS|MRL[/-]?lpr|C57BL/6J?|SPF级)(?![A-Za-z])":
        r"(?:CUMS(?<![A-Za-z]CUMS)|MRL(?<![A-Za-z]MRL)[/-]?lpr|C57BL/6(?<![A-Za-z]C57BL/6)J?|SPF级(?<![A-Za-z]SPF级))"
        r"(?![A-Za-z])",
    r"(?<![A-Za-z])INDs?(?![A-Za-z])": r"IND(?<![A-Za-z]IND)s?(?![A-Za-z])",
    r"(?<=x)a{2,}?b": r"a(?<=xa)a{1,}?b",
    r"(?>忧郁症|(?<![A-Za-z])MDD(?![A-Za-z])|狼疮)": r"(?>忧郁症|MDD(?<![A-Za-z]MDD)(?![A-Za-z])|狼疮)",
    r"就(?:(?<![许认])可以?|(?<!才)能)": r"就(?:可(?<![许认]可)以?|能(?<!才能))",
    r"(?<!x)(a|b)c": r"(a(?<!xa)|b(?<!xb))c",
}


# the dispatch form: a choice of first characters as one class first
DISPATCHED = {
    r"(?:[一二三]|\d+)\s*分之": r"[一二三\d](?:(?<=[一二三])|(?<=\d)\d*)\s*分之",
    r"[数上]?[一二三]+万": r"[数上一二三](?:(?<=[数上])[一二三]+|(?<=[一二三])[一二三]*)万",
    r"(?<![A-Za-z])(?:I{1,3}|IV|[1-4])期": r"[I1-4](?<![A-Za-z][I1-4])(?:(?<=I)I{0,2}|(?<=I)V|(?<=[1-4]))期",
}
# hand-written fast forms the rule files held, and the plain forms now written there: equivalent
# (not the same strings: the derived dispatch form differs from what was written by hand)
REPLACED = {
    r"[一二三四五六七八九十\d](?:(?<=\d)\d*)?\s*分之\s*(?:[一二三四五六七八九十]+|\d+)":
        r"(?:[一二三四五六七八九十]|\d+)\s*分之\s*(?:[一二三四五六七八九十]+|\d+)",
    r"[数上近超逾一二两三四五六七八九十百千](?:(?<=[数上近超逾])[一二两三四五六七八九十百千]|(?<![数上近超逾]))"
    r"[一二两三四五六七八九十百千]*[万亿](?:多|余)?人": r"[数上近超逾]?[一二两三四五六七八九十百千]+[万亿](?:多|余)?人",
    r"[I1-4](?<![A-Za-z].)(?:(?<=I)(?:I{0,2}|V))?(?:/(?:I{1,3}|[1-4]))?\s*期(?:临床)?(?:试验|研究)":
        r"(?<![A-Za-z])(?:I{1,3}|IV|[1-4])(?:/(?:I{1,3}|[1-4]))?\s*期(?:临床)?(?:试验|研究)",
    r"[一两二三四五六七八九十百千](?<![^了加高低少降达到是为近约超逾\s,].)[一两二三四五六七八九十百千]*倍(?!数)":
        r"(?<![^了加高低少降达到是为近约超逾\s,])[一两二三四五六七八九十百千]+倍(?!数)",
}


@pytest.mark.parametrize(("plain", "fast"), DISPATCHED.items())
def test_a_choice_of_first_characters_is_dispatched(plain: str, fast: str) -> None:
    assert fast_form(plain) == fast


@pytest.mark.parametrize(("hand", "plain"), REPLACED.items(), ids=range(len(REPLACED)))
def test_the_plain_forms_now_in_the_rule_files_match_the_old_hand_written_ones(hand: str, plain: str) -> None:
    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from([*_fragments(hand), "III", "IV", "期试验", "分之", "万人", "倍", "加"]),
                    max_size=16).map("".join))
    def same(text: str) -> None:
        assert _spans(fast_form(plain), text) == _spans(hand, text) == _spans(plain, text)

    same()


@pytest.mark.parametrize(("plain", "fast"), HAND_WRITTEN.items())
def test_the_fast_form_is_the_one_once_written_by_hand(plain: str, fast: str) -> None:
    assert fast_form(plain) == fast


@pytest.mark.parametrize("source", [
    r"\d+%",                       # no lookbehind
    r"(?<![\d.])\d*%",             # the first item may match nothing
    r"(?<![\d.])(?:\d+|x?)%",      # an alternative may start with nothing
    r"(?<!通讯)(?<!通信)(?:地址)",  # a second lookbehind first
    r"(?<!(a))b",                  # a group inside the lookbehind
    r"(?<!a|bc)d",                 # an alternation inside the lookbehind
    r"(?<!a)\bword",               # an anchor first
    r"(?<!a)(?:b)+c",              # a repeated group
    r"(?<!a)(?i:b)c",              # a flagged group
    r"a(?<!x)b",                   # after another item: already where it costs least
    r"[NC](?i:(?<=N)CT|(?<=C)TR)",  # a positive lookbehind inside re-reads a matched character
    r"(?:上|数|几)亿",              # a choice of literals only: re finds them by itself
    r"(?i:[ab]|\d)x",               # case-insensitive: the class would need every case variant
    r"(?:[^ab]|\d)x",               # a negated class cannot join a class
])
def test_what_it_cannot_prove_is_left_as_written(source: str) -> None:
    assert fast_form(source) == source


def _rewritten_builtin_regexes() -> list[str]:
    out = []
    for path in sorted(builtin_rule_dir().glob("*.yaml")):
        params = yaml.safe_load(path.read_text(encoding="utf-8")).get("params", {})
        out.extend(source for _, source in regexes(params) if fast_form(source) != source)
    return out


BUILTIN = _rewritten_builtin_regexes()


def test_the_builtin_rules_rely_on_it() -> None:
    assert len(BUILTIN) >= 15  # CIT001's numbers, EVD001's model names, TRL's IND…
    loaded = {s for rule in load_rules(use_cache=False) for _, s in regexes(rule.params)}
    assert all(fast_form(s) in loaded and s not in loaded for s in BUILTIN), "the loader searches the fast forms"


def _fragments(source: str) -> list[str]:
    """Pieces of text a regex is likely to care about: its literal runs, their characters, and
    characters its lookarounds and classes test."""
    runs = re.findall(r"[^\\()\[\]{}|?*+.^$]+", source)
    chars = {c for run in runs for c in run}
    return sorted(set(runs) | chars | set("0123456789.,%/ aZ第前了\n"))


def _spans(pattern: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, text)]


@pytest.mark.parametrize("source", BUILTIN, ids=range(len(BUILTIN)))
def test_builtin_fast_forms_find_the_same_spans(source: str) -> None:
    fast = fast_form(source)

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(_fragments(source)), max_size=24).map("".join))
    def same(text: str) -> None:
        assert _spans(fast, text) == _spans(source, text)

    same()


BEHIND = st.sampled_from([r"[\d.]", "[A-Za-z]", "a", "[^ab]", "ab", r"\d", "."])
ITEM = st.sampled_from(["a", "b", r"\d", "[ab]", "ab", "abc", "1"])
QUANT = st.sampled_from(["", "+", "{1,3}", "{2}", "{1,}", "+?", "{2,3}?"])
REST = st.sampled_from(["", "b", r"\d*", "(?:c|a)", "(?!a)", "c?", r"(?:\.\d+)?"])


@st.composite
def plain_patterns(draw: st.DrawFn) -> str:
    """A lookbehind then something to anchor, or a choice of first characters to dispatch."""
    alternatives = [draw(ITEM) + draw(QUANT) + draw(REST) for _ in range(draw(st.integers(1, 3)))]
    body = alternatives[0] if len(alternatives) == 1 and draw(st.booleans()) else "(?:" + "|".join(alternatives) + ")"
    shape = draw(st.sampled_from(["anchor", "optional first", "choice"]))
    if shape == "optional first":
        body = draw(st.sampled_from(["[ab]?", "a?", r"\d?"])) + body
    elif shape == "choice":
        body = "(?:" + draw(st.sampled_from(["[x1]", r"\d", "[ab]+"])) + "|" + "|".join(alternatives) + ")"
    sign = draw(st.sampled_from(["!", "="]))
    behind = f"(?<{sign}{draw(BEHIND)})" if shape == "anchor" or draw(st.booleans()) else ""
    return behind + body + draw(REST)


@settings(max_examples=400, deadline=None)
@given(plain_patterns(), st.text(alphabet="aabbc1.2 xZ", max_size=30))
def test_generated_plain_and_fast_forms_find_the_same_spans(plain: str, text: str) -> None:
    fast = fast_form(plain)
    assert _spans(fast, text) == _spans(plain, text), (plain, fast)
