"""Evidence detection: citations, named sources, registry IDs, as-of dates, study blocks and
trial records, in Simplified and Traditional text (full-width digits, Ⅱ, 民國 dates)."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kepulint.api import lint_text
from kepulint.data import load_yaml
from kepulint.reading.evidence import Evidence, evidence
from kepulint.reading.evidence_vocab import EvidenceVocabulary, Marker, build_vocabulary
from kepulint.rules.prefilter import find_windows, may_occur
from kepulint.rules.regex_literals import end_literals, has_prefix, start_literals
from kepulint.text.document import Document


def ev(text: str, *, markdown: bool = False) -> Evidence:
    return evidence(Document.from_text(text, "x.md" if markdown else "x.txt", markdown=markdown))


def pos(e: Evidence, needle: str) -> int:
    i = e.doc.norm.find(needle)
    assert i >= 0, needle
    return i


# -- citation markers -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "约75%的患者复发[1]。",
    "约75%的患者复发[1-3]。",
    "约75%的患者复发[^2]。",
    "约75%的患者复发¹。",
    "約75%的患者復發【2】。",
    "約75%的患者復發（黃悅勤等，2019）。",
    "约75%的患者复发（doi:10.1016/S2215-0366(18)30511-X）。",
    "约75%的患者复发，PMID: 33472925。",
    "約75%的患者復發，PMC6766600。",
    "数据来源：国家统计局年鉴。",
])
def test_citation_markers(text: str) -> None:
    e = ev(text)
    assert e.cited_near(pos(e, "7" if "7" in text else "数"))


def test_url_counts_as_citation_in_markdown() -> None:
    e = ev("约75%的患者复发，见 https://pubmed.ncbi.nlm.nih.gov/33472925/ 。", markdown=True)
    assert e.cited_near(pos(e, "75"))


def test_no_citation() -> None:
    e = ev("约75%的患者复发。这给患者带来负担。")
    assert not e.cited_near(pos(e, "75"))


def test_citation_in_next_sentence_counts_previous_does_not() -> None:
    e = ev("第一句没有出处。约75%的患者复发。这一数字见文献[2]。")
    assert e.cited_near(pos(e, "75"), before=0, after=1)
    e = ev("上一句有出处[2]。约75%的患者复发。下一句没有。")
    assert not e.cited_near(pos(e, "75"), before=0, after=1)
    assert e.cited_near(pos(e, "75"), before=1, after=0)


def test_orphan_marker_belongs_to_the_sentence_it_closes() -> None:
    # “…研究成果。[1]” leaves “[1]” as a sentence of its own; it closes the sentence before
    e = ev("1月7日，某团队在《精神病学前沿》上发表了一篇研究成果。[1]\n研究发现，患者症状改善。")
    assert len(e.units) == 2
    assert e.cited_near(pos(e, "研究发现"), before=1, after=0)


# -- named sources ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "据WHO统计，全球约有3.5亿抑郁症患者。",
    "據世界衛生組織(WHO)數據顯示，全球約有3.5億抑鬱症患者。",
    "国家卫健委2024年数据显示，我国高血压患病率为27.5%。",
    "據衛福部國健署2023年調查，成人肥胖盛行率為50.3%。",
    "发表在《Systematic reviews》上的一篇综述纳入了50名患者。",
    "2024年2月，浙江大學醫學院的研究團隊對13名患者進行了治療。",
    "日前，Seminars in liver disease杂志上发表的综述显示肝功能改善。",
    "2016年，在西班牙巴塞罗那临床医院消化内科的3期临床研究中，212例患者接受治疗。",
    "中华医学会精神医学分会专家指出，抑郁症可防可治。",
    "Smith等2019年的研究纳入了200例患者。",
    "香港衞生署數據顯示，本港約有30萬人患有抑鬱症。",
    "北京大学第六医院研究发现，睡眠不足会加重抑郁。",
])
def test_named_sources(text: str) -> None:
    e = ev(text)
    assert e.named_sources, text


@pytest.mark.parametrize("text", [
    "同年，陕西省某医院细胞治疗中心进行了一项临床试验，对64名患者进行治疗。",
    "请到正规医院进行的检查中确认。",
    "同年5月，中国科研人员开展的一项研究发现症状缓解。",
    "通过关键词“干细胞治疗抑郁症”检索，2025年共有7篇综述。",
    "某医院数据显示，有效率达90%。",
])
def test_not_named_sources(text: str) -> None:
    assert not ev(text).named_sources, text


# -- registry IDs -----------------------------------------------------------------------

def _ids(text: str) -> list[tuple[str, str, bool]]:
    return [(r.text, r.registry.name, r.valid) for r in ev(text).registry_ids]


@pytest.mark.parametrize(("text", "rid", "valid"), [
    ("登记号NCT04437511的试验", "NCT04437511", True),          # CJK on both sides
    ("试验编号nct04437511", "nct04437511", True),              # lower case is accepted
    ("NCT 04437511", "NCT 04437511", True),
    ("NCT0443751（7位）", "NCT0443751", False),
    ("NCT044375110（9位）", "NCT044375110", False),
    ("NCT-04437511", "NCT-04437511", False),
    ("註冊號ChiCTR2000029308", "ChiCTR2000029308", True),
    ("注册号ChiCTR-TRC-12002345", "ChiCTR-TRC-12002345", True),
    ("注册号ChiCTR-IOR-17011166，", "ChiCTR-IOR-17011166", True),
    ("注册号ChiCTR20000293，", "ChiCTR20000293", False),
    ("注册号ChiCTR-TRC-1200234，", "ChiCTR-TRC-1200234", False),
    ("登记号CTR20221847", "CTR20221847", True),
    ("登记号CTR2022184", "CTR2022184", False),
    ("受理號CXSL2200624", "CXSL2200624", True),
    ("受理号CXSL22006240", "CXSL22006240", False),
    ("ISRCTN54540667", "ISRCTN54540667", True),
    ("ACTRN12619000123456", "ACTRN12619000123456", True),
    ("jRCT2031210123", "jRCT2031210123", True),
    ("UMIN000012345", "UMIN000012345", True),
    ("EudraCT 2004-000123-45", "EudraCT 2004-000123-45", True),
    ("EudraCT编号：2004-00123-45", "EudraCT编号:2004-00123-45", False),
    ("编号 2004-000123-45", "2004-000123-45", True),
    ("EU CT 2023-512345-12-00", "2023-512345-12-00", True),
])
def test_registry_ids(text: str, rid: str, valid: bool) -> None:
    found = _ids(text)
    assert len(found) == 1, found
    assert found[0][0] == rid
    assert found[0][2] is valid


def test_full_width_registry_id() -> None:
    e = ev("臨床試驗編號：ＮＣＴ０４４３７５１１")
    assert [(r.text, r.valid) for r in e.registry_ids] == [("NCT04437511", True)]
    e = ev("臨床試驗編號：ＮＣＴ０４４３７５１")
    assert [(r.text, r.valid) for r in e.registry_ids] == [("NCT0443751", False)]


def test_chictr_is_not_a_ctr_number() -> None:
    assert [name for _, name, _ in _ids("ChiCTR2000029308")] == ["ChiCTR"]


@pytest.mark.parametrize("text", ["数据更新于2025-06-10。", "2025.06.10", "2019-2021年", "电话400-123-4567"])
def test_dates_are_not_registry_ids(text: str) -> None:
    assert _ids(text) == []


def test_malformed_ids_reported_by_trl003() -> None:
    diags = lint_text("登记号：NCT044375110；注册号ChiCTR20000293。", "x.md", select=["TRL003"])
    assert [d.match for d in diags] == ["NCT044375110", "ChiCTR20000293"]
    assert "ClinicalTrials.gov" in diags[0].message and "NCT04437511" in diags[0].message


# -- dates --------------------------------------------------------------------------------

def _dates(text: str) -> list[date]:
    return [d.value for d in ev(text).dates]


@pytest.mark.parametrize(("text", "value"), [
    ("截至2025年6月，仍在招募。", date(2025, 6, 1)),
    ("截止2025年1月15號，共7篇。", date(2025, 1, 15)),
    ("数据更新于2025-06-10。", date(2025, 6, 10)),
    ("2025/6/10更新", date(2025, 6, 10)),
    ("2025年6月10日", date(2025, 6, 10)),
    ("２０２５年６月１０日", date(2025, 6, 10)),
    ("截至2025年，仍在招募。", date(2025, 12, 1)),
    ("更新至2024-11", date(2024, 11, 1)),
    ("截至民國114年6月，收案中。", date(2025, 6, 1)),
    ("截至114年6月30日，收案中。", date(2025, 6, 30)),
])
def test_dates(text: str, value: date) -> None:
    assert _dates(text) == [value]


@pytest.mark.parametrize("text", [
    "预计2025-07-30完成研究",              # a planned date is not an as-of date
    "預計2025-07-30完成研究",
    "计划于2027年6月完成入组",
    "EudraCT 2004-000123-45",             # an EudraCT number is not a date
    "2023-512345-12-00",
    "ChiCTR2000029308",
    "0-42分，14岁以上",
])
def test_not_dates(text: str) -> None:
    assert _dates(text) == []


def test_year_month_inside_deadline_keeps_its_month() -> None:
    # 截至2025年6月 is June, not the end of 2025
    assert _dates("截至2025年6月") == [date(2025, 6, 1)]


# -- trial records and study blocks -------------------------------------------------------

CARD = """臨床實驗編號:NCT02675556
簡稱:異基因人類間充質干細胞輸注治療難治性抑郁癥患者
詳細描述:這是一項I期研究,試點階段有八名受試者。
40名患者將以1:1盲法接受單次治療。
研究階段:第1階段

目前狀態:已終止,招募和資金困難。
國內干細胞治療抑郁癥的臨床研究進展
多項臨床試驗表明干細胞治療具有一定的安全性。"""


def test_trial_record_covers_its_card_up_to_the_status_field() -> None:
    e = ev(CARD)
    assert len(e.records) == 1
    rid = e.records[0][2]
    assert rid.text == "NCT02675556"
    assert e.record_at(pos(e, "已终止")) is rid
    assert e.registry_near(pos(e, "I期"), before=0, after=0) == [rid]
    assert e.record_at(pos(e, "多项临床试验")) is None


def test_id_in_prose_is_not_a_record() -> None:
    e = ev("该试验（NCT02675556）已发表结果。\n第二句。\n第三句。\n第四句提到已终止。")
    assert e.records == []
    assert e.registry_near(pos(e, "已终止")) == []


def test_record_ends_at_next_id() -> None:
    e = ev("登记号：NCT02675556\n研究目的：安全性。\n登记号：NCT03522545\n目前状态：招募中。")
    assert e.record_at(pos(e, "招募中")).text == "NCT03522545"


STUDY = """2019年6月26日，八一脑科医院在国际期刊《Stem Cell Transl Med》上发布了一篇研究结果。【4】
神经干细胞移植治疗24个月后，患者运动能力改善。
影像学检查：所有 9 名受试者均观察到新组织。
影响干细胞治疗中风长期疗效的因素有哪些?
脐带血干细胞在急性期穿透血脑屏障能力更强，约80%的患者获益。"""


def test_study_block_runs_to_the_next_heading() -> None:
    e = ev(STUDY)
    assert e.in_study_block(pos(e, "9 名"))
    assert not e.in_study_block(pos(e, "80%"))


def test_study_block_ends_at_a_new_study() -> None:
    e = ev("发表在《Systematic reviews》上的一篇综述纳入了50名患者。\n其中23名参与者胰岛素用量降低。\n"
           "2016年的文献对42例T1DM患者进行移植。")
    assert e.in_study_block(pos(e, "23名"))
    assert not e.in_study_block(pos(e, "42例"))


def test_uncited_intro_opens_no_block() -> None:
    e = ev("一项研究报道了9名参与者的结果。\n其中5名症状改善。")
    assert e.study_blocks == []


def test_references_section() -> None:
    e = ev("正文75%。\n参考文献：\n[1] Smith J. 2019.")
    assert e.in_references(pos(e, "[1] Smith"))
    assert not e.in_references(pos(e, "75"))


# -- Roman numerals and folding seen through the trial rules -------------------------------

@pytest.mark.parametrize(("text", "match"), [
    ("一项Ⅱ期随机对照试验显示症状改善。", "Ⅱ期"),
    ("該療法的Ⅲ期臨床試驗目前正在招募中。", "Ⅲ期"),
    ("公司宣布已进入II期。", "进入II期"),
    ("該公司宣布已完成Ⅰ期臨床試驗。", "完成Ⅰ期"),
])
def test_phase_with_roman_numerals(text: str, match: str) -> None:
    diags = lint_text(text, "x.md", select=["TRL001"])
    assert [d.match for d in diags] == [match]


@pytest.mark.parametrize("text", [
    "急性期和亚急性期的干预窗口不同，慢性期需长期康复。",
    "他被診斷為Ⅲ期肺癌。",
    "早期、中期和晚期的表现不同，随访期与潜伏期另计。",
    "研究阶段：第1阶段。",
])
def test_period_words_are_not_phases(text: str) -> None:
    assert lint_text(text, "x.md", select=["TRL001"]) == []


def test_stale_date_has_its_own_message() -> None:
    text = "截至2023年5月，该试验（NCT04437511）仍在招募。"
    fresh = lint_text(text, "x.md", select=["TRL002"], today="2025-01-10")
    stale = lint_text(text, "x.md", select=["TRL002"], today="2026-11-25")
    assert fresh == []
    assert len(stale) == 1 and "2023-05" in stale[0].message and "42" in stale[0].message
    tw = lint_text(text, "x.md", select=["TRL002"], today="2026-11-25", profile="tw")
    assert "個月" in tw[0].message


def test_attribution_inside_a_review_summary() -> None:
    e = ev("1月7日，某研究所在《精神病学前沿》上发表了一篇综述。[1]\n本綜述評估了幹細胞療法的應用進展。\n"
           "目前的研究表明，幹細胞療法展現了潛在價值。\n臨床前動物實驗已經證實，幹細胞能緩解抑鬱樣行為。")
    assert e.attributed_near(pos(e, "目前的研究"), before=2)
    assert e.attributed_near(pos(e, "临床前动物实验"), before=2)


def test_no_attribution_after_a_topic_shift() -> None:
    e = ev("日前，Seminars in liver disease杂志上发表的综述显示，干细胞可减少肝脏炎症。\n"
           "肝硬化是一种常见的慢性肝脏疾病。\n迄今为止，已经有很多研究证明，干细胞可以分化为肝细胞。")
    assert e.in_study_block(pos(e, "很多研究"))
    assert not e.attributed_near(pos(e, "很多研究"), before=2)


# -- the fast paths find what a plain search finds ------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
DRAFTS = sorted(ROOT.glob("tests/drafts/*")) + sorted(ROOT.glob("tests/adversarial/**/*.md")) \
    + sorted(ROOT.glob("seeds/*")) + sorted(ROOT.glob("bench/corpus/n1000/*"))[::25]
PIECES = [
    "doi:10.1016/S2215-0366(18)30511-X", "doı:10.1234/abc", "DOI 10.1000/x", "PMID: 33472925", "PMıD 12345678",
    "PMC6766600", "xPMC6766600", "[1]", "[1-3]", "【2】", "¹²", "（黄悦勤等，2019）", "(Smith et al., 2020)",
    "\ue000\ue000\ue000", "数据来源：", "参见:", "NCT04437511", "nct 04437511", "ChiCTR2000029308", "ChıCTR2000029308",
    "ISRCTN54540667", "ıSRCTN54540667", "IſRCTN54540667", "ACTRN12619000123456", "EudraCT 2004-000123-45",
    "2004-000123-45", "2023-512345-12-00", "CXSL2200624", "jRCT2031210123", "CTR20221847",
    "截至2025年6月", "更新于2024-11", "民国114年6月", "114年6月30日", "2025-06-10", "预计2025-07-30",
    "据WHO统计", "根据国家卫健委", "《柳叶刀》2019年", "2019年《自然》", "在《Nature》上发表", "发表于Lancet",
    "Cell杂志发表", "浙江大学医学院的研究团队", "北京大学第六医院研究发现", "中华医学会精神医学分会专家指出",
    "国家统计局数据显示", "某医院数据显示", "Smith J 等2019", "2020年Wang等人", "张三教授团队",
    "一项研究发表在《X》上。", "其中23名患者改善。", "本综述评估了", "同年，", "参考文献：", "References",
    "临床试验编号：", "目前状态：招募中", "\n", "\r\n", "。", ".", "，", " ", "## 标题\n", "？",
]


def _plain_index(e: Evidence) -> dict[str, Any]:
    """The evidence index the plain way: every pattern over the text or its windows."""
    v, doc, norm = e.v, e.doc, e.doc.norm
    units: list[tuple[int, int]] = []
    for s, t in doc.sentences:
        rest = v.citation.sub("", norm[s:t]).strip(" \t.,;:。")
        if units and not rest and "\n" not in norm[units[-1][1] : s]:
            units[-1] = (units[-1][0], t)
        else:
            units.append((s, t))
    return {
        "markers": [[m.span() for m in k.pattern.finditer(norm)] if may_occur(doc, k.gate) else []
                    for k in _markers(e)],
        "named": sorted({m.span() for p, lits in zip(v.named_source, _named_literals(v), strict=True)
                         for lo, hi in find_windows(doc, lits)
                         for m in p.finditer(norm, lo, hi) if m.end() > m.start()}),
        "windows": [find_windows(doc, lits) for lits in _named_literals(v)],
        "units": units,
        "intros": {i for i, (s, t) in enumerate(units) if v.study_intro and v.study_intro.search(norm, s, t)},
        "references": ([m.start() for m in v.references_heading.finditer(norm)] or [len(norm)])[-1],
    }


def _named_literals(v: EvidenceVocabulary) -> list[frozenset[str] | None]:
    """The literal prefilter of each named-source pattern, as the plain computation uses it."""
    return [search.literals for search in v.named_searches]


def _markers(e: Evidence) -> tuple[Marker, ...]:
    return (*e.v.citation_markers, *e.v.registry_markers, *e.v.date_markers)


def _fast_index(e: Evidence) -> dict[str, Any]:
    return {
        "markers": [[m.span() for m in e._found(k)] for k in _markers(e)],
        "named": e.named_sources,
        "windows": [e._windows(lits) for lits in _named_literals(e.v)],
        "units": e.units,
        "intros": e._intro_units,
        "references": e.references_start,
    }


def _check_fast_paths(doc: Document) -> None:
    e = Evidence(doc)
    assert _fast_index(e) == _plain_index(e)
    if e.v.study_break:  # a new study can only start in a unit holding one of its literals
        norm = doc.norm
        breaks = {i for i, (s, t) in enumerate(e.units) if e.v.study_break.search(norm[s:t])}
        assert breaks <= e._units_holding(e.v.break_literals)


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.name)
def test_fast_paths_on_drafts(path: Path) -> None:
    _check_fast_paths(Document.from_text(path.read_bytes().decode("utf-8", "replace"), str(path)))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.booleans())
def test_fast_paths_on_generated_text(pieces: list[str], markdown: bool) -> None:
    _check_fast_paths(Document.from_text("".join(pieces), "x.md" if markdown else "x.txt", markdown=markdown))


@pytest.mark.parametrize(("pattern", "literals"), [
    (r"\bPMC\d{5,9}", {"PMC"}),
    (r"(?=[12])(?<![0-9])(?P<y>(?:19|20)\d{2})", {"19", "20"}),
    (r"(?:截至|截止到)\s*\d", {"截至", "截止到"}),
    (r"[¹²]+", {"¹", "²"}),
    (r"(?i:\bdo)", {"do", "dO", "Do", "DO"}),
    (r"(?i)is", {a + b for a in "iIİı" for b in "sSſ"}),
    (r"\d+", None),
    (r"a?b", None),
    (r"(?:a|\w)b", None),
])
def test_start_literals(pattern: str, literals: set[str] | None) -> None:
    assert start_literals(re.compile(pattern)) == (frozenset(literals) if literals else None)


def test_end_literals() -> None:
    assert end_literals(re.compile(r"(?<![^\s的])[\u4e00-\u9fff]{2,24}?(?:大学|医院)")) == {"大学", "医院"}
    assert end_literals(re.compile(r"大学\w*")) is None


def test_case_insensitive_spellings() -> None:
    # start literals spell a (?i) ASCII letter in its two cases, and i, k, s also as these
    others = {chr(c) for c in range(0x80, sys.maxunicode + 1) if re.fullmatch(r"(?i)[a-z]", chr(c))}
    assert others == set("İıſ\u212a")
    assert {c for c in others if re.fullmatch("(?i)i", c)} == set("İı")
    assert re.fullmatch("(?i)k", "\u212a") and re.fullmatch("(?i)s", "ſ")


def test_no_marker_is_tried_at_every_position() -> None:
    # a marker is tried where its start literals occur, or re searches it for a prefix
    for marker in _markers(evidence(Document.from_text(""))):
        assert marker.anchor or has_prefix(marker.pattern), marker.pattern.pattern



@pytest.mark.parametrize("key", ["study_intro", "study_break", "anaphora", "record_label", "record_end",
                                 "organisation"])
def test_vocabulary_without_an_optional_pattern(key: str) -> None:
    vocab = build_vocabulary({**load_yaml("evidence.yaml"), key: None})
    e = Evidence(Document.from_text(STUDY + "\n" + CARD, "x.txt"), vocab)
    assert (e.study_blocks == []) is (key == "study_intro")
    assert (e.records == []) is (key == "record_label")
    assert e.named_sources
