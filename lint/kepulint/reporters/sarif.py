"""SARIF 2.1.0 (one run) for GitHub code scanning and SARIF viewers.

Columns are Unicode code points (``columnKind``), relative paths hang off
``%SRCROOT%``, suppressed diagnostics appear with ``suppressions`` and files that
could not be linted become tool execution notifications.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..model import Diagnostic, FileError, Severity, Suppression

if TYPE_CHECKING:  # pragma: no cover
    from ..model import FileResult
    from ..rules import Rule

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


def reporting_descriptor(rule: Rule, profile: str) -> dict[str, Any]:
    """One entry of ``tool.driver.rules``."""
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full_description(rule)},
        "help": {"text": rule.help, "markdown": rule.help},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": [rule.kind],
            "kepulint/basis": [b["title"] for b in rule.basis_for(profile)],
        },
    }


def artifact_location(path: str) -> dict[str, str]:
    """A relative path becomes a percent-encoded URI under ``%SRCROOT%``; an absolute one a file URI."""
    if PurePosixPath(path).is_absolute():
        return {"uri": PurePosixPath(path).as_uri()}
    if PureWindowsPath(path).is_absolute():
        return {"uri": PureWindowsPath(path).as_uri()}
    posix = PureWindowsPath(path).as_posix() if "\\" in path else path
    return {"uri": quote(posix, safe="/"), "uriBaseId": SRCROOT}


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
    if d.notes:
        data["properties"] = {"kepulint/notes": list(d.notes)}
    if d.suppression is not None:
        data["suppressions"] = [suppression(d.suppression)]
    return data


def notification(path: str, text: str, level: str) -> dict[str, Any]:
    """A tool execution notification about one file."""
    return {
        "level": level,
        "message": {"text": f"{path}: {text}"},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(path)}}],
    }


def error_notification(e: FileError) -> dict[str, Any]:
    return notification(e.path, e.message, "warning" if e.kind == "skipped" else "error")


def build(
    results: list[FileResult], rules: Sequence[Rule], *, version: str, profile: str = "cn"
) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    rule_index = {rule.code: i for i, rule in enumerate(rules)}
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    failed = False
    for file_result in results:
        if file_result.error is not None:
            notifications.append(error_notification(file_result.error))
            failed = failed or file_result.error.kind != "skipped"
        if file_result.notice:
            notifications.append(notification(file_result.path, file_result.notice, "note"))
        found = sorted([*file_result.diagnostics, *file_result.suppressed], key=lambda d: d.sort_key)
        sarif_results.extend(result(d, rule_index) for d in found)
    invocation: dict[str, Any] = {"executionSuccessful": not failed}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {
            "driver": {
                "name": "kepulint",
                "version": version,
                "informationUri": INFORMATION_URI,
                "rules": [reporting_descriptor(rule, profile) for rule in rules],
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
        "properties": {"kepulint/profile": profile},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(results: list[FileResult], rules: Sequence[Rule], *, version: str, profile: str = "cn") -> str:
    """The SARIF log, pretty-printed, non-ASCII kept as is."""
    return (
        json.dumps(build(results, rules, version=version, profile=profile), ensure_ascii=False, indent=2)
        + "\n"
    )
