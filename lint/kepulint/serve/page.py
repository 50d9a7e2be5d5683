"""The review page's HTML: controls, editor, marked draft and findings list (filled by review.js).

Server-rendered from the rule set and the server's configuration; every value is escaped.
The page loads only ``/static/review.css`` and ``/static/review.js`` (no inline script or style).
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import __version__
from ..model import CHECK_PROFILES, LEVELS
from ..report.html import esc
from .service import DEFAULT_FILENAME, READABLE_SUFFIXES, Reviewer

PROFILE_NAMES = {"cn": "中国大陆 cn", "tw": "台灣 tw", "hk": "香港 hk", "auto": "自动 auto"}


def _options(values: Sequence[str], chosen: str, names: dict[str, str] | None = None) -> str:
    names = names or {}
    return "".join(f'<option value="{esc(v)}"{" selected" if v == chosen else ""}>{esc(names.get(v, v))}</option>'
                   for v in values)


def _rule_boxes(reviewer: Reviewer) -> str:
    chosen = set(reviewer.config.selected_codes(reviewer.ruleset.codes, None))
    ignored = reviewer.config.ignore
    rows = []
    for r in reviewer.ruleset:
        locked = bool(ignored) and r.code.startswith(ignored)
        state = (" checked" if r.code in chosen else "") + (" disabled" if locked else "")
        note = '<span class="muted">（配置已忽略）</span>' if locked else ""
        rows.append(f'<label class="rule-box" title="{esc(r.summary)}"><input type="checkbox" name="rule" '
                    f'value="{esc(r.code)}"{state}> {esc(r.code)} <span class="muted">{esc(r.name)}</span>'
                    f"{note}</label>")
    return "".join(rows)


def render_page(reviewer: Reviewer) -> str:
    """The whole page."""
    config = reviewer.config
    accept = ",".join(READABLE_SUFFIXES)
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kepulint 审阅</title>
<link rel="stylesheet" href="/static/review.css">
<script src="/static/review.js" defer></script>
</head><body>
<header class="top"><h1>kepulint 审阅</h1><span id="badge" class="badge busy">等待稿件</span>
<span id="counts" class="muted"></span><span id="notice" class="muted"></span>
<span id="status" class="errors" role="status"></span></header>
<main>
<form id="controls" class="controls noprint">
<label>文件名 <input id="filename" value="{esc(DEFAULT_FILENAME)}" size="18" maxlength="255"></label>
<label>打开文件 <input id="upload" type="file" accept="{esc(accept)}"></label>
<label>法域 <select id="profile">{_options(CHECK_PROFILES, config.profile, PROFILE_NAMES)}</select></label>
<label>失败级别 <select id="fail-on">{_options(LEVELS, config.fail_on)}</select></label>
<span class="downloads">下载报告 <button type="button" data-download="json">JSON</button>
<button type="button" data-download="sarif">SARIF</button>
<button type="button" data-download="html">HTML</button></span>
<details id="rules"><summary>规则选择</summary><div class="rule-grid">{_rule_boxes(reviewer)}</div></details>
</form>
<div class="review">
<div class="left">
<textarea id="editor" spellcheck="false"
 placeholder="在此粘贴或输入稿件（简体或繁体），修改后自动重新检查……"></textarea>
<pre id="draft" class="draft" aria-label="标出问题的稿件"></pre>
</div>
<div id="findings" class="findings" aria-label="问题列表">
<p class="muted">粘贴稿件后，这里按严重性和规则列出问题。</p></div>
</div>
<p class="muted noprint">kepulint {esc(__version__)} · 稿件只在本机处理，不保存、不上传。</p>
</main>
</body></html>
"""
