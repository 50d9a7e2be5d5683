"""Nothing a checkout contains gets kepulint to delete or write outside its own cache folder.

Each case plants what a contributor can commit (symbolic links, folders named like cache runs,
a ``cache-dir`` in the config) next to decoy folders, runs an ordinary ``kepulint check`` and
asserts that the decoys survive, the findings are still reported and the cache is refused
with one line on stderr.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from attack_kit import CLAIM, check, decoys, intact, memory_cap, victim

from kepulint.run import cache


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = victim(tmp_path, monkeypatch)
    (repo / "docs").mkdir()
    (repo / "docs" / "a.md").write_text(CLAIM, encoding="utf-8")
    return repo


def _findings(report: dict) -> list[str]:
    return sorted(d["code"] for d in report["diagnostics"])


@pytest.mark.parametrize("absolute", [False, True])
def test_a_committed_link_from_the_cache_to_other_folders_deletes_nothing(
        repo: Path, tmp_path: Path, absolute: bool, capsys: pytest.CaptureFixture[str]) -> None:
    """``.kepulint_cache/v1 -> ../..`` (and v2, today's layout): pruning must not follow it."""
    target = tmp_path / "outside"
    kept = decoys(target)
    planted = repo / ".kepulint_cache"
    planted.mkdir()
    (planted / "CACHEDIR.TAG").write_text(cache.TAG, encoding="utf-8")
    for version in ("v1", "v2"):
        (planted / version).symlink_to(target if absolute else Path("..") / ".." / "outside")
    for _ in range(2):
        code, report = check("docs")
        assert code == 1 and _findings(report) == ["CLM002", "CLM002", "CLM002"]
    assert intact(kept) and sorted(p.name for p in target.iterdir()) == [f"decoy{i:02d}" for i in range(12)]
    err = capsys.readouterr().err
    assert err.count("kepulint: cache not used:") == 2 and "symbolic link" in err


def test_cache_dir_pointing_at_user_folders_deletes_none_of_them(repo: Path, capsys: pytest.CaptureFixture[str]
                                                                  ) -> None:
    """``cache-dir: docs/api`` in a config: the user's folders under docs/api/v1 (and v2) stay."""
    api = repo / "docs" / "api"
    kept = decoys(api / "v1") + decoys(api / "v2")
    (repo / ".kepulint.yaml").write_text("cache-dir: docs/api\nselect: [CLM]\n", encoding="utf-8")
    for _ in range(2):
        code, report = check("docs/a.md", no_config=False)
        assert code == 1 and len(report["diagnostics"]) == 3
    assert intact(kept)
    assert not (api / ".gitignore").exists() and not (api / "CACHEDIR.TAG").exists()
    assert "is not a kepulint cache folder" in capsys.readouterr().err


def test_a_symlinked_cache_folder_is_refused_and_nothing_is_written_into_its_target(
        repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    (repo / ".kepulint_cache").symlink_to(target)
    code, report = check("docs")
    assert code == 1 and len(report["diagnostics"]) == 3
    assert list(target.iterdir()) == []  # no .gitignore, CACHEDIR.TAG or v2/ written there
    assert "symbolic link" in capsys.readouterr().err


def test_a_link_or_foreign_folder_inside_the_run_folders_is_refused(repo: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Run folders kepulint can prove it made may be pruned; anything else makes it refuse the cache."""
    check("docs")  # a real cache, made by this user
    base = repo / ".kepulint_cache" / f"v{cache.FORMAT}"
    assert len(list(base.iterdir())) == 1
    kept = decoys(tmp_path / "outside")
    for i, folder in enumerate(kept):
        (base / f"{i:032x}").symlink_to(folder)  # look like run folders, link elsewhere
    foreign = base / ("f" * 32)
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine\n", encoding="utf-8")
    for today in ("2025-01-01", "2025-01-02"):  # new run keys: a prune would run
        code, report = check("docs", today=today)
        assert code == 1 and len(report["diagnostics"]) == 3
    assert intact(kept) and (foreign / "notes.txt").exists()
    assert "which kepulint did not make" in capsys.readouterr().err


def test_a_run_folder_marked_with_another_users_key_is_foreign(repo: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout that carries a real cache made by someone else (another key) is not pruned."""
    check("docs")
    base = repo / ".kepulint_cache" / f"v{cache.FORMAT}"
    (theirs,) = list(base.iterdir())
    victim(tmp_path, monkeypatch, name="other-user")
    for today in ("2025-02-01", "2025-02-02"):
        code, _ = check("docs", today=today)
        assert code == 1
    assert theirs.is_dir() and (theirs / cache.MARKER).exists()


def test_pruning_keeps_the_newest_runs_and_removes_only_marked_folders(repo: Path) -> None:
    for day in range(1, cache.KEEP_RUNS + 5):
        code, _ = check("docs", today=f"2025-03-{day:02d}")
        assert code == 1
    base = repo / ".kepulint_cache" / f"v{cache.FORMAT}"
    runs = sorted(base.iterdir())
    assert len(runs) == cache.KEEP_RUNS
    assert all(p.is_dir() and not p.is_symlink() and (p / cache.MARKER).is_file() for p in runs)


def test_cache_files_are_private_and_not_followed(repo: Path) -> None:
    """Entries are 0600; an entry replaced by a link to an endless device is not read."""
    check("docs")
    (entry,) = (repo / ".kepulint_cache").rglob("*.pickle")
    assert entry.stat().st_mode & 0o077 == 0
    entry.unlink()
    entry.symlink_to("/dev/zero")
    with memory_cap():
        code, report = check("docs")
    assert code == 1 and len(report["diagnostics"]) == 3
    assert entry.is_symlink() or entry.is_file()  # rewritten or left: never read through


def test_the_tag_and_gitignore_get_the_umask_mode(repo: Path) -> None:
    old = os.umask(0o022)
    try:
        check("docs")
    finally:
        os.umask(old)
    for name in ("CACHEDIR.TAG", ".gitignore"):
        assert (repo / ".kepulint_cache" / name).stat().st_mode & 0o777 == 0o644


def test_a_planted_marker_that_is_a_fifo_or_huge_is_refused_without_waiting(repo: Path, tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]
                                                                          ) -> None:
    base = repo / ".kepulint_cache" / f"v{cache.FORMAT}"
    base.mkdir(parents=True)
    (repo / ".kepulint_cache" / "CACHEDIR.TAG").write_text(cache.TAG, encoding="utf-8")
    (base / ("a" * 32)).mkdir()
    os.mkfifo(base / ("a" * 32) / cache.MARKER)  # opening it for reading would wait for a writer
    (base / ("b" * 32)).mkdir()
    with open(base / ("b" * 32) / cache.MARKER, "wb") as fh:
        fh.truncate(1 << 30)  # sparse: a marker is never read whole
    code, report = check("docs")
    assert code == 1 and len(report["diagnostics"]) == 3
    assert "which kepulint did not make" in capsys.readouterr().err
    assert (base / ("a" * 32)).is_dir() and (base / ("b" * 32)).is_dir()
