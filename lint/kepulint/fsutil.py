"""Writing files safely: never leave a half-written report, baseline or cache entry."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path | str, data: str | bytes, *, durable: bool = True) -> None:
    """Write ``data`` (text as UTF-8, newlines untouched) to ``path`` via a temporary file in
    the same folder and ``os.replace``, so readers see the old file or the new one, never half.

    ``durable`` fsyncs before the rename (reports, baselines); caches skip it, since a lost
    entry is only a miss next time.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
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
