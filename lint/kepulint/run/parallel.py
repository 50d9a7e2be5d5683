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
SIGTERM the parent stops them and re-raises (the CLI exits 130 or 143). SIGINT and SIGTERM are
held back (blocked) while workers start, and a worker lets them through only once it has set its
own handlers: a signal in between can never run the parent's handler in a copy of the parent's
stack. On Linux a worker also dies with its parent (``PR_SET_PDEATHSIG``), so no orphan keeps
the caller's stdout open.

No module state: what every file is linted with travels with each batch (:class:`LintContext`),
and what a call did comes back with its results (:class:`Linted`). Each file is read once: the
cache's content digest is taken from the bytes that are linted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..api import Settings, lint_source, ruleset_for
from ..model import FileError, FileResult, InputError
from .job import Job
from .options import RunOptions, RunStats

if TYPE_CHECKING:  # pragma: no cover
    from .cache import FileSig, ResultCache
    from .config import Config

MIN_POOL_FILES = 4
MIN_POOL_BYTES = 48 * 1024  # below this, forking workers costs more than it saves
MIN_POOL_BYTES_SPAWN = 1024 * 1024  # spawned workers import and load rules first
BATCHES_PER_WORKER = 4
MIN_BATCH_BYTES = 32 * 1024
MAX_BATCH_FILES = 64


#: A batch of work: (index in the run's jobs, job) pairs; and what comes back for each.
Batch = list[tuple[int, Job]]
Done = list[tuple[int, FileResult, "FileSig | None"]]


@dataclass(frozen=True)
class LintContext:
    """What every file of a run is linted with; workers get it with each batch (a few hundred
    bytes: the settings and the cache's folder and key, never the rules or their help)."""

    settings: Settings
    encoding: str | None
    max_bytes: int
    cache: ResultCache | None = None  # stores results as they are made (None: nothing stored)
    debug: bool = False  # print a file's internal error's traceback


@dataclass
class Linted:
    """:func:`lint_jobs`' answer: one result per job, in the jobs' order, and what it took."""

    results: list[FileResult] = field(default_factory=list)
    stats: RunStats = field(default_factory=RunStats)


# -- linting one file (in this process or in a worker) ------------------------------------------


def internal_error(path: str, what: str) -> FileResult:
    return FileResult(path=path, error=FileError(path, f"internal error: {what}", "error"))


def lint_one(job: Job, context: LintContext,
             on_read: Callable[[bytes, os.stat_result], None] | None = None) -> FileResult:
    """Read and lint one file; every failure becomes a FileResult with an error.

    The file is read once (a pipe or device too, never past ``max_bytes`` + 1 bytes);
    ``on_read`` sees those very bytes before they are decoded (the cache hashes them).
    A binary file is an error when named, a counted skip when met in a folder (``job.sniff``).
    """
    from ..text.decode import STDIN, draft_text, read_bytes, read_file, walked_binary

    encoding, max_bytes = context.encoding, context.max_bytes
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
        result = lint_source(text, job.path, context.settings, select=job.codes)
        result.notice = notice
        return result
    except Exception as exc:  # a bug must not take the other files down with it
        if context.debug:
            import traceback

            traceback.print_exc(file=sys.stderr)
        return internal_error(job.path, f"{type(exc).__name__}: {exc}")


def _lint_entry(job: Job, context: LintContext) -> tuple[FileResult, FileSig | None]:
    """``(result, signature)``: lint ``job`` and, with a ``cache``, store the result (in whichever
    process linted it, so workers write their entries in parallel); the file's
    :class:`~kepulint.run.cache.FileSig` when the result was stored, else None. The signature
    is that of the bytes linted (read once), never of a second read."""
    cache = context.cache
    if cache is None or job.source is None:
        return lint_one(job, context), None
    from .cache import cacheable, signature_of

    sigs: list[FileSig | None] = []
    result = lint_one(job, context, lambda data, st: sigs.append(signature_of(data, st)))
    sig = sigs[0] if sigs else None  # None: a pipe or device, or not read at all
    stored = sig is not None and cacheable(result) and cache.store(job, result, sig)
    return result, sig if stored else None


# -- worker side --------------------------------------------------------------------------------


def _worker_init() -> None:
    """A worker's own signal handling, then the signals the parent held back while starting it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's SIGTERM handler is not ours: just stop
    _die_with_parent()
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)


_HELD = frozenset(getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name))


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Block SIGINT and SIGTERM in this thread for the block (workers started in it inherit the
    mask and unblock once their handlers are set, :func:`_worker_init`); on leaving, the old mask
    comes back and a signal that arrived meanwhile is delivered here, in the parent."""
    import threading

    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _die_with_parent() -> None:
    """On Linux, have the kernel end this worker when the parent dies (even by SIGKILL), so no
    orphan keeps the caller's stdout open."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError, ImportError):
        pass


def _lint_batch(context: LintContext, batch: Batch) -> Done:
    return [(i, *_lint_entry(job, context)) for i, job in batch]


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


def resolve_jobs(config: Config, options: RunOptions) -> int:
    """``--jobs`` beats config ``jobs`` beats the number of cores."""
    for value in (options.jobs, config.jobs):
        if value:
            return max(1, int(value))
    return default_jobs()


def _start_method(options: RunOptions) -> str | None:
    import multiprocessing as mp

    if options.start_method:
        return options.start_method
    if sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods():
        return "fork"
    return None


def _size(job: Job) -> int:
    try:
        return os.stat(job.source).st_size
    except (OSError, TypeError, ValueError):
        return 0


def make_batches(items: Batch, sizes: list[int], workers: int) -> list[Batch]:
    """Consecutive runs of files, guided: each batch holds about ``remaining / (workers *
    BATCHES_PER_WORKER)`` bytes (at least :data:`MIN_BATCH_BYTES`, at most :data:`MAX_BATCH_FILES`
    files), so batches start large (few round trips) and shrink towards the end (short tail)."""
    remaining = sum(sizes)
    share = max(workers * BATCHES_PER_WORKER, 1)
    batches: list[Batch] = []
    current: Batch = []
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


def _open_cache(settings: Settings, config: Config, options: RunOptions) -> ResultCache | None:
    if options.cache is False or os.environ.get("KEPULINT_NO_CACHE"):
        return None
    from .cache import DEFAULT_DIR, CacheRefused, ResultCache

    directory = config.cache_dir or options.cache_dir or Path.cwd() / DEFAULT_DIR
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


def lint_jobs(jobs: Sequence[Job], settings: Settings, config: Config, options: RunOptions) -> Linted:
    """Results for ``jobs`` in the same order (a walked binary file: a "skipped" result), and
    what it took."""
    workers = resolve_jobs(config, options)
    cache = _open_cache(settings, config, options)
    results: list[FileResult | None] = [None] * len(jobs)
    todo: Batch = []
    hits = cache.lookup_all(jobs) if cache is not None else [None] * len(jobs)
    for i, (job, hit) in enumerate(zip(jobs, hits, strict=True)):
        if hit is not None:
            results[i] = hit
        else:
            todo.append((i, job))
    processes = 0
    if todo:
        if cache is not None and not cache.prepare():  # cannot write: lint without storing
            cache.stats.errors += 1
            writer = None
        else:
            writer = cache
        context = LintContext(settings, config.encoding, config.max_file_size, writer, options.tracebacks)
        sizes = [_size(job) for _, job in todo]
        method = _start_method(options)
        floor = MIN_POOL_BYTES if method == "fork" else MIN_POOL_BYTES_SPAWN
        if workers <= 1 or len(todo) < MIN_POOL_FILES or sum(sizes) < floor:
            processes = 1
            done = [(i, *_lint_entry(job, context)) for i, job in todo]
        else:
            batches = make_batches(todo, sizes, workers)
            processes = min(workers, len(batches))
            written = cache.stats.writes if cache is not None else 0
            done = _run_pool(batches, processes, method, context)
            if cache is not None:  # stores made by workers (or by this process after a crash)
                cache.stats.writes = written + sum(1 for _, _, sig in done if sig is not None)
        for i, result, sig in done:
            results[i] = result
            if sig is not None and writer is not None:
                writer.remember(jobs[i], result, sig)
    stats = RunStats(files=len(jobs), linted=len(todo), processes=processes)
    if cache is not None:
        cache.save_pack()
        cache.touch()
        stats = RunStats(files=len(jobs), linted=len(todo), processes=processes, hits=cache.stats.hits,
                         misses=cache.stats.misses, writes=cache.stats.writes, cache_errors=cache.stats.errors,
                         cache_dir=str(cache.directory))
    if os.environ.get("KEPULINT_STATS"):
        print(f"kepulint: stats: {stats.as_dict()}", file=sys.stderr)
    return Linted([r if r is not None else internal_error(j.path, "no result")
                   for r, j in zip(results, jobs, strict=True)], stats)


def _new_pool(workers: int, method: str | None) -> Any:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context(method) if method else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init)


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
        ruleset = ruleset_for(settings.rule_paths)
        lint_source("。\n", "warmup.md", settings, select=ruleset.codes)
    except Exception:  # the workers will report whatever is wrong, per file
        pass


def _run_pool(batches: list[Batch], workers: int, method: str | None, context: LintContext) -> Done:
    from concurrent.futures import FIRST_COMPLETED, Future, wait
    from concurrent.futures.process import BrokenProcessPool

    if method == "fork":
        _warm(context.settings)
    done: Done = []
    broken: Batch = []
    pool = _new_pool(workers, method)
    try:
        pending: dict[Future[Done], Batch] = {}
        with _signals_held():  # the workers start (fork or spawn) in these submits
            for n, batch in enumerate(batches):
                try:
                    pending[pool.submit(_lint_batch, context, batch)] = batch
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
        done.extend(_isolate(broken, method, context))
    return done


def _isolate(items: Batch, method: str | None, context: LintContext) -> Done:
    """Re-run the files of broken batches one at a time; a file that kills its worker again
    gets an internal-error result, the others their real one. When a fresh worker cannot even
    answer a ping (it dies starting up), the rest is linted in this process instead."""
    from concurrent.futures.process import BrokenProcessPool

    out: Done = []
    pool = None
    try:
        ordered = sorted(items, key=lambda item: item[0])
        for n, (i, job) in enumerate(ordered):
            if pool is None:
                pool = _new_pool(1, method)
                try:
                    with _signals_held():
                        ping = pool.submit(_ping)
                    ping.result()
                except BrokenProcessPool:  # workers cannot even start: not this file's fault
                    pool.shutdown(wait=False)
                    pool = None
                    out.extend((k, *_lint_entry(j, context)) for k, j in ordered[n:])
                    break
            try:
                out.extend(pool.submit(_lint_batch, context, [(i, job)]).result())
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


__all__ = ["Job", "LintContext", "Linted", "default_jobs", "lint_jobs", "lint_one", "make_batches", "resolve_jobs"]
