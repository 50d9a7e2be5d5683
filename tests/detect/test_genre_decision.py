"""The genre decision weighs what a text earns (genre.yaml, issue #15 part 3): the publisher's own
voice and its price list weigh more than one sales word; a kind of sales wording counts once; a
named source with a reporting verb and a photo credit are a reporter's; cost and course words are
an offer only in a text that offers something. Simplified and Traditional, fresh sentences."""

from __future__ import annotations

import pytest

from kepulint.api import lint_text
from kepulint.reading.genre import Genre, genre_of
from kepulint.text.document import Document


def judged(text: str) -> Genre:
    return genre_of(Document.from_text(text, "a.txt"))


def codes(text: str) -> set[str]:
    return {d.code for d in lint_text(text, path="a.txt", today="2026-12-07")}


# -- the publisher's own voice -------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "本中心研发的软骨修护方案，已帮助许多膝痛的长者重新走路。",
    "本中心研發的軟骨修護方案，已幫助許多膝痛的長者重新走路。",
    "敝所的细胞培养流程经过二十年改良，品质稳定。",
    "敝所的細胞培養流程經過二十年改良，品質穩定。",
])
def test_the_publisher_speaking_of_itself_earns_promotional(text: str) -> None:
    assert judged(text).name == "promotional"


@pytest.mark.parametrize("text", [
    # a court says 本院 too: one ordinary signal, not a publisher's voice
    "本院认为，被告人以非法占有为目的骗取老人钱财，其行为构成诈骗罪。",
    "本院認為，被告人以非法占有為目的騙取老人錢財，其行為構成詐騙罪。",
    # the publisher's voice quoted from someone else
    "那家诊所的传单写着「本中心技术领先」，但细胞治疗仍在研究阶段。",
    "那家診所的傳單寫著「本中心技術領先」，但細胞治療仍在研究階段。",
])
def test_a_court_or_a_quoted_clinic_is_not_the_publisher(text: str) -> None:
    assert judged(text).name != "promotional"


# -- kinds of sales wording ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "叶黄素怎么选？如何挑选适合自己的剂型，营养师教你看标签。",
    "葉黃素怎麼選？如何挑選適合自己的劑型，營養師教你看標籤。",
])
def test_one_kind_of_sales_wording_counts_once(text: str) -> None:
    assert judged(text).name == "kepu"


@pytest.mark.parametrize("text", [
    "叶黄素怎么选？认准专利配方，黄金比例吸收更好，是护眼首选。",
    "葉黃素怎麼選？認準專利配方，黃金比例吸收更好，是護眼首選。",
    "水光针几乎无痛、无恢复期，效果更佳，很多顾客做完都回购。",
    "水光針幾乎無痛、無恢復期，效果更佳，很多顧客做完都回購。",
])
def test_two_kinds_of_sales_wording_earn_promotional(text: str) -> None:
    assert judged(text).name == "promotional"


@pytest.mark.parametrize("text", [
    "有商家号称这款胶原蛋白是抗衰首选，还号称独家专利。医生提醒，口服胶原蛋白会被消化分解。",
    "有商家號稱這款膠原蛋白是抗衰首選，還號稱獨家專利。醫生提醒，口服膠原蛋白會被消化分解。",
])
def test_sales_wording_held_at_arms_length_is_not_earned(text: str) -> None:
    assert judged(text).name != "promotional"


# -- a price list and the offer ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "NK细胞疗程的收费标准如下：采血与培养、回输与追踪，各项另计。",
    "NK細胞療程的收費標準如下：採血與培養、回輸與追蹤，各項另計。",
])
def test_a_price_list_makes_a_text_promotional_and_offering(text: str) -> None:
    genre = judged(text)
    assert (genre.name, genre.offers) == ("promotional", True)
    assert "EVD003" in codes(text)


@pytest.mark.parametrize("text", [
    "膝关节再生疗程全解析：效果、费用与选择\n认准专利技术，这是膝痛患者的首选。",
    "膝關節再生療程全解析：效果、費用與選擇\n認準專利技術，這是膝痛患者的首選。",
])
def test_a_promotional_text_that_offers_nothing_does_not_offer_its_costs(text: str) -> None:
    genre = judged(text)
    assert (genre.name, genre.offers) == ("promotional", False)
    assert "EVD003" not in codes(text)


@pytest.mark.parametrize("text", [
    "这类疗程动辄数十万元的治疗费用，让许多家庭望而却步。",
    "這類療程動輒數十萬元的治療費用，讓許多家庭望而卻步。",
])
def test_a_reported_treatment_cost_is_no_price_list(text: str) -> None:
    assert judged(text).name != "promotional"


# -- a reporter's voice --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "中医医院今日起分阶段投入服务。(陈某某摄)\n院长林某某表示，首年将开设十二个专病门诊。",
    "中醫醫院今日起分階段投入服務。(陳某某攝)\n院長林某某表示，首年將開設十二個專病門診。",
    "【本港新闻台】卫生署调查发现，一款凉茶未经注册。\n该公司发表声明，已停售全部批次。",
    "【本港新聞台】衞生署調查發現，一款涼茶未經註冊。\n該公司發表聲明，已停售全部批次。",
])
def test_a_named_source_a_credit_or_a_statement_earns_news(text: str) -> None:
    assert judged(text).name == "news"


@pytest.mark.parametrize("text", [
    "王医师表示，什么是鼻过敏？本文为你说明如何预防。",
    "王醫師表示，什麼是鼻過敏？本文為你說明如何預防。",
])
def test_a_doctor_explaining_to_the_reader_stays_kepu(text: str) -> None:
    assert judged(text).name == "kepu"


# -- 辟谣 buys nothing ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "辟谣：干细胞没有用是谣言！本中心的细胞疗程收费标准透明，效果有目共睹。",
    "闢謠：幹細胞沒有用是謠言！本中心的細胞療程收費標準透明，效果有目共睹。",
])
def test_debunking_words_do_not_outweigh_the_publishers_own_voice(text: str) -> None:
    assert judged(text).name == "promotional"


# -- approval and trial news, and a price in dollars ---------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("某公司的间充质干细胞注射液获批上市，药监局此前已受理其申请。", "news"),
    ("某公司的間充質幹細胞注射液獲批上市，藥監局此前已受理其申請。", "news"),
    ("什么是干细胞？本文为你说明它如何在体内修复组织。", "kepu"),
    ("什麼是幹細胞？本文為你說明它如何在體內修復組織。", "kepu"),
])
def test_an_approval_and_its_filing_earn_news(text: str, expected: str) -> None:
    assert judged(text).name == expected


@pytest.mark.parametrize(("text", "promotional"), [
    ("水光针每支$1,800，两支以上再减$300。", True),
    ("水光針每支$1,800，兩支以上再減$300。", True),
    ("消委会发现，坊间水光针每支$1,800至$4,000不等，呼吁市民小心。", False),
    ("消委會發現，坊間水光針每支$1,800至$4,000不等，呼籲市民小心。", False),
    ("记者调查发现，美白针每支$2,500，业者宣称可以变白。", False),
    ("記者調查發現，美白針每支$2,500，業者宣稱可以變白。", False),
])
def test_a_dollar_price_per_unit_is_an_offer_unless_reported(text: str, promotional: bool) -> None:
    assert (judged(text).name == "promotional") is promotional


@pytest.mark.parametrize(("text", "expected"), [
    ("近日，某公司宣布其干细胞注射液获得临床试验默示许可。媒体关注。本文科普：什么是干细胞？那么，它安全吗？",
     "kepu"),
    ("近日，某公司宣布其幹細胞注射液獲得臨床試驗默示許可。媒體關注。本文科普：什麼是幹細胞？那麼，它安全嗎？",
     "kepu"),
    ("近日，某公司宣布其干细胞注射液获得临床试验默示许可。媒体关注。本文介绍：什么是干细胞？那么，它安全吗？",
     "news"),
    ("近日，某公司宣布其幹細胞注射液獲得臨床試驗默示許可。媒體關注。本文介紹：什麼是幹細胞？那麼，它安全嗎？",
     "news"),
])
def test_a_text_that_declares_itself_kepu_weighs_more_than_its_news_hook(text: str, expected: str) -> None:
    assert judged(text).name == expected


# -- bench/quality.py --genres -------------------------------------------------------------

def test_the_genre_report_counts_agreements_and_lists_each_disagreement() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from quality_lib import genre_report

    records = [
        {"id": "cn-kepu-x-1", "genre": "kepu", "script": "hans", "lines": ["什么是干细胞？本文为你说明。"]},
        {"id": "tw-promo-x-2", "genre": "promotional", "script": "hant",
         "lines": ["本中心提供幹細胞療程，歡迎來電預約。"]},
        {"id": "cn-news-x-3", "genre": "news", "script": "hans", "lines": ["什么是干细胞？本文为你说明。"]},
    ]
    report = genre_report(records)
    assert report.startswith("Genre: 2 of 3 texts agree (0.67)")
    assert "| kepu | 0 | 1 | 0 | 0 | 0 | 1 |" in report
    assert "| promotional | 1 | 0 | 0 | 0 | 0 | 1 |" in report
    assert "| news | 0 | 1 | 0 | 0 | 0 | 1 |" in report
    assert [line.split(":")[0] for line in report.splitlines() if line.startswith(("cn-", "tw-"))] == ["cn-news-x-3"]
