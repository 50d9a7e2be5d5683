"""What identifies this kepulint for its caches: its version and a digest of its own code, data
and schemas. The result cache (:mod:`kepulint.run.cache`) and the rule-set cache
(:mod:`kepulint.rules.ruleset_cache`) both key on :func:`code_stamp`, so an upgrade or a local
edit of any module, vocabulary or schema invalidates both at once."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache

CODE_SUFFIXES = (".py", ".yaml", ".tsv", ".txt", ".json")


def code_files(root: str) -> list[str]:
    """kepulint's modules and data files under ``root``: sorted posix paths relative to it."""
    names: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        names += (name if rel == "." else f"{rel}/{name}" for name in files if name.endswith(CODE_SUFFIXES))
    return sorted(names)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of kepulint's own modules, data and schemas (a changed kind or vocabulary invalidates)."""
    root = os.path.dirname(os.path.realpath(__file__))  # the kepulint package
    h = hashlib.blake2b(digest_size=20)
    for name in code_files(root):
        try:
            with open(os.path.join(root, name), "rb") as fh:
                data = fh.read()
        except OSError:
            continue
        h.update(name.encode() + b"\0" + data + b"\0")
    return h.hexdigest()


def code_stamp() -> str:
    """``version|code digest``: the part of every cache key that says which kepulint made it."""
    from . import __version__  # read now (tests change it)

    return f"{__version__}|{code_digest()}"


__all__ = ["code_digest", "code_files", "code_stamp"]
