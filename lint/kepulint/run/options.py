"""What the command line asks of one ``kepulint check`` run, typed and frozen.

:class:`RunOptions` is built once from the parsed arguments (the field names are ``check``'s
option names) and passed down unchanged: the runner, the process pool, the cache and the fixer
read it; nothing writes it. A value of ``None`` means "not given": the configuration file (or
the default) decides. :class:`RunStats` is what :func:`kepulint.run.parallel.lint_jobs` did.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any


def debug_from_env() -> bool:
    """``KEPULINT_DEBUG=1`` (or any value but empty, ``0``, ``false``): as ``--debug``."""
    return os.environ.get("KEPULINT_DEBUG", "") not in ("", "0", "false")


@dataclass(frozen=True)
class RunOptions:
    """``kepulint check``'s options (see ``kepulint check --help`` for each)."""

    # settings that override the configuration file
    config_file: Path | None = None
    no_config: bool = False
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    profile: str | None = None
    encoding: str | None = None
    max_file_size: str | None = None  # as typed ("20MB"); parsed with the config's rules
    rule_paths: tuple[Path, ...] = ()
    jobs: int | None = None
    cache_dir: Path | None = None
    baseline: Path | None = None
    # what is linted, and how
    today: str | None = None
    stdin_filename: str | None = None
    cache: bool | None = None  # None: on
    start_method: str | None = None  # worker processes: None is fork on Linux, else the platform's
    # the report
    fmt: str | None = None  # None: text, or github when GITHUB_ACTIONS=true
    output_file: Path | None = None
    statistics: bool = False
    color: bool | None = None  # None: on a TTY unless NO_COLOR
    write_baseline: Path | None = None
    # fixing
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    # tracebacks instead of one line (--debug or KEPULINT_DEBUG)
    debug: bool = False

    @property
    def tracebacks(self) -> bool:
        return self.debug or debug_from_env()

    @classmethod
    def from_mapping(cls, opts: Mapping[str, Any]) -> RunOptions:
        """The options among ``opts`` (another command's parsed options: ``serve``, ``batch``)
        that a run takes; the others are left out."""
        return cls(**{name: value for name, value in opts.items() if name in _FIELDS})


_FIELDS = frozenset(f.name for f in fields(RunOptions))


@dataclass(frozen=True)
class RunStats:
    """What linting the files of a run did: counts for tests, ``KEPULINT_STATS`` and the benchmark.
    The cache fields are None when the run had no cache."""

    files: int = 0
    linted: int = 0
    processes: int = 0
    hits: int | None = None
    misses: int | None = None
    writes: int | None = None
    cache_errors: int | None = None
    cache_dir: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}


__all__ = ["RunOptions", "RunStats", "debug_from_env"]
