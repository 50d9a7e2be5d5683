"""One file a run lints (what discovery found, with the codes that apply to it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Job:
    """One file to lint: where to read it, how to show it, which codes apply."""

    path: str  # display path (relative, posix) or the stdin filename
    source: Path | None  # None: stdin
    codes: tuple[str, ...]
    sniff: bool = False  # found by walking a folder: a binary file is skipped, not an error


__all__ = ["Job"]
