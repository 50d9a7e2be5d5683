"""HTML and Word drafts: visible text, exact positions in the original, no silent passes (issue 16).

Spans are checked against the original: for HTML the source text at line:column, with tags
and comments stripped and entities decoded, is ``match``; for Word the paragraph's text at
column is ``match``, paragraph ``line`` being the document's ``line``-th paragraph.
"""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest
from conftest import check_report, isolate_run, run_stats
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inputs_fixtures import ENTITIES, PLAIN, SPLIT_TAGS, WECHAT_EXPORT, word_draft, word_paragraphs
from jsonschema.validators import validator_for

import kepulint
from kepulint.cli import main
from kepulint.run.options import RunOptions
from kepulint.run.runner import run_check
from kepulint.text.decode import InputError
from kepulint.text.readers.html import read_html
from kepulint.text.source import LineIndex

ROOT = Path(__file__).resolve().parents[2]
REPORT_SCHEMA = ROOT / "lint" / "kepulint" / "schemas" / "report.schema.json"
SARIF_SCHEMA = Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json"
MARKDOWN = "# 干细胞\n\n干细胞可以根治糖尿病。\n"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_run(tmp_path, monkeypatch)


def source_at(source: str, line: int, column: int, end_line: int, end_column: int) -> str:
    index = LineIndex(source)
    return source[index.starts[line - 1] + column - 1 : index.starts[end_line - 1] + end_column - 1]


def visible(fragment: str) -> str:
    """What a reader sees of an HTML fragment: no tags or comments, entities decoded, spaces collapsed."""
    text = re.sub(r"<!--.*?-->|<[^>]*>", "", fragment, flags=re.S)
    return re.sub(r"[ \t\n\r\f]+", " ", html.unescape(text))


def assert_html_spans(source: str, diagnostics: list[Any]) -> None:
    for d in diagnostics:
        if not d.match:
            assert (d.line, d.column, d.end_line, d.end_column) == (1, 1, 1, 1)
            continue
        original = source_at(source, d.line, d.column, d.end_line, d.end_column)
        assert visible(original) == d.match, (d.code, d.line, d.column, original)
        assert d.crosses_markup == ("<" in original), (d.code, original)


def claims(diagnostics: list[Any]) -> list[tuple[str, str]]:
    return sorted((d.code, d.match) for d in diagnostics if d.match)


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# -- HTML -----------------------------------------------------------------------------------------


def test_wechat_export_spans_point_into_the_source() -> None:
    found = kepulint.lint_text(WECHAT_EXPORT, "wechat.html", today="2025-11-25")
    assert_html_spans(WECHAT_EXPORT, found)
    assert {"治愈", "一针见效", "治愈率高达95%", "永不复发", "扫码预约", "患者反馈"} <= {d.match for d in found}
    split = next(d for d in found if d.match == "治愈")
    assert split.crosses_markup and split.line == WECHAT_EXPORT.count("\n", 0, WECHAT_EXPORT.index("治</span>")) + 1


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_windows_and_old_mac_line_ends_keep_positions(newline: str) -> None:
    source = WECHAT_EXPORT.replace("\n", newline)
    found = kepulint.lint_text(source, "wechat.html", today="2025-11-25")
    assert claims(found) == claims(kepulint.lint_text(WECHAT_EXPORT, "wechat.html", today="2025-11-25"))
    assert_html_spans(source, found)


def test_hidden_parts_of_wechat_export_are_not_linted() -> None:
    text = read_html(WECHAT_EXPORT).text
    for hidden in ("根治", "p { line-height", "var msg", "Powered by", "data-id", "秀米 export marker", "x.png",
                   "新希望"):  # <title> is the browser tab's
        assert hidden not in text
    assert "全球首款" not in {d.match for d in kepulint.lint_text(WECHAT_EXPORT, "w.html")}


def test_directive_in_an_html_comment_suppresses() -> None:
    found = kepulint.lint_text(WECHAT_EXPORT, "w.html", select=["CLM001", "KPL"])
    assert found == []
    from kepulint.api import Settings, lint_source

    result = lint_source(WECHAT_EXPORT, "w.html", Settings(today="2025-11-25"))
    (sup,) = [d for d in result.suppressed if d.code == "CLM001"]
    assert sup.match == "国内首个" and sup.suppression is not None and sup.suppression.justification
    assert source_at(WECHAT_EXPORT, sup.line, sup.column, sup.end_line, sup.end_column) == "国内首个"
    assert WECHAT_EXPORT.splitlines()[sup.suppression.line - 1].lstrip().startswith("<!-- kepulint-disable")


def test_directive_comment_inside_a_paragraph_applies_to_it() -> None:
    source = ("<section><p>全国第一的干细胞中心<!-- kepulint-disable-line CLM001 -- 引用原文 --></p>\n"
              "<p>国内唯一<!-- kepulint-disable-next-line CLM001 -- 公告原文 --></p><p>首个获批的药品。</p>"
              "<p>根治<!-- kepulint-disable-line CLM001 -- 不是这一条 --></p></section>")
    found = kepulint.lint_text(source, "d.html", select=["CLM001", "CLM002", "KPL"])
    assert [(d.code, d.match) for d in found] == [("CLM001", "国内唯一"), ("CLM002", "根治"), ("KPL002", ANY)]
    assert_html_spans(source, [d for d in found if d.code != "KPL002"])
    assert source_at(source, found[2].line, found[2].column, found[2].end_line, found[2].end_column) \
        == "<!-- kepulint-disable-line CLM001 -- 不是这一条 -->"


@pytest.mark.parametrize("draft", [SPLIT_TAGS, ENTITIES], ids=["split-tags", "entities"])
def test_split_tags_and_entities_find_what_plain_text_finds(draft: str) -> None:
    plain = kepulint.lint_text(PLAIN, "plain.txt", select=["CLM"])
    found = kepulint.lint_text(draft, "draft.html", select=["CLM"])
    assert len(claims(plain)) == 4 and claims(found) == claims(plain)
    assert_html_spans(draft, found)


def test_reader_blocks_inline_whitespace_and_entities() -> None:
    assert read_html("<p>治<b>愈</b></p><div>一针<br>见效</div>").text == "治愈\n一针\n见效"
    assert read_html("<p>根治\n   糖尿病</p>").text == "根治糖尿病"  # a line break between CJK vanishes (CSS)
    assert read_html("<p>stem\n   cells</p>").text == "stem cells"
    assert read_html("<p>&nbsp;&#x6CBB;&#24840;&amp;&lt;　</p>").text == "\xa0治愈&<　"
    assert read_html("<td>a</td><td>b</td>").text == "a\nb"
    assert read_html("<pre>a\n  b</pre>").text == "a\n  b"


def test_reader_survives_broken_html() -> None:
    """A stray ``&#;`` would make Python 3.11's parser (with convert_charrefs=False) read the rest,
    tags and all, as text; unclosed tags and comments never hide what follows a closed element."""
    text = read_html("<p>a &#; b</p><p><span>治愈</span></p>").text
    assert text == "a &#; b\n治愈"
    assert read_html("<p>治愈<span").text == "治愈"
    assert read_html("<p>治愈</p><!-- unclosed").text == "治愈"
    assert read_html("<b><i>治愈</b></i>").text == "治愈"
    assert read_html("<head><title>根治</head><body><p>治愈</p>").text == "治愈"  # an unclosed title
    assert read_html("<title>根治<body><p>治愈</p>").text == "治愈"
    assert read_html("<! kepulint-disable ><p>治愈</p><!-- x -->").text == "治愈"  # a bogus comment is no directive


# random inline nesting, attributes, entities and comments never move a span off its text
INLINE = ["span", "b", "strong", "em", "i", "u", "font", "a"]
CLAIM = "干细胞可以治愈糖尿病，一针见效，安全无副作用，是全球首款。"


@st.composite
def tagged(draw: st.DrawFn) -> str:
    cuts = sorted(draw(st.sets(st.integers(1, len(CLAIM) - 1), max_size=8)))
    pieces = [CLAIM[a:b] for a, b in zip([0, *cuts], [*cuts, len(CLAIM)], strict=True)]
    out = []
    for piece in pieces:
        chars = "".join(draw(st.sampled_from([ch, f"&#{ord(ch)};", f"&#x{ord(ch):x};"])) for ch in piece)
        for tag in draw(st.lists(st.sampled_from(INLINE), max_size=3)):
            attrs = draw(st.sampled_from(["", ' style="color:red"', ' data-note="根治"', " class='x'"]))
            chars = f"<{tag}{attrs}>{chars}</{tag}>"
        if draw(st.booleans()):
            chars += "<!-- 根治 -->"
        out.append(chars)
    return "<section data-role='outer'><section><p>" + "".join(out) + "</p></section></section>"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tagged())
def test_random_tag_nesting_keeps_every_span_on_its_text(draft: str) -> None:
    expected = claims(kepulint.lint_text(CLAIM, "plain.txt", select=["CLM"]))
    found = kepulint.lint_text(draft, "draft.html", select=["CLM"])
    assert claims(found) == expected
    assert_html_spans(draft, found)


HTML_SOUP = st.lists(st.sampled_from([*"<>&;#x/!-=\"' \n\r\tabpsn治愈根一针见效",
    "<p>", "</p>", "<span>", "</span>", "<!--", "-->", "&#27835;", "&nbsp;", "<script>", "</script>", "<br>",
    "<title>", "<pre>", "</pre>", "&#;", "<!-- kepulint-disable CLM002 -- x -->"]), max_size=60).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HTML_SOUP)
def test_any_html_soup_lints_with_spans_inside_the_source(source: str) -> None:
    index = LineIndex(source)
    for d in kepulint.lint_text(source, "soup.html", select=["CLM", "KPL"]):
        assert 1 <= d.line <= d.end_line <= index.line_count
        start = index.starts[d.line - 1] + d.column - 1
        end = index.starts[d.end_line - 1] + d.end_column - 1
        assert 0 <= start <= end <= len(source)
        assert d.match and d.crosses_markup is not None


# -- Word -----------------------------------------------------------------------------------------


def test_word_paragraphs_tables_tracked_changes_headers() -> None:
    data = word_draft(footer="页脚：全国第一", deleted_mark=True)
    paragraphs = word_paragraphs(data)
    assert paragraphs[:7] == ["干细胞科普：糖尿病的新疗法", "干细胞可以根治糖尿病，一针见效。",
                              "疗法", "效果", "干细胞", "治愈率高达95%",  # the table, row by row
                              "本疗法安全无副作用，请遵医嘱。"]  # the tracked change, accepted
    assert paragraphs[7:] == ["全球首款。", "某某医院 科普", "页脚：全国第一"]
    found = kepulint.lint_bytes(data, "draft.docx", today="2025-11-25")
    for d in found:
        if d.match:
            assert d.line == d.end_line and paragraphs[d.line - 1][d.column - 1 : d.end_column - 1] == d.match
            assert d.crosses_markup is None
    assert {("CLM002", "根治"), ("CLM004", "治愈率高达95%"), ("CLM003", "安全无副作用"), ("CLM001", "全球首款"),
            ("CLM001", "全国第一")} <= set(claims(found))
    assert "可能有风险" not in "\n".join(paragraphs)  # the tracked deletion is out


def test_word_directive_paragraph_suppresses() -> None:
    data = word_draft(paragraphs=("<!-- kepulint-disable-next-line CLM002 -- 引用患者原话 -->",
                                  "干细胞可以根治糖尿病。"), table=(), tracked=None, header=None)
    found = kepulint.lint_bytes(data, "d.docx", select=["CLM002", "KPL"])
    assert found == []


@pytest.mark.parametrize(("data", "needle"), [
    (b"PK\x03\x04" + bytes(60), "not a .docx (ZIP) package"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "password-protected or old-format Word file"),
    ("纯文本，不是 Word".encode(), "not a .docx (ZIP) package"),
])
def test_unreadable_word_files_raise_one_line(data: bytes, needle: str) -> None:
    with pytest.raises(InputError, match=re.escape(needle)) as info:
        kepulint.lint_bytes(data, "bad.docx")
    assert "\n" not in str(info.value)


def test_word_package_without_a_document_is_one_line() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(InputError, match="not a readable Word document"):
        kepulint.lint_bytes(buffer.getvalue(), "empty.docx")


# -- the command line on a folder of all three ----------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    drafts = tmp_path / "drafts"
    write(drafts / "wechat.html", WECHAT_EXPORT)
    write(drafts / "agency.docx", word_draft())
    write(drafts / "notes.md", MARKDOWN)
    return drafts


def test_folder_of_html_word_and_markdown_all_linted(folder: Path, tmp_path: Path) -> None:
    report = check_report(folder)
    validator_for(schema := json.loads(REPORT_SCHEMA.read_text("utf-8")))(schema).validate(report)
    by_path: dict[str, list[dict[str, Any]]] = {}
    for d in report["diagnostics"]:
        by_path.setdefault(d["path"], []).append(d)
    assert set(by_path) == {"drafts/wechat.html", "drafts/agency.docx", "drafts/notes.md"}
    for d in by_path["drafts/wechat.html"]:
        assert "crosses_markup" in d
        if d["match"]:
            original = source_at(WECHAT_EXPORT, d["line"], d["column"], d["end_line"], d["end_column"])
            assert visible(original) == d["match"]
    paragraphs = word_paragraphs((folder / "agency.docx").read_bytes())
    for d in by_path["drafts/agency.docx"]:
        assert "crosses_markup" not in d
        assert paragraphs[d["line"] - 1][d["column"] - 1 : d["end_column"] - 1] == d["match"]
    assert all("crosses_markup" not in d for d in by_path["drafts/notes.md"])


def test_text_output_shows_the_word_paragraph(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--no-config", "--no-cache", "--select", "CLM", str(folder / "agency.docx")])
    out = capsys.readouterr().out
    assert exit_info.value.code == 1
    assert f"{folder.name}/agency.docx:2:6: CLM002" in out
    assert "    2 | 干细胞可以根治糖尿病，一针见效。" in out


def test_corrupt_word_file_is_one_line_and_exit_2_others_reported(folder: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    write(folder / "broken.docx", b"PK\x03\x04" + bytes(200))
    write(folder / "locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--no-config", "--no-cache", "--format", "concise", str(folder)])
    captured = capsys.readouterr()
    assert exit_info.value.code == 2 and "Traceback" not in captured.err + captured.out
    lines = captured.out.splitlines()
    assert [line for line in lines if "broken.docx" in line] == [
        "drafts/broken.docx: error: not a Word document: not a .docx (ZIP) package — is it corrupt or misnamed?"]
    assert len([line for line in lines if "locked.docx" in line]) == 1
    assert any(line.startswith("drafts/wechat.html:") for line in lines)
    assert any(line.startswith("drafts/agency.docx:") for line in lines)
    assert any(line.startswith("drafts/notes.md:") for line in lines)


def test_zero_linted_files_is_never_all_checks_passed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    write(empty / "figure.png", b"\x89PNG\r\n\x1a\n" + bytes(20))
    write(empty / "notes.doc", b"\xd0\xcf\x11\xe0" + bytes(20))
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--no-config", "--no-cache", str(empty)])
    captured = capsys.readouterr()
    assert exit_info.value.code == 0
    assert "All checks passed." not in captured.out and captured.out.strip() == "No files linted."
    assert captured.err.startswith("kepulint: warning: no drafts linted: no file matching *.md")
    assert captured.err.endswith("under the given path(s)\n") and captured.err.count("\n") == 1
    assert "*.docx" in captured.err


def test_walked_binary_files_are_counted_as_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    write(docs / "figure.md", b"\x89PNG\r\n\x1a\n" + bytes(20))
    write(docs / "ok.md", "糖尿病患者应遵医嘱。\n")
    with pytest.raises(SystemExit):
        main(["check", "--no-config", "--no-cache", "--select", "CLM", str(docs)])
    out = capsys.readouterr().out
    assert out.splitlines() == [f"{docs.name}/figure.md: note: binary file (PNG image), skipped",
                                "No problems found. 1 file skipped."]
    (docs / "ok.md").unlink()
    with pytest.raises(SystemExit):
        main(["check", "--no-config", "--no-cache", str(docs)])
    captured = capsys.readouterr()
    assert captured.out.splitlines()[-1] == "No files linted. 1 file skipped."  # the note names it


# -- cache, --jobs, baselines, SARIF and GitHub on the new inputs ---------------------------------


def test_cache_hits_html_and_word(folder: Path) -> None:
    first = check_report(folder, cache=True)
    assert run_stats()["writes"] == 3
    second = check_report(folder, cache=True)
    assert run_stats()["hits"] == 3 and run_stats()["linted"] == 0
    assert second == first
    write(folder / "agency.docx", word_draft(paragraphs=("干细胞科普", "本品是国内最好的干细胞药物。")))
    third = check_report(folder, cache=True)
    assert run_stats()["linted"] == 1
    assert "国内最好" in {d["match"] for d in third["diagnostics"] if d["path"] == "drafts/agency.docx"}


def test_jobs_2_matches_jobs_1_on_html_and_word(folder: Path) -> None:
    for n in range(3):
        write(folder / f"copy{n}.docx", word_draft(paragraphs=(f"第{n}篇", "干细胞可以根治糖尿病。")))
        write(folder / f"copy{n}.html", WECHAT_EXPORT * 4)
    one = check_report(folder, jobs=1, cache=False)
    two = check_report(folder, jobs=2, cache=False)
    assert run_stats()["processes"] == 2
    assert two == one and len({d["path"] for d in one["diagnostics"]}) == 9


def test_baseline_keeps_word_and_html_findings_after_edits_elsewhere(folder: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    run_check([str(folder)], RunOptions(no_config=True, write_baseline=baseline, jobs=1, today="2025-11-25"))
    assert check_report(folder, baseline=baseline)["diagnostics"] == []
    write(folder / "agency.docx", word_draft(paragraphs=("新加的一段。", "干细胞科普：糖尿病的新疗法",
                                                         "干细胞可以根治糖尿病，一针见效。")))
    write(folder / "wechat.html", WECHAT_EXPORT.replace("<body>", "<body><p>新加的一段。</p>"))
    after = check_report(folder, baseline=baseline)
    assert after["diagnostics"] == []
    write(folder / "wechat.html", WECHAT_EXPORT.replace("<body>", "<body><p>根治抑郁症。</p>"))
    new = check_report(folder, baseline=baseline)["diagnostics"]
    assert [(d["path"], d["match"]) for d in new] == [("drafts/wechat.html", "根治")]


def test_sarif_and_github_on_html_and_word(folder: Path, tmp_path: Path) -> None:
    sarif = check_report(folder, fmt="sarif")
    validator_for(schema := json.loads(SARIF_SCHEMA.read_text("utf-8")))(schema).validate(sarif)
    places = [r["locations"][0]["physicalLocation"] for r in sarif["runs"][0]["results"]]
    regions = {(p["artifactLocation"]["uri"], p["region"].get("startLine"), p["region"].get("startColumn"))
               for p in places}
    report = check_report(folder)
    for d in report["diagnostics"]:
        if d["match"]:
            assert (d["path"], d["line"], d["column"]) in regions
    run_check([str(folder)], RunOptions(no_config=True, fmt="github", output_file=tmp_path / "annotations.txt", jobs=1,
                                        today="2025-11-25"))
    annotations = (tmp_path / "annotations.txt").read_text("utf-8")
    split = next(d for d in report["diagnostics"] if d.get("crosses_markup"))
    assert f"file=drafts/wechat.html,line={split['line']},col={split['column']}," in annotations
    assert "file=drafts/agency.docx,line=2,col=6," in annotations


# -- API and start-up -----------------------------------------------------------------------------


def test_lint_file_and_lint_bytes(folder: Path) -> None:
    for name in ("wechat.html", "agency.docx", "notes.md"):
        path = folder / name
        by_file = kepulint.lint_file(path, today="2025-11-25")
        by_bytes = kepulint.lint_bytes(path.read_bytes(), str(path), today="2025-11-25")
        assert by_file == by_bytes and by_file and all(d.path == str(path) for d in by_file)
    with pytest.raises(InputError, match="no such file"):
        kepulint.lint_file(folder / "missing.docx")


def test_markdown_run_does_not_import_python_docx(folder: Path) -> None:
    """A one-file pre-commit run on Markdown never pays for the Word reader (a fresh interpreter)."""
    code = ("import sys; from kepulint.cli import main\n"
            "try:\n    main(['check', '--no-config', '--no-cache', sys.argv[1]])\n"
            "except SystemExit:\n    pass\n"
            "print('docx' in sys.modules, 'lxml' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code, str(folder / "notes.md")], capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(ROOT / "lint"), "KEPULINT_NO_CACHE": "1",
                                            "PATH": "/usr/bin:/bin"})
    assert proc.stdout.strip().splitlines()[-1] == "False False", proc.stderr
