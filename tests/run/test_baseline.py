"""Tests for baselines: write, load, filter, stale counts and error handling."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from kepulint.model import Diagnostic, FileError, FileResult, Severity, Suppression
from kepulint.run.baseline import BASELINE_VERSION, Baseline, BaselineError, write_baseline


def diag(path: str, code: str, fingerprint: str, line: int = 1, match: str = "根治") -> Diagnostic:
    return Diagnostic(
        path=path, code=code, name=code.lower(), severity=Severity.ERROR, message=f"{code}：{match}",
        line=line, column=1, end_line=line, end_column=1 + len(match), match=match,
        fingerprint=fingerprint,
    )


def archive() -> list[FileResult]:
    return [
        FileResult("docs/a.md", [diag("docs/a.md", "CLM002", "fa1", 3), diag("docs/a.md", "CLM002", "fa1", 9),
                                 diag("docs/a.md", "CIT001", "fa2", 5, "80%")]),
        FileResult("docs/b.md", [diag("docs/b.md", "CLM002", "fb1", 2, "根治")],
                   suppressed=[replace_sup(diag("docs/b.md", "CLM001", "fb0", 1, "第一"))]),
        FileResult("docs/c.md"),
        FileResult("docs/bad.md", error=FileError("docs/bad.md", "cannot decode")),
    ]


def replace_sup(d: Diagnostic) -> Diagnostic:
    return replace(d, suppression=Suppression("disable-line", "引用原文", 1))


def test_write_records_active_diagnostics(tmp_path: Path) -> None:
    target = tmp_path / "kepulint-baseline.json"
    assert write_baseline(target, archive()) == 4
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["version"] == BASELINE_VERSION == 1
    assert data["tool"] == "kepulint"
    assert len(data["generated"]) == 10 and data["generated"][4] == "-"
    assert data["entries"] == {
        "docs/a.md": {
            "fa1": {"count": 2, "code": "CLM002", "match": "根治"},
            "fa2": {"count": 1, "code": "CIT001", "match": "80%"},
        },
        "docs/b.md": {"fb1": {"count": 1, "code": "CLM002", "match": "根治"}},
    }


def test_file_format_is_sorted_indented_utf8(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    write_baseline(target, archive())
    raw = target.read_text(encoding="utf-8")
    assert "根治" in raw and "\\u" not in raw
    assert raw.endswith("\n")
    data = json.loads(raw)
    assert raw == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    target.write_text("old", encoding="utf-8")
    write_baseline(target, archive())
    write_baseline(target, archive())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == 1


def test_write_failure_raises_baseline_error_and_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "is-a-dir"
    target.mkdir()
    with pytest.raises(BaselineError) as info:
        write_baseline(target, archive())
    assert str(target) in str(info.value) and "\n" not in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["is-a-dir"]


def test_roundtrip_filters_everything(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    write_baseline(target, archive())
    baseline = Baseline.load(target)
    assert baseline.entries == {"docs/a.md": {"fa1": 2, "fa2": 1}, "docs/b.md": {"fb1": 1}}
    assert baseline.total == 4
    results, matched, stale = baseline.filter(archive())
    assert (matched, stale) == (4, 0)
    assert all(r.diagnostics == [] for r in results)
    a = results[0]
    assert len(a.suppressed) == 3
    sup = a.suppressed[0].suppression
    assert sup == Suppression(kind="baseline", justification=f"in baseline {target}")
    b = results[1]
    assert sorted(d.suppression.kind for d in b.suppressed if d.suppression) == ["baseline", "disable-line"]
    assert results[3].error is not None


def test_new_finding_is_reported_and_counts_are_respected(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    write_baseline(target, archive())
    baseline = Baseline.load(target)
    later = [
        FileResult("docs/a.md", [
            diag("docs/a.md", "CLM002", "fa1", 30),  # paragraph moved down: still baselined
            diag("docs/a.md", "CLM002", "fa1", 40),
            diag("docs/a.md", "CLM002", "fa1", 50),  # a third copy of the same sentence: new
            diag("docs/a.md", "CLM002", "fnew", 60, "永不复发"),  # a new cure claim: new
        ]),
    ]
    results, matched, stale = baseline.filter(later)
    assert matched == 2
    assert [(d.fingerprint, d.line) for d in results[0].diagnostics] == [("fa1", 50), ("fnew", 60)]
    assert stale == 1  # fa2 in docs/a.md is gone; docs/b.md was not linted, so not stale


def test_stale_counts_fixed_findings(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    write_baseline(target, archive())
    fixed = [FileResult("docs/a.md", [diag("docs/a.md", "CLM002", "fa1", 3)]), FileResult("docs/b.md")]
    results, matched, stale = Baseline.load(target).filter(fixed)
    assert matched == 1
    assert stale == 3  # one fa1, fa2, fb1
    assert results[1].diagnostics == []


def test_paths_are_compared_as_posix(tmp_path: Path) -> None:
    baseline = Baseline({"docs/a.md": {"fa1": 1}}, source="b.json")
    results, matched, _ = baseline.filter([FileResult("./docs/a.md", [diag("docs\\a.md", "CLM002", "fa1")])])
    assert matched == 1 and results[0].diagnostics == []
    other, matched, _ = baseline.filter([FileResult("docs/z.md", [diag("docs/z.md", "CLM002", "fa1")])])
    assert matched == 0 and len(other[0].diagnostics) == 1


def test_filter_does_not_mutate_inputs_or_baseline() -> None:
    baseline = Baseline({"docs/a.md": {"fa1": 1}}, source="b.json")
    original = [FileResult("docs/a.md", [diag("docs/a.md", "CLM002", "fa1")])]
    baseline.filter(original)
    baseline.filter(original)
    assert len(original[0].diagnostics) == 1
    assert baseline.entries == {"docs/a.md": {"fa1": 1}}


@pytest.mark.parametrize(("content", "reason"), [
    ("{not json", "invalid baseline JSON"),
    ("[]", "top level must be an object"),
    ('{"version": 2, "entries": {}}', "unsupported version 2"),
    ('{"version": 1}', "'entries' must be an object"),
    ('{"version": 1, "tool": "ruff", "entries": {}}', "not kepulint"),
    ('{"version": 1, "entries": {"a.md": []}}', "must be an object"),
    ('{"version": 1, "entries": {"a.md": {"fp": {"count": 0}}}}', "positive integer"),
    ('{"version": 1, "entries": {"a.md": {"fp": {"count": true}}}}', "positive integer"),
])
def test_invalid_baseline_is_one_line_error(tmp_path: Path, content: str, reason: str) -> None:
    target = tmp_path / "baseline.json"
    target.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError) as info:
        Baseline.load(target)
    message = str(info.value)
    assert message.startswith(str(target))
    assert reason in message
    assert "\n" not in message


def test_invalid_json_error_has_position(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    target.write_text('{\n  "version": 1,\n  "entries": {,}\n}', encoding="utf-8")
    with pytest.raises(BaselineError, match=r"baseline\.json:3:\d+: invalid baseline JSON"):
        Baseline.load(target)


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="not found"):
        Baseline.load(tmp_path / "nope.json")
    target = tmp_path / "latin.json"
    target.write_bytes(b'{"version": 1, "entries": {"\xff": {}}}')
    with pytest.raises(BaselineError, match="not UTF-8"):
        Baseline.load(target)


def test_engine_fingerprints_survive_edits_but_not_new_claims(tmp_path: Path) -> None:
    from kepulint.api import Settings, lint_source

    settings = Settings(select=("CLM002",), today="2025-06-10")
    before = "# 干细胞\n\n干细胞可以根治糖尿病。\n\n其他内容。\n"
    target = tmp_path / "baseline.json"
    assert write_baseline(target, [lint_source(before, "docs/a.md", settings)]) == 1
    baseline = Baseline.load(target)

    moved = "# 干细胞\n\n新增的一段介绍。\n\n其他内容。\n\n干细胞可以根治糖尿病。\n"
    results, matched, stale = baseline.filter([lint_source(moved, "docs/a.md", settings)])
    assert (matched, stale) == (1, 0) and results[0].diagnostics == []

    added = moved + "\n一次输注即可彻底治愈抑郁症。\n"
    results, matched, _ = baseline.filter([lint_source(added, "docs/a.md", settings)])
    assert matched == 1
    assert [d.code for d in results[0].diagnostics] == ["CLM002"]
    assert "治愈" in results[0].diagnostics[0].match
