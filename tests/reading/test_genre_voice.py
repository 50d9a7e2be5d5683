"""Genre, voice, page furniture, jurisdiction, clause scope and structure (issue #15).

Each behaviour is shown firing and not firing, in Simplified and Traditional.
"""

from __future__ import annotations

import json

import pytest

from kepulint.api import lint_text
from kepulint.reading.genre import genre_of
from kepulint.reading.region import detect
from kepulint.text.document import Document


def codes(text: str, path: str = "a.txt", **kwargs: object) -> list[tuple[str, str]]:
    return [(d.code, d.match) for d in lint_text(text, path=path, today="2026-12-07", **kwargs)
            if d.code not in ("DSC001", "DSC002", "META001")]


def genre(text: str) -> str:
    return genre_of(Document.from_text(text, "a.txt")).name


# -- genre -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("新华社北京12月1日电（记者 王明）卫健委近日宣布，干细胞临床研究须备案。\n业内人士表示，监管更严。", "news"),
    ("中央社記者台北1日電，衛福部近日宣布修正特管辦法。\n醫師表示，民眾應選擇合格醫院。", "news"),
    ("经查，当事人发布的广告违反《广告法》第十六条，依法处以罚款5万元。\n责令停止发布。", "notice"),
    ("經查，當事人違反《藥事法》第六十九條，處罰鍰新臺幣20萬元。\n責令下架。", "notice"),
    ("辟谣：干细胞包治百病是骗局\n网传干细胞可以返老还童，这是谣言。", "factcheck"),
    ("本中心提供幹細胞療程，每次5萬元。\n歡迎來電預約。", "promotional"),
    ("什么是干细胞？本文为你介绍干细胞的基本知识。", "kepu"),
])
def test_genre_is_earned_from_the_text(text: str, expected: str) -> None:
    assert genre(text) == expected


@pytest.mark.parametrize("text", [
    "辟谣：干细胞真相\n我院干细胞疗法可根治糖尿病，立即预约咨询：010-88886666。",
    "闢謠：幹細胞真相\n本院幹細胞療法可根治糖尿病，立即預約諮詢：02-2345-6789。",
])
def test_a_booking_hook_keeps_a_text_promotional_whatever_its_headline(text: str) -> None:
    assert genre(text) == "promotional"
    assert ("CLM002", "根治") in codes(text)


@pytest.mark.parametrize("text", [
    "辟谣：网传干细胞可以根治糖尿病\n专家指出，所谓骗子让人扫码加微信购买“干细胞”。这是诈骗。",
    "闢謠：網傳幹細胞可以根治糖尿病\n專家指出，騙子誘導民眾掃碼加微信購買「幹細胞」。這是詐騙。",
])
def test_a_reported_hook_does_not_make_a_fact_check_promotional(text: str) -> None:
    assert genre(text) == "factcheck"


# -- voice -------------------------------------------------------------------------------

NEWS = "新华社北京12月1日电（记者 王明）近日，警方通报一起保健品诈骗案。\n{}\n据了解，涉案金额超过千万元。"
NEWS_T = "中央社記者台北1日電，警方近日通報一起保健品詐騙案。\n{}\n據了解，涉案金額超過千萬元。"


@pytest.mark.parametrize(("frame", "claim"), [
    (NEWS, "该团伙宣称其产品能根治糖尿病。"),
    (NEWS_T, "該集團宣稱其產品能根治糖尿病。"),
    (NEWS, "受害人说：“他们说吃了就能根治。”"),
    (NEWS_T, "受害人說：「他們說吃了就能根治。」"),
])
def test_a_reported_claim_in_a_news_report_is_not_a_finding(frame: str, claim: str) -> None:
    assert not [c for c in codes(frame.format(claim)) if c[0] == "CLM002"]


@pytest.mark.parametrize("text", [
    "我院干细胞疗法宣称能根治糖尿病，欢迎来电预约。",
    "本院幹細胞療法宣稱能根治糖尿病，歡迎來電預約。",
])
def test_a_promotional_text_owns_what_it_quotes(text: str) -> None:
    assert genre(text) == "promotional"
    # 宣称 is an old debunk cue for every genre (context.py); the quoted promise itself still fires
    quoted = text.replace("宣称能根治糖尿病", "“一针根治糖尿病”").replace("宣稱能根治糖尿病", "「一針根治糖尿病」")
    assert any(code == "CLM002" for code, _ in codes(quoted))


@pytest.mark.parametrize("text", [
    "很多患者迷信“保健品能根治疾病”，结果延误治疗。",
    "很多患者迷信「保健品能根治疾病」，結果延誤治療。",
])
def test_a_distancing_cue_silences_a_claim_in_kepu(text: str) -> None:
    assert not [c for c in codes(text) if c[0] == "CLM002"]


# -- EVD003: commerce words only when offered ------------------------------------------------

@pytest.mark.parametrize("text", [
    "本中心干细胞回输疗程每次5万元，欢迎来电预约。",
    "本中心幹細胞回輸療程每次5萬元，歡迎來電預約。",
])
def test_an_offered_course_fires_evd003(text: str) -> None:
    assert any(code == "EVD003" for code, _ in codes(text))


@pytest.mark.parametrize("text", [
    "新华社北京12月1日电（记者 王明）近日，市场监管部门通报：\n某机构的干细胞疗程动辄数万元一针，已被立案查处。",
    "中央社記者台北1日電，衛生局近日通報：\n某業者的幹細胞療程動輒數萬元一針，已遭處罰。",
    "干细胞治疗的相关费用须经主管机关审核。",
    "幹細胞治療的相關費用須經主管機關審核。",
])
def test_a_reported_or_regulated_price_does_not_fire_evd003(text: str) -> None:
    assert not [c for c in codes(text) if c[0] == "EVD003"]


# -- page furniture --------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "阅读 2380", "1.2万次浏览", "閱讀 2380 | 點贊 12", "来源：健康时报", "來源：聯合新聞網", "分享到：微信 微博",
    "首页 > 健康 > 干细胞",
])
def test_page_furniture_is_not_prose(line: str) -> None:
    text = f"干细胞可以根治糖尿病。\n{line}"
    doc = Document.from_text(text, "a.txt")
    from kepulint.reading.voice import in_furniture

    assert in_furniture(doc, text.index(line) + 1)
    assert not in_furniture(doc, 1)


# -- profile auto ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("干细胞治疗糖尿病的研究进展。", "cn"),
    ("台灣衛福部公布特管辦法，幹細胞治療須經核准。", "tw"),
    ("香港衞生署提醒市民，幹細胞治療有風險。", "hk"),
    ("幹細胞治療糖尿病的研究進展，國家藥監局已受理。", "cn"),  # mainland text converted to Traditional
])
def test_profile_auto_picks_the_jurisdiction(text: str, expected: str) -> None:
    assert detect(text) == expected


def test_the_json_report_says_which_profile_and_genre(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from kepulint.cli import main

    path = tmp_path / "a.txt"
    path.write_text("台灣衛福部公布特管辦法，本院提供幹細胞療程，歡迎來電預約。", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["check", str(path), "--format", "json", "--no-config", "--no-cache"])
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == [{"path": str(path), "profile": "tw", "genre": "promotional"}]
    assert {d["profile"] for d in report["diagnostics"]} == {"tw"}
    for d in report["diagnostics"]:  # each finding's help, in its file's profile, once per rule
        assert set(report["rules"][d["code"]]["help"]) == {"tw"}
    with pytest.raises(SystemExit):
        main(["check", str(path), "--format", "json", "--no-config", "--no-cache", "--profile", "cn"])
    assert json.loads(capsys.readouterr().out)["documents"][0]["profile"] == "cn"


# -- clause scope ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "这项实验治愈了小鼠，也为人类糖尿病的彻底根治铺平了道路。",
    "這項實驗治癒了小鼠，也為人類糖尿病的徹底根治鋪平了道路。",
])
def test_an_animal_cue_acts_within_its_clause(text: str) -> None:
    assert any(code == "CLM002" and "根治" in match for code, match in codes(text))


@pytest.mark.parametrize("text", [
    "在小鼠模型中，干细胞治愈了糖尿病。",
    "在小鼠模型中，幹細胞治癒了糖尿病。",
    "干细胞逆转了小鼠的体重下降，且优于传统药物氟西汀。",
])
def test_a_framing_clause_or_an_elided_subject_keeps_the_animal_scope(text: str) -> None:
    assert not [c for c in codes(text) if c[0] in ("CLM002", "CLM005")]


# -- structure -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "参考文献\n[1] Zhang L, et al. Stem cells. 2020.\n[2] Li M. Cell. 2021.\n干细胞可以根治糖尿病。",
    "參考文獻\n[1] Zhang L, et al. Stem cells. 2020.\n[2] Li M. Cell. 2021.\n幹細胞可以根治糖尿病。",
])
def test_a_claim_after_the_reference_list_is_linted(text: str) -> None:
    assert ("CLM002", "根治") in codes(text)


@pytest.mark.parametrize("text", [
    "参考文献\n[1] 王明. 干细胞可以根治糖尿病吗. 中华医学杂志. 2020.",
    "參考文獻\n[1] 王明. 幹細胞可以根治糖尿病嗎. 中華醫學雜誌. 2020.",
])
def test_a_reference_entry_is_not_linted(text: str) -> None:
    assert not [c for c in codes(text) if c[0] == "CLM002"]


@pytest.mark.parametrize(("text", "fires"), [
    ("外泌體療法介紹\n適用對象：慢性疲勞、皮膚老化", True),
    ("外泌体疗法介绍\n适用对象：慢性疲劳、皮肤老化", True),
    ("皮膚保養介紹\n適用對象：慢性疲勞、皮膚老化", False),
    ("皮肤保养介绍\n适用对象：慢性疲劳、皮肤老化", False),
])
def test_a_list_item_takes_its_subject_from_its_heading(text: str, fires: bool) -> None:
    found = [m for c, m in codes(text) if c == "EVD003"]
    assert bool(found) is fires
