"""``--format json``: report format 2, described by ``schemas/report.schema.json``.

Diagnostics name their rule by ``code``; the ``rules`` table gives each rule the run
reported once: name, default severity, summary, help URI, and its basis and help for each
profile its findings were made under (``rules[code]["help"][d["profile"]]``). A diagnostic
keeps what is specific to its match: message, span, advice, fixes.

The layout is compact JSON with one rule, one diagnostic and one document per line, so the
report stays small and ``grep``/``jq`` both read it; :func:`render` is exactly a layout of
:func:`build`'s dict (``json.loads(render(...)) == build(...)``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from ..model import Diagnostic, FileResult
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


def build(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> dict[str, Any]:
    """The report as a dict: what :func:`render` lays out."""
    run = options.profile
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "kepulint", "version": options.version, "profile": run},
        "rules": rules_table(results, RuleTable.of(rules), run),
        "diagnostics": [diagnostic(d, file_profile(r, run)) for r in results for d in r.diagnostics],
        "suppressed": [diagnostic(d, file_profile(r, run)) for r in results for d in r.suppressed],
        "errors": [r.error.to_dict() for r in results if r.error],
        "notices": [{"path": r.path, "message": r.notice} for r in results if r.notice],
        "documents": [{"path": r.path, "profile": r.profile, "genre": r.genre} for r in results if r.profile],
        "summary": _summary(results),
    }
    if options.baseline:
        report["baseline"] = dict(options.baseline)
    return report


def layout(report: dict[str, Any]) -> str:
    """``report`` as compact JSON, each top-level member on a line of its own and each item of
    the members in :data:`_ONE_PER_LINE` too."""
    members = []
    for key, value in report.items():
        name = _dumps(key)
        if key in _ONE_PER_LINE and value:
            if isinstance(value, dict):
                items = [f"{_dumps(k)}:{_dumps(v)}" for k, v in value.items()]
                members.append(f"{name}:{{\n" + ",\n".join(items) + "\n}")
            else:
                members.append(f"{name}:[\n" + ",\n".join(_dumps(v) for v in value) + "\n]")
        else:
            members.append(f"{name}:{_dumps(value)}")
    return "{" + ",\n".join(members) + "}\n"


def render(results: Sequence[FileResult], rules: RuleTable, options: ReportOptions) -> str:
    """The JSON report (see the module docstring)."""
    return layout(build(results, rules, options))
