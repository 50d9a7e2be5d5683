"""``kepulint check`` end to end: settings → files → results → report → exit code.

Everything the command line asked for arrives as one frozen :class:`~kepulint.run.options.RunOptions`;
:func:`run_check` returns a :class:`CheckRun` (the exit code and what linting took)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..api import Settings, lint_source, ruleset_for
from ..model import ExitCode, FileError, FileResult, InputError, Severity
from ..rules.ruleset import RuleError, RuleSet
from .config import Config
from .job import Job
from .options import RunOptions, RunStats

WRITE_PARTS = 4096  # report parts joined per write to stdout


@dataclass(frozen=True)
class CheckRun:
    """What one ``kepulint check`` came to: its exit code and what linting the files took."""

    exit_code: ExitCode
    stats: RunStats


def load_settings(options: RunOptions) -> tuple[Config, RuleSet]:
    """The effective configuration (file + command line) and the rule set it selects."""
    from .config import ConfigError, load_config

    builtin = ruleset_for(())
    try:
        config = load_config(Path.cwd(), explicit=options.config_file, no_config=options.no_config,
                             known_codes=builtin.codes)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    rule_paths = tuple(str(p) for p in (*config.rule_paths, *options.rule_paths))
    ruleset = ruleset_for(rule_paths) if rule_paths else builtin
    for notice in ruleset.notices:  # deprecated spellings in rule packs, upgraded at load
        print(f"kepulint: warning: {notice}", file=sys.stderr)
    overrides = {
        "select": _codes(options.select),
        "ignore": _codes(options.ignore),
        "extend_select": _codes(options.extend_select),
        "fail_on": options.fail_on,
        "profile": options.profile,
        "encoding": options.encoding,
        "max_file_size": _size(options.max_file_size),
        "jobs": options.jobs,
        "cache_dir": options.cache_dir,
        "baseline": options.baseline,
        "rule_paths": tuple(Path(p) for p in rule_paths) if options.rule_paths else None,
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


def run_check(paths: list[str], options: RunOptions) -> CheckRun:
    """Lint ``paths`` as ``options`` say; write the report; the exit code and the run's figures."""
    from ..text.decode import read_stdin
    from .discover import discover, relative_display

    config, ruleset = load_settings(options)
    settings = Settings(
        severity=tuple(sorted(config.severity_overrides(ruleset.codes).items())),
        profile=config.profile,
        today=_today(options.today),
        rule_paths=tuple(str(p) for p in config.rule_paths),
    )
    on_disk = [p for p in paths if p != "-"]
    unsniffed: set[Path] = set()  # walked files: checked for binary content when read
    found, errors = discover(on_disk, include=config.include, exclude=config.exclude, root=config.root,
                             deferred=unsniffed) if on_disk else ([], [])
    jobs: list[Job] = []
    results: list[FileResult] = [FileResult(path=e.path, error=e) for e in errors]
    if "-" in paths:
        name = options.stdin_filename or "<stdin>"
        try:
            if sys.stdin is None:  # started with stdin closed (<&-)
                raise InputError("standard input is closed")
            text, notice = read_stdin(sys.stdin.buffer, encoding=config.encoding, max_bytes=config.max_file_size)
        except InputError as exc:
            results.append(FileResult(path=name, error=exc.to_file_error(name)))
        else:
            codes = tuple(config.selected_codes(ruleset.codes, name))
            result = lint_source(text, name, settings, select=codes)
            result.notice = notice
            results.append(result)
    codes_for = _codes_for(config, ruleset.codes)
    for path in found:
        display = relative_display(path)
        jobs.append(Job(display, path, codes_for(display), path in unsniffed))
    from .parallel import lint_jobs

    linted = lint_jobs(jobs, settings, config, options)
    results.extend(linted.results)
    results.sort(key=lambda r: r.path)
    if not results:  # as Ruff: nothing found is said, never a silent "All checks passed."
        print(f"kepulint: warning: no drafts linted: no file matching {', '.join(config.include)} "
              "under the given path(s)", file=sys.stderr)
    if options.fix or options.diff:
        from .fixer import run_fixes

        results, changed = run_fixes(results, jobs, settings, config, options)
        if options.diff:  # as Ruff: the diff instead of the report; 1 when it would change anything
            code = ExitCode.USAGE if _unreadable(results) else ExitCode(int(changed))
            return CheckRun(code, linted.stats)
    return CheckRun(_report(results, ruleset, config, settings, options), linted.stats)


def _codes_for(config: Config, codes: list[str]) -> Callable[[str], tuple[str, ...]]:
    """``config.selected_codes`` of a display path; the same for every file (so computed once)
    unless per-file-ignores apply."""
    if config.per_file_ignores:
        return lambda display: tuple(config.selected_codes(codes, display))
    same = tuple(config.selected_codes(codes, None))
    return lambda display: same


def _report(results: list[FileResult], ruleset: RuleSet, config: Config, settings: Settings,
            options: RunOptions) -> ExitCode:
    from ..report import ReportOptions, RuleTable, render

    baseline_info = None
    if options.write_baseline:
        from .baseline import write_baseline

        count = write_baseline(Path(options.write_baseline), results)
        print(f"kepulint: wrote {count} finding(s) to baseline {options.write_baseline}", file=sys.stderr)
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
    fmt = options.fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    name = "statistics" if options.statistics else fmt
    sources: dict[str, str] = {}
    if name == "html":
        from ..report.html import read_sources

        stdin_name = options.stdin_filename or "<stdin>"
        sources = read_sources([r for r in results if r.path != stdin_name], config.encoding)
    report_options = ReportOptions(version=_version(), profile=config.profile, color=_color(options),
                                   fail_on=config.fail_on, baseline=baseline_info, sources=sources)
    from ..report.helpstore import HelpStore

    table = RuleTable(enabled, HelpStore.for_rules(ruleset.digest))
    output = render(name, results, table, report_options)
    table.save()
    _write(output, options.output_file, json_text=name in ("json", "sarif"))
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


def _color(options: RunOptions) -> bool:
    if options.color is not None:
        return options.color
    if os.environ.get("NO_COLOR"):
        return False
    return bool(not options.output_file and sys.stdout is not None and sys.stdout.isatty())


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


__all__ = ["CheckRun", "FileError", "Job", "OutputClosed", "UsageError", "exit_code", "load_settings", "run_check"]
