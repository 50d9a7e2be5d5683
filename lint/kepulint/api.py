"""The library API: lint a string (or a file, or its bytes) the way the CLI lints a file.

:func:`lint_source` is the one pipeline (document → rules → diagnostics → inline
suppressions) that the CLI, its worker processes and :func:`lint_text` all call. The
linting machinery (document, engine, kinds) is imported by the first :func:`lint_source`
call, so a run whose files are all cached never loads it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from .model import Diagnostic, FileResult, Severity
from .rules.ruleset import Rule, RuleSet, load_rules

EXAMPLE_PATH = "example.md"  # the name a rule's examples are linted under (Markdown)
EXAMPLE_TODAY = "2026-11-25"  # their run date, unless an example gives its own


@dataclass(frozen=True)
class Settings:
    """What one run decides for every file (picklable, so workers get the same)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    profile: str = "auto"  # cn | tw | hk, or auto: per file (region.py)
    today: str = field(default_factory=lambda: date.today().isoformat())
    rule_paths: tuple[str, ...] = ()


def _compile_kinds(rules: list[Rule]) -> Any:
    """The rules' kinds and automaton (imported only when a file needs linting, not on a warm run)."""
    from .kinds.candidates import CompiledRules

    return CompiledRules(rules)


@lru_cache(maxsize=4)
def ruleset_for(rule_paths: tuple[str, ...] = ()) -> RuleSet:
    """The built-in rules plus rule packs, loaded once per process.

    A pack's rules must pass their own examples: a pack that does not is refused
    (:class:`~kepulint.rules.ruleset.RuleError` naming the file and the example).
    """
    ruleset = load_rules([Path(p) for p in rule_paths], build=_compile_kinds)
    if rule_paths:
        verify_pack_examples(ruleset)
    return ruleset


def check_example(rule: Rule, example: Any, should_fire: bool, ruleset: RuleSet | None = None) -> str | None:
    """Run one of ``rule``'s examples (a text, or a mapping with ``text`` and expectations);
    return a failure description, or None when it behaves."""
    ruleset = ruleset or ruleset_for()
    spec = {"text": example} if isinstance(example, str) else example
    settings = Settings(today=spec.get("today", EXAMPLE_TODAY), profile=spec.get("profile", "cn"))
    select = ruleset.codes if rule.kind == "tool" else [rule.code]
    result = lint_source(spec["text"], EXAMPLE_PATH if spec.get("markdown", True) else "example.txt",
                         settings, select=select, ruleset=ruleset)
    hits = [d for d in result.diagnostics if d.code == rule.code]
    if should_fire:
        if not hits:
            return f"{rule.code}: expected to fire on {spec['text']!r}"
        if "severity" in spec and not any(d.severity.label == spec["severity"] for d in hits):
            got = ", ".join(d.severity.label for d in hits)
            return f"{rule.code}: expected severity {spec['severity']} on {spec['text']!r}, got {got}"
        if "match" in spec and not any(d.match == spec["match"] for d in hits):
            got = ", ".join(repr(d.match) for d in hits)
            return f"{rule.code}: expected match {spec['match']!r} on {spec['text']!r}, got {got}"
        return None
    if hits:
        got = ", ".join(f"{d.match!r} ({d.message})" for d in hits)
        return f"{rule.code}: expected no finding on {spec['text']!r}, got {got}"
    return None


def verify_pack_examples(ruleset: RuleSet) -> None:
    """Raise RuleError for the first example of a rule-pack rule that does not behave (a pack is
    loaded only when its rules pass their own examples, so this lives beside :func:`ruleset_for`)."""
    from .rules.ruleset import RuleError, builtin_rule_dir

    builtin = builtin_rule_dir().resolve()
    for rule in ruleset:
        if not rule.source or Path(rule.source).resolve().parent == builtin:
            continue
        for key, fire in (("fire", True), ("pass", False)):
            for i, example in enumerate(rule.examples.get(key, [])):
                problem = check_example(rule, example, fire, ruleset)
                if problem:
                    raise RuleError(f"{rule.source}: /examples/{key}/{i}: {problem}")


def lint_source(text: str, path: str, settings: Settings, *, select: Sequence[str] | None = None,
                markdown: bool | None = None, ruleset: RuleSet | None = None, genre: Any = None) -> FileResult:
    """Lint one file's text. ``select`` (codes) overrides the settings' selection; ``ruleset``
    (default: the built-in rules plus ``settings.rule_paths``) is the rule set to use; ``genre``
    (a :class:`~kepulint.reading.genre.Genre`) is the genre of the whole file when ``text`` is one chunk.
    An HTML file (by its name, unless ``markdown`` says how to read it) is linted as its
    visible text, with positions in the HTML source (:mod:`kepulint.text.readers`)."""
    from .check.chunks import needs_chunks as chunks_needed
    from .check.engine import apply_overrides, run_rules, to_diagnostics
    from .reading.genre import genre_of
    from .reading.region import detect, resolve
    from .text.document import Document

    ruleset = ruleset if ruleset is not None else ruleset_for(settings.rule_paths)
    if markdown is None:
        from .text.readers import is_html

        if is_html(path):
            return lint_html(text, path, settings, select=select, ruleset=ruleset, genre=genre)
    chunked = chunks_needed(text)
    if settings.profile == "auto" and chunked:  # one jurisdiction per file, chunks included
        settings = replace(settings, profile=resolve(settings.profile, text))
    if select is not None:
        rules = [ruleset.by_code[c] for c in select if c in ruleset.by_code]
    else:
        rules = ruleset.select(settings.select, settings.ignore)
    from .check import chunks

    if chunked:
        whole = chunks.genre_of_chunks(text, path, markdown)  # one genre for the whole file
        kinds = ruleset.compiled.kinds

        def one(chunk: str, first: bool, last: bool) -> FileResult:
            wanted = [r.code for r in rules if first or last or not kinds[r.code].chunk_edges_only]
            return lint_source(chunk, path, settings, select=wanted, markdown=markdown, ruleset=ruleset, genre=whole)

        return chunks.lint_in_chunks(text, path, one)
    doc = Document.from_text(text, path, markdown=markdown, today=settings.today, profile=settings.profile)
    if settings.profile == "auto":  # from the folded text the rules use anyway (region.py)
        settings = replace(settings, profile=detect(doc.masked.text, doc.norm))  # prose only: no code
        doc.profile = settings.profile
    if genre is not None:
        doc.memo("genre", lambda d: genre)  # the whole file's genre, for one of its chunks
    findings = run_rules(doc, rules, ruleset.compiled)
    diagnostics = to_diagnostics(doc, findings, ruleset.by_code)
    from .check.suppress import apply_suppressions

    outcome = apply_suppressions(doc, diagnostics, known_codes=ruleset.codes,
                                 active_codes=[r.code for r in rules], rules=ruleset.by_code)
    overrides = {code: Severity.parse(level) for code, level in settings.severity}
    active = apply_overrides(sorted(outcome.active + outcome.tool, key=lambda d: d.sort_key),
                             ruleset.by_code, overrides)
    outcome.suppressed = apply_overrides(outcome.suppressed, ruleset.by_code, overrides)
    excerpts = {line: doc.lines.line_text(line) for line in {d.line for d in active if d.match}}  # once per line
    earned = genre_of(doc).name
    doc.release()
    return FileResult(path=path, diagnostics=active, suppressed=outcome.suppressed, excerpts=excerpts,
                      profile=settings.profile, genre=earned)


def lint_html(text: str, path: str, settings: Settings, *, select: Sequence[str] | None = None,
              ruleset: RuleSet | None = None, genre: Any = None) -> FileResult:
    """Lint HTML source as what a reader sees (its visible text), with every position in the
    source (:mod:`kepulint.text.readers`); :func:`lint_source` does this for a file named ``.html``."""
    from .text.readers import remap
    from .text.readers.html import read_html

    visible = read_html(text)
    result = lint_source(visible.text, path, settings, select=select, markdown=False, ruleset=ruleset, genre=genre)
    return remap(result, visible)


def lint_text(
    text: str,
    path: str = "<text>",
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    severity: dict[str, str] | None = None,
    profile: str = "auto",
    today: str | None = None,
    markdown: bool | None = None,
    config: object | None = None,
) -> list[Diagnostic]:
    """Lint ``text`` as if it were the file ``path``; return the sorted active diagnostics.

    ``config`` may be a :class:`kepulint.run.config.Config`: its selection (including
    per-file ignores for ``path``), severities, profile and rule packs apply; explicit
    keyword arguments win. Diagnostics are frozen dataclasses (picklable); positions are
    1-based Unicode code points of ``text``. Inline suppression directives are honoured.
    """
    codes: list[str] | None = None
    rule_paths: tuple[str, ...] = ()
    sev = dict(severity or {})
    if config is not None:
        rule_paths = tuple(str(p) for p in getattr(config, "rule_paths", ()))
        if select is None:
            codes = list(config.selected_codes(ruleset_for(rule_paths).codes, path))  # type: ignore[attr-defined]
        sev = {**config.severity_overrides(ruleset_for(rule_paths).codes), **sev}  # type: ignore[attr-defined]
        profile = getattr(config, "profile", None) or profile
    settings = Settings(
        select=tuple(select) if select is not None else None,
        ignore=tuple(ignore),
        severity=tuple(sorted(sev.items())),
        profile=profile,
        today=today or date.today().isoformat(),
        rule_paths=rule_paths,
    )
    if codes is not None and ignore:
        codes = [c for c in codes if not c.startswith(tuple(ignore))]
    return lint_source(text, path, settings, select=codes, markdown=markdown).diagnostics


def lint_bytes(data: bytes, filename: str = "<bytes>", *, encoding: str | None = None,
               **options: Any) -> list[Diagnostic]:
    """Lint a file's bytes as the file ``filename`` would be: Markdown, plain text, HTML or Word
    (``.docx``), by its name. ``encoding`` is as ``--encoding`` (None: UTF-8, or UTF-16/32
    with a byte-order mark; ``"auto"``: detect); ``options`` are :func:`lint_text`'s.

    Raises :class:`kepulint.model.InputError` (one line: ``str(exc)``) for bytes that cannot be
    linted: undecodable, binary, a corrupt or password-protected Word file.
    """
    from .text.decode import draft_text

    text, _ = draft_text(data, encoding=encoding, path=filename)
    return lint_text(text, filename, **options)


def lint_file(path: str | os.PathLike[str], *, encoding: str | None = None, max_bytes: int | None = None,
              **options: Any) -> list[Diagnostic]:
    """Read and lint the file at ``path`` as the CLI does (its name says how to read it);
    diagnostics carry ``str(path)``. Raises :class:`kepulint.model.InputError` as
    :func:`lint_bytes` does, and for a file that is missing, unreadable or too large."""
    from .text.decode import MAX_FILE_SIZE, read_file

    text, _ = read_file(Path(path), encoding=encoding, max_bytes=max_bytes or MAX_FILE_SIZE)
    return lint_text(text, os.fspath(path), **options)
