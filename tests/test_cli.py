"""The command line as a user runs it: its arguments, exit codes and output, run in this process
(``kepulint.cli.main`` with click's stream and environment isolation). Process behaviour (signals,
pipes, closed streams) is tested with real processes in test_robustness.py."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from kepulint.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CURE = "干细胞可以根治糖尿病。\n"
CLEAN = "# 干细胞研究进展\n\n免责声明：本文仅供科普参考，不构成医疗建议，如有不适请及时就医。\n"


def run(*args: str, input: str | bytes | None = None, cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``kepulint ARGS`` in ``cwd`` (default: the repository), stdin ``input``: exit code and output."""
    full_env: dict[str, str | None] = {"NO_COLOR": "1", "GITHUB_ACTIONS": None, "KEPULINT_DEBUG": None,
                                       **(env or {})}
    code = 0
    with _in(cwd or ROOT), _signal_handlers_kept(), CliRunner().isolation(input=input, env=full_env) as (out, err, _):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(["kepulint", *args], code, out.getvalue().decode("utf-8"),
                                       err.getvalue().decode("utf-8"))


@contextlib.contextmanager
def _in(folder: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _signal_handlers_kept() -> Iterator[None]:
    """``main`` installs the CLI's SIGTERM handler: give the test process its own back."""
    before = signal.getsignal(signal.SIGTERM)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def test_seeds_text_output_and_exit_1() -> None:
    proc = run("check", "seeds/", "--no-config")
    assert proc.returncode == 1, proc.stderr
    assert "seeds/003_b48d7aa5fb21ac6e.txt:1:1: DSC001 [error]" in proc.stdout
    assert "= 怎么改：" in proc.stdout
    assert proc.stdout.rstrip().splitlines()[-1].startswith("Found ")


def test_json_output_validates_and_matches_text(tmp_path: Path) -> None:
    proc = run("check", "--format", "json", "seeds/", "--no-config")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    schema = json.loads(run("schema").stdout)
    jsonschema.Draft202012Validator(schema).validate(report)
    keys = [(d["path"], d["line"], d["column"]) for d in report["diagnostics"]]
    assert keys == sorted(keys)
    text = run("check", "--format", "concise", "seeds/", "--no-config").stdout
    assert text.count(": ") >= len(report["diagnostics"])
    assert report["summary"]["files"] == 5


def test_stdin_with_filename() -> None:
    proc = run("check", "-", "--stdin-filename", "draft.md", "--no-config", "--select", "CLM002", input=CURE)
    assert proc.returncode == 1
    assert "draft.md:1:6: CLM002 [error]" in proc.stdout


def test_clean_input_exits_0() -> None:
    proc = run("check", "-", "--stdin-filename", "ok.md", "--no-config", "--ignore", "META", input=CLEAN)
    assert proc.returncode == 0, proc.stdout
    assert "All checks passed." in proc.stdout


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("never", 0)])
def test_fail_on_levels(fail_on: str, code: int) -> None:
    text = CLEAN + "\n这是一次革命性的治疗方法。\n"  # CLM006 is a warning
    proc = run("check", "-", "--stdin-filename", "x.md", "--no-config", "--select", "CLM006",
               "--fail-on", fail_on, input=text)
    assert proc.returncode == code, proc.stdout


def test_select_prefix_and_ignore() -> None:
    proc = run("check", "--format", "json", "seeds/", "--no-config", "--select", "CLM", "--ignore", "CLM006")
    codes = {d["code"] for d in json.loads(proc.stdout)["diagnostics"]}
    assert codes and all(c.startswith("CLM") and c != "CLM006" for c in codes)


def test_unknown_code_is_usage_error() -> None:
    proc = run("check", "seeds/", "--no-config", "--select", "XYZ999")
    assert proc.returncode == 2
    assert "XYZ999" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_unreadable_file_exit_2_but_others_linted(tmp_path: Path) -> None:
    (tmp_path / "gbk.txt").write_bytes("干细胞可以根治糖尿病。".encode("gbk"))
    (tmp_path / "ok.md").write_text(CURE, encoding="utf-8")
    proc = run("check", str(tmp_path), "--no-config", "--select", "CLM002")
    assert proc.returncode == 2
    assert "gb18030" in proc.stdout.lower() or "gbk" in proc.stdout.lower()
    assert "ok.md:1:6: CLM002" in proc.stdout


def test_rules_table_and_json() -> None:
    table = run("rules").stdout
    rows = json.loads(run("rules", "--format", "json").stdout)
    codes = {r["code"] for r in rows}
    assert {"DSC001", "CLM002", "CLM006"} <= codes
    assert all({"code", "name", "severity", "kind", "summary"} <= set(r) for r in rows)
    for code in codes:
        assert code in table


def test_rule_explains_with_basis() -> None:
    proc = run("rule", "CLM002")
    assert proc.returncode == 0
    assert "广告法" in proc.stdout and "## 怎么改" in proc.stdout and "https://" in proc.stdout
    tw = run("rule", "clm002", "--profile", "tw").stdout
    assert "醫療法" in tw


def test_rule_unknown_code() -> None:
    proc = run("rule", "CLM999")
    assert proc.returncode == 2 and "CLM999" in proc.stderr and "Traceback" not in proc.stderr


def test_version() -> None:
    from kepulint import __version__

    assert run("--version").stdout.strip().endswith(__version__)


def test_schema_commands_are_json() -> None:
    for which in ("report", "config", "rule"):
        json.loads(run("schema", which).stdout)


def test_output_file_is_written(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = run("check", "--format", "json", "-o", str(out), "seeds/", "--no-config")
    assert proc.returncode == 1 and proc.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["diagnostics"]


def test_bad_today_is_usage_error() -> None:
    proc = run("check", "seeds/", "--no-config", "--today", "2025-13-40")
    assert proc.returncode == 2 and "--today" in proc.stderr


def test_lint_text_api_matches_cli() -> None:
    import kepulint

    text = (SEEDS / "004_5364250a9dfa7818.txt").read_text(encoding="utf-8")
    api = [(d.code, d.line, d.column) for d in kepulint.lint_text(text, path="seeds/004_5364250a9dfa7818.txt")]
    report = json.loads(run("check", "--format", "json", "seeds/004_5364250a9dfa7818.txt", "--no-config").stdout)
    assert api == [(d["code"], d["line"], d["column"]) for d in report["diagnostics"]]


def test_diagnostics_pickle() -> None:
    import pickle

    import kepulint

    diags = kepulint.lint_text(CURE, path="a.md")
    assert pickle.loads(pickle.dumps(diags)) == diags


def test_baseline_survives_edits_and_catches_new_claims(tmp_path: Path) -> None:
    draft = tmp_path / "drafts" / "a.txt"
    draft.parent.mkdir()
    original = (SEEDS / "004_5364250a9dfa7818.txt").read_text(encoding="utf-8")
    draft.write_text(original, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    wrote = run("check", "drafts", "--no-config", "--write-baseline", str(baseline), cwd=tmp_path)
    assert wrote.returncode == 0 and baseline.exists()

    draft.write_text("编者按：本文为旧稿，已加入审核流程。\n\n" + original, encoding="utf-8")
    moved = run("check", "drafts", "--no-config", "--baseline", str(baseline), cwd=tmp_path)
    assert moved.returncode == 0, moved.stdout

    head, rest = original.split("\n", 1)
    draft.write_text(head + "\n干细胞可以根治中风后遗症。\n" + rest, encoding="utf-8")
    new = run("check", "drafts", "--no-config", "--baseline", str(baseline), "--format", "json", cwd=tmp_path)
    assert new.returncode == 1
    report = json.loads(new.stdout)
    assert [(d["code"], d["match"]) for d in report["diagnostics"]] == [("CLM002", "根治")]
    assert report["baseline"]["matched"] > 0


def test_sarif_output_validates_against_official_schema() -> None:
    proc = run("check", "--format", "sarif", "seeds/", "--no-config")
    assert proc.returncode == 1
    sarif = json.loads(proc.stdout)
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    run0 = sarif["runs"][0]
    assert run0["columnKind"] == "unicodeCodePoints"
    assert {r["id"] for r in run0["tool"]["driver"]["rules"]} >= {"CLM002", "DSC001"}
    assert all("kepulintFingerprint/v1" in r["partialFingerprints"] for r in run0["results"])


def test_github_format_is_automatic_on_actions() -> None:
    proc = run("check", "seeds/003_b48d7aa5fb21ac6e.txt", "--no-config", env={"GITHUB_ACTIONS": "true"})
    lines = proc.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any("title=DSC001 missing-disclaimer" in line for line in lines)


def test_statistics_counts_per_code() -> None:
    proc = run("check", "seeds/", "--no-config", "--statistics")
    assert proc.returncode == 1
    assert any(line.split()[1:2] == ["CIT002"] for line in proc.stdout.splitlines() if line.strip())


def test_config_command_shows_sources(tmp_path: Path) -> None:
    (tmp_path / ".kepulint.yaml").write_text("ignore: [CLM006]\nfail-on: warning\n", encoding="utf-8")
    proc = run("config", cwd=tmp_path)
    assert proc.returncode == 0
    assert "fail-on" in proc.stdout and ".kepulint.yaml" in proc.stdout


def test_bad_config_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / ".kepulint.yaml").write_text("selct: [CLM]\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(CURE, encoding="utf-8")
    proc = run("check", "a.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert "selct" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
