"""Per-file result cache: a re-run on unchanged files with unchanged settings lints nothing.

Layout (``.kepulint_cache/`` under the working directory unless ``--cache-dir`` / config
``cache-dir`` moves it)::

    .kepulint_cache/
      CACHEDIR.TAG  .gitignore (``*``)
      v1/<run key>/<file key>.pickle
      v1/<run key>/<hash of a set of file keys>.pack

The *run key* is a hash of everything that is the same for every file of a run: the cache
format, the kepulint version, a digest of kepulint's own code and data files, the Python
version, the rule set digest (every rule file, rule packs included), the
:class:`~kepulint.api.Settings` (severity overrides, profile, today, rule paths, selection),
the input encoding and the maximum file size. The *file key* adds the display path, the
resolved path and the codes selected for that file. An entry holds the content digest
(BLAKE2b of the bytes) and the :class:`~kepulint.model.FileResult`, plus the file's
``stat`` signature (size, mtime_ns, ctime_ns, inode) as a fast pre-check: when the
signature matches, the file is not even read; when it does not, the bytes are hashed and
compared with the stored digest. A signature taken within :data:`RACY_NS` of a change is
not stored ("racy" timestamps: a same-size edit in the same clock tick would go unseen),
so such files are always hashed.

A run over at least :data:`MIN_PACK_FILES` files also leaves a *pack*: the entries of exactly
that set of files in one file, named by a hash of their file keys and written by the parent
process at the end of a run that found or stored results the pack lacked (workers write their
own entries as they go; the pack gathers them). A re-run over the same files reads that one
file instead of one entry per file; a file whose packed ``stat`` signature no longer matches
is looked up in its own entry as before. The newest :data:`KEEP_PACKS` packs are kept.

Entries are written atomically (temporary file + ``os.replace``); anything unreadable,
truncated, of another format or pointing at another key is a miss, never an error. Entries
and packs are unpickled with a loader that only accepts kepulint's result types, so a planted
cache file cannot run code. Run directories other than the newest :data:`KEEP_RUNS` are pruned.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import pickle
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .fsutil import write_atomic
from .model import FileResult

FORMAT = 1
DEFAULT_DIR = ".kepulint_cache"
KEEP_RUNS = 8
RACY_NS = 2_000_000_000  # a file changed this recently may change again within its mtime tick
TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by kepulint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_SUFFIX = ".pickle"
PACK_SUFFIX = ".pack"
MIN_PACK_FILES = 64  # fewer files are looked up about as fast one entry at a time
KEEP_PACKS = 4  # packs per run directory (one per set of files checked)
_ALLOWED = {
    ("kepulint.model", name) for name in ("FileResult", "Diagnostic", "Suppression", "FileError", "Severity",
                                       "Fix", "Edit")
}


@dataclass(frozen=True, slots=True)
class FileSig:
    """What a file looked like when it was read: its ``stat`` signature and content digest."""

    stat: tuple[int, int, int, int] | None  # size, mtime_ns, ctime_ns, inode; None when racy
    digest: str


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def file_signature(path: Path | str) -> FileSig | None:
    """Stat, then read and hash ``path`` (in that order); None when it cannot be read.

    Hash *before* the file is linted: if it changes in between, the stored digest is the
    older content and the next run sees a mismatch, so a result is never stored under the
    digest of content it was not computed from.
    """
    try:
        st = os.stat(path)
        with open(path, "rb") as fh:
            data = fh.read()
    except (OSError, ValueError):
        return None
    now = time.time_ns()
    sig = _stat_key(st)
    racy = max(st.st_mtime_ns, st.st_ctime_ns) >= now - RACY_NS
    return FileSig(None if racy else sig, content_digest(data))


_CODE_SUFFIXES = (".py", ".yaml", ".tsv", ".txt", ".json")


def code_files(root: str) -> list[str]:
    """kepulint's modules and data files under ``root``: sorted posix paths relative to it."""
    names: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        names += (name if rel == "." else f"{rel}/{name}" for name in files if name.endswith(_CODE_SUFFIXES))
    return sorted(names)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of kepulint's own modules and data (a changed kind or vocabulary invalidates)."""
    root = os.path.dirname(os.path.realpath(__file__))
    h = hashlib.blake2b(digest_size=20)
    for name in code_files(root):
        try:
            with open(os.path.join(root, name), "rb") as fh:
                data = fh.read()
        except OSError:
            continue
        h.update(name.encode() + b"\0" + data + b"\0")
    return h.hexdigest()


def run_key(settings: Any, ruleset_digest: str, encoding: str | None, max_bytes: int) -> str:
    """The part of every entry's key that is the same for the whole run."""
    from . import __version__

    parts = (
        f"format={FORMAT}", f"version={__version__}", f"code={code_digest()}",
        f"python={sys.version_info[0]}.{sys.version_info[1]}", f"rules={ruleset_digest}",
        f"settings={settings!r}", f"encoding={encoding!r}", f"max={max_bytes}",
    )  # fmt: skip
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class _SafeUnpickler(pickle.Unpickler):
    """Only kepulint's result types (and builtins that need no lookup) may be loaded; a rule's
    help text, stored by reference (see :class:`_HelpPickler`), comes from ``helps``."""

    def __init__(self, data: bytes, helps: dict[str, str]) -> None:
        super().__init__(io.BytesIO(data))
        self.helps = helps

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache entry")

    def persistent_load(self, pid: Any) -> Any:
        try:
            return self.helps[pid[1]]
        except (KeyError, IndexError, TypeError):
            raise pickle.UnpicklingError(f"unknown reference {pid!r}") from None


class _HelpPickler(pickle.Pickler):
    """Pickles each rule's help text (kilobytes, repeated in every diagnostic) as a reference
    to its rule code: entries stay small and load fast."""

    def __init__(self, file: io.BytesIO, helps: dict[str, str]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.by_text = {text: code for code, text in helps.items()}

    def persistent_id(self, obj: Any) -> Any:
        if type(obj) is str and len(obj) > 64:
            code = self.by_text.get(obj)
            if code is not None:
                return ("help", code)
        return None


def _loads(data: bytes, helps: dict[str, str] | None = None) -> Any:
    return _SafeUnpickler(data, helps or {}).load()


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) for the block."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _dumps(entry: Any, helps: dict[str, str]) -> bytes:
    out = io.BytesIO()
    _HelpPickler(out, helps).dump(entry)
    return out.getvalue()


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    """Atomic write without fsync: a cache entry lost in a power cut is just a miss next time."""
    write_atomic(path, data, durable=False)


def _readable(path: Path) -> None:
    """``mkstemp`` creates 0600 files; the tag and .gitignore get the usual umask mode."""
    mask = os.umask(0)
    os.umask(mask)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o666 & ~mask)


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    writes: int = 0
    errors: int = 0  # unreadable/corrupt entries and failed writes (all silent)


#: A pack entry: the content digest, the ``stat`` signature and the result.
PackEntry = tuple[str, tuple[int, int, int, int], FileResult]


def _pack_entry(value: Any) -> bool:
    """True when ``value`` (read from a pack) has the shape of a :data:`PackEntry`."""
    return (type(value) is tuple and len(value) == 3 and isinstance(value[0], str)
            and _stat_shape(value[1]) and isinstance(value[2], FileResult)
            and type(getattr(value[2], "path", None)) is str)  # built without its constructor: no path


def _stat_shape(value: Any) -> bool:
    """True when ``value`` has the shape of a stored ``stat`` signature (four ints)."""
    return type(value) is tuple and len(value) == 4 and all(type(n) is int for n in value)


class ResultCache:
    """Results of one run's settings, one entry per file (plus packs of entries)."""

    def __init__(self, directory: Path, key: str, helps: dict[str, str] | None = None) -> None:
        self.directory = Path(directory)
        self.key = key
        self.helps = dict(helps or {})  # rule code -> help text, stored by reference
        self.run_dir = self.directory / f"v{FORMAT}" / key[:32]
        self._run_dir = os.fspath(self.run_dir)  # str paths: look-ups are per file, pathlib is slow
        self.stats = CacheStats()
        self._ready = False
        self._pack_path: str | None = None  # the pack of this run's files (see lookup_all)
        self._pack: dict[str, PackEntry] = {}  # what it held
        self._used: dict[str, PackEntry] = {}  # this run's hits and stores: the next pack
        self._stale = False  # the pack lacked some of them

    def __getstate__(self) -> dict[str, Any]:
        """Workers get the cache without the pack (they only store entries)."""
        return {**self.__dict__, "_pack_path": None, "_pack": {}, "_used": {}, "_stale": False}

    @classmethod
    def for_run(cls, directory: Path, settings: Any, ruleset_digest: str, *, encoding: str | None,
                max_bytes: int, helps: dict[str, str] | None = None) -> ResultCache:
        return cls(directory, run_key(settings, ruleset_digest, encoding, max_bytes), helps)

    # -- keys ---------------------------------------------------------------------------------
    def file_key(self, job: Any) -> str:
        where = os.path.abspath(os.fspath(job.source))
        text = "\x1f".join((self.key, job.path, where, ",".join(job.codes)))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def _entry(self, fkey: str) -> str:
        return os.path.join(self._run_dir, f"{fkey[:40]}{_SUFFIX}")

    # -- lookup -------------------------------------------------------------------------------
    def lookup_all(self, jobs: Sequence[Any]) -> list[FileResult | None]:
        """:meth:`lookup` of every job. With at least :data:`MIN_PACK_FILES` files, the pack of
        exactly this set of files is read first (if an earlier run left one): a re-run over the
        same files reads one file instead of one entry per file."""
        keys = [self.file_key(job) if job.source is not None else None for job in jobs]
        present = sorted({k for k in keys if k is not None})
        if len(present) >= MIN_PACK_FILES:
            name = hashlib.sha256("\n".join(present).encode()).hexdigest()[:32]
            self._pack_path = os.path.join(self._run_dir, f"{name}{PACK_SUFFIX}")
            self._pack = self._read_pack(self._pack_path)
        return [None if key is None else self._lookup(job, key) for job, key in zip(jobs, keys, strict=True)]

    def lookup(self, job: Any) -> FileResult | None:
        """The stored result for ``job`` if its file is unchanged, else None (a miss)."""
        return None if job.source is None else self._lookup(job, self.file_key(job))

    def _lookup(self, job: Any, fkey: str) -> FileResult | None:
        result = self._from_pack(job, fkey)
        if result is None:
            result = self._from_entry(job, fkey)
        if result is None:
            self.stats.misses += 1
        else:
            self.stats.hits += 1
        return result

    def _from_pack(self, job: Any, fkey: str) -> FileResult | None:
        """The packed result for ``job`` when the file still has the packed ``stat`` signature."""
        packed = self._pack.get(fkey)
        if packed is None or packed[2].path != job.path:
            return None
        try:
            st = os.stat(job.source)
        except (OSError, ValueError):
            return None
        if packed[1] != _stat_key(st):
            return None
        self._used[fkey] = packed
        return packed[2]

    def _read_pack(self, path: str) -> dict[str, PackEntry]:
        """The pack at ``path``: file key -> entry; empty when missing, corrupt or of another run."""
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except (OSError, ValueError):
            return {}
        try:
            with _no_gc():  # tens of thousands of objects and no cycles: collecting them is waste
                pack = _loads(data, self.helps)
            if not (isinstance(pack, dict) and pack.get("format") == FORMAT and pack.get("key") == self.key
                    and isinstance(pack.get("entries"), dict)):
                raise ValueError("not a pack of this run")
        except Exception:  # corrupt, truncated, foreign: ignore silently
            self.stats.errors += 1
            return {}
        return {k: v for k, v in pack["entries"].items() if type(k) is str and _pack_entry(v)}

    def _from_entry(self, job: Any, fkey: str) -> FileResult | None:
        """The result in ``job``'s own entry file, if it is valid for the file as it is now."""
        try:
            with open(self._entry(fkey), "rb") as fh:
                data = fh.read()
        except (OSError, ValueError):
            return None
        return self._check(job, fkey, data)

    def _check(self, job: Any, fkey: str, data: bytes) -> FileResult | None:
        try:
            entry = _loads(data, self.helps)
            if not (isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("key") == fkey):
                raise ValueError("not an entry of this key")
            result, digest, stat = entry["result"], entry["digest"], entry["stat"]
            if not isinstance(result, FileResult) or result.path != job.path or not isinstance(digest, str) \
                    or not (stat is None or _stat_shape(tuple(stat))):
                raise ValueError("malformed entry")
        except Exception:  # corrupt, truncated, foreign: ignore silently
            self.stats.errors += 1
            return None
        try:
            st = os.stat(job.source)
        except (OSError, ValueError):
            return None
        if stat is not None and tuple(stat) == _stat_key(st):
            self._keep(fkey, (digest, tuple(stat), result))
            return result
        sig = file_signature(job.source)
        if sig is None or sig.digest != digest:
            return None
        if sig.stat is not None:  # same bytes, new timestamps: refresh the fast path
            self.store(job, result, sig)
            self._keep(fkey, (digest, sig.stat, result))
        return result

    # -- store --------------------------------------------------------------------------------
    def prepare(self) -> bool:
        """Create the cache folder (tag, .gitignore, this run's folder; prune old runs) once,
        before any entry is written; False when it cannot be written."""
        try:
            self._prepare()
        except Exception:
            return False
        return True

    def _prepare(self) -> None:
        if self._ready:
            return
        self._ready = True
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", TAG), (".gitignore", "# created by kepulint\n*\n")):
            path = self.directory / name
            if not path.exists():
                write_bytes_atomic(path, text.encode("utf-8"))
                _readable(path)
        fresh = not self.run_dir.is_dir()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if fresh:
            self._prune()

    def _prune(self) -> None:
        """Keep the :data:`KEEP_RUNS` most recently used run directories."""
        import shutil

        base = self.run_dir.parent
        try:
            runs = sorted((p for p in base.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime_ns,
                          reverse=True)
        except OSError:
            return
        for old in runs[KEEP_RUNS:]:
            if old != self.run_dir:
                shutil.rmtree(old, ignore_errors=True)

    def touch(self) -> None:
        """Mark this run's directory as recently used (pruning keeps the newest)."""
        with contextlib.suppress(OSError):
            os.utime(self.run_dir)

    def store(self, job: Any, result: FileResult, sig: FileSig) -> bool:
        """Remember ``result`` for ``job`` read as ``sig``; False (silently) when that fails."""
        if job.source is None:
            return False
        fkey = self.file_key(job)
        entry = {"format": FORMAT, "key": fkey, "digest": sig.digest, "stat": sig.stat, "result": result}
        try:
            self._prepare()
            write_bytes_atomic(self._entry(fkey), _dumps(entry, self.helps))
            self.stats.writes += 1
        except Exception:  # read-only folder, full disk, unpicklable result: only costs time
            self.stats.errors += 1
            return False
        return True

    def remember(self, job: Any, result: FileResult, sig: FileSig) -> None:
        """Put a result found in an entry or just stored (maybe by a worker) in the next pack;
        not with a racy signature, since a pack only serves files whose ``stat`` matches."""
        if job.source is not None and sig.stat is not None:
            self._keep(self.file_key(job), (sig.digest, sig.stat, result))

    def _keep(self, fkey: str, entry: PackEntry) -> None:
        """``entry`` goes in the next pack, which the current one (lacking it) needs."""
        self._used[fkey] = entry
        self._stale = True

    def save_pack(self) -> None:
        """Write the pack of this run's files when it lacked some of the results this run found
        or stored (silently: a failure only costs time); keep the newest :data:`KEEP_PACKS`."""
        if not self._stale or self._pack_path is None:
            return
        try:
            self._prepare()
            data = _dumps({"format": FORMAT, "key": self.key, "entries": self._used}, self.helps)
            write_bytes_atomic(self._pack_path, data)
            self._prune_packs()
        except Exception:
            self.stats.errors += 1
        self._pack, self._used, self._stale = self._used, {}, False

    def _prune_packs(self) -> None:
        with os.scandir(self._run_dir) as it:
            packs = [(e.stat().st_mtime_ns, e.path) for e in it if e.name.endswith(PACK_SUFFIX)]
        for _, path in sorted(packs, reverse=True)[KEEP_PACKS:]:
            with contextlib.suppress(OSError):
                os.unlink(path)


def cacheable(result: FileResult) -> bool:
    """Results worth keeping: not internal errors (those may not recur)."""
    return result.error is None or not result.error.message.startswith("internal error")


__all__ = ["DEFAULT_DIR", "CacheStats", "FileSig", "ResultCache", "cacheable", "content_digest",
           "file_signature", "run_key"]
