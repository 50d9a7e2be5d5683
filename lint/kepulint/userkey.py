"""The per-user secret that authenticates kepulint's caches (never stored in a checkout).

A cache file is trusted only when its tag, a keyed BLAKE2b of its content, verifies with this
key. The key is 32 random bytes in ``key`` in the user cache folder (``$KEPULINT_RULE_CACHE``,
else ``$XDG_CACHE_HOME/kepulint``, else ``~/.cache/kepulint``), created mode 0600 on first use.
A key file that is a symbolic link, not a regular file, owned by someone else, readable by
others or of the wrong size is not used: the caches are then simply not used either.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
from functools import lru_cache
from pathlib import Path

KEY_NAME = "key"
KEY_BYTES = 32
TAG_BYTES = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def user_cache_dir() -> Path:
    """Where kepulint keeps per-user state (the key and the rule-set cache)."""
    base = os.environ.get("KEPULINT_RULE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "kepulint")
    return Path(base)


def _read_key(path: str) -> bytes | None:
    """The key at ``path`` if it is a private regular file of ours holding exactly the key."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size != KEY_BYTES:
            return None
        if hasattr(os, "geteuid") and (st.st_uid != os.geteuid() or st.st_mode & 0o077):
            return None
        data = fh.read(KEY_BYTES + 1)
    return data if len(data) == KEY_BYTES else None


def _create_key(folder: Path) -> None:
    """Write a new key unless one exists (a hard link publishes it whole, and never replaces)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = folder / f".key.{os.getpid()}.{os.urandom(4).hex()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(KEY_BYTES))
        with contextlib.suppress(FileExistsError):  # another process made one first: use theirs
            os.link(tmp, folder / KEY_NAME)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


@lru_cache(maxsize=1)
def user_key() -> bytes | None:
    """The user's cache key, created on first use; None when there is none and none can be made."""
    folder = user_cache_dir()
    path = os.path.join(folder, KEY_NAME)
    key = _read_key(path)
    if key is None and not os.path.lexists(path):
        with contextlib.suppress(OSError):
            _create_key(folder)
        key = _read_key(path)
    return key


def tag(key: bytes, *parts: bytes) -> bytes:
    """The keyed digest of ``parts`` (each length-prefixed, so boundaries cannot shift)."""
    h = hashlib.blake2b(key=key, digest_size=TAG_BYTES)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def seal(key: bytes, label: bytes, payload: bytes) -> bytes:
    """``payload`` prefixed with its tag under ``key`` for the use ``label`` names."""
    return tag(key, label, payload) + payload


def unseal(key: bytes, label: bytes, blob: bytes) -> bytes | None:
    """The payload of a :func:`seal` ed ``blob`` if its tag verifies, else None."""
    if len(blob) < TAG_BYTES:
        return None
    payload = memoryview(blob)[TAG_BYTES:]
    if not hmac.compare_digest(blob[:TAG_BYTES], tag(key, label, payload)):  # type: ignore[arg-type]
        return None
    return bytes(payload)


__all__ = ["seal", "tag", "unseal", "user_cache_dir", "user_key"]
