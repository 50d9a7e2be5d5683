"""Rule help texts for the Traditional profiles, kept between runs in the user cache folder.

A rule's help for tw or hk is its mainland help rewritten (check/advice.help_for: OpenCC, the
jurisdiction's law). Building OpenCC's converter costs 0.15–0.5 s, which a warm run (every
result from the cache, no linting) would otherwise pay only to write its report. So the texts a
report needed are kept in ``helps-<rule set>.json`` beside the rule-set cache: JSON data (no
pickle), sealed with the user's key like every kepulint cache, named by the rule set's digest
(rule files, kepulint's code, data and schemas) and the installed OpenCC (its package file's
size and time: an upgrade rewrites it). A file that is missing, unsealed or malformed is
recomputed; nothing in it can run code or change a finding. Nothing is read, and OpenCC is not
looked for, until a Traditional help is asked for.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .. import userkey

#: The profiles whose help is a rewrite worth keeping (the mainland's is the rule file's own).
KEPT_PROFILES = frozenset({"tw", "hk"})
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
MAX_BYTES = 4 << 20


def _opencc_stamp() -> str:
    """Which OpenCC is installed, cheaply (``importlib.metadata`` takes a tenth of a second)."""
    import importlib.util

    spec = importlib.util.find_spec("opencc")
    if spec is None or spec.origin is None:
        return "none"
    try:
        st = os.stat(spec.origin)
    except OSError:
        return "none"
    return f"{spec.origin}|{st.st_size}|{st.st_mtime_ns}"


class HelpStore:
    """``(code, profile) -> help`` read from and added to one sealed file."""

    def __init__(self, digest: str, secret: bytes) -> None:
        self.digest = digest
        self.secret = secret
        self._path: Path | None = None
        self._helps: dict[str, str] | None = None  # "code/profile" -> text, read on first use
        self._added = False

    @classmethod
    def for_rules(cls, digest: str) -> HelpStore | None:
        """The store of the rule set ``digest``; None without a user key or a digest."""
        secret = userkey.user_key() if digest else None
        return cls(digest, secret) if secret is not None else None

    @property
    def path(self) -> Path:
        """``helps-<name>.json`` in the user cache folder, named by the rule set and OpenCC."""
        if self._path is None:
            name = userkey.tag(self.secret, b"helps", self.digest.encode(), _opencc_stamp().encode()).hex()[:32]
            self._path = userkey.user_cache_dir() / f"helps-{name}.json"
        return self._path

    def _label(self) -> bytes:
        return f"helps/{self.path.name}".encode()

    def _read(self) -> dict[str, str]:
        try:
            fd = os.open(self.path, os.O_RDONLY | _NOFOLLOW)
            with open(fd, "rb") as fh:
                blob = fh.read(MAX_BYTES + 1)
            payload = userkey.unseal(self.secret, self._label(), blob)
            data = json.loads(payload) if payload is not None else None
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or not all(type(k) is str and type(v) is str for k, v in data.items()):
            return {}
        return data

    def get(self, code: str, profile: str) -> str | None:
        """The kept help of ``code`` in ``profile``, or None."""
        if self._helps is None:
            self._helps = self._read()
        return self._helps.get(f"{code}/{profile}")

    def put(self, code: str, profile: str, text: str) -> None:
        """Keep ``text`` (written by :meth:`save`)."""
        if self._helps is None:
            self._helps = self._read()
        self._helps[f"{code}/{profile}"] = text
        self._added = True

    def save(self) -> None:
        """Write the file if texts were added; silently nothing when it cannot be written."""
        if not self._added or self._helps is None:
            return
        from ..fsutil import write_atomic

        payload = json.dumps(self._helps, ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            write_atomic(self.path, userkey.seal(self.secret, self._label(), payload), durable=False, private=True)
            newest = self.path.stat().st_mtime
            for old in self.path.parent.glob("helps-*.json"):  # those of other rule sets, an hour older
                if old != self.path and old.is_file() and old.stat().st_mtime < newest - 3600:
                    old.unlink()
        except OSError:  # a read-only home or a full disk: the next run converts again
            return
        self._added = False
