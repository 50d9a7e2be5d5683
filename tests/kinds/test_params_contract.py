"""The contract between the params schemas and the kinds: whatever params the loader accepts,
the kind runs on any draft (no internal error at lint time), in both scripts and profiles."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from kindkit import lint, make_rule

from kepulint.rules.ruleset import RuleError

WORDS = st.sampled_from([[], ["治愈"], ["小鼠", "患者"], ["2020年"], ["参考文献"]])
REGEXES = st.sampled_from([[], [r"\d+"], ["(?<![A-Za-z])IND"], ["治(?:愈|好)"], ["x*"]])
EVIDENCE = st.lists(st.sampled_from(["citation", "named_source", "study_block", "attributed", "registry_id", "date"]),
                    max_size=3, unique=True)
SMALL = st.integers(0, 4)
FLAG = st.booleans()


def one(*values: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


def some(**fields: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Mappings holding any subset of ``fields``."""
    return st.fixed_dictionaries({}, optional=fields)


def needing(required: dict[str, Any], **optional: Any) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(required, optional=optional)


GROUP = some(terms=WORDS, terms_traditional=WORDS, patterns=REGEXES, exceptions=WORDS, exception_patterns=REGEXES)
TRIGGER = needing({"terms": one(["治愈"], ["小鼠", "患者", "招募中"], ["研究表明"])}, terms_traditional=WORDS,
                  patterns=REGEXES, exceptions=WORDS, exception_patterns=REGEXES)
NEAR = needing({"pattern": one(r"\d", "临床", "x*")}, before=SMALL, after=SMALL)
WINDOW = some(before=SMALL, after=SMALL, scope=one("sentence", "paragraph"))
SUPPRESS = one("suppress", "ignore")
CONTEXT = some(negation=SUPPRESS, hedge=one("suppress", "downgrade", "ignore"),
               booster=one("upgrade", "note", "ignore"), preclinical=SUPPRESS, reported=SUPPRESS,
               publisher_ignores_hedge=FLAG)
PROFILES = st.lists(one("cn", "tw", "hk"), min_size=1, max_size=3, unique=True)
QUALIFIER = st.tuples(TRIGGER, some(profiles=PROFILES, reach=one("scope", "sentence"), unless=GROUP)).map(
    lambda parts: {**parts[0], **parts[1]})
CHECK = needing({"id": st.just("c")}, terms=WORDS, patterns=REGEXES, pairs=st.lists(WORDS, max_size=2),
                front_matter=st.just(["author"]), head_lines=SMALL,
                head=needing({"lines": SMALL}, terms=WORDS, patterns=REGEXES),
                tail=needing({"lines": SMALL}, terms=WORDS))
PARAMS = {
    "phrase": st.tuples(TRIGGER, some(
        near=NEAR, cited_window=some(before=SMALL, after=SMALL), offer_only=GROUP, scan_references=FLAG,
        word_boundary=st.just("jieba"), context=CONTEXT, requires=needing({"pattern": st.just(r"\d")}, window=SMALL))),
    "proximity": st.tuples(needing({"terms": one(["招募中"], ["研究表明", "治愈"]), "needs": EVIDENCE}), some(
        requires=EVIDENCE, near=NEAR, unless=NEAR, window=WINDOW, windows=some(date=WINDOW, citation=WINDOW),
        stale_months=st.integers(1, 30), stale_message=st.just("{date} {months}"), once_per_sentence=FLAG,
        context=CONTEXT, groups=st.lists(TRIGGER, max_size=2))),
    "cooccurrence": st.tuples(needing({"left": TRIGGER, "right": TRIGGER}), some(
        qualifiers=st.one_of(QUALIFIER, st.lists(QUALIFIER, max_size=2)), downgraders=st.lists(QUALIFIER, max_size=2),
        scope=one("sentence", "paragraph"), order=one("any", "left_first"), report=one("left", "right"),
        inherit_heading=FLAG, context=CONTEXT,
        paragraph=some(blockers=TRIGGER, claims=TRIGGER, last_sentence=FLAG, lookback=SMALL, message=st.just("m")))),
    "document": st.tuples(some(checks=st.lists(CHECK, max_size=2)), some(
        mode=one("required", "placement"), opening=SMALL, closing=SMALL,
        back_matter=one("参考文献", ["参考文献", "版权"], []))),
}
DRAFTS = (
    "这种疗法治愈了小鼠，患者有望康复。研究表明，2020年IND获批临床。\n\n# 标题\n\n本文仅供参考。\n\n"
    "参考文献\n1. 某研究\n",
    "這種療法治癒了小鼠，患者有望康復。截至2020年6月，II期臨床試驗招募中。\n",
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.sampled_from(sorted(PARAMS)).flatmap(lambda kind: st.tuples(st.just(kind), PARAMS[kind])))
def test_accepted_params_never_crash_the_kind(drawn: tuple[str, tuple[dict[str, Any], dict[str, Any]]]) -> None:
    kind, (base, extra) = drawn
    try:
        rule = make_rule(kind, {**base, **extra})
    except RuleError as exc:
        assert str(exc).startswith("<XYZ001>: /"), exc  # refused: one line with a key path
        event("refused")
        return
    event(f"accepted {kind}")
    for text in DRAFTS:
        for profile in ("cn", "tw"):
            for d in lint(text, rule, profile=profile):
                assert d.code == "XYZ001" and d.line >= 1 and d.column >= 1
