"""Wording that names a claim without asserting it (voice.yaml ``unasserted``), issue #15.

Each construction is shown silencing a claim and, with the construction taken away, the same
claim firing; in Simplified and Traditional.
"""

from __future__ import annotations

import pytest

from kepulint.api import lint_text


def codes(text: str) -> set[str]:
    return {d.code for d in lint_text(text, path="a.txt", today="2026-12-07")
            if d.code not in ("DSC001", "DSC002", "META001")}


UNASSERTED = [
    # alternative question
    ("干细胞疗法究竟是生命科学的重大突破，还是消费陷阱？", "干细胞疗法是生命科学的重大突破。", "CLM006"),
    ("幹細胞療法，到底是醫學的重大突破，還是又一個消費陷阱？", "幹細胞療法是醫學的重大突破。", "CLM006"),
    ("NMN究竟是确有奇效，还是年轻人付出的智商税？", "NMN确有奇效，年轻人都在买。", "CLM006"),
    # refuted reading
    ("它不等同于治愈，说这款新药治愈率75%是误读。", "这款新药的治愈率75%。", "CLM004"),
    ("它不等同於治癒，說這款新藥治癒率75%純屬誤讀。", "這款新藥的治癒率75%。", "CLM004"),
    # lacking
    ("自闭症的核心症状至今缺乏根治手段。", "干细胞移植是自闭症的根治手段。", "CLM002"),
    ("自閉症的核心症狀至今缺乏根治手段，傳統療法只能緩解部分症狀。", "幹細胞移植能根治自閉症。", "CLM002"),
    ("糖尿病目前仍缺少能够彻底治愈的药物。", "这种药物能够彻底治愈糖尿病。", "CLM002"),
    # sought
    ("因此，探索能从根源逆转疾病进程的治疗手段，成为迫切需求。", "干细胞疗法能从根源逆转疾病进程。", "CLM002"),
    ("因此，尋找能夠逆轉疾病進程的治療方法，成為醫學界的迫切需求。", "幹細胞療法能夠逆轉疾病進程。", "CLM002"),
    # aim
    ("偏瘫患者应坚持康复训练，辅以物理治疗，以期达到最佳的恢复效果。", "针灸是偏瘫康复最佳的治疗方法。", "CLM001"),
    ("偏癱患者應持之以恆，輔以物理治療，以期達到最佳的恢復效果。", "針灸是偏癱康復最佳的治療方法。", "CLM001"),
    # natural course
    ("急性荨麻疹在停止接触过敏源后有可能会自己痊愈。", "服用本品后荨麻疹即可痊愈。", "CLM002"),
    ("急性蕁麻疹在停止接觸過敏源後有可能會自己痊癒，慢性蕁麻疹則應盡早求醫。", "服用本品後蕁麻疹即可痊癒。", "CLM002"),
    # simile about a reputation
    ("讲来讲去，冬虫夏草就好似变成什么病也医得好的神药。", "冬虫夏草是什么病也医得好的神药。", "CLM006"),
    ("慢慢講下講下，就好似變成什麼病也醫得好的神藥。", "冬蟲夏草是什麼病也醫得好的神藥。", "CLM006"),
]


@pytest.mark.parametrize(("silent", "fires", "code"), UNASSERTED)
def test_a_claim_named_without_being_asserted_is_silent(silent: str, fires: str, code: str) -> None:
    assert code not in codes(silent)
    assert code in codes(fires)


@pytest.mark.parametrize("text", [
    "我院干细胞疗法旨在彻底根治糖尿病，欢迎来电预约。",
    "本院幹細胞療法以期根治糖尿病，歡迎來電預約。",
])
def test_a_promotional_text_still_owns_its_aims(text: str) -> None:
    assert "CLM002" in codes(text)


@pytest.mark.parametrize("text", [
    "本品能促进伤口自行愈合，彻底根治溃疡。",
    "本品能根治糖尿病，究竟好在哪里？看完就知道。",
])
def test_the_constructions_do_not_reach_past_themselves(text: str) -> None:
    assert "CLM002" in codes(text)


# -- a reporting frame over clauses joined by semicolons ---------------------------------------

@pytest.mark.parametrize(("silent", "fires"), [
    ("辟谣：干细胞治疗乱象。号称能做干细胞的诊所多如牛毛；疗效从抗衰到抗癌，包治百病。这是骗局。",
     "辟谣：干细胞治疗乱象。诊所多如牛毛；疗效从抗衰到抗癌，包治百病。这是骗局。"),
    ("辟謠：幹細胞治療亂象。自稱能「做幹細胞」的診所多如牛毛；療效從抗衰到抗癌，包治百病。這是騙局。",
     "辟謠：幹細胞治療亂象。診所多如牛毛；療效從抗衰到抗癌，包治百病。這是騙局。"),
])
def test_a_reporting_cue_frames_the_clauses_after_its_semicolon(silent: str, fires: str) -> None:
    assert "CLM002" not in codes(silent)
    assert "CLM002" in codes(fires)


def test_the_frame_ends_at_a_full_stop() -> None:
    text = "辟谣：干细胞治疗乱象。号称能做干细胞的诊所多如牛毛。疗效从抗衰到抗癌，包治百病。这是骗局。"
    assert "CLM002" in codes(text)


# -- 擅自: a behaviour the article condemns ---------------------------------------------------------

@pytest.mark.parametrize(("silent", "fires"), [
    ("很多慢性病患者迷信保健品。擅自用保健品替代药物的慢性病患者，并发症发生率更高。",
     "很多慢性病患者迷信保健品。用保健品替代药物的慢性病患者，病情更稳定。"),
    ("擅自停用胰島素、改用保健品替代藥物的患者，併發症更多。", "改用保健品替代藥物，病情更穩定。"),
])
def test_a_condemned_behaviour_is_not_recommended(silent: str, fires: str) -> None:
    assert "CLM005" not in codes(silent)
    assert "CLM005" in codes(fires)


# -- a reader counter closing a meta line is page furniture ----------------------------------------

@pytest.mark.parametrize(("furniture", "prose"), [
    ("| 2024-05-01 | 健康 | 1,203人已读", "全国已有1,203人接受治疗"),
    ("| 2024-05-01 | 健康 | 1,203人已讀", "全台已有1,203人接受治療"),
    ("已有 1,203 人閱讀", "已有 1,203 名患者接受治療"),
    ("2024-05-01 · 3.2万人看过", "已有 1,203 名患者接受治疗"),
])
def test_a_reader_counter_is_furniture(furniture: str, prose: str) -> None:
    from kepulint.reading.voice import in_furniture
    from kepulint.text.document import Document

    for line, expected in ((furniture, True), (prose, False)):
        text = f"干细胞疗法介绍\n{line}\n干细胞疗法仍在研究阶段。"
        assert in_furniture(Document.from_text(text, "a.txt"), text.index(line) + 1) is expected


# -- a third party's words in a fact-check: source × verb without punctuation --------------------

@pytest.mark.parametrize(("silent", "fires"), [
    ("【事實查核】網傳喝檸檬水能治癌？\n社群流傳一段影片，片中男子說檸檬水能根治癌症。\n專家表示，此說法錯誤。",
     "片中男子說檸檬水能根治癌症。本院提供療程，歡迎來電預約。"),
    ("辟谣：吃木耳能降血脂？\n网上有文章称，每天吃木耳可以彻底清除血管垃圾。\n专家表示，这种说法不科学。",
     "吃木耳能降血脂？\n每天吃木耳可以彻底清除血管垃圾。\n专家表示，木耳富含膳食纤维。"),
])
def test_a_named_third_party_reports_the_claim_in_a_fact_check(silent: str, fires: str) -> None:
    assert "CLM002" not in codes(silent)
    assert "CLM002" in codes(fires)


@pytest.mark.parametrize("text", [
    "本品采用天然配方，使用后荨麻疹会自然痊愈，欢迎来电咨询。",
    "本品採用天然配方，使用後蕁麻疹會自然痊癒，歡迎來電諮詢。",
])
def test_a_promotional_text_owns_the_natural_course_it_credits_to_its_product(text: str) -> None:
    assert "CLM002" in codes(text)


@pytest.mark.parametrize("text", [
    "我们找到了能够彻底根治糖尿病的方法。",
    "我們研發出能夠徹底根治糖尿病的技術。",
    "这种疗法旨在彻底根治糖尿病。",
    "這種療法旨在徹底根治糖尿病。",
])
def test_found_developed_or_designed_to_cure_is_a_claim(text: str) -> None:
    assert "CLM002" in codes(text)


# -- a subjectless sentence continues the reported pitch before it (critical genres) -------------

@pytest.mark.parametrize(("silent", "fires"), [
    ("记者调查发现，美容院老板声称这种干细胞产品是进口的抗衰老针剂。注射后可以逆转衰老，永葆青春。\n市场监管部门表示将依法查处。",
     "记者调查发现，美容院老板推荐这种干细胞产品。注射后可以逆转衰老，永葆青春。\n市场监管部门表示将依法查处。"),
    ("記者調查發現，美容院老闆聲稱這種幹細胞產品是進口的抗衰老針劑。注射後可以逆轉衰老，永保青春。\n衛生局表示將依法查處。",
     "記者調查發現，美容院老闆推薦這種幹細胞產品。注射後可以逆轉衰老，永保青春。\n衛生局表示將依法查處。"),
])
def test_a_subjectless_sentence_continues_a_reported_pitch(silent: str, fires: str) -> None:
    assert "CLM002" not in codes(silent)
    assert "CLM002" in codes(fires)


def test_a_promotional_text_owns_the_continuation() -> None:
    text = "美容院老板声称这种干细胞产品是进口的。注射后可以逆转衰老。本院提供正规疗程，欢迎来电预约。"
    assert "CLM002" in codes(text)
