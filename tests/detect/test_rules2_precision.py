"""Precision constructions of the claim and promotion rules (issue #15, second round): each
construction silent on fresh sentences of its class, in Simplified and Traditional, while the
claim it must not hide still fires. The sentences are written for these tests, not taken from
the corpus."""

from __future__ import annotations

import pytest

from kepulint.api import lint_text

PROMO_HEAD = "本院细胞治疗中心\n欢迎来电预约，名额有限。\n"  # booking hooks: the page sells


def codes_on_last_line(text: str) -> list[tuple[str, str]]:
    """(code, matched text) of the line-level diagnostics on the last line of ``text``."""
    last = text.count("\n") + 1
    return [(d.code, d.match) for d in lint_text(text, path="draft.txt", today="2026-12-07", profile="cn")
            if d.line == last and d.code not in ("DSC001", "DSC002", "META001")]


SILENT = [
    # CIT001: a measurement of a body, a tissue or a sample (a share of it, or of its own total)
    ("CIT001", "点阵激光每次只作用于约30%的皮肤表面。"),
    ("CIT001", "點陣雷射每次只作用於約30%的皮膚表面。"),
    ("CIT001", "NK细胞约占外周血淋巴细胞总数的10%。"),
    ("CIT001", "NK細胞約佔周邊血淋巴細胞總數的10%。"),
    ("CIT001", "成年人的水分约占体重的60%左右。"),
    # CIT001: a share in the blood or a tissue; a criterion to check
    ("CIT001", "中性粒细胞在血液中的占比约为50-70%。"),
    ("CIT001", "中性粒細胞在血液中的佔比約為50-70%。"),
    ("CIT001", "挑選機構時，要看細胞活率是否達到90%以上。"),
    # EVD003: a commerce word as a topic in a title's list, or as a variable of research or outcome
    ("EVD003", "外泌体生发全解析：原理、费用与注意事项"),
    ("EVD003", "外泌體生髮全解析：原理、費用與注意事項"),
    ("EVD003", "干细胞治疗自闭症的疗程设计仍在摸索之中。"),
    ("EVD003", "幹細胞修復效果受年齡與搭配療程等因素影響。"),
    # EVD003: an approval reported as a dated first; a drug in development; a disease's cost burden
    ("EVD003", "这是我国首款获批上市的间充质干细胞注射液。"),
    ("EVD003", "這是台灣第一款獲批上市的細胞治療產品。"),
    ("EVD003", "该注射液由某药企自主研发，属于干细胞新药，适应症为膝骨关节炎。"),
    ("EVD003", "該注射液由某藥廠自主研發，屬於幹細胞新藥，適應症為膝骨關節炎。"),
    ("EVD003", "干细胞研究方兴未艾，而中风带来的沉重医疗费用负担仍困扰着许多家庭。"),
    ("EVD003", "幹細胞研究方興未艾，而中風帶來的巨額醫療費用仍困擾著許多家庭。"),
    # EVD001: a named research field is no model result
    ("EVD001", "近年来干细胞基础与临床前研究的进展，为治疗帕金森病带来了新思路。"),
    ("EVD001", "近年來幹細胞基礎與臨床前研究的進展，為治療帕金森病帶來了新思路。"),
    ("EVD001", "近年来干细胞基础和临床前研究进展很快，胰岛移植治疗糖尿病仍受供体限制。"),
    ("EVD001", "近年來幹細胞基礎和臨床前研究進展很快，胰島移植治療糖尿病仍受供體限制。"),
    # CLM006: a rule or policy welcomed as good news
    ("CLM006", "罕见病用药纳入医保的新政策，对患者家庭可谓一大福音。"),
    ("CLM006", "罕見病用藥納入健保的新制，對病患家庭可謂一大福音。"),
    ("CLM006", "远程医疗法规松绑，对偏远地区的民众是莫大的福音。"),
    # CLM001: 唯一 counting a review step
    ("CLM001", "今年上半年唯一受理的间充质干细胞新药来自一家初创企业。"),
    ("CLM001", "今年上半年唯一受理的間充質幹細胞新藥來自一家新創公司。"),
    ("CLM001", "该公司是本月唯一提交申报的细胞药企。"),
    # ADV001: a third party's price list reported
    ("ADV001", "在上海某医美机构的价目表上，一次水光针标价3980元。"),
    ("ADV001", "在台中某醫美診所的價目表上，一次水光針標價12000元。"),
    ("ADV001", "记者查看某生物公司的收费表发现，储存费逐年上涨。"),
    # CLM005: a share of patients who stopped a drug is a rate, not a promise
    ("CLM005", "随访一年时，21%患者(8/38)成功停用降糖药。"),
    ("CLM005", "隨訪一年時，21%患者(8/38)成功停用降糖藥。"),
    ("CLM005", "约三成的受试者完全停用激素。"),
    # ADV001: a reader's question about the price
    ("ADV001", "很多人会问：干细胞回输的治疗费用大概是多少？"),
    ("ADV001", "很多人會問：幹細胞回輸的治療費用大概是多少？"),
    ("ADV001", "「外泌體療程費用怎麼算？」是讀者最常問的問題。"),
    # CLM001: the best interests of a person, a legal standard
    ("CLM001", "法院判决时以儿童的最佳利益为首要考虑。"),
    ("CLM001", "法院判決時以兒童的最佳利益為首要考量。"),
    ("CLM001", "医护人员应以患者最佳利益为依归。"),
    # ADV001: a placeholder number reaches nobody
    ("ADV001", "全国服务电话：400-000-0000"),
    ("ADV001", "聯絡電話：(02)000-00000"),
    ("ADV001", "021-00000000"),
    # EVD003: the cells' own role in the body
    ("EVD003", "巨噬细胞被医学界公认为机体内的“清道夫”。"),
    ("EVD003", "巨噬細胞被醫學界公認為機體內的「清道夫」。"),
    ("EVD003", "NK细胞被国际公认为免疫系统中的第一道防线。"),
    # ADV002: a case told as an incident
    ("ADV002", "在一则真实案例中，李某听信推销员的话，花光积蓄购买“神药”。"),
    ("ADV002", "在一則真實案例中，李某聽信推銷員的話，花光積蓄購買「神藥」。"),
    ("ADV002", "这起真实案例说明，老年人尤其要提防电话推销。"),
    ("ADV002", "這起真實案例說明，長者尤其要提防電話推銷。"),
]

FIRING = [
    # the same words where they are the claim
    ("CIT001", "约30%的患者皮肤出现红肿。", "30%"),
    ("CIT001", "約30%的患者皮膚出現紅腫。", "30%"),
    ("CLM006", "本院幹細胞療法對中風患者可謂一大福音。", "福音"),
    ("CLM006", "本院干细胞疗法对中风患者可谓一大福音。", "福音"),
    ("ADV002", "一个真实案例：张阿姨打了三次干细胞后，现在走路都没问题了。", "真实案例"),
    ("ADV002", "真實案例分享：客戶使用後皮膚明顯改善。", "真實案例"),
    ("CLM001", "本院是唯一獲得認可的幹細胞中心。", "唯一"),
    ("CLM001", "本院是唯一获得认可的干细胞中心。", "唯一"),
    ("ADV001", "本院价目表：干细胞回输每次3.8万元。", "价目表"),
    ("CLM005", "回输三次后，患者即可停用胰岛素。", "即可停用胰岛素"),
    ("EVD003", "本院NK细胞回输已获医学界公认。", "医学界公认"),
    ("ADV001", "干细胞回输疗程费用详询客服。", "疗程费用"),
    ("ADV001", "預約電話：(02)2345-6789", "電話：(02)2345-6789"),
    ("CLM005", "回輸三次後，患者即可停用胰島素。", "即可停用胰島素"),
]


@pytest.mark.parametrize("head", ["", PROMO_HEAD], ids=["plain", "selling"])
@pytest.mark.parametrize(("code", "sentence"), SILENT)
def test_construction_silences_its_class(code: str, sentence: str, head: str) -> None:
    assert code not in {c for c, _ in codes_on_last_line(head + sentence)}


@pytest.mark.parametrize(("code", "sentence", "match"), FIRING)
def test_claim_still_fires_on_a_page_that_sells(code: str, sentence: str, match: str) -> None:
    assert (code, match) in codes_on_last_line(PROMO_HEAD + sentence)


@pytest.mark.parametrize("sentence", [
    "这款药上市时曾经高达120万元一针，如今已有国产同类产品。",
    "這款藥上市時曾經高達120萬元一針，如今已有國產同類產品。",
    "这类进口针剂过去动辄8000元一支，如今已纳入集采。",
])
def test_a_reported_unit_price_offers_nothing(sentence: str) -> None:
    assert "ADV001" not in {c for c, _ in codes_on_last_line(sentence)}


@pytest.mark.parametrize(("sentence", "match"), [
    ("干细胞抗衰老疗程5000元一针，欢迎预约。", "5000元一针"),
    ("幹細胞抗衰老療程5000元一針，歡迎預約。", "5000元一針"),
])
def test_an_offered_unit_price_still_fires(sentence: str, match: str) -> None:
    assert ("ADV001", match) in codes_on_last_line(PROMO_HEAD + sentence)


@pytest.mark.parametrize("sentence", [
    "自體軟骨細胞移植治療膝關節軟骨缺損，目前已有6家醫院獲衛福部核准執行。",
    "自體脂肪幹細胞移植治療慢性傷口，已有兩家醫學中心經衛福部核准施行。",
    "幹細胞治療脊髓損傷，至今已有3家醫院獲衛福部核准實施。",
    "民眾若想接受幹細胞治療，應洽詢衛福部核准的台大醫院等醫療機構。",
    "自體免疫細胞治療請選擇衛福部核准並完成登記的醫學中心。",
])
def test_taiwan_hospitals_approved_to_perform(sentence: str) -> None:
    tw = [d.code for d in lint_text(sentence, path="draft.txt", today="2026-12-07", profile="tw")]
    cn = [d.code for d in lint_text(sentence, path="draft.txt", today="2026-12-07", profile="cn")]
    assert "EVD003" not in tw and "EVD003" in cn  # legal under 特管辦法 in Taiwan only


@pytest.mark.parametrize("sentence", [
    "停止接触过敏源后，急性荨麻疹有可能会自己痊愈。",
    "停止接觸過敏源後，急性蕁麻疹有可能會自己痊癒。",
    "远离诱因之后，湿疹常常会自行痊愈。",
])
def test_an_illness_that_heals_once_its_cause_is_removed(sentence: str) -> None:
    assert "CLM002" not in {c for c, _ in codes_on_last_line(PROMO_HEAD + sentence)}


@pytest.mark.parametrize(("sentence", "match"), [
    ("服用本品后，荨麻疹会自己痊愈。", "痊愈"),
    ("服用本品後，蕁麻疹會自己痊癒。", "痊癒"),
])
def test_a_product_credited_with_the_healing_still_fires(sentence: str, match: str) -> None:
    assert ("CLM002", match) in codes_on_last_line(PROMO_HEAD + sentence)
