"""Shared test setup: run kepulint from the checkout when it is not installed; helpers the
cache tests share (``check_report``, the ``calls`` fixture)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
try:
    import kepulint  # noqa: F401
except ModuleNotFoundError:  # pragma: no cover - running from a bare checkout
    sys.path.insert(0, str(ROOT / "lint"))


_LAST_RUN: list[Any] = []  # the CheckRun of the last check_report call in this test process


def check_report(*paths: str | Path, **opts: Any) -> dict[str, Any]:
    """``run_check`` in this process (one job, JSON to ``report.json`` in the cwd); the report.
    :func:`run_stats` then says what linting took."""
    from kepulint.run.options import RunOptions
    from kepulint.run.runner import run_check

    out = Path.cwd() / "report.json"
    full = {"no_config": True, "fmt": "json", "output_file": out, "jobs": 1, "today": "2025-11-25", **opts}
    _LAST_RUN[:] = [run_check([str(p) for p in paths], RunOptions(**full))]
    return json.loads(out.read_text(encoding="utf-8"))


def run_stats() -> dict[str, Any]:
    """What the last :func:`check_report` call's linting took (``RunStats.as_dict()``)."""
    return _LAST_RUN[0].stats.as_dict()


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths linted in this process (lint_source calls made by kepulint.run.parallel, and by the
    runner for stdin)."""
    from kepulint.run import parallel, runner

    seen: list[str] = []
    real = parallel.lint_source

    def counting(text: str, path: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(path)
        return real(text, path, *args, **kwargs)

    monkeypatch.setattr(parallel, "lint_source", counting)
    monkeypatch.setattr(runner, "lint_source", counting)
    return seen


def isolate_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in ``tmp_path`` with a rule cache of its own, the result cache allowed and no GitHub
    annotations."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KEPULINT_RULE_CACHE", str(tmp_path / "rule-cache"))
    monkeypatch.delenv("KEPULINT_NO_CACHE", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


SUPPRESSED_TEXT = (  # suppression comments whose reasons hold quotes, a backslash, a tab; a U+2028
    "<!-- kepulint-disable CLM002 -- 引用原文，\"作者\" \\ 观点 -->\n干细胞可以根治糖尿病。\n"
    "<!-- kepulint-enable CLM002 -->\n<!-- kepulint-disable-next-line -->\n永不复发，根治\u2028糖尿病。\n"
    "根治糖尿病。<!-- kepulint-disable-line CLM -- x\ty -->\n"
)


def reporter_corpus(suppressed_path: str) -> list[Any]:
    """Lint results for reporter tests: the seeds, the test drafts and the adversarial files,
    plus :data:`SUPPRESSED_TEXT` as ``suppressed_path``, an unreadable file and a decoding notice."""
    from kepulint.api import Settings, lint_source
    from kepulint.model import FileError, FileResult
    from kepulint.text.decode import InputError, read_file

    settings = Settings(today="2025-11-25")
    paths = sorted([*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "drafts").iterdir(),
                    *(p for p in (ROOT / "tests" / "adversarial").rglob("*") if p.suffix in (".md", ".txt"))])
    results = []
    for path in paths:
        display = path.relative_to(ROOT).as_posix()
        try:
            text, notice = read_file(path, encoding="auto")
        except InputError as exc:
            results.append(FileResult(path=display, error=exc.to_file_error(display)))
            continue
        result = lint_source(text, display, settings)
        result.notice = notice
        results.append(result)
    results.append(lint_source(SUPPRESSED_TEXT, suppressed_path, settings))
    results.append(FileResult(path="gone.md", error=FileError("gone.md", "cannot read: \"gone\"\n", "error")))
    return sorted(results, key=lambda r: r.path)


def three_files(active: list[Any], suppressed: list[Any], notice: str) -> list[Any]:
    """Results of three files for reporter properties: two with ``active`` diagnostics (the
    first also ``suppressed`` ones and ``notice``), one skipped with ``notice`` as its message."""
    from kepulint.model import FileError, FileResult

    return [FileResult(path="a.md", diagnostics=active[:2], suppressed=suppressed, notice=notice),
            FileResult(path="b.md", diagnostics=active[2:]),
            FileResult(path="c.md", error=FileError("c.md", notice, "skipped"))]
