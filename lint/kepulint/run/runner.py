"""``kepulint check`` end to end: settings → files → results → report → exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..api import Settings, lint_source, ruleset_for
from ..model import ExitCode, FileError, FileResult, Severity
from ..rules.ruleset import RuleError, RuleSet

WRITE_PARTS = 4096  # report parts joined per write to stdout


@dataclass
class Job:
    """One file to lint: where to read it, how to show it, which codes apply."""

    path: str  # display path (relative, posix) or the stdin filename
    source: Path | None  # None: stdin
    codes: tuple[str, ...]
    sniff: bool = False  # found by walking a folder: a binary file is skipped, not an error


def load_settings(opts: dict[str, Any]) -> tuple[Any, RuleSet]:
    """The effective configuration (file + command line) and the rule set it selects."""
    from .config import ConfigError, load_config

    builtin = ruleset_for(())
    try:
        config = load_config(Path.cwd(), explicit=opts.get("config_file"), no_config=bool(opts.get("no_config")),
                             known_codes=builtin.codes)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    rule_paths = tuple(str(p) for p in (*config.rule_paths, *(opts.get("rule_paths") or ())))
    ruleset = ruleset_for(rule_paths) if rule_paths else builtin
    for notice in ruleset.notices:  # deprecated spellings in rule packs, upgraded at load
        print(f"kepulint: warning: {notice}", file=sys.stderr)
    overrides = {
        "select": _codes(opts.get("select")),
        "ignore": _codes(opts.get("ignore")),
        "extend_select": _codes(opts.get("extend_select")),
        "fail_on": opts.get("fail_on"),
        "profile": opts.get("profile"),
        "encoding": opts.get("encoding"),
        "max_file_size": _size(opts.get("max_file_size")),
        "jobs": opts.get("jobs"),
        "cache_dir": opts.get("cache_dir"),
        "baseline": opts.get("baseline"),
        "rule_paths": tuple(Path(p) for p in rule_paths) if opts.get("rule_paths") else None,
    }
    try:
        config = config.with_overrides(**overrides)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    return config, ruleset


class UsageError(Exception):
    """A problem with the invocation or configuration: one line, exit 2."""


class OutputClosed(Exception):
    """The pipe standard output writes to was closed by its reader: stop quietly (exit 141)."""


def _codes(values: Sequence[str] | None) -> tuple[str, ...] | None:
    if not values:
        return None
    return tuple(c.strip().upper() for v in values for c in v.replace("，", ",").split(",") if c.strip())


def _size(value: str | None) -> int | None:
    if value is None:
        return None
    from .config import ConfigError, parse_size

    try:
        return parse_size(value)
    except (ConfigError, ValueError) as exc:
        raise UsageError(f"--max-file-size: {exc}") from None


def _today(value: str | None) -> str:
    if not value:
        return date.today().isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"--today: '{value}' is not a date in YYYY-MM-DD form") from None


def run_check(paths: list[str], opts: dict[str, Any]) -> ExitCode:
    """Lint ``paths`` with the command-line ``opts``; write the report; return the exit code."""
    from . import files

    config, ruleset = load_settings(opts)
    settings = Settings(
        severity=tuple(sorted(config.severity_overrides(ruleset.codes).items())),
        profile=config.profile,
        today=_today(opts.get("today")),
        rule_paths=tuple(str(p) for p in config.rule_paths),
    )
    on_disk = [p for p in paths if p != "-"]
    unsniffed: set[Path] = set()  # walked files: checked for binary content when read
    found, errors = files.discover(on_disk, include=config.include, exclude=config.exclude, root=config.root,
                                   deferred=unsniffed) if on_disk else ([], [])
    jobs: list[Job] = []
    results: list[FileResult] = [FileResult(path=e.path, error=e) for e in errors]
    if "-" in paths:
        name = opts.get("stdin_filename") or "<stdin>"
        try:
            if sys.stdin is None:  # started with stdin closed (<&-)
                raise files.InputError("standard input is closed")
            text, notice = files.read_stdin(sys.stdin.buffer, encoding=config.encoding,
                                            max_bytes=config.max_file_size)
        except files.InputError as exc:
            results.append(FileResult(path=name, error=exc.to_file_error(name)))
        else:
            codes = tuple(config.selected_codes(ruleset.codes, name))
            result = lint_source(text, name, settings, select=codes)
            result.notice = notice
            results.append(result)
    codes_for = _codes_for(config, ruleset.codes)
    for path in found:
        display = files.relative_display(path)
        jobs.append(Job(display, path, codes_for(display), path in unsniffed))
    from .parallel import lint_jobs

    results.extend(lint_jobs(jobs, settings, config, opts))
    results.sort(key=lambda r: r.path)
    if not results:  # as Ruff: nothing found is said, never a silent "All checks passed."
        print(f"kepulint: warning: no drafts linted: no file matching {', '.join(config.include)} "
              "under the given path(s)", file=sys.stderr)
    if opts.get("fix") or opts.get("diff"):
        from .fixer import run_fixes

        results, changed = run_fixes(results, jobs, settings, config, opts)
        if opts.get("diff"):  # as Ruff: the diff instead of the report; 1 when it would change anything
            return ExitCode.USAGE if _unreadable(results) else ExitCode(int(changed))
    return _report(results, ruleset, config, settings, opts)


def _codes_for(config: Any, codes: list[str]) -> Callable[[str], tuple[str, ...]]:
    """``config.selected_codes`` of a display path; the same for every file (so computed once)
    unless per-file-ignores apply."""
    if config.per_file_ignores:
        return lambda display: tuple(config.selected_codes(codes, display))
    same = tuple(config.selected_codes(codes, None))
    return lambda display: same


def _report(results: list[FileResult], ruleset: RuleSet, config: Any, settings: Settings,
            opts: dict[str, Any]) -> ExitCode:
    from ..report import get

    baseline_info = None
    if opts.get("write_baseline"):
        from .baseline import write_baseline

        count = write_baseline(Path(opts["write_baseline"]), results)
        print(f"kepulint: wrote {count} finding(s) to baseline {opts['write_baseline']}", file=sys.stderr)
        return ExitCode.USAGE if _unreadable(results) else ExitCode.CLEAN
    if config.baseline:
        from .baseline import Baseline, BaselineError

        try:
            baseline = Baseline.load(Path(config.baseline))
        except BaselineError as exc:
            raise UsageError(str(exc)) from None
        results, matched, stale = baseline.filter(results)
        baseline_info = {"path": str(config.baseline), "matched": matched, "stale": stale}
        if stale:
            print(f"kepulint: {stale} baseline entr{'y' if stale == 1 else 'ies'} no longer match; "
                  f"run --write-baseline again to prune", file=sys.stderr)
    enabled = [r for r in ruleset if r.code in set(config.selected_codes(ruleset.codes, None))]
    fmt = opts.get("fmt") or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    output: str | list[bytes]
    if opts.get("statistics"):
        from ..report import statistics

        output = statistics.render(results, enabled, version=_version(), profile=config.profile)
    elif fmt == "text":
        from ..report import text

        output = text.render(results, enabled, version=_version(), profile=config.profile,
                             color=_color(opts))
    elif fmt == "concise":
        from ..report import concise

        output = concise.render(results, enabled, version=_version(), profile=config.profile)
    elif fmt == "json":
        output = _json_report(results, enabled, config.profile, baseline_info, opts.get("output_file"))
    elif fmt == "html":
        from ..report import html

        stdin_name = opts.get("stdin_filename") or "<stdin>"
        sources = html.read_sources([r for r in results if r.path != stdin_name], config.encoding)
        output = html.render(results, enabled, version=_version(), profile=config.profile,
                             fail_on=config.fail_on, sources=sources)
    else:
        output = get(fmt)(results, enabled, version=_version(), profile=config.profile)
    _write(output, opts.get("output_file"), json_text=fmt in ("json", "sarif") and not opts.get("statistics"))
    return exit_code(results, config.fail_on)


def exit_code(results: Sequence[FileResult], fail_on: str) -> ExitCode:
    """2 if a file could not be read; 1 if a finding is at or above ``fail_on``; else 0."""
    if _unreadable(results):
        return ExitCode.USAGE
    if fail_on == "never":
        return ExitCode.CLEAN
    threshold = Severity.parse(fail_on)
    if any(d.severity >= threshold for r in results for d in r.diagnostics):
        return ExitCode.FINDINGS
    return ExitCode.CLEAN


def _unreadable(results: Sequence[FileResult]) -> bool:
    return any(r.error is not None and r.error.kind == "error" for r in results)


def _color(opts: dict[str, Any]) -> bool:
    if opts.get("color") is not None:
        return bool(opts["color"])
    if os.environ.get("NO_COLOR"):
        return False
    return bool(not opts.get("output_file") and sys.stdout is not None and sys.stdout.isatty())


def _json_report(results: list[FileResult], enabled: list[Any], profile: str, baseline: dict[str, Any] | None,
                 target: Path | None) -> str | list[bytes]:
    """The JSON report, as UTF-8 parts when that is what ``target`` (or stdout) gets anyway:
    23 MB of text for N=1000, so skipping the str and its encoding pays."""
    from ..report import json_report

    options: dict[str, Any] = {"version": _version(), "profile": profile, "baseline": baseline}
    if target or _stdout_is_utf8():
        try:
            return json_report.render_parts(results, enabled, **options)
        except UnicodeEncodeError:  # a lone surrogate: let the text path report it as before
            pass
    return json_report.render(results, enabled, **options)


def _stdout_is_utf8() -> bool:
    """True when text written to stdout reaches it as UTF-8 with no newline translation."""
    import codecs

    if not _plain_stdout():
        return False
    try:
        return codecs.lookup(sys.stdout.encoding).name == "utf-8"
    except (LookupError, TypeError, AttributeError):
        return False


def _write(output: str | list[bytes], target: Path | None, *, json_text: bool = False) -> None:
    """Write the report (text, or UTF-8 parts) to ``target`` (atomically) or stdout.

    A file name that is not valid UTF-8 reaches here as lone surrogates: JSON and SARIF write
    them as ``\\udcXX`` escapes, so the report stays valid JSON and reads back to the same name;
    other formats write a file's original bytes, as a terminal shows them.
    """
    errors = "backslashreplace" if json_text else "surrogateescape"
    if target:
        from ..fsutil import write_atomic, write_through

        data = output.encode("utf-8", errors) if isinstance(output, str) else b"".join(output)
        try:
            if not write_through(Path(target), data):  # a device or pipe (-o /dev/stdout) is written, not replaced
                write_atomic(Path(target), data)
        except OSError as exc:
            raise UsageError(f"{target}: cannot write the report: {exc.strerror or exc}") from None
        return
    if sys.stdout is None or getattr(sys.stdout, "closed", False):
        raise UsageError("cannot write the report: standard output is closed")
    try:
        _write_stdout(output, errors, json_text)
    except BrokenPipeError:  # the reader went away (``| head``): not click's EPIPE handling (exit 1)
        raise OutputClosed from None
    except OSError as exc:  # a full disk (ENOSPC), an I/O error
        raise UsageError(f"cannot write the report to standard output: {exc.strerror or exc}") from None


def _write_stdout(output: str | list[bytes], errors: str, json_text: bool) -> None:
    stream = sys.stdout
    if isinstance(output, str):
        if not _plain_stdout():  # a replaced stdout, or one that translates newlines: as text
            stream.write(output)
            stream.flush()
            return
        output = [output.encode(stream.encoding, errors if json_text else stream.errors or "strict")]
    stream.flush()
    for start in range(0, len(output), WRITE_PARTS):  # a few MB at a time, not one 23 MB copy
        _write_all(stream.buffer, b"".join(output[start:start + WRITE_PARTS]))
    _flush(stream.buffer)


def _plain_stdout() -> bool:
    """True when stdout is the process's own, with a byte buffer, and no newline translation."""
    stream = sys.stdout
    return stream is sys.__stdout__ and os.linesep == "\n" and hasattr(stream, "buffer")


def _write_all(stream: Any, data: bytes) -> None:
    """Write all of ``data``. A non-blocking stdout (some CI runners hand one down) takes it in
    pieces or not at all for a while; without a buffer (``python -u``) a short write is silent."""
    view = memoryview(data)
    while view:
        try:
            written = stream.write(view)
        except BlockingIOError as exc:
            written = exc.characters_written
        if not written:
            _wait_writable(stream)
            continue
        view = view[written:]


def _flush(stream: Any) -> None:
    while True:
        try:
            stream.flush()
            return
        except BlockingIOError:
            _wait_writable(stream)


def _wait_writable(stream: Any) -> None:
    """Until the pipe behind ``stream`` can take more (at most a second at a time)."""
    try:
        import select

        select.select([], [stream.fileno()], [], 1.0)
    except (OSError, ValueError, AttributeError):  # no select for this stream (Windows): poll
        import time

        time.sleep(0.01)


def _version() -> str:
    from .. import __version__

    return __version__


def user_error_message(exc: BaseException) -> str:
    """One line for an expected failure (rule pack, config, usage); else the internal error."""
    if isinstance(exc, (UsageError, RuleError)):
        return str(exc)
    name = type(exc).__name__
    if name in {"ConfigError", "BaselineError", "InputError"}:
        return str(exc)
    return f"internal error: {name}: {exc} (run with --debug for the traceback and report it)"


__all__ = ["FileError", "Job", "OutputClosed", "UsageError", "exit_code", "load_settings", "run_check"]
