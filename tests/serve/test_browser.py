"""The review page in a real browser: Debian's headless Chromium driven by Selenium.

The server runs in a thread (uvicorn, the same app ``kepulint serve`` runs) on a free port.
The test pastes a Simplified and a Traditional seed, checks that the marked spans are exactly
the diagnostics' text (as ``POST /api/lint`` answers them), clicks a finding and a mark, switches
the profile, types a cure claim and saves a screenshot in its temp dir (and, when
``KEPULINT_SCREENSHOT`` names a file, there too: that is how ``docs/review-page.png`` is made).
Nothing is downloaded: without ``chromium`` and ``chromium-driver`` installed, it is skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed (pip install '.[serve]')")
pytest.importorskip("uvicorn", reason="the serve extra is not installed (pip install '.[serve]')")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)",
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SIMPLIFIED = SEEDS / "001_7dbb625b8a7c7b17.txt"
TRADITIONAL = SEEDS / "000_ca1cae812c9e3ff5.txt"
WAIT = 20.0


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The review server on a free local port; its base URL."""
    import uvicorn

    from kepulint.run.options import RunOptions
    from kepulint.run.runner import load_settings
    from kepulint.serve.app import LOCAL_HOSTS, create_app
    from kepulint.serve.run import bind
    from kepulint.serve.service import Reviewer

    config, ruleset = load_settings(RunOptions(no_config=True))
    app = create_app(Reviewer(config, ruleset), allowed_hosts=LOCAL_HOSTS)
    sock = bind("127.0.0.1", 0)
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    uv.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1440,1000", "--lang=zh-CN"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(WAIT)
    yield driver
    driver.quit()


def api_lint(server: str, text: str, **settings: Any) -> dict[str, Any]:
    body = json.dumps({"text": text, "filename": "draft.md", "settings": settings}).encode("utf-8")
    request = urllib.request.Request(f"{server}/api/lint", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=WAIT) as response:
        return json.loads(response.read().decode("utf-8"))


def wait_for(driver: Any, script: str, what: str) -> Any:
    """Poll a JavaScript expression until it is truthy."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = driver.execute_script(f"return ({script});")
        if value:
            return value
        time.sleep(0.05)
    state = driver.execute_script("return [document.body.dataset.state, document.getElementById('status').textContent]")
    raise AssertionError(f"timed out waiting for {what} (page state {state})")


def wait_rendered(driver: Any, profile: str) -> None:
    """Until the page shows the report of the editor's current text for ``profile``."""
    wait_for(driver, "document.body.dataset.state === 'ready' && document.body.dataset.profile === "
                     f"{json.dumps(profile)} && document.getElementById('draft').textContent === "
                     "document.getElementById('editor').value", f"the {profile} report of the editor's text")


def paste(driver: Any, text: str) -> None:
    """Put ``text`` in the editor as a paste does (the value changes, an input event fires)."""
    driver.execute_script("const e = document.getElementById('editor'); e.focus(); e.value = arguments[0];"
                          "e.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'}));",
                          text)


def marked_text(driver: Any) -> dict[int, str]:
    """Diagnostic index -> the text of every mark that carries it, in document order."""
    pairs = driver.execute_script(
        "return Array.from(document.querySelectorAll('#draft mark')).map(m => [m.dataset.d, m.textContent]);")
    out: dict[int, str] = {}
    for ids, text in pairs:
        for i in ids.split():
            out[int(i)] = out.get(int(i), "") + text
    return out


def check_marks(driver: Any, report: dict[str, Any]) -> None:
    diagnostics = report["diagnostics"]
    expected = {i: d["match"] for i, d in enumerate(diagnostics) if d["match"]}
    assert expected, "the seed should have findings with a span"
    assert marked_text(driver) == expected
    listed = driver.execute_script("return document.querySelectorAll('#findings li.finding').length;")
    assert listed == len(diagnostics)
    headings = driver.execute_script("return Array.from(document.querySelectorAll('#findings h4'), h => h.textContent)")
    names = {f"{code} {rule['name']}" for code, rule in report["rules"].items()}  # report format 2: names by code
    assert headings and {h.rsplit(" (", 1)[0] for h in headings} <= names


@pytest.mark.parametrize("seed", [SIMPLIFIED, TRADITIONAL], ids=["simplified", "traditional"])
def test_pasted_seed_is_marked_exactly(server: str, browser: Any, seed: Path) -> None:
    browser.get(server + "/")
    text = seed.read_text(encoding="utf-8")
    paste(browser, text)
    wait_rendered(browser, "cn")
    check_marks(browser, api_lint(server, text, profile="cn", fail_on="error"))
    assert browser.find_element("id", "badge").text in ("通过", "未通过")


def test_click_profile_typing_and_screenshot(server: str, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/")
    text = TRADITIONAL.read_text(encoding="utf-8")
    paste(browser, text)
    wait_rendered(browser, "cn")

    # a finding in the list -> its mark is current and scrolled into view
    item = browser.find_element("css selector", "#findings li.finding[data-d]:has(q)")
    index = item.get_attribute("data-d")
    item.click()
    wait_for(browser, f"Array.from(document.querySelectorAll('#draft mark.current')).every(m => "
                      f"m.dataset.d.split(' ').includes('{index}')) && document.querySelector('#draft mark.current')",
             "the clicked finding's mark to be current")
    wait_for(browser, "(() => { const r = document.querySelector('#draft mark.current').getBoundingClientRect();"
                      " return r.top >= 0 && r.bottom <= window.innerHeight; })()", "the mark to scroll into view")
    # and back: a mark -> its finding is current
    mark = browser.find_elements("css selector", "#draft mark")[-1]
    first = mark.get_attribute("data-d").split()[0]
    browser.execute_script("arguments[0].click();", mark)
    wait_for(browser, f"document.getElementById('d{first}').classList.contains('current')", "the mark's finding")

    # switch the jurisdiction: the page re-lints and shows Taiwan's legal basis
    Select(browser.find_element("id", "profile")).select_by_value("tw")
    wait_rendered(browser, "tw")
    check_marks(browser, api_lint(server, text, profile="tw", fail_on="error"))
    basis = browser.find_element("id", "findings").text
    assert "醫療法" in basis

    # typing re-lints (debounced): a cure claim appears as a mark
    from selenium.webdriver.common.keys import Keys

    editor = browser.find_element("id", "editor")
    editor.send_keys(Keys.CONTROL, Keys.HOME)  # at the top: the end of the seed is its reference list
    editor.send_keys("幹細胞可以根治糖尿病。\n")
    wait_rendered(browser, "tw")
    assert "根治" in marked_text(browser).values()

    browser.execute_script("window.scrollTo(0, 0); document.getElementById('findings').scrollTop = 0;")
    shot = tmp_path / "review-page.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("KEPULINT_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["KEPULINT_SCREENSHOT"])

    # the rule text on demand
    button = browser.find_element("css selector", "#findings section.code-group button")
    button.click()
    wait_for(browser, "document.querySelector('#findings pre.ruletext')", "the rule text")
    assert "## 做什麼" in browser.find_element("css selector", "#findings pre.ruletext").text  # tw: Traditional


def test_upload_a_gb18030_file(server: str, browser: Any, tmp_path: Path) -> None:
    draft = tmp_path / "旧稿.txt"
    draft.write_bytes(("干细胞可以根治糖尿病。" * 3).encode("gb18030"))
    browser.get(server + "/")
    browser.find_element("id", "upload").send_keys(str(draft))
    wait_for(browser, "document.getElementById('editor').value.startsWith('干细胞可以根治')", "the upload")
    wait_rendered(browser, "cn")
    assert browser.find_element("id", "filename").get_attribute("value") == "旧稿.txt"
    assert "gb18030" in browser.find_element("id", "notice").text
    assert list(marked_text(browser).values()).count("根治") == 3


def test_draft_markup_is_shown_as_text(server: str, browser: Any) -> None:
    browser.get(server + "/")
    payload = ('<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
               '"><svg onload="window.pwned = 3">干细胞可以根治糖尿病。')
    browser.execute_script("document.getElementById('filename').value = arguments[0];",
                           '"><img src=x onerror="window.pwned=4">.md')
    paste(browser, payload)
    wait_rendered(browser, "cn")
    assert browser.execute_script("return window.pwned === undefined;")
    assert browser.execute_script("return document.querySelectorAll('#draft script, #draft img, #draft svg, "
                                  "#findings img, #findings script').length;") == 0
    assert "<script>window.pwned = 1</script>" in browser.find_element("id", "draft").text
    assert "根治" in marked_text(browser).values()
