"""Recall of clear findings on text kepulint has not seen (issue #15): the constructions of the
promotional and 科普 rules (CLM*, ADV001, EVD003), each shown firing in a page that sells, in
Simplified and Traditional, and silent where the same words are asked, negated, reported or
merely compared. The sentences are written for these tests, not taken from the corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kepulint.api import lint_text

ROOT = Path(__file__).resolve().parents[2]

PROMO_HEAD = "本院细胞治疗中心\n欢迎来电预约，名额有限。\n"  # booking hooks: the page sells


def findings(text: str) -> list[tuple[str, str]]:
    """(code, matched text) of the line-level diagnostics of ``text``."""
    return [(d.code, d.match) for d in lint_text(text, path="draft.txt", today="2026-12-07", profile="cn")
            if d.code not in ("DSC001", "DSC002", "META001")]


def on_last_line(text: str) -> list[tuple[str, str]]:
    last = text.count("\n") + 1
    return [(d.code, d.match) for d in lint_text(text, path="draft.txt", today="2026-12-07", profile="cn")
            if d.line == last and d.code not in ("DSC001", "DSC002", "META001")]


FIRING = [
    # EVD003: a modal x an efficacy verb x a patient or disease; 对/通过 … 进行修复; verdicts; restored patients
    ("EVD003", "幹細胞治療可顯著改善中風患者的肢體功能。", "可顯著改善中風患者"),
    ("EVD003", "间充质干细胞可以有效缓解类风湿患者的关节疼痛。", "可以有效缓解类风湿患者"),
    ("EVD003", "外泌體可以對受損的毛囊組織進行修復。", "可以對受損的毛囊組織進行修復"),
    ("EVD003", "NK细胞疗法治疗肝癌效果十分显著。", "效果十分显著"),
    ("EVD003", "免疫細胞療法幫助許多癌友重拾健康。", "幫助許多癌友重拾健康"),
    ("EVD003", "脐带间充质干细胞让瘫痪的孩子重新站起来。", "让瘫痪的孩子重新站起"),
    # CLM002: a time or a dose x a strong effect; total disappearance; never again
    ("CLM002", "療程兩週內消除黑眼圈。", "兩週內消除"),
    ("CLM002", "喝上半个月，失眠问题全部消失。", "问题全部消失"),
    ("CLM002", "服用後，胃痛再也不會復發。", "再也不會復發"),
    ("CLM002", "一次疗程，从此和脱发说再见。", "从此和脱发说再见"),
    # CLM003: safety beyond worry and for everyone
    ("CLM003", "全植物萃取，老少皆宜。", "老少皆宜"),
    ("CLM003", "这款益生菌婴幼儿也可放心服用。", "婴幼儿也可放心服用"),
    ("CLM003", "療程期間沒有任何不良的副作用。", "沒有任何不良的副作用"),
    # CLM001: 最 + evaluative adjective x a product or provider
    ("CLM001", "我們是全台最值得信賴的醫美診所。", "最值得信賴的醫美診所"),
    ("CLM001", "这是目前最畅销的护肝保健品。", "最畅销的护肝保健品"),
    # CLM005: N times an ordinary product; from less to none
    ("CLM005", "本品吸收率是普通鱼油的五倍。", "是普通鱼油的五倍"),
    ("CLM005", "從減藥到停藥，只花了半年。", "從減藥到停藥"),
    # CLM006: fates changed, beyond imagination, 黑科技
    ("CLM006", "这项技术改变了千万家庭的命运。", "改变了千万家庭的命运"),
    ("CLM006", "效果超乎想像的抗老黑科技。", "超乎想像"),
    # ADV001: call to action x action verb; promotions; where to buy; offered prices
    ("ADV001", "現在就預約，享九折優惠。", "現在就預約"),
    ("ADV001", "满500元减50元，货到付款。", "满500元减50元"),
    ("ADV001", "各大藥房均有販售。", "藥房均有販售"),
    ("ADV001", "留下您的电话，专属顾问将为您安排。", "留下您的电话"),
    ("ADV001", "鱼油软胶囊每瓶198元，两瓶一个疗程。", "每瓶198元"),
    ("ADV001", "美白針每支$2,500。", "每支$2,500"),
]


@pytest.mark.parametrize(("code", "sentence", "match"), FIRING, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(FIRING)])
def test_construction_fires_on_a_page_that_sells(code: str, sentence: str, match: str) -> None:
    assert (code, match) in on_last_line(PROMO_HEAD + sentence)


SILENT = [
    # asked, negated, hedged, preclinical, research stage
    ("EVD003", "干细胞能否改善中风患者的肢体功能？"),
    ("EVD003", "目前並無證據顯示幹細胞可改善自閉症患者的社交能力。"),
    ("EVD003", "在大鼠模型中，间充质干细胞可改善认知功能。"),
    ("EVD003", "幹細胞治療膝關節炎仍處於臨床試驗階段，效果尚待驗證。"),
    ("EVD003", "造血干细胞移植治疗白血病效果确切。"),
    ("CLM002", "感冒通常一週左右自行好轉。"),
    ("CLM002", "所谓“三天就能痊愈”并无根据。"),
    ("CLM003", "孕婦能否放心服用這款產品？"),
    ("CLM003", "并非所有保健品都老少皆宜。"),
    ("CLM001", "中风最常见的症状是一侧肢体无力。"),
    ("CLM001", "復健需持之以恆，以期達到最佳的恢復效果。"),
    ("CLM005", "重症患者的死亡率是一般人群的3倍。"),
    ("CLM006", "這項技術究竟是黑科技，還是智商稅？"),
    ("ADV001", "出現皮疹時，請立即聯絡你的醫生。"),
    ("ADV001", "老人跌倒后四肢骨折，需立即就医。"),
]


@pytest.mark.parametrize(("code", "sentence"), SILENT, ids=[f"{c}-{i}" for i, (c, _) in enumerate(SILENT)])
def test_construction_stays_silent(code: str, sentence: str) -> None:
    assert code not in {c for c, _ in findings(sentence)}


@pytest.mark.parametrize("text", [
    "消委会抽查发现，鱼油软胶囊每瓶198元至398元不等，价格差异很大。",
    "記者調查發現，美白針每支$2,500，業者宣稱可以變白。",
    "網購保健品時，每瓶約100元的產品未必比較好。",
])
def test_an_offered_price_needs_a_page_that_offers(text: str) -> None:
    """A per-unit or dollar price counts for ADV001 only when the publisher offers it."""
    assert "ADV001" not in {c for c, _ in findings(text)}


def test_the_impossible_made_possible_is_no_negation() -> None:
    """不可能 in 化不可能为可能 neither negates nor hedges the hype after it."""
    for text in ("把以为不可能化为可能的医疗奇迹。", "把以為不可能化為可能的醫療奇蹟。"):
        assert [c for c, _ in findings(text)] == ["CLM006"]


def test_quality_misses_lists_what_was_not_found() -> None:
    """``bench/quality.py --misses`` names every clear finding the checker missed, and no other."""
    sys.path.insert(0, str(ROOT / "bench"))
    from quality_lib import Mark, misses

    record = {"id": "cn-promo-other-00", "genre": "promotional", "script": "hans",
              "lines": ["干细胞疗法根治糖尿病。", "扫码添加微信。"],
              "findings": [{"line": 1, "code": "CLM002", "quote": "根治", "grade": "clear"},
                           {"line": 2, "code": "ADV001", "quote": "扫码添加微信", "grade": "clear"},
                           {"line": 2, "code": "CLM006", "quote": "微信", "grade": "borderline"}],
              "traps": []}
    listed = list(misses([record], lambda r: [Mark("CLM002", 1, (5, 7))]))
    assert len(listed) == 1
    assert listed[0].startswith("cn-promo-other-00:2: ADV001 «扫码添加微信»")


@pytest.mark.parametrize(("text", "fires"), [
    ("我们采用脐带间充质干细胞。该疗法可显著改善糖尿病患者的血糖控制。", True),
    ("我們採用臍帶間充質幹細胞。因此已廣泛應用於多種疾病的治療。", True),
    ("我们采用脐带间充质干细胞。糖尿病患者应控制饮食，可显著改善血糖。", False),  # no carrying word
    ("我們採用臍帶間充質幹細胞。\n\n因此，規律運動可顯著改善中風患者的肢體功能。", False),  # another paragraph
    ("幹細胞治療糖尿病仍處於臨床試驗階段。因此可顯著改善患者血糖。", False),  # research stage before
])
def test_a_carried_subject_counts_only_where_it_is_carried(text: str, fires: bool) -> None:
    """``carry_subject`` (cooccurrence): a sentence opening with 因此/该疗法… takes the therapy from the
    sentence before, in the same paragraph, with that sentence's qualifiers."""
    head = "本院健康管理中心\n欢迎来电预约，名额有限。\n"  # sells, but names no therapy a line could inherit
    assert ("EVD003" in {c for c, _ in findings(head + text)}) is fires


@pytest.mark.parametrize(("spec", "problem"), [
    (["因此"], "/params/carry_subject: expected a mapping"),
    ({"note": "x"}, "/params/carry_subject/note: unknown key"),
])
def test_carry_subject_must_be_a_word_group(spec: object, problem: str) -> None:
    import yaml

    from kepulint.rules.validation import schema_problem

    rule = yaml.safe_load((ROOT / "rules" / "EVD003.yaml").read_text(encoding="utf-8"))
    rule["params"] = {"left": {"terms": ["干细胞"]}, "right": {"terms": ["疗程"]}, "carry_subject": spec}
    assert (schema_problem(rule) or "").startswith(problem)


@pytest.mark.parametrize("text", [
    "中央社記者台北1日電，衛福部近日公布違規廣告案例。\n"
    "業者宣稱幹細胞可顯著改善中風患者的肢體功能，並標榜「三天改善便秘」。\n"
    "廣告中號稱本品能有效改善睡眠，好評率高達99%。\n"
    "衛生局表示，業者稱「一個月瘦10斤」，已依法處以罰款。",
    "辟谣：网传干细胞“包治百病”是骗局\n"
    "网传“喝了两周，我的湿疹就好了”的说法不实。\n"
    "所谓“抗衰界的天花板”的面霜，其实是智商税。\n"
    "有商家宣称干细胞治疗已经帮助上千名自闭症儿童改善症状，这是虚假宣传。",
])
def test_reported_constructions_stay_silent_in_news_and_fact_checks(text: str) -> None:
    """The new constructions are judged by genre and voice like every phrase: a news report or a
    fact-check that reports the claims does not make them."""
    assert findings(text) == []
