"""Write the adversarial corpus and its manifest (run from anywhere; rewrites both).

    python tests/adversarial/make_corpus.py

Each case is a file whose bytes are spelled out here, the extra command-line arguments
it is checked with, and the outcome expected from ``kepulint check --no-config --format
json``: exit code, diagnostics, errors and notices. Expected positions are computed here
from where the trigger text sits in the file (lines end at CR, LF or CRLF; columns count
code points; both 1-based, end exclusive), never by running kepulint. The manifest is
what tests/test_robustness.py reads; keep this script and manifest.json in step.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CLAIM = "干细胞可以根治糖尿病。"
CLAIM_TW = "幹細胞可以根治糖尿病，永不復發。"
DISCLAIMER = "免责声明：本文仅供科普参考，不构成医疗建议，如有不适请及时就医。"


@dataclass
class Case:
    file: str
    what: str
    data: bytes
    text: str | None  # the decoded text positions refer to (None: not linted)
    args: list[str] = field(default_factory=lambda: ["--select", "CLM002"])
    exit: int = 0
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    xfail: str = ""


def position(text: str, offset: int) -> tuple[int, int]:
    """(line, column), 1-based, of ``offset`` in ``text``: CR, LF and CRLF end lines."""
    line, start, i = 1, 0, 0
    while i < offset:
        ch = text[i]
        if ch == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            i += 1  # CRLF is one line end; the LF closes it
        if ch in "\r\n":
            line, start = line + 1, i + 1
        i += 1
    return line, offset - start + 1


def diag(text: str, code: str, match: str, nth: int = 0, severity: str | None = None) -> dict[str, Any]:
    """The diagnostic for the ``nth`` occurrence (0-based) of ``match`` in ``text``."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(match, offset + 1)
    line, column = position(text, offset)
    end_line, end_column = position(text, offset + len(match))
    out: dict[str, Any] = {"code": code, "line": line, "column": column, "end_line": end_line,
                           "end_column": end_column, "match": match}
    if severity:
        out["severity"] = severity
    return out


def utf8(file: str, what: str, text: str, found: list[tuple[str, str, int]] | None = None, **kw: Any) -> Case:
    diags = [diag(text, code, match, nth) for code, match, nth in (found or [])]
    kw.setdefault("exit", 1 if diags else 0)
    return Case(file, what, text.encode("utf-8"), text, diagnostics=diags, **kw)


def cases() -> list[Case]:
    out: list[Case] = []
    add = out.append

    # -- encodings ----------------------------------------------------------------------
    text = "# 标题\n\n" + CLAIM + "\n"
    add(utf8("encodings/utf8.md", "UTF-8 without BOM", text, [("CLM002", "根治", 0)]))
    add(Case("encodings/utf8_bom.md", "UTF-8 with BOM: the BOM is dropped, columns start after it",
             codecs.BOM_UTF8 + text.encode("utf-8"), text, exit=1, diagnostics=[diag(text, "CLM002", "根治")]))
    for name, bom, codec in (("utf16le_bom", codecs.BOM_UTF16_LE, "utf-16-le"),
                             ("utf16be_bom", codecs.BOM_UTF16_BE, "utf-16-be")):
        add(Case(f"encodings/{name}.md", f"UTF-16 ({codec[-2:].upper()}) with BOM",
                 bom + text.encode(codec), text, exit=1, diagnostics=[diag(text, "CLM002", "根治")],
                 notices=["decoded as utf-16"]))
    add(Case("encodings/utf32_bom.md", "UTF-32 (LE) with BOM", codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
             text, exit=1, diagnostics=[diag(text, "CLM002", "根治")], notices=["decoded as utf-32"]))
    add(Case("encodings/utf16le_nobom.md", "UTF-16 without BOM: named, not guessed",
             text.encode("utf-16-le"), None, exit=2,
             errors=[{"kind": "error", "message": "looks like UTF-16 without a byte-order mark"},
                     {"kind": "error", "message": "--encoding utf-16-le"}]))
    gbk_text = "# 干细胞科普\n\n这是一篇关于干细胞治疗糖尿病的科普文章。\n\n" + CLAIM + "\n"
    gbk = gbk_text.encode("gbk")
    add(Case("encodings/gbk.md", "GBK: an error naming the encoding and how to pass it", gbk, None, exit=2,
             errors=[{"kind": "error", "message": "looks like GB18030"},
                     {"kind": "error", "message": "--encoding gb18030"}]))
    big5_text = "# 幹細胞衛教\n\n這是一篇關於幹細胞治療糖尿病的衛教文章。\n\n" + CLAIM_TW + "\n"
    big5 = big5_text.encode("big5")
    add(Case("encodings/big5.md", "Big5: an error naming the encoding and how to pass it", big5, None, exit=2,
             errors=[{"kind": "error", "message": "looks like Big5"},
                     {"kind": "error", "message": "--encoding big5"}]))
    add(Case("encodings/gbk.md", "GBK with --encoding gb18030", gbk, gbk_text,
             args=["--select", "CLM002", "--encoding", "gb18030"], exit=1,
             diagnostics=[diag(gbk_text, "CLM002", "根治")], notices=["decoded as gb18030"]))
    add(Case("encodings/big5.md", "Big5 with --encoding big5", big5, big5_text,
             args=["--select", "CLM002", "--encoding", "big5"], exit=1,
             diagnostics=[diag(big5_text, "CLM002", "根治"), diag(big5_text, "CLM002", "永不復發")],
             notices=["decoded as big5"]))
    for file, data, decoded, codec in (("encodings/gbk.md", gbk, gbk_text, "gb18030"),
                                       ("encodings/big5.md", big5, big5_text, "big5")):
        found = [diag(decoded, "CLM002", "根治")]
        if "永不復發" in decoded:
            found.append(diag(decoded, "CLM002", "永不復發"))
        add(Case(file, f"{codec} file with --encoding auto: detected, linted, and the codec named", data,
                 decoded, args=["--select", "CLM002", "--encoding", "auto"], exit=1, diagnostics=found,
                 notices=[f"decoded as {codec} (detected)"]))
    stray = ("# 干细胞科普\n\n" + "干细胞研究近年来受到广泛关注，研究人员正在评估其安全性。\n" * 8).encode("utf-8")
    stray += "第九行：".encode() + "糖尿病".encode("gbk") + "。\n".encode()
    add(Case("encodings/utf8_with_gbk_word.md", "UTF-8 with one GBK word: the line of the stray bytes",
             stray, None, exit=2,
             errors=[{"kind": "error", "message": "line 11"},
                     {"kind": "error", "message": "the rest of the file is UTF-8"}]))

    # -- odd files ----------------------------------------------------------------------
    add(Case("odd/image.md", "a PNG named on the command line: an error (not a text draft), exit 2",
             b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), None, exit=2,
             errors=[{"kind": "error", "message": "binary file (PNG image), not a text draft"}]))
    add(Case("odd/document.txt", "a PDF with a .txt name, named: an error", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
             None, exit=2, errors=[{"kind": "error", "message": "binary file (PDF document), not a text draft"}]))
    text = "# 标题\n\n" + CLAIM + "\n\x00\n"
    add(utf8("odd/nul_byte.md", "a NUL byte in a draft: linted, the control character named", text,
             [("CLM002", "根治", 0)], notices=["contains a control character (first U+0000 at 4:1); linted as text"]))
    add(utf8("odd/empty.md", "an empty file", ""))
    add(utf8("odd/whitespace_only.md", "only whitespace: spaces, tabs, ideographic spaces, blank lines",
             " \n\t\n\u3000\u3000\n\r\n\n"))
    add(utf8("odd/front_matter_only.md", "only front matter", "---\ntitle: 干细胞\nauthor: 某某\n---\n",
             args=["--select", "CLM002,CLM006"]))
    text = "---\ntitle: 干细胞\ndate: 2024-13-45\nupdated: 2024-02-30 25:61:00\n---\n\n" + CLAIM + "\n"
    add(utf8("odd/front_matter_bad_date.md", "front matter with impossible dates (PyYAML raises ValueError)",
             text, [("CLM002", "根治", 0)]))
    text = "---\nmeta: " + "[" * 3000 + "]" * 3000 + "\n---\n\n" + CLAIM + "\n"
    add(utf8("odd/front_matter_deep.md", "front matter nested 3000 levels deep (RecursionError)", text,
             [("CLM002", "根治", 0)]))
    text = "---\ntitle: [unclosed\n---\n\n" + CLAIM + "\n"
    add(utf8("odd/front_matter_invalid.md", "front matter that is not YAML", text, [("CLM002", "根治", 0)]))
    text = ("\x01\x02\x07\x1b[31m" + CLAIM + "\x1b[0m\n"
            "\x7f\x08\x0b\x0c" + CLAIM + "\n"
            "\x85\u2028\u2029" + CLAIM + "\n"
            "\x1c\x1d\x1e\x1f" + CLAIM + "\n")
    add(utf8("odd/control_chars.txt", "C0/C1 controls, VT, FF, NEL, U+2028/2029 (none of them ends a line)",
             text, [("CLM002", "根治", i) for i in range(4)]))
    text = ("干细胞可以根\u200b治糖尿病。\n"
            "干细胞可以根\u200c治糖尿病。\n"
            "干细胞可以根\u200d治糖尿病。\n"
            "干细胞\u2060可以根\u00ad治糖尿病。\n"
            "\ufeff\u200b\u200b干细胞可以根\ufeff治糖尿病。\n")
    add(utf8("odd/zero_width.md", "zero-width characters inside and before the trigger", text,
             [("CLM002", "根\u200b治", 0), ("CLM002", "根\u200c治", 0), ("CLM002", "根\u200d治", 0),
              ("CLM002", "根\u00ad治", 0), ("CLM002", "根\ufeff治", 0)]))
    text = ("👨\u200d👩\u200d👧\u200d👦 " + CLAIM + "\n"
            "🇨🇳🇹🇼🇭🇰 " + CLAIM + " 🏳️\u200d🌈\n"
            "👍🏽💉🧬" + CLAIM + "😀\n")
    add(utf8("odd/emoji.md", "emoji: ZWJ family, flags, skin tones (astral, ZWJ folded away)", text,
             [("CLM002", "根治", i) for i in range(3)]))
    text = ("Cafe\u0301 re\u0301sume\u0301 " + CLAIM + "\n"
            "\u0300\u0301\u0302" + CLAIM + "\n"
            "Z\u0351\u0352\u0353\u0354\u0355a\u0356\u0357lgo " + CLAIM + "\n")
    add(utf8("odd/combining.md", "combining marks (stacked, leading a line)", text,
             [("CLM002", "根治", i) for i in range(3)]))
    text = ("\ue000\uf8ff" + CLAIM + "\n"
            "\ufffd\ufffd" + CLAIM + "\n"
            "𠀀𪚥𫝀𰀀" + CLAIM + "\n"
            "\U000e0001\U000e0063\U0010fffd\ufdd0\uffff" + CLAIM + "\n")
    add(utf8("odd/unusual_code_points.md", "private use (incl. kepulint's own URL filler U+E000), U+FFFD, "
             "CJK Ext-B/C/G, tags, noncharacters", text, [("CLM002", "根治", i) for i in range(4)]))
    text = "第一行\r\n第二行\r" + CLAIM + "\n\r\n第五行\r\r" + CLAIM + "\r\n" + CLAIM + "\n"
    add(utf8("odd/mixed_newlines.txt", "LF, CR and CRLF in one plain-text file", text,
             [("CLM002", "根治", i) for i in range(3)]))
    add(utf8("odd/mixed_newlines.md", "LF, CR and CRLF in one Markdown file", text,
             [("CLM002", "根治", i) for i in range(3)]))
    text = ("# 标题\r\n\r\n```\r\n" + CLAIM + "\r\n```\r\n\r\n" + CLAIM + "\r\n\r\n"
            "~~~~\r\n" + CLAIM + "\r\n~~~~\r\n" + CLAIM + "\r\n")
    add(utf8("odd/crlf_fences.md", "CRLF Markdown: code fences close (claims after them are found)", text,
             [("CLM002", "根治", 1), ("CLM002", "根治", 3)]))
    add(utf8("odd/cr_fences.md", "CR-only Markdown: code fences are code", text.replace("\r\n", "\r"),
             [("CLM002", "根治", 1), ("CLM002", "根治", 3)]))
    text = ("---\r\ntitle: 干细胞\r\ndisclaimer: 本文仅供参考，不构成医疗建议，请咨询医生。\r\n---\r\n\r\n"
            "# 干细胞\r\n\r\n" + CLAIM + "\r\n")
    for name, nl in (("crlf", "\r\n"), ("cr", "\r")):
        add(utf8(f"odd/{name}_front_matter.md", f"{name.upper()} front matter with a disclaimer",
                 text.replace("\r\n", nl), [("CLM002", "根治", 0)], args=["--select", "CLM002,DSC001"]))
    text = "干细胞可以根治糖尿病\r有望在未来得到验证。\r"
    add(Case("odd/cr_sentences.txt", "a CR ends a sentence: a hedge on the next line does not lower it",
             text.encode(), text, exit=1, diagnostics=[diag(text, "CLM002", "根治", severity="error")]))
    text = "干细胞研究。" * 30000 + CLAIM + "\n"
    add(utf8("odd/long_line.txt", "a 180 000-character line with the claim at its end", text,
             [("CLM002", "根治", 0)]))
    text = ("# 干细胞\n\n`根治` 与 ``根治`` 是代码。\n\n<!-- 根治 -->\n\n"
            "见 https://example.com/根治 与 [链接](https://example.com/根治)。\n\n"
            "    干细胞可以根治糖尿病（缩进代码）\n\n" + CLAIM + "\n")
    add(utf8("odd/markdown_masking.md", "claims in code, comments and URLs are not prose", text,
             [("CLM002", "根治", 6)]))
    add(utf8("odd/markdown_masking.txt", "the same in plain text: code and links are prose there", text,
             [("CLM002", "根治", 0), ("CLM002", "根治", 1), ("CLM002", "根治", 5), ("CLM002", "根治", 6)]))
    text = "Ⅱ期\u200b试验后，" + "干细胞可以根\u200b治糖尿病，" + "ⅢⅣ期" + "永不复发。\n"
    add(utf8("odd/roman_zero_width.md", "Roman numerals (folded longer) and zero-width (folded away)", text,
             [("CLM002", "根\u200b治", 0), ("CLM002", "永不复发", 0)]))
    text = "\u3000\u3000干细胞可以根治糖尿病。１００％有效！\n"
    add(utf8("odd/fullwidth.md", "ideographic spaces and full-width digits (folded to ASCII)", text,
             [("CLM002", "根治", 0), ("CLM002", "１００％有效", 0)]))

    text = ("价格`低于市场\n\n" + CLAIM + "\n\n另一个`符号\n\n"
            "当 x<a 时\n\n" + CLAIM + "\n\n 且 y>b\n\n"
            "正文<!-- 没有闭合的注释\n\n" + CLAIM + "\n\n正文 -->\n")
    add(utf8("odd/stray_markup.md", "a stray backtick, < or inline <!-- hides nothing beyond its paragraph",
             text, [("CLM002", "根治", i) for i in range(3)]))
    text = ("```\n<!--\n```\n\n" + CLAIM + "\n\n-->\n\n"
            "<!--\n```\n-->\n\n" + CLAIM + "\n")
    add(utf8("odd/comment_vs_fence.md", "<!-- inside a fence is code; a fence inside a comment is comment", text,
             [("CLM002", "根治", 0), ("CLM002", "根治", 1)]))
    text = CLAIM + "\n\n<!-- 未闭合的注释块\n\n" + CLAIM + "\n"
    add(utf8("odd/unclosed_block_comment.md", "an unclosed comment opening a line hides the rest (as rendered)",
             text, [("CLM002", "根治", 0)]))

    # -- size ---------------------------------------------------------------------------
    text = ("干细胞研究进展。" * 100 + "\n") * 3
    add(Case("size/over_limit.md", "over --max-file-size: a notice, skipped, exit 0", text.encode(), None,
             args=["--select", "CLM002", "--max-file-size", "1KB"], exit=0,
             errors=[{"kind": "skipped", "message": "(limit 1 KB); skipped"}]))
    return out


def main() -> None:
    manifest = []
    written: dict[str, bytes] = {}
    for case in cases():
        path = HERE / case.file
        if written.setdefault(case.file, case.data) != case.data:
            raise SystemExit(f"{case.file}: two cases give different bytes")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.data)
        entry: dict[str, Any] = {"file": case.file, "what": case.what, "args": case.args, "exit": case.exit,
                                 "linted": case.text is not None, "diagnostics": case.diagnostics,
                                 "errors": case.errors, "notices": case.notices}
        if case.xfail:
            entry["xfail"] = case.xfail
        manifest.append(entry)
    (HERE / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(written)} files, {len(manifest)} cases")


if __name__ == "__main__":
    main()
