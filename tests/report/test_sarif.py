"""report/sarif.py: the fast SARIF log is byte for byte ``json.dumps(build(...), ensure_ascii=False, indent=2)
+ "\\n"`` (the rendering it replaced): on real lint results (active and suppressed findings,
notes, unreadable files, notices), on odd paths and rule tables, on arbitrary field values
(hypothesis: control characters, quotes, backslashes, U+2028, non-BMP characters, lone
surrogates, odd types), and end to end through the CLI.

Correctness only: no timing assertions (see bench/ for speed).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import SUPPRESSED_TEXT, reporter_corpus, three_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema.validators import validator_for

from kepulint.api import ruleset_for
from kepulint.model import Diagnostic, FileError, FileResult, Severity, Suppression
from kepulint.report import ReportOptions, RuleTable, sarif
from kepulint.rules.ruleset import Rule
from kepulint.run import runner
from kepulint.run.options import RunOptions

ROOT = Path(__file__).resolve().parents[2]
RULES = ruleset_for(()).rules
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reference(results: list[FileResult], rules: Sequence[Rule] = RULES, *, version: str = "0.1.0",
              profile: str = "cn") -> str:
    """The straightforward rendering: the log dict through json's indenting encoder."""
    log = sarif.build(results, RuleTable(rules), ReportOptions(version=version, profile=profile))
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def fast(results: list[FileResult], rules: Sequence[Rule] = RULES, **options: Any) -> str:
    """The rendering under test, through the Reporter interface."""
    return sarif.render(results, RuleTable(rules), ReportOptions(**{"version": "0.1.0", **options}))


def assert_same(results: list[FileResult], rules: Sequence[Rule] = RULES, **options: Any) -> str:
    expected = reference(results, rules, version="0.1.0", **options)
    assert fast(results, rules, **options) == expected
    return expected


def outcome(render: Callable[[], str]) -> str | type[BaseException]:
    """The text ``render`` returns, or the type of the exception it raises."""
    try:
        return render()
    except Exception as exc:  # the exception type is what is compared
        return type(exc)


def diagnostic(path: str = "a.md", code: str = "CLM002", **fields: Any) -> Diagnostic:
    base: dict[str, Any] = dict(name="n", severity=Severity.ERROR, message="m", line=1, column=2, end_line=3,
                                end_column=4, match="x", fingerprint="f")
    return Diagnostic(path=path, code=code, **{**base, **fields})


@pytest.fixture(scope="module")
def corpus_results() -> list[FileResult]:
    return reporter_corpus('sup/引用 #1.md')


def test_real_results_give_the_same_text(corpus_results: list[FileResult]) -> None:
    found = [d for r in corpus_results for d in (*r.diagnostics, *r.suppressed)]
    assert len(found) > 100
    assert any(d.suppression for d in found), "the corpus must hold suppressed diagnostics"
    assert any(d.notes for d in found) and any(not d.match for d in found)
    assert any(r.error for r in corpus_results) and any(r.notice for r in corpus_results)
    text = assert_same(corpus_results)
    assert_same(corpus_results, profile="tw")
    assert_same(corpus_results, RULES[::2])  # findings of rules not in the table: no ruleIndex
    assert_same(corpus_results[:1], [])
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    validator_for(schema)(schema).validate(json.loads(text))


def test_no_results_and_no_files() -> None:
    assert_same([])
    assert_same([FileResult(path="ok.md")], [])
    assert_same([FileResult(path="gone.md", error=FileError("gone.md", "cannot read", "skipped"))])


@pytest.mark.parametrize("path", ["/abs/路径 a.md", "C:\\docs\\a b.md", "docs\\sub\\c.md", "%SRCROOT%/x?.md",
                                  '"results": [].md', "a\nb.md"])
def test_paths_of_every_kind(path: str) -> None:
    d = diagnostic(path, notes=("a", "b\\"), suppression=Suppression("baseline", ""))
    assert_same([FileResult(path=path, diagnostics=[d, diagnostic(path, "NOPE001", match="")], notice=path)])


def test_integer_subclasses_and_bools_are_written_as_json_dumps_writes_them() -> None:
    for value in (True, Severity.WARNING, 2**70, -1, 0):
        assert_same([FileResult(path="a.md", diagnostics=[diagnostic(line=value), diagnostic(end_column=value)])])


def test_an_unknown_severity_fails_as_before() -> None:
    results = [FileResult(path="a.md", diagnostics=[diagnostic(severity="fatal")])]
    assert outcome(lambda: fast(results)) is KeyError
    assert outcome(lambda: reference(results)) is KeyError


# -- arbitrary field values ----------------------------------------------------------------------

ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates and non-BMP included
TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.text(st.sampled_from('"\\/\b\f\n\r\t\x00\x1f\x7f\u2028\u2029\ud800\udfff\ufeff根治é😀𠀀 %{}'), max_size=12),
    st.sampled_from(sorted({r.code for r in RULES})),
)
INTS = st.one_of(st.integers(min_value=0, max_value=10**6), st.integers())
ODD = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.booleans(), st.tuples(st.integers()))
SUPPRESSIONS = st.one_of(st.none(), st.builds(Suppression, kind=st.one_of(TEXT, st.sampled_from(["config"])),
                                              justification=TEXT, line=st.integers(0, 99)))


@st.composite
def diagnostics(draw: st.DrawFn, odd_types: bool = False) -> Diagnostic:
    def text() -> Any:
        return draw(st.one_of(TEXT, ODD) if odd_types else TEXT)

    def number() -> Any:
        return draw(st.one_of(INTS, st.booleans()) if odd_types else INTS)

    return Diagnostic(path=text(), code=text(), name=text(), severity=draw(st.sampled_from(Severity)),
                      message=text(), line=number(), column=number(), end_line=number(),
                      end_column=number(), match=text(), fingerprint=text(),
                      suppression=draw(SUPPRESSIONS), notes=tuple(draw(st.lists(TEXT, max_size=3))))


@PROPERTY
@given(active=st.lists(diagnostics(), max_size=5), suppressed=st.lists(diagnostics(), max_size=3), notice=TEXT)
def test_any_field_values_give_the_same_text(active: list[Diagnostic], suppressed: list[Diagnostic],
                                            notice: str) -> None:
    results = three_files(active, suppressed, notice)
    expected = outcome(lambda: reference(results))  # a lone surrogate in a path: quote() refuses it
    assert outcome(lambda: fast(results)) == expected


@PROPERTY
@given(active=st.lists(diagnostics(odd_types=True), max_size=4))
def test_fields_of_other_types_fall_back_to_json_dumps(active: list[Diagnostic]) -> None:
    results = three_files(active, [], "")
    expected = outcome(lambda: reference(results))
    assert outcome(lambda: fast(results)) == expected


# -- through the CLI -----------------------------------------------------------------------------


def test_cli_output_is_the_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """``--format sarif`` to a file and to stdout gives the reference rendering's bytes."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KEPULINT_RULE_CACHE", str(tmp_path / "rule-cache"))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# 标题\n\n干细胞可以根治糖尿病。\n", encoding="utf-8")
    (docs / "b.txt").write_text("幹細胞可以根治糖尿病，一針見效。\n据统计，70%的患者有效。\n", encoding="utf-8")
    (docs / "c.md").write_text(SUPPRESSED_TEXT, encoding="utf-8")
    opts = {"no_config": True, "fmt": "sarif", "jobs": 1, "today": "2025-11-25"}

    def run(output: str | None) -> bytes:
        capsys.readouterr()
        options = RunOptions(**{**opts, "output_file": output and tmp_path / output})
        assert runner.run_check([str(docs)], options).exit_code == 1
        return (tmp_path / output).read_bytes() if output else capsys.readouterr().out.encode("utf-8")

    fast = [run("fast.sarif"), run(None)]
    monkeypatch.setattr(sarif, "render", lambda results, rules, options:
                        reference(results, list(rules), version=options.version, profile=options.profile))
    slow = [run("slow.sarif"), run(None)]
    assert fast == slow
    assert json.loads(fast[0])["runs"][0]["results"]
