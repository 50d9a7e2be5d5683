"""Lint many files: cache first, then in-process for one job, a process pool for more.

:func:`lint_jobs` returns one :class:`~kepulint.model.FileResult` per job, in the order of
the jobs, whatever order the workers finish in. Files whose cached result is still valid
are not read (see :mod:`kepulint.run.cache`); the rest are linted

* in this process when ``--jobs 1`` or when the work is too small for a pool to pay
  (fewer than :data:`MIN_POOL_FILES` files or :data:`MIN_POOL_BYTES` bytes), else
* in a :class:`~concurrent.futures.ProcessPoolExecutor` (``fork`` on Linux, so workers
  inherit the loaded rules and compiled automaton; correct under ``spawn`` too), with the
  files cut into batches that shrink as the work runs out (few round trips, a short tail).

An exception while linting a file becomes an ``internal error`` result for that file; so
does a worker process that dies (segfault, ``os._exit``, OOM kill): the files of the
batches it broke are re-run one at a time in a fresh single-worker pool, so only the
culprit gets the error. Workers ignore SIGINT and take SIGTERM's default; on Ctrl-C or
SIGTERM the parent stops them and re-raises (the CLI exits 130 or 143). On Linux a worker also
dies with its parent (``PR_SET_PDEATHSIG``), so no orphan keeps the caller's stdout open.

Each file is read once: the cache's content digest is taken from the bytes that are linted.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..api import Settings, lint_source
from ..model import FileError, FileResult

MIN_POOL_FILES = 4
MIN_POOL_BYTES = 48 * 1024  # below this, forking workers costs more than it saves
MIN_POOL_BYTES_SPAWN = 1024 * 1024  # spawned workers import and load rules first
BATCHES_PER_WORKER = 4
MIN_BATCH_BYTES = 32 * 1024
MAX_BATCH_FILES = 64
START_METHOD: str | None = None  # None: fork on Linux, else the platform default (tests set "spawn")

#: What the last :func:`lint_jobs` call did (for tests, ``KEPULINT_STATS`` and the benchmark).
last_stats: dict[str, Any] = {}


# -- linting one file (in this process or in a worker) ------------------------------------------


def _debug() -> bool:
    return os.environ.get("KEPULINT_DEBUG", "") not in ("", "0", "false")


def internal_error(path: str, what: str) -> FileResult:
    return FileResult(path=path, error=FileError(path, f"internal error: {what}", "error"))


def lint_one(job: Any, settings: Settings, encoding: str | None, max_bytes: int,
             on_read: Callable[[bytes, os.stat_result], None] | None = None) -> FileResult:
    """Read and lint one file; every failure becomes a FileResult with an error.

    The file is read once (a pipe or device too, never past ``max_bytes`` + 1 bytes);
    ``on_read`` sees those very bytes before they are decoded (the cache hashes them).
    A binary file is an error when named, a counted skip when met in a folder (``job.sniff``).
    """
    from .files import STDIN, InputError, draft_text, read_bytes, read_file, walked_binary

    try:
        try:
            if str(job.source) == STDIN:
                text, notice = read_file(job.source, encoding=encoding, max_bytes=max_bytes)
            else:
                data, st = read_bytes(job.source, max_bytes=max_bytes)
                if on_read is not None:
                    on_read(data, st)
                text, notice = draft_text(data, encoding=encoding, path=str(job.source))
        except InputError as exc:
            if exc.binary and job.sniff:
                exc = walked_binary(exc)
            return FileResult(path=job.path, error=exc.to_file_error(job.path))
        result = lint_source(text, job.path, settings, select=job.codes)
        result.notice = notice
        return result
    except Exception as exc:  # a bug must not take the other files down with it
        if _debug():
            import traceback

            traceback.print_exc(file=sys.stderr)
        return internal_error(job.path, f"{type(exc).__name__}: {exc}")


def _lint_entry(job: Any, settings: Settings, encoding: str | None, max_bytes: int,
                cache: Any) -> tuple[FileResult, Any]:
    """``(result, signature)``: lint ``job`` and, with a ``cache``, store the result (in whichever
    process linted it, so workers write their entries in parallel); the file's
    :class:`~kepulint.run.cache.FileSig` when the result was stored, else None. The signature
    is that of the bytes linted (read once), never of a second read."""
    if cache is None or job.source is None:
        return lint_one(job, settings, encoding, max_bytes), None
    from .cache import cacheable, signature_of

    sigs: list[Any] = []
    result = lint_one(job, settings, encoding, max_bytes, lambda data, st: sigs.append(signature_of(data, st)))
    sig = sigs[0] if sigs else None  # None: a pipe or device, or not read at all
    stored = sig is not None and cacheable(result) and cache.store(job, result, sig)
    return result, sig if stored else None


# -- worker side --------------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _worker_init(settings: Settings, encoding: str | None, max_bytes: int, cache: Any) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's SIGTERM handler is not ours: just stop
    _die_with_parent()
    _worker.update(settings=settings, encoding=encoding, max_bytes=max_bytes, cache=cache)


def _die_with_parent() -> None:
    """On Linux, have the kernel end this worker when the parent dies (even by SIGKILL), so no
    orphan keeps the caller's stdout open."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError, ImportError):
        pass


def _lint_batch(batch: list[tuple[int, Any]]) -> list[tuple[int, FileResult, Any]]:
    w = _worker
    return [(i, *_lint_entry(job, w["settings"], w["encoding"], w["max_bytes"], w["cache"]))
            for i, job in batch]


def _ping() -> bool:
    return True


# -- parent side --------------------------------------------------------------------------------


def default_jobs() -> int:
    """Cores this process may use."""
    count = getattr(os, "process_cpu_count", None)
    if count is not None:
        return count() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def resolve_jobs(config: Any, opts: dict[str, Any]) -> int:
    """``--jobs`` beats config ``jobs`` beats the number of cores."""
    for value in (opts.get("jobs"), getattr(config, "jobs", None)):
        if value:
            return max(1, int(value))
    return default_jobs()


def _start_method() -> str | None:
    import multiprocessing as mp

    if START_METHOD:
        return START_METHOD
    if sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods():
        return "fork"
    return None


def _size(job: Any) -> int:
    try:
        return os.stat(job.source).st_size
    except (OSError, TypeError, ValueError):
        return 0


def make_batches(items: list[tuple[int, Any]], sizes: list[int], workers: int) -> list[list[tuple[int, Any]]]:
    """Consecutive runs of files, guided: each batch holds about ``remaining / (workers *
    BATCHES_PER_WORKER)`` bytes (at least :data:`MIN_BATCH_BYTES`, at most :data:`MAX_BATCH_FILES`
    files), so batches start large (few round trips) and shrink towards the end (short tail)."""
    remaining = sum(sizes)
    share = max(workers * BATCHES_PER_WORKER, 1)
    batches: list[list[tuple[int, Any]]] = []
    current: list[tuple[int, Any]] = []
    acc = 0
    target = max(remaining // share, MIN_BATCH_BYTES)
    for item, size in zip(items, sizes, strict=True):
        current.append(item)
        acc += size
        if acc >= target or len(current) >= MAX_BATCH_FILES:
            batches.append(current)
            remaining -= acc
            current, acc = [], 0
            target = max(remaining // share, MIN_BATCH_BYTES)
    if current:
        batches.append(current)
    return batches


def _open_cache(settings: Settings, config: Any, opts: dict[str, Any]) -> Any:
    if opts.get("cache") is False or os.environ.get("KEPULINT_NO_CACHE"):
        return None
    from ..api import ruleset_for
    from .cache import DEFAULT_DIR, CacheRefused, ResultCache

    directory = getattr(config, "cache_dir", None) or opts.get("cache_dir") or Path.cwd() / DEFAULT_DIR
    try:
        ruleset = ruleset_for(settings.rule_paths)
        return ResultCache.for_run(Path(directory), settings, ruleset.digest, encoding=config.encoding,
                                   max_bytes=config.max_file_size)
    except CacheRefused as exc:  # planted or foreign: lint everything, touch nothing
        if "no user cache key" not in str(exc):
            print(f"kepulint: cache not used: {exc}", file=sys.stderr)
        return None
    except Exception:  # no cache is better than no lint
        return None


def lint_jobs(jobs: Sequence[Any], settings: Settings, config: Any, opts: dict[str, Any]) -> list[FileResult]:
    """Results for ``jobs`` in the same order (a walked binary file: a "skipped" result)."""
    workers = resolve_jobs(config, opts)
    cache = _open_cache(settings, config, opts)
    results: list[FileResult | None] = [None] * len(jobs)
    todo: list[tuple[int, Any]] = []
    hits = cache.lookup_all(jobs) if cache is not None else [None] * len(jobs)
    for i, (job, hit) in enumerate(zip(jobs, hits, strict=True)):
        if hit is not None:
            results[i] = hit
        else:
            todo.append((i, job))
    stats: dict[str, Any] = {"files": len(jobs), "linted": len(todo), "processes": 0}
    if todo:
        encoding, max_bytes = config.encoding, config.max_file_size
        if cache is not None and not cache.prepare():  # cannot write: lint without storing
            cache.stats.errors += 1
            writer = None
        else:
            writer = cache
        sizes = [_size(job) for _, job in todo]
        method = _start_method()
        floor = MIN_POOL_BYTES if method == "fork" else MIN_POOL_BYTES_SPAWN
        if workers <= 1 or len(todo) < MIN_POOL_FILES or sum(sizes) < floor:
            stats["processes"] = 1
            done = [(i, *_lint_entry(job, settings, encoding, max_bytes, writer)) for i, job in todo]
        else:
            batches = make_batches(todo, sizes, workers)
            stats["processes"] = min(workers, len(batches))
            written = cache.stats.writes if cache is not None else 0
            done = _run_pool(batches, stats["processes"], method, (settings, encoding, max_bytes, writer))
            if cache is not None:  # stores made by workers (or by this process after a crash)
                cache.stats.writes = written + sum(1 for _, _, sig in done if sig is not None)
        for i, result, sig in done:
            results[i] = result
            if sig is not None and writer is not None:
                writer.remember(jobs[i], result, sig)
    if cache is not None:
        cache.save_pack()
        cache.touch()
        stats.update(hits=cache.stats.hits, misses=cache.stats.misses, writes=cache.stats.writes,
                     cache_errors=cache.stats.errors, cache_dir=str(cache.directory))
    last_stats.clear()
    last_stats.update(stats)
    if os.environ.get("KEPULINT_STATS"):
        print(f"kepulint: stats: {stats}", file=sys.stderr)
    return [r if r is not None else internal_error(j.path, "no result") for r, j in zip(results, jobs, strict=True)]


def _new_pool(workers: int, method: str | None, initargs: tuple[Any, ...]) -> Any:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context(method) if method else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=initargs)


def _stop(pool: Any) -> None:
    """Shut ``pool`` down now: cancel what has not started, kill what runs."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        with contextlib.suppress(Exception):  # already gone
            proc.terminate()
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.join(timeout=2)


def _warm(settings: Settings) -> None:
    """Build the rule set, automaton and vocabularies once, before forking workers."""
    try:
        from ..api import ruleset_for

        ruleset = ruleset_for(settings.rule_paths)
        lint_source("。\n", "warmup.md", settings, select=ruleset.codes)
    except Exception:  # the workers will report whatever is wrong, per file
        pass


def _run_pool(batches: list[list[tuple[int, Any]]], workers: int, method: str | None,
              initargs: tuple[Any, ...]) -> list[tuple[int, FileResult, Any]]:
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    if method == "fork":
        _warm(initargs[0])
    done: list[tuple[int, FileResult, Any]] = []
    broken: list[tuple[int, Any]] = []
    pool = _new_pool(workers, method, initargs)
    try:
        pending = {}
        for n, batch in enumerate(batches):
            try:
                pending[pool.submit(_lint_batch, batch)] = batch
            except BrokenProcessPool:  # a worker died already: the rest goes to _isolate
                broken.extend(item for b in batches[n:] for item in b)
                break
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                batch = pending.pop(fut)
                try:
                    done.extend(fut.result())
                except BrokenProcessPool:
                    broken.extend(batch)
                except Exception as exc:  # e.g. a result that cannot be pickled back
                    done.extend((i, internal_error(job.path, f"{type(exc).__name__}: {exc}"), None)
                                for i, job in batch)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    if broken:
        done.extend(_isolate(broken, method, initargs))
    return done


def _isolate(items: list[tuple[int, Any]], method: str | None,
             initargs: tuple[Any, ...]) -> list[tuple[int, FileResult, Any]]:
    """Re-run the files of broken batches one at a time; a file that kills its worker again
    gets an internal-error result, the others their real one. When a fresh worker cannot even
    answer a ping (it dies starting up), the rest is linted in this process instead."""
    from concurrent.futures.process import BrokenProcessPool

    out: list[tuple[int, FileResult, Any]] = []
    pool = None
    try:
        ordered = sorted(items, key=lambda item: item[0])
        for n, (i, job) in enumerate(ordered):
            if pool is None:
                pool = _new_pool(1, method, initargs)
                try:
                    pool.submit(_ping).result()
                except BrokenProcessPool:  # workers cannot even start: not this file's fault
                    pool.shutdown(wait=False)
                    pool = None
                    settings, encoding, max_bytes, cache = initargs
                    out.extend((k, *_lint_entry(j, settings, encoding, max_bytes, cache)) for k, j in ordered[n:])
                    break
            try:
                out.extend(pool.submit(_lint_batch, [(i, job)]).result())
            except BrokenProcessPool:
                out.append((i, internal_error(job.path, "the worker process died while linting this file"),
                            None))
                pool.shutdown(wait=False)
                pool = None
            except Exception as exc:
                out.append((i, internal_error(job.path, f"{type(exc).__name__}: {exc}"), None))
    except BaseException:
        if pool is not None:
            _stop(pool)
        raise
    if pool is not None:
        pool.shutdown(wait=True)
    return out


__all__ = ["default_jobs", "last_stats", "lint_jobs", "lint_one", "make_batches", "resolve_jobs"]
