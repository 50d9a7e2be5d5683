"""Recall constructions of the claim rules (issue #15, second round): a trial licence received
and patients recruited by number (TRL001); a count noun with a comparison and a number in 万/亿,
and a fraction a rate reaches (CIT001); safety declared confirmed (CLM003); an appeal to what
unnamed authorities said (CIT002); a complaint solved by the therapy (EVD003). Each fires on
fresh sentences in Simplified and Traditional, and is silent when a registry ID or a named source
is given, when asked, or as a purpose or a requirement. The sentences are written for these
tests, not taken from the corpus."""

from __future__ import annotations

import pytest

from kepulint.api import lint_text


def findings(text: str) -> list[tuple[str, str]]:
    """(code, matched text) of the line-level diagnostics of ``text``."""
    return [(d.code, d.match) for d in lint_text(text, path="draft.txt", today="2026-12-07", profile="cn")
            if d.code not in ("DSC001", "DSC002", "META001")]


FIRING = [
    ("TRL001", "某生物公司的间充质干细胞注射液获得国家药监局临床试验通知书。", "获得国家药监局临床试验通知书"),
    ("TRL001", "某生技公司的間充質幹細胞注射液取得臨床試驗許可。", "取得臨床試驗許可"),
    ("TRL001", "该细胞药物日前收到临试通知。", "收到临试通知"),
    ("TRL001", "某醫院啟動幹細胞研究，招募60位膝關節炎患者。", "招募60位"),
    ("TRL001", "项目将征集120例帕金森病患者参与。", "征集120例"),
    ("CIT001", "全国糖尿病患者已突破1.4亿。", "患者已突破1.4亿"),
    ("CIT001", "每年新發病例超過 40 萬例。", "病例超過 40 萬例"),
    ("CIT001", "我国卒中死亡人数高达200万。", "死亡人数高达200万"),
    ("CIT002", "正如业内专家多次强调的，益生菌要选活菌数高的。", "正如业内专家多次强调的"),
    ("CLM003", "这款胶原蛋白饮已证实了其安全性。", "证实了其安全性"),
    ("CLM003", "臨床觀察確認了外泌體精華的安全性。", "確認了外泌體精華的安全性"),
    ("CLM003", "多年使用证明本品的安全性。", "证明本品的安全性"),
    ("CIT002", "正如許多醫生所說的，膠原蛋白要天天補。", "正如許多醫生所說的"),
    ("CIT002", "正如相关研究指出的，灵芝孢子粉能提高免疫力。", "正如相关研究指出的"),
    ("CIT001", "在我国，1型糖尿病的患病率约为1/1000。", "1/1000"),
    ("CIT001", "台灣自閉症的盛行率已上升至1/50，家長應多留意。", "1/50"),
    ("CIT001", "該病在新生兒中的發生率近1/3000。", "1/3000"),
]

SILENT = [
    ("TRL001", "某生物公司的间充质干细胞注射液获得临床试验通知书（CXSL2300123）。"),
    ("TRL001", "某醫院啟動幹細胞研究（NCT05123456），招募60位膝關節炎患者，截至2025年3月。"),
    ("CIT001", "据国家卫健委2024年数据，全国糖尿病患者已突破1.4亿。"),
    ("CIT001", "根據衛福部2023年統計，每年新發病例超過 40 萬例。"),
    ("CIT001", "每次服用剂量为1/2片，饭后服用。"),
    ("CIT002", "正如世界卫生组织在2023年报告中指出的，全球约有3.5亿人患抑郁症。"),
    ("CLM003", "新药上市前需要证明其安全性。"),
    ("CLM003", "新藥上市前必須經過試驗，證明其安全性才能核准。"),
    ("CLM003", "治疗前应做皮试，以确认安全性。"),
    ("CIT001", "據美國CDC 2023年數據，自閉症的發生率已上升至1/36。"),
]


@pytest.mark.parametrize(("code", "sentence", "match"), FIRING)
def test_construction_fires(code: str, sentence: str, match: str) -> None:
    assert (code, match) in findings(sentence)


@pytest.mark.parametrize(("code", "sentence"), SILENT)
def test_with_its_source_it_is_silent(code: str, sentence: str) -> None:
    assert code not in {c for c, _ in findings(sentence)}


PROMO_HEAD = "本院细胞治疗中心\n欢迎来电预约，名额有限。\n"  # booking hooks: the page sells


@pytest.mark.parametrize(("sentence", "match"), [
    ("打一针干细胞，困扰多年的关节疼痛从此有解。", "疼痛从此有解"),
    ("幹細胞回輸，中風後遺症終於有救！", "後遺症終於有救"),
    ("外泌体新选择，皮肤老化问题有解。", "问题有解"),
])
def test_a_complaint_solved_by_the_therapy(sentence: str, match: str) -> None:
    assert ("EVD003", match) in findings(PROMO_HEAD + sentence)


@pytest.mark.parametrize("sentence", [
    "干细胞治疗膝关节疼痛有解吗？",
    "幹細胞讓中風後遺症有救了嗎？",
])
def test_asked_whether_it_is_solved(sentence: str) -> None:
    assert "EVD003" not in {c for c, _ in findings(PROMO_HEAD + sentence)}
