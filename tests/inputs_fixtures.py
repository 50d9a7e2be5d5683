"""Drafts in the formats editors send: WeChat-style HTML exports and Word documents.

The Word files are built with python-docx, plus a little XML for what it cannot write
(tracked insertions ``w:ins`` and deletions ``w:del``, a deleted paragraph mark).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

# the same claims, three ways: plain text, split by inline tags, written with entities
PLAIN = "干细胞可以治愈糖尿病，一针见效。\n本疗法安全无副作用，是全球首款。"
SPLIT_TAGS = (
    '<section style="margin:0px;" data-role="outer"><section data-tools="135编辑器" style="padding:5px">'
    '<p style="font-size:15px">干细胞可以<span style="color:#c00000">治</span><span>愈</span>糖尿病，'
    '<b>一针</b>见效。</p>\n<p>本疗法<strong>安全</strong><em>无副作用</em>，是<a href="#x">全球</a>'
    '<font color="red">首款</font>。</p></section></section>'
)
ENTITIES = (
    "<p>干细胞可以&#27835;&#24840;糖尿病，&#x4E00;针见效。</p>"
    "<p>本疗法安全&#26080;&#21103;作用，是全球&#39318;&#27454;。</p>"
)

WECHAT_EXPORT = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>干细胞治疗抑郁症：新希望？</title>
<style>.rich_media_content p { line-height: 1.75em; } /* 根治 in a style is hidden */</style>
<script>var msg = "一针见效"; // hidden too</script>
</head>
<body>
<div class="rich_media_content" id="js_content">
<section data-role="outer" label="Powered by 135editor.com" style="font-family: 微软雅黑;">
<section data-tools="135编辑器" data-id="94182" style="margin: 10px auto;">
<section style="display: inline-block; width: 100%; border-width: 1px; border-style: solid;">
<section style="padding: 0px 8px;"><p style="text-align: center;"><span style="font-size: 18px;"><strong>\
干细胞治疗抑郁症</strong></span></p></section>
</section>
</section>
<section data-role="paragraph" class="_135editor">
<p style="text-indent: 2em;">&nbsp;&nbsp;据患者反馈，干细胞可以<span style="color: rgb(192, 0, 0);">治</span>\
<span style="color: rgb(192, 0, 0);">愈</span>重度抑郁症，<b>一针</b>见效！</p>
<p style="text-indent: 2em;">　　&#27835;&#24840;率高达95%，<strong>永不复发</strong>。</p>
<!-- 秀米 export marker: 全球首款 in a comment is hidden -->
<p><img src="x.png" alt="根治 in an alt text is hidden" data-ratio="0.5"/></p>
<p>我院干细胞中心<span style="letter-spacing: 1px;">&nbsp;</span>扫码预约，名额有限。</p>
<!-- kepulint-disable-next-line CLM001 -- 引用国家药监局公告原文 -->
<p>国内首个获批的间充质干细胞药品。</p>
</section>
</section>
</div>
</body>
</html>
"""


def _tracked(kind: str, text_tag: str, text: str, change_id: str) -> OxmlElement:
    """A tracked change (``w:ins`` or ``w:del``) holding one run of ``text``."""
    change = OxmlElement(kind, {qn("w:id"): change_id, qn("w:author"): "编辑", qn("w:date"): "2026-11-01T00:00:00Z"})
    run, t = OxmlElement("w:r"), OxmlElement(text_tag)
    t.text = text
    run.append(t)
    change.append(run)
    return change


def _paragraph_with_changes(doc: Document, before: str, inserted: str, deleted: str, after: str) -> None:
    """A paragraph ``before + inserted + after`` as a reader of the accepted text sees it, with
    ``deleted`` present as a tracked deletion."""
    p = doc.add_paragraph(before)
    p._p.append(_tracked("w:ins", "w:t", inserted, "1"))
    p._p.append(_tracked("w:del", "w:delText", deleted, "2"))
    p.add_run(after)


def word_draft(
    paragraphs: Sequence[str] = ("干细胞科普：糖尿病的新疗法", "干细胞可以根治糖尿病，一针见效。"),
    table: Sequence[Sequence[str]] = (("疗法", "效果"), ("干细胞", "治愈率高达95%")),
    tracked: tuple[str, str, str, str] | None = ("本疗法", "安全无副作用", "可能有风险", "，请遵医嘱。"),
    header: str | None = "某某医院 科普",
    footer: str | None = None,
    deleted_mark: bool = False,
) -> bytes:
    """A .docx: paragraphs, a table, a paragraph with a tracked insertion and deletion, header/footer."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        grid = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    if tracked:
        _paragraph_with_changes(doc, *tracked)
    if deleted_mark:  # "全球" + deleted paragraph mark + "首款。": one paragraph once accepted
        first = doc.add_paragraph("全球")
        ppr = first._p.get_or_add_pPr()
        rpr = OxmlElement("w:rPr")
        rpr.append(OxmlElement("w:del", {qn("w:id"): "3", qn("w:author"): "编辑"}))
        ppr.append(rpr)
        doc.add_paragraph("首款。")
    section = doc.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def word_paragraphs(data: bytes) -> list[str]:
    """What a reader of the accepted document sees, one paragraph a line (for expectations)."""
    from kepulint.text.readers.docx import read_docx

    return read_docx(data).split("\n")


__all__ = ["ENTITIES", "PLAIN", "SPLIT_TAGS", "WECHAT_EXPORT", "word_draft", "word_paragraphs"]
