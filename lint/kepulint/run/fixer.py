"""``kepulint check --fix / --unsafe-fixes / --diff``: apply the diagnostics' fixes to files.

A pass applies every applicable fix whose edits overlap no fix applied before it in the pass
(in position order), then the text is linted again: fixes that overlapped get their turn in
the next pass (at most :data:`MAX_PASSES`), and the final lint is what the report shows. A
file is written only when its text changed, atomically, in the encoding it was read in with
its byte-order mark; inserted line breaks already use its line ending (fixes.py). A file
whose bytes its own encoding cannot reproduce is left alone, with one line saying why.
"""

from __future__ import annotations

import codecs
import difflib
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..api import Settings, lint_source
from ..model import Diagnostic, Edit, FileError, FileResult, Fix, InputError
from ..text.source import LineIndex
from .config import Config
from .job import Job
from .options import RunOptions

MAX_PASSES = 4
_DECODED_AS = re.compile(r"decoded as (\S+)")


def allowed(unsafe: bool) -> frozenset[str]:
    """The applicabilities a run applies: safe, and unsafe with ``--unsafe-fixes``."""
    return frozenset({"safe", "unsafe"} if unsafe else {"safe"})


def chosen_fix(d: Diagnostic, applicabilities: frozenset[str]) -> Fix | None:
    """The first fix of ``d`` this run may apply."""
    return next((f for f in d.fixes if f.applicability in applicabilities and f.edits), None)


def _offsets(lines: LineIndex, e: Edit) -> tuple[int, int]:
    return lines.starts[e.line - 1] + e.column - 1, lines.starts[e.end_line - 1] + e.end_column - 1


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Spans that touch the same text, or two insertions at one place."""
    return max(a[0], b[0]) < min(a[1], b[1]) or a[0] == b[0] or (a[0] == a[1] and b[0] < a[0] < b[1]) \
        or (b[0] == b[1] and a[0] < b[0] < a[1])


def apply_once(text: str, diagnostics: Iterable[Diagnostic], applicabilities: frozenset[str]) -> tuple[str, int, int]:
    """One pass: ``(new text, fixes applied, fixes skipped because they overlap one applied)``."""
    lines = LineIndex(text)
    planned: list[tuple[tuple[int, int], str]] = []
    applied = skipped = 0
    fixes = [f for f in (chosen_fix(d, applicabilities) for d in diagnostics) if f is not None]
    for fix in sorted(set(fixes), key=lambda f: [_offsets(lines, e) for e in f.edits]):
        spans = [(_offsets(lines, e), e.replacement) for e in fix.edits]
        if any(_overlaps(span, other) for span, _ in spans for other, _ in planned):
            skipped += 1
            continue
        planned += spans
        applied += 1
    for (start, end), replacement in sorted(planned, key=lambda p: p[0], reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, applied, skipped


@dataclass
class Outcome:
    """What fixing one text did."""

    text: str
    result: FileResult  # the lint of ``text``
    applied: int = 0
    skipped: int = 0  # still overlapping after the last pass


def fix_text(text: str, lint: Callable[[str], FileResult], applicabilities: frozenset[str],
             first: FileResult | None = None) -> Outcome:
    """Fix ``text`` in passes until nothing applicable is left (``first``: its lint, if known)."""
    result = first if first is not None else lint(text)
    outcome = Outcome(text, result)
    for _ in range(MAX_PASSES):
        new, applied, skipped = apply_once(outcome.text, outcome.result.diagnostics, applicabilities)
        outcome.skipped = skipped
        if not applied or new == outcome.text:
            break
        outcome.text, outcome.applied = new, outcome.applied + applied
        outcome.result = lint(new)
    return outcome


class FixError(Exception):
    """A file that cannot be fixed (its bytes cannot be reproduced): one line, the file left alone."""


def codec_for(data: bytes, notice: str, encoding: str | None) -> tuple[bytes, str]:
    """``(byte-order mark, codec)`` to write a file back as it was read."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                       (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return bom, codec
    found = _DECODED_AS.search(notice)
    if found:
        return b"", found.group(1)
    if encoding and encoding.strip().lower() != "auto":
        return b"", encoding.strip()
    return b"", "utf-8"


def encode(text: str, bom: bytes, codec: str) -> bytes:
    return bom + text.encode(codec)


@dataclass
class FileFix:
    """A file's original and fixed text, and how to write it back."""

    path: Path
    display: str
    before: str
    outcome: Outcome
    bom: bytes
    codec: str

    @property
    def changed(self) -> bool:
        return self.outcome.text != self.before

    def diff(self) -> str:
        """A unified diff of the change (``--diff``)."""
        lines = difflib.unified_diff(self.before.splitlines(keepends=True), self.outcome.text.splitlines(keepends=True),
                                     fromfile=f"a/{self.display}", tofile=f"b/{self.display}")
        return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
                       for line in lines)

    def write(self) -> None:
        from ..fsutil import write_atomic

        write_atomic(self.path, encode(self.outcome.text, self.bom, self.codec))


def fix_file(path: Path, display: str, lint: Callable[[str], FileResult], applicabilities: frozenset[str], *,
             encoding: str | None, max_bytes: int, first: FileResult | None = None) -> FileFix:
    """Read ``path``, fix it in memory (nothing is written here); :class:`FixError` if it cannot be."""
    from ..text.decode import decode

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FixError(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise FixError("file is over the size limit")
    try:
        before, notice = decode(data, encoding=encoding, path=display)
    except InputError as exc:
        raise FixError(str(exc)) from None
    bom, codec = codec_for(data, notice, encoding)
    try:
        same = encode(before, bom, codec) == data
    except (UnicodeError, LookupError):
        same = False
    if not same:
        raise FixError(f"not fixed: its bytes do not read back identically as {codec}")
    outcome = fix_text(before, lint, applicabilities, first)
    try:
        encode(outcome.text, bom, codec)
    except UnicodeError:
        raise FixError(f"not fixed: a fix inserts text that {codec} cannot encode") from None
    return FileFix(path, display, before, outcome, bom, codec)


def run_fixes(results: list[FileResult], jobs: Sequence[Job], settings: Settings, config: Config,
              options: RunOptions) -> tuple[list[FileResult], bool]:
    """Fix (``--fix``) or show (``--diff``) every file with an applicable fix; return the results
    as they stand after fixing, and whether anything changed (or would)."""
    applicabilities = allowed(options.unsafe_fixes)
    by_path = {job.path: job for job in jobs if job.source is not None}
    out: list[FileResult] = []
    fixed = files_changed = remaining = 0
    diffs: list[str] = []
    for result in results:
        job = by_path.get(result.path)
        if job is None or result.error is not None or not any(
                chosen_fix(d, applicabilities) for d in result.diagnostics):
            out.append(result)
            continue

        def lint(text: str, job: Job = job) -> FileResult:
            return lint_source(text, job.path, settings, select=job.codes)

        try:
            change = fix_file(Path(job.source), job.path, lint, applicabilities, encoding=config.encoding,
                              max_bytes=config.max_file_size, first=result)
        except FixError as exc:
            print(f"{result.path}: error: {exc}", file=sys.stderr)
            out.append(result)
            continue
        remaining += change.outcome.skipped
        if not change.changed:
            out.append(result)
            continue
        fixed += change.outcome.applied
        files_changed += 1
        if options.diff:
            diffs.append(change.diff())
            out.append(result)
            continue
        try:
            change.write()
        except OSError as exc:
            out.append(FileResult(path=result.path, error=FileError(result.path, f"cannot write the fix: {exc}")))
            continue
        fixed_result = change.outcome.result
        fixed_result.notice = result.notice
        out.append(fixed_result)
    _summary(options.diff, diffs, fixed, files_changed, remaining)
    return out, files_changed > 0


def _summary(diff: bool, diffs: list[str], fixed: int, files_changed: int, remaining: int) -> None:
    if diff:
        sys.stdout.write("".join(diffs))
        sys.stdout.flush()
        verb = "Would fix"
    else:
        verb = "Fixed"
    tail = f"; {remaining} overlapping fix(es) skipped" if remaining else ""
    print(f"kepulint: {verb} {fixed} problem(s) in {files_changed} file(s){tail}.", file=sys.stderr)
