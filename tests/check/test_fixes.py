"""Advice and fixes: every rule's firing examples, idempotence, encodings and line endings,
``--fix`` / ``--unsafe-fixes`` / ``--diff`` through the runner in-process."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kepulint.api import Settings, lint_source, ruleset_for
from kepulint.model import Diagnostic, FileResult
from kepulint.report import RuleTable
from kepulint.run.fixer import allowed, apply_once, fix_text
from kepulint.run.options import RunOptions
from kepulint.run.runner import run_check

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
RULESET = ruleset_for(())
TODAY = "2026-11-25"
ALL = frozenset({"safe", "unsafe", "display-only"})


def _lint(text: str, path: str = "example.md", profile: str = "cn", select: list[str] | None = None) -> FileResult:
    return lint_source(text, path, Settings(today=TODAY, profile=profile), select=select)


def _fire_cases() -> list[tuple[str, int]]:
    return [(r.code, i) for r in RULESET for i, _ in enumerate(r.examples.get("fire", []))]


@pytest.mark.parametrize(("code", "i"), _fire_cases(), ids=[f"{c}-{i}" for c, i in _fire_cases()])
def test_fire_example_fix_resolves_its_finding(code: str, i: int) -> None:
    """A safe or unsafe fix removes the finding it was made for; display-only fixes are
    placeholders and are only checked to be well-formed."""
    rule = RULESET.by_code[code]
    spec: Any = rule.examples["fire"][i]
    spec = {"text": spec} if isinstance(spec, str) else spec
    select = RULESET.codes if rule.kind == "tool" else [code]
    path = "example.md" if spec.get("markdown", True) else "example.txt"
    settings = Settings(today=spec.get("today", TODAY), profile=spec.get("profile", "cn"))
    text = spec["text"]
    found = [d for d in lint_source(text, path, settings, select=select).diagnostics if d.code == code]
    assert found
    for d in found:
        assert d.advice, f"{code}: no advice for {d.match!r}"
        for fix in d.fixes:
            assert fix.applicability in ALL and fix.title and fix.edits
            if fix.applicability == "display-only":
                continue
            fixed, applied, _ = apply_once(text, [_only(d, fix)], ALL)
            assert applied == 1 and fixed != text
            after = lint_source(fixed, path, settings, select=select).diagnostics
            assert d.fingerprint not in {a.fingerprint for a in after if a.code == code}, (text, fixed)


def _only(d: Diagnostic, fix: Any) -> Diagnostic:
    from dataclasses import replace

    return replace(d, fixes=(fix,))


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name for p in SEEDS])
def test_fixing_twice_changes_nothing_the_second_time(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    lint = lambda t: _lint(t, seed.name)  # noqa: E731
    first = fix_text(text, lint, allowed(True))
    second = fix_text(first.text, lint, allowed(True))
    assert first.applied > 0
    assert second.applied == 0 and second.text == first.text
    assert first.result.diagnostics == lint(first.text).diagnostics  # the re-lint is the truth


def test_seeds_after_unsafe_fixes_keep_only_findings_that_need_judgement() -> None:
    remaining: set[str] = set()
    for seed in SEEDS:
        outcome = fix_text(seed.read_text(encoding="utf-8"), lambda t, s=seed: _lint(t, s.name), allowed(True))
        remaining |= {d.code for d in outcome.result.diagnostics}
    assert remaining == {"CIT001", "CIT002", "CLM003", "CLM004", "CLM005", "EVD001", "EVD003", "META001",
                         "TRL001", "TRL002"}


def test_advice_differs_for_different_matches_on_the_seeds() -> None:
    by_advice: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for seed in SEEDS:
        for d in _lint(seed.read_text(encoding="utf-8"), seed.name).diagnostics:
            by_advice[d.advice].add((d.code, d.match))
    shared = {a: m for a, m in by_advice.items() if len(m) > 1}
    # only document-level findings (no match: one per file, the same requirement) may share advice
    assert all(match == "" for group in shared.values() for _, match in group), shared


def test_advice_names_the_disease_and_the_rewrite() -> None:
    d = _lint("类风湿关节炎患者输注干细胞后可以根治。", select=["CLM002"]).diagnostics[0]
    assert "控制病情" in d.advice and "类风湿关节炎患者" in d.advice
    assert d.fixes[0].applicability == "unsafe" and d.fixes[0].edits[0].replacement == "控制病情"


def test_tw_profile_gives_traditional_advice_and_taiwan_law() -> None:
    d = _lint("干细胞可以根治抑郁症。", profile="tw", select=["CLM002"]).diagnostics[0]
    assert "憂鬱症" in d.advice and "控制病情" in d.advice and "抑郁症" not in d.advice
    help_text = RuleTable(ruleset_for(())).help(d.code, "tw")  # reporters look the help up by code and profile
    assert "醫療法" in help_text and "广告法" not in help_text and "廣告法" not in help_text
    dsc = _lint("幹細胞研究進展介紹。", profile="tw", select=["DSC001"]).diagnostics[0]
    assert "醫師" in dsc.fixes[0].edits[0].replacement and "衛教" in dsc.fixes[0].edits[0].replacement


def test_replacement_follows_the_drafts_script() -> None:
    d = _lint("一次輸注即可徹底治癒憂鬱症。", select=["CLM002"]).diagnostics[0]
    assert d.fixes[0].edits[0].replacement == "明顯改善症狀"


def test_overlapping_fixes_are_applied_in_a_second_pass() -> None:
    text = "干细胞疗法一针见效，根治糖尿病，必将改写历史。"
    outcome = fix_text(text, lambda t: _lint(t, "a.md", select=["CLM002", "CLM006"]), allowed(True))
    assert outcome.applied >= 3 and outcome.skipped == 0
    assert not outcome.result.diagnostics


def test_disclaimer_is_added_with_the_files_line_ending() -> None:
    text = "# 干细胞\r\n\r\n研究显示干细胞或可改善胰岛功能。\r\n"
    outcome = fix_text(text, lambda t: _lint(t, select=["DSC001"]), allowed(False))
    assert outcome.text.startswith(text.rstrip("\r\n") + "\r\n\r\n免责声明：")
    assert outcome.text.endswith("\r\n") and "\n" not in outcome.text.replace("\r\n", "")
    assert not outcome.result.diagnostics


def test_unused_directive_is_removed_by_a_safe_fix() -> None:
    text = "干细胞研究。\n<!-- kepulint-disable-next-line CLM002 -- 引用 -->\n没有问题。\n"
    result = _lint(text, select=RULESET.codes)
    kpl = next(d for d in result.diagnostics if d.code == "KPL002")
    assert kpl.fixes[0].applicability == "safe"
    fixed, applied, _ = apply_once(text, [kpl], allowed(False))
    assert applied == 1
    assert fixed == "干细胞研究。\n没有问题。\n"


# -- the command line, in-process ----------------------------------------------------------------


def _check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *paths: str, **opts: Any) -> int:
    monkeypatch.chdir(tmp_path)
    base = {"no_config": True, "jobs": 1, "today": TODAY, "cache": False, "fmt": "json",
            "output_file": tmp_path / "report.json"}
    return int(run_check(list(paths), RunOptions(**{**base, **opts})).exit_code)


DRAFT = "# 干细胞与糖尿病\n\n干细胞可以根治糖尿病。\n"


@pytest.mark.parametrize(("encoding", "data"), [
    ("utf-8", DRAFT.encode("utf-8")),
    ("utf-8 BOM", b"\xef\xbb\xbf" + DRAFT.encode("utf-8")),
    ("utf-16 BOM", b"\xff\xfe" + DRAFT.replace("\n", "\r\n").encode("utf-16-le")),
    ("gb18030", DRAFT.replace("\n", "\r").encode("gb18030")),
])
def test_fix_keeps_encoding_bom_and_line_endings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  encoding: str, data: bytes) -> None:
    (tmp_path / "a.md").write_bytes(data)
    extra = {"encoding": "gb18030"} if encoding == "gb18030" else {}
    code = _check(tmp_path, monkeypatch, "a.md", fix=True, unsafe_fixes=True, **extra)
    after = (tmp_path / "a.md").read_bytes()
    codec = {"utf-8": "utf-8", "utf-8 BOM": "utf-8-sig", "utf-16 BOM": "utf-16", "gb18030": "gb18030"}[encoding]
    text = after.decode(codec)
    assert after[:3] == data[:3]  # the byte-order mark (or first bytes) kept
    assert "控制病情" in text and "免责声明" in text
    newline = "\r\n" if encoding == "utf-16 BOM" else "\r" if encoding == "gb18030" else "\n"
    assert text.count(newline) >= 5 and text.replace(newline, "").count("\n") + text.count("\r") == (
        0 if newline == "\n" else text.count("\r"))
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["error"] == 0 and code == 0  # re-linted after fixing


def test_fix_leaves_files_without_applicable_fixes_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean = tmp_path / "clean.md"
    clean.write_text("本文仅供参考，不构成医疗建议，如有不适请及时就医。\n干细胞研究进展。\n", encoding="utf-8")
    unsafe_only = tmp_path / "claim.md"
    unsafe_only.write_text("干细胞可以根治糖尿病。本文仅供参考，不构成医疗建议，请咨询医生。\n", encoding="utf-8")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (clean, unsafe_only)}
    _check(tmp_path, monkeypatch, "clean.md", "claim.md", fix=True)  # no --unsafe-fixes
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in before} == before


def test_diff_shows_the_edits_fix_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    for seed in SEEDS:
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    originals = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.txt")}
    assert _check(tmp_path, monkeypatch, ".", diff=True, unsafe_fixes=True) == 1
    diff = capsys.readouterr().out
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.txt")} == originals  # --diff writes nothing
    _check(tmp_path, monkeypatch, ".", fix=True, unsafe_fixes=True)
    import difflib

    expected = ""
    for name in sorted(originals):
        after = (tmp_path / name).read_text(encoding="utf-8")
        lines = difflib.unified_diff(originals[name].splitlines(keepends=True), after.splitlines(keepends=True),
                                     fromfile=f"a/{name}", tofile=f"b/{name}")
        expected += "".join(x if x.endswith("\n") else x + "\n\\ No newline at end of file\n" for x in lines)
    assert diff == expected
    assert _check(tmp_path, monkeypatch, ".", diff=True, unsafe_fixes=True) == 0  # nothing left to change


def test_json_and_sarif_carry_fixes_and_validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jsonschema

    (tmp_path / "a.md").write_text(DRAFT, encoding="utf-8")
    _check(tmp_path, monkeypatch, "a.md")
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "lint" / "kepulint" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)
    clm = next(d for d in report["diagnostics"] if d["code"] == "CLM002")
    assert clm["fixes"][0] == {"title": "替换为：控制病情", "applicability": "unsafe", "edits": [
        {"line": 3, "column": 6, "end_line": 3, "end_column": 8, "replacement": "控制病情"}]}
    _check(tmp_path, monkeypatch, "a.md", fmt="sarif")
    sarif = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8")))
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "CLM002")
    change = result["fixes"][0]["artifactChanges"][0]
    assert change["replacements"][0] == {"deletedRegion": {"startLine": 3, "startColumn": 6, "endLine": 3,
                                                           "endColumn": 8}, "insertedContent": {"text": "控制病情"}}
    assert result["properties"]["kepulint/advice"] == clm["advice"]


# -- any mix of firing examples -------------------------------------------------------------------

_PIECES = [e if isinstance(e, str) else e["text"] for r in RULESET if r.kind != "tool"
           for e in r.examples.get("fire", [])]


@settings(max_examples=40, deadline=None)
@given(pieces=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6),
       glue=st.sampled_from(["\n", "\r\n", "\r", "\n\n", "😀𠀀", "。"]), path=st.sampled_from(["a.md", "a.txt"]))
# a draft whose last line (a booking hook, deleted) follows a CR after an LF: the disclaimer must not
# bring an LF that turns that CR into CRLF
@example(pieces=["干细胞治疗抑郁症仍处于临床研究阶段。\n", "限量热卖中，快去购买吧！"], glue="\r", path="a.md")
def test_fixing_any_mix_of_examples_settles_and_keeps_line_endings(pieces: list[str], glue: str, path: str) -> None:
    text = glue.join(pieces)
    lint = lambda t: _lint(t, path)  # noqa: E731
    first = fix_text(text, lint, allowed(True))
    second = fix_text(first.text, lint, allowed(True))
    assert second.text == first.text  # idempotent
    styles = set(re.findall(r"\r\n|\r|\n", text)) or {"\n"}
    assert set(re.findall(r"\r\n|\r|\n", first.text)) <= styles  # no line ending the draft did not use
