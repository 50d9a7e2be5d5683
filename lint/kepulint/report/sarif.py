"""SARIF 2.1.0 (one run) for GitHub code scanning and SARIF viewers.

Columns are Unicode code points (``columnKind``), relative paths hang off
``%SRCROOT%``, suppressed diagnostics appear with ``suppressions`` and files that
could not be linted become tool execution notifications.

The log is exactly ``json.dumps(build(...), ensure_ascii=False, indent=2) + "\\n"``, but
:func:`render` writes it without json's pure-Python (indenting) encoder for the results,
which are nearly all of it: each result comes from a template whose strings go through the
encoder ``json.dumps`` itself uses (:data:`json.encoder.encode_basestring`), and each
file's ``artifactLocation`` is encoded once. A result with a field of an unexpected type,
and the rare members (notes, suppressions), go through ``json.dumps``, so the bytes are
the same either way (``tests/report/test_sarif.py`` checks it).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator, Sequence
from json.encoder import encode_basestring
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..model import Diagnostic, FileError, Fix, Severity, Suppression
from .ruletable import RuleTable

if TYPE_CHECKING:  # pragma: no cover
    from ..model import FileResult
    from ..rules.ruleset import Rule
    from . import ReportOptions

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/kepulint/kepulint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "kepulintFingerprint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
EXTERNAL_SUPPRESSIONS = frozenset({"config", "baseline"})


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def unwrap(lines: list[str]) -> str:
    """Join soft-wrapped lines: no space between CJK characters, one space otherwise."""
    text = lines[0]
    for line in lines[1:]:
        text += line if _is_wide(text[-1]) or _is_wide(line[0]) else " " + line
    return text


def first_paragraph(markdown: str) -> str:
    """The first paragraph of a Markdown text, skipping headings, unwrapped to one line."""
    for block in markdown.strip().split("\n\n"):
        prose = [ln.strip() for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        if prose:
            return unwrap(prose)
    return ""


def full_description(rule: Rule) -> str:
    """The summary followed by the first paragraph of the help (if it adds anything)."""
    para = first_paragraph(rule.help)
    if not para or para == rule.summary:
        return rule.summary
    return f"{rule.summary}\n\n{para}"


def reporting_descriptor(rule: Rule, profile: str, rules: RuleTable) -> dict[str, Any]:
    """One entry of ``tool.driver.rules`` (the help in the profile's script, naming its law)."""
    help_text = rules.help(rule.code, profile)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full_description(rule)},
        "help": {"text": help_text, "markdown": help_text},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": [rule.kind],
            "kepulint/basis": [b["title"] for b in rule.basis_for(profile)],
        },
    }


def artifact_location(path: str) -> dict[str, str]:
    """A relative path becomes a percent-encoded URI under ``%SRCROOT%``; an absolute one a file URI.
    A name that is not valid UTF-8 (lone surrogates after decoding) is encoded as its bytes."""
    if PurePosixPath(path).is_absolute():
        return {"uri": PurePosixPath(path).as_uri()}
    if PureWindowsPath(path).is_absolute():
        return {"uri": PureWindowsPath(path).as_uri()}
    posix = PureWindowsPath(path).as_posix() if "\\" in path else path
    return {"uri": quote(posix, safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}


def suppression(s: Suppression) -> dict[str, str]:
    """``inSource`` for comment directives, ``external`` for config and baseline."""
    data = {"kind": "external" if s.kind in EXTERNAL_SUPPRESSIONS else "inSource"}
    if s.justification:
        data["justification"] = s.justification
    return data


def result(d: Diagnostic, rule_index: dict[str, int]) -> dict[str, Any]:
    """One SARIF result; ``suppressions`` only for suppressed diagnostics."""
    region: dict[str, Any] = {
        "startLine": d.line,
        "startColumn": d.column,
        "endLine": d.end_line,
        "endColumn": d.end_column,
    }
    if d.match:
        region["snippet"] = {"text": d.match}
    data: dict[str, Any] = {"ruleId": d.code}
    if d.code in rule_index:
        data["ruleIndex"] = rule_index[d.code]
    data["level"] = LEVELS[d.severity]
    data["message"] = {"text": f"{d.message} — {d.match}" if d.match else d.message}
    data["locations"] = [
        {"physicalLocation": {"artifactLocation": artifact_location(d.path), "region": region}}
    ]
    if d.fingerprint:
        data["partialFingerprints"] = {FINGERPRINT_KEY: d.fingerprint}
    if d.fixes:
        data["fixes"] = [fix(f, d.path) for f in d.fixes]
    properties = _properties(d)
    if properties:
        data["properties"] = properties
    if d.suppression is not None:
        data["suppressions"] = [suppression(d.suppression)]
    return data


def fix(f: Fix, path: str) -> dict[str, Any]:
    """A SARIF ``fix``: its title, one ``artifactChange`` with the edits, and its applicability."""
    replacements = [{"deletedRegion": {"startLine": e.line, "startColumn": e.column, "endLine": e.end_line,
                                       "endColumn": e.end_column},
                     "insertedContent": {"text": e.replacement}} for e in f.edits]
    return {"description": {"text": f.title},
            "artifactChanges": [{"artifactLocation": artifact_location(path), "replacements": replacements}],
            "properties": {"kepulint/applicability": f.applicability}}


def _properties(d: Diagnostic) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    if d.notes:
        properties["kepulint/notes"] = list(d.notes)
    if d.advice:
        properties["kepulint/advice"] = d.advice
    return properties


def notification(path: str, text: str, level: str) -> dict[str, Any]:
    """A tool execution notification about one file."""
    return {
        "level": level,
        "message": {"text": f"{path}: {text}"},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(path)}}],
    }


def error_notification(e: FileError) -> dict[str, Any]:
    return notification(e.path, e.message, "warning" if e.kind == "skipped" else "error")


def findings(results: Sequence[FileResult]) -> Iterator[Diagnostic]:
    """Every diagnostic, active or suppressed, file by file, each file's in position order."""
    for file_result in results:
        yield from sorted([*file_result.diagnostics, *file_result.suppressed], key=lambda d: d.sort_key)


def skeleton(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> dict[str, Any]:
    """The SARIF log with an empty ``results`` list; ``tool.driver.rules`` lists ``rules``
    (help in the run's profile: the mainland's for ``auto``)."""
    profile = options.profile
    notifications: list[dict[str, Any]] = []
    failed = False
    for file_result in results:
        if file_result.error is not None:
            notifications.append(error_notification(file_result.error))
            failed = failed or file_result.error.kind != "skipped"
        if file_result.notice:
            notifications.append(notification(file_result.path, file_result.notice, "note"))
    invocation: dict[str, Any] = {"executionSuccessful": not failed}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {
            "driver": {
                "name": "kepulint",
                "version": options.version,
                "informationUri": INFORMATION_URI,
                "rules": [reporting_descriptor(rule, profile, rules) for rule in rules],
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": [],
        "properties": {"kepulint/profile": profile},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def build(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict: what :func:`render` encodes (and its tests' reference)."""
    rules = RuleTable.of(rules)
    log = skeleton(results, rules, options)
    rule_index = {rule.code: i for i, rule in enumerate(rules)}
    log["runs"][0]["results"] = [result(d, rule_index) for d in findings(results)]
    return log


def _at(text: str, level: int) -> str:
    """JSON laid out by ``indent=2`` moved ``level`` levels deeper (all but its first line).
    Encoded strings hold no raw newline, so every newline starts a line of the layout."""
    return text.replace("\n", "\n" + "  " * level)


def _dumps(value: Any, level: int = 0) -> str:
    """``value`` as ``json.dumps(..., indent=2)`` writes it ``level`` levels deep."""
    return _at(json.dumps(value, ensure_ascii=False, indent=2), level)


#: How deep results sit in the log: ``{"runs": [{"results": [...]}]}``.
_LEVEL = 4
#: One result as ``_dumps`` writes it at :data:`_LEVEL`: ``%s`` an encoded string or optional members.
_RESULT = _at("""{
  "ruleId": %s,%s
  "level": %s,
  "message": {
    "text": %s
  },
  "locations": [
    {
      "physicalLocation": {
        "artifactLocation": %s,
        "region": {
          "startLine": %d,
          "startColumn": %d,
          "endLine": %d,
          "endColumn": %d%s
        }
      }
    }
  ]%s
}""", _LEVEL)
_RULE_INDEX = _at('\n  "ruleIndex": %d,', _LEVEL)
_SNIPPET = _at(',\n          "snippet": {\n            "text": %s\n          }', _LEVEL)
_FINGERPRINT = _at(',\n  "partialFingerprints": {\n    ' + encode_basestring(FINGERPRINT_KEY) + ': %s\n  }', _LEVEL)
_PROPERTIES = _at(',\n  "properties": ', _LEVEL)
_FIXES = _at(',\n  "fixes": ', _LEVEL)
_SUPPRESSIONS = _at(',\n  "suppressions": ', _LEVEL)
_LEVELS = {severity: encode_basestring(level) for severity, level in LEVELS.items()}


class _Results:
    """Writes results from :data:`_RESULT`, each file's ``artifactLocation`` encoded once."""

    def __init__(self, rule_index: dict[str, int]) -> None:
        self.rule_index = rule_index
        self.locations: dict[str, str] = {}

    def location(self, path: str) -> str:
        """The ``artifactLocation`` of ``path``, encoded as it sits in a result."""
        out = self.locations.get(path)
        if out is None:
            out = self.locations[path] = _dumps(artifact_location(path), _LEVEL + 4)
        return out

    def text(self, d: Diagnostic) -> str:
        """``_dumps(result(d, rule_index), _LEVEL)``, from the template when the fields have their usual types."""
        if not (type(d.line) is type(d.column) is type(d.end_line) is type(d.end_column) is int):
            return _dumps(result(d, self.rule_index), _LEVEL)
        enc = encode_basestring
        try:
            index = self.rule_index.get(d.code)
            text = f"{d.message} — {d.match}" if d.match else d.message
            extra = _FINGERPRINT % enc(d.fingerprint) if d.fingerprint else ""
            if d.fixes:
                extra += _FIXES + _dumps([fix(f, d.path) for f in d.fixes], _LEVEL + 1)
            properties = _properties(d)
            if properties:
                extra += _PROPERTIES + _dumps(properties, _LEVEL + 1)
            if d.suppression is not None:
                extra += _SUPPRESSIONS + _dumps([suppression(d.suppression)], _LEVEL + 1)
            return _RESULT % (
                enc(d.code), "" if index is None else _RULE_INDEX % index, _LEVELS[d.severity], enc(text),
                self.location(d.path), d.line, d.column, d.end_line, d.end_column,
                _SNIPPET % enc(d.match) if d.match else "", extra,
            )
        except (TypeError, KeyError, AttributeError):  # an odd field: let result() and json.dumps decide
            return _dumps(result(d, self.rule_index), _LEVEL)


def render(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> str:
    """The SARIF log, pretty-printed, non-ASCII kept as is: ``_dumps(build(...)) + "\\n"``."""
    rules = RuleTable.of(rules)
    # the only '"results": []' of the skeleton is the key (inside a JSON string, '"' is escaped)
    head, hole, tail = _dumps(skeleton(results, rules, options)).partition(
        '"results": []'
    )
    writer = _Results({rule.code: i for i, rule in enumerate(rules)})
    texts = [writer.text(d) for d in findings(results)]
    if not texts:
        return f"{head}{hole}{tail}\n"
    indent = "\n" + "  " * _LEVEL
    texts[0] = f'{head}"results": [{indent}{texts[0]}'
    texts[-1] = f'{texts[-1]}\n{"  " * (_LEVEL - 1)}]{tail}\n'
    return f",{indent}".join(texts)  # one copy of the (megabytes of) results
