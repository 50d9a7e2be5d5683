"""News earned from reporting constructions (genre.yaml), issue #15: a person the reporter met,
a collective speaker in the third person, newspaper furniture; in Simplified and Traditional."""

from __future__ import annotations

import pytest

from kepulint.reading.genre import genre_of
from kepulint.text.document import Document


def genre(text: str) -> str:
    return genre_of(Document.from_text(text, "a.txt")).name


@pytest.mark.parametrize("text", [
    "从事美容业的林小姐，去年接受了外泌体注射。\n林小姐表示，是业内人士主动联系她。",
    "從事美容業的林小姐，去年接受了外泌體注射。\n林小姐表示，是業內人士主動聯繫她。",
    "北京的高玉(化名)在美容院注射了干细胞。\n主持人：整整两年了，她受尽了折磨。",
    "12月11日，中醫醫院分階段投入服務。\n有市民表示，醫師解釋仔細。院方表示，首年會開展12個專病項目。",
    "12月11日，中医医院分阶段投入服务。\n有市民表示，医师解释仔细。院方表示，首年会开展12个专病项目。",
])
def test_reporting_constructions_earn_news(text: str) -> None:
    assert genre(text) == "news"


@pytest.mark.parametrize("text", [
    "林医师表示，干细胞治疗仍在研究阶段。什么是干细胞？本文为你介绍。",
    "林醫師表示，幹細胞治療仍在研究階段。什麼是幹細胞？本文為你介紹。",
    "本院提供干细胞疗程，欢迎来电预约。\n王先生表示，治疗后精神很好。",
    "本院提供幹細胞療程，歡迎來電預約。\n王先生表示，治療後精神很好。",
])
def test_a_doctor_explaining_or_a_clinic_quoting_a_client_is_not_news(text: str) -> None:
    assert genre(text) != "news"


@pytest.mark.parametrize(("text", "expected"), [
    ("上证报讯(记者 孔子元)国际医学公告，公司参股的汉氏联合收到临床试验通知书。", "news"),
    ("中央社記者報導，衛福部公告修正特管辦法，開放更多細胞治療項目。", "news"),
    ("特此公告。经查，当事人发布违法广告，依法处以罚款，责令停止发布。", "notice"),
    ("特此公告。經查，當事人違反《藥事法》，處罰鍰新臺幣20萬元，責令下架。", "notice"),
])
def test_a_report_of_a_notice_is_news_unless_the_regulator_outscores_the_reporter(text: str, expected: str) -> None:
    assert genre(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("吃木耳能降血脂？\n网上有文章称，每天吃木耳可以清除血管垃圾。\n专家表示，这种说法不科学。", "factcheck"),
    ("吃木耳能降血脂？\n網路上流傳文章稱，每天吃木耳可以清除血管垃圾。\n專家表示，這種說法沒有科學根據。", "factcheck"),
    ("【部分错误】吃木耳能降血脂？\n专家表示，木耳富含膳食纤维，但不能代替药物。", "kepu"),
    ("吃木耳能降血脂？\n專家表示，木耳富含膳食纖維，有助維持健康。", "kepu"),
])
def test_a_verdict_on_a_circulating_claim_earns_a_fact_check(text: str, expected: str) -> None:
    assert genre(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("记者暗访发现，一家美容院推销所谓“干细胞美容针”，称一针就能年轻十岁，每针收费2.8万元。\n市场监管部门表示，将依法查处。",
     "news"),
    ("記者暗訪發現，一家美容院推銷所謂「幹細胞美容針」，稱一針就能年輕十歲，每針收費2.8萬元。\n衛生局表示，將依法查處。",
     "news"),
    ("市面上干细胞价格混乱，本院每针收费2万元。\n干细胞可以根治糖尿病。", "promotional"),
    ("市面上幹細胞價格混亂，每針僅需2萬元。\n幹細胞可以根治糖尿病。", "promotional"),
])
def test_a_price_in_a_relayed_pitch_is_reported_unless_worded_or_voiced_as_an_offer(text: str, expected: str) -> None:
    assert genre(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("從事美容業的林小姐，一次「熟人推薦」的外泌體試用，竟成了毀容噩夢。\n林小姐表示，業內人士主動聯繫她。為什麼會這樣？",
     "news"),
    ("从事美容业的林小姐，一次“熟人推荐”的外泌体试用，竟成了毁容噩梦。\n林小姐表示，业内人士主动联系她。为什么会这样？",
     "news"),
])
def test_sales_wording_in_quotation_marks_is_not_the_texts_own(text: str, expected: str) -> None:
    assert genre(text) == expected
    assert genre(text.replace("「熟人推薦」", "熟人推薦").replace("“熟人推荐”", "熟人推荐")) == "kepu"
