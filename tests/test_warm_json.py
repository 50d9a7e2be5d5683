"""The fast JSON report is byte for byte ``json.dumps(build(...), ensure_ascii=False,
separators=(",", ":")) + "\\n"``: on real lint results (active and suppressed diagnostics,
errors, notices, a baseline), on arbitrary field values (hypothesis: control characters,
quotes, backslashes, U+2028, lone surrogates, odd types), and end to end through the CLI,
whether the report goes to stdout as UTF-8 bytes or as text.

Correctness only: no timing assertions (see bench/ for speed).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import SUPPRESSED_TEXT, reporter_corpus, three_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kepulint.api import ruleset_for
from kepulint.model import Diagnostic, FileResult, Severity, Suppression
from kepulint.report import json_report
from kepulint.run import runner
from kepulint.run.options import RunOptions

ROOT = Path(__file__).resolve().parents[1]
RULES = ruleset_for(()).rules
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def plain(results: list[FileResult], **options: Any) -> str:
    """The reference: the report dict through json.dumps, as the JSON format is specified."""
    report = json_report.build(results, RULES, version="0.1.0", **options)
    return json.dumps(report, ensure_ascii=False, separators=(",", ":")) + "\n"


def assert_same(results: list[FileResult], **options: Any) -> None:
    expected = plain(results, **options)
    assert json_report.render(results, RULES, version="0.1.0", **options) == expected
    try:
        data = expected.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the byte path must refuse it the same way
        with pytest.raises(UnicodeEncodeError):
            json_report.render_parts(results, RULES, version="0.1.0", **options)
        return
    assert b"".join(json_report.render_parts(results, RULES, version="0.1.0", **options)) == data
    assert json_report.render_bytes(results, RULES, version="0.1.0", **options) == data


@pytest.fixture(scope="module")
def corpus_results() -> list[FileResult]:
    return reporter_corpus('sup/引用.md')


def test_real_results_give_the_same_bytes(corpus_results: list[FileResult]) -> None:
    assert any(r.suppressed for r in corpus_results), "the corpus must hold suppressed diagnostics"
    assert any(d.suppression for r in corpus_results for d in r.suppressed)
    assert any(r.error for r in corpus_results) and any(r.notice for r in corpus_results)
    assert sum(len(r.diagnostics) for r in corpus_results) > 100
    assert_same(corpus_results)
    assert_same(corpus_results, profile="tw", baseline={"path": "基线.json", "matched": 3, "stale": 1})
    assert_same([])
    assert_same(corpus_results[:1])


# -- arbitrary field values ----------------------------------------------------------------------

ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates included
TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.text(st.sampled_from('"\\/\b\f\n\r\t\x00\x1f\x7f\u2028\u2029\ud800\udfff\ufeff根治é'), max_size=12),
    st.sampled_from([help_text for help_text in {r.help for r in RULES}]),
)
INTS = st.one_of(st.integers(min_value=0, max_value=10**6), st.integers(), st.booleans())
ODD = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.booleans())


@st.composite
def diagnostics(draw: st.DrawFn, odd_types: bool = False) -> Diagnostic:
    def text() -> Any:
        return draw(st.one_of(TEXT, ODD) if odd_types else TEXT)

    suppression = draw(st.one_of(st.none(), st.builds(Suppression, kind=TEXT, justification=TEXT,
                                                      line=st.integers(0, 99))))
    return Diagnostic(path=text(), code=text(), name=text(), severity=draw(st.sampled_from(Severity)),
                      message=text(), line=draw(INTS), column=draw(INTS), end_line=draw(INTS),
                      end_column=draw(INTS), match=text(), help=text(), fingerprint=text(),
                      suppression=suppression)


@PROPERTY
@given(active=st.lists(diagnostics(), max_size=5), suppressed=st.lists(diagnostics(), max_size=3), notice=TEXT)
def test_any_field_values_give_the_same_report(active: list[Diagnostic], suppressed: list[Diagnostic],
                                               notice: str) -> None:
    assert_same(three_files(active, suppressed, notice))


@PROPERTY
@given(active=st.lists(diagnostics(odd_types=True), max_size=4))
def test_fields_of_other_types_fall_back_to_json_dumps(active: list[Diagnostic]) -> None:
    try:
        expected = plain(three_files(active, [], ""))
    except TypeError:  # json.dumps itself refuses (a float key…): nothing to compare
        return
    assert json_report.render(three_files(active, [], ""), RULES, version="0.1.0") == expected


def test_integer_subclasses_and_bools_are_written_as_json_dumps_writes_them() -> None:
    base = dict(path="a.md", code="CLM002", name="n", severity=Severity.ERROR, message="m", line=1, column=2,
                end_line=3, end_column=4, match="x", help="h", fingerprint="f")
    for value in (True, Severity.WARNING, 2**70, -1):
        assert_same([FileResult(path="a.md", diagnostics=[Diagnostic(**{**base, "line": value})])])


# -- through the CLI -----------------------------------------------------------------------------


def _drafts(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# 标题\n\n干细胞可以根治糖尿病。\n", encoding="utf-8")
    (docs / "b.txt").write_text("幹細胞可以根治糖尿病，一針見效。\n据统计，70%的患者有效。\n", encoding="utf-8")
    (docs / "c.md").write_text(SUPPRESSED_TEXT, encoding="utf-8")
    return docs


def test_stdout_bytes_text_and_output_file_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The report to a file (UTF-8 parts), to a replaced stdout (text) and to the real stdout of a
    process (UTF-8 parts), cold and warm, are the same bytes: those of the json.dumps reference."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KEPULINT_RULE_CACHE", str(tmp_path / "rule-cache"))
    docs = _drafts(tmp_path)
    opts = {"no_config": True, "fmt": "json", "jobs": 1, "today": "2025-11-25"}
    assert runner.run_check([str(docs)], RunOptions(**{**opts, "output_file": tmp_path / "report.json"})).exit_code == 1
    to_file = (tmp_path / "report.json").read_bytes()
    assert not runner._stdout_is_utf8()  # pytest replaced sys.stdout: the text path
    capsys.readouterr()
    assert runner.run_check([str(docs)], RunOptions(**opts)).exit_code == 1
    as_text = capsys.readouterr().out.encode("utf-8")
    env = {"PYTHONPATH": str(ROOT / "lint"), "KEPULINT_RULE_CACHE": str(tmp_path / "rule-cache"),
           "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONUTF8": "1"}
    runs = [subprocess.run([sys.executable, "-m", "kepulint", "check", str(docs), "--no-config", "--format", "json",
                            "--today", "2025-11-25"], capture_output=True, cwd=tmp_path, env=env, timeout=120)
            for _ in range(2)]  # cold, then warm (from the cache)
    assert [r.returncode for r in runs] == [1, 1], runs[0].stderr
    report = json.loads(to_file)
    assert {d["path"] for d in report["suppressed"]} == {"docs/c.md"}
    assert to_file == as_text == runs[0].stdout == runs[1].stdout


def test_lone_surrogate_in_a_path_takes_the_text_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file name that is not UTF-8 (a surrogate escape in the display path) cannot go out as
    UTF-8 bytes: the report falls back to text, so it fails (or not) exactly as before."""
    results = [FileResult(path="bad\udcff.md", diagnostics=[Diagnostic(
        "bad\udcff.md", "CLM002", "n", Severity.ERROR, "m", 1, 1, 1, 2, "x", "h", "f")])]
    monkeypatch.setattr(runner, "_stdout_is_utf8", lambda: True)
    output = runner._json_report(results, RULES, "cn", None, None)
    assert isinstance(output, str) and output == plain(results, profile="cn")
