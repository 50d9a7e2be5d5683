"""What the attack tests share: a checkout a contributor controls, decoy folders that must
survive, a user cache folder of the victim's own, and kepulint run in-process or as a command."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CLAIM = "# 干细胞\n\n干细胞可以根治糖尿病，一针见效，永不复发。\n"  # four findings with --select CLM


def victim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str = "victim") -> Path:
    """Run as a user whose cache folder (and key) is ``tmp_path/<name>-home``, in ``tmp_path/repo``."""
    repo = tmp_path / "repo"
    repo.mkdir(exist_ok=True)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("KEPULINT_RULE_CACHE", str(tmp_path / f"{name}-home"))
    monkeypatch.delenv("KEPULINT_NO_CACHE", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    forget_key()
    return repo


def forget_key() -> None:
    """Make the next cache use read the key of the user cache folder now in the environment."""
    try:
        from kepulint import userkey
    except ImportError:  # kepulint before the key existed: these tests show what it let through
        return
    userkey.user_key.cache_clear()


def decoys(root: Path, count: int = 12) -> list[Path]:
    """``count`` folders with a file each under ``root``: what an attack would delete."""
    made = []
    for i in range(count):
        folder = root / f"decoy{i:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "keep.txt").write_text("user data\n", encoding="utf-8")
        made.append(folder)
    return made


def intact(folders: list[Path]) -> bool:
    return all((f / "keep.txt").read_text(encoding="utf-8") == "user data\n" for f in folders)


def check(*paths: str | Path, **opts: Any) -> tuple[int, dict[str, Any]]:
    """``kepulint check`` in this process, JSON report to ``../report.json``: (exit code, report)."""
    from kepulint.run.options import RunOptions
    from kepulint.run.runner import run_check

    out = Path.cwd().parent / "report.json"
    full = {"no_config": True, "fmt": "json", "output_file": out, "jobs": 1, "today": "2025-11-25",
            "select": ("CLM",), **opts}
    run = run_check([str(p) for p in paths], RunOptions(**full))
    _LAST_STATS[:] = [run.stats.as_dict()]
    return int(run.exit_code), json.loads(out.read_text(encoding="utf-8"))


_LAST_STATS: list[dict[str, Any]] = []


def last_stats() -> dict[str, Any]:
    """What linting took in the last :func:`check` of this test process."""
    return _LAST_STATS[0]


def env(home: Path) -> dict[str, str]:
    """Environment for kepulint as a command, with the user cache folder ``home``."""
    import kepulint

    lint = Path(kepulint.__file__).resolve().parents[1]  # the kepulint under test, as a command too
    return {**os.environ, "KEPULINT_RULE_CACHE": str(home), "PYTHONPATH": str(lint),
            "NO_COLOR": "1", "GITHUB_ACTIONS": ""}


def command(*args: str, home: Path, cwd: Path, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    """``python -m kepulint ARGS`` (where process behaviour is the point)."""
    kwargs.setdefault("timeout", 120)
    return subprocess.run([sys.executable, "-m", "kepulint", *args], cwd=cwd, env=env(home), capture_output=True,
                          **kwargs)


@contextlib.contextmanager
def memory_cap(extra: int = 1 << 30) -> Iterator[None]:
    """Cap this process's address space at its current size plus ``extra`` for the block, so
    that a regression that reads an endless file fails the test instead of the machine."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as fh:
        size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (size + extra, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
