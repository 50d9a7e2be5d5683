"""report/json_report.py: report format 2.

The report is :func:`json_report.build`'s dict, laid out one rule, one diagnostic and one
document per line, and the template writer (:func:`json_report.render`) gives exactly the
plain rendering's text (:func:`json_report.render_reference`): on real lint results, on
arbitrary field values (hypothesis: control characters, quotes, U+2028, lone surrogates, odd
types), through the CLI (to a file and to stdout, cold and warm from the cache); valid against
``schemas/report.schema.json``, each rule's help given once per profile its findings need.

Correctness only: no timing assertions (see bench/ for speed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import SUPPRESSED_TEXT, isolate_run, reporter_corpus, three_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema.validators import validator_for

from kepulint.api import ruleset_for
from kepulint.model import APPLICABILITIES, Diagnostic, Edit, FileResult, Fix, Severity, Suppression
from kepulint.report import ReportOptions, RuleTable, json_report
from kepulint.report.ruletable import file_profile
from kepulint.run import runner
from kepulint.run.options import RunOptions

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "lint" / "kepulint" / "schemas" / "report.schema.json").read_text("utf-8"))
RULES = RuleTable(ruleset_for(()).rules)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def report_of(results: list[FileResult], **options: Any) -> tuple[str, dict[str, Any]]:
    """The rendered report (the same as the plain rendering) and the dict it must be a layout of."""
    opts = ReportOptions(**{"version": "0.1.0", **options})
    text = json_report.render(results, RULES, opts)
    assert text == json_report.render_reference(results, RULES, opts)
    return text, json_report.build(results, RULES, opts)


def assert_laid_out(results: list[FileResult], **options: Any) -> dict[str, Any]:
    """``render`` is ``build`` as JSON, each diagnostic and rule on a line of its own."""
    text, expected = report_of(results, **options)
    assert text.endswith("}\n") and json.loads(text) == expected
    lines = text.split("\n")  # U+2028 inside a string is not a line break (JSON escapes no such thing)
    for key in ("diagnostics", "suppressed"):
        if expected[key]:
            start = lines.index(f'"{key}":[') + 1
            rows = lines[start : start + len(expected[key])]
            assert [json.loads(row.removesuffix(",")) for row in rows] == expected[key]
    if expected["rules"]:
        start = lines.index('"rules":{') + 1
        rows = lines[start : start + len(expected["rules"])]
        assert [json.loads("{" + row.removesuffix(",") + "}") for row in rows] == [
            {code: entry} for code, entry in expected["rules"].items()]
    return expected


@pytest.fixture(scope="module")
def corpus_results() -> list[FileResult]:
    return reporter_corpus("sup/引用.md")


def test_real_results_are_laid_out_one_diagnostic_a_line(corpus_results: list[FileResult]) -> None:
    assert any(r.suppressed for r in corpus_results), "the corpus must hold suppressed diagnostics"
    assert any(r.error for r in corpus_results) and any(r.notice for r in corpus_results)
    assert sum(len(r.diagnostics) for r in corpus_results) > 100
    report = assert_laid_out(corpus_results)
    assert_laid_out(corpus_results, profile="tw", baseline={"path": "基线.json", "matched": 3, "stale": 1})
    assert_laid_out([])
    assert_laid_out(corpus_results[:1])
    assert report["schema_version"] == "2.0"
    validator_for(SCHEMA)(SCHEMA).validate(report)


def test_every_diagnostic_finds_its_rule_and_help_in_its_profile(corpus_results: list[FileResult]) -> None:
    _, report = report_of(corpus_results)
    named = {d["code"] for d in report["diagnostics"] + report["suppressed"]}
    assert set(report["rules"]) == named  # only the codes the report names
    by_path = {r.path: r for r in corpus_results}
    profiles = set()
    for d in report["diagnostics"] + report["suppressed"]:
        assert d["profile"] == file_profile(by_path[d["path"]], "auto")
        profiles.add(d["profile"])
        rule = report["rules"][d["code"]]
        assert rule["help"][d["profile"]] == RULES.help(d["code"], d["profile"])
        assert rule["name"] == RULES.get(d["code"]).name and "name" not in d and "help" not in d  # type: ignore[union-attr]
    assert profiles >= {"cn", "tw"}, "the corpus must hold files linted under several profiles"
    for code, rule in report["rules"].items():  # each profile's help only where a finding needs it
        used = {d["profile"] for d in report["diagnostics"] + report["suppressed"] if d["code"] == code}
        assert set(rule["help"]) == set(rule["basis"]) == used


def test_a_code_the_table_lacks_gets_the_diagnostics_name_and_empty_help() -> None:
    d = Diagnostic("a.md", "QXW001", "pack-rule", Severity.WARNING, "m", 1, 1, 1, 2, "x")
    _, report = report_of([FileResult("a.md", [d])], profile="hk")
    assert report["rules"] == {"QXW001": {"name": "pack-rule", "help": {"hk": ""}}}
    validator_for(SCHEMA)(SCHEMA).validate(report)


# -- arbitrary field values ----------------------------------------------------------------------

ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates included
TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.text(st.sampled_from('"\\/\b\f\n\r\t\x00\x1f\x7f\u2028\u2029\ud800\udfff\ufeff根治é'), max_size=12),
    st.sampled_from(["CLM002", "CIT001", "DSC001"]),
)
INTS = st.one_of(st.integers(min_value=0, max_value=10**6), st.integers())
ODD = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.booleans())
FIXES = st.lists(st.builds(Fix, title=TEXT, applicability=st.sampled_from(APPLICABILITIES), edits=st.tuples(
    st.builds(Edit, line=INTS, column=INTS, end_line=INTS, end_column=INTS, replacement=TEXT))), max_size=2)


@st.composite
def diagnostics(draw: st.DrawFn, odd_types: bool = False) -> Diagnostic:
    def text() -> Any:
        return draw(st.one_of(TEXT, ODD) if odd_types else TEXT)

    def number() -> Any:
        return draw(st.one_of(INTS, st.booleans(), st.sampled_from(Severity)) if odd_types else INTS)

    suppression = draw(st.one_of(st.none(), st.builds(Suppression, kind=TEXT, justification=TEXT,
                                                      line=st.integers(0, 99))))
    return Diagnostic(path=text(), code=draw(TEXT), name=text(), severity=draw(st.sampled_from(Severity)),
                      message=text(), line=number(), column=number(), end_line=number(),
                      end_column=number(), match=text(), fingerprint=text(), suppression=suppression,
                      crosses_markup=draw(st.sampled_from([None, True, False])), advice=text(),
                      fixes=tuple(draw(FIXES)))


@PROPERTY
@given(active=st.lists(diagnostics(), max_size=5), suppressed=st.lists(diagnostics(), max_size=3), notice=TEXT,
       profile=st.sampled_from(["auto", "cn", "tw", "hk"]))
def test_any_field_values_are_laid_out_as_built(active: list[Diagnostic], suppressed: list[Diagnostic],
                                                 notice: str, profile: str) -> None:
    assert_laid_out(three_files(active, suppressed, notice), profile=profile)


@PROPERTY
@given(active=st.lists(diagnostics(odd_types=True), max_size=4))
def test_fields_of_other_types_fall_back_to_json(active: list[Diagnostic]) -> None:
    results, options = three_files(active, [], ""), ReportOptions(version="0.1.0")
    try:
        expected = json_report.render_reference(results, RULES, options)
    except TypeError:  # json itself refuses (a float key…): nothing to compare
        return
    assert json_report.render(results, RULES, options) == expected


# -- through the CLI -----------------------------------------------------------------------------


def _drafts(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# 标题\n\n干细胞可以根治糖尿病。\n", encoding="utf-8")
    (docs / "b.txt").write_text("幹細胞可以根治糖尿病，一針見效。\n据统计，70%的患者有效。\n", encoding="utf-8")
    (docs / "c.md").write_text(SUPPRESSED_TEXT, encoding="utf-8")
    return docs


def test_file_stdout_cold_and_warm_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The report written to a file and to stdout, linted cold and then served by the cache
    (whose entries hold no help), are the same bytes."""
    isolate_run(tmp_path, monkeypatch)
    docs = _drafts(tmp_path)
    opts = {"no_config": True, "fmt": "json", "jobs": 1, "today": "2025-11-25"}
    assert runner.run_check([str(docs)], RunOptions(**opts, output_file=tmp_path / "report.json")).exit_code == 1
    to_file = (tmp_path / "report.json").read_bytes()
    capsys.readouterr()
    warm_run = runner.run_check([str(docs)], RunOptions(**opts))
    assert warm_run.exit_code == 1 and warm_run.stats.hits == 3
    warm = capsys.readouterr().out.encode("utf-8")
    report = json.loads(to_file)
    assert {d["path"] for d in report["suppressed"]} == {"docs/c.md"}
    assert {d["profile"] for d in report["diagnostics"]} == {"cn", "tw"}
    assert to_file == warm


def test_the_seeds_report_validates_and_gives_each_help_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_run(tmp_path, monkeypatch)
    out = tmp_path / "seeds.json"
    runner.run_check([str(ROOT / "seeds")], RunOptions(no_config=True, fmt="json", cache=False, output_file=out))
    text = out.read_text("utf-8")
    report = json.loads(text)
    validator_for(SCHEMA)(SCHEMA).validate(report)
    assert report["diagnostics"] and report["rules"]
    for rule in report["rules"].values():
        for help_text in rule["help"].values():
            assert text.count(json.dumps(help_text, ensure_ascii=False)) == 1


def test_a_lone_surrogate_in_a_path_is_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file name that is not UTF-8 (a surrogate escape in the display path) goes out as a
    ``\\udcff`` escape: the report stays valid JSON and reads back to the same name."""
    isolate_run(tmp_path, monkeypatch)
    results = [FileResult(path="bad\udcff.md", diagnostics=[Diagnostic(
        "bad\udcff.md", "CLM002", "n", Severity.ERROR, "m", 1, 1, 1, 2, "x", "f")])]
    text = json_report.render(results, RULES, ReportOptions(version="0.1.0"))
    runner._write(text, tmp_path / "r.json", json_text=True)
    assert json.loads((tmp_path / "r.json").read_bytes())["diagnostics"][0]["path"] == "bad\udcff.md"
