"""The validated, compiled rule set, kept between runs in the user cache folder.

One file per rule set, ``rules-<key>.pickle`` in :func:`kepulint.userkey.user_cache_dir`,
named by a digest of every rule file and of kepulint's own code, data and schemas. It holds
two pickles sharing one memo: the rules, then their compiled kinds (loaded on first use).

Nothing in it is believed without the user's key: the file is sealed (a keyed digest of its
content and name, :mod:`kepulint.userkey`) and checked before anything is unpickled, and the
unpickler admits only kepulint's own classes and ``re._compile``, so a replaced file cannot
run code. No key, no rule cache: the rules are parsed and validated each run instead.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import userkey
from ..pickles import KepulintUnpickler

_ALLOWED_FUNCTIONS = {("re", "_compile")}  # a compiled pattern pickles as re._compile(pattern, flags)


def _loader(data: io.BytesIO) -> KepulintUnpickler:
    """kepulint's one loader (:mod:`kepulint.pickles`): its classes (not its functions) and ``re._compile``."""
    return KepulintUnpickler(data, functions=_ALLOWED_FUNCTIONS)


def path_for(key: str) -> Path:
    """Where the rule set of ``key`` is kept."""
    return userkey.user_cache_dir() / f"rules-{key[:32]}.pickle"


def _label(path: Path) -> bytes:
    return f"rule-cache/{path.name}".encode()


def read(key: str) -> tuple[Any, Callable[[], Any]] | None:
    """``(rules, load_compiled)`` kept for ``key``, or None (missing, unsealed, stale, broken)."""
    secret = userkey.user_key()
    if secret is None:
        return None
    path = path_for(key)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with open(fd, "rb") as fh:
            blob = fh.read()
    except OSError:
        return None
    payload = userkey.unseal(secret, _label(path), blob)
    if payload is None:
        return None
    unpickler = _loader(io.BytesIO(payload))
    try:
        first = unpickler.load()
    except Exception:  # truncated or of another kepulint: rebuild
        return None
    return first, unpickler.load


def write(key: str, ruleset: Any) -> None:
    """Keep ``ruleset`` (rules, then compiled kinds) for ``key``; silently nothing on failure."""
    from ..fsutil import write_atomic

    secret = userkey.user_key()
    if secret is None:
        return
    try:
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dump(ruleset)  # the rules, without their kinds (RuleSet.__getstate__)
        pickler.dump(ruleset.compiled)  # same memo: the kinds keep referring to those very rules
        path = path_for(key)
        write_atomic(path, userkey.seal(secret, _label(path), out.getvalue()), durable=False, private=True)
        for old in path.parent.glob("rules-*.pickle"):  # one entry per rule set in use is enough
            if old != path and old.stat().st_mtime < path.stat().st_mtime - 3600:
                old.unlink()
    except Exception:  # a read-only home or a full disk only costs start-up time
        return


def forget(key: str) -> None:
    """Remove the kept rule set of ``key`` (its kinds failed to load: the next run rewrites it)."""
    with contextlib.suppress(OSError):
        path_for(key).unlink()


__all__ = ["forget", "path_for", "read", "write"]
