"""The review server's HTTP API, in-process through Starlette's TestClient: the same JSON report
as the CLI, downloads, errors, the size limit, localhost only, strict CSP, escaping (XSS)."""

from __future__ import annotations

import builtins
import json
import logging
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed (pip install '.[serve]')")
pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx")
html5lib = pytest.importorskip("html5lib")

from starlette.testclient import TestClient  # noqa: E402

from kepulint.run.options import RunOptions  # noqa: E402
from kepulint.run.runner import load_settings, run_check  # noqa: E402
from kepulint.serve.app import create_app  # noqa: E402
from kepulint.serve.service import Reviewer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SEED = "seeds/000_ca1cae812c9e3ff5.txt"
BASE = "http://127.0.0.1:8765"
CURE = "干细胞可以根治糖尿病。"
XSS = '<script>alert("x")</script>"><img src=x onerror="alert(1)">\'><svg onload=alert(2)>'


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    config, ruleset = load_settings(RunOptions(no_config=True))
    return Reviewer(config, ruleset)


@pytest.fixture
def client(reviewer: Reviewer) -> TestClient:
    return TestClient(create_app(reviewer), base_url=BASE)


def lint(client: TestClient, text: str, filename: str = "draft.md", **settings: Any) -> Any:
    return client.post("/api/lint", json={"text": text, "filename": filename, "settings": settings})


def parse_html(text: str) -> Any:
    """Parse as HTML5, failing on any parse error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


# --- the JSON report ----------------------------------------------------------------------------


def test_lint_answers_the_cli_json_report(client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "cli.json"
    run_check([SEED], RunOptions(**{"no_config": True, "fmt": "json", "output_file": out, "jobs": 1, "cache": False,
                       "today": "2025-11-25"}))
    text = (ROOT / SEED).read_text(encoding="utf-8")
    response = lint(client, text, filename=SEED, today="2025-11-25")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == json.loads(out.read_text(encoding="utf-8"))
    assert response.headers["x-kepulint-result"] == "fail"


def test_settings_apply_as_on_the_command_line(client: TestClient) -> None:
    tw = lint(client, CURE, profile="tw").json()
    assert tw["tool"]["profile"] == "tw"
    assert any("療效保證" in d["message"] for d in tw["diagnostics"])
    only = lint(client, CURE, select=["CLM002"]).json()
    assert {d["code"] for d in only["diagnostics"]} == {"CLM002"}
    ignored = lint(client, CURE, ignore="CLM002,DSC").json()
    assert not {d["code"] for d in ignored["diagnostics"]} & {"CLM002", "DSC001", "DSC002"}
    passing = lint(client, CURE, fail_on="never")
    assert passing.headers["x-kepulint-result"] == "pass"
    assert lint(client, "", select=[]).json()["diagnostics"] == []


@pytest.mark.parametrize(("body", "status", "fragment"), [
    ({"text": 1}, 400, "text: expected a string"),
    ({"text": "x", "settings": {"profile": "jp"}}, 400, "settings.profile"),
    ({"text": "x", "settings": {"select": ["CLM9"]}}, 400, "CLM9"),
    ({"text": "x", "settings": {"fail_on": "fatal"}}, 400, "settings.fail_on"),
    ({"text": "x", "settings": {"today": "2025-13-01"}}, 400, "settings.today"),
    ({"text": "x", "settings": {"colour": 1}}, 400, "unknown key 'colour'"),
    ({"text": "x", "extra": 1}, 400, "unknown key 'extra'"),
    ({"text": "x", "filename": "a\nb.md"}, 400, "filename"),
    ([1, 2], 400, "expected a JSON object"),
])
def test_bad_requests_are_one_clear_line(client: TestClient, body: Any, status: int, fragment: str) -> None:
    response = client.post("/api/lint", json=body)
    assert response.status_code == status
    error = response.json()["error"]
    assert fragment in error and "\n" not in error


def test_an_internal_error_is_one_json_line(reviewer: Reviewer, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(Reviewer, "lint", broken)
    client = TestClient(create_app(reviewer), base_url=BASE, raise_server_exceptions=False)
    response = lint(client, CURE)
    assert response.status_code == 500
    assert response.json()["error"].startswith("internal error: RuntimeError: boom")


def test_not_json(client: TestClient) -> None:
    assert client.post("/api/lint", content=b"{", headers={"Content-Type": "application/json"}).status_code == 400
    form = client.post("/api/lint", data={"text": CURE})  # what a cross-site <form> could send
    assert form.status_code == 415


# --- downloads, rules, uploads ------------------------------------------------------------------


def test_downloads(client: TestClient) -> None:
    body = {"text": CURE, "filename": "a.md", "settings": {"today": "2025-11-25"}}
    as_json = client.post("/api/report/json", json=body)
    assert as_json.json() == client.post("/api/lint", json=body).json()
    assert as_json.headers["content-disposition"] == 'attachment; filename="kepulint-report.json"'
    sarif = client.post("/api/report/sarif", json=body).json()
    assert sarif["version"] == "2.1.0"
    assert any(r["ruleId"] == "CLM002" for r in sarif["runs"][0]["results"])
    report = client.post("/api/report/html", json=body)
    assert report.headers["content-type"].startswith("text/html")
    tree = parse_html(report.text)
    assert [m.text or "".join(m.itertext()) for m in tree.iter("mark")] == ["根治"]
    assert client.post("/api/report/pdf", json=body).status_code == 404


def test_rules_and_rule_text(client: TestClient) -> None:
    rules = {r["code"]: r for r in client.get("/api/rules?profile=tw").json()}
    assert "醫療法" in rules["CLM002"]["basis"][0]["title"]
    assert rules["CLM002"]["advice"].startswith("把結論改成")  # the profile's script
    text = client.get("/api/rules/clm002?profile=hk").json()["text"]
    assert text.startswith("CLM002 cure-claim") and "依據（hk）" in text  # Traditional under hk
    assert client.get("/api/rules/XYZ999").status_code == 404
    assert client.get("/api/rules?profile=jp").status_code == 400


def test_read_decodes_an_upload(client: TestClient) -> None:
    headers = {"Content-Type": "application/octet-stream"}
    got = client.post("/api/read?name=a.txt", content=(CURE * 5).encode("gb18030"), headers=headers).json()
    assert got["text"] == CURE * 5 and "gb18030" in got["notice"]
    png = client.post("/api/read?name=a.txt", content=b"\x89PNG\r\n\x1a\n" + bytes(64), headers=headers)
    assert png.status_code == 422 and "PNG" in png.json()["error"]
    assert client.post("/api/read?name=a.exe", content=b"x", headers=headers).status_code == 422
    assert client.post("/api/read?name=a.txt", content=b"x").status_code == 415


# --- safe by default ----------------------------------------------------------------------------


def test_size_limit_is_a_clear_413(reviewer: Reviewer) -> None:
    client = TestClient(create_app(reviewer), base_url=BASE)
    big = client.post("/api/lint", json={"text": "字" * (2 * 1024 * 1024)})  # 6 MB of UTF-8
    assert big.status_code == 413
    assert "5 MB limit" in big.json()["error"] and "--max-request-size" in big.json()["error"]
    small = TestClient(create_app(reviewer, max_request_size=1024), base_url=BASE)
    chunks = (b'{"text": "' + b"a" * 600, b"a" * 600 + b'"}')  # streamed: no Content-Length
    streamed = small.post("/api/lint", content=iter(chunks), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413 and "1 KB" in streamed.json()["error"]
    assert small.post("/api/lint", json={"text": CURE}).status_code == 200


def test_other_hosts_and_origins_are_refused(reviewer: Reviewer) -> None:
    rebound = TestClient(create_app(reviewer), base_url="http://attacker.example")
    assert rebound.get("/").status_code == 400  # DNS rebinding: a foreign Host header
    client = TestClient(create_app(reviewer), base_url=BASE)
    cross = client.post("/api/lint", json={"text": CURE}, headers={"Origin": "http://attacker.example"})
    assert cross.status_code == 403
    same = client.post("/api/lint", json={"text": CURE}, headers={"Origin": BASE})
    assert same.status_code == 200


def test_page_has_a_strict_csp_and_no_inline_code(client: TestClient) -> None:
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    tree = parse_html(page.text)
    scripts = list(tree.iter("script"))
    assert [s.get("src") for s in scripts] == ["/static/review.js"] and not any((s.text or "").strip() for s in scripts)
    assert not list(tree.iter("style")) and not any(e.get("style") for e in tree.iter())
    assert not any(k.startswith("on") for e in tree.iter() for k in e.attrib)
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text)  # no external asset
    for name in ("review.js", "review.css"):
        asset = client.get(f"/static/{name}")
        assert asset.status_code == 200 and "content-security-policy" in asset.headers
        assert not re.search(r"https?://|@import|url\(", asset.text)
    assert not re.search(r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|eval\(",
                         client.get("/static/review.js").text)


def test_drafts_are_not_logged_or_written(client: TestClient, caplog: pytest.LogCaptureFixture,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[str] = []
    real_open = builtins.open

    def watching_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(m in mode for m in "wax+"):
            writes.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watching_open)
    secret = "机密稿件" + CURE
    with caplog.at_level(logging.DEBUG):
        for path in ("/api/lint", "/api/report/html", "/api/report/sarif"):
            assert client.post(path, json={"text": secret}).status_code == 200
    assert not writes
    assert not any("机密稿件" in r.getMessage() for r in caplog.records)


def test_draft_filename_and_rule_pack_markup_are_escaped(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    rule = (ROOT / "rules" / "CLM002.yaml").read_text(encoding="utf-8")
    rule = rule.replace("code: CLM002", "code: XSS001").replace(
        "message: 疗效保证用语", f"message: >-\n  {XSS}疗效保证用语").replace(
        "https://m.bdocx.com/doc/26319255.html", "javascript:alert(3)").replace(
        "summary: ", f"summary: >-\n  {XSS}", 1)
    (pack / "XSS001.yaml").write_text(rule, encoding="utf-8")
    config, ruleset = load_settings(RunOptions(no_config=True, rule_paths=(pack,)))
    client = TestClient(create_app(Reviewer(config, ruleset)), base_url=BASE)
    body = {"text": XSS + CURE, "filename": XSS + ".md", "settings": {"select": ["XSS001"]}}
    report = client.post("/api/lint", json=body).json()
    assert [d["code"] for d in report["diagnostics"]] == ["XSS001"]
    assert report["diagnostics"][0]["message"].startswith(XSS)
    page = client.post("/api/report/html", json=body).text
    tree = parse_html(page)
    for tag in ("script", "img", "svg"):
        assert not list(tree.iter(tag)), tag
    assert not any(k.startswith("on") for e in tree.iter() for k in e.attrib)
    assert not any((e.get("href") or "").lower().startswith("javascript:") for e in tree.iter("a"))
    text = "".join(tree.itertext())
    assert XSS in text and (XSS + ".md") in text
    rules = {r["code"]: r for r in client.get("/api/rules?profile=cn").json()}
    assert all(not b["url"].startswith("javascript:") for b in rules["XSS001"]["basis"])
    page_tree = parse_html(client.get("/").text)  # the page's rule list shows the pack's summary as text
    assert [s.get("src") for s in page_tree.iter("script")] == ["/static/review.js"]
    assert not list(page_tree.iter("img")) and XSS in "".join(e.get("title") or "" for e in page_tree.iter("label"))


# --- kepulint serve ------------------------------------------------------------------------------


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Run ``kepulint serve`` without serving: record the socket and uvicorn config it would use."""
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(self: Any, sockets: list[Any]) -> None:
        seen["address"] = sockets[0].getsockname()
        seen["config"] = self.config
        sockets[0].close()

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    return seen


def serve_cli(*args: str) -> int:
    from kepulint.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--no-config", "--port", "0", *args])
    return int(exit_info.value.code or 0)


def test_serve_binds_localhost_by_default(started: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    assert serve_cli() == 0
    assert started["address"][0] == "127.0.0.1"
    assert started["config"].access_log is False
    err = capsys.readouterr().err
    assert "review page at http://127.0.0.1:" in err and "warning" not in err


def test_serve_says_so_when_not_local(started: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    assert serve_cli("--host", "0.0.0.0") == 0
    assert started["address"][0] == "0.0.0.0"
    assert "warning: listening on 0.0.0.0, reachable from other machines" in capsys.readouterr().err


def test_serve_errors_are_one_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert serve_cli("--max-request-size", "lots") == 2
    assert "--max-request-size" in capsys.readouterr().err
    from kepulint.serve.run import bind

    taken = bind("127.0.0.1", 0)
    try:
        assert serve_cli("--port", str(taken.getsockname()[1])) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("kepulint: error: cannot listen on 127.0.0.1:") and "\n" not in err
    finally:
        taken.close()
    monkeypatch.setitem(__import__("sys").modules, "uvicorn", None)
    assert serve_cli() == 2
    assert "pip install 'kepulint[serve]'" in capsys.readouterr().err


def test_static_files_are_packaged() -> None:
    from importlib import resources

    static = resources.files("kepulint.serve").joinpath("static")
    assert {p.name for p in static.iterdir()} >= {"review.css", "review.js"}
    assert shutil.which  # the browser test (tests/serve/test_browser.py) drives these in Chromium


def test_read_opens_word_and_html_drafts(client: TestClient) -> None:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("干细胞疗法")
    document.add_paragraph(CURE)
    buffer = io.BytesIO()
    document.save(buffer)
    headers = {"Content-Type": "application/octet-stream"}
    got = client.post("/api/read?name=draft.docx", content=buffer.getvalue(), headers=headers).json()
    assert got["text"].splitlines() == ["干细胞疗法", CURE] and got["filename"] == "draft.docx"
    broken = client.post("/api/read?name=draft.docx", content=b"PK\x03\x04 not a zip", headers=headers)
    assert broken.status_code == 422
    page = f"<p>{CURE}</p>".encode()
    assert client.post("/api/read?name=d.html", content=page, headers=headers).json()["text"] == page.decode()


def test_auto_profile_is_resolved_per_draft(client: TestClient) -> None:
    draft = "幹細胞可以根治糖尿病。本診所提供自體脂肪幹細胞療程，歡迎來電預約，衛福部核准。"
    report = client.post("/api/lint", json={"text": draft, "settings": {"profile": "auto"}}).json()
    assert report["documents"][0]["profile"] == "tw"
    assert client.get("/api/rules/CLM002?profile=auto").status_code == 200  # read as the mainland's
