"""Lint many files: in-process for one job, a process pool for more; output order is fixed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .api import Settings, lint_source
from .model import FileError, FileResult


def lint_one(job: Any, settings: Settings, encoding: str | None, max_bytes: int) -> FileResult:
    """Read and lint one file; every expected failure becomes a FileResult with an error."""
    from .files import InputError, read_file

    try:
        text, notice = read_file(job.source, encoding=encoding, max_bytes=max_bytes)
    except InputError as exc:
        return FileResult(path=job.path, error=exc.to_file_error(job.path))
    result = lint_source(text, job.path, settings, select=job.codes)
    result.notice = notice
    return result


def lint_jobs(jobs: Sequence[Any], settings: Settings, config: Any, opts: dict[str, Any]) -> list[FileResult]:
    """Results for ``jobs`` in the same order."""
    workers = config.jobs or 1
    if workers <= 1 or len(jobs) <= 1:
        return [lint_one(j, settings, config.encoding, config.max_file_size) for j in jobs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(lint_one, j, settings, config.encoding, config.max_file_size) for j in jobs]
        out = []
        for job, fut in zip(jobs, futures, strict=True):
            try:
                out.append(fut.result())
            except Exception as exc:  # a crashed worker is an internal error for that file
                out.append(FileResult(path=job.path, error=FileError(job.path, f"internal error: {exc}")))
        return out
