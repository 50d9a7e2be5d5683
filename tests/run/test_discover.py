"""Discovery: one matcher decides include and exclude for the command line, the API and tests,
ignoring case (``A.MD`` is a draft; ``exclude = ["vendor"]`` leaves out ``Vendor/`` too)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_report, isolate_run
from hypothesis import given, settings
from hypothesis import strategies as st

from kepulint.run.config import Config
from kepulint.run.discover import DEFAULT_INCLUDE, PathMatcher, discover


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate_run(tmp_path, monkeypatch)
    for name in ("A.MD", "b.md", "notes/C.Txt", "Vendor/pkg/d.md", "vendor2/e.md", "img/f.png"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("干细胞可以根治糖尿病。\n", encoding="utf-8")
    return tmp_path


def _found(paths: list[str], config: Config) -> list[str]:
    found, _ = discover(paths, include=config.include, exclude=config.exclude, root=config.root)
    return sorted(p.as_posix() for p in found)


def test_upper_case_suffixes_are_drafts_for_the_cli_and_the_api_alike(tree: Path) -> None:
    config = Config(root=tree)
    assert _found(["."], config) == ["A.MD", "Vendor/pkg/d.md", "b.md", "notes/C.Txt", "vendor2/e.md"]
    assert config.is_included(Path("A.MD")) and config.is_included("notes/C.Txt")
    assert not config.is_included("img/f.png")
    report = check_report(".", cache=False)
    assert {d["path"] for d in report["diagnostics"]} >= {"A.MD", "notes/C.Txt"}


def test_exclude_ignores_case_and_covers_named_files_below_an_excluded_folder(tree: Path) -> None:
    config = Config(root=tree, exclude=("vendor",))
    assert _found(["."], config) == ["A.MD", "b.md", "notes/C.Txt", "vendor2/e.md"]
    # pre-commit names each file: one under an excluded folder stays out
    assert _found(["Vendor/pkg/d.md", "b.md"], config) == ["b.md"]
    assert config.is_excluded("Vendor/pkg/d.md") and config.is_excluded(tree / "Vendor")
    assert not config.is_excluded("vendor2/e.md")


def test_patterns_with_folders_and_double_stars(tree: Path) -> None:
    config = Config(root=tree, include=("notes/*.txt", "**/*.md"), exclude=("**/pkg",))
    assert _found(["."], config) == ["A.MD", "b.md", "notes/C.Txt", "vendor2/e.md"]
    assert config.is_included("./notes/c.txt") and not config.is_included("c.txt")


NAMES = st.text(st.sampled_from("aAbB.-_根"), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(stem=NAMES, suffix=st.sampled_from([".md", ".MD", ".Md", ".txt", ".TXT", ".png", ".markdown"]))
def test_the_config_and_discovery_agree_on_every_name(stem: str, suffix: str) -> None:
    matcher = PathMatcher(DEFAULT_INCLUDE, ".")
    name = stem + suffix
    assert matcher(name) == Config(root=Path.cwd()).is_included(name) == (suffix.lower() != ".png")
