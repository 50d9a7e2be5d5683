"""``--format json``: one object, described by ``schemas/report.schema.json``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..model import FileResult
from ..rules import Rule

SCHEMA_VERSION = "1.0"


def build(results: list[FileResult], rules: Sequence[Rule], *, version: str, profile: str = "cn",
          baseline: dict[str, Any] | None = None) -> dict[str, Any]:
    diagnostics = [d.to_dict() for r in results for d in r.diagnostics]
    suppressed = [d.to_dict() for r in results for d in r.suppressed]
    errors = [r.error.to_dict() for r in results if r.error]
    unreadable = sum(1 for r in results if r.error and r.error.kind == "error")
    summary = {"files": sum(1 for r in results if r.error is None), "error": 0, "warning": 0, "info": 0,
               "suppressed": len(suppressed), "unreadable": unreadable}
    for d in diagnostics:
        summary[d["severity"]] += 1  # type: ignore[index]
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "kepulint", "version": version, "profile": profile},
        "diagnostics": diagnostics,
        "suppressed": suppressed,
        "errors": errors,
        "notices": [{"path": r.path, "message": r.notice} for r in results if r.notice],
        "summary": summary,
    }
    if baseline:
        report["baseline"] = baseline
    return report


def render(results: list[FileResult], rules: Sequence[Rule], *, version: str, profile: str = "cn",
           baseline: dict[str, Any] | None = None) -> str:
    report = build(results, rules, version=version, profile=profile, baseline=baseline)
    # compact: the C encoder (indent forces the pure-Python one, 10x slower on big reports)
    return json.dumps(report, ensure_ascii=False, separators=(",", ":")) + "\n"
