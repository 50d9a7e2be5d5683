"""``--format json``: one object, described by ``schemas/report.schema.json``.

The report is exactly ``json.dumps(build(...), ensure_ascii=False, separators=(",", ":"))
+ "\\n"``, but :func:`render_parts` writes it without a dict per diagnostic, straight to
the UTF-8 bytes the CLI outputs: each diagnostic comes from a template whose strings go
through the encoder ``json.dumps`` itself uses (:data:`json.encoder.encode_basestring`),
and each rule's help text (a kilobyte, most of the report) is encoded once. A diagnostic
with a field of an unexpected type falls back to ``json.dumps``, so the bytes are the same
either way (``tests/test_warm_json.py`` checks it).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import Any

from ..model import Diagnostic, FileResult, Severity
from ..rules.ruleset import Rule

SCHEMA_VERSION = "1.0"

#: Severity -> its quoted label, the only severities the template writes itself.
_LABELS = {s: encode_basestring(s.label) for s in Severity}


def _dumps(value: Any) -> str:
    """The compact, non-ASCII-preserving encoding every part of the report uses."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_Frame = tuple[dict[str, Any], list[Diagnostic], list[Diagnostic], dict[str, Any]]


def _frame(results: list[FileResult], *, version: str, profile: str, baseline: dict[str, Any] | None) -> _Frame:
    """The report around its two diagnostic lists: the members before them, the active and
    suppressed diagnostics, and the members after them (in the report's order)."""
    active = [d for r in results for d in r.diagnostics]
    suppressed = [d for r in results for d in r.suppressed]
    head = {"schema_version": SCHEMA_VERSION, "tool": {"name": "kepulint", "version": version, "profile": profile}}
    tail: dict[str, Any] = {
        "errors": [r.error.to_dict() for r in results if r.error],
        "notices": [{"path": r.path, "message": r.notice} for r in results if r.notice],
        "documents": [{"path": r.path, "profile": r.profile, "genre": r.genre} for r in results if r.profile],
        "summary": _summary(results, active, len(suppressed)),
    }
    if baseline:
        tail["baseline"] = baseline
    return head, active, suppressed, tail


def build(results: list[FileResult], rules: Sequence[Rule], *, version: str, profile: str = "cn",
          baseline: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report as a dict: what :func:`render` encodes (and the reference its tests use)."""
    head, active, suppressed, tail = _frame(results, version=version, profile=profile, baseline=baseline)
    return {**head, "diagnostics": [d.to_dict() for d in active], "suppressed": [d.to_dict() for d in suppressed],
            **tail}


class _Encoder:
    """Writes the report as UTF-8 parts: each diagnostic from a template, its help text (the
    bulk of the report, the same for every diagnostic of a rule) encoded once per rule."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.helps: dict[str, bytes] = {}

    def help(self, text: str) -> bytes:
        """``encode_basestring(text)`` as UTF-8, computed once per distinct text."""
        out = self.helps.get(text)
        if out is None:
            out = self.helps[text] = encode_basestring(text).encode("utf-8")
        return out

    def diagnostic(self, d: Diagnostic) -> None:
        """Append ``_dumps(d.to_dict())``, from the template when every field has its usual type."""
        label = _LABELS.get(d.severity) if type(d.severity) is Severity else None
        if (label is None or type(d.line) is not int or type(d.column) is not int
                or type(d.end_line) is not int or type(d.end_column) is not int):
            self.parts.append(_dumps(d.to_dict()).encode("utf-8"))
            return
        enc = encode_basestring
        try:
            head = (f'{{"path":{enc(d.path)},"code":{enc(d.code)},"name":{enc(d.name)},"severity":{label},'
                    f'"message":{enc(d.message)},"line":{d.line},"column":{d.column},"end_line":{d.end_line},'
                    f'"end_column":{d.end_column},"match":{enc(d.match)},"help":')
            helptext = self.help(d.help)
            tail = f',"fingerprint":{enc(d.fingerprint)}'
            if d.crosses_markup is not None:
                tail += ',"crosses_markup":true' if d.crosses_markup else ',"crosses_markup":false'
            if d.advice:
                tail += f',"advice":{enc(d.advice)}'
            if d.fixes:
                tail += ',"fixes":' + _dumps([f.to_dict() for f in d.fixes])
            sup = d.suppression
            if sup is not None:
                tail += f',"suppression":{{"kind":{enc(sup.kind)},"justification":{enc(sup.justification)}}}'
        except (TypeError, AttributeError):  # a field that is not a str: let json.dumps decide
            self.parts.append(_dumps(d.to_dict()).encode("utf-8"))
            return
        self.parts += (head.encode("utf-8"), helptext, tail.encode("utf-8"), b"}")

    def array(self, diagnostics: list[Diagnostic]) -> None:
        """Append the JSON array of ``diagnostics``."""
        parts, one = self.parts, self.diagnostic
        parts.append(b"[")
        for n, d in enumerate(diagnostics):
            if n:
                parts.append(b",")
            one(d)
        parts.append(b"]")


def _summary(results: list[FileResult], active: list[Diagnostic], suppressed: int) -> dict[str, int]:
    """The ``summary`` object of :func:`build`, counted without the dicts."""
    counts = {severity.label: n for severity, n in Counter(d.severity for d in active).items()}
    summary = {"files": sum(1 for r in results if r.error is None), "error": 0, "warning": 0, "info": 0,
               "suppressed": suppressed, "unreadable": sum(1 for r in results if r.error and r.error.kind == "error")}
    for label, n in counts.items():
        summary[label] += n
    return summary


def render_parts(results: list[FileResult], rules: Sequence[Rule], *, version: str, profile: str = "cn",
                 baseline: dict[str, Any] | None = None) -> list[bytes]:
    """The report in UTF-8, in parts: ``b"".join(parts) == render(...).encode("utf-8")``.
    Raises :class:`UnicodeEncodeError` as that encode would when a string holds a lone surrogate."""
    head, active, suppressed, tail = _frame(results, version=version, profile=profile, baseline=baseline)
    enc = _Encoder()
    enc.parts += (_dumps(head)[:-1].encode("utf-8"), b',"diagnostics":')
    enc.array(active)
    enc.parts.append(b',"suppressed":')
    enc.array(suppressed)
    enc.parts += (b",", _dumps(tail)[1:].encode("utf-8"), b"\n")
    return enc.parts


def render_bytes(results: list[FileResult], rules: Sequence[Rule], *, version: str, profile: str = "cn",
                 baseline: dict[str, Any] | None = None) -> bytes:
    """The report in UTF-8: ``render(...).encode("utf-8")`` (see :func:`render_parts`)."""
    return b"".join(render_parts(results, rules, version=version, profile=profile, baseline=baseline))


def render(results: list[FileResult], rules: Sequence[Rule], *, version: str, profile: str = "cn",
           baseline: dict[str, Any] | None = None) -> str:
    """The report: ``_dumps(build(...)) + "\\n"``."""
    try:
        data = render_bytes(results, rules, version=version, profile=profile, baseline=baseline)
    except UnicodeEncodeError:  # a lone surrogate: JSON text can hold it, UTF-8 cannot
        return _dumps(build(results, rules, version=version, profile=profile, baseline=baseline)) + "\n"
    return data.decode("utf-8")
