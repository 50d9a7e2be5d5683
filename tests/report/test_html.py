"""``--format html``: valid HTML5 (html5lib, strict), self-contained, the same findings as the
JSON report, marks exactly on the diagnostics' text (overlaps, CRLF, astral characters), and
every string from a draft, a file name or a rule escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

html5lib = pytest.importorskip("html5lib")

from kepulint.api import Settings, lint_source  # noqa: E402
from kepulint.model import Diagnostic, FileResult, Severity  # noqa: E402
from kepulint.report import ReportOptions, RuleTable, html  # noqa: E402
from kepulint.run.options import RunOptions  # noqa: E402
from kepulint.run.runner import run_check  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OPTS = {"no_config": True, "jobs": 1, "cache": False, "today": "2025-11-25"}


def parse(text: str) -> Any:
    """The document tree; any HTML5 parse error fails the test."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


def text_of(element: Any) -> str:
    return "".join(element.itertext())


def findings_in(tree: Any) -> list[tuple[str, int, int, str, str, str, str]]:
    """(path, line, column, code, severity, match, message) of every listed finding."""
    out = []
    for section in tree.iter("section"):
        if "file" not in classes(section):
            continue
        path = text_of(section.find("h2"))
        code = ""
        for element in section.iter():
            if element.tag == "h4":
                code = text_of(element).split()[0]
            if element.tag == "li" and "finding" in classes(element):
                loc = text_of(next(e for e in element if "loc" in classes(e)))
                line, column = (1, 1) if loc == "全文" else map(int, loc.split(":"))
                q = element.find("q")
                severity = next(c[4:] for c in classes(element) if c.startswith("sev-"))
                message = text_of(next(e for e in element if "msg" in classes(e)))
                out.append((path, line, column, code, severity, text_of(q) if q is not None else "", message))
    return sorted(out)


def marks_in(tree: Any, prefix: str) -> dict[int, str]:
    """Diagnostic index -> the text of every mark of the file ``prefix`` that carries it."""
    out: dict[int, str] = {}
    section = next(s for s in tree.iter("section") if s.get("id") == prefix)
    for mark in section.iter("mark"):
        for i in mark.get("data-d").split():
            out[int(i)] = out.get(int(i), "") + text_of(mark)
    return out


def test_seeds_report_is_valid_and_matches_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    run_check(["seeds"], RunOptions(**{**OPTS, "fmt": "html", "output_file": tmp_path / "r.html"}))
    run_check(["seeds"], RunOptions(**{**OPTS, "fmt": "json", "output_file": tmp_path / "r.json"}))
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    tree = parse(page)
    expected = sorted((d["path"], d["line"], d["column"], d["code"], d["severity"], d["match"], d["message"])
                      for d in report["diagnostics"])
    assert findings_in(tree) == expected
    by_path: dict[str, list[dict[str, Any]]] = {}
    for d in report["diagnostics"]:
        by_path.setdefault(d["path"], []).append(d)
    for n, path in enumerate(sorted(by_path), 1):
        wanted = {i: d["match"] for i, d in enumerate(by_path[path]) if d["match"]}
        assert marks_in(tree, f"f{n}") == wanted, path
    badge = next(e for e in tree.iter("span") if "badge" in classes(e))
    assert classes(badge) >= {"fail"} and text_of(badge) == "未通过"


def test_self_contained_and_without_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    run_check(["seeds"], RunOptions(**{**OPTS, "fmt": "html", "output_file": tmp_path / "r.html"}))
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    tree = parse(page)
    assert not list(tree.iter("script")) and not list(tree.iter("link")) and not list(tree.iter("img"))
    assert not re.search(r"\bsrc=|@import|url\(", page)
    assert "@media print" in text_of(tree.find(".//style"))
    external = [a.get("href") for a in tree.iter("a") if not a.get("href", "").startswith("#")]
    assert external and all(h.startswith(("https://", "http://")) for h in external)  # legal-basis links only
    assert all(a.get("rel") == "noopener noreferrer" for a in tree.iter("a") if a.get("href", "").startswith("http"))


def test_overlapping_spans_are_split_into_segments() -> None:
    assert list(html.segments(8, [(0, 4, 0), (2, 6, 1)])) == [(0, 2, [0]), (2, 4, [0, 1]), (4, 6, [1]), (6, 8, [])]
    assert list(html.segments(3, [(1, 2, 1), (1, 2, 0)])) == [(0, 1, []), (1, 2, [0, 1]), (2, 3, [])]


def diagnostic(line: int, column: int, end_line: int, end_column: int, match: str, code: str = "CLM002",
               severity: Severity = Severity.ERROR, message: str = "m") -> Diagnostic:
    return Diagnostic("a.md", code, "cure-claim", severity, message, line, column, end_line, end_column, match)


def render(results: list[FileResult], rules: Any = (), **options: Any) -> str:
    """The HTML report through the Reporter interface."""
    return html.render(results, RuleTable(rules), ReportOptions(**options))


def test_marks_follow_code_points_crlf_and_overlaps() -> None:
    text = "😀根治糖尿病\r\n第二行：永不复发\r第三行"
    ds = [diagnostic(1, 2, 1, 4, "根治"), diagnostic(1, 3, 1, 6, "治糖尿", severity=Severity.WARNING),
          diagnostic(2, 5, 2, 9, "永不复发"), diagnostic(1, 1, 1, 1, "", code="DSC001")]
    page = render([FileResult("a.md", ds)], [], version="0", sources={"a.md": text})
    tree = parse(page)
    assert marks_in(tree, "f1") == {0: "根治", 1: "治糖尿", 2: "永不复发"}
    overlap = [m for m in tree.iter("mark") if "overlap" in classes(m)]
    assert [text_of(m) for m in overlap] == ["治"] and classes(overlap[0]) >= {"sev-error"}
    draft = next(e for e in tree.iter("pre") if "draft" in classes(e))
    assert text_of(draft) == text.replace("\r\n", "\n").replace("\r", "\n")  # the parser normalises line ends


def test_without_the_text_the_lines_with_findings_are_marked() -> None:
    text = "第一行\n干细胞可以根治糖尿病。\n"
    result = lint_source(text, "<stdin>", Settings(today="2025-11-25"), select=["CLM002"])
    page = render([result], [], version="0")
    assert marks_in(parse(page), "f1") == {0: "根治"}


def test_a_changed_file_falls_back_to_its_lines() -> None:
    ds = [diagnostic(1, 6, 1, 8, "根治")]
    result = FileResult("a.md", ds, excerpts={1: "干细胞可以根治糖尿病。"})
    page = render([result], [], version="0", sources={"a.md": "the file changed since"})
    assert marks_in(parse(page), "f1") == {0: "根治"}


XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>\'><svg onload=alert(3)>'


def test_markup_in_drafts_names_and_rules_is_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = XSS.replace("/", "／") + ".md"  # a file name cannot hold "/"
    Path(name).write_text(XSS + "干细胞可以根治糖尿病。\x0b\x7f\ufffe", encoding="utf-8")
    run_check(["."], RunOptions(**{**OPTS, "fmt": "html", "output_file": tmp_path / "r.html", "select": ("CLM002",)}))
    tree = parse((tmp_path / "r.html").read_text(encoding="utf-8"))
    for tag in ("script", "img", "svg"):
        assert not list(tree.iter(tag)), tag
    assert not any(k.startswith("on") for e in tree.iter() for k in e.attrib)
    body = text_of(tree.find("body"))
    assert XSS in body and name in body
    assert marks_in(tree, "f1") == {0: "根治"}


def test_rule_pack_strings_are_escaped_and_links_checked() -> None:
    from kepulint.rules.ruleset import Rule

    rule = Rule.from_data({
        "code": "XSS001", "name": "x", "kind": "phrase", "severity": "error", "summary": XSS, "message": XSS,
        "help": f"## 怎么改\n- {XSS}", "jurisdictions": ["cn"], "examples": {"fire": [], "pass": []},
        "basis": {"cn": [{"title": XSS, "url": "javascript:alert(4)"}, {"title": "ok", "url": "https://example.org/"}]},
    })
    ds = [diagnostic(1, 1, 1, 3, "根治", code="XSS001", message=XSS)]  # help: from the rule table
    page = render([FileResult(XSS, ds)], [rule], version=XSS, profile="cn", sources={XSS: "根治"})
    tree = parse(page)
    for tag in ("script", "img", "svg"):
        assert not list(tree.iter(tag)), tag
    assert [a.get("href") for a in tree.iter("a") if not a.get("href").startswith("#")] == ["https://example.org/"]
    assert text_of(tree.find("body")).count(XSS) >= 5  # version, path twice, message, advice, basis, help


def test_pass_badge_and_fail_level() -> None:
    ds = [diagnostic(1, 1, 1, 3, "根治", severity=Severity.WARNING)]
    results = [FileResult("a.md", ds)]
    assert html.fails(results, "warning") and not html.fails(results, "error") and not html.fails(results, "never")
    tree = parse(render(results, [], version="0", fail_on="error"))
    badge = next(e for e in tree.iter("span") if "badge" in classes(e))
    assert text_of(badge) == "通过" and "pass" in classes(badge)
