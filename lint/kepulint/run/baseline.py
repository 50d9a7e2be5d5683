"""Baselines: record today's findings in an archive so that only new ones are reported.

A baseline is a JSON file keyed by file path and diagnostic fingerprint. Fingerprints
are content based (code, normalised match and its sentence), not line based, so adding
or moving paragraphs keeps old findings baselined while a new claim is reported::

    {"version": 1, "tool": "kepulint", "generated": "2025-06-10",
     "entries": {"docs/a.md": {"<fingerprint>": {"count": 1, "code": "CLM002", "match": "根治"}}}}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..fsutil import read_regular, write_atomic
from ..model import Diagnostic, FileResult, Suppression

BASELINE_VERSION = 1
TOOL = "kepulint"


class BaselineError(Exception):
    """A baseline file that cannot be read, parsed or written (one line: path and reason)."""


def _norm_path(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def _key(diag: Diagnostic) -> str:
    """The baseline key of a diagnostic: its fingerprint (or code and match if it has none)."""
    return diag.fingerprint or f"{diag.code}:{diag.match}"


def _active(results: Iterable[FileResult]) -> Iterable[Diagnostic]:
    for result in results:
        if result.error is None:
            yield from result.diagnostics


def write_baseline(path: Path, results: Sequence[FileResult]) -> int:
    """Record every active diagnostic in ``results`` at ``path``; return how many."""
    entries: dict[str, dict[str, dict[str, Any]]] = {}
    count = 0
    for diag in _active(results):
        slot = entries.setdefault(_norm_path(diag.path), {})
        entry = slot.setdefault(_key(diag), {"count": 0, "code": diag.code, "match": diag.match})
        entry["count"] += 1
        count += 1
    data = {
        "version": BASELINE_VERSION,
        "tool": TOOL,
        "generated": datetime.now(UTC).date().isoformat(),
        "entries": entries,
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    _write_atomic(Path(path), text)
    return count


def _write_atomic(path: Path, text: str) -> None:
    """:func:`kepulint.fsutil.write_atomic`, with write errors as one-line BaselineErrors."""
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None


@dataclass
class Baseline:
    """Recorded counts per file path and fingerprint."""

    entries: dict[str, dict[str, int]]
    source: str = ""  # the baseline file, named in suppression justifications

    @property
    def total(self) -> int:
        """How many findings the baseline records."""
        return sum(sum(counts.values()) for counts in self.entries.values())

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """Read and validate a baseline file; raise :class:`BaselineError` on any problem."""
        path = Path(path)
        try:
            raw = read_regular(path).decode("utf-8")
        except FileNotFoundError:
            raise BaselineError(f"{path}: baseline file not found") from None
        except UnicodeDecodeError:
            raise BaselineError(f"{path}: invalid baseline: not UTF-8 text") from None
        except OSError as exc:
            raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            where = f"{path}:{exc.lineno}:{exc.colno}"
            raise BaselineError(f"{where}: invalid baseline JSON: {exc.msg}") from None
        except RecursionError:  # arrays or objects nested hundreds deep
            raise BaselineError(f"{path}: invalid baseline JSON: nested too deeply") from None
        try:
            entries = _parse(data)
        except ValueError as exc:
            raise BaselineError(f"{path}: invalid baseline: {exc}") from None
        return cls(entries, source=str(path))

    def filter(self, results: Sequence[FileResult]) -> tuple[list[FileResult], int, int]:
        """Move baselined diagnostics into ``suppressed``.

        Returns the new results, how many diagnostics matched the baseline, and the
        stale count: recorded findings of the linted files that were not seen again.
        Files not linted in this run are not counted as stale.
        """
        remaining: dict[str, dict[str, int]] = {}
        seen: set[str] = set()
        sup = Suppression(kind="baseline", justification=f"in baseline {self.source}".rstrip())
        matched = 0
        out: list[FileResult] = []
        for result in results:
            if result.error is not None:
                out.append(result)
                continue
            seen.add(_norm_path(result.path))
            keep: list[Diagnostic] = []
            moved: list[Diagnostic] = []
            for diag in result.diagnostics:
                path = _norm_path(diag.path)
                seen.add(path)
                counts = remaining.get(path)
                if counts is None:
                    counts = remaining[path] = dict(self.entries.get(path, {}))
                key = _key(diag)
                if counts.get(key, 0) > 0:
                    counts[key] -= 1
                    matched += 1
                    moved.append(replace(diag, suppression=sup))
                else:
                    keep.append(diag)
            if moved:
                suppressed = sorted([*result.suppressed, *moved], key=lambda d: d.sort_key)
                result = replace(result, diagnostics=keep, suppressed=suppressed)
            out.append(result)
        stale = sum(sum(remaining.get(p, self.entries.get(p, {})).values()) for p in seen)
        return out, matched, stale


def _parse(data: Any) -> dict[str, dict[str, int]]:
    """Validate the JSON structure and return ``{path: {fingerprint: count}}``."""
    if not isinstance(data, dict):
        raise ValueError("top level must be an object")
    if data.get("tool", TOOL) != TOOL:
        raise ValueError(f"written by {data.get('tool')!r}, not {TOOL}")
    version = data.get("version")
    if version != BASELINE_VERSION:
        raise ValueError(f"unsupported version {version!r} (expected {BASELINE_VERSION})")
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, dict):
        raise ValueError("'entries' must be an object")
    entries: dict[str, dict[str, int]] = {}
    for file_path, items in raw_entries.items():
        if not isinstance(items, dict):
            raise ValueError(f"entries[{file_path!r}] must be an object")
        counts: dict[str, int] = {}
        for fingerprint, item in items.items():
            count = item.get("count") if isinstance(item, dict) else None
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise ValueError(f"entries[{file_path!r}][{fingerprint!r}].count must be a positive integer")
            counts[fingerprint] = count
        entries[_norm_path(file_path)] = counts
    return entries
