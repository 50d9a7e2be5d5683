"""``--profile auto`` for Traditional texts from glyphs and wording, not script alone (issue #15):
Hong Kong's glyph standard (衞 着 綫 説), Taiwan's wording (網路 資訊 奈米 民眾 醫師), the characters
a mainland machine conversion leaves (于 采 内, 壹部分); a place or institution outweighs a hint."""

from __future__ import annotations

import pytest

from kepulint.reading.region import detect


@pytest.mark.parametrize(("text", "expected"), [
    ("衞生防護中心提醒，接種疫苗後應留意身體狀況，着涼時多休息。", "hk"),
    ("消委會檢視市面上14款益生菌產品，發現部分產品的菌數與標示不符，呼籲市民留意。", "hk"),
    ("外泌體是細胞分泌出的奈米囊泡，近年在網路上被大量討論，民眾應向醫師諮詢。", "tw"),
    ("衛教資訊：罹患糖尿病的癌友應定期回診，相關影片可在官網觀看。", "tw"),
    ("NK細胞處于機體免疫防護系統的第一線，能識別並清除異常細胞。", "cn"),
    ("膠原蛋白有很好的相容性，但其中很大壹部分會被人體消化系統過濾掉。", "cn"),
    ("香港大學的研究團隊指出，外泌體直徑約30至150奈米，療效仍待證實。", "hk"),
])
def test_traditional_texts_are_placed_by_glyphs_and_wording(text: str, expected: str) -> None:
    assert detect(text) == expected


@pytest.mark.parametrize("text", [
    "网络上流传的干细胞广告大多夸大疗效，消费者应向医生咨询。",
    "纳米级外泌体在网络上被大量讨论，民众应向医生咨询。",
])
def test_simplified_texts_stay_on_the_mainland_without_strong_wording(text: str) -> None:
    assert detect(text) == "cn"
