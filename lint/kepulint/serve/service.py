"""What the review page's API does, without HTTP: check a request, lint its text, render reports.

One :class:`Reviewer` lives as long as the server: the rule set (and its compiled automaton)
is loaded once, and each request only picks its settings. Nothing here writes to disk or logs
a draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import __version__
from ..api import Settings, lint_source
from ..model import CHECK_PROFILES, LEVELS, FileResult
from ..rules.ruleset import Rule, RuleSet
from ..run.config import Config, ConfigError

# what the page may open: the CLI's default include
READABLE_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".docx")
DEFAULT_FILENAME = "draft.md"
MAX_FILENAME = 255
REPORT_FORMATS = {  # format -> (media type, download name)
    "json": ("application/json", "kepulint-report.json"),
    "sarif": ("application/sarif+json", "kepulint-report.sarif"),
    "html": ("text/html; charset=utf-8", "kepulint-report.html"),
}


class RequestError(ValueError):
    """A request the API refuses (HTTP 400): one line saying what and where."""


@dataclass(frozen=True)
class LintRequest:
    """One draft and the settings to lint it with (``None``: the server's configuration)."""

    text: str
    filename: str = DEFAULT_FILENAME
    profile: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    fail_on: str | None = None
    today: str | None = None


def _codes(value: Any, key: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.replace("，", ",").split(",")
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise RequestError(f"settings.{key}: expected a list of rule codes or prefixes")
    return tuple(c.strip().upper() for c in value if c.strip())


def _choice(value: Any, key: str, choices: Sequence[str]) -> str | None:
    if value is None:
        return None
    if value not in choices:
        raise RequestError(f"settings.{key}: expected one of {', '.join(choices)}, got {value!r}")
    return str(value)


def parse_request(data: Any) -> LintRequest:
    """The ``POST /api/lint`` body ``{text, filename?, settings?}`` as a :class:`LintRequest`."""
    if not isinstance(data, dict):
        raise RequestError("request body: expected a JSON object {text, filename, settings}")
    unknown = sorted(set(data) - {"text", "filename", "settings"})
    if unknown:
        raise RequestError(f"request body: unknown key {unknown[0]!r} (expected text, filename, settings)")
    text, filename = data.get("text"), data.get("filename") or DEFAULT_FILENAME
    if not isinstance(text, str):
        raise RequestError("text: expected a string (the draft)")
    if not isinstance(filename, str) or len(filename) > MAX_FILENAME or any(ord(c) < 32 for c in filename):
        raise RequestError(f"filename: expected a file name of at most {MAX_FILENAME} characters, "
                           "without control characters")
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        raise RequestError("settings: expected an object {profile, select, ignore, fail_on, today}")
    known = {"profile", "select", "ignore", "fail_on", "today"}
    extra = sorted(set(settings) - known)
    if extra:
        raise RequestError(f"settings: unknown key {extra[0]!r} (expected {', '.join(sorted(known))})")
    today = settings.get("today")
    if today is not None:
        try:
            today = date.fromisoformat(str(today)).isoformat()
        except ValueError:
            raise RequestError(f"settings.today: {today!r} is not a date in YYYY-MM-DD form") from None
    profile = _choice(settings.get("profile"), "profile", CHECK_PROFILES)
    return LintRequest(text=text, filename=filename, profile=profile,
                       select=_codes(settings.get("select"), "select"), ignore=_codes(settings.get("ignore"), "ignore"),
                       fail_on=_choice(settings.get("fail_on"), "fail_on", LEVELS), today=today)


def _patterns(params: Any, key: str = "") -> Iterator[str]:
    """Every regex in a rule's parameters (the values of keys ending in ``patterns``)."""
    if isinstance(params, dict):
        for k, v in params.items():
            yield from _patterns(v, str(k))
    elif isinstance(params, list):
        for v in params:
            yield from _patterns(v, key)
    elif isinstance(params, str) and key.endswith("patterns"):
        yield params


@dataclass
class Reviewer:
    """Lints requests with the server's configuration and rule set (both loaded once)."""

    config: Config
    ruleset: RuleSet
    _configs: dict[tuple[Any, ...], Config] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        """Warm up: build the automaton and kinds, import the pipeline and compile the rule regexes
        on one example of every rule now, so the first request is as fast as the next."""
        from ..kinds.base import compiled

        for rule in self.ruleset:
            for pattern in _patterns(rule.params):
                try:
                    compiled(pattern)
                except re.error:  # a pattern the kind rewrites before compiling: it compiles on use
                    continue
        examples = [e if isinstance(e, str) else e.get("text", "") for r in self.ruleset
                    for e in r.examples.get("fire", [])[:1]]
        self.report(LintRequest(text="\n\n".join(examples), filename="warm-up.md"), "html")

    def config_for(self, req: LintRequest) -> Config:
        """The server's configuration with the request's settings applied (as on the command line)."""
        key = (req.profile, req.select, req.ignore, req.fail_on)
        if key not in self._configs:
            try:
                config = self.config.with_overrides(profile=req.profile, select=req.select, ignore=req.ignore,
                                                    fail_on=req.fail_on)
            except ConfigError as exc:
                raise RequestError(str(exc).replace("command line: --", "settings.")) from None
            if len(self._configs) > 256:
                self._configs.clear()
            self._configs[key] = config
        return self._configs[key]

    def lint(self, req: LintRequest) -> tuple[FileResult, Config]:
        """Lint the request's text as the file ``req.filename``."""
        config = self.config_for(req)
        codes = self.ruleset.codes
        settings = Settings(severity=tuple(sorted(config.severity_overrides(codes).items())), profile=config.profile,
                            today=req.today or date.today().isoformat(),
                            rule_paths=tuple(str(p) for p in config.rule_paths))
        result = lint_source(req.text, req.filename, settings, select=tuple(config.selected_codes(codes, req.filename)),
                             ruleset=self.ruleset)
        return result, config

    def enabled(self, config: Config) -> list[Rule]:
        chosen = set(config.selected_codes(self.ruleset.codes, None))
        return [r for r in self.ruleset if r.code in chosen]

    def report(self, req: LintRequest, fmt: str = "json") -> tuple[bytes, bool]:
        """The report of the request in ``fmt`` (json, sarif, html) and whether it fails at fail-on."""
        from ..report import ReportOptions, RuleTable, render
        from ..report.html import fails

        result, config = self.lint(req)
        options = ReportOptions(version=__version__, profile=config.profile, fail_on=config.fail_on,
                                sources={req.filename: req.text})
        body = render(fmt, [result], RuleTable(self.enabled(config)), options)
        return body.encode("utf-8", "backslashreplace"), fails([result], config.fail_on)

    def rules(self, profile: str) -> list[dict[str, Any]]:
        """Every rule with what the page shows beside a finding: summary, advice, legal basis."""
        from ..check.advice import help_for, rewrite_hint
        from ..report.html import safe_url

        chosen = set(self.config.selected_codes(self.ruleset.codes, None))
        return [{"code": r.code, "name": r.name, "severity": r.severity.label, "kind": r.kind, "summary": r.summary,
                 "advice": rewrite_hint(help_for(r, profile)), "enabled": r.code in chosen,
                 "basis": [{"title": str(b.get("title", "")), "url": safe_url(str(b.get("url", ""))) or ""}
                           for b in r.basis_for(profile)]}
                for r in self.ruleset]

    def rule_text(self, code: str, profile: str) -> str:
        """``kepulint rule CODE --profile PROFILE``, as text."""
        from ..explain import explain_rule
        from ..run.runner import UsageError

        try:
            return explain_rule(code.upper(), profile, "text", self.config.rule_paths)
        except UsageError as exc:
            raise RequestError(str(exc)) from None

    def read(self, data: bytes, filename: str) -> dict[str, str]:
        """An uploaded file's bytes, decoded as the CLI decodes files (encoding detected; a Word
        document as its paragraphs, one a line)."""
        from ..text.decode import InputError, draft_text

        if not filename.lower().endswith(READABLE_SUFFIXES):
            raise RequestError(f"{filename}: cannot open this kind of file (open {', '.join(READABLE_SUFFIXES)})")
        try:
            text, notice = draft_text(data, encoding="auto", path=filename)  # Word: a paragraph a line
        except InputError as exc:
            raise RequestError(f"{filename}: {exc}") from None
        return {"filename": filename, "text": text, "notice": notice}

