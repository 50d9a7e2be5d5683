"""Writing files safely: never leave a half-written report, baseline or cache entry."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path | str, data: str | bytes, *, durable: bool = True, private: bool = False) -> None:
    """Write ``data`` (text as UTF-8, newlines untouched) to ``path`` via a temporary file in
    the same folder and ``os.replace``, so readers see the old file or the new one, never half.

    ``durable`` fsyncs before the rename (reports, baselines); caches skip it, since a lost
    entry is only a miss next time. The file gets the mode the umask gives a new file
    (``0o666 & ~umask``), or 0600 when ``private``. The temporary file is removed whatever
    stops the write (an error, Ctrl-C, SIGTERM: the CLI turns it into an exception).
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        if not private and hasattr(os, "fchmod"):
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    """The process umask (read by setting it, then restored)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_through(path: Path, data: bytes) -> bool:
    """Write ``data`` into ``path`` in place when it is a pipe, FIFO or device (``/dev/stdout``,
    ``/dev/null``), which a rename would replace; False (nothing done) for anything else."""
    import stat

    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return False
    if stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode):
        return False
    with open(path, "wb") as fh:
        fh.write(data)
    return True


def read_regular(path: Path | str) -> bytes:
    """The bytes of the regular file ``path`` (following links); :class:`OSError` for a FIFO,
    socket or device, which could block or never end (``config.yaml -> /dev/zero``)."""
    import errno
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a FIFO, socket or device)", str(path))
        return fh.read()
