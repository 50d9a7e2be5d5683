"""Which files a run lints: paths and folders expanded, include/exclude applied, display paths.

One :class:`PathMatcher` decides include, exclude and per-file-ignores for the command line, the
API (:meth:`kepulint.run.config.Config.is_included`, ``selected_codes``) and the tests alike.
Matching ignores case:
``A.MD`` is a Markdown draft and ``exclude = ["vendor"]`` also leaves out ``Vendor/``, on every
system. macOS and Windows users work on file systems that ignore case (and git there does too),
and a config must pick the same files on their machines as on a Linux CI runner; pre-commit
passes exact names, which match either way. Reading what is found is :mod:`kepulint.text.decode`'s job.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from fnmatch import translate
from pathlib import Path

from ..model import FileError
from ..text import readers
from ..text.decode import SNIFF_BYTES, STDIN, os_message, sniff_binary

__all__ = [
    "DEFAULT_EXCLUDE_DIRS",
    "DEFAULT_INCLUDE",
    "DEFAULT_SUFFIXES",
    "PathMatcher",
    "discover",
    "relative_display",
    "sniff_path",
]

DEFAULT_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".docx")
DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.txt", "*.html", "*.htm", "*.docx")
DEFAULT_EXCLUDE_DIRS = frozenset({"node_modules", "__pycache__"})


def relative_display(path: Path, cwd: Path | None = None) -> str:
    """Path as shown in reports: relative to ``cwd`` when inside it, posix separators; else as given."""
    if str(path) == STDIN:
        return "<stdin>"
    if cwd is None and not os.path.isabs(path):  # the usual case: already relative to the cwd
        rel = os.path.normpath(path)
        if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
            return rel if os.sep == "/" else Path(rel).as_posix()  # normpath left nothing to fix
    base = os.path.abspath(cwd if cwd is not None else os.getcwd())
    full = os.path.join(base, path)  # relative paths are relative to ``cwd``
    for resolve in (os.path.normpath, os.path.realpath):
        try:
            rel = os.path.relpath(resolve(full), resolve(base))
        except (OSError, ValueError):  # another drive on Windows, NUL in the path
            continue
        if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
            return Path(rel).as_posix()
    return str(path)


class PathMatcher:
    """Include or exclude patterns, as Ruff reads them: fnmatch globs tried against the path
    relative to ``root`` (posix separators) and its file name, ignoring case; ``**/x`` also
    matches ``x``, and ``./x`` or ``x/`` mean ``x``. With ``folders`` (exclude), a pattern also
    matches any folder above the path below ``root``, so ``vendor`` leaves out ``vendor/a/b.md``
    however the file was named."""

    def __init__(self, patterns: Sequence[str], root: str | os.PathLike[str], *, folders: bool = False) -> None:
        self.root = os.path.abspath(root)
        self.folders = folders
        pats: list[str] = []
        for pat in patterns:
            pat = pat.strip().replace("\\", "/").removeprefix("./").rstrip("/").lower()
            if not pat:
                continue
            pats.append(pat)
            if pat.startswith("**/"):
                pats.append(pat[3:])
        self.patterns = tuple(pats)
        # any(fnmatchcase(name, pat) for pat in patterns) as one regex: fnmatchcase matches
        # re.compile(translate(pat)); names and patterns are lower-cased first
        self._any = re.compile("|".join(translate(pat) for pat in pats)).match if pats else None

    def __call__(self, path: str | os.PathLike[str], *, folders: bool | None = None) -> bool:
        """True when a pattern matches ``path`` (relative paths are taken from the working
        directory). ``folders=False`` skips the folders above it (a walk checked them already)."""
        if self._any is None:
            return False
        path = os.fspath(path)
        base = os.path.basename(path)
        if base and self._any(base.lower()):
            return True  # the usual case (``*.md``), without resolving the path
        absolute = os.path.abspath(path)
        rel = self._below_root(absolute) or path
        rel = Path(rel).as_posix()
        names = {rel, os.path.basename(absolute) or rel}
        if self.folders if folders is None else folders:
            parts = [part for part in rel.split("/") if part not in ("", ".")]
            names.update(parts[:-1])
            names.update("/".join(parts[:i]) for i in range(1, len(parts)))
        return any(self._any(name.lower()) for name in names)

    def _below_root(self, absolute: str) -> str | None:
        """``absolute`` relative to the root, as given or with symbolic links resolved; None outside."""
        for resolve in (os.path.normpath, os.path.realpath):
            try:
                rel = os.path.relpath(resolve(absolute), resolve(self.root))
            except ValueError:  # another drive (Windows)
                continue
            if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
                return rel
        return None


def sniff_path(path: str | os.PathLike[str]) -> str | None:
    """The binary label of the file at ``path`` (see :func:`sniff_binary`), None for text or
    when it cannot be read (reading it later reports that). A Word document is not binary to us."""
    if readers.is_word(path):
        return None
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return None  # read_file reports the problem
    return sniff_binary(head)


def _walk(
    top: str, include: PathMatcher, exclude: PathMatcher, seen_dirs: set[tuple[int, int]], errors: list[FileError],
    sniff: bool = True,
) -> Iterator[str]:
    """The files to lint under ``top``, depth first in name order, without recursion (a tree
    thousands of folders deep is walked like any other)."""
    stack: list[Iterator[os.DirEntry[str]]] = []
    listed = _listing(top, errors)
    if listed is not None:
        stack.append(listed)
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith(".") or exclude(entry.path, folders=False):  # folders above: already
            continue
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            if entry.name in DEFAULT_EXCLUDE_DIRS:
                continue
            try:
                st = entry.stat()
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:  # symlink loop or the same directory twice
                continue
            seen_dirs.add(key)
            listed = _listing(entry.path, errors)
            if listed is not None:
                stack.append(listed)
        elif is_file:
            if include(entry.path) and not (sniff and sniff_path(entry.path) is not None):
                yield entry.path
        elif include(entry.path):
            errors.append(FileError(relative_display(Path(entry.path)), _not_a_file(entry.path), "skipped"))


def _listing(folder: str, errors: list[FileError]) -> Iterator[os.DirEntry[str]] | None:
    """The entries of ``folder`` in name order (read at once: no folder stays open)."""
    try:
        with os.scandir(folder) as it:
            return iter(sorted(it, key=lambda e: e.name))
    except OSError as exc:
        errors.append(FileError(relative_display(Path(folder)), f"cannot list directory: {os_message(exc)}"))
        return None


def _not_a_file(path: str) -> str:
    """Why a walked entry that is neither a folder nor a regular file is skipped."""
    try:
        os.stat(path)
    except OSError:
        return "broken symbolic link, skipped" if os.path.islink(path) else "cannot read, skipped"
    return "not a regular file (a FIFO, socket or device), skipped"


def discover(
    paths: Sequence[str],
    *,
    include: Sequence[str] = DEFAULT_INCLUDE,
    exclude: Sequence[str] = (),
    root: Path | None = None,
    deferred: set[Path] | None = None,
) -> tuple[list[Path], list[FileError]]:
    """Expand files and directories into the files to lint, plus the problems met on the way.

    Directories are walked recursively in name order, skipping hidden entries, ``node_modules``,
    ``__pycache__``, ``exclude`` matches and binary files; only ``include`` matches are taken.
    Explicitly named files are taken unless excluded, by name or by a folder above them (as
    pre-commit names them); reading one that is binary is an error. Matching: :class:`PathMatcher`.
    ``'-'`` is passed through as ``Path('-')`` (stdin). Duplicates are dropped, order is kept.
    With ``deferred``, walked files are not opened here: they go into that set instead, and
    reading one that is binary gives a "skipped" notice (counted) rather than an error.
    FIFOs, sockets and devices met while walking are skipped with a notice, never opened.
    """
    root_dir = os.path.abspath(root if root is not None else os.getcwd())
    inc = PathMatcher(include, root_dir)
    exc = PathMatcher(exclude, root_dir, folders=True)
    found: list[Path] = []
    errors: list[FileError] = []
    seen: set[str] = set()

    real_dirs: dict[str, str] = {}

    def resolved(p: str) -> str:
        """``os.path.realpath(p)``, resolving each directory once (a walk adds many files of one)."""
        head, name = os.path.split(p)
        if not name or name in (os.curdir, os.pardir) or os.path.islink(p):
            return os.path.realpath(p)
        if head not in real_dirs:
            real_dirs[head] = os.path.realpath(head or os.curdir)
        return os.path.join(real_dirs[head], name)

    def add(p: str) -> bool:
        key = p if p == STDIN else os.path.normcase(resolved(p))
        if key in seen:
            return False
        seen.add(key)
        found.append(Path(p))
        return True

    for arg in map(os.fspath, paths):
        if arg == STDIN:
            add(arg)
            continue
        if exc(arg):
            continue
        try:
            st = os.stat(arg)
        except (OSError, ValueError) as err:
            message = os_message(err) if isinstance(err, OSError) else "invalid path"
            if os.path.islink(arg):
                message = "broken symbolic link"
            errors.append(FileError(relative_display(Path(arg)), message))
            continue
        if stat.S_ISDIR(st.st_mode):
            seen_dirs = {(st.st_dev, st.st_ino)}
            for p in _walk(arg, inc, exc, seen_dirs, errors, sniff=deferred is None):
                if add(p) and deferred is not None:
                    deferred.add(found[-1])
            continue
        add(arg)  # a named file is read (once, even a pipe) and checked for binary content then
    return found, errors
