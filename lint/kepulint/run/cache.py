"""Per-file result cache: a re-run on unchanged files with unchanged settings lints nothing.

Layout (``.kepulint_cache/`` under the working directory unless ``--cache-dir`` / config
``cache-dir`` moves it)::

    .kepulint_cache/
      CACHEDIR.TAG  .gitignore (``*``)
      v2/<run id>/.kepulint-run  (marker: proves kepulint made this folder)
      v2/<run id>/<file key>.pickle
      v2/<run id>/<hash of a set of file keys>.pack

The *run key* is a hash of everything that is the same for every file of a run: the cache
format, the kepulint version and a digest of its own code, data and schemas (the
:func:`~kepulint.stamp.code_stamp` the rule-set cache keys on too), the Python
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

Trust (see :mod:`kepulint.userkey`): nothing in the cache folder is believed unless the user's
secret key vouches for it. The *run id* (the folder name) is a keyed digest of the run key, so
nobody without the key can predict it; every entry and pack is sealed with a keyed digest of
its content and name, checked before it is unpickled (with a loader that only accepts
kepulint's result types). A planted entry is a miss; without a key there is no cache.

Deletion safety: a run folder is created under a temporary name, given its marker (a keyed
digest of its name) and renamed into place. Pruning removes only real folders (never a
symbolic link) whose marker verifies, newest :data:`KEEP_RUNS` kept. A cache folder that is a
symbolic link, holds files without kepulint's ``CACHEDIR.TAG``, or whose ``v2/`` is a link or
holds anything kepulint did not make is refused (:func:`layout_problem`): the run goes on
uncached. Entries are written atomically (temporary file + ``os.replace``) and read without
following symbolic links; anything unreadable, truncated or unsealed is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import stat
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import userkey
from ..fsutil import write_atomic
from ..model import FileResult, InputError
from ..pickles import KepulintUnpickler, only
from ..stamp import code_stamp

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Settings
    from .job import Job

FORMAT = 2
DEFAULT_DIR = ".kepulint_cache"
KEEP_RUNS = 8
RACY_NS = 2_000_000_000  # a file changed this recently may change again within its mtime tick
TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by kepulint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_SUFFIX = ".pickle"
MARKER = ".kepulint-run"
_PENDING = ".new-"  # a run folder being made (no marker yet, never trusted nor pruned)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
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


def signature_of(data: bytes, st: os.stat_result) -> FileSig | None:
    """The signature of a regular file read as ``data`` after ``st`` (None for pipes, devices)."""
    if not stat.S_ISREG(st.st_mode):
        return None
    racy = max(st.st_mtime_ns, st.st_ctime_ns) >= time.time_ns() - RACY_NS
    return FileSig(None if racy else _stat_key(st), content_digest(data))


def file_signature(path: Path | str, max_bytes: int | None = None) -> FileSig | None:
    """Stat, then read and hash the regular file ``path`` (at most ``max_bytes``); None when it
    cannot be read, is not a regular file or is larger.

    The linted bytes are hashed, not re-read: see :func:`signature_of`. This is for a file
    whose stored ``stat`` signature no longer matches, to compare contents.
    """
    from ..text.decode import MAX_FILE_SIZE, read_bytes

    try:
        data, st = read_bytes(path, max_bytes=MAX_FILE_SIZE if max_bytes is None else max_bytes, regular=True)
    except InputError:
        return None
    return signature_of(data, st)


def _read_private(path: str, limit: int | None = None) -> bytes | None:
    """The bytes of the regular file ``path`` (not through a symbolic link, never waiting on a
    FIFO), at most ``limit`` of them; None otherwise (or when it is larger)."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    with open(fd, "rb") as fh:
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or (limit is not None and st.st_size > limit):
                return None
            data = fh.read() if limit is None else fh.read(limit + 1)
        except OSError:
            return None
    return data if limit is None or len(data) <= limit else None


def run_key(settings: Settings, ruleset_digest: str, encoding: str | None, max_bytes: int) -> str:
    """The part of every entry's key that is the same for the whole run."""
    parts = (
        f"format={FORMAT}", f"code={code_stamp()}",
        f"python={sys.version_info[0]}.{sys.version_info[1]}", f"rules={ruleset_digest}",
        f"settings={settings!r}", f"encoding={encoding!r}", f"max={max_bytes}",
    )  # fmt: skip
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class _SafeUnpickler(KepulintUnpickler):
    """kepulint's one loader (:mod:`kepulint.pickles`) admitting only the result types."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data, admit=only(_ALLOWED))


def _loads(data: bytes) -> Any:
    return _SafeUnpickler(data).load()


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


def _dumps(entry: Any) -> bytes:
    return pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)


def write_bytes_atomic(path: Path | str, data: bytes, *, private: bool = True) -> None:
    """Atomic write without fsync: a cache entry lost in a power cut is just a miss next time.
    Entries are private (0600); the tag and .gitignore get the usual umask mode."""
    write_atomic(path, data, durable=False, private=private)


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


class CacheRefused(Exception):
    """The cache cannot be trusted or used; str(exc) says why in one line."""


def layout_problem(directory: Path | str, secret: bytes) -> str | None:
    """Why the cache folder ``directory`` must not be used, or None when it may.

    Usable: missing (kepulint makes it), or a real folder (not a symbolic link) that is empty or
    holds kepulint's ``CACHEDIR.TAG``, whose ``v{FORMAT}/`` (if present) is a real folder
    holding only run folders with a valid marker (and ones being made).
    """
    top = os.fspath(directory)
    try:
        st = os.lstat(top)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        return f"cannot use {top}: {exc}"
    if stat.S_ISLNK(st.st_mode):
        return f"{top} is a symbolic link"
    if not stat.S_ISDIR(st.st_mode):
        return f"{top} is not a folder"
    try:
        names = os.listdir(top)
    except OSError as exc:
        return f"cannot list {top}: {exc.strerror or exc}"
    if names and _read_private(os.path.join(top, "CACHEDIR.TAG"), 4096) != TAG.encode("utf-8"):
        return f"{top} holds files and is not a kepulint cache folder (no CACHEDIR.TAG of kepulint's)"
    base = os.path.join(top, f"v{FORMAT}")
    try:
        st = os.lstat(base)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot use {base}: {exc.strerror or exc}"
    if not stat.S_ISDIR(st.st_mode) or stat.S_ISLNK(st.st_mode):
        return f"{base} is not a folder kepulint made (a symbolic link or a file)"
    try:
        names = os.listdir(base)
    except OSError as exc:
        return f"cannot list {base}: {exc.strerror or exc}"
    for name in names:
        if not name.startswith(_PENDING) and not _is_run_dir(os.path.join(base, name), secret):
            return f"{base} holds {name!r}, which kepulint did not make"
    return None


def _label(path: str | os.PathLike[str]) -> bytes:
    """What the seal of a cache file covers besides its content: its run folder and name (a
    sealed file moved to another name or run is not believed)."""
    folder, name = os.path.split(os.fspath(path))
    return f"{os.path.basename(folder)}/{name}".encode("utf-8", "surrogateescape")


def sealed(path: str | os.PathLike[str], payload: bytes, secret: bytes) -> bytes:
    """``payload`` as the cache file at ``path`` holds it: behind the tag of ``secret``."""
    return userkey.seal(secret, _label(path), payload)


def _marker(secret: bytes, name: str) -> bytes:
    return userkey.tag(secret, b"run-dir", name.encode("utf-8", "surrogateescape")).hex().encode()


def _is_run_dir(path: str, secret: bytes) -> bool:
    """True when ``path`` is a real folder (not a link) holding this user's marker for its name."""
    try:
        st = os.lstat(path)
    except (OSError, ValueError):
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    return _read_private(os.path.join(path, MARKER), 256) == _marker(secret, os.path.basename(path))


class ResultCache:
    """Results of one run's settings, one entry per file (plus packs of entries)."""

    def __init__(self, directory: Path, key: str, *,
                 secret: bytes | None = None, max_bytes: int | None = None) -> None:
        secret = secret if secret is not None else userkey.user_key()
        if secret is None:
            raise CacheRefused("no user cache key (the user cache folder cannot be written)")
        self.directory = Path(directory)
        self.secret = secret
        self.key = userkey.tag(secret, b"run", key.encode("utf-8")).hex()  # the run key, keyed
        self.max_bytes = max_bytes
        self.run_dir = self.directory / f"v{FORMAT}" / self.key[:32]
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
    def for_run(cls, directory: Path, settings: Settings, ruleset_digest: str, *, encoding: str | None,
                max_bytes: int) -> ResultCache:
        """The cache of this run in ``directory``; :class:`CacheRefused` when it must not be used."""
        secret = userkey.user_key()
        if secret is None:
            raise CacheRefused("no user cache key (the user cache folder cannot be written)")
        problem = layout_problem(directory, secret)
        if problem:
            raise CacheRefused(problem)
        return cls(directory, run_key(settings, ruleset_digest, encoding, max_bytes), secret=secret,
                   max_bytes=max_bytes)

    # -- keys ---------------------------------------------------------------------------------
    def file_key(self, job: Job) -> str:
        where = os.path.abspath(os.fspath(job.source))
        walked = "walked" if getattr(job, "sniff", False) else "named"  # a binary file: skip or error
        text = "\x1f".join((self.key, job.path, where, ",".join(job.codes), walked))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def _entry(self, fkey: str) -> str:
        return os.path.join(self._run_dir, f"{fkey[:40]}{_SUFFIX}")

    # -- lookup -------------------------------------------------------------------------------
    def lookup_all(self, jobs: Sequence[Job]) -> list[FileResult | None]:
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

    def lookup(self, job: Job) -> FileResult | None:
        """The stored result for ``job`` if its file is unchanged, else None (a miss)."""
        return None if job.source is None else self._lookup(job, self.file_key(job))

    def _lookup(self, job: Job, fkey: str) -> FileResult | None:
        result = self._from_pack(job, fkey)
        if result is None:
            result = self._from_entry(job, fkey)
        if result is None:
            self.stats.misses += 1
        else:
            self.stats.hits += 1
        return result

    def _from_pack(self, job: Job, fkey: str) -> FileResult | None:
        """The packed result for ``job`` when the file still has the packed ``stat`` signature."""
        packed = self._pack.get(fkey)
        if packed is None or packed[2].path != job.path:
            return None
        try:
            st = os.stat(job.source)
        except (OSError, ValueError):
            return None
        if packed[1] != _stat_key(st) or not stat.S_ISREG(st.st_mode):
            return None
        self._used[fkey] = packed
        return packed[2]

    def _read_pack(self, path: str) -> dict[str, PackEntry]:
        """The pack at ``path``: file key -> entry; empty when missing, corrupt, unsealed or of
        another run."""
        blob = _read_private(path)
        if blob is None:
            return {}
        try:
            data = userkey.unseal(self.secret, _label(path), blob)
            if data is None:
                raise ValueError("not sealed with this user's key for this run")
            with _no_gc():  # tens of thousands of objects and no cycles: collecting them is waste
                pack = _loads(data)
            if not (isinstance(pack, dict) and pack.get("format") == FORMAT and isinstance(pack.get("entries"), dict)):
                raise ValueError("not a pack")
        except Exception:  # corrupt, truncated, foreign: ignore silently
            self.stats.errors += 1
            return {}
        return {k: v for k, v in pack["entries"].items() if type(k) is str and _pack_entry(v)}

    def _from_entry(self, job: Job, fkey: str) -> FileResult | None:
        """The result in ``job``'s own entry file, if it is valid for the file as it is now."""
        data = _read_private(self._entry(fkey))
        if data is None:
            return None
        return self._check(job, fkey, data)

    def _check(self, job: Job, fkey: str, blob: bytes) -> FileResult | None:
        try:
            data = userkey.unseal(self.secret, _label(self._entry(fkey)), blob)
            if data is None:
                raise ValueError("not sealed with this user's key for this entry")
            entry = _loads(data)
            if not (isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("key") == fkey):
                raise ValueError("not an entry of this key")
            result, digest, sig = entry["result"], entry["digest"], entry["stat"]
            if not isinstance(result, FileResult) or result.path != job.path or not isinstance(digest, str) \
                    or not (sig is None or _stat_shape(tuple(sig))):
                raise ValueError("malformed entry")
        except Exception:  # corrupt, truncated, foreign: ignore silently
            self.stats.errors += 1
            return None
        try:
            st = os.stat(job.source)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(st.st_mode):  # a pipe or device is read once, to lint it: never here
            return None
        if sig is not None and tuple(sig) == _stat_key(st):
            self._keep(fkey, (digest, tuple(sig), result))
            return result
        now = file_signature(job.source, self.max_bytes)
        if now is None or now.digest != digest:
            return None
        if now.stat is not None:  # same bytes, new timestamps: refresh the fast path
            self.store(job, result, now)
            self._keep(fkey, (digest, now.stat, result))
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
        problem = layout_problem(self.directory, self.secret)
        if problem:
            raise CacheRefused(problem)
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", TAG), (".gitignore", "# created by kepulint\n*\n")):
            path = self.directory / name
            if not os.path.lexists(path):
                write_bytes_atomic(path, text.encode("utf-8"), private=False)
        if not _is_run_dir(self._run_dir, self.secret):
            self._make_run_dir()
            self._prune()
        self._ready = True

    def _make_run_dir(self) -> None:
        """Make this run's folder whole: a temporary folder gets the marker, then its name."""
        import tempfile

        base = self.run_dir.parent
        base.mkdir(exist_ok=True)
        if stat.S_ISLNK(os.lstat(base).st_mode):
            raise CacheRefused(f"{base} is a symbolic link")
        tmp = tempfile.mkdtemp(prefix=_PENDING, dir=base)
        try:
            write_bytes_atomic(os.path.join(tmp, MARKER), _marker(self.secret, self.run_dir.name))
            os.rename(tmp, self._run_dir)
        except OSError:
            _remove_run_dir(tmp, self.secret, os.path.basename(tmp))
            if not _is_run_dir(self._run_dir, self.secret):  # not made by a concurrent run either
                raise

    def _prune(self) -> None:
        """Keep the :data:`KEEP_RUNS` most recently used run folders; delete only the others
        that are provably kepulint's (see :func:`_remove_run_dir`)."""
        base = os.fspath(self.run_dir.parent)
        runs: list[tuple[int, str]] = []
        try:
            with os.scandir(base) as it:
                for entry in it:
                    if not entry.name.startswith(_PENDING) and entry.is_dir(follow_symlinks=False):
                        runs.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.name))
        except OSError:
            return
        for _, name in sorted(runs, reverse=True)[KEEP_RUNS:]:
            if name != self.run_dir.name:
                _remove_run_dir(os.path.join(base, name), self.secret, name)

    def touch(self) -> None:
        """Mark this run's directory as recently used (pruning keeps the newest)."""
        with contextlib.suppress(OSError):
            os.utime(self.run_dir, follow_symlinks=False)

    def store(self, job: Job, result: FileResult, sig: FileSig) -> bool:
        """Remember ``result`` for ``job`` read as ``sig``; False (silently) when that fails."""
        if job.source is None:
            return False
        fkey = self.file_key(job)
        entry = {"format": FORMAT, "key": fkey, "digest": sig.digest, "stat": sig.stat, "result": result}
        try:
            self._prepare()
            path = self._entry(fkey)
            write_bytes_atomic(path, sealed(path, _dumps(entry), self.secret))
            self.stats.writes += 1
        except Exception:  # read-only folder, full disk, unpicklable result: only costs time
            self.stats.errors += 1
            return False
        return True

    def remember(self, job: Job, result: FileResult, sig: FileSig) -> None:
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
            data = _dumps({"format": FORMAT, "entries": self._used})
            write_bytes_atomic(self._pack_path, sealed(self._pack_path, data, self.secret))
            self._prune_packs()
        except Exception:
            self.stats.errors += 1
        self._pack, self._used, self._stale = self._used, {}, False

    def _prune_packs(self) -> None:
        with os.scandir(self._run_dir) as it:
            packs = [(e.stat(follow_symlinks=False).st_mtime_ns, e.path) for e in it
                     if e.name.endswith(PACK_SUFFIX)]
        for _, path in sorted(packs, reverse=True)[KEEP_PACKS:]:
            with contextlib.suppress(OSError):
                os.unlink(path)


def _remove_run_dir(path: str, secret: bytes, name: str) -> None:
    """Delete the run folder ``path`` if it provably is one (a real folder, not a link, with the
    marker of ``name``); ``shutil.rmtree`` then never follows a link inside it."""
    import shutil

    if (_is_run_dir(path, secret) if not name.startswith(_PENDING) else _is_pending(path)) \
            and getattr(shutil.rmtree, "avoids_symlink_attacks", False):
        shutil.rmtree(path, ignore_errors=True)


def _is_pending(path: str) -> bool:
    """A run folder this process is making: a real folder whose entries are only the marker."""
    try:
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            return False
        return all(n == MARKER or n.startswith(f".{MARKER}.") for n in os.listdir(path))
    except OSError:
        return False


def cacheable(result: FileResult) -> bool:
    """Results worth keeping: not internal errors (those may not recur)."""
    return result.error is None or not result.error.message.startswith("internal error")


__all__ = ["DEFAULT_DIR", "CacheRefused", "CacheStats", "FileSig", "ResultCache", "cacheable", "content_digest",
           "file_signature", "layout_problem", "run_key", "sealed", "signature_of"]
