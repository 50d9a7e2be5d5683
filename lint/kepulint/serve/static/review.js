// kepulint review page: lint the editor's text through POST /api/lint, mark findings in place,
// list them by severity and code. Plain JavaScript, no build step; draft text only ever goes
// into the page through textContent (never innerHTML).
"use strict";

(function () {
  const SEVERITIES = ["error", "warning", "info"];
  const SEVERITY_NAMES = { error: "错误", warning: "警告", info: "提示" };
  const RANK = { info: 1, warning: 2, error: 3 };
  const DEBOUNCE_MS = 350;
  const $ = (id) => document.getElementById(id);
  const editor = $("editor"), draft = $("draft"), list = $("findings"), badge = $("badge");
  const state = { seq: 0, controller: null, timer: 0, rules: {}, rulesProfile: "", report: null };

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children || []) {
      node.append(child);
    }
    return node;
  }

  function settings() {
    const boxes = Array.from(document.querySelectorAll('input[name="rule"]'));
    const usable = boxes.filter((b) => !b.disabled);
    const chosen = usable.filter((b) => b.checked).map((b) => b.value);
    const result = { profile: $("profile").value, fail_on: $("fail-on").value };
    if (chosen.length !== usable.length || boxes.length !== usable.length) {
      result.select = chosen;
    }
    return result;
  }

  function requestBody() {
    return JSON.stringify({ text: editor.value, filename: $("filename").value || "draft.md", settings: settings() });
  }

  function showStatus(message) {
    $("status").textContent = message || "";
  }

  async function errorOf(response) {
    try {
      return (await response.json()).error || response.statusText;
    } catch (e) {
      return response.statusText;
    }
  }

  async function loadRules(profile) {
    if (state.rulesProfile === profile) return;
    const response = await fetch("/api/rules?profile=" + encodeURIComponent(profile));
    if (!response.ok) throw new Error(await errorOf(response));
    state.rules = {};
    for (const rule of await response.json()) state.rules[rule.code] = rule;
    state.rulesProfile = profile;
  }

  // the jurisdiction the draft was linted under: the chosen one, or the one "auto" picked for it
  function lawOf(report) {
    const doc = (report.documents || [])[0];
    if (doc && doc.profile) return doc.profile;
    const chosen = $("profile").value;
    return chosen === "auto" ? "cn" : chosen;
  }

  async function lint() {
    const seq = ++state.seq;
    if (state.controller) state.controller.abort();
    const controller = (state.controller = new AbortController());
    const text = editor.value;
    badge.className = "badge busy";
    badge.textContent = "检查中…";
    document.body.dataset.state = "busy";
    try {
      const response = await fetch("/api/lint", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: requestBody(),
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(await errorOf(response));
      const report = await response.json();
      state.law = lawOf(report);
      await loadRules(state.law);
      if (seq !== state.seq) return;
      state.report = report;
      showStatus("");
      render(report, text, response.headers.get("X-Kepulint-Result") === "fail");
    } catch (err) {
      if (err.name === "AbortError" || seq !== state.seq) return;
      document.body.dataset.state = "error";
      badge.className = "badge busy";
      badge.textContent = "出错";
      showStatus(String(err.message || err));
    }
  }

  function scheduleLint() {
    clearTimeout(state.timer);
    state.timer = setTimeout(lint, DEBOUNCE_MS);
  }

  // --- the draft with marks ------------------------------------------------------------------

  // Offsets (in code points) at which each line starts; lines end at CR, LF or CRLF.
  function lineStarts(chars) {
    const starts = [0];
    for (let i = 0; i < chars.length; i++) {
      if (chars[i] === "\r" && chars[i + 1] === "\n") continue;
      if (chars[i] === "\n" || chars[i] === "\r") starts.push(i + 1);
    }
    return starts;
  }

  function spansOf(chars, diagnostics) {
    const starts = lineStarts(chars);
    const spans = [];
    diagnostics.forEach((d, i) => {
      if (!d.match || d.line > starts.length || d.end_line > starts.length) return;
      const start = starts[d.line - 1] + d.column - 1, end = starts[d.end_line - 1] + d.end_column - 1;
      if (chars.slice(start, end).join("") === d.match) spans.push({ start, end, i });
    });
    return spans;
  }

  function renderDraft(text, diagnostics) {
    const chars = Array.from(text);
    const spans = spansOf(chars, diagnostics);
    const bounds = new Set([0, chars.length]);
    for (const s of spans) { bounds.add(s.start); bounds.add(s.end); }
    const points = Array.from(bounds).sort((a, b) => a - b);
    const fragment = document.createDocumentFragment();
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k], b = points[k + 1];
      const piece = chars.slice(a, b).join("");
      const covering = spans.filter((s) => s.start <= a && b <= s.end).map((s) => s.i);
      if (!covering.length) { fragment.append(piece); continue; }
      const worst = covering.map((i) => diagnostics[i].severity).sort((x, y) => RANK[y] - RANK[x])[0];
      const mark = el("mark", { textContent: piece, className: "m sev-" + worst + (covering.length > 1 ? " overlap" : "") });
      mark.dataset.d = covering.join(" ");
      mark.title = covering.map((i) => diagnostics[i].code + " " + diagnostics[i].message).join("；");
      mark.addEventListener("click", () => focusFinding(covering[0]));
      fragment.append(mark);
    }
    draft.replaceChildren(fragment);
    return new Set(spans.map((s) => s.i));
  }

  // --- the findings list ---------------------------------------------------------------------

  function basisOf(rule) {
    const p = el("p", { className: "basis" }, ["依据："]);
    (rule.basis || []).forEach((b, n) => {
      if (n) p.append("；");
      p.append(/^https?:\/\//i.test(b.url) ? el("a", { href: b.url, textContent: b.title, rel: "noopener noreferrer", target: "_blank" }) : b.title);
    });
    return rule.basis && rule.basis.length ? p : null;
  }

  function ruleTextButton(code) {
    const box = el("div");
    const button = el("button", { type: "button", textContent: "规则说明" });
    button.addEventListener("click", async (event) => {
      event.stopPropagation();
      if (box.firstChild) { box.replaceChildren(); return; }
      const response = await fetch("/api/rules/" + encodeURIComponent(code) + "?profile=" + encodeURIComponent(state.law || "cn"));
      const text = response.ok ? (await response.json()).text : await errorOf(response);
      box.replaceChildren(el("pre", { className: "ruletext", textContent: text }));
    });
    return el("div", {}, [button, box]);
  }

  function findingItem(d, i, marked) {
    const rule = state.rules[d.code] || {};
    const li = el("li", { className: "finding sev-" + d.severity, id: "d" + i });
    li.dataset.d = String(i);
    li.append(el("span", { className: "loc", textContent: d.match ? d.line + ":" + d.column : "全文" }));
    if (d.match) li.append(el("q", { textContent: d.match }), " ");
    li.append(el("span", { className: "msg", textContent: d.message }));
    const advice = d.advice || rule.advice;
    if (advice) li.append(el("p", { className: "advice", textContent: advice }));
    if (marked.has(i)) {
      li.tabIndex = 0;
      li.addEventListener("click", () => focusMark(i));
      li.addEventListener("keydown", (event) => { if (event.key === "Enter") focusMark(i); });
    }
    return li;
  }

  function renderFindings(diagnostics, marked) {
    const parts = [];
    if (!diagnostics.length) parts.push(el("p", { className: "muted", textContent: "没有发现问题。" }));
    for (const severity of SEVERITIES) {
      const group = diagnostics.map((d, i) => [d, i]).filter(([d]) => d.severity === severity);
      if (!group.length) continue;
      parts.push(el("h3", { className: "sev-label sev-" + severity, textContent: SEVERITY_NAMES[severity] + " " + severity + " (" + group.length + ")" }));
      const codes = Array.from(new Set(group.map(([d]) => d.code))).sort();
      for (const code of codes) {
        const items = group.filter(([d]) => d.code === code);
        const section = el("section", { className: "code-group" });
        const rule = ((state.report && state.report.rules) || {})[code] || state.rules[code] || {};  // report format 2
        section.append(el("h4", { textContent: code + " " + (rule.name || "") + " (" + items.length + ")" }));
        const basis = basisOf(state.rules[code] || {});
        if (basis) section.append(basis);
        section.append(el("ol", {}, items.map(([d, i]) => findingItem(d, i, marked))));
        section.append(ruleTextButton(code));
        parts.push(section);
      }
    }
    list.replaceChildren(...parts);
  }

  function clearCurrent() {
    for (const node of document.querySelectorAll(".current")) node.classList.remove("current");
  }

  function focusMark(i) {
    clearCurrent();
    const marks = Array.from(draft.querySelectorAll("mark")).filter((m) => m.dataset.d.split(" ").includes(String(i)));
    marks.forEach((m) => m.classList.add("current"));
    const item = $("d" + i);
    if (item) item.classList.add("current");
    if (marks.length) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function focusFinding(i) {
    focusMark(i);
    const item = $("d" + i);
    if (item) item.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function render(report, text, failed) {
    const diagnostics = report.diagnostics;
    const marked = renderDraft(text, diagnostics);
    renderFindings(diagnostics, marked);
    document.body.dataset.state = "ready";  // what tests and other tools wait for
    document.body.dataset.profile = state.law;  // the effective jurisdiction ("auto" resolved)
    const s = report.summary;
    badge.className = "badge " + (failed ? "fail" : "pass");
    badge.textContent = failed ? "未通过" : "通过";
    $("counts").textContent = "错误 " + s.error + "，警告 " + s.warning + "，提示 " + s.info +
      (s.suppressed ? "，已抑制 " + s.suppressed : "") + " · fail-on " + $("fail-on").value;
  }

  // --- files in and reports out --------------------------------------------------------------

  async function upload(file) {
    const response = await fetch("/api/read?name=" + encodeURIComponent(file.name), {
      method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: await file.arrayBuffer(),
    });
    if (!response.ok) { showStatus(await errorOf(response)); return; }
    const data = await response.json();
    editor.value = data.text;
    $("filename").value = data.filename;
    $("notice").textContent = data.notice ? data.filename + "：" + data.notice : "";
    lint();
  }

  async function download(fmt) {
    const response = await fetch("/api/report/" + fmt, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: requestBody(),
    });
    if (!response.ok) { showStatus(await errorOf(response)); return; }
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: "kepulint-report." + fmt });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  editor.addEventListener("input", scheduleLint);
  $("filename").addEventListener("input", scheduleLint);
  for (const id of ["profile", "fail-on"]) $(id).addEventListener("change", lint);
  $("rules").addEventListener("change", lint);
  $("upload").addEventListener("change", (event) => { if (event.target.files[0]) upload(event.target.files[0]); });
  for (const button of document.querySelectorAll("[data-download]")) {
    button.addEventListener("click", () => download(button.dataset.download));
  }
  $("controls").addEventListener("submit", (event) => event.preventDefault());
  if (editor.value) lint();
})();
