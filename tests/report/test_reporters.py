"""Tests for the concise, GitHub, SARIF and statistics reporters and the registry."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from jsonschema.validators import validator_for

from kepulint import report
from kepulint.model import Diagnostic, FileError, FileResult, Severity, Suppression
from kepulint.report import Reporter, ReportOptions, RuleTable, concise, github, sarif, statistics
from kepulint.rules.ruleset import Rule

SARIF_SCHEMA = Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json"
VERSION = "9.8.7"

# --- helpers -----------------------------------------------------------------


def make_rule(code: str, name: str, severity: str, kind: str = "phrase", **extra: Any) -> Rule:
    data: dict[str, Any] = {
        "code": code,
        "name": name,
        "kind": kind,
        "severity": severity,
        "summary": f"{name} summary",
        "message": f"{name} message",
        "help": f"## 做什么\n\n{name} 的第一段说明，\n跨两行。\n\n## 为什么\n\n第二段。",
        "basis": {
            "cn": [{"title": "中华人民共和国广告法 第十六条"}],
            "tw": [{"title": "醫療法 第八十六條"}],
            "all": [{"title": "WHO guidance"}],
        },
        "jurisdictions": ["cn", "tw", "hk"],
        "examples": {"fire": [], "pass": []},
    }
    data.update(extra)
    return Rule.from_data(data)


def diag(
    path: str,
    code: str,
    name: str,
    severity: Severity,
    line: int,
    column: int,
    match: str,
    *,
    message: str = "",
    end_line: int | None = None,
    end_column: int | None = None,
    fingerprint: str = "",
    suppression: Suppression | None = None,
    notes: tuple[str, ...] = (),
) -> Diagnostic:
    return Diagnostic(
        path=path,
        code=code,
        name=name,
        severity=severity,
        message=message or f"{name}: {match}",
        line=line,
        column=column,
        end_line=line if end_line is None else end_line,
        end_column=column + len(match) if end_column is None else end_column,
        match=match,
        fingerprint=fingerprint,
        suppression=suppression,
        notes=notes,
    )


RULES = [
    make_rule("CLM001", "absolute-claim", "error"),
    make_rule("DSC001", "missing-disclaimer", "error", kind="document"),
    make_rule("STA001", "uncited-statistic", "warning"),
    make_rule("TRM001", "trial-term", "info", summary="same", help="same"),
]

TRICKY = "比例: 50%, 见\n下文 %0A"


def sample_results() -> list[FileResult]:
    """Five files: active and suppressed findings, a Traditional match, an error, a clean file."""
    a = FileResult(
        path="docs/a.md",
        diagnostics=[
            diag(
                "docs/a.md", "DSC001", "missing-disclaimer", Severity.ERROR, 1, 1, "", message="缺少免责声明"
            ),
            diag("docs/a.md", "CLM001", "absolute-claim", Severity.ERROR, 3, 5, "根治", fingerprint="fp-a-3"),
        ],
        suppressed=[
            diag(
                "docs/a.md",
                "CLM001",
                "absolute-claim",
                Severity.ERROR,
                5,
                1,
                "最有效",
                fingerprint="fp-a-5",
                suppression=Suppression("disable-next-line", "引用原文，非本站观点", line=4),
            )
        ],
    )
    b = FileResult(
        path="docs/b.md", error=FileError("docs/b.md", "cannot decode: not UTF-8, GB18030 or Big5")
    )
    clean = FileResult(path="docs/clean.md")
    tw = FileResult(
        path="docs/tw/c.md",
        diagnostics=[
            diag(
                "docs/tw/c.md",
                "STA001",
                "uncited-statistic",
                Severity.WARNING,
                2,
                3,
                "臨床試驗顯示有效率達95%",
                message=TRICKY,
                fingerprint="fp-tw-2",
            )
        ],
        suppressed=[
            diag(
                "docs/tw/c.md",
                "STA001",
                "uncited-statistic",
                Severity.WARNING,
                1,
                2,
                "九成",
                suppression=Suppression("baseline", ""),
            )
        ],
    )
    zh = FileResult(
        path="docs/文章 一.md",
        diagnostics=[
            diag(
                "docs/文章 一.md",
                "TRM001",
                "trial-term",
                Severity.INFO,
                7,
                2,
                "临床实验",
                end_line=8,
                end_column=1,
                notes=("hedged",),
            ),
            diag("docs/文章 一.md", "CLM001", "absolute-claim", Severity.WARNING, 9, 1, "第一"),
        ],
        notice="decoded as gb18030",
    )
    return [a, b, clean, tw, zh]


def all_diagnostics(results: list[FileResult]) -> list[Diagnostic]:
    return [d for r in results for d in r.diagnostics]


# --- registry ----------------------------------------------------------------


def rendered(reporter: Reporter, results: list[FileResult], rules: list[Rule] = RULES, **options: Any) -> str:
    """``reporter``'s report through the Reporter interface."""
    return reporter.render(results, RuleTable(rules), ReportOptions(**options))


def test_registry_lists_every_format() -> None:
    """Every reporter module is registered, and every registered format but statistics is a --format."""
    modules = {p.stem for p in Path(report.__file__).parent.glob("*.py")} - {"__init__", "ruletable", "helpstore"}
    assert set(report.FORMATS.values()) == modules
    assert report.OUTPUT_FORMATS == ("text", "json", "concise", "sarif", "github", "html")


@pytest.mark.parametrize("name", ["concise", "sarif", "github", "statistics"])
def test_get_returns_the_reporter(name: str) -> None:
    module = {"concise": concise, "sarif": sarif, "github": github, "statistics": statistics}[name]
    assert report.get(name) is module


@pytest.mark.parametrize("name", list(report.FORMATS))
def test_every_format_implements_the_reporter_protocol(name: str) -> None:
    """One signature for all: render(results, rules, options) -> str, called the same way."""
    reporter = report.get(name)
    assert list(inspect.signature(reporter.render).parameters) == ["results", "rules", "options"]
    out = report.render(name, sample_results(), RuleTable(RULES), ReportOptions(version=VERSION))
    assert isinstance(out, str) and out.endswith("\n")


def test_get_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match=r"unknown output format 'xml'.*sarif"):
        report.get("xml")


# --- SARIF -------------------------------------------------------------------


def sarif_log(results: list[FileResult] | None = None, profile: str = "cn") -> dict[str, Any]:
    text = rendered(sarif, sample_results() if results is None else results, RULES, version=VERSION, profile=profile)
    assert text.endswith("}\n")
    return json.loads(text)


def validate_sarif(log: dict[str, Any]) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def results_by_fingerprint(log: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        r["partialFingerprints"]["kepulintFingerprint/v1"]: r
        for r in log["runs"][0]["results"]
        if "partialFingerprints" in r
    }


def test_sarif_validates_against_the_official_schema() -> None:
    validate_sarif(sarif_log())
    validate_sarif(sarif_log([]))
    validate_sarif(sarif_log([FileResult(path="ok.md")], profile="tw"))


def test_sarif_top_level_and_run() -> None:
    log = sarif_log()
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "kepulint"
    assert driver["version"] == VERSION
    assert driver["informationUri"] == "https://github.com/kepulint/kepulint"


def test_sarif_rules_table() -> None:
    rules = sarif_log()["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["CLM001", "DSC001", "STA001", "TRM001"]
    clm = rules[0]
    assert clm["name"] == "absolute-claim"
    assert clm["shortDescription"] == {"text": "absolute-claim summary"}
    assert clm["fullDescription"] == {
        "text": "absolute-claim summary\n\nabsolute-claim 的第一段说明，跨两行。"
    }
    assert clm["help"]["text"] == RULES[0].help
    assert clm["help"]["markdown"] == RULES[0].help
    assert clm["helpUri"] == RULES[0].help_uri
    assert clm["properties"]["tags"] == ["phrase"]
    assert clm["properties"]["kepulint/basis"] == ["中华人民共和国广告法 第十六条", "WHO guidance"]
    assert rules[1]["properties"]["tags"] == ["document"]
    levels = [r["defaultConfiguration"]["level"] for r in rules]
    assert levels == ["error", "error", "warning", "note"]
    # Help that repeats the summary is not repeated in the full description.
    assert rules[3]["fullDescription"] == {"text": "same"}


def test_sarif_basis_follows_the_profile() -> None:
    rules = sarif_log(profile="tw")["runs"][0]["tool"]["driver"]["rules"]
    assert rules[0]["properties"]["kepulint/basis"] == ["醫療法 第八十六條", "WHO guidance"]


def test_sarif_results_locations_and_levels() -> None:
    log = sarif_log()
    results = log["runs"][0]["results"]
    # 5 active + 2 suppressed, in path then position order.
    assert len(results) == 7
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        ("DSC001", 1),
        ("CLM001", 3),
        ("CLM001", 5),
        ("STA001", 1),
        ("STA001", 2),
        ("TRM001", 7),
        ("CLM001", 9),
    ]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]

    first = results[0]
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "docs/a.md", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}
    assert first["message"]["text"] == "缺少免责声明"
    assert first["level"] == "error"

    tw = results[4]
    assert tw["level"] == "warning"
    assert tw["message"]["text"] == f"{TRICKY} — 臨床試驗顯示有效率達95%"
    assert tw["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2,
        "startColumn": 3,
        "endLine": 2,
        "endColumn": 3 + len("臨床試驗顯示有效率達95%"),
        "snippet": {"text": "臨床試驗顯示有效率達95%"},
    }

    info = results[5]
    assert info["level"] == "note"
    assert info["properties"] == {"kepulint/notes": ["hedged"]}
    region = info["locations"][0]["physicalLocation"]["region"]
    assert (region["endLine"], region["endColumn"]) == (8, 1)
    # A rule lowered to warning by context keeps its own level per result.
    assert results[6]["level"] == "warning"


def test_sarif_uris_are_percent_encoded_relative_references() -> None:
    results = sarif_log()["runs"][0]["results"]
    art = results[5]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art["uriBaseId"] == "%SRCROOT%"
    assert art["uri"].isascii()
    assert unquote(art["uri"]) == "docs/文章 一.md"
    assert urlsplit(art["uri"]).scheme == ""


def test_sarif_absolute_path_is_a_file_uri() -> None:
    d = diag("/srv/稿件/a.md", "CLM001", "absolute-claim", Severity.ERROR, 1, 1, "根治")
    log = sarif_log([FileResult(path=d.path, diagnostics=[d])])
    validate_sarif(log)
    art = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert "uriBaseId" not in art
    assert art["uri"].startswith("file:///srv/")
    assert unquote(urlsplit(art["uri"]).path) == "/srv/稿件/a.md"


def test_sarif_suppressions() -> None:
    results = sarif_log()["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["CLM001", "STA001"]
    assert suppressed[0]["suppressions"] == [{"kind": "inSource", "justification": "引用原文，非本站观点"}]
    assert suppressed[1]["suppressions"] == [{"kind": "external"}]
    assert sum(1 for r in results if "suppressions" not in r) == 5


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("disable", "inSource"),
        ("disable-next-line", "inSource"),
        ("disable-file", "inSource"),
        ("config", "external"),
        ("baseline", "external"),
    ],
)
def test_sarif_suppression_kind(kind: str, expected: str) -> None:
    assert sarif.suppression(Suppression(kind, "why")) == {"kind": expected, "justification": "why"}


def test_sarif_carries_the_fingerprint() -> None:
    by_fp = results_by_fingerprint(sarif_log())
    assert set(by_fp) == {"fp-a-3", "fp-a-5", "fp-tw-2"}
    assert by_fp["fp-a-3"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    # Unrelated lines added above move the region, not the fingerprint.
    moved = sample_results()
    old = moved[0].diagnostics[1]
    moved[0].diagnostics[1] = diag(
        old.path,
        old.code,
        old.name,
        old.severity,
        old.line + 4,
        old.column,
        old.match,
        fingerprint=old.fingerprint,
    )
    by_fp_moved = results_by_fingerprint(sarif_log(moved))
    assert by_fp_moved["fp-a-3"]["partialFingerprints"] == by_fp["fp-a-3"]["partialFingerprints"]
    assert by_fp_moved["fp-a-3"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    # No fingerprint, no partialFingerprints (an empty one would merge alerts).
    dsc = sarif_log()["runs"][0]["results"][0]
    assert "partialFingerprints" not in dsc


def test_sarif_invocation_reports_unreadable_files() -> None:
    invocation = sarif_log()["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert notes[0]["level"] == "error"
    assert notes[0]["message"]["text"] == "docs/b.md: cannot decode: not UTF-8, GB18030 or Big5"
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/b.md"
    assert notes[1]["level"] == "note"
    assert "decoded as gb18030" in notes[1]["message"]["text"]


def test_sarif_skipped_files_do_not_fail_the_run() -> None:
    skipped = FileResult(path="big.md", error=FileError("big.md", "larger than 10 MB", kind="skipped"))
    log = sarif_log([skipped])
    validate_sarif(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"][0]["level"] == "warning"


def test_sarif_clean_run() -> None:
    log = sarif_log([FileResult(path="ok.md")])
    run = log["runs"][0]
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_sarif_keeps_chinese_unescaped() -> None:
    text = rendered(sarif, sample_results(), RULES, version=VERSION)
    assert "臨床試驗顯示" in text
    assert "\\u" not in text
    assert text.startswith('{\n  "$schema"')


def test_first_paragraph_skips_headings_and_unwraps() -> None:
    assert sarif.first_paragraph("# 标题\n\n第一行\n第二行\n\n第二段") == "第一行第二行"
    assert sarif.first_paragraph("## What\nFirst line\nsecond line.\n\nMore.") == "First line second line."
    assert sarif.first_paragraph("Use 临床试验\nnot 临床实验.") == "Use 临床试验not 临床实验."
    assert sarif.first_paragraph("# only a heading") == ""


# --- GitHub ------------------------------------------------------------------

COMMAND_RE = re.compile(r"^::(?P<command>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    m = COMMAND_RE.match(line)
    assert m, line
    props: dict[str, str] = {}
    if m["props"]:
        for pair in m["props"].split(","):
            key, value = pair.split("=", 1)
            props[key] = unescape_property(value)
    return m["command"], props, unescape_data(m["data"])


def test_github_one_command_per_active_diagnostic_and_error() -> None:
    results = sample_results()
    out = rendered(github, results, RULES, version=VERSION)
    assert out.endswith("\n")
    lines = out.splitlines()
    assert len(lines) == len(all_diagnostics(results)) + 1
    assert lines[2] == "::error file=docs/b.md::cannot decode: not UTF-8, GB18030 or Big5"
    assert [parse_command(line)[0] for line in lines] == [
        "error",
        "error",
        "error",
        "warning",
        "notice",
        "warning",
    ]
    assert "最有效" not in out  # suppressed
    assert "九成" not in out
    assert not any(line.startswith(("::group", "Found")) for line in lines)


def test_github_fields_round_trip() -> None:
    results = sample_results()
    lines = rendered(github, results, RULES, version=VERSION).splitlines()
    commands = [parse_command(line) for line in lines if "file=docs/b.md::" not in line]
    for (_, props, data), d in zip(commands, all_diagnostics(results), strict=True):
        assert props == {
            "file": d.path,
            "line": str(d.line),
            "col": str(d.column),
            "endLine": str(d.end_line),
            "endColumn": str(d.end_column),
            "title": f"{d.code} {d.name}",
        }
        assert data == (f"{d.message} (matched: {d.match})" if d.match else d.message)
    tricky = next(c for c in commands if c[1]["title"].startswith("STA001"))
    assert tricky[2] == f"{TRICKY} (matched: 臨床試驗顯示有效率達95%)"


def test_github_escapes_exactly_like_the_toolkit() -> None:
    assert github.escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert github.escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"
    assert github.escape_data("%0A") == "%250A"
    line = github.format_diagnostic(
        diag("dir,1/a:b%.md", "CLM001", "absolute-claim", Severity.ERROR, 1, 1, "根治", message="x\ny")
    )
    assert line == (
        "::error file=dir%2C1/a%3Ab%25.md,line=1,col=1,endLine=1,endColumn=3,"
        "title=CLM001 absolute-claim::x%0Ay (matched: 根治)"
    )
    assert parse_command(line)[1]["file"] == "dir,1/a:b%.md"


def test_github_empty_when_clean() -> None:
    assert rendered(github, [FileResult(path="ok.md")], RULES, version=VERSION) == ""


def test_github_skipped_file_is_a_warning() -> None:
    skipped = FileResult(path="big.md", error=FileError("big.md", "too large", kind="skipped"))
    assert rendered(github, [skipped], RULES, version=VERSION) == "::warning file=big.md::too large\n"


# --- concise -----------------------------------------------------------------


def test_concise_lines_and_summary() -> None:
    out = rendered(concise, sample_results(), RULES, version=VERSION)
    assert out.endswith("\n")
    assert out.splitlines() == [
        "docs/a.md:1:1: DSC001 [error] 缺少免责声明",
        "docs/a.md:3:5: CLM001 [error] absolute-claim: 根治",
        "docs/b.md: error: cannot decode: not UTF-8, GB18030 or Big5",
        "docs/tw/c.md:2:3: STA001 [warning] 比例: 50%, 见 下文 %0A",
        "docs/文章 一.md:7:2: TRM001 [info] trial-term: 临床实验",
        "docs/文章 一.md:9:1: CLM001 [warning] absolute-claim: 第一",
        "Found 5 problems (2 errors, 2 warnings, 1 info) in 3 files. 1 file could not be read.",
    ]


def test_concise_clean_run() -> None:
    assert rendered(concise, [FileResult(path="a.md"), FileResult(path="b.md")], RULES, version=VERSION) == (
        "All checks passed.\n"
    )
    assert rendered(concise, [], RULES, version=VERSION) == "No files linted.\n"  # nothing found: never "passed"


def test_concise_singular_and_suppressed_only() -> None:
    one = FileResult(
        path="a.md",
        diagnostics=[diag("a.md", "CLM001", "absolute-claim", Severity.ERROR, 1, 1, "根治")],
        suppressed=[
            diag(
                "a.md",
                "CLM001",
                "absolute-claim",
                Severity.ERROR,
                2,
                1,
                "最好",
                suppression=Suppression("disable", ""),
            )
        ],
    )
    assert rendered(concise, [one], RULES, version=VERSION).splitlines()[-1] == (
        "Found 1 problem (1 error, 0 warnings, 0 info) in 1 file."
    )
    only_suppressed = FileResult(path="a.md", suppressed=one.suppressed)
    assert rendered(concise, [only_suppressed], RULES, version=VERSION) == "All checks passed.\n"


def test_concise_errors_only_is_not_all_passed() -> None:
    bad = FileResult(path="x.md", error=FileError("x.md", "permission denied"))
    skipped = FileResult(path="y.bin", error=FileError("y.bin", "binary file", kind="skipped"))
    assert rendered(concise, [bad, skipped], RULES, version=VERSION).splitlines() == [
        "x.md: error: permission denied",
        "y.bin: note: binary file",
        "No problems found. 1 file could not be read. 1 file skipped.",
    ]


# --- statistics --------------------------------------------------------------


def test_statistics_table() -> None:
    out = rendered(statistics, sample_results(), RULES, version=VERSION)
    assert out.endswith("\n")
    lines = out.splitlines()
    assert lines == [
        "2  CLM001  absolute-claim      [error]",
        "1  DSC001  missing-disclaimer  [error]",
        "1  STA001  uncited-statistic   [warning]",
        "1  TRM001  trial-term          [info]",
        "5  total",
    ]


def test_statistics_alignment_with_wide_counts() -> None:
    many = [diag("a.md", "STA001", "uncited-statistic", Severity.WARNING, i, 1, "九成") for i in range(1, 13)]
    many.append(diag("a.md", "CLM001", "absolute-claim", Severity.ERROR, 20, 1, "根治"))
    out = rendered(statistics, [FileResult(path="a.md", diagnostics=many)], RULES, version=VERSION)
    assert out.splitlines() == [
        "12  STA001  uncited-statistic  [warning]",
        " 1  CLM001  absolute-claim     [error]",
        "13  total",
    ]


def test_statistics_clean() -> None:
    assert rendered(statistics, [FileResult(path="a.md")], RULES, version=VERSION) == "All checks passed.\n"


def test_totals() -> None:
    t = statistics.totals(sample_results())
    assert (t.errors, t.warnings, t.infos, t.problems) == (2, 2, 1, 5)
    assert (t.files_with_problems, t.unreadable, t.skipped) == (3, 1, 0)
