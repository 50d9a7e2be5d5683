"""``--format json``: report format 2, described by ``schemas/report.schema.json``.

Diagnostics name their rule by ``code``; the ``rules`` table gives each rule the run
reported once: name, default severity, summary, help URI, and its basis and help for each
profile its findings were made under (``rules[code]["help"][d["profile"]]``). A diagnostic
keeps what is specific to its match: message, span, advice, fixes.

The layout is compact JSON with one rule, one diagnostic and one document per line, so the
report stays small and ``grep``/``jq`` both read it. :func:`render_reference` lays out
:func:`build`'s dict; :func:`render` writes the same text with each diagnostic from a template
(``tests/report/test_json.py`` checks they agree on any field values).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring
from typing import Any

from ..model import Diagnostic, FileResult, Severity
from . import ReportOptions
from .ruletable import RuleTable, file_profile

SCHEMA_VERSION = "2.0"
#: Members written one item per line.
_ONE_PER_LINE = frozenset({"rules", "diagnostics", "suppressed", "errors", "notices", "documents"})


#: ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``, with one encoder made once
#: (``json.dumps`` makes one per call: a tenth of the report's time).
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def diagnostic(d: Diagnostic, profile: str) -> dict[str, Any]:
    """One entry of ``diagnostics`` (or ``suppressed``): the finding, its rule by code."""
    data: dict[str, Any] = {
        "path": d.path,
        "profile": profile,
        "code": d.code,
        "severity": d.severity.label,
        "message": d.message,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "match": d.match,
        "fingerprint": d.fingerprint,
    }
    if d.crosses_markup is not None:
        data["crosses_markup"] = d.crosses_markup
    if d.advice:
        data["advice"] = d.advice
    if d.fixes:
        data["fixes"] = [f.to_dict() for f in d.fixes]
    if d.suppression is not None:
        data["suppression"] = {"kind": d.suppression.kind, "justification": d.suppression.justification}
    return data


def rules_table(results: Iterable[FileResult], rules: RuleTable, run_profile: str) -> dict[str, Any]:
    """``rules``: every code the report's diagnostics name (active or suppressed), in code
    order, with help and basis for the profiles its findings were made under."""
    profiles: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for result in results:
        profile = file_profile(result, run_profile)
        for d in (*result.diagnostics, *result.suppressed):
            profiles.setdefault(d.code, set()).add(profile)
            names.setdefault(d.code, d.name)
    return {code: rules.entry(code, profiles[code], names[code]) for code in sorted(profiles)}


def _summary(results: Sequence[FileResult]) -> dict[str, int]:
    counts = Counter(d.severity.label for r in results for d in r.diagnostics)
    return {"files": sum(1 for r in results if r.error is None), "error": counts["error"],
            "warning": counts["warning"], "info": counts["info"],
            "suppressed": sum(len(r.suppressed) for r in results),
            "unreadable": sum(1 for r in results if r.error and r.error.kind == "error")}


def _found(results: Sequence[FileResult], run_profile: str) -> dict[str, list[tuple[Diagnostic, str]]]:
    """The active and the suppressed diagnostics, each with its file's profile."""
    found: dict[str, list[tuple[Diagnostic, str]]] = {"diagnostics": [], "suppressed": []}
    for r in results:
        profile = file_profile(r, run_profile)
        found["diagnostics"] += ((d, profile) for d in r.diagnostics)
        found["suppressed"] += ((d, profile) for d in r.suppressed)
    return found


def _frame(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> dict[str, Any]:
    """The report with empty ``diagnostics`` and ``suppressed`` lists."""
    run = options.profile
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "kepulint", "version": options.version, "profile": run},
        "rules": rules_table(results, RuleTable.of(rules), run),
        "diagnostics": [],
        "suppressed": [],
        "errors": [r.error.to_dict() for r in results if r.error],
        "notices": [{"path": r.path, "message": r.notice} for r in results if r.notice],
        "documents": [{"path": r.path, "profile": r.profile, "genre": r.genre} for r in results if r.profile],
        "summary": _summary(results),
    }
    if options.baseline:
        report["baseline"] = dict(options.baseline)
    return report


def build(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> dict[str, Any]:
    """The report as a dict: what :func:`render` writes."""
    report = _frame(results, rules, options)
    for key, found in _found(results, options.profile).items():
        report[key] = [diagnostic(d, profile) for d, profile in found]
    return report


def layout(report: dict[str, Any], encoded: dict[str, list[str]] | None = None) -> str:
    """``report`` as compact JSON, each top-level member on a line of its own and each item of
    the members in :data:`_ONE_PER_LINE` too; ``encoded`` gives members whose items are
    already encoded. The text is joined once (a report can be megabytes)."""
    encoded = encoded or {}
    parts = ["{"]
    for n, (key, value) in enumerate(report.items()):
        parts += (",\n" if n else "", _dumps(key), ":")
        items = encoded.get(key)
        if items is None and key in _ONE_PER_LINE and value:
            items = ([f"{_dumps(k)}:{_dumps(v)}" for k, v in value.items()] if isinstance(value, dict)
                     else [_dumps(v) for v in value])
        if not items:
            parts.append(_dumps(value))
            continue
        opening, closing = ("{\n", "\n}") if isinstance(value, dict) else ("[\n", "\n]")
        parts.append(opening)
        for i, item in enumerate(items):
            if i:
                parts.append(",\n")
            parts.append(item)
        parts.append(closing)
    parts.append("}\n")
    return "".join(parts)


def render_reference(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> str:
    """The plain rendering: :func:`build`'s dict laid out (what :func:`render` must equal)."""
    return layout(build(results, rules, options))


def render(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> str:
    """The JSON report: :func:`render_reference`'s text, with each diagnostic written from a
    template instead of a dict (a warm run of 10,000 findings spends most of its report there)."""
    report = _frame(results, rules, options)
    encoded = {key: [_line(d, profile) for d, profile in found]
               for key, found in _found(results, options.profile).items()}
    return layout(report, encoded)


#: Severity -> its quoted label, the only severities the template writes itself.
_LABELS = {s: encode_basestring(s.label) for s in Severity}


def _line(d: Diagnostic, profile: str) -> str:
    """``_dumps(diagnostic(d, profile))``, from a template when every field has its usual type."""
    label = _LABELS.get(d.severity) if type(d.severity) is Severity else None
    if label is None or not (type(d.line) is type(d.column) is type(d.end_line) is type(d.end_column) is int):
        return _dumps(diagnostic(d, profile))
    enc = encode_basestring
    try:
        text = (f'{{"path":{enc(d.path)},"profile":{enc(profile)},"code":{enc(d.code)},"severity":{label},'
                f'"message":{enc(d.message)},"line":{d.line},"column":{d.column},"end_line":{d.end_line},'
                f'"end_column":{d.end_column},"match":{enc(d.match)},"fingerprint":{enc(d.fingerprint)}')
        if d.crosses_markup is not None:
            text += ',"crosses_markup":true' if d.crosses_markup else ',"crosses_markup":false'
        if d.advice:
            text += f',"advice":{enc(d.advice)}'
        if d.fixes:
            text += ',"fixes":' + _dumps([f.to_dict() for f in d.fixes])
        sup = d.suppression
        if sup is not None:
            text += f',"suppression":{{"kind":{enc(sup.kind)},"justification":{enc(sup.justification)}}}'
    except (TypeError, AttributeError):  # a field that is not a str: let json decide
        return _dumps(diagnostic(d, profile))
    return text + "}"
