"""The pre-commit hook, end to end, the way an editor meets it.

A throw-away Git repository gets a ``.pre-commit-config.yaml`` that points at *this*
checkout (``repo: <checkout path>``, ``rev: <its HEAD sha>``, hook id ``kepulint``), then
``pre-commit install`` and real ``git commit`` calls: a draft with a cure claim is refused
with a ``path:line:col: CLM002`` diagnostic, the fixed draft commits, and a Traditional
Chinese claim (in a ``.txt`` file) is refused as well, and so are an HTML and a Word draft.

Why ``repo:``/``rev:`` and not ``pre-commit try-repo``: it is exactly what a user's
config does, so it exercises ``.pre-commit-hooks.yaml`` as published, the ``pip install``
of the package (wheel contents: built-in rules, data files, schemas) and the git hook that
``pre-commit install`` writes. ``try-repo`` would also see uncommitted edits, but only
to files Git already tracks (a new rule file or data file would be silently missing from
its shadow commit) and it bypasses ``git commit`` altogether. The cost: this module tests
the checkout's last *commit*, not the working tree, so commit before trusting it; CI runs
on a clean clone of the submitted commit, where the two are the same.

The hook environment is built once per module in a private ``PRE_COMMIT_HOME`` (the first
``pre-commit install --install-hooks`` pip-installs kepulint and its dependencies, hence
the generous timeout); ``HOME``, ``XDG_*`` and an empty ``GIT_CONFIG_GLOBAL`` keep the
machine's own Git and pre-commit settings out. The module is skipped when ``git`` or
``pre-commit`` is missing or the checkout is not a Git repository with a commit; never
for being slow.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

INSTALL_TIMEOUT = 300  # first install: virtualenv + pip install of kepulint and its dependencies
STEP_TIMEOUT = 120  # everything else

CLAIM_DRAFT = (
    "# 干细胞与糖尿病\n\n"
    "干细胞可以根治糖尿病。\n\n"
    "免责声明：本文仅供科普参考，不构成医疗建议，如有不适请及时就医。\n"
)
FIXED_DRAFT = (
    "# 干细胞与糖尿病\n\n"
    "糖尿病患者应在医生指导下规范用药，并保持健康饮食和适量运动。\n\n"
    "免责声明：本文仅供科普参考，不构成医疗建议，如有不适请及时就医。\n"
)
TRADITIONAL_DRAFT = (
    "# 幹細胞與糖尿病\n\n"
    "幹細胞可以根治糖尿病。\n\n"
    "免責聲明：本文僅供科普參考，不構成醫療建議，如有不適請及時就醫。\n"
)

# Git variables that would point our git calls at another repository or index (set, for
# instance, when this suite itself runs inside a git hook); the transport ones may stay.
_KEEP_GIT_VARS = {"GIT_EXEC_PATH", "GIT_SSL_CAINFO", "GIT_SSL_NO_VERIFY", "GIT_SSH", "GIT_SSH_COMMAND"}


def _pre_commit_cmd() -> list[str] | None:
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    exe = shutil.which("pre-commit")
    return [exe] if exe else None


def _checkout_head() -> str | None:
    """HEAD of the checkout, when ROOT is the top of a Git work tree with a commit."""
    try:
        top = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=30)
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", "-q", "HEAD^{commit}"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if top.returncode or head.returncode:
        return None
    if Path(top.stdout.strip()).resolve() != ROOT:
        return None
    return head.stdout.strip() or None


PRE_COMMIT = _pre_commit_cmd()
if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)
if PRE_COMMIT is None:
    pytest.skip("pre-commit is not installed (pip install pre-commit)", allow_module_level=True)
HEAD = _checkout_head()
if HEAD is None:
    pytest.skip(f"{ROOT} is not a Git repository with at least one commit", allow_module_level=True)


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = STEP_TIMEOUT,
         ) -> subprocess.CompletedProcess[str]:
    """Run a command, stdout and stderr merged (git prints hook output on stderr)."""
    return subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, text=True, encoding="utf-8", errors="replace",
                          timeout=timeout)


def _ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert proc.returncode == 0, f"{' '.join(map(str, proc.args))} exited {proc.returncode}:\n{proc.stdout}"
    return proc


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment isolated from the machine's Git/pre-commit settings, one hook cache per module."""
    missing = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{HEAD}:.pre-commit-hooks.yaml"],
                             capture_output=True, timeout=30)
    if missing.returncode:
        pytest.fail(f"commit {HEAD[:12]} of {ROOT} has no .pre-commit-hooks.yaml: pre-commit cannot use it")
    base = tmp_path_factory.mktemp("precommit")
    home = base / "home"
    home.mkdir()
    gitconfig = base / "empty-gitconfig"
    gitconfig.write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith("GIT_") and k not in _KEEP_GIT_VARS) and not k.startswith("PRE_COMMIT")}
    env.update({
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "GIT_CONFIG_GLOBAL": str(gitconfig),
        "GIT_CONFIG_NOSYSTEM": "1",
        "PRE_COMMIT_HOME": str(base / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
    })
    env.pop("KEPULINT_DEBUG", None)
    env.pop("GITHUB_ACTIONS", None)  # would switch kepulint's output to --format github
    return env


@pytest.fixture
def editor_repo(tmp_path: Path, hook_env: dict[str, str]) -> Path:
    """A fresh Git repository whose commit hook is kepulint at the checkout's HEAD."""
    repo = tmp_path / "articles"
    repo.mkdir()
    _ok(_run(["git", "init", "-q"], repo, hook_env))
    for key, value in (("user.name", "Test Editor"), ("user.email", "editor@example.invalid"),
                       ("commit.gpgsign", "false"), ("core.autocrlf", "false")):
        _ok(_run(["git", "config", "--local", key, value], repo, hook_env))
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {ROOT.as_posix()}\n"
        f"    rev: {HEAD}\n"
        "    hooks:\n"
        "      - id: kepulint\n",
        encoding="utf-8",
    )
    # The first call of the module builds the hook environment (network, pip); later ones reuse it.
    _ok(_run([*PRE_COMMIT, "install", "--install-hooks"], repo, hook_env, timeout=INSTALL_TIMEOUT))
    assert (repo / ".git" / "hooks" / "pre-commit").is_file()
    _ok(_run(["git", "add", ".pre-commit-config.yaml"], repo, hook_env))
    return repo


def _commit_count(repo: Path, env: dict[str, str]) -> int:
    return int(_ok(_run(["git", "rev-list", "--all", "--count"], repo, env)).stdout.strip())


def _write(repo: Path, rel: str, text: str) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _assert_refused(repo: Path, env: dict[str, str], rel: str) -> None:
    _ok(_run(["git", "add", "--", rel], repo, env))
    proc = _run(["git", "commit", "-m", f"Add {rel}"], repo, env)
    assert proc.returncode != 0, f"commit of {rel} was not refused:\n{proc.stdout}"
    assert _commit_count(repo, env) == 0, "a refused commit must leave no commit behind"
    assert "- exit code: 2" not in proc.stdout, (
        f"kepulint itself failed in the hook (exit 2: usage, config or packaging error), "
        f"it did not report a finding:\n{proc.stdout}")
    assert re.search(rf"^{re.escape(rel)}:\d+:\d+: CLM002\b", proc.stdout, re.M), (
        f"no '{rel}:line:col: CLM002' diagnostic in the hook output:\n{proc.stdout}")


def test_cure_claim_is_refused_then_fixed_draft_commits(editor_repo: Path, hook_env: dict[str, str]) -> None:
    _write(editor_repo, "drafts/a.md", CLAIM_DRAFT)
    _assert_refused(editor_repo, hook_env, "drafts/a.md")

    # The fix: no cure claim, disclaimer kept. Warnings would not block (default --fail-on error).
    _write(editor_repo, "drafts/a.md", FIXED_DRAFT)
    _ok(_run(["git", "add", "--", "drafts/a.md"], editor_repo, hook_env))
    proc = _run(["git", "commit", "-m", "Add drafts/a.md"], editor_repo, hook_env)
    assert proc.returncode == 0, f"commit of the compliant draft was refused:\n{proc.stdout}"
    assert "CLM002" not in proc.stdout
    assert _commit_count(editor_repo, hook_env) == 1
    committed = _ok(_run(["git", "show", "HEAD:drafts/a.md"], editor_repo, hook_env)).stdout
    assert committed == FIXED_DRAFT


def test_traditional_chinese_cure_claim_is_refused(editor_repo: Path, hook_env: dict[str, str]) -> None:
    # A .txt draft: also checks that the hook's files pattern includes .txt.
    _write(editor_repo, "drafts/tw.txt", TRADITIONAL_DRAFT)
    _assert_refused(editor_repo, hook_env, "drafts/tw.txt")


def test_html_and_word_drafts_are_refused(editor_repo: Path, hook_env: dict[str, str]) -> None:
    """The hook's ``files`` pattern takes HTML and Word drafts (identify has no .docx type)."""
    from inputs_fixtures import SPLIT_TAGS, word_draft

    _write(editor_repo, "drafts/wechat.html", SPLIT_TAGS)
    _assert_refused(editor_repo, hook_env, "drafts/wechat.html")
    _ok(_run(["git", "rm", "-q", "--cached", "--", "drafts/wechat.html"], editor_repo, hook_env))
    path = editor_repo / "drafts" / "agency.docx"
    path.write_bytes(word_draft())
    _assert_refused(editor_repo, hook_env, "drafts/agency.docx")
